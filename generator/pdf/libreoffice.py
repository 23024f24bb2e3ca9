"""LibreOffice itself: where it is, the fonts it needs, the command line every run starts with,
the export filter, and running it under a watchdog (`watchdog`) that kills it whole — on a
timeout, a stop request, or grantdocs' own end, however it ends."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import IO

from generator.errors import GeneratorError

PACKAGES = "libreoffice-writer-nogui fonts-liberation2"
INSTALL = f"apt-get install {PACKAGES}"

# writer_pdf_Export options (LibreOffice 7.4 reads them as JSON after the filter name).
EXPORT_OPTIONS: dict[str, tuple[str, object]] = {
    "UseTaggedPDF": ("boolean", True),  # structure tree: headings, lists, tables, reading order
    "PDFUACompliance": ("boolean", True),  # PDF/UA-1 identification (pdfuaid:part 1 in the XMP)
    "DisplayPDFDocumentTitle": ("boolean", True),  # the viewer shows the title, not the file name
    "EmbedStandardFonts": ("boolean", True),  # even the PDF "standard 14" fonts: every font embedded
    "ExportBookmarks": ("boolean", True),  # headings as the outline
}
DOCX_FILTER = "MS Word 2007 XML"  # a .docx or nothing: never a damaged file imported as text

STARTUP_TIMEOUT_S = 120.0  # LibreOffice's start, a fresh profile included, on a slow machine
PER_DOCUMENT_TIMEOUT_S = 60.0
ENV = {"SAL_USE_VCLPLUGIN": "svp"}  # no display needed, none looked for

WATCHDOG = Path(__file__).with_name("watchdog.py")  # ends LibreOffice when grantdocs ends, however it ends

StopCheck = Callable[[], bool]
_POLL_S = 0.1  # how often a wait on LibreOffice looks for a stop request
_END_S = 10.0  # the watchdog ends LibreOffice at once: past this, something is wrong with it


class PdfUnavailable(GeneratorError):
    """LibreOffice (or the fonts the PDFs are set in) is not installed."""

    def __init__(self, what: str) -> None:
        super().__init__(f"cannot write PDFs: {what}; install it with: {INSTALL}")


def never() -> bool:
    """A stop check for callers that cannot be interrupted."""
    return False


def soffice() -> str | None:
    """The LibreOffice executable on PATH, if any."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def filter_spec() -> str:
    """The --convert-to argument: PDF through writer_pdf_Export with EXPORT_OPTIONS."""
    options = {name: {"type": kind, "value": json.dumps(value)} for name, (kind, value) in EXPORT_OPTIONS.items()}
    return "pdf:writer_pdf_Export:" + json.dumps(options, separators=(",", ":"))


def require_libreoffice() -> str:
    """The soffice executable; PdfUnavailable, naming the packages to install, if LibreOffice or
    the metric-compatible fonts are missing."""
    exe = soffice()
    if exe is None:
        raise PdfUnavailable("LibreOffice (soffice) is not installed")
    fallback = _arial_substitute(shutil.which("fc-match"))
    if fallback is not None and not fallback.startswith("Liberation Sans"):
        raise PdfUnavailable(f"the templates' Arial would be set in {fallback}, not the metric-compatible Liberation Sans")
    return exe


@lru_cache(maxsize=4)
def _arial_substitute(fc_match: str | None) -> str | None:
    """The family fontconfig (LibreOffice's font lookup) uses for Arial; None when it cannot say."""
    if fc_match is None:
        return None
    try:
        found = subprocess.run([fc_match, "-f", "%{family}", "Arial"], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return found.stdout.strip() or None if found.returncode == 0 else None


def command(exe: str, profile: Path) -> list[str]:
    """LibreOffice with `profile`, headless, with no window, splash, restore or lock: every run's start."""
    return [
        exe,
        f"-env:UserInstallation={profile.as_uri()}",
        "--headless",
        "--invisible",
        "--nologo",
        "--norestore",
        "--nodefault",
        "--nolockcheck",
    ]


def conversion(outdir: Path, docs: list[Path]) -> list[str]:
    """The arguments that convert `docs` (distinct file names) into PDFs in `outdir`."""
    return ["--infilter=" + DOCX_FILTER, "--convert-to", filter_spec(), "--outdir", str(outdir), *[str(p.resolve()) for p in docs]]


def launch(args: list[str], *, output: IO[bytes], remove: Path | None = None) -> subprocess.Popen[bytes]:
    """Start LibreOffice (`args`) under its watchdog, in a session of its own (the terminal's Ctrl-C
    is grantdocs' to handle), its output to `output`. `end` ends it; so does grantdocs' end."""
    return subprocess.Popen(
        [sys.executable, "-I", str(WATCHDOG), *(["--remove", str(remove)] if remove is not None else []), *args],
        stdin=subprocess.PIPE,
        stdout=output,
        stderr=subprocess.STDOUT,
        start_new_session=True,
        env={**os.environ, **ENV},
    )


def end(process: subprocess.Popen[bytes]) -> None:
    """End a LibreOffice `launch` started, with every process it started, and wait for it."""
    if process.stdin is not None:
        with contextlib.suppress(OSError):
            process.stdin.close()  # the watchdog kills LibreOffice's process group
    try:
        process.wait(timeout=_END_S)
    except subprocess.TimeoutExpired:
        kill_group(process.pid)
        process.wait()


def run(args: list[str], *, timeout: float, should_stop: StopCheck = never) -> tuple[int | None, str]:
    """Run LibreOffice to its end; (exit code, output), or (None, output) when it overran
    `timeout` or was asked to stop, and was killed with every process it started."""
    with tempfile.TemporaryFile() as output:
        process = launch(args, output=output)
        deadline = time.monotonic() + timeout
        code: int | None = None
        try:
            while code is None:
                try:
                    code = process.wait(timeout=min(_POLL_S, max(deadline - time.monotonic(), 0.001)))
                except subprocess.TimeoutExpired:
                    if should_stop() or time.monotonic() >= deadline:
                        break
        finally:
            if code is None:
                end(process)
            elif process.stdin is not None:
                process.stdin.close()
        output.seek(0)
        return code, output.read().decode("utf-8", "replace")


def kill_group(pid: int) -> None:
    """Kill the process group `pid` leads."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pid, signal.SIGKILL)


def last_lines(log: str, n: int = 3) -> str:
    """The end of LibreOffice's output, without its progress lines, to say why it failed."""
    lines = [line for line in log.splitlines() if line.strip() and not line.startswith("convert ") and "javaldx" not in line]
    return (": " + " | ".join(lines[-n:])) if lines else ""
