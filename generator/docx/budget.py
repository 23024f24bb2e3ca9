"""What one render may spend: CPU time and memory, so that a runaway template ends as an error.

A template is a hand-edited Word file. The sandbox (generator.docx.render) bounds what it sees go by
(repetition, powers, ranges), but Jinja builds strings and runs loops where it looks at nothing:
`"x"|center(10**10)`, `"{:999999999}".format(1)`, `"%999999999d" % 1`, a `~` doubled in a loop,
a `join` of a long repeated list, `range(100000)` inside `range(100000)`. Bounding each of those
one by one would miss the next; bounding the process while it renders catches them all:

- CPU: a virtual-time timer (SIGVTALRM) raises OverBudget in the render. Only in the main
  thread, where Python runs signal handlers; elsewhere (a caller's own thread) it is not set.
- memory: a soft limit on the address space, MEMORY_BYTES above what the process already has,
  so an allocation beyond it fails with MemoryError, which becomes OverBudget. Linux only (it
  reads /proc/self/statm, and other systems do not enforce RLIMIT_AS); the hard limit and the
  previous soft limit are left as they were, and the soft limit is restored after the render.

A real render takes milliseconds and a few megabytes; the bounds are far above that.
"""

from __future__ import annotations

import os
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager

try:
    import resource
except ImportError:  # not on Windows: the memory bound is then not set
    _HAS_RESOURCE = False
else:
    _HAS_RESOURCE = True

CPU_SECONDS = 20.0
MEMORY_BYTES = 512 * 1024 * 1024
_PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


class OverBudget(BaseException):
    """A render went beyond its CPU time or memory. A BaseException, like KeyboardInterrupt:
    a filter's or Jinja's `except Exception` must not swallow it."""


@contextmanager
def render_budget() -> Iterator[None]:
    """Run the block with CPU time and memory bounded; raises OverBudget saying which ran out."""
    timed = hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    previous_handler = None
    if timed:
        previous_handler = signal.signal(signal.SIGVTALRM, _out_of_time)
        signal.setitimer(signal.ITIMER_VIRTUAL, CPU_SECONDS)
    previous_limit = _limit_memory(MEMORY_BYTES)
    try:
        yield
    except MemoryError:
        raise _out_of_memory() from None
    finally:
        if timed:
            signal.setitimer(signal.ITIMER_VIRTUAL, 0)
            signal.signal(signal.SIGVTALRM, signal.SIG_DFL if previous_handler is None else previous_handler)
        if previous_limit is not None:
            resource.setrlimit(resource.RLIMIT_AS, previous_limit)


def overrun(exc: BaseException) -> OverBudget | None:
    """`exc` read as a render going over its budget: OverBudget itself, or a MemoryError (an
    allocation past the memory bound) as the OverBudget that says so; None for anything else."""
    if isinstance(exc, OverBudget):
        return exc
    if isinstance(exc, MemoryError):
        return _out_of_memory()
    return None


def _out_of_memory() -> OverBudget:
    return OverBudget(
        f"it needed more than {MEMORY_BYTES // (1024 * 1024)} MB of memory "
        "(a filter or format with a huge width, or text doubled in a loop?)"
    )


def _out_of_time(signum: int, frame: object) -> None:
    raise OverBudget(f"it ran for more than {CPU_SECONDS:g} s of CPU time (a loop inside a loop over a long range?)")


# /proc/self/statm, kept open: reading it again is a pread, where opening it for every render cost
# half the budget's own time. /proc/self is whoever opens it, so a process forked with it open
# (a batch's worker) forgets its parent's and opens its own (_forget_statm, run by the fork).
_STATM: int | None = None
_STATM_LOCK = threading.Lock()


def _statm() -> int:
    global _STATM
    with _STATM_LOCK:
        if _STATM is None:
            _STATM = os.open("/proc/self/statm", os.O_RDONLY | os.O_CLOEXEC)
        return _STATM


def _forget_statm() -> None:
    """In a forked child: the parent's file closed, and a lock of its own (one another thread of
    the parent held as it forked would never be released here)."""
    global _STATM, _STATM_LOCK
    if _STATM is not None:
        os.close(_STATM)
    _STATM, _STATM_LOCK = None, threading.Lock()


if hasattr(os, "register_at_fork"):  # POSIX: a system without fork starts no child with the file open
    os.register_at_fork(after_in_child=_forget_statm)


def _limit_memory(memory_bytes: int) -> tuple[int, int] | None:
    """Set the soft address-space limit to what the process has now plus `memory_bytes`;
    returns the limits to restore, or None where the bound is not set."""
    if not _HAS_RESOURCE:
        return None
    try:
        in_use = int(os.pread(_statm(), 64, 0).split()[0]) * _PAGE
    except OSError:
        return None
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    bound = in_use + memory_bytes
    if soft != resource.RLIM_INFINITY and soft <= bound:
        return None  # a tighter limit is already set: keep it
    if hard != resource.RLIM_INFINITY:
        bound = min(bound, hard)
    resource.setrlimit(resource.RLIMIT_AS, (bound, hard))
    return soft, hard
