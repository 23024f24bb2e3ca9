"""A decision as the register lists it: where it is in its life, its dates, and the money it moves.

One row per decision, made from the decision alone, for the register's files (`grantdocs
register`) and the web app's list of decisions, so that both say the same of it.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from generator.domain.decision.model import Decision
from generator.domain.lifecycle.status import Status, status_of
from generator.domain.money.figures import outgoing, total_of


@dataclass(frozen=True)
class RegisterRow:
    """What the register says of one valid decision."""

    reference: str
    title: str
    form_version: str | None  # None for a report written ahead of its decision form
    status: Status
    money_in: Decimal | None  # None when the input types no money in
    money_out: Decimal | None  # None when the input types no money out


def register_row(decision: Decision) -> RegisterRow:
    """The register's row for `decision`: nothing in it is typed twice, everything follows from the input."""
    form = decision.decision_form
    return RegisterRow(
        reference=decision.reference,
        title=decision.title,
        form_version=form.form if form is not None else None,
        status=status_of(decision),
        money_in=money_in(decision),
        money_out=money_out(decision),
    )


def money_in(decision: Decision) -> Decimal | None:
    """What the decision brings in: the total of `money.funding` (grants accepted, bids, budgets,
    match funding); for a decision that types none there, the grant its report accepts (which the
    money rules hold equal to the grants typed as money in, where both are given)."""
    flows = decision.money
    if flows is not None and flows.funding:
        return total_of(flows.funding)
    grant = decision.report.grant if decision.report is not None else None
    return grant.amount if grant is not None else None


def money_out(decision: Decision) -> Decimal | None:
    """What the decision pays out: its grants, allocations and contracts, as the money rules add
    them up (a contract at the value of its initial term)."""
    paid = list(outgoing(decision.money)) if decision.money is not None else []
    return total_of(paid) if paid else None
