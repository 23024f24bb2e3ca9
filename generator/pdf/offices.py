"""The LibreOffices this process keeps, one per parallel job: started when a conversion first needs
them (or ahead of it, by a batch that will convert once it has rendered), reused by every later
conversion, and ended when the process ends."""

from __future__ import annotations

import atexit
import threading

from generator.pdf.office import Office

_offices: list[Office] = []
_lock = threading.Lock()


def offices(count: int) -> list[Office]:
    """The process's first `count` offices (made, not yet started, if there were fewer)."""
    with _lock:
        if not _offices:
            atexit.register(close_offices)
        while len(_offices) < count:
            _offices.append(Office())
        return _offices[:count]


def running_offices() -> int:
    """How many of the process's offices are running: a conversion uses them all."""
    with _lock:
        return sum(office.running for office in _offices)


def start_offices(count: int) -> None:
    """Start `count` offices now, all at once, so that they are ready when the documents are."""
    for office in offices(count):
        office.start()


def close_offices() -> None:
    """End every office of the process (at its exit; a later conversion starts them again)."""
    with _lock:
        chosen = list(_offices)
    for office in chosen:
        office.close()
