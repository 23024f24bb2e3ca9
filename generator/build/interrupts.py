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
import sys
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


class _Pending:
    """A Ctrl-C the handler raised Interrupted for, until a batch takes it as its stop request:
    code it lands in may swallow it. lxml's module set-up does (a Ctrl-C while `from lxml import
    etree` ran its abc.register was lost, and the batch then ran to the end: 1 in about 45
    Ctrl-Cs in a batch's first 0.12 s on a busy machine)."""

    signal: signal.Signals | None = None


def interrupt(signum: int, frame: FrameType | None) -> None:
    """A Ctrl-C handler: raises Interrupted, where Python's own raises KeyboardInterrupt."""
    _Pending.signal = signal.Signals(signum)
    raise Interrupted


@contextmanager
def ctrl_c_taken() -> Iterator[None]:
    """The command line's Ctrl-C while the block runs: `interrupt` for the signal, `unraisable` for
    where Python cannot pass on what it raises, and a Ctrl-C turned into something else on its way
    out is an Interrupted again. Code it lands in may wrap it: pydantic-core, building a model's
    validator as the batch's modules loaded, raised a SchemaError whose message merely ended
    "Interrupted:", and the user saw its traceback. While a Ctrl-C is pending (no batch took it),
    whatever exception ends the block ends it because of that Ctrl-C."""
    previous_handler = signal.signal(signal.SIGINT, interrupt)
    previous_hook, sys.unraisablehook = sys.unraisablehook, unraisable
    try:
        yield
    except Exception:
        if _Pending.signal is None:
            raise
        raise Interrupted from None
    finally:
        signal.signal(signal.SIGINT, previous_handler)
        sys.unraisablehook = previous_hook


def unraisable(raised: sys.UnraisableHookArgs) -> None:
    """sys.unraisablehook: an Interrupted that landed where Python cannot raise it (a finalizer, a
    callback: "Exception ignored in …" and its traceback, seen when a Ctrl-C in a batch's first
    moments fell in pydantic compiling a field's pattern) is not printed, as _Pending holds the
    Ctrl-C for the batch; anything else goes to Python's own hook."""
    if raised.exc_type is not None and issubclass(raised.exc_type, Interrupted):
        return
    sys.__unraisablehook__(raised)


@contextmanager
def stop_on_signals() -> Iterator[StopRequest]:
    """A StopRequest set by the first Ctrl-C or SIGTERM while the block runs (or already set by a
    Ctrl-C that `interrupt` took before it, if that reached no one); a second raises Interrupted.
    Outside the main thread, where Python delivers no signals, it is set only so."""
    request = StopRequest(_Pending.signal)  # a Ctrl-C before the batch began, which it honours at once
    _Pending.signal = None
    if threading.current_thread() is not threading.main_thread():
        yield request
        return

    def handler(signum: int, frame: FrameType | None) -> None:
        if request.signal is not None:
            raise Interrupted
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
