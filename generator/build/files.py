"""Writing outputs so that a reader never sees half a file: temp file, then rename.

A process killed mid-write (kill -9, power cut to the process) leaves at most a temp file,
named `.<name>.<random>.grantdocs-tmp` so that nothing mistakes it for a document; the next
batch sweeps them up (`sweep_temporaries`) under its folder lock (`exclusive`).
"""

from __future__ import annotations

import errno
import fcntl
import os
import random
import re
import shutil
import stat
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from generator.bounded_files import NotAFile, TooLarge, read_bounded
from generator.errors import OutputError, quoted_path

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


# A document grantdocs wrote is well under 1 MB; anything past this in the output folder is not one
# of ours, and is neither read nor hashed.
MAX_OUTPUT_BYTES = 100_000_000
CONTROL_CHARACTER = re.compile(r"[\x00-\x1f\x7f]")  # a line break, tab, NUL …: in no name grantdocs makes


def unsafe_name(name: str) -> str | None:
    """Why `name`, a relative path from an untrusted source (a manifest, an input's folders), could
    not name a file inside the output folder, or None if it can."""
    if not name or CONTROL_CHARACTER.search(name):
        return "it is empty or holds a control character"
    if name.startswith(("/", "~")):  # PurePosixPath.is_absolute, without making one: a manifest names thousands
        return "it is not relative to the output folder"
    padded = f"/{name}/"  # each part between slashes: none may be empty, "." or ".."
    if "//" in padded or "/./" in padded or "/../" in padded:
        return "it climbs out of its folder ('..')"
    return None


def inside(root: Path, name: str) -> Path:
    """`root/name`, where `name` comes from an untrusted source; OutputError if it could lead out
    of `root`: an unsafe name, or a symbolic link on the way (a link is never followed, not even
    one that points back inside)."""
    why = unsafe_name(name)
    if why is not None:
        raise OutputError(f"refusing the output path {name!r}: {why}")
    path = str(root)  # each step looked at as text: a Path made for each was most of the cost
    for part in name.split("/"):  # unsafe_name has refused empty, "." and ".." parts
        path = os.path.join(path, part)
        try:
            if stat.S_ISLNK(os.lstat(path).st_mode):
                raise OutputError(
                    f"refusing to write through {quoted_path(path)}: it is a symbolic link (remove it, or choose another --out)"
                )
        except (FileNotFoundError, NotADirectoryError):
            break  # nothing further down exists: no link can be on the way
    return root / name


def read_regular(path: Path, *, limit: int = MAX_OUTPUT_BYTES) -> bytes | None:
    """The bytes of `path` if it is a regular file (not a link, FIFO or device) of at most `limit`
    bytes, decided with fstat before reading; else None, as for a missing file."""
    try:
        return read_bounded(path, limit=limit, follow_links=False)
    except (OSError, NotAFile, TooLarge):
        return None


def cannot_write(path: Path, exc: OSError) -> OutputError:
    """The error a user sees for an output that could not be written, with what to do about it."""
    hint = _HINTS.get(exc.errno or 0)
    return OutputError(f"cannot write {quoted_path(path)}: {exc.strerror or exc}" + (f" ({hint})" if hint else ""))


def _current_umask() -> int:
    mask = os.umask(0o022)  # the only way to read it is to set it: done once, at import, before any thread
    os.umask(mask)
    return mask


# A document grantdocs writes gets the permissions any program's new file gets (0666 less the
# user's umask, 0777 for a folder), so that whoever shares the folder can read it: not mkstemp's
# private 0600 (nor mkdtemp's 0700).
_UMASK = _current_umask()
_FILE_MODE = 0o666 & ~_UMASK
FOLDER_MODE = 0o777 & ~_UMASK
# As mkstemp opens its file (a new one, never through a link), for writing only.
_NEW_FILE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC
_TEMP_ATTEMPTS = 100


def _write_temp(path: Path, data: bytes | Iterable[bytes]) -> str:
    """`data` (bytes, or pieces of them) in a new temp file beside `path`, named so that nothing
    mistakes it for a document. Made as mkstemp makes one, with a program's usual permissions
    given as it is created; the folder made only if it is missing (a syscall less per document)."""
    fd, tmp = _new_temp(path)
    try:
        if isinstance(data, bytes):  # a document: written as it is, where a file object's buffer cost three system calls more
            try:
                write_all(fd, data)
            finally:
                os.close(fd)
        else:
            with os.fdopen(fd, "wb") as handle:  # pieces, gathered by the buffer into few writes
                handle.writelines(data)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return tmp


def write_all(fd: int, data: bytes) -> None:
    """Write all of `data` to `fd`, going on after a write that took only part of it."""
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        if written == 0:  # never for a file: the disk is full or gone
            raise OSError(errno.EIO, "the file took none of what was written")
        view = view[written:]


def _new_temp(path: Path) -> tuple[int, str]:
    """A new file `.<name>.<random>.grantdocs-tmp` beside `path`, open for writing: (its fd, its path)."""
    prefix = os.path.join(path.parent, f".{path.name}.")
    for attempt in range(_TEMP_ATTEMPTS):
        # Named as tempfile names its files, from a random generator (reseeded in a forked worker),
        # not the system's entropy (a system call per document); O_EXCL makes it new all the same.
        tmp = f"{prefix}{random.getrandbits(48):012x}{TEMP_SUFFIX}"
        try:
            return os.open(tmp, _NEW_FILE, 0o666), tmp  # less the umask: _FILE_MODE
        except FileExistsError:
            continue
        except FileNotFoundError:
            if attempt:
                raise
            path.parent.mkdir(parents=True, exist_ok=True)
    raise FileExistsError(errno.EEXIST, "no unused temporary name", str(path.parent))


