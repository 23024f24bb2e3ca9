"""The MPS supporting report: the appendix that carries a decision's facts, advice and money."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field, model_validator

from generator.domain.common.base import InputModel, Text, UKDate
from generator.domain.common.dates import DateStyle
from generator.domain.common.deadline import Deadline
from generator.domain.common.money import Money
from generator.domain.common.shapes import Standard, reads
from generator.domain.common.text import TextTable, text_or_mapping, text_shapes
from generator.domain.costs.model import CostTables
from generator.domain.decision_form.model import Recommendation
from generator.domain.part_2.statement import Part2Statement

ReportSectionKey = Annotated[str, Standard("report section")]
"""The key of a standard section of the MPS report (generator/domain/report/wording.yaml)."""


class SubItem(InputModel):
    """A lettered sub-item (a, b …) of a numbered paragraph, with optional roman items (i, ii …)."""

    text: Text
    sub_items: list[Text] = Field(default_factory=list, description="Roman-numbered items (i, ii …).")

    _from_string = model_validator(mode="before")(text_or_mapping)


class Block(InputModel):
    """One piece of a report section, in reading order.

    A plain string is a numbered paragraph. Otherwise give exactly one of `text` (a numbered
    paragraph, with optional quote/bullets/sub_items/continued), `subheading`, `unnumbered`
    (a paragraph without a number) or `table` (the id of a cost table, placed here).
    """

    text: Text | None = Field(default=None, description="A numbered paragraph (1, 2, 3 … across the report).")
    quote: list[Text] = Field(default_factory=list, description="Quoted statute lines after the text.")
    sub_items: list[SubItem] = Field(default_factory=list, description="Lettered sub-items (a, b …).")
    bullets: list[Text] = Field(default_factory=list, description="A bullet list after the text.")
    continued: list[Text] = Field(default_factory=list, description="Unnumbered paragraphs that continue this one.")
    footnote: str | None = Field(default=None, description="Id of a footnote (see `footnotes`) marked after the text.")
    subheading: Text | None = Field(default=None, description="A subheading within the section.")
    unnumbered: Text | None = Field(default=None, description="A paragraph without a number.")
    table: str | None = Field(default=None, description="Title of a cost table (see `costs`) to place here.")
    text_table: TextTable | None = Field(
        default=None, description="A table of words placed here, in the flow: a header row and rows of cells (e.g. year | amount | source)."
    )

    @model_validator(mode="before")
    @classmethod
    @reads(text_shapes)
    def _from_string(cls, data: Any) -> Any:
        return text_or_mapping(data)

    @model_validator(mode="after")
    def _one_kind(self) -> Block:
        kinds = [k for k in ("text", "subheading", "unnumbered", "table", "text_table") if getattr(self, k) is not None]
        if len(kinds) != 1:
            raise ValueError("give exactly one of text, subheading, unnumbered, table or text_table")
        extras = [k for k in ("quote", "sub_items", "bullets", "continued") if getattr(self, k)]
        if kinds[0] != "text" and extras:
            raise ValueError(f"{', '.join(extras)} can only follow a numbered paragraph (text)")
        return self


class ReportSection(InputModel):
    """A heading of the report and its blocks; paragraph numbers run on across sections.

    Give `key` for a standard heading (introduction, issues, police_crime_plan, financial, legal,
    equality, privacy, real_estate, environmental, background) or `heading` for any other. The
    first section may have neither: its paragraphs stand directly under the part's heading.
    """

    key: ReportSectionKey | None = Field(default=None, description="A standard report section.")
    heading: Text | None = Field(
        default=None, description="The section heading; the first section may have none (opening paragraphs under the part's heading)."
    )
    numbering: Literal["continue", "restart"] = Field(
        default="continue",
        description="Number its paragraphs on from the section before (continue), or from 1 again (restart; "
        "the sections after count on from it, as Word's 'Restart at 1' does).",
    )
    footnote: str | None = Field(default=None, description="Id of a footnote marked after the heading.")
    content: list[Block] = Field(min_length=1, description="Paragraphs, subheadings and tables, in order.")


class RecommendationGroup(InputModel):
    """Recommendations addressed to one body, e.g. the MPS board, then the DMPC via the meeting."""

    to: Text = Field(description="Lead-in naming the body, e.g. 'The Deputy Mayor …, via the … meeting (IAM), is asked to:'.")
    numbering: Literal["continue", "restart"] = Field(
        default="continue", description="Number its recommendations on from the group before (continue), or from 1 again (restart)."
    )
    items: list[Recommendation] = Field(min_length=1, description="Numbered recommendations.")


class TimeSensitivity(InputModel):
    """'A decision is required from the Deputy Mayor by <date>. This is because <reason>'."""

    required_by: Deadline = Field(description="A date (2022-09-21) or a month (2024-03).")
    reason: Text = Field(description="Completes 'This is because …'.")
    bullets: list[Text] = Field(default_factory=list, description="A bullet list after the reason (e.g. the dates it depends on).")


class Footnote(InputModel):
    """A footnote with an optional link (the text is the link's description)."""

    text: Text
    url: str | None = Field(default=None, pattern=r"^https?://\S+$", description="Web address the text links to.")


class BreakdownLine(InputModel):
    """One funded activity and its share of the grant: an amount, or the grant of a staffing table."""

    activity: Text
    amount: Money | None = Field(default=None, description="The activity's share, exactly.")
    from_table: str | None = Field(default=None, description="Title of the staffing table whose grant this is.")

    @model_validator(mode="after")
    def _one_source(self) -> BreakdownLine:
        if (self.amount is None) == (self.from_table is None):
            raise ValueError("give exactly one of amount or from_table")
        return self


class Grant(InputModel):
    """The grant in figures: what the financial comments say, and what every table and
    recommendation that names the grant must agree with."""

    funder: Text = Field(description="Who pays the grant, e.g. 'Homeland Security Group (Home Office)'.")
    amount: Money = Field(description="The total grant, exactly.")
    start: UKDate = Field(description="First day of the funding period, e.g. 2023-04-01.")
    end: UKDate = Field(description="Last day of the funding period, e.g. 2024-03-31.")
    breakdown: list[BreakdownLine] = Field(
        default_factory=list, description="What the grant funds, by activity; must add up to the amount."
    )

    @model_validator(mode="after")
    def _period_in_order(self) -> Grant:
        if self.end < self.start:
            raise ValueError("the funding period must end after it starts")
        return self


class Report(InputModel):
    """The MPS report supporting a decision (its Appendix 1)."""

    title: Text
    meeting: Text = Field(description="e.g. 'MOPAC Investment Advisory & Monitoring meeting'.")
    meeting_date: UKDate | None = Field(default=None, description="Date of the meeting, if set.")
    report_by: Text = Field(description="e.g. 'Commander Richard Smith (NPCC Personal Robbery Portfolio)'.")
    on_behalf_of: Text = Field(description="e.g. 'the Chief of Corporate Services'.")
    executive_summary: list[Block] = Field(min_length=1, description="Paragraphs (unnumbered) and bullets.")
    recommendations: list[RecommendationGroup] = Field(min_length=1, description="Recommendations, by body addressed.")
    time_sensitivity: TimeSensitivity | None = None
    sections: list[ReportSection] = Field(min_length=1, description="Non-confidential facts and advice.")
    facts_heading: bool = Field(
        default=True,
        description="Print the heading over the sections ('Non-confidential facts and advice …'); no for a report published without it.",
    )
    footnotes: dict[str, Footnote] = Field(
        default_factory=dict, description="Footnotes by id, numbered in order of use and printed at the foot of the page their mark is on."
    )
    grant: Grant | None = Field(default=None, description="The grant in figures, checked against tables and recommendations.")
    costs: CostTables = Field(default_factory=CostTables, description="Cost tables, each placed by a `table:` block.")
    author: Text = Field(description="Report author line, e.g. 'Vijay Gorania DI MO2'.")
    part_2: Part2Statement | None = Field(default=None, description="The published statement about a Part 2, if there is one.")
    date_style: DateStyle | None = Field(
        default=None, description="How this document prints dates (house, numeric or long), if not as the decision's `date_style` says."
    )
