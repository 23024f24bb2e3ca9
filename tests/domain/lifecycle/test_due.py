"""What needs action within a window of days: signatures awaited, deferrals ending, Part 2 reviews."""

from __future__ import annotations

from datetime import date

import pytest

from generator.domain.lifecycle.due import Action, Due, due_lines, due_of
from generator.domain.lifecycle.status import Stage, Status

TODAY = date(2023, 2, 1)
APPROVED = Status(Stage.APPROVED, officer_approved=date(2023, 1, 10))
DRAFT = Status(Stage.DRAFT)


def deferred(until: date) -> Status:
    return Status(Stage.DEFERRED, officer_approved=date(2022, 12, 1), signed=date(2022, 12, 5), deferred_until=until)


def reviewed(on: date, stage: Stage = Stage.PUBLISHED) -> Status:
    return Status(stage, signed=date(2022, 6, 1), published=date(2022, 6, 2), part_2=True, part_2_review=on)


@pytest.mark.parametrize(
    ("status", "days", "expected"),
    [
        (DRAFT, 365, []),
        (APPROVED, 0, [(Action.SIGNATURE, date(2023, 1, 10))]),  # awaited whatever the window
        (deferred(date(2023, 2, 15)), 14, [(Action.DEFERRAL, date(2023, 2, 15))]),  # the window's last day
        (deferred(date(2023, 2, 16)), 14, []),  # the day after it
        (deferred(date(2023, 1, 20)), 0, [(Action.DEFERRAL, date(2023, 1, 20))]),  # ended, not yet published
        (Status(Stage.PUBLISHED, signed=date(2022, 12, 5), published=date(2023, 1, 21)), 30, []),  # the deferral is over
        (reviewed(date(2023, 2, 20)), 19, [(Action.PART_2_REVIEW, date(2023, 2, 20))]),
        (reviewed(date(2023, 2, 20)), 18, []),
        (reviewed(date(2022, 12, 31)), 0, [(Action.PART_2_REVIEW, date(2022, 12, 31))]),  # overdue
        (reviewed(date(2023, 2, 1), Stage.DRAFT), 0, [(Action.PART_2_REVIEW, date(2023, 2, 1))]),  # due today, at any stage
    ],
    ids=[
        "draft",
        "approved",
        "deferral ends on the last day",
        "deferral ends after the window",
        "deferral ended",
        "published",
        "review in the window",
        "review after it",
        "review overdue",
        "review today",
    ],
)
def test_what_is_due(status: Status, days: int, expected: list[tuple[Action, date]]) -> None:
    found = due_of(status, reference="PCD 1", source="pcd-1.yaml", today=TODAY, days=days)
    assert [(d.action, d.on) for d in found] == expected


def test_the_lines_say_when_each_falls_due_in_order() -> None:
    items = [
        Due(Action.PART_2_REVIEW, "PCD 4", "d.yaml", date(2023, 2, 20)),
        Due(Action.DEFERRAL, "PCD 2", "b.yaml", date(2023, 2, 2)),
        Due(Action.DEFERRAL, "PCD 3", "c.yaml", date(2023, 1, 20)),
        Due(Action.SIGNATURE, "PCD 1", "a.yaml", date(2023, 1, 10)),
        Due(Action.PART_2_REVIEW, "PCD 5", "e.yaml", TODAY),
    ]
    assert due_lines(items, today=TODAY, days=19) == [
        "due within 19 days of 01/02/2023: 5",
        "awaiting signature: PCD 1: approved by the officer on 10/01/2023 (a.yaml)",
        "deferral ends: PCD 3: 20/01/2023, 12 days overdue (c.yaml)",
        "deferral ends: PCD 2: 02/02/2023, in 1 day (b.yaml)",
        "Part 2 review: PCD 5: 01/02/2023, today (e.yaml)",
        "Part 2 review: PCD 4: 20/02/2023, in 19 days (d.yaml)",
    ]
    assert due_lines([], today=TODAY, days=1) == ["nothing due within 1 day of 01/02/2023"]
    assert [d.overdue(TODAY) for d in items] == [False, False, True, False, False]
