"""Rules across the grant agreement and the decision: the agreement must say what was approved.

The agreement's sum, period and breakdown are the report's `grant`; the report's own rules check
that against the recommendations, tables and breakdown. These rules add what the agreement needs:
a payment profile that adds up to the grant within its period, whole financial years, a sum the
recommendations state, contacts for both parties, and clause switches that name real clauses.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from collections.abc import Set as AbstractSet
from decimal import Decimal

from generator.domain.agreement.model import Agreement
from generator.domain.agreement.standard_wording import (
    AgreementWording,
    clause_references,
    unknown_placeholder,
)
from generator.domain.common.dates import (
    ends_financial_year,
    financial_years,
    long_date,
    period_years,
    short_date,
    starts_financial_year,
)
from generator.domain.common.findings import Finding, Loc, suggestion
from generator.domain.common.money import pounds
from generator.domain.decision.model import Decision
from generator.domain.report.model import Grant

BASE: Loc = ("agreement",)
GRANT: Loc = ("report", "grant")
PARTY_LABELS = {"authority": "the Authority", "recipient": "the Grant Recipient"}
_YEAR_LABEL = re.compile(r"\b(\d{4})/(\d{2})\b")


def check_agreement(decision: Decision, library: AgreementWording, *, invalid: AbstractSet[str] = frozenset()) -> list[Finding]:
    """Every rule the agreement breaks; empty when it is fit to render. `invalid` names the
    sections left out of `decision` for problems of their own: their absence proves nothing."""
    agreement = decision.agreement
    if agreement is None:
        return []
    findings = [*_check_clauses(agreement, library), *_check_contacts(agreement), *_check_date(decision, agreement)]
    grant = decision.report.grant if decision.report is not None else None
    if grant is None:
        if "report" not in invalid:
            findings.append(
                Finding(
                    BASE,
                    "the agreement takes its maximum sum, funding period and breakdown from report.grant: add a report with a `grant` section",
                    related=("report",) if decision.report is not None else None,
                )
            )
        return findings
    if not grant.breakdown:
        findings.append(
            Finding(BASE, "the agreement breaks the maximum sum down by funded activity: give report.grant.breakdown", related=GRANT)
        )
    return [
        *findings,
        *([] if "decision_form" in invalid else _check_approved(decision)),  # its recommendations may state the sum
        *_check_profile(agreement, grant),
        *_check_period(grant),
        *_check_years_named(decision, grant),
    ]


def _check_approved(decision: Decision) -> list[Finding]:
    """The sum approved must be stated, so that it can be checked against the agreement's
    (the report's rules check every stated amount against report.grant.amount)."""
    recs = list(decision.recommendations())
    if not recs or any(rec.amount is not None for _, rec in recs):
        return []
    return [
        Finding(
            BASE,
            "no recommendation states the sum it approves: add `amount:` to the recommendation accepting the "
            "grant, so that the agreement's maximum sum can be checked against it",
            related=recs[0][0],
        )
    ]


def _check_profile(agreement: Agreement, grant: Grant) -> list[Finding]:
    loc = BASE + ("payment_profile",)
    findings = []
    total = sum((claim.amount for claim in agreement.payment_profile), Decimal(0))
    if total != grant.amount:
        findings.append(Finding(loc, f"adds up to {pounds(total)} but the grant is {pounds(grant.amount)}", related=GRANT + ("amount",)))
    for i, claim in enumerate(agreement.payment_profile):
        at = loc + (i, "date")
        if claim.date < grant.start:
            findings.append(
                Finding(
                    at,
                    f"{short_date(claim.date)} is before the funding period starts on {short_date(grant.start)}",
                    related=GRANT + ("start",),
                )
            )
        elif claim.date > grant.end:
            findings.append(
                Finding(
                    at, f"{short_date(claim.date)} is after the funding period ends on {short_date(grant.end)}", related=GRANT + ("end",)
                )
            )
        if i and claim.date <= agreement.payment_profile[i - 1].date:
            findings.append(
                Finding(
                    at,
                    f"claim periods must be in order: {short_date(claim.date)} is not after the previous "
                    f"claim's {short_date(agreement.payment_profile[i - 1].date)}",
                    related=loc + (i - 1, "date"),
                )
            )
    return findings


def _check_period(grant: Grant) -> list[Finding]:
    """An agreement funds whole financial years (1 April – 31 March)."""
    findings = []
    if not starts_financial_year(grant.start):
        findings.append(
            Finding(
                GRANT + ("start",),
                f"the agreement funds whole financial years, so its funding period starts on 1 April: {short_date(grant.start)} is not",
                related=BASE,
            )
        )
    if not ends_financial_year(grant.end):
        findings.append(
            Finding(
                GRANT + ("end",),
                f"the agreement funds whole financial years, so its funding period ends on 31 March: {short_date(grant.end)} is not",
                related=BASE,
            )
        )
    return findings


def _check_years_named(decision: Decision, grant: Grant) -> list[Finding]:
    """A recommendation approving the sum must not name a financial year outside the funding period."""
    period = financial_years(grant.start, grant.end)
    findings = []
    for loc, rec in decision.recommendations():
        if rec.amount is None:
            continue
        for match in _YEAR_LABEL.finditer(rec.text):
            year = int(match.group(1))
            if (year + 1) % 100 == int(match.group(2)) and year not in period:
                findings.append(
                    Finding(
                        loc + ("text",),
                        f"approves the grant for {match.group(0)}, but the agreement's funding period is {period_years(grant.start, grant.end)}",
                        related=GRANT + ("start",),
                    )
                )
    return findings


def _check_date(decision: Decision, agreement: Agreement) -> list[Finding]:
    form = decision.decision_form
    approved = form.dmpc.date if form is not None else None
    if agreement.date is None or approved is None or agreement.date >= approved:
        return []
    return [
        Finding(
            BASE + ("date",),
            f"the agreement formalises an approved grant: {long_date(agreement.date)} is before "
            f"the DMPC's approval on {long_date(approved)}",
            related=("decision_form", "dmpc", "date"),
        )
    ]


def _check_contacts(agreement: Agreement) -> list[Finding]:
    parties = {c.party for c in agreement.contacts}
    return [
        Finding(BASE + ("contacts",), f"no contact for {label}: add one with `party: {key}`")
        for key, label in PARTY_LABELS.items()
        if key not in parties
    ]


def _check_clauses(agreement: Agreement, library: AgreementWording) -> list[Finding]:
    loc = BASE + ("clauses",)
    standard = library.by_key
    known = list(standard)
    optional = [k for k, c in standard.items() if c.optional]
    findings = []
    seen: dict[str, int] = {}
    for i, key in enumerate(agreement.clauses.omit):
        at = loc + ("omit", i)
        if key not in standard:
            findings.append(Finding(at, f"no standard clause {key!r}{suggestion(key, known)}"))
        elif key not in optional:
            findings.append(
                Finding(
                    at,
                    f"clause {key!r} ({standard[key].heading}) is required and cannot be omitted; "
                    f"optional clauses: {', '.join(optional) or 'none'}",
                )
            )
        elif key in seen:
            findings.append(Finding(at, f"clause {key!r} is already omitted", related=loc + ("omit", seen[key])))
        seen.setdefault(key, i)
    omitted = set(agreement.clauses.omit)
    for i, extra in enumerate(agreement.clauses.extra):
        at = loc + ("extra", i)
        if extra.after not in standard:
            findings.append(Finding(at + ("after",), f"no standard clause {extra.after!r}{suggestion(extra.after, known)}"))
        elif extra.after in omitted:
            findings.append(
                Finding(
                    at + ("after",),
                    f"clause {extra.after!r} is omitted, so nothing can follow it",
                    related=loc + ("omit", agreement.clauses.omit.index(extra.after)),
                )
            )
        omits = {key: loc + ("omit", agreement.clauses.omit.index(key)) for key in omitted}
        for p, paragraph in enumerate(extra.paragraphs):
            for where, text in [(("text",), paragraph.text), *((("items", n), t) for n, t in enumerate(paragraph.items))]:
                findings += placeholder_problems(at + ("paragraphs", p) + where, text, library, omits)
    return findings


def placeholder_problems(at: Loc, text: str, library: AgreementWording, omitted: Mapping[str, Loc | None]) -> list[Finding]:
    """Clause text an input writes: every placeholder known, every clause it refers to in the
    library and not left out (`omitted`: each left-out clause, with where the input omits it)."""
    problem = unknown_placeholder(text)
    findings = [Finding(at, problem)] if problem else []
    for key in clause_references(text):
        if key not in library.by_key:
            findings.append(Finding(at, f"{{clause:{key}}}: no standard clause {key!r}{suggestion(key, list(library.by_key))}"))
        elif key in omitted:
            findings.append(Finding(at, f"{{clause:{key}}}: clause {key!r} is omitted", related=omitted[key]))
    return findings
