"""Batch regeneration: incremental by content, reproducible, robust, and saying what changed."""

from __future__ import annotations

import gc
import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import asdict, replace
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from cli import app
from generator.build import batch as batch_module
from generator.build import files, stamps
from generator.build import generate as generate_module
from generator.build.batch import find_inputs, input_keys, run_batch
from generator.build.batch_results import BatchReport, InputResult
from generator.build.manifest import MANIFEST, Manifest, fingerprinted
from generator.build.manifest_entry import Entry
from generator.build.output_folders import OutputFolders
from generator.docx.package import custom_properties
from generator.docx.render import render_package
from generator.pdf import PdfReport
from tests.conftest import EXAMPLE_INPUTS, EXAMPLES, ROOT, example_documents
from tests.support.templates import copy_templates, edit_part

runner = CliRunner()


@pytest.fixture
def workspace(tmp_path: Path) -> dict[str, Path]:
    """A copy of the examples and templates a test may edit."""
    inputs = tmp_path / "inputs"
    shutil.copytree(EXAMPLES, inputs)
    return {"inputs": inputs, "templates": copy_templates(tmp_path), "out": tmp_path / "out"}


def batch(ws: dict[str, Path], **options: Any) -> BatchReport:
    return run_batch(ws["inputs"], out_dir=ws["out"], templates=ws["templates"], jobs=1, **options)


def snapshot(folder: Path) -> dict[str, tuple[int, bytes]]:
    return {p.relative_to(folder).as_posix(): (p.stat().st_mtime_ns, p.read_bytes()) for p in folder.rglob("*") if p.is_file()}


def changed_outputs(report: BatchReport) -> list[str]:
    return sorted(o.path for r in report.rendered for o in r.outputs)


def edit_template(path: Path, old: str, new: str) -> None:
    edit_part(path, lambda xml: xml.replace(old, new))


def test_first_run_renders_everything_and_a_rerun_writes_nothing(workspace: dict[str, Path]) -> None:
    first = batch(workspace)
    assert (len(first.rendered), len(first.unchanged), len(first.failed)) == (EXAMPLE_INPUTS, 0, 0)
    assert len(changed_outputs(first)) == len(example_documents())
    before = snapshot(workspace["out"])
    second = batch(workspace)
    assert (len(second.rendered), len(second.unchanged)) == (0, EXAMPLE_INPUTS)
    assert snapshot(workspace["out"]) == before, "a rerun with nothing changed writes nothing, manifest included"


def test_template_edit_rerenders_exactly_its_outputs(workspace: dict[str, Path]) -> None:
    batch(workspace)
    edit_template(workspace["templates"] / "dmpcd-decision-v5-2014.docx", "If yes, for what reason:", "If yes, why:")
    report = batch(workspace)
    assert [r.key for r in report.rendered] == ["dmpcd-2015-148.yaml"]
    (change,) = report.rendered[0].outputs
    assert change.path == "dmpcd-2015-148/dmpcd-2015-148-decision-form.docx"
    assert change.summary == "2 paragraphs changed"


def test_report_template_edit_rerenders_reports_and_packs_only(workspace: dict[str, Path]) -> None:
    batch(workspace)
    edit_template(workspace["templates"] / "mps-report.docx", "Time sensitivity", "Time-sensitivity")
    report = batch(workspace)
    assert sorted(r.key for r in report.rendered) == ["ocs-grant-2023-24.yaml", "pcd-1284.yaml"]
    assert changed_outputs(report) == [
        "ocs-grant-2023-24/ocs-grant-2023-24-supporting-report.docx",
        "pcd-1284/pcd-1284-decision-pack.docx",
        "pcd-1284/pcd-1284-supporting-report.docx",
    ]


