"""Part 2 goes to a confidential folder apart from the output folder, whatever writes it; a
confidential folder overlapping the output folder is refused before anything is written."""

from __future__ import annotations

import hashlib
import json
import shutil
from dataclasses import replace
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli import app
from generator.build.batch import run_batch
from generator.build.generate import generate
from generator.build.manifest import MANIFEST, Manifest
from generator.build.manifest_entry import Entry
from generator.build.output_folders import CONFIDENTIAL, OutputFolders, default_confidential
from generator.errors import OutputError
from tests.conftest import EXAMPLES, FIXTURES, ROOT
from tests.support.fidelity import need_libreoffice

runner = CliRunner()
PART_2 = FIXTURES / "inputs" / "part-2.yaml"
PART_1_NAMES = ["part-2-decision-form.docx", "part-2-supporting-report.docx", "part-2-decision-pack.docx", "part-2-grant-agreement.docx"]
FUND = "pcd-1760-shared-endeavour-fund"


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.parametrize(
    ("out", "confidential"),
    [("outputs", "outputs-confidential"), ("a/b/out", "a/b/out-confidential"), ("/tmp/x/out/", "/tmp/x/out-confidential")],
)
def test_the_default_confidential_folder_is_beside_the_output_folder(out: str, confidential: str) -> None:
    assert default_confidential(Path(out)) == Path(confidential)


def test_the_default_confidential_folder_of_the_current_folder_is_beside_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert default_confidential(Path(".")) == tmp_path.with_name(f"{tmp_path.name}-confidential")


def test_generate_writes_part_2_to_the_confidential_folder_only(tmp_path: Path) -> None:
    built = generate(PART_2, out_dir=tmp_path / "out")
    assert sorted(p.name for p in (tmp_path / "out" / "part-2").iterdir()) == sorted(PART_1_NAMES)
    assert [p.relative_to(tmp_path).as_posix() for p in (tmp_path / "out-confidential").rglob("*")] == [
        "out-confidential/part-2",
        "out-confidential/part-2/part-2-part-2.docx",
    ]
    assert tmp_path / "out-confidential" / "part-2" / "part-2-part-2.docx" in built.outputs


def test_generate_cli_takes_the_confidential_folder_it_is_given(tmp_path: Path) -> None:
    out, confidential = tmp_path / "public" / "out", tmp_path / "secret"
    result = runner.invoke(app, ["generate", str(PART_2), "--out", str(out), "--confidential", str(confidential)])
    assert result.exit_code == 0, result.stderr
    assert f"-> {confidential / 'part-2' / 'part-2-part-2.docx'}" in result.stdout
    assert sorted(_files(confidential)) == ["part-2/part-2-part-2.docx"]
    assert sorted(_files(out)) == [f"part-2/{name}" for name in sorted(PART_1_NAMES)]
    assert not (tmp_path / "public" / "out-confidential").exists(), "the default is not used beside it as well"


def test_only_part_2_writes_nothing_into_the_output_folder(tmp_path: Path) -> None:
    (path,) = generate(PART_2, out_dir=tmp_path / "out", only="part-2").outputs
    assert path == tmp_path / "out-confidential" / "part-2" / "part-2-part-2.docx"
    assert not (tmp_path / "out").exists()


# ------------------------------------------------------------------------------ refusals


def _overlapping(tmp_path: Path) -> list[tuple[Path, str]]:
    out = tmp_path / "out"
    (tmp_path / "link").symlink_to(out, target_is_directory=True)
    return [
        (out, "is"),
        (out / "secret", "is inside"),
        (tmp_path, "holds"),
        (tmp_path / "link", "is"),  # the same folder through a link
        (tmp_path / "link" / "secret", "is inside"),
    ]


@pytest.mark.parametrize("case", range(5))
@pytest.mark.parametrize("command", ["generate", "batch"])
def test_a_confidential_folder_overlapping_the_output_folder_is_refused(tmp_path: Path, command: str, case: int) -> None:
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    shutil.copy(PART_2, inputs / "part-2.yaml")
    confidential, how = _overlapping(tmp_path)[case]
    before = _files(tmp_path)
    source = [str(inputs / "part-2.yaml")] if command == "generate" else [str(inputs)]
    result = runner.invoke(app, [command, *source, "--out", str(tmp_path / "out"), "--confidential", str(confidential)])
    assert result.exit_code == 1, result.output
    assert f"refusing --confidential {confidential}: it {how} the output folder {tmp_path / 'out'}" in result.stderr
    assert "Part 2 must be kept apart from the documents to publish" in result.stderr
    assert "Traceback" not in result.output
    assert _files(tmp_path) == before and not (tmp_path / "out").exists(), "nothing written"


