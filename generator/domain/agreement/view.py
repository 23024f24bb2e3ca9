"""The grant agreement with its clause library applied and its figures taken from the decision:
exactly what the template shows (the key `agreement` in the template)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal

from pydantic import BaseModel, ConfigDict

from generator.domain.agreement.model import Agreement, ClauseParagraph, Party
from generator.domain.agreement.rules import PARTY_LABELS
from generator.domain.agreement.standard_wording import AgreementWording, LibraryParagraph, fill
from generator.domain.common.dates import period_years, short_date
from generator.domain.common.money import pounds
from generator.domain.decision.model import Decision
from generator.domain.lifecycle.status import status_of
from generator.domain.report.model import Grant

TEMPLATE = "grant-agreement.docx"
"""The Word template (under templates/) that shows a AgreementDocument."""


class _View(BaseModel):
    model_config = ConfigDict(frozen=True)


class DefinitionView(_View):
    term: str
    meaning: str


class ParagraphView(_View):
    """A numbered paragraph (n.1) with its numbered items (n.1.1), definitions or table."""

    text: str
    items: list[str] = []
    definitions: list[DefinitionView] = []
    table: str | None = None


class ClauseView(_View):
    heading: str
    paragraphs: list[ParagraphView]


class PartyView(_View):
    name: str
    in_text: str
    address: str
    label: str


class Particular(_View):
    label: str
    value: str


class MoneyRow(_View):
    label: str
    amount: str


class ClaimRow(_View):
    number: str
    period: str
    date: str
    amount: str


class KpiRow(_View):
    indicator: str
    measure: str
    frequency: str


class ContactRow(_View):
    party: str
    role: str
    name: str
    details: str


class SignatureView(_View):
    party: str
    label: str
    position: str
    name: str | None
    date: date | None


class AnnexView(_View):
    heading: str
    intro: list[str]


class AgreementDocument(_View):
    """Context of the grant agreement template (the key `agreement`)."""

    title: str
    reference: str
    date: date | None
    grant_name: str
    decision_reference: str
    authority: PartyView
    recipient: PartyView
    maximum_sum: str
    period_start: str
    period_end: str
    financial_years: str
    recitals: list[str]
    particulars: list[Particular]
    clauses: list[ClauseView]
    breakdown: list[MoneyRow]
    breakdown_total: str
    payment_profile: list[ClaimRow]
    payment_total: str
    kpis: list[KpiRow]
    contacts: list[ContactRow]
    signature_intro: str
    signatures: list[SignatureView]
    payment_annex: AnnexView
    kpi_annex: AnnexView
    claim_annex: AnnexView
    claim_declaration: list[str]


def in_text(party: Party) -> str:
    """The name as a sentence uses it: 'the Home Office' (unless the name already starts with 'The')."""
    return party.name if party.name.lower().startswith("the ") else f"the {party.name}"


def breakdown(decision: Decision, grant: Grant) -> list[tuple[str, Decimal]]:
    """Each funded activity and its share: an amount, or the grant of its staffing table."""
    staffing = decision.report.costs.staffing_by_title if decision.report is not None else {}
    return [
        (line.activity, line.amount if line.amount is not None else staffing[line.from_table].grant)  # type: ignore[index]  # no amount: a from_table (BreakdownLine._one_source)
        for line in grant.breakdown
    ]


def compose_agreement(decision: Decision, library: AgreementWording) -> AgreementDocument:
    """Fill the clause library from the decision and the agreement section.

    Assumes `check_agreement` and `check_report` found nothing: report.grant exists, its
    breakdown adds up, every clause key and placeholder is known.
    """
    agreement = decision.agreement
    grant = decision.report.grant if decision.report is not None else None
    assert agreement is not None and grant is not None
    return compose_terms(
        agreement,
        grant,
        breakdown(decision, grant),
        decision_reference=decision.reference,
        approved=not status_of(decision).draft,
        library=library,
    )


def compose_terms(
    agreement: Agreement,
    grant: Grant,
    lines: list[tuple[str, Decimal]],
    *,
    decision_reference: str,
    approved: bool,
    library: AgreementWording,
    leave_out: frozenset[str] = frozenset(),
) -> AgreementDocument:
    """An agreement on `agreement`'s terms for `grant`, broken down as `lines`, from `library`,
    less the standard clauses in `leave_out` (those that do not apply, whatever the input says),
    citing the decision's approval as given only when it is (`approved`)."""
    values = _values(decision_reference, agreement, grant, library, approved=approved)
    chosen = _clauses(agreement, library, leave_out)
    numbers = {key: n for n, (key, _) in enumerate(chosen, start=1) if key is not None}

    def text(value: str) -> str:
        return fill(value, values, numbers)

    def paragraph(p: LibraryParagraph | ClauseParagraph) -> ParagraphView:
        definitions = getattr(p, "definitions", [])
        return ParagraphView(
            text=text(p.text),
            items=[text(i) for i in p.items],
            definitions=[DefinitionView(term=d.term, meaning=text(d.meaning)) for d in definitions],
            table=getattr(p, "table", None),
        )

    parties = {key: _party(getattr(agreement, key), label) for key, label in PARTY_LABELS.items()}
    return AgreementDocument(
        title=library.title,
        reference=agreement.reference,
        date=agreement.date,
        grant_name=agreement.grant_name,
        decision_reference=decision_reference,
        authority=parties["authority"],
        recipient=parties["recipient"],
        maximum_sum=values["maximum_sum"],
        period_start=values["period_start"],
        period_end=values["period_end"],
        financial_years=values["financial_years"],
        recitals=[text(r) for r in library.recitals],
        particulars=[
            Particular(label="Agreement reference", value=agreement.reference),
            Particular(label="Grant", value=agreement.grant_name),
            Particular(label="Authority", value=agreement.authority.name),
            Particular(label="Grant Recipient", value=agreement.recipient.name),
            Particular(label="Maximum Sum", value=values["maximum_sum"]),
            Particular(label="Funding Period", value=f"{values['period_start']} to {values['period_end']} ({values['financial_years']})"),
            Particular(label="Statutory power", value=agreement.statutory_power),
            Particular(
                label="Approved by" if approved else "For approval by",
                value=f"Deputy Mayor for Policing and Crime decision {decision_reference}",
            ),
        ],
        clauses=[ClauseView(heading=heading, paragraphs=[paragraph(p) for p in paragraphs]) for _, (heading, paragraphs) in chosen],
        breakdown=[MoneyRow(label=activity, amount=pounds(amount)) for activity, amount in lines],
        breakdown_total=pounds(sum((amount for _, amount in lines), Decimal(0))),
        payment_profile=[
            ClaimRow(number=str(n), period=c.period, date=short_date(c.date), amount=pounds(c.amount))
            for n, c in enumerate(agreement.payment_profile, start=1)
        ],
        payment_total=pounds(sum((c.amount for c in agreement.payment_profile), Decimal(0))),
        kpis=[
            KpiRow(indicator=k.indicator, measure=k.measure or "", frequency=_capital(k.frequency or agreement.monitoring.frequency))
            for k in agreement.monitoring.kpis
        ],
        contacts=[
            ContactRow(
                party=getattr(agreement, c.party).name,
                role=c.role,
                name=c.name or "",
                details=", ".join(d for d in (c.email, c.telephone) if d),
            )
            for c in sorted(agreement.contacts, key=lambda c: list(PARTY_LABELS).index(c.party))
        ],
        signature_intro=text(library.signature_intro),
        signatures=[
            SignatureView(party=parties[key].in_text, label=parties[key].label, position=s.position, name=s.name, date=s.date)
            for key, s in (("authority", agreement.signatories.authority), ("recipient", agreement.signatories.recipient))
        ],
        payment_annex=_annex(library.payment_annex.heading, library.payment_annex.intro, text),
        kpi_annex=_annex(library.kpi_annex.heading, library.kpi_annex.intro, text),
        claim_annex=_annex(library.claim_annex.heading, library.claim_annex.intro, text),
        claim_declaration=[text(t) for t in library.claim_declaration],
    )