@pytest.fixture
def renders(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The templates of each document rendered, as the names joined by '+' (a pack's two)."""
    made: list[str] = []
    real = render_package

    def counted(templates: tuple[Path, ...], *args: Any, **kwargs: Any) -> Any:
        made.append("+".join(t.name for t in templates))
        return real(templates, *args, **kwargs)

    monkeypatch.setattr(generate_module, "render_package", counted)
    return made


def test_a_template_edit_renders_only_that_templates_documents_and_keeps_the_rest(
    workspace: dict[str, Path], renders: list[str], tmp_path: Path
) -> None:
    """The decision form and agreements of an input whose report template changed are not
    rendered again, and what the batch records of them is what a render would have made."""
    batch(workspace)
    edit_template(workspace["templates"] / "mps-report.docx", "Time sensitivity", "Time-sensitivity")
    kept = {name: workspace["out"] / name for name in ("pcd-1284/pcd-1284-decision-form.docx", "pcd-1284/pcd-1284-grant-agreement.docx")}
    before = {name: (path.stat().st_ino, path.read_bytes()) for name, path in kept.items()}
    renders.clear()
    report = batch(workspace)
    assert sorted(renders) == ["dmpc-decision-2022.docx+mps-report.docx", "mps-report.docx", "mps-report.docx"]
    assert sorted(r.key for r in report.rendered) == ["ocs-grant-2023-24.yaml", "pcd-1284.yaml"]
    assert {name: (path.stat().st_ino, path.read_bytes()) for name, path in kept.items()} == before
    # The manifest now says of every output what a batch rendering everything afresh says.
    fresh = run_batch(workspace["inputs"], out_dir=tmp_path / "fresh", templates=workspace["templates"], jobs=1)
    assert not fresh.failed
    ours, theirs = Manifest.load(workspace["out"]).entries, Manifest.load(tmp_path / "fresh").entries
    assert ours.keys() == theirs.keys()
    assert {n: replace(e, input_stamp="", stamp="") for n, e in ours.items()} == {
        n: replace(e, input_stamp="", stamp="") for n, e in theirs.items()
    }
    assert {p.relative_to(workspace["out"]) for p in workspace["out"].rglob("*.docx")} == {
        p.relative_to(tmp_path / "fresh") for p in (tmp_path / "fresh").rglob("*.docx")
    }
    for path in workspace["out"].rglob("*.docx"):
        assert path.read_bytes() == (tmp_path / "fresh" / path.relative_to(workspace["out"])).read_bytes(), path
    # And the next batch finds every input current.
    assert len(batch(workspace).unchanged) == EXAMPLE_INPUTS


def test_a_document_kept_by_its_template_is_rendered_again_if_it_changed_on_disk(workspace: dict[str, Path], renders: list[str]) -> None:
    batch(workspace)
    edit_template(workspace["templates"] / "mps-report.docx", "Time sensitivity", "Time-sensitivity")
    form = workspace["out"] / "pcd-1284" / "pcd-1284-decision-form.docx"
    good = form.read_bytes()
    form.write_bytes(b"not the document")
    renders.clear()
    report = batch(workspace)
    assert sorted(renders) == ["dmpc-decision-2022.docx", "dmpc-decision-2022.docx+mps-report.docx", "mps-report.docx", "mps-report.docx"]
    assert "pcd-1284/pcd-1284-decision-form.docx" in changed_outputs(report)
    assert form.read_bytes() == good


@pytest.mark.parametrize("change", ["input", "force"])
def test_an_edited_input_or_force_renders_all_its_documents(workspace: dict[str, Path], renders: list[str], change: str) -> None:
    batch(workspace)
    edit_template(workspace["templates"] / "mps-report.docx", "Time sensitivity", "Time-sensitivity")
    source = workspace["inputs"] / "pcd-1284.yaml"
    if change == "input":
        source.write_text(source.read_text(encoding="utf-8").replace("The Home Office has made", "The Home Office made"), encoding="utf-8")
    renders.clear()
    batch(workspace, force=change == "force")
    if change == "input":  # all of pcd-1284's documents; of ocs-grant-2023-24's, only the report
        pcd_1284 = ["dmpc-decision-2022.docx", "dmpc-decision-2022.docx+mps-report.docx", "grant-agreement.docx", "mps-report.docx"]
        assert sorted(renders) == sorted([*pcd_1284, "mps-report.docx"])
    else:
        assert len(renders) == len(example_documents())


def test_new_and_edited_inputs_render_only_their_own_outputs(workspace: dict[str, Path]) -> None:
    batch(workspace)
    source = workspace["inputs"] / "pcd-1284.yaml"
    text = source.read_text(encoding="utf-8")
    (workspace["inputs"] / "sub").mkdir()
    (workspace["inputs"] / "sub" / "pcd-1285.yaml").write_text(text.replace("PCD 1284", "PCD 1285"), encoding="utf-8")
    source.write_text(text.replace("The Home Office has made an offer", "The Home Office made an offer"), encoding="utf-8")
    report = batch(workspace)
    assert sorted(r.key for r in report.rendered) == ["pcd-1284.yaml", "sub/pcd-1285.yaml"]
    summaries = {o.path: o.summary for r in report.rendered for o in r.outputs}
    assert summaries["pcd-1284/pcd-1284-decision-form.docx"] == "1 paragraph changed"
    assert summaries["sub/pcd-1285/pcd-1285-decision-form.docx"] == "new"


@pytest.fixture
def settled(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every file counts as settled (stamps.SETTLED_NS is 0), so that a batch stamps the inputs
    the test has just copied, as it would inputs edited a while ago."""
    monkeypatch.setattr(stamps, "SETTLED_NS", 0)


@pytest.mark.usefixtures("settled")
def test_an_input_edited_with_its_size_and_modification_time_kept_is_rendered_again(workspace: dict[str, Path]) -> None:
    """As `touch -r`, `cp -p` or a sync tool can leave it: same size, same mtime, other bytes."""
    batch(workspace)
    assert Manifest.load(workspace["out"]).entries["pcd-1284/pcd-1284-decision-form.docx"].input_stamp, "the input was stamped"
    source = workspace["inputs"] / "pcd-1284.yaml"
    info = source.stat()
    source.write_text(source.read_text(encoding="utf-8").replace("Personal Robbery", "Personal Robberz", 1), encoding="utf-8")
    os.utime(source, ns=(info.st_atime_ns, info.st_mtime_ns))
    assert (source.stat().st_size, source.stat().st_mtime_ns) == (info.st_size, info.st_mtime_ns)
    report = batch(workspace)
    assert [r.key for r in report.rendered] == ["pcd-1284.yaml"]
    assert {o.path: o.summary for o in report.rendered[0].outputs}["pcd-1284/pcd-1284-decision-form.docx"] == "1 paragraph changed"


@pytest.mark.usefixtures("settled")
def test_a_rerun_with_nothing_changed_reads_no_input_or_output(workspace: dict[str, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    """Each file's stamp is as recorded, so none is read to be hashed again."""
    batch(workspace)

    def unread(path: Path) -> str:
        raise AssertionError(f"{path} was read, though its stamp is as recorded")

    monkeypatch.setattr("generator.build.manifest.sha256_output", unread)
    monkeypatch.setattr("generator.build.batch._input_sha256", unread)
    report = batch(workspace)
    assert (len(report.rendered), len(report.unchanged)) == (0, EXAMPLE_INPUTS)


def test_an_input_changed_moments_before_a_batch_is_hashed_by_the_next(workspace: dict[str, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    """No stamp is recorded for an input changed within stamps.SETTLED_NS of being read (a
    second edit in the same tick of the clock would keep its stamp): the next batch hashes it.
    The documents a batch writes are stamped as written."""
    batch(workspace)
    entries = Manifest.load(workspace["out"]).entries.values()
    assert [e.input_stamp for e in entries] == [""] * len(entries)
    assert all(e.stamp for e in entries)
    hashed: list[Path] = []
    real = batch_module._input_sha256

    def hashing(source: Path) -> str | None:
        hashed.append(source)
        return real(source)

    monkeypatch.setattr("generator.build.batch._input_sha256", hashing)
    report = batch(workspace)
    assert len(report.unchanged) == EXAMPLE_INPUTS == len(hashed)


def test_hand_edited_output_is_rendered_again(workspace: dict[str, Path]) -> None:
    batch(workspace)
    victim = workspace["out"] / "dmpcd-2015-148" / "dmpcd-2015-148-decision-form.docx"
    victim.write_bytes(b"not the document")
    report = batch(workspace)
    assert [r.key for r in report.rendered] == ["dmpcd-2015-148.yaml"]
    assert victim.read_bytes()[:2] == b"PK"


def test_an_output_edited_with_its_size_and_modification_time_kept_is_rendered_again(workspace: dict[str, Path]) -> None:
    batch(workspace)
    victim = workspace["out"] / "dmpcd-2015-148" / "dmpcd-2015-148-decision-form.docx"
    assert Manifest.load(workspace["out"]).entries["dmpcd-2015-148/dmpcd-2015-148-decision-form.docx"].stamp, "the output was stamped"
    data, info = victim.read_bytes(), victim.stat()
    victim.write_bytes(data[:-1] + bytes([data[-1] ^ 1]))
    os.utime(victim, ns=(info.st_atime_ns, info.st_mtime_ns))
    report = batch(workspace)
    assert [r.key for r in report.rendered] == ["dmpcd-2015-148.yaml"]
    assert victim.read_bytes() == data


def test_inputs_are_found_as_rglob_finds_them(tmp_path: Path) -> None:
    """Whatever is named like an input, at any depth, in the order Paths sort; links to folders
    not followed (find_inputs walks the folder itself, faster than rglob)."""
    root = tmp_path / "inputs"
    for name in ("a.yaml", "b.yml", "c.yaml.txt", ".yaml", "d.YAML", "a-b.yaml", "a/b.yaml", "sub/e.yaml", "sub/deeper/f.yml", "x.y.yaml"):
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text("title: x\n", encoding="utf-8")
    (root / "g.yaml").mkdir()
    os.mkfifo(root / "p.yaml")
    (root / "l.yaml").symlink_to(root / "a.yaml")
    (root / "linked").symlink_to(root / "sub")
    expected = sorted(p for p in root.rglob("*") if p.suffix in {".yaml", ".yml"})
    assert len(expected) == 10
    assert find_inputs(root) == expected
    assert input_keys(root) == [(p, p.relative_to(root).as_posix()) for p in expected]
    assert find_inputs(tmp_path / "missing") == [] == find_inputs(root / "a.yaml")


def test_a_document_its_input_no_longer_makes_is_reported_then_pruned(workspace: dict[str, Path]) -> None:
    """A recipient dropped from a decision: its agreement is not left beside the others unremarked."""
    batch(workspace)
    source = workspace["inputs"] / "pcd-421-lcpf.yaml"
    text = source.read_text(encoding="utf-8")
    croydon = text[text.index("    - key: croydon") : text.index("  allocations:")]
    text = text.replace(croydon, "").replace("10663042.00", "11444372.00")
    text = text.replace("camden, croydon, other-boroughs]", "camden, other-boroughs]").replace("        - money: croydon\n", "")
    source.write_text(text, encoding="utf-8")
    name = "pcd-421-lcpf/pcd-421-lcpf-grant-agreement-croydon.docx"
    first = batch(workspace)
    assert [r.key for r in first.rendered] == ["pcd-421-lcpf.yaml"] and first.orphaned == [name]
    assert (workspace["out"] / name).exists(), "kept until --prune"
    assert batch(workspace).orphaned == [name], "still reported by the next batch"
    pruned = batch(workspace, prune=True)
    assert pruned.removed == [name] and not (workspace["out"] / name).exists()
    assert batch(workspace).orphaned == []


def test_a_broken_template_is_reported_once_with_the_inputs_it_blocks(workspace: dict[str, Path]) -> None:
    edit_template(workspace["templates"] / "mps-report.docx", "{{ report.title }}", "{{ report.title ( }}")
    report = batch(workspace)
    assert sorted(Path(r.source).name for r in report.failed) == ["ocs-grant-2023-24.yaml", "pcd-1284.yaml"]
    failures = [line.text for line in report.lines(dry_run=False, pdf=False) if line.text.startswith("failed:")]
    (failure,) = failures
    assert "mps-report.docx: word/document.xml: template syntax error" in failure
    assert failure.endswith(
        "blocks 2 inputs: " + ", ".join(str(workspace["inputs"] / n) for n in ("ocs-grant-2023-24.yaml", "pcd-1284.yaml"))
    )
    failures_json = report.as_dict()["failures"]
    assert isinstance(failures_json, list)
    assert [f["template"] for f in failures_json] == [str(workspace["templates"] / "mps-report.docx")] * 2


def test_a_style_only_template_edit_is_reported_as_formatting(workspace: dict[str, Path]) -> None:
    """More space before the report's numbered paragraphs: the reports and packs are rendered
    again, and each change says what changed in how they look and how many paragraphs it touches;
    `diff` lists it with --formatting and exits 1."""
    batch(workspace)
    old_pack = (workspace["out"] / "pcd-1284" / "pcd-1284-decision-pack.docx").read_bytes()
    style = '<w:style w:type="paragraph" w:styleId="ReportParagraph"><w:name w:val="Report Paragraph"/><w:basedOn w:val="Normal"/><w:qFormat/><w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="4"/></w:numPr><w:spacing w:before="120"'
    edit_part(
        workspace["templates"] / "mps-report.docx",
        lambda xml: xml.replace(style, style.replace('"120"', '"240"'), 1),
        part="word/styles.xml",
    )
    report = batch(workspace)
    changes = {c.path: c.summary for r in report.rendered for c in r.outputs}
    assert sorted(changes) == [
        "ocs-grant-2023-24/ocs-grant-2023-24-supporting-report.docx",
        "pcd-1284/pcd-1284-decision-pack.docx",
        "pcd-1284/pcd-1284-supporting-report.docx",
    ]
    for summary in changes.values():
        assert re.fullmatch(r"formatting: Report Paragraph: space before 6 pt → 12 pt \(\d+ paragraphs\)", summary), summary
    new_pack = workspace["out"] / "pcd-1284" / "pcd-1284-decision-pack.docx"
    old = workspace["out"] / "old-pack.docx"
    old.write_bytes(old_pack)
    result = runner.invoke(app, ["diff", str(old), str(new_pack), "--formatting"])
    assert result.exit_code == 1
    assert re.search(r"^formatting: Report Paragraph: space before 6 pt → 12 pt \(\d+ paragraphs\)$", result.stdout, re.M)
    plain = runner.invoke(app, ["diff", str(old), str(new_pack)])
    assert plain.exit_code == 1 and "1 formatting change (--formatting lists them)" in plain.stdout
    same = runner.invoke(app, ["diff", str(new_pack), str(new_pack)])
    assert same.exit_code == 0 and same.stdout.strip() == "no difference"


def test_deleted_input_is_reported_then_pruned(workspace: dict[str, Path]) -> None:
    batch(workspace)
    (workspace["inputs"] / "dmpcd-2015-148.yaml").unlink()
    report = batch(workspace)
    assert report.orphaned == ["dmpcd-2015-148/dmpcd-2015-148-decision-form.docx"]
    assert (workspace["out"] / report.orphaned[0]).exists()
    pruned = batch(workspace, prune=True)
    assert pruned.removed == ["dmpcd-2015-148/dmpcd-2015-148-decision-form.docx"]
    assert not (workspace["out"] / pruned.removed[0]).exists()
    assert "dmpcd-2015-148/dmpcd-2015-148-decision-form.docx" not in Manifest.load(workspace["out"]).entries


def test_dry_run_says_what_would_change_and_writes_nothing(workspace: dict[str, Path]) -> None:
    batch(workspace)
    before = snapshot(workspace["out"])
    edit_template(workspace["templates"] / "dmpcd-decision-v5-2014.docx", "If yes, for what reason:", "If yes, why:")
    report = batch(workspace, dry_run=True)
    assert changed_outputs(report) == ["dmpcd-2015-148/dmpcd-2015-148-decision-form.docx"]
    assert snapshot(workspace["out"]) == before


def test_failing_input_does_not_stop_the_others(workspace: dict[str, Path]) -> None:
    (workspace["inputs"] / "broken.yaml").write_text("reference: PCD 1\ntitel: x\n", encoding="utf-8")
    result = runner.invoke(
        app, ["batch", str(workspace["inputs"]), "--out", str(workspace["out"]), "--templates", str(workspace["templates"]), "--jobs", "2"]
    )
    assert result.exit_code == 1
    assert f"{workspace['inputs'] / 'broken.yaml'}:2:1: titel: unknown key 'titel' (did you mean 'title'?)" in result.stderr
    assert f"rendered {EXAMPLE_INPUTS}, unchanged 0, failed 1, removed 0" in result.stdout
    assert (workspace["out"] / "pcd-1284" / "pcd-1284-decision-pack.docx").is_file()


def test_a_batch_whose_inputs_all_fail_leaves_the_manifest_as_it_was(workspace: dict[str, Path]) -> None:
    """The manifest is saved only when something in it changed."""
    batch(workspace)
    before = snapshot(workspace["out"])
    (workspace["inputs"] / "broken.yaml").write_text("reference: PCD 1\ntitel: x\n", encoding="utf-8")
    report = batch(workspace)
    assert [Path(r.source).name for r in report.failed] == ["broken.yaml"]
    assert snapshot(workspace["out"]) == before


def test_the_report_keeps_what_it_says_not_the_manifest_entries(workspace: dict[str, Path]) -> None:
    """The batch holds an input's manifest entries once, in the manifest: its report keeps each
    input's changes and warnings, and each summary's text once."""
    report = batch(workspace)
    assert [r.entries for r in report.rendered] == [()] * EXAMPLE_INPUTS
    assert len(Manifest.load(workspace["out"]).entries) == len(example_documents())
    news = [o.summary for r in report.rendered for o in r.outputs]
    assert news == ["new"] * len(example_documents()) and all(s is news[0] for s in news)


def test_json_summary(workspace: dict[str, Path]) -> None:
    args = ["batch", str(workspace["inputs"]), "--out", str(workspace["out"]), "--templates", str(workspace["templates"]), "--json"]
    first = json.loads(runner.invoke(app, args).stdout)
    assert (first["rendered"], first["unchanged"], first["failed"]) == (EXAMPLE_INPUTS, 0, 0)
    assert {"output": "pcd-1284/pcd-1284-decision-form.docx", "summary": "new"} in first["changes"]
    second = json.loads(runner.invoke(app, args).stdout)
    assert (second["rendered"], second["unchanged"], second["changes"]) == (0, EXAMPLE_INPUTS, [])


def test_interrupted_write_leaves_the_old_file_and_no_temp(workspace: dict[str, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    batch(workspace)
    target = workspace["out"] / "dmpcd-2015-148" / "dmpcd-2015-148-decision-form.docx"
    old = target.read_bytes()

    def killed(*_: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr("generator.build.files.os.replace", killed)
    with pytest.raises(KeyboardInterrupt):
        files.write_atomic(target, b"half")
    assert target.read_bytes() == old
    assert [p.name for p in target.parent.iterdir()] == [target.name]


def test_outputs_missing_from_the_manifest_are_completed_next_run(workspace: dict[str, Path]) -> None:
    """What a kill -9 between writing outputs and saving the manifest leaves behind."""
    batch(workspace)
    manifest = Manifest.load(workspace["out"])
    del manifest.entries["pcd-1284/pcd-1284-decision-pack.docx"]
    manifest.save()
    report = batch(workspace)
    assert [r.key for r in report.rendered] == ["pcd-1284.yaml"]
    assert changed_outputs(report) == [], "the files on disk were already complete: nothing rewritten"
    assert "pcd-1284/pcd-1284-decision-pack.docx" in Manifest.load(workspace["out"]).entries


def test_manifest_saved_again_holds_each_entry_as_it_is_now(tmp_path: Path) -> None:
    """A manifest saved every second re-encodes only the entries that changed: one replaced
    since the last save must be written as it is now, a removed one not at all."""
    manifest = Manifest(OutputFolders.of(tmp_path))
    first = Entry("a.yaml", "1" * 64, {"t.docx": "2" * 64}, "g", "3" * 64, ["a/a.docx"])
    manifest.entries = {"a/a.docx": first, "b/b.docx": replace(first, input="b.yaml", siblings=["b/b.docx"])}
    manifest.save()
    manifest.entries["a/a.docx"] = replace(first, sha256="4" * 64)
    del manifest.entries["b/b.docx"]
    manifest.save()
    saved = json.loads((tmp_path / MANIFEST).read_text(encoding="utf-8"))
    assert saved["outputs"] == {"a/a.docx": asdict(replace(first, sha256="4" * 64))}
    assert Manifest.load(tmp_path).entries == manifest.entries


def test_same_input_gives_identical_bytes_in_another_process_at_another_time(workspace: dict[str, Path], tmp_path: Path) -> None:
    code = (
        "import sys, time; from pathlib import Path; from generator.build.generate import generate; "
        "time.sleep(float(sys.argv[3])); generate(Path(sys.argv[1]), out_dir=Path(sys.argv[2]))"
    )
    env = {**os.environ, "TZ": "Pacific/Auckland"}
    for out, delay in (("a", "0"), ("b", "1.1")):
        subprocess.run(
            [sys.executable, "-c", code, str(EXAMPLES / "pcd-1284.yaml"), str(tmp_path / out), delay], check=True, env=env, cwd=ROOT
        )
        env["TZ"] = "UTC"
    for name in ("pcd-1284-decision-form.docx", "pcd-1284-supporting-report.docx", "pcd-1284-decision-pack.docx"):
        assert (tmp_path / "a" / "pcd-1284" / name).read_bytes() == (tmp_path / "b" / "pcd-1284" / name).read_bytes(), name


def test_provenance_in_custom_properties(workspace: dict[str, Path]) -> None:
    batch(workspace)
    data = (workspace["out"] / "pcd-1284" / "pcd-1284-decision-pack.docx").read_bytes()
    props = custom_properties(data)
    entry = Manifest.load(workspace["out"]).entries["pcd-1284/pcd-1284-decision-pack.docx"]
    assert props["grantdocs.input_sha256"] == entry.input_sha256
    assert props["grantdocs.generator"] == entry.generator
    assert props["grantdocs.templates"] == ", ".join(f"{n} {s}" for n, s in entry.templates.items())
    assert list(entry.templates) == ["dmpc-decision-2022.docx", "mps-report.docx"]


def test_diff_command_shows_text_difference(workspace: dict[str, Path], tmp_path: Path) -> None:
    batch(workspace)
    old = tmp_path / "old.docx"
    shutil.copy(workspace["out"] / "dmpcd-2015-148" / "dmpcd-2015-148-decision-form.docx", old)
    edit_template(workspace["templates"] / "dmpcd-decision-v5-2014.docx", "If yes, for what reason:", "If yes, why:")
    batch(workspace)
    result = runner.invoke(app, ["diff", str(old), str(workspace["out"] / "dmpcd-2015-148" / "dmpcd-2015-148-decision-form.docx")])
    assert result.exit_code == 1, "like diff: 1 when the documents differ"
    assert "-[Normal] If yes, for what reason:" in result.stdout
    assert "+[Normal] If yes, why:" in result.stdout
    assert MANIFEST not in result.stdout


def test_editing_the_web_app_leaves_every_output_current() -> None:
    """The generator's fingerprint covers what can change a document (the build, the templates'
    views, the standard wording), not the web app above it."""
    names = [name for name, _ in fingerprinted()]
    assert "build/plan.py" in names and "domain/report/wording.yaml" in names and "docx/render.py" in names
    assert not [n for n in names if n.startswith("web/")]


def test_with_pdf_libreoffice_starts_while_the_batch_renders(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """A batch that will convert starts its LibreOffices (one per job) before rendering, so that
    they are ready when the documents are; a batch with nothing to render, or a dry run, does not."""
    events: list[str] = []
    monkeypatch.setattr("generator.build.batch.start_offices", lambda count: events.append(f"start {count}"))
    render = generate_module.render_input

    def rendering(*args: Any, **kwargs: Any) -> Any:
        events.append("render")
        return render(*args, **kwargs)

    def converting(docs: list[Path], **options: Any) -> PdfReport:
        events.append("convert")
        return PdfReport(made=[], failed=[(doc, "not converted here") for doc in docs])

    monkeypatch.setattr("generator.build.workers.render_input", rendering)
    monkeypatch.setattr("generator.build.batch.convert_many", converting)
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    shutil.copy(EXAMPLES / "pcd-1284.yaml", inputs)
    run_batch(inputs, out_dir=tmp_path / "out", jobs=1, pdf=True)
    assert events == ["start 1", "render", "convert"]
    events.clear()
    run_batch(inputs, out_dir=tmp_path / "out", jobs=1, pdf=True)
    assert events == ["convert"], "nothing to render: LibreOffice is started by the conversion, if any"
    events.clear()
    (inputs / "pcd-1284.yaml").write_text((inputs / "pcd-1284.yaml").read_text(encoding="utf-8") + "\n", encoding="utf-8")
    run_batch(inputs, out_dir=tmp_path / "out", jobs=1, pdf=True, dry_run=True)
    assert events == ["render"]


def test_a_batch_in_this_process_collects_young_objects_less_often_and_gives_the_collector_back(
    workspace: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    from generator.build import workers

    before, seen = gc.get_threshold(), []
    run = workers._run

    def watched(task: workers.Task) -> InputResult:
        seen.append((gc.get_threshold(), gc.get_freeze_count() > 0))
        return run(task)

    monkeypatch.setattr(workers, "_run", watched)
    report = batch(workspace)
    assert report.rendered and not report.failed
    assert seen and all(threshold[0] == workers._YOUNG_OBJECTS and frozen for threshold, frozen in seen)
    assert gc.get_threshold() == before and gc.get_freeze_count() == 0
