"""Regenerate every input under a folder: only what is stale, in parallel, surviving failures.

The manifest is updated only for outputs fully written (each written to a temp file and
renamed), and saved as results arrive, so an interrupted batch loses nothing and the next
run completes the work.
"""

from __future__ import annotations

import os
import stat
import time
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import replace
from functools import partial
from pathlib import Path

from generator.build.batch_outputs import prune_orphan, refused_names
from generator.build.batch_results import BatchReport, InputResult, OutputChange
from generator.build.files import entries_under, exclusive, sweep_temporaries
from generator.build.generate import DEFAULT_TEMPLATES, template_sha256
from generator.build.interrupts import StopRequest, stop_on_signals
from generator.build.manifest import Manifest, generator_fingerprint, sha256_bytes
from generator.build.manifest_entry import Entry
from generator.build.output_folders import CONFIDENTIAL, OutputFolders
from generator.build.stamps import stamp
from generator.build.workers import Task, execute
from generator.errors import GeneratorError, InputError, OutputError, quoted_path
from generator.inputs.source import read_input_bytes
from generator.pdf import PdfUnavailable, convert_many, pdf_path, start_offices


def find_inputs(folder: Path) -> list[Path]:
    """Every YAML input under `folder`, in a stable order: whatever is named like one, so that a
    folder, pipe or device so named is reported (by read_input_bytes) rather than silently skipped."""
    return [source for source, _ in input_keys(folder)]


def input_keys(folder: Path) -> list[tuple[Path, str]]:
    """Every YAML input under `folder` (as find_inputs), each with its key: its path in `folder`,
    with '/' between folders (as Path.relative_to(folder).as_posix() gives it)."""
    prefix = os.path.join(str(folder), "")
    found = [
        (entry.path[len(prefix) :], entry.path)
        for entry in entries_under(folder)
        if 0 < (dot := entry.name.rfind(".")) < len(entry.name) - 1 and entry.name[dot:] in _INPUT_SUFFIXES  # as Path.suffix
    ]
    found.sort(key=lambda found: found[0].split("/"))  # as Paths sort: folder by folder
    return [(Path(path), key) for key, path in found]


_INPUT_SUFFIXES = frozenset({".yaml", ".yml"})


def run_batch(
    input_dir: Path,
    *,
    out_dir: Path,
    confidential_dir: Path | None = None,
    templates: Path = DEFAULT_TEMPLATES,
    jobs: int | None = None,
    force: bool = False,
    dry_run: bool = False,
    prune: bool = False,
    pdf: bool = False,
    on_result: Callable[[InputResult], None] | None = None,
    on_plan: Callable[[int], None] | None = None,
) -> BatchReport:
    """Render every stale input under `input_dir` into `out_dir`, mirroring its folders, and
    each Part 2 into `confidential_dir` (by default `<out_dir>-confidential`, beside it), likewise.

    With `pdf`, then convert to PDF every output whose PDF is missing or was made from other
    content (every output, with `force`), in up to `jobs` LibreOffice processes.
    """
    folders = OutputFolders.of(out_dir, confidential_dir)  # refused before anything is written
    with stop_on_signals() as stop, ExitStack() as locks:
        # One batch at a time per output folder; a dry run writes nothing, so it needs no lock.
        for folder in () if dry_run else (folders.out, folders.confidential):
            locks.enter_context(exclusive(folder))
            sweep_temporaries(folder)  # what a killed batch left half-written
        return _run_locked(
            input_dir,
            stop=stop,
            folders=folders,
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
    folders: OutputFolders,
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
    manifest = Manifest.load(folders.out, folders.confidential)
    recorded = manifest.by_input()  # as loaded: what each input had before this batch
    tasks = _plan(
        input_dir,
        manifest=manifest,
        recorded=recorded,
        report=report,
        folders=folders,
        templates=templates,
        force=force,
        dry_run=dry_run,
        prune=prune,
        on_result=on_result,
    )
    if on_plan:
        on_plan(len(tasks))
    if pdf and tasks and not dry_run and not stop:
        # What is rendered will be converted: LibreOffice starts now, beside the rendering, and
        # is ready when the documents are.
        start_offices(jobs or os.cpu_count() or 1)
    if not dry_run:
        _journal(manifest, report)  # what planning pruned
    finished = 0
    texts: dict[str, str] = {}  # each change summary's text once: most say "new" or the same formatting change
    try:
        for result in execute(tasks, jobs=jobs or os.cpu_count() or 1, stop=stop):
            finished += 1
            if not dry_run and result.status == "rendered":
                made = {name for name, _ in result.entries}
                for name in recorded.pop(result.key, {}):
                    if CONFIDENTIAL + name in made:  # a Part 2 an earlier grantdocs wrote beside the Part 1 documents
                        prune_orphan(manifest, name, report)
                    elif name not in made:  # the input no longer makes it (a recipient's agreement dropped)
                        _orphan(manifest, name, report, prune=prune)
                    else:
                        manifest.forget(name)
                for name, entry in result.entries:
                    manifest.record(name, entry)
                _journal(manifest, report)
            if on_result:
                on_result(result)
            # The report keeps what it says of each input, not the entries the manifest now holds.
            outputs = tuple(OutputChange(o.path, texts.setdefault(o.summary, o.summary)) for o in result.outputs)
            (report.failed if result.status == "failed" else report.rendered).append(replace(result, entries=(), outputs=outputs))
    finally:
        if not dry_run and (manifest.unsaved or manifest.changed):
            _save(manifest, report)
    if pdf and not dry_run and not stop:
        _write_pdfs(manifest, report, jobs=jobs or os.cpu_count() or 1, force=force, stop=stop)
    report.interrupted = stop.signal.name if stop.signal else None
    report.not_started = len(tasks) - finished
    report.seconds = time.perf_counter() - started
    return report


def _plan(
    input_dir: Path,
    *,
    manifest: Manifest,
    recorded: dict[str, dict[str, Entry]],
    report: BatchReport,
    folders: OutputFolders,
    templates: Path,
    force: bool,
    dry_run: bool,
    prune: bool,
    on_result: Callable[[InputResult], None] | None,
) -> list[Task]:
    """The inputs to render: each stale one, as a task. Refused inputs are reported failed,
    current ones unchanged; outputs no input makes are reported orphaned (and pruned with `prune`)."""
    generator = generator_fingerprint()
    template_hashes = (
        {p.relative_to(templates).as_posix(): sha for p in sorted(templates.rglob("*.docx")) if (sha := template_sha256(p))}
        if templates.is_dir()
        else {}
    )
    keys = dict(input_keys(input_dir))
    refused = refused_names(keys)
    tasks = []
    for source, key in keys.items():
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
            and manifest.is_current(
                recorded[key],
                input_stamp=stamp(source),
                input_sha256=partial(_input_sha256, source),
                templates=template_hashes,
                generator=generator,
            )
        ):
            report.unchanged.append(InputResult(source=str(source), key=key, status="unchanged"))
            continue
        # What was recorded of its outputs: the worker keeps each document still current (none with --force).
        outputs = {} if force else recorded.get(key, {})
        tasks.append(Task(str(source), key, folders, templates, template_hashes, generator, dry_run, recorded=outputs))
    live = set(keys.values())
    for name in sorted(name for name, entry in manifest.entries.items() if entry.input not in live):
        report.orphaned.append(name)
        if prune and not dry_run:
            prune_orphan(manifest, name, report)
    return tasks


