"""One LibreOffice kept running, converting whatever documents it is handed, one call at a time.

Starting LibreOffice costs about as much as converting eight documents, so a process that
converts more than once keeps one running: a second `soffice --convert-to` with the same profile
hands its documents over LibreOffice's single-instance pipe and waits until they are converted,
at once and without a start of its own. LibreOffice ends when its last document closes, so it is
started with one document held open (an empty text file): the lock file LibreOffice makes for
that document says it has started and takes conversions.

A watchdog process between grantdocs and LibreOffice (`watchdog`) ends LibreOffice, and removes
its folder, when grantdocs closes its end of a pipe to it, or ends, however it ends. A conversion
that overruns its time, or is stopped, ends this LibreOffice (it would still be converting); the
next conversion starts another.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import threading
import time
from pathlib import Path
from typing import IO

from generator.pdf.libreoffice import StopCheck, command, conversion, end, launch, never, run, soffice
from generator.pdf.profile import new_profile

_READY_POLL_S = 0.02


class Office:
    """A LibreOffice of grantdocs' own, with its own copy of the prepared profile, started when
    first needed (or ahead, by `start`) and kept until `close`."""

    def __init__(self) -> None:
        self._lock = threading.Lock()  # one conversion at a time
        self._process: subprocess.Popen[bytes] | None = None
        self._exe = ""
        self._work: Path | None = None  # the profile and the document held open
        self._log: IO[bytes] | None = None  # LibreOffice's output: a file with no name, nothing to remove
        self.starts = 0  # how many times LibreOffice was started: a warm office is started once

    @property
    def running(self) -> bool:
        return self._process is not None and self._process.poll() is None

    @property
    def profile(self) -> Path | None:
        return None if self._work is None else self._work / "profile"

    def start(self) -> None:
        """Start LibreOffice unless it is running; returns at once (it takes conversions about a
        second later). Nothing if LibreOffice is not installed: a conversion says so."""
        with self._lock:
            self._start()

    def convert(self, docs: list[Path], outdir: Path, *, timeout: float, should_stop: StopCheck = never) -> tuple[int | None, str]:
        """Convert `docs` (distinct file names) into PDFs in `outdir`, starting LibreOffice first if it
        is not running; (exit code, LibreOffice's output), or (None, output) when the conversion,
        the start included, did not end within `timeout` or `should_stop` turned true."""
        with self._lock:
            deadline = time.monotonic() + timeout
            self._start()
            if self._process is None or self._work is None:
                return 1, "LibreOffice (soffice) is not installed"
            not_ready = self._wait_ready(deadline, should_stop)
            if not_ready is not None:
                return not_ready
            assert self._log is not None
            seen = os.fstat(self._log.fileno()).st_size
            code, out = run(
                [*command(self._exe, self._work / "profile"), *conversion(outdir, docs)],
                timeout=max(deadline - time.monotonic(), 0.001),
                should_stop=should_stop,
            )
            out += _read_from(self._log, seen)
            if code is None:
                self._stop()  # still converting what it was handed: ended, and started again next time
            return code, out

    def close(self) -> None:
        """End LibreOffice and remove its profile. Safe to call again; a later conversion starts it anew."""
        with self._lock:
            self._stop()

    def _start(self) -> None:
        if self.running:
            return
        self._stop()  # what an ended LibreOffice left
        exe = soffice()
        if exe is None:
            return
        work = Path(tempfile.mkdtemp(prefix="grantdocs-office-"))
        keep = work / "open" / "keep.txt"
        keep.parent.mkdir()
        keep.write_bytes(b"")
        args = [*command(exe, new_profile(exe, work / "profile")), str(keep)]
        self._log = tempfile.TemporaryFile()  # noqa: SIM115 (closed by _stop: it lives as long as LibreOffice)
        self._process = launch(args, output=self._log, remove=work)
        self._exe, self._work = exe, work
        self.starts += 1

    def _wait_ready(self, deadline: float, should_stop: StopCheck) -> tuple[int | None, str] | None:
        """None once LibreOffice takes conversions; otherwise what a conversion returns, LibreOffice ended."""
        assert self._process is not None and self._work is not None
        ready = self._work / "open" / ".~lock.keep.txt#"
        while not ready.exists():
            code = self._process.poll()
            if code is not None:
                out = _read_from(self._log, 0)
                self._stop()
                return code, out
            if should_stop() or time.monotonic() >= deadline:
                out = _read_from(self._log, 0)
                self._stop()
                return None, out
            time.sleep(_READY_POLL_S)
        return None

    def _stop(self) -> None:
        process, self._process = self._process, None
        if process is not None:
            end(process)  # the watchdog removes the folder too, once LibreOffice cannot write to it
        work, self._work = self._work, None
        if work is not None:
            shutil.rmtree(work, ignore_errors=True)
        log, self._log = self._log, None
        if log is not None:
            log.close()


def _read_from(log: IO[bytes] | None, offset: int) -> str:
    """What LibreOffice wrote to its log after `offset` (read without moving the offset it writes at)."""
    if log is None:
        return ""
    size = os.fstat(log.fileno()).st_size
    return os.pread(log.fileno(), max(size - offset, 0), offset).decode("utf-8", "replace")
