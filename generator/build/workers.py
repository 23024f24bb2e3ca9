"""A batch's inputs rendered one by one or in worker processes: each input's result, whatever
happens to it, and a stop request honoured between inputs, never in the middle of one.
"""

from __future__ import annotations

import ctypes
import gc
import os
import signal
from collections import deque
from collections.abc import Iterator, Mapping
from concurrent.futures import Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path

from generator.build.batch_results import InputResult, OutputChange
from generator.build.changes import change_summary
from generator.build.files import read_regular, write_together
from generator.build.generate import Kept, render_input
from generator.build.interrupts import StopRequest, ignore_signals
from generator.build.manifest import intact, sha256_bytes
from generator.build.manifest_entry import Entry
from generator.build.output_folders import OutputFolders
from generator.build.stamps import settled_stamp, stamp
from generator.checks.accessibility import AccessibilityError, require_accessible
from generator.errors import GeneratorError, TemplateError, one_line, quoted_path

_POLL_S = 0.1  # how often a batch waiting on its workers looks for a stop request
_YOUNG_OBJECTS = 5_000  # see _collecting_for_batch
_AHEAD_PER_JOB = 8  # tasks in hand per worker: enough that none waits while the batch takes a slow one's result
_PR_SET_PDEATHSIG = 1  # prctl(2)


@dataclass(frozen=True, slots=True)
class Task:
    """One input to render, and everything a worker process needs to do it."""

    source: str  # the input's path: a batch holds a task per stale input, and a Path costs several strs
    key: str
    roots: OutputFolders  # the batch's output and confidential folders
    templates: Path
    template_digests: dict[str, str]
    generator: str
    dry_run: bool
    # The input's outputs as the manifest recorded them (name → entry; none with --force): each
    # still on disk as made from this input, its templates and this generator is kept, not rendered.
    recorded: Mapping[str, Entry] = field(default_factory=dict)


def execute(tasks: list[Task], *, jobs: int, stop: StopRequest) -> Iterator[InputResult]:
    """Each task's result, in order, until the user asks to stop: then the inputs in hand are
    finished (a fraction of a second each) and the rest are never started."""
    if stop:  # asked before the batch began: no worker is even started
        return
    if jobs <= 1 or len(tasks) <= 1:
        # The collector set for a batch (_collecting_for_batch), and given back after, as this
        # process (a test run, say) may go on; a worker keeps it so.
        threshold = _collecting_for_batch()
        try:
            for task in tasks:
                if stop:
                    return
                yield _run(task)
        finally:
            gc.set_threshold(*threshold)
            gc.unfreeze()
        return
    pool = ProcessPoolExecutor(max_workers=min(jobs, len(tasks)), initializer=_worker_start, initargs=(os.getpid(),))
    # A few tasks per worker in hand at a time, not all of them: a future (and its result, until
    # taken) for each of 10,000 inputs was most of the batch's memory.
    ahead = _AHEAD_PER_JOB * jobs
    futures: deque[Future[InputResult]] = deque(pool.submit(_run, task) for task in tasks[:ahead])
    submitted = len(futures)
    try:
        while futures:
            future = futures[0]
            while not stop and not future.done():
                wait([future], timeout=_POLL_S)
            if stop:
                break
            futures.popleft()
            if submitted < len(tasks):
                futures.append(pool.submit(_run, tasks[submitted]))
                submitted += 1
            yield future.result()
    except BaseException:  # a second Ctrl-C, or the caller gone: leave at once (workers die with the batch)
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    # Unstarted inputs are dropped; those in hand finish, so none is left half written, and what
    # they finished is recorded rather than redone.
    pool.shutdown(wait=True, cancel_futures=True)
    for future in futures:
        if future.done() and not future.cancelled() and future.exception() is None:
            yield future.result()


def _worker_start(batch_pid: int) -> None:
    ignore_signals()
    _die_with_parent(batch_pid)
    _collecting_for_batch()  # as execute does in-process


def _collecting_for_batch() -> tuple[int, int, int]:
    """Set the garbage collector for rendering a batch; returns the thresholds it had.

    What is alive as rendering starts (modules, wordings, the plan) lives as long as the batch:
    set apart (gc.freeze), as the collector otherwise walks it at every full collection (4% of a
    1-job batch's time before, 1% after). And young objects are collected after _YOUNG_OBJECTS
    more are alive, not Python's 700: a render makes and drops hundreds of thousands of
    containers, nearly all freed at once by their count of references; at 700 the collector ran
    776 times over a 1,000-input batch, walking objects about to be freed anyway (80 ms of the
    batch's 6 s), at 5,000 it runs 8 times (4 ms), measured with gc.callbacks. What it is there
    for, the rare reference cycle, waits a few thousand objects longer."""
    gc.freeze()
    threshold = gc.get_threshold()
    gc.set_threshold(_YOUNG_OBJECTS, *threshold[1:])
    return threshold


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


