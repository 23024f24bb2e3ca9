"""Ctrl-C and SIGTERM during a batch: the first asks it to stop at the next safe point, a second
ends it at once.

Python's own Ctrl-C raises KeyboardInterrupt wherever the main thread happens to be: inside the
process pool's bookkeeping (where it was seen to be swallowed, the batch running on for seconds),
or between two renames of an input's documents. So a batch takes the signals itself and checks
the request between inputs and while it waits for its workers and LibreOffice; its workers
ignore them and finish the input in hand, which takes a fraction of a second.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from types import FrameType

SIGNALS = (signal.SIGINT, signal.SIGTERM)


@dataclass
class StopRequest:
    """Whether, and by which signal, the user asked the run to stop."""

    signal: signal.Signals | None = None

    def __bool__(self) -> bool:
        return self.signal is not None


class Interrupted(KeyboardInterrupt):
    """Ctrl-C: Python's KeyboardInterrupt in all but name. CPython 3.11 records a KeyboardInterrupt
    of that exact type leaving code run through PyRun_String as never handled (its
    _Py_UnhandledKeyboardInterrupt), and pydantic-core runs such code as pydantic loads; `python -m
    cli` then ends by SIGINT after exiting with 130. That was -2 in 10 of 15 Ctrl-Cs in a batch's
    first 0.15 s on a busy machine, and 130 in all of 90 with this subclass, which it does not record."""


def interrupt(signum: int, frame: FrameType | None) -> None:
    """A Ctrl-C handler: raises Interrupted, where Python's own raises KeyboardInterrupt."""
    raise Interrupted


@contextmanager
def stop_on_signals() -> Iterator[StopRequest]:
    """A StopRequest set by the first Ctrl-C or SIGTERM while the block runs; a second raises
    Interrupted, a KeyboardInterrupt. Outside the main thread, where Python delivers no signals,
    the request is never set."""
    request = StopRequest()
    if threading.current_thread() is not threading.main_thread():
        yield request
        return

    def handler(signum: int, frame: FrameType | None) -> None:
        if request.signal is not None:
            interrupt(signum, frame)
        request.signal = signal.Signals(signum)

    previous = {s: signal.signal(s, handler) for s in SIGNALS}
    try:
        yield request
    finally:
        for s, old in previous.items():
            signal.signal(s, old)


def ignore_signals() -> None:
    """In a batch's worker process: leave Ctrl-C and SIGTERM to the batch, which stops the workers
    after the input in hand, so that no input's documents are left half replaced."""
    for s in SIGNALS:
        signal.signal(s, signal.SIG_IGN)
