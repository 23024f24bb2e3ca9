"""Regenerate every input under a folder: only what is stale, in parallel, surviving failures.

The manifest is updated only for outputs fully written (each written to a temp file and
renamed), and saved as results arrive, so an interrupted batch loses nothing and the next
run completes the work.
"""

from __future__ import annotations

import ctypes
import os
import signal
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor, wait
from contextlib import nullcontext
from dataclasses import dataclass, field, replace
from pathlib import Path

from generator.build.changes import change_summary
from generator.build.files import cannot_write, exclusive, inside, read_regular, sweep_temporaries, write_together
from generator.build.generate import DEFAULT_TEMPLATES, name_problem, render_input
from generator.build.interrupts import StopRequest, ignore_signals, stop_on_signals
from generator.build.manifest import Entry, Manifest, generator_fingerprint, sha256_bytes, sha256_output
from generator.checks.accessibility import AccessibilityError, require_accessible
from generator.docx.package_check import read_file
from generator.errors import GeneratorError, InputError, OutputError, PackageError, one_line, quoted_path
from generator.inputs.source import read_input_bytes
from generator.pdf import PdfUnavailable, convert_many, pdf_path

_SAVE_EVERY_S = 1.0
_POLL_S = 0.1  # how often a batch waiting on its workers looks for a stop request
_PR_SET_PDEATHSIG = 1  # prctl(2)


@dataclass(frozen=True)
class OutputChange:
    """One output of a batch and what happened to its text."""

    path: str
    summary: str


@dataclass(frozen=True)
class InputResult:
    """What became of one input: its outputs, or the error that stopped it."""

    source: str
    key: str
    status: str  # rendered | unchanged | failed
    outputs: tuple[OutputChange, ...] = ()
    error: str | None = None
    entries: tuple[tuple[str, Entry], ...] = ()


@dataclass
class BatchReport:
    rendered: list[InputResult] = field(default_factory=list)
    unchanged: list[InputResult] = field(default_factory=list)
    failed: list[InputResult] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)  # orphaned files --prune left: changed since grantdocs wrote them
    orphaned: list[str] = field(default_factory=list)
    pdfs: list[str] = field(default_factory=list)  # PDFs written (with --pdf), relative to the output folder
    pdf_failed: list[tuple[str, str]] = field(default_factory=list)  # (.docx, why) that got no PDF
    pdf_error: str | None = None  # why no PDF could be written at all (LibreOffice missing)
    manifest_error: str | None = None  # why the manifest could not be saved (a full disk): the next run redoes the work
    interrupted: str | None = None  # the signal (SIGINT, SIGTERM) that stopped the batch before it finished
    not_started: int = 0  # inputs the stop left for the next run
    seconds: float = 0.0

    def as_dict(self) -> dict[str, object]:
        return {
            "rendered": len(self.rendered),
            "unchanged": len(self.unchanged),
            "failed": len(self.failed),
            "removed": len(self.removed),
            "seconds": round(self.seconds, 3),
            "changes": [{"output": o.path, "summary": o.summary} for r in self.rendered for o in r.outputs],
            "failures": [{"input": r.source, "error": r.error} for r in self.failed],
            "orphaned": self.orphaned,
            "removed_outputs": self.removed,
            "kept_outputs": self.kept,
            "pdfs": self.pdfs,
            "pdf_failures": [{"output": name, "error": why} for name, why in self.pdf_failed]
            + ([{"output": None, "error": self.pdf_error}] if self.pdf_error else []),
            "manifest_error": self.manifest_error,
            "interrupted": self.interrupted,
        }


@dataclass(frozen=True)
class _Task:
    source: Path
    key: str
    out_root: Path
    templates: Path
    template_digests: dict[str, str]
    generator: str
    dry_run: bool


def find_inputs(folder: Path) -> list[Path]:
    """Every YAML input under `folder`, in a stable order: whatever is named like one, so that a
    folder, pipe or device so named is reported (by read_input_bytes) rather than silently skipped."""
    return sorted(p for p in folder.rglob("*") if p.suffix in {".yaml", ".yml"})


