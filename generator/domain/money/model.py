"""A decision's money, typed: what comes in, what goes out, the contracts it lets, and the sums
in its text that stand for nothing typed.

Each sum has a `key` the recommendations point at (`money: [barnet, camden]`), so that a
recommendation states figures it does not repeat, and every figure printed can be traced to
one typed here. Sums by financial year (`by_year`) are the usual shape: most MOPAC funding is
approved for named years.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field, WithJsonSchema, model_validator

from generator.domain.agreement.model import Claim, Contact, Kpi, Party, Signatory
from generator.domain.common.base import InputModel, Text, UKDate
from generator.domain.common.dates import FinancialYear
from generator.domain.common.money import Money

KEY_PATTERN = r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$"
SumKey = Annotated[str, Field(pattern=KEY_PATTERN, max_length=60)]
"""The name a recommendation points at: lower-case words joined by hyphens, e.g. 'barnet' or 'call-6'."""


def _one_or_many(value: Any) -> Any:
    return [value] if isinstance(value, str) else value


SumKeys = Annotated[
    list[SumKey],
    BeforeValidator(_one_or_many),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "string", "pattern": KEY_PATTERN},
                {"type": "array", "items": {"type": "string", "pattern": KEY_PATTERN}, "minItems": 1},
            ],
            "description": "The key of a sum under `money`, or a list of keys.",
        }
    ),
]
"""One key or a list of keys (`money: gfm` or `money: [barnet, camden]`)."""

IncomeKind = Literal["grant", "bid", "budget", "match-funding"]


class _Yearly(InputModel):
    """A sum given in total, by financial year, or both (then the years must add up to it)."""

    amount: Money | None = Field(default=None, description="The sum, exactly; may be left out when given by year.")
    by_year: dict[FinancialYear, Money] | None = Field(
        default=None, description="The sum by financial year (2023/24: 450000.00 …); together the amount."
    )

    @model_validator(mode="after")
    def _has_a_sum(self) -> _Yearly:
        if self.amount is None and not self.by_year:
            raise ValueError("give the sum: `amount`, or `by_year` (2023/24: 450000.00 …)")
        return self

    @property
    def total(self) -> Decimal:
        """The amount, or the years' sum when only years are given."""
        return self.amount if self.amount is not None else sum((self.by_year or {}).values(), Decimal(0))


class Income(_Yearly):
    """Money coming in: a grant accepted, a bid made, a budget line drawn on, match funding."""

    key: SumKey = Field(description="The name recommendations and money out use for this sum, e.g. 'ocs-grant'.")
    source: Text = Field(description="Where it comes from, e.g. 'Home Office Organised Crime Specific Grant' or 'CT & CE Hub budget'.")
    kind: IncomeKind = Field(description="grant (accepted), bid (if successful), budget (MOPAC's own) or match-funding.")
    conditional_on: SumKey | None = Field(
        default=None, description="The key of a bid this money depends on ('should the bid be successful')."
    )


class GrantTerms(InputModel):
    """What a recipient's own grant agreement says that the grant itself does not."""

    address: list[Text] = Field(min_length=1, description="The recipient's postal address, one line per entry.")
    signatory: Signatory = Field(description="Who signs for the recipient.")
    contacts: list[Contact] = Field(default_factory=list, description="The recipient's contacts (party: recipient).")
    payment_profile: list[Claim] = Field(
        default_factory=list, description="This recipient's claims, when not the standard profile of `grant_agreements.payment`."
    )
    conditions: list[Text] = Field(default_factory=list, description="Additional conditions for this recipient only.")


class GrantOut(_Yearly):
    """A grant MOPAC pays to a named recipient (a borough, a force, a charity)."""

    key: SumKey = Field(description="The name recommendations use for this grant, e.g. 'barnet'.")
    recipient: Text = Field(description="Who receives it, as named in the decision, e.g. 'London Borough of Barnet'.")
    purpose: Text | None = Field(default=None, description="What it pays for, when not the decision's purpose.")
    funded_by: SumKey | None = Field(default=None, description="The key of the money in that pays for it.")
    agreement: GrantTerms | None = Field(
        default=None, description="Issue this recipient a grant agreement (<stem>-grant-agreement-<recipient>.docx) on these terms."
    )


class Allocation(_Yearly):
    """Money set aside "up to" a sum for recipients still to be chosen (a fund call), or as a
    number of equal grants ("3 grants of £30,000 each")."""

    key: SumKey = Field(description="The name recommendations use for this allocation, e.g. 'call-6'.")
    purpose: Text = Field(description="What it is for, e.g. 'Shared Endeavour Fund Call 6 projects'.")
    funded_by: SumKey | None = Field(default=None, description="The key of the money in that pays for it.")
    grants: int | None = Field(default=None, ge=1, le=10_000, description="How many equal grants it makes, if that is set.")
    each: Money | None = Field(default=None, description="The sum of each grant; with `grants`, together the amount.")

    @model_validator(mode="after")
    def _grants_and_each(self) -> Allocation:
        if (self.grants is None) != (self.each is None):
            raise ValueError("give `grants` and `each` together: how many grants, and the sum of each")
        return self


class Extension(InputModel):
    """An option to extend a contract."""

    term: Text = Field(description="What the option adds, e.g. 'two further calls (Call 7 and 8) ending in May 2028'.")
    value: Money | None = Field(default=None, description="What the extension would cost, if set.")


