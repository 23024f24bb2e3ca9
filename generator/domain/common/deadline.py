"""A deadline given to the day (21st September 2022) or only to the month (March 2024)."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any

from pydantic import BeforeValidator, PlainSerializer, WithJsonSchema

from generator.domain.common.base import DATE_FORMS, date_schema, parse_date
from generator.domain.common.dates import DateStyle, text_date

_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")


@dataclass(frozen=True, order=True)
class DueDate:
    """`last_day` is the day the deadline falls due; `month_only` says how it is written."""

    last_day: date
    month_only: bool = False

    def __str__(self) -> str:
        return self.written("house")

    def written(self, style: DateStyle) -> str:
        """As a sentence says it in the document's date style; a month is always 'March 2024'."""
        return f"{self.last_day:%B %Y}" if self.month_only else text_date(self.last_day, style)


def _parse(value: Any) -> Any:
    if isinstance(value, DueDate):
        return value
    if isinstance(value, str) and (match := _MONTH.match(value.strip())):
        year, month = int(match.group(1)), int(match.group(2))
        if not 1 <= month <= 12:
            raise ValueError(f"not a month: {value!r} (write 2024-03)")
        return DueDate(date(year, month, calendar.monthrange(year, month)[1]), month_only=True)
    parsed = parse_date(value)
    if not isinstance(parsed, date):
        raise ValueError("must be a date (2022-09-21) or a month (2024-03)")
    return DueDate(parsed)


Deadline = Annotated[
    DueDate,
    BeforeValidator(_parse),
    PlainSerializer(str),
    WithJsonSchema(
        date_schema(r"\d{4}-(?:0?[1-9]|1[0-2])", *DATE_FORMS, description="A date (2022-09-21 or 21/09/2022) or a month (2024-03).")
    ),
]