def run_batch(
    input_dir: Path,
    *,
    out_dir: Path,
    templates: Path = DEFAULT_TEMPLATES,
    jobs: int | None = None,
    force: bool = False,
    dry_run: bool = False,
    prune: bool = False,
    pdf: bool = False,
    on_result: Callable[[InputResult], None] | None = None,
    on_plan: Callable[[int], None] | None = None,
) -> BatchReport:
    """Render every stale input under `input_dir` into `out_dir`, mirroring its folders.

    With `pdf`, then convert to PDF every output whose PDF is missing or was made from other
    content (every output, with `force`), in up to `jobs` LibreOffice processes.
    """
    # One batch at a time per output folder; a dry run writes nothing, so it needs no lock.
    with stop_on_signals() as stop, nullcontext() if dry_run else exclusive(out_dir):
        if not dry_run:
            sweep_temporaries(out_dir)  # what a killed batch left half-written
        return _run_locked(
            input_dir,
            stop=stop,
            out_dir=out_dir,
            templates=templates,
            jobs=jobs,
            force=force,
            dry_run=dry_run,
            prune=prune,
            pdf=pdf,
            on_result=on_result,
            on_plan=on_plan,
        )


def _run_locked(
    input_dir: Path,
    *,
    stop: StopRequest,
    out_dir: Path,
    templates: Path,
    jobs: int | None,
    force: bool,
    dry_run: bool,
    prune: bool,
    pdf: bool,
    on_result: Callable[[InputResult], None] | None,
    on_plan: Callable[[int], None] | None,
) -> BatchReport:
    started = time.perf_counter()
    report = BatchReport()
    manifest = Manifest.load(out_dir)
    generator = generator_fingerprint()
    template_hashes = (
        {p.relative_to(templates).as_posix(): sha for p in sorted(templates.rglob("*.docx")) if (sha := _template_sha256(p))}
        if templates.is_dir()
        else {}
    )
    sources = find_inputs(input_dir)
    recorded = manifest.by_input()  # as loaded: what each input had before this batch
    keys = {source: source.relative_to(input_dir).as_posix() for source in sources}
    refused = _refused_names(keys)
    tasks = []
    for source in sources:
        key = keys[source]
        if source in refused:
            result = InputResult(
                source=str(source), key=key, status="failed", error=f"{quoted_path(source)}:1:1: (file): {refused[source]}"
            )
            report.failed.append(result)
            if on_result:
                on_result(result)
            continue
        if (
            not force
            and key in recorded
            and manifest.is_current(recorded[key], input_sha256=_input_sha256(source), templates=template_hashes, generator=generator)
        ):
            result = InputResult(source=str(source), key=key, status="unchanged")
            report.unchanged.append(result)
            continue
        tasks.append(_Task(source, key, out_dir, templates, template_hashes, generator, dry_run))
    live = set(keys.values())
    for name, entry in sorted(manifest.entries.items()):
        if entry.input not in live:
            report.orphaned.append(name)
            if prune and not dry_run:
                _prune(manifest, name, report)
    if on_plan:
        on_plan(len(tasks))
    last_save = time.monotonic()
    try:
        for result in _execute(tasks, jobs=jobs or os.cpu_count() or 1, stop=stop):
            (report.failed if result.status == "failed" else report.rendered).append(result)
            if not dry_run and result.status == "rendered":
                for name in recorded.get(result.key, {}):
                    manifest.entries.pop(name, None)
                manifest.entries.update(dict(result.entries))
                if time.monotonic() - last_save > _SAVE_EVERY_S:
                    _save(manifest, report)
                    last_save = time.monotonic()
            if on_result:
                on_result(result)
    finally:
        if not dry_run and (tasks or report.removed):
            _save(manifest, report)
    if pdf and not dry_run and not stop:
        _write_pdfs(manifest, report, jobs=jobs or os.cpu_count() or 1, force=force, stop=stop)
    report.interrupted = stop.signal.name if stop.signal else None
    ran = {r.key for r in [*report.rendered, *report.failed]}
    report.not_started = sum(1 for t in tasks if t.key not in ran)
    report.seconds = time.perf_counter() - started
    return report


