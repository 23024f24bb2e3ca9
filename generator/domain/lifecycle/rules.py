"""The rules of a decision's life: declarations confirmed before anyone signs, dates in the order
things happen, and agreements that name the parties and the approval the decision gives them.

Dates run declarations confirmed → officer approval → DMPC signature → publication (on or
after the end of any deferral) → Part 2 review; an agreement is not dated before the signature
it cites.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date

from generator.domain.common.dates import long_date
from generator.domain.common.findings import Finding, Loc
from generator.domain.decision.model import Decision
from generator.domain.decision_form.model import DecisionForm
from generator.domain.decision_form.standard_wording import FormWording
from generator.domain.lifecycle.status import part_2_statement

MOPAC = "Mayor's Office for Policing and Crime"
_FORM: Loc = ("decision_form",)
_SIGNED: Loc = _FORM + ("dmpc", "date")
_APPROVED: Loc = _FORM + ("officer_approval", "date")
_WORDS = re.compile(r"[a-z0-9]+")
_NOT_NAMES = {"the", "of", "and", "for"}


def check_lifecycle(decision: Decision, version: FormWording | None) -> list[Finding]:
    """Every rule of the decision's life it breaks; warnings for what a draft still lacks.
    `version` is the form version the decision form is written on (None without a form, or
    with an unknown version, which the form's own rules report)."""
    form = decision.decision_form
    findings = _check_agreements(decision)
    if form is None:
        return findings
    if version is not None:
        findings += _check_declarations(form, version)
    return findings + list(_check_order(decision, form))


def _check_declarations(form: DecisionForm, version: FormWording) -> list[Finding]:
    """A signed decision has every declaration row confirmed or not applicable; a draft is told
    which rows are still outstanding."""
    signed = form.dmpc.date is not None
    if form.declarations is None:  # the standard rows, which nobody has confirmed
        names = ", ".join(d.key for d in version.declarations if d.default)
        message = f"the standard declarations ({names}) are not confirmed: list them, each with `confirmed: yes` once it is"
        if signed:
            return [Finding(_FORM + ("declarations",), message + ", as the DMPC has signed the decision", related=_SIGNED)]
        return [Finding(_FORM + ("declarations",), message, warning=True)]
    rows = [
        (_FORM + ("declarations", i), row.key or row.heading or "")
        for i, row in enumerate(form.declarations)
        if not row.confirmed and row.not_applicable is None
    ]
    if signed:
        return [
            Finding(
                loc,
                f"declaration {name!r} is not confirmed, but the DMPC has signed the decision: "
                "confirm it (`confirmed: yes`) or say why it does not apply (`not_applicable: …`)",
                related=_SIGNED,
            )
            for loc, name in rows
        ]
    return [Finding(loc, f"declaration {name!r} is outstanding: not yet confirmed", warning=True) for loc, name in rows]


def _check_order(decision: Decision, form: DecisionForm) -> Iterator[Finding]:
    approved, signed = form.officer_approval.date, form.dmpc.date
    for i, row in enumerate(form.declarations or []):
        confirmed = row.confirmed_on
        for later, loc, what in ((approved, _APPROVED, "the officer's approval"), (signed, _SIGNED, "the DMPC's signature")):
            if confirmed is not None and later is not None and confirmed > later:
                yield _after(_FORM + ("declarations", i, "confirmed_on"), confirmed, what, later, loc, "confirmed")
                break
    # The officer's approval before the DMPC's signature is the decision form's own rule.
    publication = form.publication
    published = publication.published
    loc = _FORM + ("publication", "published")
    if published is not None:
        if signed is None:
            yield Finding(loc, "published, but the DMPC has not signed the decision: give dmpc.date", related=_SIGNED)
        elif published < signed:
            yield _before(loc, published, "the DMPC's signature", signed, _SIGNED, "published")
        elif publication.defer_part_1 and publication.deferred_until is not None and published < publication.deferred_until:
            yield _before(
                loc,
                published,
                "the end of the deferral",
                publication.deferred_until,
                _FORM + ("publication", "deferred_until"),
                "published",
            )
    # The rules also run on a decision whose invalid sections are left out: read what is there.
    statement = part_2_statement(decision)
    review = statement.review if statement is not None else None
    review_loc = _review_loc(decision)
    deferred_until = publication.deferred_until if publication.defer_part_1 else None
    if review is not None and review_loc is not None:
        for earlier, where, what in (
            (deferred_until, _FORM + ("publication", "deferred_until"), "the end of the deferral"),
            (published, loc, "publication"),
            (signed, _SIGNED, "the DMPC's signature"),
        ):
            if earlier is not None and review <= earlier:
                yield Finding(
                    review_loc,
                    f"the Part 2 review on {long_date(review)} comes before (or on) {what}, "
                    f"{long_date(earlier)}: a review follows the decision's publication",
                    related=where,
                )
                break


def _review_loc(decision: Decision) -> Loc | None:
    if decision.report is not None and decision.report.part_2 is not None:
        return ("report", "part_2", "review")
    form = decision.decision_form
    if form is not None and form.publication.part_2_statement is not None:
        return _FORM + ("publication", "part_2_statement", "review")
    return None


def _after(loc: Loc, value: date, what: str, limit: date, related: Loc, verb: str) -> Finding:
    return Finding(loc, f"{verb} on {long_date(value)}, after {what} on {long_date(limit)}: dates run in the order things happen", related)


def _before(loc: Loc, value: date, what: str, limit: date, related: Loc, verb: str) -> Finding:
    return Finding(loc, f"{verb} on {long_date(value)}, before {what} on {long_date(limit)}: dates run in the order things happen", related)


def _check_agreements(decision: Decision) -> list[Finding]:
    """The agreements name the parties the decision has (the funder of the grant it accepts,
    MOPAC as recipient; MOPAC as the Authority of the grants it gives) and are not dated before
    the DMPC's signature they cite."""
    findings: list[Finding] = []
    form = decision.decision_form
    signed = form.dmpc.date if form is not None else None
    agreement, report = decision.agreement, decision.report
    if agreement is not None:
        if report is not None and report.grant is not None and not _same_body(agreement.authority.name, report.grant.funder):
            findings.append(
                Finding(
                    ("agreement", "authority", "name"),
                    f"the Authority is {agreement.authority.name!r}, but the grant is from {report.grant.funder!r}: "
                    "the agreement is with the grant's funder",
                    related=("report", "grant", "funder"),
                )
            )
        if not _same_body(agreement.recipient.name, MOPAC):
            findings.append(
                Finding(
                    ("agreement", "recipient", "name"),
                    f"the Grant Recipient is {agreement.recipient.name!r}, but the decision accepts the grant for MOPAC: name the {MOPAC}",
                )
            )
        # Its date against the DMPC's signature is the agreement's own rule.
    issued = decision.grant_agreements
    if issued is not None:
        if not _same_body(issued.authority.name, MOPAC):
            findings.append(
                Finding(
                    ("grant_agreements", "authority", "name"),
                    f"the Authority is {issued.authority.name!r}, but the decision's grants are MOPAC's to give: name the {MOPAC}",
                )
            )
        dated = [("date", issued.date)]
        if issued.offer_letter is not None:
            dated.append(("offer_letter", issued.offer_letter.date))
        for field, when in dated:
            if when is not None and signed is not None and when < signed:
                loc = ("grant_agreements", field) if field == "date" else ("grant_agreements", "offer_letter", "date")
                findings.append(_before(loc, when, "the DMPC's signature it cites", signed, _SIGNED, "dated"))
    return findings


def _same_body(a: str, b: str) -> bool:
    """Whether two names name the same body: the same words in any order ("Home Office (Homeland
    Security Group)" and "Homeland Security Group (Home Office)"), MOPAC by its initials too."""
    return _words(a) == _words(b)


def _words(name: str) -> frozenset[str]:
    words = frozenset(_WORDS.findall(name.lower().replace("'s", ""))) - _NOT_NAMES
    return _words(MOPAC) if words == {"mopac"} else words
