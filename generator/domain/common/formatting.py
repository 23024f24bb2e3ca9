"""Jinja filters templates use to show values in house style (one place for money and dates)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from generator.domain.common.dates import long_date, short_date


def _date_or_blank(fmt: Callable[[date], str]) -> Callable[[date | None], str]:
    # An unsigned form keeps its date line blank rather than printing "None".
    return lambda value: fmt(value) if value is not None else ""


def yes_no(value: bool) -> str:
    """Form answers are printed as YES / NO."""
    return "YES" if value else "NO"


def tick(value: bool) -> str:
    """The declaration tick."""
    return "✓" if value else ""


FILTERS: dict[str, Callable[..., Any]] = {
    "short_date": _date_or_blank(short_date),
    "long_date": _date_or_blank(long_date),
    "yes_no": yes_no,
    "tick": tick,
}
