"""Writing outputs (generator.build.files): a set of documents written whole, and the temp files a killed run leaves swept up at any depth, nothing else with them."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from generator.build.files import TEMP_SUFFIX, sweep_temporaries, write_together


def test_sweep_removes_temporaries_at_every_depth_and_nothing_else(tmp_path: Path) -> None:
    out, elsewhere = tmp_path / "out", tmp_path / "elsewhere"
    for folder in (out / "a" / "b", elsewhere):
        folder.mkdir(parents=True)
    temps = [out / f".grantdocs-manifest.json.x1{TEMP_SUFFIX}", out / "a" / "b" / f".y.docx.old{TEMP_SUFFIX}"]
    kept = [out / "a" / "b" / "y.docx", out / "a" / "grantdocs-tmp.docx", elsewhere / f".z.docx.x2{TEMP_SUFFIX}"]
    for path in temps + kept:
        path.write_bytes(b"")
    (out / "a" / f"odd{TEMP_SUFFIX}").mkdir()
    (out / "link").symlink_to(elsewhere)  # never followed: what it leads to is not the batch's
    sweep_temporaries(out)
    assert [p for p in temps if p.exists()] == []
    assert [p for p in kept if not p.exists()] == []
    assert (out / "a" / f"odd{TEMP_SUFFIX}").is_dir()


def test_a_set_of_documents_replaces_the_old_ones_past_what_a_killed_run_left(tmp_path: Path) -> None:
    """A hard link a killed run kept of an old document (`.<name>.old…`) is replaced, not an obstacle."""
    folder = tmp_path / "pcd-1"
    folder.mkdir()
    (folder / "a.docx").write_bytes(b"old a")
    (folder / f".a.docx.old{TEMP_SUFFIX}").write_bytes(b"what a killed run kept")
    write_together([(folder / "a.docx", b"new a"), (folder / "b.docx", [b"new ", b"b"]), (tmp_path / "new" / "c.docx", b"c")])
    assert {p.relative_to(tmp_path).as_posix(): p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()} == {
        "pcd-1/a.docx": b"new a",
        "pcd-1/b.docx": b"new b",
        "new/c.docx": b"c",
    }


def test_a_write_taking_part_of_a_document_goes_on_with_the_rest(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write = os.write
    monkeypatch.setattr(os, "write", lambda fd, data: write(fd, bytes(data[:7])))
    documents = [(tmp_path / "a" / "form.docx", b"form " * 100), (tmp_path / "a" / "report.docx", b"report " * 100)]
    write_together(documents)
    assert [path.read_bytes() for path, _ in documents] == [data for _, data in documents]
