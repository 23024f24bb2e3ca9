"""kill -9 during a batch: no broken .docx or .pdf, no manifest entry for an unwritten file, and
the next batch completes the work with outputs byte-identical to a clean run.

The kills are real: a batch runs in its own process and is sent SIGKILL, either at a chosen
write (just before or just after a rename: the two moments that matter for atomicity) or at a
random moment, with its worker processes or without them.
"""

from __future__ import annotations

import io
import json
import os
import random
import re
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from docx import Document

from generator.build.batch import run_batch
from generator.build.files import LOCK, TEMP_SUFFIX
from generator.build.manifest import MANIFEST, Manifest, sha256_bytes
from generator.build.output_folders import OutputFolders
from generator.build.stamps import stamp
from tests.conftest import EXAMPLES, ROOT, example_documents
from tests.support.fidelity import need_libreoffice

# Runs a batch, killing itself with SIGKILL at rename number N, before or after it.
_KILL_AT_RENAME = """
import os, signal, sys
n, when = int(sys.argv[1]), sys.argv[2]
calls = 0
real_replace = os.replace
def replace(src, dst):
    global calls
    if calls == n and when == "before":
        os.kill(os.getpid(), signal.SIGKILL)
    real_replace(src, dst)
    if calls == n and when == "after":
        os.kill(os.getpid(), signal.SIGKILL)
    calls += 1
os.replace = replace
from cli import main
sys.argv = ["grantdocs", "batch", *sys.argv[3:]]
main()
"""
WRITES = len(example_documents()) + 1  # the examples' documents and the manifest


