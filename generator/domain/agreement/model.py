"""The grant agreement section of an input: what the decision itself does not say.

The maximum sum, the funding period and the breakdown by funded activity are not typed here:
they come from the report's `grant`, so the agreement cannot disagree with the decision.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, model_validator

from generator.domain.common.base import InputModel, Text, UKDate
from generator.domain.common.money import Money
from generator.domain.common.shapes import Standard
from generator.domain.common.text import text_or_mapping

PartyKey = Literal["authority", "recipient"]
ClauseKey = Annotated[str, Standard("clause")]
"""The key of a standard clause (generator/domain/agreement/wording.yaml)."""
OptionalClauseKey = Annotated[str, Standard("optional clause")]
"""The key of a standard clause an agreement may leave out."""


class Party(InputModel):
    """One party to the agreement, as named in it."""

    name: Text = Field(description="The party's name, e.g. 'Home Office' or 'Mayor's Office for Policing and Crime'.")
    address: list[Text] = Field(min_length=1, description="Postal address, one line per entry.")


class Signatory(InputModel):
    """Who signs for a party: the position is required; a name may be left for the signer to print."""

    position: Text = Field(description="The signer's position, e.g. 'Chief Finance Officer, MOPAC'.")
    name: Text | None = Field(default=None, description="The signer's name; leave out to print a blank name line.")
    date: UKDate | None = Field(default=None, description="Date signed; leave out to print a blank date line.")


class Signatories(InputModel):
    """Both parties sign."""

    authority: Signatory = Field(description="Signs for the Authority (the funder).")
    recipient: Signatory = Field(description="Signs for the Grant Recipient.")


class Claim(InputModel):
    """One line of the payment profile: a claim made in arrears for one claim period."""

    period: Text = Field(description="The claim period as printed, e.g. 'Quarter 1 (April to June 2023)'.")
    date: UKDate = Field(description="Last day of the claim period; the claim is made after it, in arrears.")
    amount: Money = Field(description="The most that may be claimed for the period, exactly.")


class Kpi(InputModel):
    """A key performance indicator the Grant Recipient reports on (Annex B)."""

    indicator: Text = Field(description="What is measured, e.g. 'Number of forces trained'.")
    measure: Text | None = Field(default=None, description="How it is measured, or its target.")
    frequency: Text | None = Field(default=None, description="How often it is reported; default: monitoring.frequency.")


class Monitoring(InputModel):
    """How the Grant Recipient reports on the Funded Activities."""

    frequency: Text = Field(description="How often progress reports are due, e.g. 'quarterly'; completes 'reports … on'.")
    kpis: list[Kpi] = Field(min_length=1, description="Key performance indicators (Annex B).")


class Contact(InputModel):
    """A named contact for the agreement; a role title will do where no person is named."""

    party: PartyKey = Field(description="Whose contact: authority or recipient.")
    role: Text = Field(description="The contact's role, e.g. 'MPS Grants Manager'.")
    name: Text | None = Field(default=None, description="The contact's name, if known.")
    email: Text | None = Field(default=None, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$", description="Email address.")
    telephone: Text | None = Field(default=None, description="Telephone number.")


class ClauseParagraph(InputModel):
    """A numbered paragraph of a clause (1.1), optionally with numbered items (1.1.1 …).

    Written as a plain string when it is only text. `{name}` placeholders are filled as in the
    clause library (e.g. {maximum_sum}, {period_end}, {clause:payment}).
    """

    text: Text = Field(description="The paragraph's text.")
    items: list[Text] = Field(default_factory=list, description="Numbered items under the paragraph (1.1.1 …).")

    _from_string = model_validator(mode="before")(text_or_mapping)


class ExtraClause(InputModel):
    """A clause of this agreement's own, placed after a standard clause."""

    heading: Text = Field(description="The clause heading, without its number.")
    after: ClauseKey = Field(description="Key of the standard clause this one follows, e.g. 'monitoring'.")
    paragraphs: list[ClauseParagraph] = Field(min_length=1, description="Numbered paragraphs (n.1, n.2 …).")


class ClauseChoices(InputModel):
    """Changes to the standard clauses: optional ones switched off, clauses of your own added."""

    omit: list[OptionalClauseKey] = Field(default_factory=list, description="Keys of optional standard clauses to leave out.")
    extra: list[ExtraClause] = Field(default_factory=list, description="Clauses of this agreement's own.")


class Agreement(InputModel):
    """The grant funding agreement between the funder (the Authority) and MOPAC (the Grant Recipient).

    Its sum, funding period and breakdown come from `report.grant`; this section holds the rest.
    """

    reference: Text = Field(description="The agreement's reference, e.g. 'HO-OCS-2023-24'.")
    date: UKDate | None = Field(default=None, description="Date of the agreement; leave out to print a blank.")
    grant_name: Text = Field(description="Name of the grant, e.g. 'Organised Crime Specific Grant 2023/24'.")
    authority: Party = Field(description="The Authority: the body paying the grant, e.g. the Home Office.")
    recipient: Party = Field(description="The Grant Recipient: the Mayor's Office for Policing and Crime.")
    statutory_power: Text = Field(description="The power the grant is paid under, completing 'The Authority pays the Grant under …'.")
    purpose: Text = Field(description="What the grant is for, as one or two sentences.")
    payment_profile: list[Claim] = Field(
        min_length=1, description="Claims in arrears: period, last day and amount; must add up to the grant."
    )
    match_funding: Text | None = Field(
        default=None, description="The match funding the Grant Recipient provides; leave out when none is required."
    )
    monitoring: Monitoring = Field(description="Reporting frequency and KPIs.")
    contacts: list[Contact] = Field(min_length=1, description="Named contacts for both parties.")
    signatories: Signatories = Field(description="Who signs for each party.")
    publication_citation: Text | None = Field(
        default=None,
        description="The legislation MOPAC publishes the agreement under; default: the clause library's citation.",
    )
    clauses: ClauseChoices = Field(default_factory=ClauseChoices, description="Optional standard clauses to omit and extra clauses to add.")
