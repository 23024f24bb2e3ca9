"""One bad thing fails alone: an input that is a pipe, a device, a folder or too large, or a damaged
previous output, is a one-line problem; the rest of the batch completes, and the run exits 1."""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest

from generator.build import files, workers
from generator.build.batch import run_batch
from generator.build.files import TEMP_SUFFIX
from generator.build.generate import render_input
from generator.inputs.source import MAX_BYTES
from tests.conftest import EXAMPLES, MINIMAL, ROOT


def _batch_cli(inputs: Path, out: Path) -> subprocess.CompletedProcess[str]:
    """The real command, in its own process with a time limit: a pipe that blocked it would hang a test."""
    command = [sys.executable, str(ROOT / "cli.py"), "batch", str(inputs), "--out", str(out), "--jobs", "2"]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, check=False, cwd=ROOT)


def _special(inputs: Path, kind: str) -> str:
    """Put a bad input of `kind` into `inputs`; what its failure line says."""
    if kind == "fifo":
        os.mkfifo(inputs / "pipe.yaml")
        return "pipe.yaml:1:1: (file): not a regular file but a pipe (FIFO): an input is a YAML file"
    if kind == "device":
        (inputs / "zero.yaml").symlink_to("/dev/zero")
        return "zero.yaml:1:1: (file): not a regular file but a device: an input is a YAML file"
    if kind == "folder":
        (inputs / "folder.yaml").mkdir()
        return "folder.yaml:1:1: (file): a folder, not an input file"
    if kind == "huge":
        with open(inputs / "huge.yaml", "wb") as handle:  # sparse: no disk is used
            handle.truncate(MAX_BYTES * 20)
        return f"huge.yaml:1:1: (file): larger than the {MAX_BYTES // 1_000_000} MB an input may be"
    if kind == "dangling":
        (inputs / "gone.yaml").symlink_to(inputs / "nowhere.yaml")
        return "gone.yaml:1:1: (file): no such file"
    raise AssertionError(kind)


@pytest.mark.parametrize("kind", ["fifo", "device", "folder", "huge", "dangling"])
def test_a_special_input_fails_alone_and_the_batch_completes(tmp_path: Path, kind: str) -> None:
    inputs, out = tmp_path / "inputs", tmp_path / "out"
    inputs.mkdir()
    shutil.copy(MINIMAL, inputs / "good.yaml")
    shutil.copy(MINIMAL, inputs / "also-good.yaml")
    says = _special(inputs, kind)
    result = _batch_cli(inputs, out)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    failures = [line for line in result.stderr.splitlines() if says in line]
    assert len(failures) == 1, result.stderr
    assert (out / "good" / "good-decision-form.docx").is_file() and (out / "also-good" / "also-good-decision-form.docx").is_file()
    assert "rendered 2" in result.stdout, result.stdout


def _bad_zip(path: Path) -> None:
    path.write_bytes(b"PK\x03\x04" + b"\0" * 100)


def _bad_deflate(path: Path) -> None:
    data = bytearray(path.read_bytes())
    start = data.index(b"word/document.xml") + 60
    data[start : start + 300] = bytes(300)
    path.write_bytes(bytes(data))


