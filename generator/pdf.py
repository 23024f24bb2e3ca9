"""Word documents → accessible PDFs, through LibreOffice headless. The only module that runs it.

Many documents go through ONE `soffice --convert-to` call: starting LibreOffice costs far more
than converting a document, so a batch is converted by a few long-lived processes (one per
parallel job), never one per document. Each call has a private, throwaway user profile, so
parallel converters (and a LibreOffice the user has open) never collide.

The PDFs are tagged (structure tree for screen readers), flagged PDF/UA, show the document's
title rather than its file name, keep the document language (en-GB, from the .docx) and embed
every font. The templates use Arial, which LibreOffice replaces by the metric-compatible
Liberation Sans (fonts-liberation2), so line breaks and pages come out as in Word, on any machine.

Each PDF is written next to its .docx as `<same name>.pdf`, converted in a temp folder first
and then written with a rename: a reader never sees half a PDF.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from generator.build.files import write_atomic
from generator.docx.package_check import active_content, read_file, read_members
from generator.errors import GeneratorError, OutputError, PackageError

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

STARTUP_TIMEOUT_S = 120.0  # LibreOffice's start, a fresh profile included, on a slow machine
PER_DOCUMENT_TIMEOUT_S = 60.0
MIN_PER_PROCESS = 4  # fewer documents than this per process: starting another costs more than it saves


class PdfUnavailable(GeneratorError):
    """LibreOffice (or the fonts the PDFs are set in) is not installed."""

    def __init__(self, what: str) -> None:
        super().__init__(f"cannot write PDFs: {what}; install it with: {INSTALL}")


class PdfError(GeneratorError):
    """LibreOffice failed on some documents; the PDFs of the others were written."""

    def __init__(self, message: str, *, made: list[Path], failed: list[tuple[Path, str]]) -> None:
        self.made = made
        self.failed = failed
        super().__init__(message)


@dataclass
class PdfReport:
    """What a conversion made: PDFs written, and the .docx files that got none (with why)."""

    made: list[Path] = field(default_factory=list)
    failed: list[tuple[Path, str]] = field(default_factory=list)


def pdf_path(docx: Path) -> Path:
    """Where the PDF of `docx` goes: beside it, same name."""
    return docx.with_suffix(".pdf")


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


StopCheck = Callable[[], bool]
_POLL_S = 0.1  # how often a wait on LibreOffice looks for a stop request


def _never() -> bool:
    return False


def convert_to_pdf(
    docx_paths: Iterable[Path], *, timeout: float | None = None, should_stop: StopCheck = _never, profile: Path | None = None
) -> list[Path]:
    """Write `<name>.pdf` beside each .docx, all through one LibreOffice process; the PDFs written.

    Documents sharing a file name (from different folders) go through one more call each, as
    LibreOffice names its outputs after the input. Raises PdfUnavailable when LibreOffice is
    missing, and PdfError (listing those made and those not) when any document failed.
    `profile` is a LibreOffice profile folder to keep between calls (a server's: made once, it
    saves a quarter of each start); the caller runs one call at a time through it.
    """
    docs = list(dict.fromkeys(Path(p) for p in docx_paths))
    if not docs:
        return []
    exe = require_libreoffice()
    made: list[Path] = []
    failed: list[tuple[Path, str]] = []
    for group in _distinct_names(docs):
        done, bad = _convert_group(exe, group, timeout=timeout, should_stop=should_stop, profile=profile)
        made += done
        failed += bad
    if failed:
        lines = "\n".join(f"  {path}: {why}" for path, why in failed)
        raise PdfError(f"LibreOffice made no PDF of {len(failed)} of {len(docs)} documents:\n{lines}", made=made, failed=failed)
    return made


def convert_many(docx_paths: Iterable[Path], *, jobs: int = 1, should_stop: StopCheck = _never) -> PdfReport:
    """Convert in up to `jobs` LibreOffice processes at once (one per chunk, each its own profile).

    Failures are reported, not raised, so one bad document costs only its own PDF; a missing
    LibreOffice still raises PdfUnavailable, before anything is started. When `should_stop`
    turns true (the user pressed Ctrl-C), LibreOffice is ended and what it had not finished is
    reported as stopped.
    """
    docs = list(dict.fromkeys(Path(p) for p in docx_paths))
    report = PdfReport()
    if not docs:
        return report
    require_libreoffice()
    chunks = max(1, min(jobs, len(docs) // MIN_PER_PROCESS))
    # Round robin, so the big documents (packs) are spread over the processes.
    groups = [docs[i::chunks] for i in range(chunks)]

    def run(group: list[Path]) -> PdfReport:
        try:
            return PdfReport(made=convert_to_pdf(group, should_stop=should_stop))
        except PdfError as error:
            return PdfReport(made=error.made, failed=error.failed)

    if chunks == 1:
        results = [run(groups[0])]
    else:
        with ThreadPoolExecutor(max_workers=chunks) as pool:
            results = list(pool.map(run, groups))
    for result in results:
        report.made += result.made
        report.failed += result.failed
    return report


def _distinct_names(docs: list[Path]) -> list[list[Path]]:
    """Split into groups whose file names are distinct (one group unless names repeat)."""
    groups: list[list[Path]] = []
    names: list[set[str]] = []
    for path in docs:
        for group, seen in zip(groups, names, strict=False):
            if path.name not in seen:
                group.append(path)
                seen.add(path.name)
                break
        else:
            groups.append([path])
            names.append({path.name})
    return groups


def _convert_group(
    exe: str, docs: list[Path], *, timeout: float | None, should_stop: StopCheck, profile: Path | None = None
) -> tuple[list[Path], list[tuple[Path, str]]]:
    """One soffice run over `docs` (distinct file names); (PDFs written, failures)."""
    refused = [(p, why) for p in docs if (why := _refusal(p)) is not None]
    refused_paths = {path for path, _ in refused}
    docs = [p for p in docs if p not in refused_paths]
    if not docs:
        return [], refused
    limit = timeout if timeout is not None else STARTUP_TIMEOUT_S + PER_DOCUMENT_TIMEOUT_S * len(docs)
    with tempfile.TemporaryDirectory(prefix="grantdocs-pdf-") as tmp:
        work = Path(tmp)
        outdir = work / "pdf"
        command = [
            *_office(exe, profile or work / "profile"),
            "--infilter=MS Word 2007 XML",  # a .docx or nothing: never a damaged file imported as text
            "--convert-to",
            filter_spec(),
            "--outdir",
            str(outdir),
            *[str(p.resolve()) for p in docs],
        ]
        code, log = _run(command, timeout=limit, should_stop=should_stop)
        if code is None and should_stop():
            why = "stopped before LibreOffice finished it (interrupted)"
        elif code is None:
            why = f"LibreOffice did not finish within {limit:g} s (killed)"
        else:
            why = f"LibreOffice could not convert it (exit code {code}){_last_lines(log)}"
        made, failed = _collect(docs, outdir, why)
    return made, refused + failed


def _office(exe: str, profile: Path) -> list[str]:
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


def _refusal(docx: Path) -> str | None:
    """Why `docx` is not given to LibreOffice, if it is not: missing, too large, damaged, or holding
    something LibreOffice would run or fetch (grantdocs' own outputs never do; this makes sure)."""
    try:
        problems = active_content(read_members(read_file(docx)))
    except FileNotFoundError:
        return "no such file"
    except OSError as exc:
        return f"cannot read it: {exc.strerror}"
    except PackageError as exc:
        return str(exc)
    return "; ".join(problems) or None


def _collect(docs: list[Path], outdir: Path, why: str) -> tuple[list[Path], list[tuple[Path, str]]]:
    """Move each PDF LibreOffice wrote next to its .docx (temp file + rename)."""
    made, failed = [], []
    for docx in docs:
        produced = outdir / pdf_path(Path(docx.name))
        try:
            data = produced.read_bytes()
        except OSError:
            data = b""
        if not data.startswith(b"%PDF-"):
            failed.append((docx, why))
            continue
        target = pdf_path(docx)
        try:
            write_atomic(target, data)
        except OutputError as error:
            failed.append((docx, str(error)))
            continue
        made.append(target)
    return made, failed


def _run(command: list[str], *, timeout: float, should_stop: StopCheck = _never) -> tuple[int | None, str]:
    """Run LibreOffice in a session of its own; (exit code, output), or (None, output) when it
    overran `timeout` and was killed with every process it started."""
    env = {**os.environ, "SAL_USE_VCLPLUGIN": "svp"}  # no display needed, none looked for
    process = subprocess.Popen(
        command,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
        env=env,
    )
    deadline = time.monotonic() + timeout
    try:
        while True:
            try:
                out, _ = process.communicate(timeout=min(_POLL_S, max(deadline - time.monotonic(), 0.001)))
                break
            except subprocess.TimeoutExpired:
                if should_stop() or time.monotonic() >= deadline:
                    _kill_group(process.pid)
                    out, _ = process.communicate()
                    return None, out.decode("utf-8", "replace")
    except BaseException:
        _kill_group(process.pid)
        process.wait()
        raise
    return process.returncode, out.decode("utf-8", "replace")


def _kill_group(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pid, signal.SIGKILL)


def _last_lines(log: str, n: int = 3) -> str:
    lines = [line for line in log.splitlines() if line.strip() and not line.startswith("convert ") and "javaldx" not in line]
    return (": " + " | ".join(lines[-n:])) if lines else ""


SPARE_READY_S = 1.5  # a spare LibreOffice has started by then (0.7 s to 1 s here): safe to hand it work


class WarmOffice:
    """PDFs for a server, each from a LibreOffice started ahead of the request.

    A LibreOffice already running with a profile takes over a conversion asked of it by a second
    `soffice --convert-to` with that profile (its single-instance pipe) and converts at once:
    0.12 s a document here, against 0.75 s for a start. It ends after that conversion, so a new
    spare is started as soon as one is used, off the request's time. Conversions go one at a
    time; without a spare ready (the first, or two in quick succession) a conversion starts
    LibreOffice itself, as `convert_to_pdf` always does. The profile is the server's own: given,
    or a temporary folder made when first needed and removed by `close`.
    """

    def __init__(self, profile: Path | None = None) -> None:
        self._own_profile = profile is None
        self._profile = profile
        self._spare: subprocess.Popen[bytes] | None = None
        self._started = 0.0
        self._lock = threading.Lock()

    @property
    def profile(self) -> Path:
        if self._profile is None:
            self._profile = Path(tempfile.mkdtemp(prefix="grantdocs-serve-office-"))
        return self._profile

    def start(self) -> None:
        """Start a spare LibreOffice, unless one is running; nothing if LibreOffice is missing."""
        exe = soffice()
        if exe is None or (self._spare is not None and self._spare.poll() is None):
            return
        command = [*_office(exe, self.profile), f"--accept=pipe,name=grantdocs-{os.getpid()}-{id(self)};urp;"]
        self._spare = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        self._started = time.monotonic()

    def convert(self, docx: Path) -> Path:
        """The PDF of `docx`, written beside it; PdfError or PdfUnavailable as convert_to_pdf."""
        with self._lock:
            spare = self._spare
            if spare is not None and spare.poll() is None:
                time.sleep(max(0.0, SPARE_READY_S - (time.monotonic() - self._started)))
            try:
                (made,) = convert_to_pdf([docx], profile=self.profile)
            finally:
                if spare is not None:
                    with contextlib.suppress(subprocess.TimeoutExpired):
                        spare.wait(timeout=5)  # it ends once it has converted
                self.start()
        return made

    def close(self) -> None:
        """End the spare; remove the profile if it is this office's own. Safe to call again."""
        spare, self._spare = self._spare, None
        if spare is not None and spare.poll() is None:
            _kill_group(spare.pid)
            with contextlib.suppress(subprocess.TimeoutExpired):
                spare.wait(timeout=5)
        if self._own_profile and self._profile is not None:
            shutil.rmtree(self._profile, ignore_errors=True)
            self._profile = None
