"""The DMPC decision form as an originating officer writes it."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, model_validator

from generator.domain.common.base import InputModel, Text, UKDate
from generator.domain.common.dates import DateStyle, FinancialYear
from generator.domain.common.money import Money
from generator.domain.common.shapes import Standard
from generator.domain.common.text import Section, SummaryParagraph, TextTable, text_or_mapping
from generator.domain.costs.model import CostTables
from generator.domain.decision_form.versions import CURRENT_FORM as CURRENT_FORM
from generator.domain.money.model import SumKeys
from generator.domain.part_2.statement import Part2Statement

FormName = Annotated[str, Standard("form version")]
"""The name of a form version: a defaults file generator/domain/decision_form/wording/<name>.yaml."""
DeclarationKey = Annotated[str, Standard("declaration row")]
"""The key of a standard Originating Officer Declaration row of a form version."""


class RecommendationItem(InputModel):
    """A lettered sub-item (a, b, c …) of a recommendation, with the sum it approves when it moves
    one ("£250,000 to British Transport Police"). Written as a plain string when it is only text."""

    text: Text | None = Field(default=None, description="The sub-item, continuing its recommendation; left out, it is worded from `money`.")
    amount: Money | None = Field(
        default=None,
        description="The sum this sub-item approves, exactly; checked against its text, and with its "
        "siblings' sums against the recommendation's amount.",
    )
    money: SumKeys | None = Field(default=None, description="The sums under `money` this sub-item approves, by key.")

    @model_validator(mode="after")
    def _worded(self) -> RecommendationItem:
        if self.text is None and self.money is None:
            raise ValueError("a sub-item needs its `text`, or the `money` it approves to word it from")
        return self

    _from_string = model_validator(mode="before")(text_or_mapping)


class Recommendation(InputModel):
    """One numbered recommendation, with optional lettered sub-items (a, b, c …)."""

    text: Text = Field(description="The recommendation, completing the form's lead-in sentence.")
    subheading: Text | None = Field(
        default=None, description="A subheading printed before this recommendation, within the list (numbering runs on)."
    )
    amount: Money | None = Field(
        default=None,
        description="The sum this recommendation approves, exactly (e.g. 450000.00); checked against the text.",
    )
    sub_items: list[RecommendationItem] = Field(
        default_factory=list, description="Lettered sub-items (a, b, c …), each text or text with the sum it approves."
    )
    by_year: dict[FinancialYear, Money] | None = Field(
        default=None,
        description="The amount by financial year (2023/24: 450000.00 …): each named in the text, together the amount.",
    )
    money: SumKeys | None = Field(
        default=None, description="The sums under `money` this recommendation approves, by key; its text names their total or each."
    )

    _from_string = model_validator(mode="before")(text_or_mapping)


class DmpcApproval(InputModel):
    """The Deputy Mayor's block: interests, approval, signature and date."""

    interests: Text | None = Field(default=None, description="Any personal or prejudicial interest the DMPC records.")
    signatory: Text | None = Field(default=None, description="Name printed for the signature; leave out for a wet signature.")
    date: UKDate | None = Field(default=None, description="Date of approval (the decision date).")


class Publication(InputModel):
    """Public access to information: Part 1 deferral and whether there is a Part 2 form."""

    defer_part_1: bool = Field(default=False, description="Is publication of Part 1 to be deferred?")
    deferral_reason: Text | None = Field(default=None, description="Why publication is deferred.")
    deferred_until: UKDate | None = Field(default=None, description="Date until which publication is deferred; after the decision date.")
    published: UKDate | None = Field(
        default=None,
        description="Date MOPAC published Part 1; on or after the DMPC's signature and the end of any deferral. "
        "Not printed: it makes the decision's status published.",
    )
    part_2: bool = Field(default=False, description="Is there a Part 2 (confidential) form?")
    part_2_reason: Text | None = Field(default=None, description="Why there is a Part 2 form (asked by the 2014 form).")
    part_2_statement: Part2Statement | None = Field(
        default=None,
        description="On a decision without a report: the published statement about the Part 2 form "
        "(its marking, the FOIA sections relied on and why), printed on the form and repeated in Part 2.",
    )


class DeclarationRow(InputModel):
    """A row of the Originating Officer Declaration.

    `key` picks a standard row of the form version (its heading and statement as defaults);
    give `heading` and `statement` for a row of your own.
    """

    key: DeclarationKey | None = Field(
        default=None,
        description="A standard row of the form version: financial, legal, equalities, commercial, …",
    )
    heading: Text | None = Field(default=None, description="Row heading, e.g. 'Legal Advice:'.")
    statement: Text | None = Field(default=None, description="What the officer confirms.")
    bullets: list[Text] = Field(default_factory=list, description="A bullet list after the statement (e.g. the advice taken).")
    confirmed: bool = Field(
        default=False,
        description="Whether the statement has been confirmed: only a confirmed row is ticked (✓). "
        "A signed decision needs every row confirmed or not applicable.",
    )
    confirmed_by: Text | None = Field(default=None, description="Who confirmed it (e.g. the adviser consulted); not printed.")
    confirmed_on: UKDate | None = Field(
        default=None, description="When it was confirmed; on or before the officer's approval. Not printed."
    )
    not_applicable: Text | None = Field(
        default=None,
        description="Why the row does not apply to this decision: it is marked N/A instead of ticked. The reason is not printed.",
    )

    @model_validator(mode="after")
    def _identified(self) -> DeclarationRow:
        if self.key is None and (self.heading is None or self.statement is None):
            raise ValueError("a declaration row needs a `key` (a standard row) or both `heading` and `statement`")
        if self.confirmed and self.not_applicable is not None:
            raise ValueError("a declaration row is either `confirmed` or `not_applicable`, not both")
        if not self.confirmed and (self.confirmed_by is not None or self.confirmed_on is not None):
            raise ValueError("`confirmed_by` and `confirmed_on` say who confirmed the row and when: add `confirmed: yes`")
        return self


