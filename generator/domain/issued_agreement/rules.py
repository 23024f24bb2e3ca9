"""Rules for the grant agreements MOPAC issues: each agrees with the grant the decision approves.

The sums and years come from money.grants, so they cannot disagree with the decision; these
rules check what could still: that the shared terms exist, that the grant's years lie in the
funding period, that a recipient's own payment profile allocates exactly its grant to each year
within the period, who the contacts are for, and that the offer is open for acceptance.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Set as AbstractSet
from decimal import Decimal

from generator.domain.agreement.rules import placeholder_problems
from generator.domain.agreement.standard_wording import AgreementWording
from generator.domain.common.dates import financial_year, financial_year_of, short_date, whole_financial_years
from generator.domain.common.findings import Finding, Loc
from generator.domain.common.money import pounds
from generator.domain.decision.model import Decision
from generator.domain.issued_agreement.view import grant_by_year, left_out, years_of
from generator.domain.money.model import GrantAgreements, GrantOut, GrantTerms

SHARED: Loc = ("grant_agreements",)


def check_issued_agreements(decision: Decision, library: AgreementWording, *, invalid: AbstractSet[str] = frozenset()) -> list[Finding]:
    """Every rule the agreements MOPAC issues break; empty when each is fit to render."""
    shared = decision.grant_agreements
    grants = decision.money.grants if decision.money is not None else []
    with_terms = [(i, g, g.agreement) for i, g in enumerate(grants) if g.agreement is not None]
    findings: list[Finding] = []
    if shared is None:
        if "grant_agreements" not in invalid:
            findings += [
                Finding(
                    ("money", "grants", i, "agreement"),
                    "an agreement needs the terms every agreement for this decision shares: add a grant_agreements section",
                )
                for i, _, _ in with_terms
            ]
        return findings
    if not with_terms and "money" not in invalid:
        findings.append(
            Finding(SHARED, "no grant gets an agreement: give the recipients' grants under money.grants, each with its `agreement`")
        )
    findings += _check_shared(shared, standard_profile=any(not terms.payment_profile for _, _, terms in with_terms))
    for i, grant, terms in with_terms:
        findings += _check_grant(("money", "grants", i), grant, terms, shared)
    findings += _check_conditions(shared, with_terms, library)
    return findings


def _check_conditions(
    shared: GrantAgreements, with_terms: list[tuple[int, GrantOut, GrantTerms]], library: AgreementWording
) -> list[Finding]:
    """The additional conditions are clause text: their placeholders are filled as the library's are."""
    places = [(SHARED + ("conditions",), shared.conditions)]
    places += [(("money", "grants", i, "agreement", "conditions"), terms.conditions) for i, _, terms in with_terms]
    return [
        finding
        for at, conditions in places
        for n, text in enumerate(conditions)
        for finding in placeholder_problems(at + (n,), text, library, dict.fromkeys(left_out(shared, conditions)))
    ]


def _check_shared(shared: GrantAgreements, *, standard_profile: bool) -> list[Finding]:
    findings = [
        Finding(
            SHARED + ("contacts", i, "party"),
            "is the recipient, but these are MOPAC's contacts: give the recipient's under its grant's agreement",
        )
        for i, c in enumerate(shared.contacts)
        if c.party != "authority"
    ]
    if standard_profile and not whole_financial_years(shared.start, shared.end):
        findings.append(
            Finding(
                SHARED + ("start",),
                f"the funding period {short_date(shared.start)} to {short_date(shared.end)} is not whole financial years "
                "(1 April to 31 March), so the standard payment profile cannot divide it: give each recipient its payment_profile",
                related=SHARED + ("payment",),
            )
        )
    letter = shared.offer_letter
    if letter is not None and letter.date is not None and letter.accept_by <= letter.date:
        findings.append(
            Finding(
                SHARED + ("offer_letter", "accept_by"),
                f"is {short_date(letter.accept_by)}, not after the letter's date {short_date(letter.date)}: the offer must be open to accept",
                related=SHARED + ("offer_letter", "date"),
            )
        )
    return findings


def _check_grant(loc: Loc, grant: GrantOut, terms: GrantTerms, shared: GrantAgreements) -> list[Finding]:
    period = years_of(shared)
    labels = ", ".join(financial_year(y) for y in period)
    findings = []
    if not grant.by_year and len(period) > 1:
        findings.append(
            Finding(
                loc + ("amount",),
                f"the agreement allocates the grant to each financial year of its funding period ({labels}): give the grant by_year",
                related=SHARED + ("start",),
            )
        )
    for year in grant.by_year or {}:
        if int(year[:4]) not in period:
            findings.append(
                Finding(loc + ("by_year", year), f"is outside the agreements' funding period ({labels})", related=SHARED + ("start",))
            )
    agreement = loc + ("agreement",)
    findings += [
        Finding(
            agreement + ("contacts", i, "party"),
            "is the authority, but these are the recipient's contacts: give MOPAC's under grant_agreements",
        )
        for i, c in enumerate(terms.contacts)
        if c.party != "recipient"
    ]
    if not terms.contacts:
        findings.append(Finding(agreement + ("contacts",), "required: name at least one contact for the recipient"))
    if terms.payment_profile and not findings:
        findings += _check_profile(loc, grant, terms, shared)
    return findings


def _check_profile(grant_loc: Loc, grant: GrantOut, terms: GrantTerms, shared: GrantAgreements) -> list[Finding]:
    """A recipient's own claims: within the period, and each year's claims make exactly its grant for that year."""
    loc = grant_loc + ("agreement",)
    findings = []
    claimed: dict[int, Decimal] = defaultdict(Decimal)
    for i, claim in enumerate(terms.payment_profile):
        if not shared.start <= claim.date <= shared.end:
            findings.append(
                Finding(
                    loc + ("payment_profile", i, "date"),
                    f"{short_date(claim.date)} is outside the funding period {short_date(shared.start)} to {short_date(shared.end)}",
                    related=SHARED + ("start",),
                )
            )
        claimed[financial_year_of(claim.date)] += claim.amount
    if findings:
        return findings
    granted = grant_by_year(grant, shared)
    for year in sorted(set(granted) | set(claimed)):
        if claimed.get(year, Decimal(0)) != granted.get(year, Decimal(0)):
            findings.append(
                Finding(
                    loc + ("payment_profile",),
                    f"claims {pounds(claimed.get(year, Decimal(0)))} in {financial_year(year)}, "
                    f"but the grant for {financial_year(year)} is {pounds(granted.get(year, Decimal(0)))}",
                    related=grant_loc + (("by_year", financial_year(year)) if grant.by_year else ("amount",)),
                )
            )
    return findings