def _template_sha256(path: Path) -> str | None:
    """A template's hash, read within its bounds; None if unreadable (each render using it says why)."""
    try:
        return sha256_bytes(read_file(path))
    except (OSError, PackageError):
        return None


def _input_sha256(source: Path) -> str | None:
    """The input's hash, read within its bounds; None if it cannot be read (its render says why)."""
    try:
        return sha256_bytes(read_input_bytes(source))
    except InputError:
        return None


def _refused_names(keys: dict[Path, str]) -> dict[Path, str]:
    """Inputs whose names cannot name their outputs, or that would write the same outputs as
    another (`x.yaml` and `x.yml`), each with why."""
    refused: dict[Path, str] = {}
    by_outputs: dict[str, list[Path]] = {}
    for source, key in keys.items():
        parts = [*Path(key).parent.parts, source.stem]
        problem = next((p for p in map(name_problem, parts) if p is not None), None)
        if problem is not None:
            refused[source] = problem
        else:
            by_outputs.setdefault(str(Path(key).parent / source.stem), []).append(source)
    for same in by_outputs.values():
        for source in same if len(same) > 1 else ():
            others = " and ".join(quoted_path(o) for o in same if o != source)
            refused[source] = f"{others} would write the same documents ({source.stem}/…): rename one of them"
    return refused


def _prune(manifest: Manifest, name: str, report: BatchReport) -> None:
    """Remove an orphaned output and its PDF, only if each is still as grantdocs wrote it (same
    hash), inside the output folder, not through a link; anything else is kept and reported."""
    entry = manifest.entries[name]
    kept = []
    for rel, sha in ((name, entry.sha256), (pdf_path(Path(name)).as_posix(), manifest.pdf_sha256.get(name))):
        try:
            path = inside(manifest.folder, rel)
        except OutputError:
            continue  # a link on the way: nothing of ours is behind it
        found = sha256_output(path)
        if found is None and not path.is_symlink():
            continue  # already gone
        if found is None or found != sha:
            kept.append(rel)
            continue
        try:
            path.unlink()
        except FileNotFoundError:
            pass
        except OSError as exc:
            raise cannot_write(path, exc) from None
    del manifest.entries[name]
    report.removed.append(name)
    report.kept.extend(kept)


def _save(manifest: Manifest, report: BatchReport) -> None:
    """Save the manifest; a failure (full disk) is reported with the rest, not raised over it."""
    try:
        manifest.save()
    except GeneratorError as error:
        report.manifest_error = str(error)


def _write_pdfs(manifest: Manifest, report: BatchReport, *, jobs: int, force: bool, stop: StopRequest) -> None:
    """PDFs of the outputs whose PDF is missing or stale (decided by the .docx hash recorded for it)."""
    folder = manifest.folder
    stale = {
        folder / name: name
        for name, entry in sorted(manifest.entries.items())
        if sha256_output(_inside_or_none(folder, name)) == entry.sha256
        and (force or manifest.pdfs.get(name) != entry.sha256 or sha256_output(pdf_path(folder / name)) != manifest.pdf_sha256.get(name))
    }
    if not stale:
        return
    try:
        converted = convert_many(list(stale), jobs=jobs, should_stop=lambda: bool(stop))
    except PdfUnavailable as error:
        report.pdf_error = str(error)
        return
    made = {pdf: docx for docx in stale for pdf in [pdf_path(docx)]}
    for pdf in converted.made:
        name = stale[made[pdf]]
        manifest.pdfs[name] = manifest.entries[name].sha256
        manifest.pdf_sha256[name] = sha256_bytes(pdf.read_bytes())
        report.pdfs.append(pdf.relative_to(folder).as_posix())
    for docx, why in converted.failed:
        manifest.pdfs.pop(stale[docx], None)
        manifest.pdf_sha256.pop(stale[docx], None)
        report.pdf_failed.append((stale[docx], why))
    _save(manifest, report)


def _inside_or_none(folder: Path, name: str) -> Path | None:
    try:
        return inside(folder, name)
    except OutputError:
        return None