def _orphan(manifest: Manifest, name: str, report: BatchReport, *, prune: bool) -> None:
    """An output its input no longer makes: reported, and removed with --prune; otherwise kept in
    the manifest under no input, so that a later batch still reports it and can prune it."""
    report.orphaned.append(name)
    if prune:
        prune_orphan(manifest, name, report)
    else:
        manifest.record(name, replace(manifest.entries[name], input="", siblings=[name]))


def _input_sha256(source: Path) -> str | None:
    """The input's hash, read within its bounds; None if it cannot be read (its render says why)."""
    try:
        return sha256_bytes(read_input_bytes(source))
    except InputError:
        return None


def _journal(manifest: Manifest, report: BatchReport) -> None:
    """Record the manifest's changes in its journal; a failure (full disk) is reported with the rest."""
    try:
        manifest.journal()
    except GeneratorError as error:
        report.manifest_error = str(error)


def _save(manifest: Manifest, report: BatchReport) -> None:
    """Save the manifest; a failure (full disk) is reported with the rest, not raised over it."""
    try:
        manifest.save()
    except GeneratorError as error:
        report.manifest_error = str(error)


def _write_pdfs(manifest: Manifest, report: BatchReport, *, jobs: int, force: bool, stop: StopRequest) -> None:
    """PDFs of the outputs whose PDF is missing or stale (decided by the .docx hash recorded for it)."""
    folders = manifest.folders
    # The outputs on disk were hashed as the batch planned; here a look at each (lstat) will do:
    # LibreOffice is given regular files only, each checked again before it converts (pdf.py).
    stale = {
        folders.path(name): name
        for name, entry in sorted(manifest.entries.items())
        if _is_file(_inside_or_none(folders, name))
        and (force or manifest.pdfs.get(name) != entry.sha256 or not _is_file(pdf_path(folders.path(name))))
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
        report.pdfs.append(pdf_path(Path(name)).as_posix())
    for docx, why in converted.failed:
        manifest.pdfs.pop(stale[docx], None)
        manifest.pdf_sha256.pop(stale[docx], None)
        report.pdf_failed.append((stale[docx], why))
    _save(manifest, report)


def _is_file(path: Path | None) -> bool:
    """Whether `path` is a regular file itself, not a link to one."""
    try:
        return path is not None and stat.S_ISREG(os.lstat(path).st_mode)
    except OSError:
        return False


def _inside_or_none(folders: OutputFolders, name: str) -> Path | None:
    try:
        return folders.inside(name)
    except OutputError:
        return None
