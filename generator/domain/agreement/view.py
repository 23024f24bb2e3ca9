"""The grant agreement with its clause library applied and its figures taken from the decision:
exactly what the template shows (the key `agreement` in the template)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from generator.domain.agreement.model import Agreement, ClauseParagraph, ExtraClause, Party
from generator.domain.agreement.rules import PARTY_LABELS
from generator.domain.agreement.standard_wording import (
    AgreementWording,
    LibraryParagraph,
    StandardClause,
    as_template,
    fill,
    placeholders,
    template_values,
)
from generator.domain.common.dates import period_years, short_date
from generator.domain.common.money import pounds
from generator.domain.common.view import View
from generator.domain.decision.model import Decision
from generator.domain.lifecycle.status import status_of
from generator.domain.report.model import Grant

TEMPLATE = "grant-agreement.docx"
"""The Word template (under templates/) that shows a AgreementDocument."""


@dataclass(slots=True, kw_only=True)
class DefinitionView(View):
    term: str
    meaning: str


@dataclass(slots=True, kw_only=True)
class ParagraphView(View):
    """A numbered paragraph (n.1) with its numbered items (n.1.1), definitions or table."""

    text: str
    items: list[str] = field(default_factory=list)
    definitions: list[DefinitionView] = field(default_factory=list)
    table: str | None = None


@dataclass(slots=True, kw_only=True)
class ClauseView(View):
    heading: str
    paragraphs: list[ParagraphView]


@dataclass(slots=True, kw_only=True)
class PartyView(View):
    name: str
    in_text: str
    address: str
    label: str


@dataclass(slots=True, kw_only=True)
class Particular(View):
    label: str
    value: str


@dataclass(slots=True, kw_only=True)
class MoneyRow(View):
    label: str
    amount: str


@dataclass(slots=True, kw_only=True)
class ClaimRow(View):
    number: str
    period: str
    date: str
    amount: str


@dataclass(slots=True, kw_only=True)
class KpiRow(View):
    indicator: str
    measure: str
    frequency: str


@dataclass(slots=True, kw_only=True)
class ContactRow(View):
    party: str
    role: str
    name: str
    details: str


@dataclass(slots=True, kw_only=True)
class SignatureView(View):
    party: str
    label: str
    position: str
    name: str | None
    date: date | None


@dataclass(slots=True, kw_only=True)
class AnnexView(View):
    heading: str
    intro: list[str]


@dataclass(slots=True, kw_only=True)
class AgreementDocument(View):
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
    lead_in_items: Mapping[str, list[str]] | None = None,
) -> AgreementDocument:
    """An agreement on `agreement`'s terms for `grant`, broken down as `lines`, from `library`,
    less the standard clauses in `leave_out` (those that do not apply, whatever the input says),
    citing the decision's approval as given only when it is (`approved`). `lead_in_items` gives
    the first paragraph of the standard clauses it names these numbered items instead of the
    library's (a decision's additional conditions), filled as every clause's text is."""
    values = _values(decision_reference, agreement, grant, library, approved=approved)
    chosen = _clauses(agreement, library, leave_out)
    numbers = {key: n for n, (key, _) in enumerate(chosen, start=1) if key is not None}
    fixed = _fixed(library)
    own_items = lead_in_items or {}
    filling = template_values(values, numbers)

    def text(value: str) -> str:
        template = fixed.templates.get(value)  # each library text with placeholders has one; the input's own texts have none
        return template.format_map(filling) if template is not None else fill(value, values, numbers)

    def clause(c: StandardClause | ExtraClause) -> ClauseView:
        if isinstance(c, StandardClause):
            return _standard_clause(c, fixed.clauses[c.key], text, own_items.get(c.key))
        return ClauseView(heading=c.heading, paragraphs=[_own_paragraph(p, text) for p in c.paragraphs])

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
        clauses=[clause(c) for _, c in chosen],
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


Chosen = tuple[str | None, StandardClause | ExtraClause]
"""A clause of the agreement: a standard one with its key, or one of the input's own (key None)."""


