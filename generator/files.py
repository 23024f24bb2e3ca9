"""Writing outputs so that a reader never sees half a file: temp file, then rename.

A process killed mid-write (kill -9, power cut to the process) leaves at most a temp file,
named `.<name>.<random>.grantdocs-tmp` so that nothing mistakes it for a document; the next
batch sweeps them up (`sweep_temporaries`) under its folder lock (`exclusive`).
"""

from __future__ import annotations

import errno
import fcntl
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from generator.errors import OutputError

TEMP_SUFFIX = ".grantdocs-tmp"
LOCK = ".grantdocs-lock"

_HINTS = {
    errno.ENOSPC: "the disk is full: free some space and run again",
    errno.EDQUOT: "the disk quota is used up: free some space and run again",
    errno.EROFS: "the folder is on a read-only disk: choose another with --out",
    errno.EACCES: "the folder is not writable by you: choose another with --out",
    errno.EPERM: "the folder is not writable by you: choose another with --out",
    errno.ENOTDIR: "part of the path is a file, not a folder",
    errno.EEXIST: "part of the path is a file, not a folder",
}


def cannot_write(path: Path, exc: OSError) -> OutputError:
    """The error a user sees for an output that could not be written, with what to do about it."""
    hint = _HINTS.get(exc.errno or 0)
    return OutputError(f"cannot write {path}: {exc.strerror or exc}" + (f" ({hint})" if hint else ""))


def write_atomic(path: Path, data: bytes) -> None:
    """Replace `path` with `data` in one step; an interrupted write leaves the old file intact.

    Not fsynced: the rename already protects against a killed or interrupted process, which
    is what a batch meets; surviving power loss too would cost a disk flush per document.
    Raises OutputError (read-only or full disk …), having removed its temp file.
    """
    tmp: str | None = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=TEMP_SUFFIX)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except BaseException as exc:
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise cannot_write(path, exc) from None
        raise


def sweep_temporaries(folder: Path) -> None:
    """Remove the temp files a killed run left under `folder`; call only while holding `exclusive`."""
    for path in folder.rglob(f"*{TEMP_SUFFIX}"):
        path.unlink(missing_ok=True)


@contextmanager
def exclusive(folder: Path) -> Iterator[None]:
    """Hold the folder's write lock: one batch at a time writes to an output folder.

    A POSIX record lock (lockf): the OS drops it when the process dies, so a killed batch never
    leaves the folder locked, and worker processes forked by the batch do not inherit it."""
    lock = folder / LOCK
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle = open(lock, "a+b")  # noqa: SIM115 - held open for the lock's lifetime
    except OSError as exc:
        raise cannot_write(folder, exc) from None
    with handle:
        try:
            fcntl.lockf(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            if exc.errno not in (errno.EACCES, errno.EAGAIN):
                raise cannot_write(lock, exc) from None
            raise OutputError(f"another grantdocs batch is writing to {folder}: wait for it to finish") from None
        yield