@pytest.fixture(scope="module")
def clean(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    """Every file of an uninterrupted batch over the examples."""
    out = tmp_path_factory.mktemp("clean")
    report = run_batch(EXAMPLES, out_dir=out, jobs=1)
    assert not report.failed
    return _files(out)


def _files(out: Path) -> dict[str, bytes]:
    """Every file of the batch, in the output folder and (named as the manifest names them) the
    confidential folder; the manifest without the stamps it records, which are the files' own
    (times, inode) and differ from any other run's."""
    folders = OutputFolders.of(out)
    return {
        folders.name(p, confidential=confidential): _unstamped(p.read_bytes()) if p.name == MANIFEST else p.read_bytes()
        for confidential in (False, True)
        for p in folders.root(confidential=confidential).rglob("*")
        if p.is_file() and p.name != LOCK
    }


def _unstamped(manifest: bytes) -> bytes:
    return re.sub(rb'"(input_)?stamp": "[0-9:]*"', b'"stamp": ""', manifest)


def _everything(out: Path, pattern: str) -> list[Path]:
    """What matches `pattern` in the output folder and the confidential folder beside it."""
    folders = OutputFolders.of(out)
    return [*folders.out.rglob(pattern), *folders.confidential.rglob(pattern)]


def _batch_args(out: Path, *extra: str) -> list[str]:
    return [str(EXAMPLES), "--out", str(out), *extra]


def assert_nothing_broken(out: Path) -> None:
    """What a reader may find in the folder right after the kill: only whole documents, and a
    manifest (if any), with what its journal adds, whose every entry is a file on disk with the
    recorded hash."""
    for docx in _everything(out, "*.docx"):
        with zipfile.ZipFile(docx) as package:
            assert package.testzip() is None, docx
        Document(str(docx))  # python-docx parses every part it needs
    for pdf in _everything(out, "*.pdf"):
        data = pdf.read_bytes()
        assert data.startswith(b"%PDF-") and data.rstrip().endswith(b"%%EOF"), pdf
    manifest, folders = out / MANIFEST, OutputFolders.of(out)
    if manifest.exists():
        recorded = json.loads(manifest.read_text(encoding="utf-8"))
        for name, entry in recorded["outputs"].items():
            assert folders.path(name).is_file(), f"the manifest records {name}, which was never written"
            assert sha256_bytes(folders.path(name).read_bytes()) == entry["sha256"], name
            assert entry["stamp"] in ("", stamp(folders.path(name))), f"the manifest records another file's stamp for {name}"
        for name, sha in recorded.get("pdfs", {}).items():
            assert folders.path(name).with_suffix(".pdf").is_file(), f"the manifest records a PDF of {name} that is not there"
            assert recorded["outputs"][name]["sha256"] == sha
    for name, entry in Manifest.load(out).entries.items():  # and what its journal adds to it
        assert folders.path(name).is_file(), f"the journal records {name}, which was never written"
        assert sha256_bytes(folders.path(name).read_bytes()) == entry.sha256, name


def assert_completed_like_a_clean_run(out: Path, clean: dict[str, bytes]) -> None:
    report = run_batch(EXAMPLES, out_dir=out, jobs=1)
    assert not report.failed and report.manifest_error is None
    assert _files(out) == clean, "the rerun's outputs and manifest are byte-identical to a clean run's"
    assert not _everything(out, f"*{TEMP_SUFFIX}"), "temp files of the killed run are swept up"


@pytest.mark.parametrize("when", ["before", "after"])
@pytest.mark.parametrize("rename", range(0, WRITES, 2))
def test_kill_at_a_rename(tmp_path: Path, clean: dict[str, bytes], rename: int, when: str) -> None:
    out = tmp_path / "out"
    killed = subprocess.run(
        [sys.executable, "-c", _KILL_AT_RENAME, str(rename), when, *_batch_args(out, "--jobs", "1")],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    left = sorted(p.name for p in _everything(out, f"*{TEMP_SUFFIX}"))
    # An input's documents are all written to temp files before any is renamed: a kill before a
    # rename leaves at least that one's temp; after one, the temps of the input's later documents.
    assert len(left) >= (1 if when == "before" else 0), left
    assert_nothing_broken(out)
    assert_completed_like_a_clean_run(out, clean)


@pytest.mark.parametrize("group", [False, True], ids=["main-process", "with-workers"])
def test_kill_at_random_moments(tmp_path: Path, clean: dict[str, bytes], group: bool) -> None:
    out = tmp_path / "out"
    rng = random.Random(f"kill-{group}")
    for _ in range(2):
        process = subprocess.Popen(
            [sys.executable, "-m", "cli", "batch", *_batch_args(out, "--jobs", "2", "--force")],
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        time.sleep(rng.uniform(0.3, 1.5))
        workers = _children(process.pid)
        if group:
            os.killpg(process.pid, signal.SIGKILL)
        else:
            process.kill()
        process.wait()
        assert _all_gone(workers), "workers die with their batch instead of waiting for work forever"
        assert_nothing_broken(out)
    assert_completed_like_a_clean_run(out, clean)


def _children(pid: int) -> list[int]:
    try:
        return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def _all_gone(pids: list[int], within_s: float = 5.0) -> bool:
    deadline = time.monotonic() + within_s
    while time.monotonic() < deadline:
        alive = [p for p in pids if _alive(p)]
        if not alive:
            return True
        time.sleep(0.05)
    return False


def _alive(pid: int) -> bool:
    try:
        return "State:\tZ" not in Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False


def test_kill_while_writing_pdfs(tmp_path: Path, clean: dict[str, bytes]) -> None:
    need_libreoffice()
    out = tmp_path / "out"
    assert run_batch(EXAMPLES, out_dir=out, jobs=1).failed == []
    process = subprocess.Popen(
        [sys.executable, "-m", "cli", "batch", *_batch_args(out, "--jobs", "2", "--pdf")],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while not list(out.rglob("*.pdf")) and time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.05)  # kill as the first PDFs arrive: some written, some not
    process.kill()
    process.wait()
    assert_nothing_broken(out)
    result = subprocess.run(
        [sys.executable, "-m", "cli", "batch", *_batch_args(out, "--jobs", "2", "--pdf")], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert_nothing_broken(out)
    recorded = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    assert sorted(recorded["pdfs"]) == sorted(recorded["outputs"]), "every document got its PDF"
    assert {name: data for name, data in _files(out).items() if name.endswith(".docx")} == {
        name: data for name, data in clean.items() if name.endswith(".docx")
    }
    for pdf in _everything(out, "*.pdf"):
        assert b"/StructTreeRoot" in pdf.read_bytes(), "a tagged PDF, as grantdocs writes it"


def test_the_clean_run_compared_against_is_complete(clean: dict[str, bytes]) -> None:
    """The comparisons above are against real documents and a full manifest, not an empty folder."""
    pack = clean["pcd-1284/pcd-1284-decision-pack.docx"]
    assert "Home Office Grant" in "\n".join(p.text for p in Document(io.BytesIO(pack)).paragraphs)
    assert len(json.loads(clean[MANIFEST])["outputs"]) == WRITES - 1
    assert "confidential:pcd-1760-shared-endeavour-fund/pcd-1760-shared-endeavour-fund-part-2.docx" in clean, "Part 2 included"
