"""The standard payment profile of a grant MOPAC issues: each financial year's grant claimed in
equal instalments, in arrears, the pennies that do not divide falling to the year's last claim."""

from __future__ import annotations

import calendar
from collections.abc import Mapping
from datetime import date
from decimal import ROUND_DOWN, Decimal

from generator.domain.agreement.model import Claim
from generator.domain.common.money import PENNY

_MONTHS = list(calendar.month_name)


def _last_day(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def claim_periods(start_year: int, instalments: int) -> list[tuple[str, date]]:
    """The claim periods of the financial year starting in April of `start_year`: label and last day."""
    months = 12 // instalments
    periods = []
    for n in range(instalments):
        first = 4 + n * months  # months counted from January of start_year: 4 is April
        last = first + months - 1
        (y1, m1), (y2, m2) = divmod(first - 1, 12), divmod(last - 1, 12)
        y1, y2, m1, m2 = start_year + y1, start_year + y2, m1 + 1, m2 + 1
        if instalments == 1:
            label = f"Financial Year {start_year}/{(start_year + 1) % 100:02d} (April {start_year} to March {start_year + 1})"
        elif instalments == 12:
            label = f"{_MONTHS[m1]} {y1}"
        else:
            span = f"{_MONTHS[m1]} to {_MONTHS[m2]} {y2}" if y1 == y2 else f"{_MONTHS[m1]} {y1} to {_MONTHS[m2]} {y2}"
            label = f"Quarter {n + 1} ({span})" if instalments == 4 else f"Half {n + 1} ({span})"
        periods.append((label, _last_day(y2, m2)))
    return periods


def standard_profile(by_year: Mapping[int, Decimal], instalments: int) -> list[Claim]:
    """Claims for each financial year (keyed by the year it starts in), its sum in equal instalments."""
    claims = []
    for year, total in sorted(by_year.items()):
        periods = claim_periods(year, instalments)
        each = (total / len(periods)).quantize(PENNY, rounding=ROUND_DOWN)
        amounts = [each] * (len(periods) - 1) + [total - each * (len(periods) - 1)]
        # Built, not validated: the labels are ours, the dates real days and the amounts pennies of a
        # valid sum, and validating a claim for every period was an eighth of composing the agreement.
        claims += [
            Claim.model_construct(period=label, date=last, amount=amount) for (label, last), amount in zip(periods, amounts, strict=True)
        ]
    return claims