class OfficerApproval(InputModel):
    """Officer Approval: the senior officer consulted before the DMPC signs."""

    role: Text | None = Field(default=None, description="Defaults to the form version's approver (e.g. Chief Executive Officer).")
    statement: Text | None = Field(default=None, description="Overrides the standard consultation statement.")
    signatory: Text | None = Field(default=None, description="Name printed for the signature.")
    date: UKDate | None = Field(default=None, description="Date the officer approved; on or before the DMPC's.")


class Wording(InputModel):
    """Overrides of the form version's standard wording; leave out to use the standard text."""

    title: Text | None = Field(
        default=None,
        description="The form's title line as this decision was published, with {reference}: "
        "e.g. 'REQUEST FOR DMPC DECISION – {reference}' (used on the 2022 form for part of 2018).",
    )
    footer_label: Text | None = Field(
        default=None, description="The form version as the footer prints it, e.g. 'DMPC Decision Form – 2018'."
    )
    recommendation_intro: Text | None = Field(
        default=None, description="Lead-in before the recommendations, e.g. 'The Deputy Mayor … is recommended to:'."
    )
    no_recommendation_intro: bool = Field(
        default=False, description="Print the recommendations with no lead-in at all (each a whole sentence)."
    )
    dmpc_interests: Text | None = Field(default=None, description="The DMPC's interest/Code of Conduct statement.")
    dmpc_approval: Text | None = Field(default=None, description="'The above request has my approval.'")
    public_access: list[Text] | None = Field(default=None, description="The FOIA paragraphs under 'Public access to information'.")
    part_2_confidentiality: Text | None = Field(default=None, description="The Part 2 confidentiality sentence.")


class DecisionForm(InputModel):
    """Everything on the DMPC decision form that is particular to this decision."""

    form: FormName = Field(
        description="Form version: 'dmpc-2022' (DMPC Decision – PCD …) or 'dmpcd-v5-2014' (DMPCD v5 - Feb 2014).",
        examples=["dmpc-2022", "dmpcd-v5-2014"],
    )
    executive_summary: list[SummaryParagraph] = Field(min_length=1, description="Executive Summary paragraphs.")
    recommendations: list[Recommendation] = Field(min_length=1, description="What the DMPC is asked to do, numbered 1, 2 …; at least one.")
    recommendation_list: Literal["numbered", "bullets", "plain"] = Field(
        default="numbered",
        description="How the recommendations are listed: numbered 1, 2 … (a, b …), as bullets, or plain "
        "(each a paragraph with no number, e.g. one whole sentence after no lead-in; its sub-items as bullets).",
    )
    dmpc: DmpcApproval = Field(default_factory=DmpcApproval, description="The DMPC's approval block.")
    part_1_subheading: Text | None = Field(
        default=None, description="A line under the PART I heading, e.g. 'Decision required – supporting report'."
    )
    part_1: list[Section] = Field(min_length=1, description="PART I – non-confidential facts and advice: numbered sections.")
    background_papers: list[Text] = Field(
        default_factory=list, description="Background/supporting papers and appendices, listed in the last section."
    )
    background_papers_list: Literal["bullets", "numbered"] = Field(
        default="bullets", description="How the background papers are listed: as bullets, or numbered on from their section (7.1, 7.2 …)."
    )
    appendix_costs: CostTables = Field(
        default_factory=CostTables,
        description="Cost or bid tables printed after the background papers (e.g. Appendix A bid tables).",
    )
    appendix_tables: list[TextTable] = Field(default_factory=list, description="Tables of words printed after the appendix cost tables.")
    publication: Publication = Field(default_factory=Publication, description="Public access to information.")
    drafting_officer: Text | None = Field(
        default=None, description="Name of the officer who drafted the form (for the Drafting Officer declaration)."
    )
    declarations: list[DeclarationRow] | None = Field(
        default=None,
        description="Originating Officer Declaration rows, each ticked only once confirmed; "
        "leave out for the form version's standard rows, none of them confirmed yet.",
    )
    officer_approval: OfficerApproval = Field(default_factory=OfficerApproval, description="Officer Approval block.")
    wording: Wording = Field(default_factory=Wording, description="Overrides of standard wording.")
    date_style: DateStyle | None = Field(
        default=None, description="How this document prints dates (house, numeric or long), if not as the decision's `date_style` says."
    )
