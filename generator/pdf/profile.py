"""The LibreOffice user profile each run starts from: prepared once per installation and user, in
the user's cache folder, and copied for every run, so that no run pays the first start of a fresh
profile (its registration of the bundled extensions and configuration).

Each run still has its own copy: parallel runs (and a LibreOffice the user has open) never share
a profile, and nothing a run does reaches the next. The profile is prepared by a start that
converts a document which does not exist: a whole start and a clean end, with nothing of the
user's inside.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import tempfile
import threading
from pathlib import Path

from generator.pdf.libreoffice import STARTUP_TIMEOUT_S, command, conversion, run

MARKER = Path("user") / "registrymodifications.xcu"  # written by a completed first start
_preparing = threading.Lock()  # two offices starting at once prepare it once


def cache_folder() -> Path:
    """grantdocs' folder in the user's cache (XDG_CACHE_HOME, by default ~/.cache)."""
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "grantdocs"


def prepared(exe: str) -> Path | None:
    """The prepared profile for the LibreOffice `exe`, made now if there is none yet; None when it
    cannot be made (a cache folder that cannot be written): each run then starts a fresh one."""
    folder = cache_folder() / f"libreoffice-profile-{_installation(exe)}"
    if (folder / MARKER).is_file():
        return folder
    with _preparing:
        if (folder / MARKER).is_file():
            return folder
        try:
            folder.parent.mkdir(parents=True, exist_ok=True)
            work = Path(tempfile.mkdtemp(prefix=".preparing-", dir=folder.parent))
        except OSError:
            return None
        try:
            profile = work / "profile"
            run([*command(exe, profile), *conversion(work / "out", [work / "none.docx"])], timeout=STARTUP_TIMEOUT_S)
            if not (profile / MARKER).is_file():
                return None
            with contextlib.suppress(OSError):  # another process may have won the race
                profile.rename(folder)  # whole or not at all
            return folder if (folder / MARKER).is_file() else None
        finally:
            shutil.rmtree(work, ignore_errors=True)


def new_profile(exe: str, profile: Path) -> Path:
    """`profile`, a copy of the prepared profile (left absent, for LibreOffice to make, when there
    is none); `profile` itself."""
    source = prepared(exe)
    if source is not None:
        try:
            shutil.copytree(source, profile, symlinks=True)
        except OSError:
            shutil.rmtree(profile, ignore_errors=True)  # a fresh one, made by LibreOffice, rather than half a copy
    return profile


def _installation(exe: str) -> str:
    """A key for the LibreOffice installation `exe` runs: another version gets a profile of its own."""
    real = Path(shutil.which(exe) or exe).resolve()
    try:
        stat = real.stat()
        seen = f"{real}:{stat.st_size}:{stat.st_mtime_ns}"
    except OSError:
        seen = str(real)
    return hashlib.sha256(seen.encode()).hexdigest()[:16]