def _execute(tasks: list[_Task], *, jobs: int, stop: StopRequest) -> Iterator[InputResult]:
    """Each task's result, in order, until the user asks to stop: then the inputs in hand are
    finished (a fraction of a second each) and the rest are never started."""
    if jobs <= 1 or len(tasks) <= 1:
        for task in tasks:
            if stop:
                return
            yield _run(task)
        return
    pool = ProcessPoolExecutor(max_workers=min(jobs, len(tasks)), initializer=_worker_start, initargs=(os.getpid(),))
    futures: list[Future[InputResult]] = [pool.submit(_run, task) for task in tasks]
    given = 0
    try:
        for future in futures:
            while not stop and not future.done():
                wait([future], timeout=_POLL_S)
            if stop:
                break
            yield future.result()
            given += 1
    except BaseException:  # a second Ctrl-C, or the caller gone: leave at once (workers die with the batch)
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    # Unstarted inputs are dropped; those in hand finish, so none is left half written, and what
    # they finished is recorded rather than redone.
    pool.shutdown(wait=True, cancel_futures=True)
    for future in futures[given:]:
        if future.done() and not future.cancelled() and future.exception() is None:
            yield future.result()


def _worker_start(batch_pid: int) -> None:
    ignore_signals()
    _die_with_parent(batch_pid)


def _die_with_parent(batch_pid: int) -> None:
    """In a worker: be killed when the batch is. A worker orphaned by kill -9 of its batch would
    otherwise wait for work forever (Linux only; elsewhere an orphan lingers until it is killed)."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        return
    if os.getppid() != batch_pid:  # the batch died before the request took effect (adopted by init or a subreaper)
        os._exit(1)


def _run(task: _Task) -> InputResult:
    """One input's result, whatever happens to it: a fault grantdocs did not foresee fails this
    input, with a one-line report, and the rest of the batch goes on."""
    try:
        return _run_input(task)
    except Exception as exc:  # a bug, not the user's input: said plainly, never a traceback over the batch
        why = one_line(f"{type(exc).__name__}: {exc}")
        error = f"{quoted_path(task.source)}: grantdocs failed unexpectedly on this input ({why}); please report it"
        return InputResult(source=str(task.source), key=task.key, status="failed", error=error)


def _run_input(task: _Task) -> InputResult:
    """Render one input, compare with what is on disk, write what changed (in a worker process)."""
    try:
        rendered = render_input(
            task.source,
            out_dir=task.out_root / Path(task.key).parent,
            templates=task.templates,
            generator=task.generator,
            template_digests=task.template_digests,
        )
    except GeneratorError as error:
        return InputResult(source=str(task.source), key=task.key, status="failed", error=str(error))
    changes: list[OutputChange] = []
    entries: list[tuple[str, Entry]] = []
    writes: list[tuple[Path, bytes]] = []
    for output in rendered:
        name = output.path.relative_to(task.out_root).as_posix()
        try:
            path = inside(task.out_root, name)  # no link on the way, from the output folder down
        except GeneratorError as error:
            return InputResult(source=str(task.source), key=task.key, status="failed", outputs=tuple(changes), error=str(error))
        old = read_regular(path)
        if old != output.data:
            changes.append(OutputChange(name, change_summary(old, output.data)))
            writes.append((path, output.data))
        entries.append((name, Entry(task.key, output.input_sha256, output.templates, task.generator, sha256_bytes(output.data))))
    if writes and not task.dry_run:
        try:  # all of the input's documents, or none: a document pack never mixes two renders
            write_together(writes)
        except GeneratorError as error:  # a full or read-only disk: the rest of the batch still gets its turn
            return InputResult(source=str(task.source), key=task.key, status="failed", outputs=tuple(changes), error=str(error))
    try:  # accessibility (DOMAIN.md §6): a failure of the input, kept out of the manifest so it is retried
        require_accessible((output.path, output.parts) for output in rendered)
    except AccessibilityError as error:
        return InputResult(source=str(task.source), key=task.key, status="failed", outputs=tuple(changes), error=str(error))
    names = [name for name, _ in entries]
    entries = [(name, replace(entry, siblings=names)) for name, entry in entries]
    return InputResult(source=str(task.source), key=task.key, status="rendered", outputs=tuple(changes), entries=tuple(entries))
