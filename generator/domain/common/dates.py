"""House style for dates: 26/10/2022 on signature lines, 7th September 2022 in prose, 2023/24 years;
and the other styles a decision may have been published in."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import AfterValidator, WithJsonSchema


def short_date(value: date) -> str:
    """Signature-line date: 03/11/2022."""
    # As strftime("%d/%m/%Y") writes it (the year unpadded, as glibc's %Y), at a third of the cost:
    # an agreement prints dozens.
    return f"{value.day:02d}/{value.month:02d}/{value.year}"


def ordinal(day: int) -> str:
    """1st, 2nd, 3rd, 4th … 11th, 12th, 13th … 21st."""
    if 10 <= day % 100 <= 20:
        return f"{day}th"
    return f"{day}{ {1: 'st', 2: 'nd', 3: 'rd'}.get(day % 10, 'th') }"


def long_date(value: date) -> str:
    """Prose date: 7th September 2022."""
    return f"{ordinal(value.day)} {value:%B %Y}"


DateStyle = Literal["house", "numeric", "long"]
"""How a document prints dates: house (date lines 27/09/2018, dates in the text 27th September
2018), numeric (every date 27/09/2018) or long (every date 27th September 2018)."""


def line_date(value: date | None, style: DateStyle) -> str:
    """A date on a form's date line (signature, deferral), in the document's style; blank when unset."""
    if value is None:
        return ""
    return long_date(value) if style == "long" else short_date(value)


def text_date(value: date, style: DateStyle) -> str:
    """A date in a sentence, in the document's style."""
    return short_date(value) if style == "numeric" else long_date(value)


def financial_year_of(value: date) -> int:
    """The calendar year in which the financial year (1 April – 31 March) containing `value` starts."""
    return value.year if value.month >= 4 else value.year - 1


def financial_years(start: date, end: date) -> range:
    """The financial years a period touches, by the calendar year each starts in: 2023-04-01 to
    2025-03-31 is range(2023, 2025)."""
    return range(financial_year_of(start), financial_year_of(end) + 1)


def period_years(start: date, end: date) -> str:
    """A period's financial years in words: '2023/24', or '2023/24 to 2024/25'."""
    years = financial_years(start, end)
    return financial_year(years[0]) if len(years) == 1 else f"{financial_year(years[0])} to {financial_year(years[-1])}"


def whole_financial_years(start: date, end: date) -> bool:
    """Whether a period runs from a 1 April to a 31 March."""
    return starts_financial_year(start) and ends_financial_year(end)


def starts_financial_year(day: date) -> bool:
    return (day.month, day.day) == (4, 1)


def ends_financial_year(day: date) -> bool:
    return (day.month, day.day) == (3, 31)


def financial_year(start_year: int) -> str:
    """Financial year label: 2023 → '2023/24'."""
    return f"{start_year}/{(start_year + 1) % 100:02d}"


def _check_financial_year(label: str) -> str:
    text = label.strip()
    first = text.partition("/")[0]
    if not (len(first) == 4 and first.isascii() and first.isdigit() and 1900 <= int(first) <= 2199):
        raise ValueError(f"{label!r} is not a financial year: write it as 2023/24")
    if text != financial_year(int(first)):
        raise ValueError(f"{label!r} is not a financial year: {first} starts {financial_year(int(first))}")
    return text


FinancialYear = Annotated[
    str,
    AfterValidator(_check_financial_year),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": r"^\s*(19|20|21)\d{2}/\d{2}\s*$",
            "description": "A financial year (1 April to 31 March), e.g. 2023/24.",
        }
    ),
]
"""A financial year, 1 April to 31 March, written as its label: 2023/24."""