def _bad_xml(path: Path) -> None:
    with zipfile.ZipFile(path) as archive:
        members = [(info.filename, archive.read(info)) for info in archive.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members:
            archive.writestr(name, b"<w:document><unclosed" if name == "word/document.xml" else data)


@pytest.mark.parametrize("damage", [_bad_zip, _bad_deflate, _bad_xml], ids=["bad zip", "bad deflate", "bad XML"])
def test_a_damaged_previous_output_is_replaced_and_said(tmp_path: Path, damage: object) -> None:
    inputs, out = tmp_path / "inputs", tmp_path / "out"
    inputs.mkdir()
    shutil.copy(MINIMAL, inputs / "good.yaml")
    shutil.copy(MINIMAL, inputs / "other.yaml")
    run_batch(inputs, out_dir=out, jobs=1)
    victim = out / "good" / "good-decision-form.docx"
    damage(victim)  # type: ignore[operator]
    report = run_batch(inputs, out_dir=out, jobs=1)
    assert report.failed == []
    (result,) = report.rendered
    assert [(o.path, o.summary) for o in result.outputs] == [
        ("good/good-decision-form.docx", "replaced a file that was not a readable document")
    ]
    with zipfile.ZipFile(victim) as archive:
        assert archive.testzip() is None, "whole again"
    assert [r.key for r in report.unchanged] == ["other.yaml"]


def test_a_fault_grantdocs_did_not_foresee_fails_its_input_alone(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    inputs, out = tmp_path / "inputs", tmp_path / "out"
    inputs.mkdir()
    shutil.copy(MINIMAL, inputs / "cursed.yaml")
    shutil.copy(MINIMAL, inputs / "fine.yaml")
    real = render_input

    def render(source: Path, **options: Any) -> Any:
        if source.stem == "cursed":
            raise RuntimeError("a bug\nover two lines")
        return real(source, **options)

    monkeypatch.setattr(workers, "render_input", render)
    report = run_batch(inputs, out_dir=out, jobs=1)
    (failed,) = report.failed
    assert failed.error == (
        f"{inputs / 'cursed.yaml'}: grantdocs failed unexpectedly on this input (RuntimeError: a bug\\nover two lines); please report it"
    )
    assert [r.key for r in report.rendered] == ["fine.yaml"]


# ------------------------------------------------------------------ an input's documents change together


@pytest.fixture
def retitled(tmp_path: Path) -> tuple[Path, Path, dict[str, bytes]]:
    """Examples rendered once, then pcd-1284's title changed, so that all four of its documents change."""
    inputs, out = tmp_path / "inputs", tmp_path / "out"
    shutil.copytree(EXAMPLES, inputs)
    run_batch(inputs, out_dir=out, jobs=1)
    before = {p.name: p.read_bytes() for p in (out / "pcd-1284").iterdir()}
    assert len(before) == 4
    source = inputs / "pcd-1284.yaml"
    source.write_text(
        source.read_text(encoding="utf-8").replace("title: Home Office Grant", "title: Home Office Award", 1), encoding="utf-8"
    )
    return inputs, out, before


@pytest.mark.parametrize("fails_at", [1, 3])
def test_a_write_failing_midway_replaces_none_of_the_inputs_documents(
    retitled: tuple[Path, Path, dict[str, bytes]], monkeypatch: pytest.MonkeyPatch, fails_at: int
) -> None:
    inputs, out, before = retitled
    real, calls = files._new_temp, []

    def full(path: Path) -> tuple[int, str]:
        calls.append(path)
        if len(calls) == fails_at + 1:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(path)

    monkeypatch.setattr(files, "_new_temp", full)
    report = run_batch(inputs, out_dir=out, jobs=1, force=False)
    (failed,) = report.failed
    assert failed.key == "pcd-1284.yaml" and "the disk is full" in (failed.error or "")
    assert {p.name: p.read_bytes() for p in (out / "pcd-1284").iterdir()} == before, "all old, no temp left"


def test_a_rename_failing_midway_puts_back_those_already_replaced(
    retitled: tuple[Path, Path, dict[str, bytes]], monkeypatch: pytest.MonkeyPatch
) -> None:
    inputs, out, before = retitled
    real, renames = os.replace, []

    def flaky(src: Any, dst: Any) -> None:
        if str(src).endswith(TEMP_SUFFIX) and ".old" not in str(src) and "pcd-1284" in str(dst):
            renames.append(dst)
            if len(renames) == 3:
                raise OSError(errno.EIO, "Input/output error")
        real(src, dst)

    monkeypatch.setattr("generator.build.files.os.replace", flaky)
    report = run_batch(inputs, out_dir=out, jobs=1)
    (failed,) = report.failed
    assert failed.key == "pcd-1284.yaml" and "Input/output error" in (failed.error or "")
    assert len(renames) == 3, "two documents were replaced before the third failed"
    assert {p.name: p.read_bytes() for p in (out / "pcd-1284").iterdir()} == before, "and both were put back"
    monkeypatch.undo()
    again = run_batch(inputs, out_dir=out, jobs=1)
    assert [r.key for r in again.rendered] == ["pcd-1284.yaml"] and not again.failed
