"""What needs action soon across decisions: a signature awaited, a deferral ending, a Part 2 review.

Worked out from each decision's status against a day and a window of days, so that a register
run every morning (`grantdocs register --due 14`) lists the same things on the same day.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import Enum

from generator.domain.common.dates import short_date
from generator.domain.lifecycle.status import Stage, Status


class Action(Enum):
    """What is due, in the order a list of them is read."""

    SIGNATURE = "awaiting signature"  # approved by the officer; the Deputy Mayor's signature is next
    DEFERRAL = "deferral ends"  # signed, Part 1 deferred: publish once the deferral is over
    PART_2_REVIEW = "Part 2 review"  # the Part 2 exemption is to be reviewed


@dataclass(frozen=True)
class Due:
    """One thing to act on: what, for which decision (its reference and input), and the date it
    turns on (the officer's approval for a signature awaited)."""

    action: Action
    reference: str
    source: str
    on: date

    def overdue(self, today: date) -> bool:
        """Past its date: a deferral that has ended or a review that was due. A signature awaited
        has no date of its own to miss."""
        return self.action is not Action.SIGNATURE and self.on < today

    def line(self, today: date) -> str:
        """'deferral ends: PCD 1302: 31/01/2023, 3 days overdue (pcd-1302.yaml)'."""
        if self.action is Action.SIGNATURE:
            when = f"approved by the officer on {short_date(self.on)}"
        else:
            days = (self.on - today).days
            when = f"{short_date(self.on)}, " + ("today" if days == 0 else f"in {_days(days)}" if days > 0 else f"{_days(-days)} overdue")
        return f"{self.action.value}: {self.reference}: {when} ({self.source})"


def _days(n: int) -> str:
    return f"{n} day{'' if n == 1 else 's'}"


def due_of(status: Status, *, reference: str, source: str, today: date, days: int) -> list[Due]:
    """What `status` needs within `days` of `today`: a signature, whenever the officer approved;
    the end of a deferral of Part 1 (signed, not yet published) on or before the window's last day,
    overdue ones included; a Part 2 review on or before that day, overdue ones included."""
    last = today + timedelta(days=days)
    found = []
    if status.stage is Stage.APPROVED and status.officer_approved is not None:
        found.append(Due(Action.SIGNATURE, reference, source, status.officer_approved))
    if status.stage is Stage.DEFERRED and status.deferred_until is not None and status.deferred_until <= last:
        found.append(Due(Action.DEFERRAL, reference, source, status.deferred_until))
    if status.part_2_review is not None and status.part_2_review <= last:
        found.append(Due(Action.PART_2_REVIEW, reference, source, status.part_2_review))
    return found


def in_order(items: list[Due]) -> list[Due]:
    """Signatures, then deferrals, then reviews; each kind earliest first."""
    actions = list(Action)
    return sorted(items, key=lambda d: (actions.index(d.action), d.on, d.reference, d.source))


def due_lines(items: list[Due], *, today: date, days: int) -> list[str]:
    """What is due, as the command line prints it: a heading, then a line for each in order."""
    window = f"within {_days(days)} of {short_date(today)}"
    if not items:
        return [f"nothing due {window}"]
    return [f"due {window}: {len(items)}", *(d.line(today) for d in in_order(items))]