Chosen = tuple[str | None, tuple[str, list[LibraryParagraph] | list[ClauseParagraph]]]


def _clauses(agreement: Agreement, library: AgreementWording, leave_out: frozenset[str] = frozenset()) -> list[Chosen]:
    """Standard clauses in order, less those omitted, each followed by the extra clauses placed after it."""
    omitted = set(agreement.clauses.omit) | leave_out
    chosen: list[Chosen] = []
    for clause in library.clauses:
        if clause.key in omitted:
            continue
        chosen.append((clause.key, (clause.heading, clause.paragraphs)))
        chosen += [(None, (e.heading, e.paragraphs)) for e in agreement.clauses.extra if e.after == clause.key]
    return chosen


def approval_words(approved: bool) -> dict[str, str]:
    """How an agreement speaks of the Deputy Mayor's approval: as given once the decision is
    signed, as asked for until then, so that a draft claims no approval nobody has given."""
    if approved:
        return {"has_approved": "has approved", "approved": "approved"}
    return {"has_approved": "is asked to approve", "approved": "is asked to approve"}


def _values(decision_reference: str, agreement: Agreement, grant: Grant, library: AgreementWording, *, approved: bool) -> dict[str, str]:
    values = {
        "authority": in_text(agreement.authority),
        "recipient": in_text(agreement.recipient),
        "grant_name": agreement.grant_name,
        "reference": agreement.reference,
        "decision_reference": decision_reference,
        **approval_words(approved),
        "maximum_sum": pounds(grant.amount),
        "period_start": short_date(grant.start),
        "period_end": short_date(grant.end),
        "financial_years": period_years(grant.start, grant.end),
        "purpose": agreement.purpose,
        "statutory_power": agreement.statutory_power,
        "reporting_frequency": agreement.monitoring.frequency,
        "publication_citation": agreement.publication_citation or library.publication_citation,
        "match_funding": "",
    }
    values["match_funding"] = agreement.match_funding or fill(library.no_match_funding, values, {})
    return values


def _party(party: Party, label: str) -> PartyView:
    return PartyView(name=party.name, in_text=in_text(party), address=", ".join(party.address), label=label)


def _annex(heading: str, intro: list[str], text: Callable[[str], str]) -> AnnexView:
    return AnnexView(heading=heading, intro=[text(t) for t in intro])


def _capital(value: str) -> str:
    return value[:1].upper() + value[1:]
