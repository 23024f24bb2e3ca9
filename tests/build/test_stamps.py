"""A file's stamp: changed by any edit of its bytes, even one that puts the modification time back;
none for what is not a regular file; none to record for a file changed a moment ago."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from generator.build import stamps
from generator.build.stamps import settled_stamp, stamp


def _past_a_clock_tick(path: Path) -> None:
    """Wait until the file system's clock has moved on from `path`'s last change (a few ms)."""
    changed = path.stat().st_ctime_ns
    probe = path.with_name(path.name + ".probe")
    for _ in range(200):
        time.sleep(0.005)
        probe.write_bytes(b"")
        if probe.stat().st_ctime_ns > changed:
            probe.unlink()
            return
    raise AssertionError("the file system's clock did not move in a second")


def test_an_edit_that_keeps_the_size_and_puts_the_modification_time_back_changes_the_stamp(tmp_path: Path) -> None:
    path = tmp_path / "decision.yaml"
    path.write_bytes(b"title: Personal Robbery\n")
    before, info = stamp(path), path.stat()
    _past_a_clock_tick(path)
    path.write_bytes(b"title: Personal Robbers\n")
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns))
    after = path.stat()
    assert (after.st_size, after.st_mtime_ns) == (info.st_size, info.st_mtime_ns), "the edit hides from size and mtime"
    assert stamp(path) != before


def test_a_file_left_alone_keeps_its_stamp(tmp_path: Path) -> None:
    path = tmp_path / "decision.yaml"
    path.write_bytes(b"title: x\n")
    first = stamp(path)
    path.read_bytes()
    assert first is not None and stamp(path) == first


@pytest.mark.parametrize("what", ["missing", "folder", "link", "fifo"])
def test_no_stamp_for_what_is_not_a_regular_file(tmp_path: Path, what: str) -> None:
    target = tmp_path / "real.docx"
    target.write_bytes(b"PK")
    path = tmp_path / "it.docx"
    if what == "folder":
        path.mkdir()
    elif what == "link":
        path.symlink_to(target)
    elif what == "fifo":
        os.mkfifo(path)
    assert stamp(path, follow_links=False) is None
    assert settled_stamp(path, follow_links=False) == ""


def test_a_link_is_stamped_as_its_target_only_when_followed(tmp_path: Path) -> None:
    target = tmp_path / "real.yaml"
    target.write_bytes(b"title: x\n")
    (tmp_path / "link.yaml").symlink_to(target)
    assert stamp(tmp_path / "link.yaml") == stamp(target)
    assert stamp(tmp_path / "link.yaml", follow_links=False) is None


def test_a_file_changed_within_the_settled_time_has_no_stamp_to_record(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A second edit in the same tick of the clock could leave the same stamp: one is recorded
    only for a file whose last change is older than that."""
    path = tmp_path / "decision.yaml"
    path.write_bytes(b"title: x\n")
    assert settled_stamp(path) == "", "just written"
    age = time.time_ns() - path.stat().st_ctime_ns
    monkeypatch.setattr(stamps, "SETTLED_NS", age + 60_000_000_000)
    assert settled_stamp(path) == ""
    monkeypatch.setattr(stamps, "SETTLED_NS", age)
    assert settled_stamp(path) == stamp(path) != ""
