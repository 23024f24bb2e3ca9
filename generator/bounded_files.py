"""Reading a file within a size bound, judged before a byte is read.

Inputs, templates, outputs read back and files given to `diff` and `check` all come from folders
other people write. Each is opened without blocking (a FIFO with no writer would hang the run),
and its kind and size are taken from fstat first: a folder, pipe, device or socket is never read,
nor a file past the bound. Callers word the refusal for their own user.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path


class NotAFile(Exception):
    """The path is a pipe, a device or a socket, not a file (a folder raises IsADirectoryError)."""

    def __init__(self, kind: str) -> None:
        super().__init__(kind)
        self.kind = kind


class TooLarge(Exception):
    """The file is larger than the bound it is read within."""

    def __init__(self, size: int) -> None:
        super().__init__(f"{size:,} bytes")
        self.size = size


_KINDS = {stat.S_IFIFO: "a pipe (FIFO)", stat.S_IFCHR: "a device", stat.S_IFBLK: "a device", stat.S_IFSOCK: "a socket"}


def read_bounded(path: Path, *, limit: int, follow_links: bool = True) -> bytes:
    """The bytes of the regular file at `path`, at most `limit` of them. Raises OSError as the file
    system does (FileNotFoundError; IsADirectoryError for a folder; ELOOP for a link when
    `follow_links` is false), NotAFile, or TooLarge (also for a file that grows while it is read)."""
    flags = os.O_RDONLY | os.O_NONBLOCK | (0 if follow_links else os.O_NOFOLLOW)
    fd = os.open(path, flags)
    try:
        mode, size = (info := os.fstat(fd)).st_mode, info.st_size
        if stat.S_ISDIR(mode):
            raise IsADirectoryError(f"{path} is a folder")
        if not stat.S_ISREG(mode):
            raise NotAFile(_KINDS.get(stat.S_IFMT(mode), "a special file"))
        if size > limit:
            raise TooLarge(size)
        # As many bytes as fstat said, and one more: asking for `limit + 1` at once had Python
        # allocate them all (2 MB for a 15 KB input, 50 MB for a template), three times as slow.
        # Only a file grown since is read on, to its end or past the bound. Read from the file
        # itself: a file object around it cost three system calls more (fstat, isatty, lseek).
        data = _read_up_to(fd, size + 1)
        if len(data) > size:
            data += _read_up_to(fd, limit + 1 - len(data))
    finally:
        os.close(fd)
    if len(data) > limit:
        raise TooLarge(len(data))
    return data


_CHUNK = 1 << 20  # what one read asks for at most: os.read allocates what it is asked for


def _read_up_to(fd: int, count: int) -> bytes:
    """The next `count` bytes of `fd`, fewer at its end."""
    chunks = []
    while count > 0:
        chunk = os.read(fd, min(count, _CHUNK))
        if not chunk:
            break
        chunks.append(chunk)
        count -= len(chunk)
    return b"".join(chunks)