def test_the_refusal_stands_in_the_api_too(tmp_path: Path) -> None:
    with pytest.raises(OutputError, match="it is inside the output folder"):
        generate(PART_2, out_dir=tmp_path, confidential_dir=tmp_path / "c")
    with pytest.raises(OutputError, match="it holds the output folder"):
        run_batch(EXAMPLES, out_dir=tmp_path / "out", confidential_dir=tmp_path, jobs=1)
    assert list(tmp_path.iterdir()) == []


# ------------------------------------------------------------------------------ the batch


@pytest.fixture
def ws(tmp_path: Path) -> dict[str, Path]:
    inputs = tmp_path / "inputs"
    shutil.copytree(EXAMPLES, inputs)
    (inputs / "sub").mkdir()
    shutil.copy(PART_2, inputs / "sub" / "part-2.yaml")
    return {"inputs": inputs, "out": tmp_path / "out", "confidential": tmp_path / "secret", "root": tmp_path}


def _batch(ws: dict[str, Path]) -> list[str]:
    report = run_batch(ws["inputs"], out_dir=ws["out"], confidential_dir=ws["confidential"], jobs=1)
    assert report.failed == []
    return sorted(change.path for result in report.rendered for change in result.outputs)


def test_a_batch_writes_every_part_2_to_the_confidential_folder_mirroring_the_inputs(ws: dict[str, Path]) -> None:
    changed = _batch(ws)
    assert [name for name in changed if name.startswith(CONFIDENTIAL)] == [
        f"{CONFIDENTIAL}{FUND}/{FUND}-part-2.docx",
        f"{CONFIDENTIAL}sub/part-2/part-2-part-2.docx",
    ]
    assert sorted(_files(ws["confidential"])) == [".grantdocs-lock", f"{FUND}/{FUND}-part-2.docx", "sub/part-2/part-2-part-2.docx"]
    assert not [name for name in _files(ws["out"]) if name.endswith("-part-2.docx")]
    assert sorted(_files(ws["out"] / "sub" / "part-2")) == sorted(PART_1_NAMES)


def test_a_rerun_writes_nothing_in_either_folder(ws: dict[str, Path]) -> None:
    _batch(ws)
    stamps = {p: (p.stat().st_mtime_ns, p.read_bytes()) for f in ("out", "confidential") for p in ws[f].rglob("*") if p.is_file()}
    assert _batch(ws) == []
    assert {p: (p.stat().st_mtime_ns, p.read_bytes()) for f in ("out", "confidential") for p in ws[f].rglob("*") if p.is_file()} == stamps


def test_a_hand_edited_or_deleted_part_2_is_rendered_again(ws: dict[str, Path]) -> None:
    _batch(ws)
    part_2 = ws["confidential"] / "sub" / "part-2" / "part-2-part-2.docx"
    good = part_2.read_bytes()
    part_2.write_bytes(b"edited")
    assert _batch(ws) == [f"{CONFIDENTIAL}sub/part-2/part-2-part-2.docx"]
    part_2.unlink()
    assert _batch(ws) == [f"{CONFIDENTIAL}sub/part-2/part-2-part-2.docx"]
    assert part_2.read_bytes() == good


def test_a_deleted_inputs_part_2_is_orphaned_then_pruned_from_the_confidential_folder(ws: dict[str, Path]) -> None:
    _batch(ws)
    (ws["inputs"] / "sub" / "part-2.yaml").unlink()
    name = f"{CONFIDENTIAL}sub/part-2/part-2-part-2.docx"
    report = run_batch(ws["inputs"], out_dir=ws["out"], confidential_dir=ws["confidential"], jobs=1)
    assert name in report.orphaned and (ws["confidential"] / "sub" / "part-2" / "part-2-part-2.docx").is_file()
    pruned = run_batch(ws["inputs"], out_dir=ws["out"], confidential_dir=ws["confidential"], jobs=1, prune=True)
    assert name in pruned.removed and f"removed: {name}" in [line.text for line in pruned.lines(dry_run=False, pdf=False)]
    assert not (ws["confidential"] / "sub" / "part-2" / "part-2-part-2.docx").exists()
    assert (ws["confidential"] / FUND / f"{FUND}-part-2.docx").is_file(), "the other input's Part 2 stays"


