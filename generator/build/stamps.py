"""What a file's metadata says about its bytes: a stamp (size, modification and change times,
inode) that changes whenever they can have changed, so that a batch reads and hashes only the
files whose stamp is not the one the manifest recorded beside their hash.

A stamp stands in for reading a file, never for its hash: staleness is still decided by content
hashes (manifest.py), and a file whose stamp differs is read and hashed as before. The change
time (ctime) is what makes a stamp safe where a modification time alone is not: no one can set
it, and every write, rename, `touch -d` or `cp -p` over the file moves it to the moment it
happened, so an edit that keeps the size and puts the modification time back still shows.
What can hide an edit is the file system's clock, which ticks every few milliseconds: two
writes of the same size within one tick leave the same stamp. So a file is stamped before it
is read, and only once its last change is SETTLED_NS old: any later edit then changes its ctime.
"""

from __future__ import annotations

import os
import stat
import time
from pathlib import Path

# Well past a file system clock's tick (Linux: 1–10 ms; FAT keeps 2 s) and a clock's drift
# between the writer and us. An input edited more recently is hashed again by the next batch.
SETTLED_NS = 3_000_000_000


def stamp(path: Path | str, *, follow_links: bool = True) -> str | None:
    """The stamp of the regular file at `path` (through a link only if `follow_links`), or None
    if there is none (missing, a link, a folder, a pipe …): such a file is always read."""
    info = _regular(path, follow_links=follow_links)
    return None if info is None else _stamp(info)


def settled_stamp(path: Path | str, *, follow_links: bool = True) -> str:
    """The stamp to record for a file about to be read, or "" (record none) if it changed within
    SETTLED_NS: an edit in the same clock tick as its last change could keep the stamp."""
    info = _regular(path, follow_links=follow_links)
    if info is None or time.time_ns() - info.st_ctime_ns < SETTLED_NS:
        return ""
    return _stamp(info)


def _regular(path: Path | str, *, follow_links: bool) -> os.stat_result | None:
    try:
        info = os.stat(path, follow_symlinks=follow_links)
    except (OSError, ValueError):  # ValueError: a NUL in the name
        return None
    return info if stat.S_ISREG(info.st_mode) else None


def _stamp(info: os.stat_result) -> str:
    return f"{info.st_size}:{info.st_mtime_ns}:{info.st_ctime_ns}:{info.st_ino}"
