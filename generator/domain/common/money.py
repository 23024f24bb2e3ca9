"""Money held exactly, to the penny, and shown in house style: £450,000.00, £1.701m."""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator, WithJsonSchema

from generator.domain.common.base import deceptive

# ASCII digits only: Python's \d (and Decimal) would read ４５０ or ٤٥٠ as 450.
_MONEY_TEXT = re.compile(r"^£?\s*(\d{1,3}(,\d{3})+|\d+)(\.\d+)?$", re.ASCII)
PENNY = Decimal("0.01")
MAX_MONEY = Decimal(10) ** 13
"""£10 trillion: beyond any public budget, so a larger figure is a slip (digits pasted twice, an
exponent) and would overflow the tables' columns; refused rather than printed."""
# What _parse_money and _check_money accept, as one pattern for editors: _MONEY_TEXT to the penny
# (more decimal places only as zeros) within spaces; and, as they do, a minus before a zero.
_FIGURE = r"(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)"
_SPACES = r"[ \t\n\r\f\v]*"  # \s under re.ASCII
MONEY_PATTERN = rf"^\s*(?:£?{_SPACES}{_FIGURE}(?:\.[0-9]{{1,2}}0*)?|-£?{_SPACES}(?:0{{1,3}}(?:,000)+|0+)(?:\.0+)?)\s*$"
MONEY_SCHEMA = {
    "anyOf": [{"type": "number", "minimum": 0, "maximum": int(MAX_MONEY)}, {"type": "string", "pattern": MONEY_PATTERN}],
    "description": 'An exact sum in pounds, to the penny: 450000.00 or "£450,000.00".',
}


def _parse_money(value: Any) -> Any:
    if isinstance(value, float):
        # A float has already lost the exact figure; refuse rather than guess.
        raise ValueError("money must be written as an exact figure, e.g. 450000.00")
    if isinstance(value, str):
        text = value.strip()
        if not _MONEY_TEXT.match(text.lstrip("-")):
            if text.startswith("-"):
                raise ValueError(f"money must not be negative (got {text})")
            problem = deceptive(text)
            if problem:
                raise ValueError(f"not an amount of money: it {problem}")
            raise ValueError(f"not an amount of money: {text!r} (write e.g. 450000.00 or £450,000.00)")
        try:
            return Decimal(text.replace("£", "").replace(",", "").replace(" ", ""))
        except InvalidOperation as exc:  # pragma: no cover - the pattern above admits only numbers
            raise ValueError(f"not an amount of money: {text!r}") from exc
    return value


def _check_money(value: Decimal) -> Decimal:
    if not value.is_finite():
        raise ValueError("money must be a finite amount")
    if value < 0:
        raise ValueError(f"money must not be negative (got {value})")
    if value > MAX_MONEY:
        raise ValueError(f"£{value:,} is more than £10 trillion: check the figure (a digit typed twice?)")
    if value != value.quantize(Decimal("0.01")):
        raise ValueError(f"{value} has fractions of a penny; money is held to the penny")
    return value


Money = Annotated[Decimal, BeforeValidator(_parse_money), AfterValidator(_check_money), WithJsonSchema(MONEY_SCHEMA)]
"""An exact sum in pounds, non-negative, to the penny (e.g. 450000.00 or "£450,000.00")."""


def pounds(value: Decimal) -> str:
    """Recommendation style: £450,000.00."""
    return f"£{value.quantize(PENNY, rounding=ROUND_HALF_UP):,}"


def millions(value: Decimal, places: int = 3) -> str:
    """Summary style: £1.701m (rounded half up from the exact figure)."""
    return f"£{to_millions(value, places)}m"


def to_millions(value: Decimal, places: int = 3) -> Decimal:
    """£ → £m rounded to `places` decimals, half up as finance teams round."""
    return (value / Decimal(1_000_000)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


_MENTION = re.compile(r"£\s?(\d[\d,]*(?:\.\d+)?)\s?(m\b|million\b|k\b)?", re.IGNORECASE | re.ASCII)
_SCALE = {"m": Decimal(1_000_000), "million": Decimal(1_000_000), "k": Decimal(1_000)}


def mentioned_amounts(text: str) -> list[Decimal]:
    """Sums of money written in prose: '£450,000.00', '£1.701m', '£1.45 Million', '£500k'."""
    found = []
    for number, scale in _MENTION.findall(text):
        value = Decimal(number.replace(",", "").rstrip("."))
        found.append(value * _SCALE.get(scale.lower(), Decimal(1)))
    return found


def mentions_amount(text: str, amount: Decimal) -> bool:
    """Whether prose naming money names `amount` (exactly, or as rounded £m to 3 places)."""
    return any(m == amount or m == to_millions(amount) * 1_000_000 for m in mentioned_amounts(text))
