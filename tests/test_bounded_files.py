"""Reading a file within a bound: the whole file, nothing past the bound, never a special file."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from generator.bounded_files import NotAFile, TooLarge, read_bounded


def test_a_file_is_read_whole(tmp_path: Path) -> None:
    path = tmp_path / "input.yaml"
    path.write_bytes(b"title: x\n" * 1000)
    assert read_bounded(path, limit=9000) == b"title: x\n" * 1000
    with pytest.raises(TooLarge, match="9,000 bytes"):
        read_bounded(path, limit=8999)


@pytest.mark.parametrize(("grown", "limit"), [(10, 100), (60, 100), (101, 100)])
def test_a_file_grown_since_its_size_was_taken_is_read_to_its_end_or_refused_past_the_bound(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, grown: int, limit: int
) -> None:
    """fstat says 5 bytes; the file has `grown` by the time it is read."""
    path = tmp_path / "growing"
    path.write_bytes(b"x" * grown)
    fstat = os.fstat

    class Smaller:
        def __init__(self, real: os.stat_result) -> None:
            self.st_mode, self.st_size = real.st_mode, 5

    monkeypatch.setattr(os, "fstat", lambda fd: Smaller(fstat(fd)))
    if grown > limit:
        with pytest.raises(TooLarge):
            read_bounded(path, limit=limit)
    else:
        assert read_bounded(path, limit=limit) == b"x" * grown


def test_a_folder_or_a_pipe_is_never_read(tmp_path: Path) -> None:
    with pytest.raises(IsADirectoryError):
        read_bounded(tmp_path, limit=10)
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    with pytest.raises(NotAFile, match="pipe"):
        read_bounded(fifo, limit=10)


def test_a_file_read_a_few_bytes_at_a_time_is_read_whole(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A read may return fewer bytes than asked for: reading goes on to the end."""
    path = tmp_path / "input.yaml"
    path.write_bytes(b"title: x\n" * 100)
    read = os.read
    monkeypatch.setattr(os, "read", lambda fd, count: read(fd, min(count, 7)))
    assert read_bounded(path, limit=900) == b"title: x\n" * 100
    with pytest.raises(TooLarge):
        read_bounded(path, limit=899)