def _clauses(agreement: Agreement, library: AgreementWording, leave_out: frozenset[str] = frozenset()) -> list[Chosen]:
    """Standard clauses in order, less those omitted, each followed by the extra clauses placed after it."""
    omitted = set(agreement.clauses.omit) | leave_out
    after: dict[str, list[Chosen]] = {}
    for extra in agreement.clauses.extra:
        after.setdefault(extra.after, []).append((None, extra))
    chosen: list[Chosen] = []
    for clause in library.clauses:
        if clause.key in omitted:
            continue
        chosen.append((clause.key, clause))
        chosen += after.get(clause.key, [])
    return chosen


def _own_paragraph(p: ClauseParagraph, text: Callable[[str], str]) -> ParagraphView:
    """A paragraph of the input's own clause, its placeholders filled by `text`."""
    return ParagraphView(text=text(p.text), items=[text(i) for i in p.items], definitions=[], table=None)


def _as_written(p: LibraryParagraph) -> ParagraphView:
    """A library paragraph's view with its placeholders as written."""
    return ParagraphView(
        text=p.text,
        items=list(p.items),
        definitions=[DefinitionView(term=d.term, meaning=d.meaning) for d in p.definitions],
        table=p.table,
    )


def _filled(view: ParagraphView, text: Callable[[str], str], items: list[str] | None) -> ParagraphView:
    """A library paragraph's view (`_as_written`) with its placeholders filled by `text`, and
    `items` in place of its own if given; a definition without a placeholder is kept as it is."""
    return ParagraphView(
        text=text(view.text),
        items=[text(i) for i in (view.items if items is None else items)],
        definitions=[d if "{" not in d.meaning else DefinitionView(term=d.term, meaning=text(d.meaning)) for d in view.definitions],
        table=view.table,
    )


@dataclass(frozen=True)
class _FixedClause:
    """A standard clause as its wording alone shows it: each paragraph's view as written, with
    whether it has a placeholder to fill, and the whole clause's view when none has."""

    paragraphs: tuple[tuple[ParagraphView, bool], ...]
    view: ClauseView | None


def _fixed_clause(clause: StandardClause) -> _FixedClause:
    paragraphs = tuple((_as_written(p), _has_placeholders(p)) for p in clause.paragraphs)
    whole = None if any(to_fill for _, to_fill in paragraphs) else ClauseView(heading=clause.heading, paragraphs=[v for v, _ in paragraphs])
    return _FixedClause(paragraphs, whole)


def _has_placeholders(p: LibraryParagraph) -> bool:
    return any(placeholders(t) for t in (p.text, *p.items, *(d.meaning for d in p.definitions)))


def _standard_clause(
    clause: StandardClause, fixed: _FixedClause, text: Callable[[str], str], lead_in_items: list[str] | None
) -> ClauseView:
    """A standard clause's view: the one built for the library when its wording alone decides it,
    else with its paragraphs' placeholders (and a lead-in given the decision's items) filled here."""
    if fixed.view is not None and lead_in_items is None:
        return fixed.view
    views = []
    for n, (view, to_fill) in enumerate(fixed.paragraphs):
        items = lead_in_items if n == 0 else None
        views.append(_filled(view, text, items) if to_fill or items is not None else view)
    return ClauseView(heading=clause.heading, paragraphs=views)


@dataclass(frozen=True)
class _Fixed:
    """What a library's wording alone decides: its standard clauses' views by key (`_FixedClause`),
    and its texts with placeholders as templates (`as_template`), by text."""

    library: AgreementWording  # held, so that no other object takes its id while the entry is kept
    clauses: dict[str, _FixedClause]
    templates: dict[str, str]


_FIXED: dict[int, _Fixed] = {}
_FIXED_KEPT = 8  # the shipped wordings are two; more are a test's own, and are not kept forever


def _fixed(library: AgreementWording) -> _Fixed:
    """What `library`'s wording decides whatever the agreement, worked out once for the library
    rather than for every agreement: a wording is loaded once per process and never changes (a
    frozen model), most of its paragraphs have no placeholder, and those that have are filled in
    every agreement. Nothing of an input is kept here: only the library's words."""
    found = _FIXED.get(id(library))
    if found is None or found.library is not library:
        if len(_FIXED) >= _FIXED_KEPT:
            _FIXED.clear()
        clauses = {c.key: _fixed_clause(c) for c in library.clauses}
        found = _FIXED[id(library)] = _Fixed(library, clauses, {t: as_template(t) for t in library.texts() if placeholders(t)})
    return found


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
