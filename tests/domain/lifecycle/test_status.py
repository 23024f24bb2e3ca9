"""A decision's status follows from the dates its input holds."""

from __future__ import annotations

from datetime import date

import pytest

from generator.domain.lifecycle.status import Stage, status_of, why_unpublishable
from generator.inputs.load import load_decision
from tests.conftest import WriteInput

SIGNED = "  dmpc:\n    date: 2022-11-03\n"
APPROVED = "  officer_approval:\n    date: 2022-10-26\n"
NOT_DEFERRED = "  publication:\n    defer_part_1: no\n"
DEFERRED = "  publication:\n    defer_part_1: yes\n    deferral_reason: The contract is not yet signed.\n    deferred_until: 2023-01-31\n"


@pytest.mark.parametrize(
    ("edits", "stage"),
    [
        ([(SIGNED, ""), (APPROVED, "")], Stage.DRAFT),
        ([(SIGNED, "")], Stage.APPROVED),
        ([], Stage.SIGNED),
        ([(NOT_DEFERRED, NOT_DEFERRED + "    published: 2022-11-04\n")], Stage.PUBLISHED),
        ([(NOT_DEFERRED, DEFERRED)], Stage.DEFERRED),
        ([(NOT_DEFERRED, DEFERRED + "    published: 2023-02-01\n")], Stage.PUBLISHED),
        ([("reference: PCD 1300", "reference: PCD TBC")], Stage.DRAFT),
    ],
)
def test_the_stage_follows_the_dates(edits: list[tuple[str, str]], stage: Stage, minimal_text: str, write_input: WriteInput) -> None:
    text = minimal_text
    for old, new in edits:
        assert old in text
        text = text.replace(old, new)
    status = status_of(load_decision(write_input(text)))
    assert status.stage is stage
    assert status.draft is (stage in (Stage.DRAFT, Stage.APPROVED))


def test_publishable_once_signed_and_any_deferral_is_over(minimal_text: str, write_input: WriteInput) -> None:
    deferred = status_of(load_decision(write_input(minimal_text.replace(NOT_DEFERRED, DEFERRED))))
    assert deferred.deferred_until == date(2023, 1, 31)
    assert not deferred.publishable(date(2023, 1, 30))
    assert deferred.publishable(date(2023, 1, 31))
    draft = status_of(load_decision(write_input(minimal_text.replace(SIGNED, ""))))
    assert not draft.publishable(date(2030, 1, 1))


def test_a_report_written_ahead_of_its_form_is_a_draft(report_text: str, write_input: WriteInput) -> None:
    start, end = report_text.index("decision_form:"), report_text.index("report:")
    status = status_of(load_decision(write_input(report_text[:start] + report_text[end:])))
    assert status.stage is Stage.DRAFT and status.signed is None


def test_a_signature_dated_after_the_day_is_one_still_to_come(minimal_text: str, write_input: WriteInput) -> None:
    signed = status_of(load_decision(write_input(minimal_text)))
    assert signed.signed == date(2022, 11, 3)
    assert not signed.publishable(date(2022, 11, 2))
    assert signed.publishable(date(2022, 11, 3))


@pytest.mark.parametrize(
    ("edits", "today", "why"),
    [
        ([], date(2022, 11, 3), None),
        ([(SIGNED, "")], date(2030, 1, 1), "not signed"),
        ([], date(2022, 11, 2), "not signed yet: its signature is dated 03/11/2022"),
        ([("reference: PCD 1300", "reference: PCD TBC")], date(2030, 1, 1), "not signed: a draft, not yet numbered (PCD TBC)"),
        ([(NOT_DEFERRED, DEFERRED)], date(2023, 1, 30), "deferred until 31/01/2023"),
        ([(NOT_DEFERRED, DEFERRED)], date(2023, 1, 31), None),
    ],
)
def test_why_a_decision_may_not_be_published_on_a_day(
    edits: list[tuple[str, str]], today: date, why: str | None, minimal_text: str, write_input: WriteInput
) -> None:
    text = minimal_text
    for old, new in edits:
        assert old in text
        text = text.replace(old, new)
    assert why_unpublishable(load_decision(write_input(text)), today) == why


def test_a_decision_without_a_form_has_nothing_signed(report_text: str, write_input: WriteInput) -> None:
    start, end = report_text.index("decision_form:"), report_text.index("report:")
    decision = load_decision(write_input(report_text[:start] + report_text[end:]))
    assert why_unpublishable(decision, date(2030, 1, 1)) == "not signed: it has no decision form"
