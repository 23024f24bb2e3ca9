"""Rules across the fields of a decision form that a single field's type cannot express."""

from __future__ import annotations

from collections.abc import Mapping
from collections.abc import Set as AbstractSet
from decimal import Decimal

from generator.domain.common.dates import long_date, short_date
from generator.domain.common.findings import Finding, Loc, suggestion
from generator.domain.common.money import mentions, mentions_amount, pounds
from generator.domain.common.text import headless_after_the_first
from generator.domain.costs.model import check_costs
from generator.domain.decision.model import Decision
from generator.domain.decision_form.model import DecisionForm, Recommendation
from generator.domain.decision_form.standard_wording import FormWording
from generator.domain.money.figures import Sum, approved, referenced, sums, years_add_up

DRAFTING_OFFICER = "{drafting_officer}"


def unknown(kind: str, name: str, known: list[str]) -> str:
    """Message for a name that is not one of `known`, suggesting the closest."""
    return f"unknown {kind} {name!r}{suggestion(name, known)}"


def check_decision(decision: Decision, forms: Mapping[str, FormWording]) -> list[Finding]:
    """Every rule the decision form breaks; empty when it is fit to render."""
    form = decision.decision_form
    if form is None:
        return []
    base: Loc = ("decision_form",)
    version = forms.get(form.form)
    if version is None:
        return [Finding(base + ("form",), unknown("form version", form.form, sorted(forms)))]
    return [
        *_check_sections(form, version, base),
        *_check_declarations(form, version, base),
        *_check_publication(form, base),
        *_check_dates(form, base),
        *_check_amounts(form, base, sums(decision.money)),
        *(
            Finding(base + ("appendix_costs",) + f.loc, f.message, base + ("appendix_costs",) + f.related if f.related else None)
            for f in check_costs(form.appendix_costs)
        ),
    ]


def _check_amounts(form: DecisionForm, base: Loc, known: Mapping[str, Sum]) -> list[Finding]:
    return [
        finding
        for i, rec in enumerate(form.recommendations)
        for finding in check_recommendation_text(base + ("recommendations", i), rec, known)
    ]


def check_recommendation_text(loc: Loc, rec: Recommendation, known: Mapping[str, Sum]) -> list[Finding]:
    """A recommendation's text, and each lettered sub-item's, must name the sum it approves (its
    amount, or the total of the sums under `money` it points at) when it names a sum at all;
    sub-items that split a recommendation's sum must add up to it."""
    amount = approved(rec, known)
    split = [(i, value) for i, item in enumerate(rec.sub_items) if (value := approved(item, known)) is not None]
    pointed = referenced(rec.money, known) or []
    parts = {*(rec.by_year or {}).values(), *(value for _, value in split), *(f for s in pointed for f in s.figures)}
    findings = _names_its_amount(loc, rec.text, amount, parts=parts, typed=rec.amount is not None)
    for i, item in enumerate(rec.sub_items):
        if item.text is not None:  # without text, it is worded from the sums it points at
            own = referenced(item.money, known) or []
            findings += _names_its_amount(
                loc + ("sub_items", i),
                item.text,
                approved(item, known),
                parts={f for s in own for f in s.figures},
                typed=item.amount is not None,
            )
    findings += _check_by_year(loc, rec)
    if amount is not None and split:
        total = sum((value for _, value in split), Decimal(0))
        if total != amount:
            added = " + ".join(pounds(value) for _, value in split)
            first = split[0][0]
            findings.append(
                Finding(
                    loc + ("amount",) if rec.amount is not None else loc + ("money",),
                    f"{'is' if rec.amount is not None else 'points at sums coming to'} {pounds(amount)}, "
                    f"but its sub-items' sums add up to {pounds(total)} ({added})",
                    related=loc + ("sub_items", first, "amount" if rec.sub_items[first].amount is not None else "money"),
                )
            )
    return findings


def _check_by_year(loc: Loc, rec: Recommendation) -> list[Finding]:
    """Sums by financial year ('22/23: £8,688,282, 23/24: …') are each named in the text and add up to the amount."""
    if not rec.by_year:
        return []
    findings = [
        Finding(loc + ("by_year", year), f"{pounds(value)} for {year} is not named in the recommendation's text", related=loc + ("text",))
        for year, value in rec.by_year.items()
        if not mentions_amount(rec.text, value)
    ]
    return findings + years_add_up(loc, rec.amount, rec.by_year)


