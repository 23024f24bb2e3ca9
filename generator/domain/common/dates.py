"""House style for dates: 26/10/2022 on signature lines, 7th September 2022 in prose, 2023/24 years."""

from __future__ import annotations

from datetime import date


def short_date(value: date) -> str:
    """Signature-line date: 03/11/2022."""
    return value.strftime("%d/%m/%Y")


def ordinal(day: int) -> str:
    """1st, 2nd, 3rd, 4th … 11th, 12th, 13th … 21st."""
    if 10 <= day % 100 <= 20:
        return f"{day}th"
    return f"{day}{ {1: 'st', 2: 'nd', 3: 'rd'}.get(day % 10, 'th') }"


def long_date(value: date) -> str:
    """Prose date: 7th September 2022."""
    return f"{ordinal(value.day)} {value:%B %Y}"


def financial_year_of(value: date) -> int:
    """The calendar year in which the financial year (1 April – 31 March) containing `value` starts."""
    return value.year if value.month >= 4 else value.year - 1


def financial_year(start_year: int) -> str:
    """Financial year label: 2023 → '2023/24'."""
    return f"{start_year}/{(start_year + 1) % 100:02d}"