def write_atomic(path: Path, data: bytes | Iterable[bytes]) -> None:
    """Replace `path` with `data` (bytes, or pieces of them written as they come) in one step; an
    interrupted write leaves the old file intact.

    Not fsynced: the rename already protects against a killed or interrupted process, which
    is what a batch meets; surviving power loss too would cost a disk flush per document.
    Raises OutputError (read-only or full disk …), having removed its temp file.
    """
    write_together([(path, data)])


def append(path: Path, data: bytes) -> None:
    """Add `data` at the end of the file at `path` (created if missing, never through a link), in
    one write: what a reader finds is the file before it, or after it, or a last line cut short.
    Raises OutputError (read-only or full disk, a link …)."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_NOFOLLOW, _FILE_MODE)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise OutputError(f"refusing to write {quoted_path(path)}: it is a symbolic link (remove it)") from None
        raise cannot_write(path, exc) from None
    try:
        write_all(fd, data)
    except OSError as exc:
        raise cannot_write(path, exc) from None
    finally:
        os.close(fd)


def write_together(files: Sequence[tuple[Path, bytes | Iterable[bytes]]]) -> None:
    """Replace every path with its data, or none of them: an input's documents change together.

    Each is written to a temp file beside it first; only when all are written are they renamed
    into place, and if a rename fails (or the run is interrupted) those already replaced are put
    back from hard links kept of the old files. Raises OutputError naming the file that failed."""
    temps: list[tuple[Path, str]] = []
    current = files[0][0] if files else Path()
    try:
        for current, data in files:
            temps.append((current, _write_temp(current, data)))
    except BaseException as exc:
        for _, tmp in temps:
            Path(tmp).unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise cannot_write(current, exc) from None
        raise
    replaced: list[tuple[Path, str | None]] = []
    kept: list[str] = []
    try:
        for current, tmp in temps:
            old = _keep_old(current) if len(temps) > 1 else None  # one file: the rename alone is all or nothing
            kept += [old] if old is not None else []
            os.replace(tmp, current)
            replaced.append((current, old))
    except BaseException as exc:
        try:
            for path, old in reversed(replaced):
                if old is not None:
                    os.replace(old, path)
                else:
                    path.unlink(missing_ok=True)
        finally:
            for leftover in [*kept, *(tmp for _, tmp in temps)]:
                Path(leftover).unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise cannot_write(current, exc) from None
        raise
    for old in kept:
        Path(old).unlink(missing_ok=True)


def _keep_old(path: Path) -> str | None:
    """A hard link to the file now at `path`, to put back if the set's later renames fail; None if none."""
    keep = str(path.parent / f".{path.name}.old{TEMP_SUFFIX}")
    try:
        os.link(path, keep, follow_symlinks=False)
    except FileNotFoundError:  # nothing there yet
        return None
    except FileExistsError:  # one a killed run left
        Path(keep).unlink()
        return _keep_old(path)
    except OSError:  # a file system without hard links: a copy does the same job
        shutil.copy2(path, keep, follow_symlinks=False)
    return keep


def sweep_temporaries(folder: Path) -> None:
    """Remove the temp files a killed run left under `folder`; call only while holding `exclusive`."""
    for entry in entries_under(folder):
        if entry.name.endswith(TEMP_SUFFIX) and not entry.is_dir(follow_symlinks=False):
            Path(entry.path).unlink(missing_ok=True)


def entries_under(folder: Path) -> Iterator[os.DirEntry[str]]:
    """Every file and folder below `folder`, as Path.rglob("*") finds them (links to folders not
    followed, unreadable folders skipped), in no particular order; none if it is not a folder.
    One scandir per folder, where rglob makes two and a Path per entry: a batch's output folder
    holds a folder per input."""
    if not os.path.isdir(folder):
        return
    pending = [str(folder)]
    while pending:
        try:
            with os.scandir(pending.pop()) as scan:
                entries = list(scan)
        except PermissionError:
            continue
        for entry in entries:
            yield entry
            try:
                if entry.is_dir(follow_symlinks=False):
                    pending.append(entry.path)
            except OSError:
                pass


@contextmanager
def exclusive(folder: Path) -> Iterator[None]:
    """Hold the folder's write lock: one batch at a time writes to an output folder.

    A POSIX record lock (lockf): the OS drops it when the process dies, so a killed batch never
    leaves the folder locked, and worker processes forked by the batch do not inherit it."""
    lock = folder / LOCK
    try:
        folder.mkdir(parents=True, exist_ok=True)
        # Not through a link: a lock file linked elsewhere would be created or written there.
        fd = os.open(lock, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_NONBLOCK, _FILE_MODE)
        handle = os.fdopen(fd, "r+b")
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise OutputError(f"refusing to lock {quoted_path(lock)}: it is a symbolic link (remove it)") from None
        raise cannot_write(folder, exc) from None
    with handle:
        try:
            fcntl.lockf(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            if exc.errno not in (errno.EACCES, errno.EAGAIN):
                raise cannot_write(lock, exc) from None
            raise OutputError(f"another grantdocs batch is writing to {quoted_path(folder)}: wait for it to finish") from None
        yield
