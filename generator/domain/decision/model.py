"""One decision input file: the reference and title shared by every document made from it."""

from __future__ import annotations

from collections.abc import Iterator

from pydantic import Field

from generator.domain.agreement.model import Agreement
from generator.domain.common.base import InputModel, Reference, Text
from generator.domain.common.dates import DateStyle
from generator.domain.common.findings import Loc
from generator.domain.common.markings import PUBLIC, Part1Marking
from generator.domain.decision_form.model import DecisionForm, Recommendation
from generator.domain.money.model import GrantAgreements, MoneyFlows
from generator.domain.part_2.model import Part2
from generator.domain.report.model import Report


class Decision(InputModel):
    """The top level of an input file.

    Each document section is optional, so a report drafted before its decision form
    (or an agreement reissued on its own) can live in the same file.
    """

    reference: Reference
    title: Text = Field(description="Title of the decision, as on the form.")
    classification: Part1Marking = PUBLIC
    author: Text | None = Field(
        default=None,
        description="Author recorded in every document's properties (e.g. the originating team); "
        "nothing is carried over from the templates.",
    )
    company: Text | None = Field(
        default=None, description="Company recorded in the documents' properties, e.g. 'Mayor's Office for Policing and Crime'."
    )
    date_style: DateStyle = Field(
        default="house",
        description="How the documents print dates: house (date lines 27/09/2018, dates in the text 27th September 2018), "
        "numeric (every date 27/09/2018) or long (every date 27th September 2018); the form or report may set its own.",
    )
    decision_form: DecisionForm | None = Field(default=None, description="The DMPC decision form.")
    report: Report | None = Field(default=None, description="The MPS report supporting the decision (its Appendix 1).")
    agreement: Agreement | None = Field(
        default=None, description="The grant agreement formalising the grant; its sum, period and breakdown come from report.grant."
    )
    money: MoneyFlows | None = Field(
        default=None, description="The money the decision moves, typed: funding in, grants and allocations out, contracts."
    )
    grant_agreements: GrantAgreements | None = Field(
        default=None,
        description="The grant agreements MOPAC issues: one per grant under money.grants with an `agreement`, on these shared terms.",
    )
    part_2: Part2 | None = Field(
        default=None,
        description="Confidential Part 2 facts and advice, rendered only into <stem>-part-2.docx; needs report.part_2, "
        "the published statement of its marking and FOIA exemptions.",
    )

    def date_style_of(self, document: DecisionForm | Report | None) -> DateStyle:
        """How `document` prints dates: its own style, else the decision's."""
        return (document.date_style if document is not None else None) or self.date_style

    def recommendations(self) -> Iterator[tuple[Loc, Recommendation]]:
        """Every recommendation, on the form and in the report, with where it stands."""
        if self.decision_form is not None:
            for i, rec in enumerate(self.decision_form.recommendations):
                yield ("decision_form", "recommendations", i), rec
        if self.report is not None:
            for g, group in enumerate(self.report.recommendations):
                for i, rec in enumerate(group.items):
                    yield ("report", "recommendations", g, "items", i), rec
