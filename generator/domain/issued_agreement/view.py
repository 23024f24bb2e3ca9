"""A grant agreement MOPAC issues to one recipient, composed from the decision that approved the
grant: exactly what the template shows (the key `agreement`).

It is the agreement MOPAC signs as recipient turned round (same clause library shape, same
composition), with MOPAC as the Authority, the recipient's sums by financial year as the
breakdown, a payment profile that allocates each year's grant, and a covering offer letter.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date
from decimal import Decimal

from generator.domain.agreement.model import Agreement, ClauseChoices, Monitoring, Party, Signatories
from generator.domain.agreement.standard_wording import AgreementWording, fill_letter
from generator.domain.agreement.view import AgreementDocument, approval_words, compose_terms
from generator.domain.common.dates import financial_year, financial_years, long_date
from generator.domain.common.money import pounds
from generator.domain.common.view import View
from generator.domain.decision.model import Decision
from generator.domain.issued_agreement.payments import standard_profile
from generator.domain.lifecycle.status import status_of
from generator.domain.money.model import GrantAgreements, GrantOut, GrantTerms
from generator.domain.report.model import Grant

TEMPLATE = "mopac-grant-agreement.docx"
"""The Word template (under templates/) that shows an IssuedAgreementDocument: one for every grant MOPAC issues."""
LATER_YEARS, CONDITIONS = "later_years", "conditions"


@dataclass(slots=True, kw_only=True)
class OfferLetterView(View):
    date: date | None
    recipient: str
    address: list[str]
    subject: str
    salutation: str
    paragraphs: list[str]
    close: str
    sender_name: str | None
    sender_position: str


@dataclass(slots=True, kw_only=True)
class IssuedAgreementDocument(AgreementDocument):
    """Context of the template for the agreements MOPAC issues (the key `agreement`)."""

    offer_letter: OfferLetterView | None = None


def issued(decision: Decision) -> list[GrantOut]:
    """The grants under money.grants that get an agreement, in order."""
    grants = decision.money.grants if decision.money is not None else []
    return [g for g in grants if g.agreement is not None]


def years_of(shared: GrantAgreements) -> range:
    """The financial years of the funding period, by the calendar year each starts in."""
    return financial_years(shared.start, shared.end)


def grant_by_year(grant: GrantOut, shared: GrantAgreements) -> dict[int, Decimal]:
    """The grant by financial year: its `by_year`, or its amount for a funding period of one year."""
    if grant.by_year:
        return {int(year[:4]): value for year, value in grant.by_year.items()}
    return {years_of(shared)[0]: grant.total}


def left_out(shared: GrantAgreements, conditions: list[str]) -> frozenset[str]:
    """The standard clauses that do not apply: later years for a funding period of one year, and
    additional conditions when the decision sets none."""
    return frozenset(({LATER_YEARS} if len(years_of(shared)) == 1 else set()) | (set() if conditions else {CONDITIONS}))


def reference(shared: GrantAgreements, grant: GrantOut) -> str:
    return f"{shared.reference}-{grant.key.upper()}"


def issued_terms(decision: Decision, grant: GrantOut, terms: GrantTerms) -> tuple[Agreement, Grant]:
    """The agreement and grant, as the agreement MOPAC signs as recipient has them, for one recipient."""
    shared = decision.grant_agreements
    assert shared is not None
    agreement = Agreement.model_construct(
        reference=reference(shared, grant),
        date=shared.date,
        grant_name=shared.grant_name,
        authority=shared.authority,
        recipient=Party.model_construct(name=grant.recipient, address=terms.address),  # both validated as a Party's are
        statutory_power=shared.statutory_power,
        purpose=grant.purpose or shared.purpose,
        payment_profile=terms.payment_profile or standard_profile(grant_by_year(grant, shared), shared.payment.instalments),
        match_funding=None,
        monitoring=Monitoring(frequency=shared.monitoring_frequency, kpis=shared.kpis),
        contacts=[*shared.contacts, *terms.contacts],
        signatories=Signatories(authority=shared.signatory, recipient=terms.signatory),
        publication_citation=None,
        clauses=ClauseChoices(),
    )
    funding = Grant.model_construct(funder=shared.authority.name, amount=grant.total, start=shared.start, end=shared.end, breakdown=[])
    return agreement, funding


def compose_issued(decision: Decision, grant: GrantOut, library: AgreementWording) -> IssuedAgreementDocument:
    """The agreement for `grant`, with its offer letter when the decision wants one.

    Assumes `check_issued_agreements` found nothing: the shared terms exist, the grant's years
    lie in the funding period, any payment profile of its own adds up.
    """
    shared, terms = decision.grant_agreements, grant.agreement
    assert shared is not None and terms is not None
    agreement, funding = issued_terms(decision, grant, terms)
    years = grant_by_year(grant, shared)
    lines = [(f"Financial Year {financial_year(year)}", value) for year, value in sorted(years.items())]
    conditions = [*shared.conditions, *terms.conditions]
    approved = not status_of(decision).draft
    document = compose_terms(
        agreement,
        funding,
        lines,
        decision_reference=decision.reference,
        approved=approved,
        library=library,
        leave_out=left_out(shared, conditions),
        # The decision's additional conditions, numbered and filled as every clause's items are.
        lead_in_items={CONDITIONS: conditions},
    )
    letter = None
    if shared.offer_letter is not None and library.offer_letter is not None:
        wording, offer = library.offer_letter, shared.offer_letter
        by_year = " and ".join(f"{pounds(value)} in {financial_year(year)}" for year, value in sorted(years.items()))
        values = {
            "recipient": document.recipient.in_text,
            "grant_name": shared.grant_name,
            "reference": agreement.reference,
            "decision_reference": decision.reference,
            "approved": approval_words(approved)["approved"],
            "maximum_sum": pounds(grant.total),
            "financial_years": document.financial_years,
            "by_year": by_year,
            "purpose": agreement.purpose,
            "accept_by": long_date(offer.accept_by),
        }
        letter = OfferLetterView(
            date=offer.date,
            recipient=agreement.recipient.name,
            address=list(terms.address),
            subject=fill_letter(wording.subject, values),
            salutation=wording.salutation,
            paragraphs=[fill_letter(p, values) for p in wording.paragraphs],
            close=wording.close,
            sender_name=offer.sender.name,
            sender_position=offer.sender.position,
        )
    agreed = {f.name: getattr(document, f.name) for f in fields(document)}
    return IssuedAgreementDocument(**agreed, offer_letter=letter)
