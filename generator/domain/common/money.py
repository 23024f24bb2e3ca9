"""Money held exactly, to the penny, and shown in house style: £450,000.00, £1.701m."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
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


def read_money(text: str) -> Decimal:
    """A sum written as text (e.g. a table cell), read exactly as a Money field reads it;
    ValueError says what is wrong."""
    return _check_money(Decimal(_parse_money(text)))


def pounds(value: Decimal) -> str:
    """Recommendation style: £450,000.00."""
    return f"£{value.quantize(PENNY, rounding=ROUND_HALF_UP):,}"


def millions(value: Decimal, places: int = 3) -> str:
    """Summary style: £1.701m (rounded half up from the exact figure)."""
    return f"£{to_millions(value, places)}m"


def to_millions(value: Decimal, places: int = 3) -> Decimal:
    """£ → £m rounded to `places` decimals, half up as finance teams round."""
    step = _THOUSANDTH if places == 3 else Decimal(1).scaleb(-places)  # as every £m cell of a cost table is rounded
    return (value / _MILLION).quantize(step, rounding=ROUND_HALF_UP)


_MILLION = Decimal(1_000_000)
_THOUSANDTH = Decimal(1).scaleb(-3)


# A sum as prose writes it: "£450,000.00", "£1.701m", "£1.45 Million", "£500k", "£2bn", "GBP 30,000"
# (in any case, GBP at a word's start). Each way in begins with a character of its own (a 'G' is
# a word's start if no word character is before it), neither case-blind nor a word's start: so
# the search passes in C over the characters that begin no sum, rather than trying the pattern
# at each; some twice as fast as (?:£|\bGBP) with the whole case-blind.
_MENTION = re.compile(
    r"(?:£|G(?<!\wG)(?i:BP)|g(?<!\wg)(?i:BP))"
    r"(?i:[ ]?(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?[ ]?(bn\b|billion\b|m\b|million\b|k\b)?)",
    re.ASCII,
)
_SCALE = {"bn": Decimal(10) ** 9, "billion": Decimal(10) ** 9, "m": Decimal(10) ** 6, "million": Decimal(10) ** 6, "k": Decimal(1000)}


@dataclass(frozen=True)
class Mention:
    """A sum written in prose: its value, how it was written, and the unit of its last digit
    (£17.9m is written to £100,000, £450,000 to £1), so that a rounded figure can be matched."""

    value: Decimal
    written: str
    unit: Decimal

    def names(self, amount: Decimal) -> bool:
        """Whether this is `amount` as written: exactly, or rounded to the digits written (£8.7m for
        £8,688,282); a figure written in whole pounds names the amount only to the pound."""
        if self.unit <= 1:
            return self.value == amount or (self.unit == 1 and self.value == amount.quantize(Decimal(1), rounding=ROUND_HALF_UP))
        return self.value == (amount / self.unit).quantize(Decimal(1), rounding=ROUND_HALF_UP) * self.unit


def normalise(text: str) -> str:
    """Text as a reader sees it: compatibility forms folded (＄, ４５０, non-breaking spaces, the
    full-width pound sign) and invisible format characters (zero-width spaces, joiners, marks)
    dropped, so that nothing typed can hide a figure from the checks."""
    if text.isascii():  # most text: NFKC leaves ASCII as it is, and ASCII has no format character
        return text.translate(_ASCII_SPACES)
    folded = unicodedata.normalize("NFKC", text)
    if folded.isprintable():
        # Most of the rest (a £ or a dash among ASCII, on one line): no space but " " and no format
        # character is printable, so there is nothing to drop or to make a space.
        return folded
    # The rest: only its few non-ASCII characters are looked at one by one. Its ASCII spaces by a
    # pattern: str.translate takes its fast path for ASCII text alone, and is some ten times
    # slower on the rest.
    return _NON_ASCII.sub(_as_read, _ASCII_SPACE.sub(" ", folded))


# What str.isspace() holds to be space among ASCII characters, as one space each (as a table for
# ASCII text, as a pattern for the rest).
_WHITE = "".join(c for c in map(chr, range(128)) if c.isspace() and c != " ")
_ASCII_SPACES = str.maketrans(_WHITE, " " * len(_WHITE))
_ASCII_SPACE = re.compile(f"[{re.escape(_WHITE)}]")
_NON_ASCII = re.compile(r"[^\x00-\x7f]")


def _as_read(match: re.Match[str]) -> str:
    """A non-ASCII character as a reader sees it: a format character dropped, a space a space."""
    c = match.group()
    return "" if unicodedata.category(c) == "Cf" else " " if c.isspace() else c


def mentions(text: str) -> list[Mention]:
    """Every sum of money written in `text`, read after `normalise`."""
    if text.isascii() and "gbp" not in text.lower():
        # Most text: ASCII holds no '£', and `normalise` turns no ASCII into a letter, so only a 'GBP'
        # could begin a sum. Other text may hide one ('￡', 'ＧＢＰ', 'G\u200bBP'): it is normalised.
        # lower() of ASCII changes A-Z alone, so it finds 'GBP' in any case as _MENTION (ASCII and
        # case-blind) reads it, some three times as fast as a search by a pattern.
        return []
    return read_mentions(normalise(text))


def read_mentions(normalised: str) -> list[Mention]:
    """Every sum of money written in text already normalised (`mentions` without its shortcut)."""
    found = []
    for match in _MENTION.finditer(normalised):
        whole, fraction, scale = match.groups()
        places = len(fraction or "")
        multiplier = _SCALE.get((scale or "").lower(), Decimal(1))
        value = Decimal(f"{whole.replace(',', '')}.{fraction or '0'}") * multiplier
        found.append(Mention(value=value, written=match.group().strip(), unit=multiplier.scaleb(-places)))
    return found


def mentions_amount(text: str, amount: Decimal) -> bool:
    """Whether prose naming money names `amount`, exactly or rounded to the digits written."""
    return any(m.names(amount) for m in mentions(text))
