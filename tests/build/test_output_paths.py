"""Every path stays inside --out: input names and the manifest are untrusted, links are not followed."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli import app
from generator.build.batch import run_batch
from generator.build.files import inside, read_regular
from generator.build.generate import MAX_STEM_CHARS, generate
from generator.build.manifest import MANIFEST, Manifest
from generator.errors import InputError
from tests.conftest import MINIMAL, ROOT

runner = CliRunner()


def _tree(folder: Path) -> dict[str, bytes | str]:
    """Everything under `folder`: files by content, links by target (never followed)."""
    found: dict[str, bytes | str] = {}
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder).as_posix()
        if path.is_symlink():
            found[rel] = f"-> {os.readlink(path)}"
        elif path.is_file():
            found[rel] = path.read_bytes()
    return found


@pytest.fixture
def ws(tmp_path: Path) -> dict[str, Path]:
    """Inputs, an output folder, and a neighbour folder that nothing may touch."""
    inputs, out, outside = tmp_path / "inputs", tmp_path / "out", tmp_path / "outside"
    inputs.mkdir()
    outside.mkdir()
    shutil.copy(MINIMAL, inputs / "minimal.yaml")
    (outside / "victim.docx").write_bytes(b"not yours")
    (outside / "minimal-decision-form.docx").write_bytes(b"not yours either")
    return {"inputs": inputs, "out": out, "outside": outside, "root": tmp_path}


# ------------------------------------------------------------------------------ input names

BAD_NAMES = [
    ("....yaml", "is only dots"),
    ("line\nbreak.yaml", "holds a line break or control character"),
    ("bell\x07.yaml", "holds a line break or control character"),
    ("back\\slash.yaml", "holds a backslash"),
    ("x" * (MAX_STEM_CHARS + 1) + ".yaml", f"more than the {MAX_STEM_CHARS} its documents' names allow"),
]


@pytest.mark.parametrize(("name", "why"), BAD_NAMES)
def test_an_input_whose_name_cannot_name_its_outputs_fails_alone(ws: dict[str, Path], name: str, why: str) -> None:
    shutil.copy(MINIMAL, ws["inputs"] / name)
    result = runner.invoke(app, ["batch", str(ws["inputs"]), "--out", str(ws["out"]), "--jobs", "1"])
    assert result.exit_code == 1, result.output
    assert why in result.output
    failure = next(line for line in result.output.splitlines() if why in line)
    assert "\n" not in failure and "\x07" not in failure, "the name is escaped on one line"
    assert (ws["out"] / "minimal" / "minimal-decision-form.docx").is_file(), "the other input still renders"
    written = {p.relative_to(ws["out"]).parts[0] for p in ws["out"].rglob("*.docx")}
    assert written == {"minimal"}


@pytest.mark.parametrize(("name", "why"), BAD_NAMES[:3])
def test_generate_refuses_the_same_names(ws: dict[str, Path], name: str, why: str) -> None:
    source = ws["inputs"] / name
    shutil.copy(MINIMAL, source)
    with pytest.raises(InputError, match=why):
        generate(source, out_dir=ws["out"])
    assert not ws["out"].exists()


def test_two_inputs_writing_the_same_outputs_are_an_error_naming_both(ws: dict[str, Path]) -> None:
    shutil.copy(MINIMAL, ws["inputs"] / "twin.yaml")
    shutil.copy(MINIMAL, ws["inputs"] / "twin.yml")
    report = run_batch(ws["inputs"], out_dir=ws["out"], jobs=1)
    failed = {Path(r.source).name: r.error or "" for r in report.failed}
    assert set(failed) == {"twin.yaml", "twin.yml"}
    assert "twin.yml would write the same documents (twin/…)" in failed["twin.yaml"]
    assert "twin.yaml would write the same documents (twin/…)" in failed["twin.yml"]
    assert not (ws["out"] / "twin").exists()
    assert [r.key for r in report.rendered] == ["minimal.yaml"]


# ------------------------------------------------------------------------------ the manifest


def _orphan_manifest(out: Path, names: list[str], sha: str = "0" * 64) -> None:
    entry = {"input": "gone.yaml", "input_sha256": sha, "templates": {}, "generator": "g", "sha256": sha, "siblings": names}
    out.mkdir(parents=True, exist_ok=True)
    (out / MANIFEST).write_text(json.dumps({"format": 1, "outputs": dict.fromkeys(names, entry)}), encoding="utf-8")


def test_prune_never_follows_a_manifest_name_out_of_the_folder(ws: dict[str, Path]) -> None:
    victim = ws["outside"] / "victim.docx"
    sha = hashlib.sha256(victim.read_bytes()).hexdigest()
    names = ["../outside/victim.docx", str(victim), "a/../../outside/victim.docx", "~/victim.docx", "./../outside/victim.docx"]
    _orphan_manifest(ws["out"], names, sha)
    before = _tree(ws["outside"])
    report = run_batch(ws["inputs"], out_dir=ws["out"], jobs=1, prune=True)
    assert _tree(ws["outside"]) == before
    assert report.removed == [] and report.orphaned == [], "names that could lead out are not grantdocs' outputs"
    assert Manifest.load(ws["out"]).entries.keys() == {"minimal/minimal-decision-form.docx"}


def test_prune_keeps_a_file_changed_since_grantdocs_wrote_it(ws: dict[str, Path]) -> None:
    spare = ws["inputs"] / "spare.yaml"
    shutil.copy(MINIMAL, spare)
    run_batch(ws["inputs"], out_dir=ws["out"], jobs=1)
    edited, untouched = ws["out"] / "spare" / "spare-decision-form.docx", ws["out"] / "minimal" / "minimal-decision-form.docx"
    edited.write_bytes(edited.read_bytes() + b"an officer's edit")
    spare.unlink()
    shutil.copy(MINIMAL, ws["inputs"] / "other.yaml")
    (ws["inputs"] / "minimal.yaml").unlink()
    result = runner.invoke(app, ["batch", str(ws["inputs"]), "--out", str(ws["out"]), "--prune", "--jobs", "1"])
    assert result.exit_code == 0, result.output
    assert edited.is_file(), "an edited file is not grantdocs' to remove"
    assert not untouched.exists(), "an orphan as grantdocs wrote it is removed"
    assert "kept: spare/spare-decision-form.docx (changed since grantdocs wrote it" in result.output
    assert "removed: minimal/minimal-decision-form.docx" in result.output


def test_a_manifest_entry_of_the_wrong_shape_is_ignored_not_trusted(ws: dict[str, Path]) -> None:
    ws["out"].mkdir()
    (ws["out"] / MANIFEST).write_text(
        json.dumps({"format": 1, "outputs": {"x/x.docx": {"input": 1, "sha256": []}, "y/y.docx": "z", "z/z.txt": {}}}), encoding="utf-8"
    )
    assert Manifest.load(ws["out"]).entries == {}
    report = run_batch(ws["inputs"], out_dir=ws["out"], jobs=1, prune=True)
    assert report.failed == [] and [r.key for r in report.rendered] == ["minimal.yaml"]


# ------------------------------------------------------------------------------ links


def test_a_linked_output_folder_is_not_written_through(ws: dict[str, Path]) -> None:
    ws["out"].mkdir()
    (ws["out"] / "minimal").symlink_to(ws["outside"])
    before = _tree(ws["outside"])
    report = run_batch(ws["inputs"], out_dir=ws["out"], jobs=1)
    assert _tree(ws["outside"]) == before
    (failure,) = report.failed
    assert "it is a symbolic link" in (failure.error or "")


def test_a_linked_output_file_is_neither_followed_nor_replaced(ws: dict[str, Path]) -> None:
    folder = ws["out"] / "minimal"
    folder.mkdir(parents=True)
    fifo = ws["outside"] / "pipe"
    os.mkfifo(fifo)  # following it would block the batch forever
    (folder / "minimal-decision-form.docx").symlink_to(fifo)
    before = _tree(ws["outside"])
    report = run_batch(ws["inputs"], out_dir=ws["out"], jobs=1)
    (failure,) = report.failed
    assert "minimal-decision-form.docx: it is a symbolic link (remove it, or choose another --out)" in (failure.error or "")
    assert (folder / "minimal-decision-form.docx").is_symlink(), "someone's link is theirs to remove"
    assert _tree(ws["outside"]) == before


def test_a_recorded_output_replaced_by_a_link_is_not_current_and_never_read(ws: dict[str, Path]) -> None:
    run_batch(ws["inputs"], out_dir=ws["out"], jobs=1)
    output = ws["out"] / "minimal" / "minimal-decision-form.docx"
    (ws["outside"] / "copy.docx").write_bytes(output.read_bytes())
    output.unlink()
    output.symlink_to(ws["outside"] / "copy.docx")
    before = _tree(ws["outside"])
    report = run_batch(ws["inputs"], out_dir=ws["out"], jobs=1)
    assert report.unchanged == [], "a link is not the output grantdocs recorded, even to the same bytes"
    assert "it is a symbolic link" in (report.failed[0].error or "")
    assert _tree(ws["outside"]) == before


def test_prune_does_not_remove_through_a_linked_folder(ws: dict[str, Path]) -> None:
    ws["out"].mkdir()
    (ws["out"] / "linked").symlink_to(ws["outside"])
    victim = ws["outside"] / "victim.docx"
    _orphan_manifest(ws["out"], ["linked/victim.docx"], hashlib.sha256(victim.read_bytes()).hexdigest())
    run_batch(ws["inputs"], out_dir=ws["out"], jobs=1, prune=True)
    assert victim.read_bytes() == b"not yours"


@pytest.mark.parametrize("name", ["../x.docx", "/etc/x.docx", "a/../../x.docx", "", "a\x00b.docx", "a\nb.docx"])
def test_inside_refuses_a_name_that_could_lead_out(tmp_path: Path, name: str) -> None:
    with pytest.raises(Exception, match="refusing the output path"):
        inside(tmp_path, name)


def test_read_regular_reads_no_link_no_fifo_and_nothing_past_its_limit(tmp_path: Path) -> None:
    (tmp_path / "file").write_bytes(b"12345")
    (tmp_path / "link").symlink_to(tmp_path / "file")
    os.mkfifo(tmp_path / "fifo")
    assert read_regular(tmp_path / "file") == b"12345"
    assert read_regular(tmp_path / "file", limit=4) is None
    assert read_regular(tmp_path / "link") is None
    assert read_regular(tmp_path / "fifo") is None
    assert read_regular(tmp_path / "missing") is None


@pytest.mark.parametrize(("umask", "mode"), [(0o022, 0o644), (0o027, 0o640), (0o002, 0o664)])
def test_outputs_and_manifest_get_the_users_umask(ws: dict[str, Path], umask: int, mode: int) -> None:
    script = f"import os, sys; os.umask({umask}); from cli import main; sys.argv = ['grantdocs', *sys.argv[1:]]; main()"
    command = [sys.executable, "-c", script, "batch", str(ws["inputs"]), "--out", str(ws["out"]), "--jobs", "1"]
    subprocess.run(command, cwd=ROOT, check=True, capture_output=True, timeout=120)
    for path in (ws["out"] / "minimal" / "minimal-decision-form.docx", ws["out"] / MANIFEST):
        assert stat.S_IMODE(path.stat().st_mode) == mode, path


def test_the_lock_and_manifest_are_not_followed_through_links(ws: dict[str, Path]) -> None:
    ws["out"].mkdir()
    (ws["out"] / ".grantdocs-lock").symlink_to(ws["outside"] / "created-by-a-lock")
    result = runner.invoke(app, ["batch", str(ws["inputs"]), "--out", str(ws["out"]), "--jobs", "1"])
    assert result.exit_code == 1 and "refusing to lock" in result.stderr and "it is a symbolic link" in result.stderr
    assert not (ws["outside"] / "created-by-a-lock").exists()
    (ws["out"] / ".grantdocs-lock").unlink()
    os.mkfifo(ws["outside"] / "manifest-pipe")
    (ws["out"] / MANIFEST).symlink_to(ws["outside"] / "manifest-pipe")  # read through, it would block the batch
    report = run_batch(ws["inputs"], out_dir=ws["out"], jobs=1)
    assert [r.key for r in report.rendered] == ["minimal.yaml"]
    assert (ws["outside"] / "manifest-pipe").exists() and not (ws["out"] / MANIFEST).is_symlink()