class Contract(InputModel):
    """A contract awarded or a procurement started: supplier, term, value, options and maximum value."""

    key: SumKey = Field(description="The name recommendations use for this contract, e.g. 'grant-fund-manager'.")
    supplier: Text | None = Field(default=None, description="Who is awarded it; leave out for a procurement still to run.")
    purpose: Text = Field(description="What it is for, e.g. 'Grant Fund Manager to the Shared Endeavour Fund'.")
    term: Text = Field(description="Its initial term, e.g. '15 months'.")
    start: UKDate | None = Field(default=None, description="First day of the term, if known.")
    end: UKDate | None = Field(default=None, description="Last day of the initial term, if known.")
    value: Money = Field(description="The value of the initial term, exactly.")
    extensions: list[Extension] = Field(default_factory=list, description="Options to extend, in order.")
    maximum_value: Money | None = Field(
        default=None, description="The most it can cost with every extension taken; required when it may be extended."
    )
    funded_by: SumKey | None = Field(default=None, description="The key of the money in that pays for it.")

    @model_validator(mode="after")
    def _in_order(self) -> Contract:
        if self.start is not None and self.end is not None and self.end < self.start:
            raise ValueError("the contract's term must end after it starts")
        return self


class Stream(InputModel):
    """A share of a split."""

    name: Text = Field(description="The stream, e.g. 'direct borough funding'.")
    percent: Annotated[Decimal, Field(gt=0, le=100, decimal_places=2)] = Field(description="Its share, e.g. 70.")
    amount: Money | None = Field(default=None, description="Its sum, when stated: checked against the percentage.")


class Split(InputModel):
    """A sum divided between streams by percentage (70% borough funding, 30% co-commissioning)."""

    of: SumKey = Field(description="The key of the sum divided.")
    streams: list[Stream] = Field(min_length=2, description="The streams and their shares; together 100%.")


class NotedSum(InputModel):
    """A sum written in the text that stands for nothing typed here (a past budget, a comparison),
    noted so that its warning is silenced on purpose, not by accident."""

    sum: Text = Field(description="The sum as written, e.g. '£72m'.")
    reason: Text = Field(description="What it is, e.g. 'the LCPF budget over four years, set by DMPCD 2016/79'.")


class MoneyFlows(InputModel):
    """Every sum the decision moves, each with a key its recommendations point at."""

    funding: list[Income] = Field(default_factory=list, description="Money in: grants accepted, bids, budgets, match funding.")
    grants: list[GrantOut] = Field(default_factory=list, description="Money out: grants to named recipients, by year.")
    allocations: list[Allocation] = Field(default_factory=list, description="Money out 'up to' a sum, recipients still to be chosen.")
    contracts: list[Contract] = Field(default_factory=list, description="Contracts awarded or procurements started.")
    splits: list[Split] = Field(default_factory=list, description="Sums divided between streams by percentage.")
    rest_funded_by: Text | None = Field(
        default=None,
        description="What funds money out beyond the money in typed here (e.g. 'the MPS's own revenue budget'); "
        "leave out to have money out checked against money in.",
    )
    noted_sums: list[NotedSum] = Field(
        default_factory=list, description="Sums written in the text that match nothing typed, each with what it is."
    )


class OfferLetter(InputModel):
    """The covering grant offer letter, printed before each agreement."""

    date: UKDate | None = Field(default=None, description="Date of the letter; leave out to print a blank.")
    sender: Signatory = Field(description="Who signs the letter for MOPAC.")
    accept_by: UKDate = Field(description="The offer lapses unless the signed agreement is returned by this date.")


class PaymentSchedule(InputModel):
    """The standard payment profile: each year's grant claimed in equal instalments, in arrears."""

    instalments: int = Field(
        description="Claims a year: 1, 2 (half-yearly), 4 (quarterly) or 12 (monthly).", json_schema_extra={"enum": [1, 2, 4, 12]}
    )

    @model_validator(mode="after")
    def _divides_the_year(self) -> PaymentSchedule:
        if self.instalments not in (1, 2, 4, 12):
            raise ValueError(f"instalments must divide the year: 1, 2, 4 or 12 (got {self.instalments})")
        return self


class GrantAgreements(InputModel):
    """The terms every grant agreement MOPAC issues for this decision shares; each grant under
    `money.grants` with an `agreement` gets its own, with its recipient's sums and details."""

    reference: Text = Field(description="The agreements' reference; each adds its recipient's key, e.g. 'MOPAC-LCPF-2019-21'.")
    grant_name: Text = Field(description="Name of the grant, e.g. 'London Crime Prevention Fund 2019/20 and 2020/21'.")
    authority: Party = Field(description="MOPAC, the funder, with its address.")
    signatory: Signatory = Field(description="Who signs for MOPAC.")
    contacts: list[Contact] = Field(min_length=1, description="MOPAC's contacts (party: authority).")
    statutory_power: Text = Field(
        description="The power the grants are paid under, e.g. 'section 143 of the Anti-social Behaviour, Crime and Policing Act 2014'."
    )
    purpose: Text = Field(description="What the grants are for, as one or two sentences.")
    start: UKDate = Field(description="First day of the funding period, e.g. 2019-04-01.")
    end: UKDate = Field(description="Last day of the funding period, e.g. 2021-03-31.")
    payment: PaymentSchedule = Field(description="The standard payment profile; a recipient may give its own.")
    monitoring_frequency: Text = Field(description="How often monitoring returns are due, e.g. 'quarterly'.")
    kpis: list[Kpi] = Field(min_length=1, description="What each recipient reports on (Annex B).")
    conditions: list[Text] = Field(default_factory=list, description="Additional conditions every recipient accepts.")
    offer_letter: OfferLetter | None = Field(default=None, description="A covering grant offer letter, where the decision wants one.")
    date: UKDate | None = Field(default=None, description="Date of the agreements; leave out to print a blank.")

    @model_validator(mode="after")
    def _period_in_order(self) -> GrantAgreements:
        if self.end < self.start:
            raise ValueError("the funding period must end after it starts")
        return self