def _run(task: Task) -> InputResult:
    """One input's result, whatever happens to it: a fault grantdocs did not foresee fails this
    input, with a one-line report, and the rest of the batch goes on."""
    try:
        return _run_input(task)
    except Exception as exc:  # a bug, not the user's input: said plainly, never a traceback over the batch
        why = one_line(f"{type(exc).__name__}: {exc}")
        error = f"{quoted_path(task.source)}: grantdocs failed unexpectedly on this input ({why}); please report it"
        return InputResult(source=task.source, key=task.key, status="failed", error=error)


def _run_input(task: Task) -> InputResult:
    """Render one input, compare with what is on disk, write what changed (in a worker process)."""
    folder = Path(task.key).parent  # the input's folder under the inputs, mirrored under each output folder
    input_stamp = settled_stamp(task.source)  # before it is read: an edit after this changes it
    try:
        renders = render_input(
            Path(task.source),
            out_dir=task.roots.out / folder,
            confidential_dir=task.roots.confidential / folder,
            templates=task.templates,
            generator=task.generator,
            template_digests=task.template_digests,
            keep=partial(_kept, task),
        )
    except GeneratorError as error:
        template = str(error.template) if isinstance(error, TemplateError) else None
        return InputResult(source=task.source, key=task.key, status="failed", error=str(error), template=template)
    rendered = renders.documents
    warnings = tuple(str(w) for w in renders.warnings)
    changes: list[OutputChange] = []
    outputs: list[tuple[str, Path, str]] = []  # each output's name, path and stamp as found (if it stays)
    writes: list[tuple[Path, bytes]] = []
    for output in renders.outputs:
        name = task.roots.name(output.path, confidential=output.confidential)
        if isinstance(output, Kept):
            outputs.append((name, output.path, output.stamp))
            continue
        try:
            path = task.roots.inside(name)  # no link on the way, from its folder down
        except GeneratorError as error:
            return InputResult(source=task.source, key=task.key, status="failed", outputs=tuple(changes), error=str(error))
        found = settled_stamp(path, follow_links=False)  # before it is read, as the input's
        old = read_regular(path)
        if old != output.data:
            changes.append(OutputChange(name, change_summary(old, output.parts, output.stored)))
            writes.append((path, output.data))
        outputs.append((name, path, found))
    if writes and not task.dry_run:
        try:  # all of the input's documents, or none: a document pack never mixes two renders
            write_together(writes)
        except GeneratorError as error:  # a full or read-only disk: the rest of the batch still gets its turn
            return InputResult(source=task.source, key=task.key, status="failed", outputs=tuple(changes), error=str(error))
    try:  # accessibility (DOMAIN.md §6): a failure of the input, kept out of the manifest so it is retried
        require_accessible((output.path, output.parts) for output in rendered)
    except AccessibilityError as error:
        return InputResult(source=task.source, key=task.key, status="failed", outputs=tuple(changes), error=str(error))
    written = set() if task.dry_run else {path for path, _ in writes}
    names = [name for name, _, _ in outputs]
    entries = tuple(
        (
            name,
            replace(task.recorded[name], siblings=names, input_stamp=input_stamp, stamp=found)
            if isinstance(output, Kept)
            else Entry(
                task.key,
                output.input_sha256,
                output.templates,
                task.generator,
                sha256_bytes(output.data),
                siblings=names,
                input_stamp=input_stamp,
                # A document just written is stamped as written: it was hashed from the bytes
                # written, and only a writer racing this batch within a tick of the clock (the
                # folder is locked against other batches) could change it unseen.
                stamp=(stamp(path, follow_links=False) or "") if path in written else found,
            ),
        )
        for output, (name, path, found) in zip(renders.outputs, outputs, strict=True)
    )
    return InputResult(source=task.source, key=task.key, status="rendered", outputs=tuple(changes), entries=entries, warnings=warnings)


def _kept(task: Task, path: Path, confidential: bool, templates: Mapping[str, str], input_sha256: str) -> str | None:
    """Whether an input's document needs no render (generate.Keep): its output is on disk as the
    manifest recorded it, made from this very input, its templates as they are and this generator
    (after a template edit, the documents of the other templates). Such a render would make the
    same bytes: grantdocs' documents are reproducible (tests/build/test_batch.py). The stamp to
    record of it, or None to render it."""
    name = task.roots.name(path, confidential=confidential)
    entry = task.recorded.get(name)
    if entry is None or entry.input_sha256 != input_sha256 or entry.generator != task.generator or entry.templates != templates:
        return None
    try:
        where = task.roots.inside(name)  # as a written one: no link on the way
    except GeneratorError:
        return None  # rendered, then refused with the reason when it is written
    return intact(where, entry)  # None if edited or removed since: made again