def _names_its_amount(
    loc: Loc, text: str, amount: Decimal | None, *, parts: AbstractSet[Decimal] = frozenset(), typed: bool = True
) -> list[Finding]:
    """The text names `amount` if it names a sum at all; sums that are `parts` of it (its years,
    its sub-items', the sums it points at) are accounted for, and never taken for another amount."""
    written = mentions(text)
    mentioned = [m for m in written if not any(m.names(p) for p in parts)]
    if amount is None or not mentioned or any(m.names(amount) for m in written):
        return []
    names = ", ".join(m.written for m in mentioned)
    if typed:
        return [Finding(loc + ("text",), f"names {names} but the amount is {pounds(amount)}", related=loc + ("amount",))]
    return [Finding(loc + ("text",), f"names {names} but the sums it points at come to {pounds(amount)}", related=loc + ("money",))]


def _check_sections(form: DecisionForm, version: FormWording, base: Loc) -> list[Finding]:
    findings = [
        Finding(base + ("part_1", i, "key"), unknown("section", s.key, list(version.sections)))
        for i, s in enumerate(form.part_1)
        if s.key is not None and s.key not in version.sections
    ]
    findings += headless_after_the_first(base + ("part_1",), form.part_1)
    first = form.part_1[0]
    if first.key is None and first.heading is None:
        findings += [
            Finding(
                base + ("part_1", 0, "paragraphs", i, "subheading"),
                "opening paragraphs stand under the PART I heading itself: give the section a heading to have subheadings",
            )
            for i, p in enumerate(first.paragraphs)
            if p.subheading is not None
        ]
    return findings


def _check_declarations(form: DecisionForm, version: FormWording, base: Loc) -> list[Finding]:
    standard = {d.key: d for d in version.declarations}
    findings: list[Finding] = []
    statements: list[tuple[Loc, str]] = []
    if form.declarations is None:
        statements = [(base + ("form",), d.statement) for d in version.declarations if d.default]
    for i, row in enumerate(form.declarations or []):
        loc = base + ("declarations", i)
        if row.key is not None and row.key not in standard:
            findings.append(Finding(loc + ("key",), unknown("declaration row", row.key, list(standard))))
            continue
        statement = row.statement or standard[row.key].statement  # type: ignore[index]  # no statement: a key (DeclarationRow._identified)
        statements.append((loc, statement))
    if form.drafting_officer is None:
        for loc, statement in statements:
            if DRAFTING_OFFICER in statement:
                findings.append(
                    Finding(
                        base + ("drafting_officer",), "required: the Drafting Officer declaration names who drafted the form", related=loc
                    )
                )
                break
    return findings


def _check_publication(form: DecisionForm, base: Loc) -> list[Finding]:
    pub = form.publication
    loc = base + ("publication",)
    findings: list[Finding] = []
    if pub.defer_part_1:
        if pub.deferral_reason is None:
            findings.append(Finding(loc + ("deferral_reason",), "required when publication of Part 1 is deferred"))
        if pub.deferred_until is None:
            findings.append(Finding(loc + ("deferred_until",), "required when publication of Part 1 is deferred"))
        decided = form.dmpc.date or form.officer_approval.date
        if pub.deferred_until is not None and decided is not None and pub.deferred_until <= decided:
            findings.append(
                Finding(
                    loc + ("deferred_until",),
                    f"deferral must end after the decision date ({short_date(pub.deferred_until)} is not after {short_date(decided)})",
                    related=base + (("dmpc", "date") if form.dmpc.date else ("officer_approval", "date")),
                )
            )
    else:
        for name in ("deferral_reason", "deferred_until"):
            if getattr(pub, name) is not None:
                findings.append(Finding(loc + (name,), "given, but defer_part_1 is no: set defer_part_1: yes or remove it"))
    if not pub.part_2 and pub.part_2_reason is not None:
        findings.append(Finding(loc + ("part_2_reason",), "given, but part_2 is no: set part_2: yes or remove it"))
    return findings


def _check_dates(form: DecisionForm, base: Loc) -> list[Finding]:
    officer, dmpc = form.officer_approval.date, form.dmpc.date
    if officer is not None and dmpc is not None and officer > dmpc:
        return [
            Finding(
                base + ("officer_approval", "date"),
                f"the officer must approve before the DMPC: {long_date(officer)} is after the DMPC's approval on {long_date(dmpc)}",
                related=base + ("dmpc", "date"),
            )
        ]
    return []
