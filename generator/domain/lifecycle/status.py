"""A decision's status, worked out from its input: nobody types it, so it cannot disagree with the dates.

A decision is drafted, approved by the officer (the Chief Executive Officer, or the form
version's approver), signed by the Deputy Mayor, and published by MOPAC, unless publication of
Part 1 is deferred to a date. Until the Deputy Mayor's signature date is in the input the
decision is a draft as far as its documents go: they are marked DRAFT, and nothing in them claims
the approval as given.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import Enum

from generator.domain.common.base import DRAFT_REFERENCE
from generator.domain.common.dates import short_date
from generator.domain.decision.model import Decision
from generator.domain.part_2.statement import Part2Statement


class Stage(Enum):
    """Where a decision is, in the order it gets there."""

    DRAFT = "draft"  # no approval yet
    APPROVED = "approved"  # approved by the officer, awaiting the Deputy Mayor's signature
    SIGNED = "signed"  # signed by the Deputy Mayor, not yet published
    DEFERRED = "deferred"  # signed, publication of Part 1 deferred to a date
    PUBLISHED = "published"  # Part 1 published by MOPAC

    @property
    def label(self) -> str:
        return _LABELS[self]


_LABELS = {
    Stage.DRAFT: "Draft",
    Stage.APPROVED: "Approved by the officer, awaiting signature",
    Stage.SIGNED: "Signed, awaiting publication",
    Stage.DEFERRED: "Signed, publication deferred",
    Stage.PUBLISHED: "Published",
}


@dataclass(frozen=True)
class Status:
    """A decision's stage and the dates it was worked out from."""

    stage: Stage
    officer_approved: date | None = None
    signed: date | None = None
    published: date | None = None
    deferred_until: date | None = None
    part_2: bool = False
    part_2_review: date | None = None

    @property
    def draft(self) -> bool:
        """Whether its documents are marked DRAFT: not yet signed by the Deputy Mayor."""
        return self.signed is None

    def publishable(self, today: date) -> bool:
        """Whether Part 1 may be published on `today`: signed by then (a signature dated later is
        one still to come), and any deferral over."""
        return self.signed is not None and self.signed <= today and (self.deferred_until is None or self.deferred_until <= today)


def status_of(decision: Decision) -> Status:
    """The decision's status. A decision without a number yet ("PCD TBC") is a draft whatever
    its dates, and one without a decision form (a report written ahead of it) has no approvals."""
    form = decision.decision_form
    statement = part_2_statement(decision)
    part_2 = decision.part_2 is not None or statement is not None or (form is not None and form.publication.part_2)
    review = statement.review if statement is not None else None
    if form is None or decision.reference == DRAFT_REFERENCE:
        return Status(Stage.DRAFT, part_2=part_2, part_2_review=review)
    publication = form.publication
    deferred_until = publication.deferred_until if publication.defer_part_1 else None
    signed, approved = form.dmpc.date, form.officer_approval.date
    if signed is None:
        stage = Stage.APPROVED if approved is not None else Stage.DRAFT
    elif publication.published is not None:
        stage = Stage.PUBLISHED
    else:
        stage = Stage.DEFERRED if deferred_until is not None else Stage.SIGNED
    return Status(
        stage,
        officer_approved=approved,
        signed=signed,
        published=publication.published,
        deferred_until=deferred_until,
        part_2=part_2,
        part_2_review=review,
    )


def why_unpublishable(decision: Decision, today: date) -> str | None:
    """Why Part 1 of `decision` may not be published on `today`, in a few words (as a publish
    reports what it left out); None if it may be."""
    status = status_of(decision)
    if status.publishable(today):
        return None
    if decision.decision_form is None:
        return "not signed: it has no decision form"
    if decision.reference == DRAFT_REFERENCE:
        return f"not signed: a draft, not yet numbered ({DRAFT_REFERENCE})"
    signed, until = status.signed, status.deferred_until
    if signed is None:
        return "not signed"
    if signed > today:
        return f"not signed yet: its signature is dated {short_date(signed)}"
    return f"deferred until {short_date(until)}" if until is not None else None  # signed by then: only a deferral stops it


def part_2_statement(decision: Decision) -> Part2Statement | None:
    """The published statement about the decision's Part 2: the report's, or the form's on a decision without a report."""
    if decision.report is not None and decision.report.part_2 is not None:
        return decision.report.part_2
    form = decision.decision_form
    return form.publication.part_2_statement if form is not None else None