def test_prune_never_follows_a_confidential_name_out_of_its_folder(ws: dict[str, Path]) -> None:
    outside = ws["root"] / "outside"
    outside.mkdir()
    victim = outside / "victim.docx"
    victim.write_bytes(b"not yours")
    sha = hashlib.sha256(victim.read_bytes()).hexdigest()
    names = [f"{CONFIDENTIAL}../outside/victim.docx", f"{CONFIDENTIAL}{victim}", f"{CONFIDENTIAL}a/../../outside/victim.docx"]
    entry = {"input": "gone.yaml", "input_sha256": sha, "templates": {}, "generator": "g", "sha256": sha, "siblings": names}
    ws["out"].mkdir()
    (ws["out"] / MANIFEST).write_text(json.dumps({"format": 1, "outputs": dict.fromkeys(names, entry)}), encoding="utf-8")
    report = run_batch(ws["inputs"], out_dir=ws["out"], confidential_dir=ws["confidential"], jobs=1, prune=True)
    assert victim.read_bytes() == b"not yours"
    assert report.removed == [] and report.orphaned == [], "names that could lead out are not grantdocs' outputs"


def test_a_part_2_an_older_grantdocs_left_in_the_output_folder_is_moved_out(ws: dict[str, Path]) -> None:
    """An output folder from before the confidential folder: the Part 2 beside the documents to
    publish is removed (as grantdocs wrote it, so nothing is lost: its new copy is in the
    confidential folder), without --prune."""
    _batch(ws)
    manifest = Manifest.load(ws["out"], ws["confidential"])
    new, old = f"{CONFIDENTIAL}sub/part-2/part-2-part-2.docx", "sub/part-2/part-2-part-2.docx"
    shutil.move(ws["confidential"] / "sub" / "part-2" / "part-2-part-2.docx", ws["out"] / old)
    entries = manifest.entries

    def older(entry: Entry) -> Entry:  # as the older grantdocs recorded it: made by another generator, Part 2 beside the others
        return replace(entry, generator="older", siblings=[old if s == new else s for s in entry.siblings])

    manifest.entries = {(old if n == new else n): older(e) if e.input == "sub/part-2.yaml" else e for n, e in entries.items()}
    manifest.save()
    report = run_batch(ws["inputs"], out_dir=ws["out"], confidential_dir=ws["confidential"], jobs=1)
    assert report.removed == [old] and report.orphaned == []
    assert not (ws["out"] / old).exists()
    assert (ws["confidential"] / "sub" / "part-2" / "part-2-part-2.docx").is_file()
    assert set(Manifest.load(ws["out"], ws["confidential"]).entries) == set(entries)


def test_an_input_named_like_a_confidential_output_is_refused(ws: dict[str, Path]) -> None:
    odd = ws["inputs"] / f"{CONFIDENTIAL}x"
    odd.mkdir()
    shutil.copy(PART_2, odd / "part-2.yaml")
    report = run_batch(ws["inputs"], out_dir=ws["out"], confidential_dir=ws["confidential"], jobs=1)
    (failed,) = report.failed
    assert f"its path starts with {CONFIDENTIAL!r}" in (failed.error or "")
    assert not (ws["out"] / f"{CONFIDENTIAL}x").exists()


def test_batch_cli_default_confidential_folder_and_json_names(tmp_path: Path) -> None:
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    shutil.copy(PART_2, inputs / "part-2.yaml")
    result = runner.invoke(app, ["batch", str(inputs), "--out", str(tmp_path / "out"), "--json"])
    assert result.exit_code == 0, result.stderr
    changes = [c["output"] for c in json.loads(result.stdout)["changes"]]
    assert changes == [f"part-2/{name}" for name in PART_1_NAMES] + [f"{CONFIDENTIAL}part-2/part-2-part-2.docx"]
    assert (tmp_path / "out-confidential" / "part-2" / "part-2-part-2.docx").is_file()
    assert OutputFolders.of(tmp_path / "out").path(changes[-1]) == tmp_path / "out-confidential" / "part-2" / "part-2-part-2.docx"


def test_the_confidential_folder_is_never_committed() -> None:
    ignored = (ROOT / ".gitignore").read_text(encoding="utf-8").splitlines()
    assert "outputs-confidential/" in ignored, "make run writes Part 2 there: it must not reach the repository"


def test_a_part_2_pdf_goes_beside_its_docx_in_the_confidential_folder(tmp_path: Path) -> None:
    need_libreoffice()
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    shutil.copy(PART_2, inputs / "part-2.yaml")
    report = run_batch(inputs, out_dir=tmp_path / "out", jobs=1, pdf=True)
    assert report.pdf_failed == [] and report.pdf_error is None
    assert f"{CONFIDENTIAL}part-2/part-2-part-2.pdf" in report.pdfs
    assert sorted(_files(tmp_path / "out-confidential")) == [".grantdocs-lock", "part-2/part-2-part-2.docx", "part-2/part-2-part-2.pdf"]
    assert not [name for name in _files(tmp_path / "out") if name.endswith("part-2-part-2.pdf")]
    again = run_batch(inputs, out_dir=tmp_path / "out", jobs=1, pdf=True)
    assert again.pdfs == [], "a rerun converts nothing: the confidential PDF is recorded as current"
