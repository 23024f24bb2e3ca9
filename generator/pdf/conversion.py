"""Word documents → PDFs beside them: each document checked before LibreOffice sees it, converted
in a temp folder, and written with a rename, so that a reader never sees half a PDF; failures
reported per document, the others still converted."""

from __future__ import annotations

import tempfile
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from generator.build.files import write_atomic
from generator.docx.package_check import active_content, read_file, read_members
from generator.errors import GeneratorError, OutputError, PackageError
from generator.pdf.libreoffice import (
    PER_DOCUMENT_TIMEOUT_S,
    STARTUP_TIMEOUT_S,
    StopCheck,
    command,
    conversion,
    last_lines,
    never,
    require_libreoffice,
    run,
)
from generator.pdf.office import Office
from generator.pdf.offices import offices, running_offices
from generator.pdf.profile import new_profile
from generator.pdf.workload import by_cost, cost

MIN_PER_PROCESS = 4  # fewer documents than this per job: starting another LibreOffice costs more than it saves

Failures = list[tuple[Path, str]]


class PdfError(GeneratorError):
    """LibreOffice failed on some documents; the PDFs of the others were written."""

    def __init__(self, message: str, *, made: list[Path], failed: Failures) -> None:
        self.made = made
        self.failed = failed
        super().__init__(message)


@dataclass
class PdfReport:
    """What a conversion made: PDFs written, and the .docx files that got none (with why)."""

    made: list[Path] = field(default_factory=list)
    failed: Failures = field(default_factory=list)


def pdf_path(docx: Path) -> Path:
    """Where the PDF of `docx` goes: beside it, same name."""
    return docx.with_suffix(".pdf")


def convert_to_pdf(
    docx_paths: Iterable[Path], *, timeout: float | None = None, should_stop: StopCheck = never, office: Office | None = None
) -> list[Path]:
    """Write `<name>.pdf` beside each .docx, all through one LibreOffice; the PDFs written.

    That LibreOffice is `office`, kept running between calls (a server's), or else one started
    for this call alone. Documents sharing a file name (from different folders) go through one
    more call each, as LibreOffice names its outputs after the input. Raises PdfUnavailable when
    LibreOffice is missing, and PdfError (listing those made and those not) when any failed.
    """
    docs = list(dict.fromkeys(Path(p) for p in docx_paths))
    if not docs:
        return []
    exe = require_libreoffice()
    checked = [(path, _inspect(path)) for path in docs]
    failed: Failures = [(path, why) for path, (why, _) in checked if why is not None]
    made, bad = _convert(exe, [path for path, (why, _) in checked if why is None], office=office, timeout=timeout, should_stop=should_stop)
    failed += bad
    if failed:
        lines = "\n".join(f"  {path}: {why}" for path, why in failed)
        raise PdfError(f"LibreOffice made no PDF of {len(failed)} of {len(docs)} documents:\n{lines}", made=made, failed=failed)
    return made


def convert_many(docx_paths: Iterable[Path], *, jobs: int = 1, should_stop: StopCheck = never) -> PdfReport:
    """Convert in up to `jobs` LibreOffices at once: the process's own, kept running between calls
    (started now, all at once, if they are not), each given its share of the documents by cost.

    Failures are reported, not raised, so one bad document costs only its own PDF; a missing
    LibreOffice still raises PdfUnavailable, before anything is started. When `should_stop`
    turns true (the user pressed Ctrl-C), LibreOffice is ended and what it had not finished is
    reported as stopped.
    """
    docs = list(dict.fromkeys(Path(p) for p in docx_paths))
    report = PdfReport()
    if not docs:
        return report
    exe = require_libreoffice()
    costs: list[tuple[Path, int]] = []
    for path in docs:
        why, weight = _inspect(path)
        if why is None:
            costs.append((path, weight))
        else:
            report.failed.append((path, why))
    if not costs:
        return report
    # Offices already running are used whatever the count: their start is paid.
    count = min(jobs, len(costs), max(1, len(costs) // MIN_PER_PROCESS, running_offices()))
    shares = by_cost(costs, count)

    def run_share(share: list[Path], office: Office) -> tuple[list[Path], Failures]:
        return _convert(exe, share, office=office, timeout=None, should_stop=should_stop)

    with ThreadPoolExecutor(max_workers=len(shares)) as pool:
        results = list(pool.map(run_share, shares, offices(len(shares))))
    for made, failed in results:
        report.made += made
        report.failed += failed
    return report


def _inspect(docx: Path) -> tuple[str | None, int]:
    """(Why `docx` is not given to LibreOffice, if it is not: missing, too large, damaged, or holding
    something LibreOffice would run or fetch — grantdocs' own outputs never do, this makes sure;
    its conversion cost)."""
    try:
        members = read_members(read_file(docx))
    except FileNotFoundError:
        return "no such file", 0
    except OSError as exc:
        return f"cannot read it: {exc.strerror}", 0
    except PackageError as exc:
        return str(exc), 0
    return "; ".join(active_content(members)) or None, cost(members)


def _convert(
    exe: str, docs: list[Path], *, office: Office | None, timeout: float | None, should_stop: StopCheck
) -> tuple[list[Path], Failures]:
    """Checked documents through LibreOffice, a call per set of distinct file names; (PDFs written, failures)."""
    made: list[Path] = []
    failed: Failures = []
    for group in _distinct_names(docs):
        done, bad = _convert_group(exe, group, office=office, timeout=timeout, should_stop=should_stop)
        made += done
        failed += bad
    return made, failed


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
    exe: str, docs: list[Path], *, office: Office | None, timeout: float | None, should_stop: StopCheck
) -> tuple[list[Path], Failures]:
    """One LibreOffice call over `docs` (distinct file names); (PDFs written, failures)."""
    limit = timeout if timeout is not None else STARTUP_TIMEOUT_S + PER_DOCUMENT_TIMEOUT_S * len(docs)
    with tempfile.TemporaryDirectory(prefix="grantdocs-pdf-") as tmp:
        work = Path(tmp)
        outdir = work / "pdf"
        if office is None:
            profile = new_profile(exe, work / "profile")
            code, log = run([*command(exe, profile), *conversion(outdir, docs)], timeout=limit, should_stop=should_stop)
        else:
            code, log = office.convert(docs, outdir, timeout=limit, should_stop=should_stop)
        if code is None and should_stop():
            why = "stopped before LibreOffice finished it (interrupted)"
        elif code is None:
            why = f"LibreOffice did not finish within {limit:g} s (killed)"
        else:
            why = f"LibreOffice could not convert it (exit code {code}){last_lines(log)}"
        return _collect(docs, outdir, why)


def _collect(docs: list[Path], outdir: Path, why: str) -> tuple[list[Path], Failures]:
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
