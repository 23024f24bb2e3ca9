"""The folder a publish fills: refused where Part 2 documents are or were kept, filled in a
temporary folder beside it and swapped into place, so that it is the complete new set or the
previous one, never half of each; and only ever replacing what an earlier publish put there.
"""

from __future__ import annotations

import ctypes
import errno
import fcntl
import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from generator.build.files import FOLDER_MODE, TEMP_SUFFIX, cannot_write, read_regular, write_atomic
from generator.build.manifest import sha256_bytes, sha256_output
from generator.build.output_folders import relation
from generator.errors import OutputError, quoted_path

# What an earlier publish put in the folder (each file's hash): only that is ever replaced.
RECORD = ".grantdocs-published.json"
_AT_FDCWD = -100
_RENAME_EXCHANGE = 2  # renameat2(2)


def refuse_folder(folder: Path, *, confidential: Path, outputs: Path, inputs: Path, templates: Path) -> None:
    """OutputError saying why `folder` may not be published into, if it may not: in, around or
    the same as the confidential folder or the output folder of generate and batch (where older
    runs left Part 2 beside the other documents); the inputs or templates, or a folder holding
    them, which a publish would replace; a link; or a folder holding files no publish put there."""
    apart = (
        (confidential, "the confidential folder", "where Part 2 documents are kept"),
        (outputs, "the output folder of generate and batch", "where older runs may have left Part 2 documents"),
    )
    for other, what, why in apart:
        how = relation(folder, other)
        if how is not None:
            raise _refused(folder, f"it {how} {what} {quoted_path(other)}, {why}: publish into a folder apart from it")
    for other, what in ((inputs, "the inputs"), (templates, "the templates")):
        how = relation(folder, other)
        if how in ("is", "holds"):
            raise _refused(folder, f"it {how} {what} ({quoted_path(other)}), and a publish replaces the whole folder")
    if folder.is_symlink():
        raise _refused(folder, "it is a symbolic link: name the folder itself")
    if folder.exists() and not folder.is_dir():
        raise _refused(folder, "it is a file, not a folder")
    stranger = _not_published(folder)
    if stranger is not None:
        raise _refused(
            folder,
            f"{quoted_path(stranger)} is not a document grantdocs published there (or was changed since), and a publish "
            "replaces the whole folder: move it out, or publish into a new or empty folder",
        )


def _refused(folder: Path, why: str) -> OutputError:
    return OutputError(f"refusing to publish into {quoted_path(folder)}: {why}")


def _not_published(folder: Path) -> Path | None:
    """A file in `folder` that no publish wrote as it is now (a link or anything else counts too), or None."""
    if not folder.is_dir():
        return None
    data = read_regular(folder / RECORD)
    try:
        recorded = json.loads(data.decode("utf-8")) if data is not None else {}
    except ValueError:
        recorded = {}
    files = recorded.get("files") if isinstance(recorded, dict) else None
    files = files if isinstance(files, dict) else {}
    for path in _entries(folder):
        if (path.name == RECORD and path.parent == folder) or (path.is_dir() and not path.is_symlink()):
            continue  # the record itself, and the folders the documents are in
        sha = files.get(path.relative_to(folder).as_posix())
        if sha is None or sha256_output(path) != sha:  # a link, pipe or the like has no hash: never ours
            return path
    return None


def _entries(folder: Path) -> Iterator[Path]:
    """Everything under `folder`, links listed and never followed."""
    with os.scandir(folder) as found:
        for entry in found:
            path = Path(entry.path)
            yield path
            if entry.is_dir(follow_symlinks=False):
                yield from _entries(path)


@contextmanager
def staging(folder: Path) -> Iterator[Path]:
    """A new empty folder beside `folder` to fill, removed afterwards unless `swap_in` took it;
    one publish at a time beside `folder`, and what a killed one left is swept up first."""
    parent = folder.parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(parent, os.O_RDONLY | os.O_DIRECTORY)
    except OSError as exc:
        raise cannot_write(parent, exc) from None
    try:
        try:  # a lock on the parent folder itself: no lock file is left beside the published folder
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            raise OutputError(f"another grantdocs publish is writing in {quoted_path(parent)}: wait for it to finish") from None
        prefix = f".{folder.name}."
        for left in parent.iterdir():
            if left.name.startswith(prefix) and left.name.endswith(TEMP_SUFFIX) and left.is_dir() and not left.is_symlink():
                shutil.rmtree(left)
        try:
            made = Path(tempfile.mkdtemp(prefix=prefix, suffix=TEMP_SUFFIX, dir=parent))
            made.chmod(FOLDER_MODE)  # as a folder any program makes, not mkdtemp's private 0700
        except OSError as exc:
            raise cannot_write(folder, exc) from None
        try:
            yield made
        finally:
            shutil.rmtree(made, ignore_errors=True)
    finally:
        os.close(fd)


def record(staged: Path, files: list[Path]) -> None:
    """Write into `staged` which files it holds, with their hashes, for the next publish to replace."""
    hashes = {path.relative_to(staged).as_posix(): sha256_bytes(path.read_bytes()) for path in sorted(files)}
    write_atomic(staged / RECORD, (json.dumps({"format": 1, "files": hashes}, indent=1) + "\n").encode("utf-8"))


def swap_in(staged: Path, folder: Path) -> None:
    """Put `staged` in the place of `folder` in one step; the previous folder ends up at `staged`'s
    path (removed by `staging`). Where the system cannot swap two folders at once, the previous one
    is moved aside first, and put back if the new one cannot take its place."""
    try:
        if not os.path.lexists(folder):
            os.rename(staged, folder)
        elif not _exchange(staged, folder):
            aside = staged.with_name(staged.name.removesuffix(TEMP_SUFFIX) + ".old" + TEMP_SUFFIX)
            os.rename(folder, aside)
            try:
                os.rename(staged, folder)
            except OSError:
                os.rename(aside, folder)
                raise
            os.rename(aside, staged)
    except OSError as exc:
        raise cannot_write(folder, exc) from None


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths atomically (Linux's renameat2 with RENAME_EXCHANGE); False where unsupported."""
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    if renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):  # an old kernel, or a file system that cannot
        return False
    raise OSError(code, os.strerror(code), str(b))
