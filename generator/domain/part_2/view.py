"""Part 2 with its standard wording applied: exactly what the Part 2 template shows.

Only this view, and only the `part-2` document, ever holds Part 2 content: the Part 1
documents are composed from the decision without it (see generator.build.plan).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from generator.domain.common.markings import parse_marking
from generator.domain.common.view import View
from generator.domain.decision.model import Decision
from generator.domain.decision_form.standard_wording import FormWording
from generator.domain.part_2.rules import FORM_STATEMENT, published_statement
from generator.domain.part_2.statement import StatementLine, StatementWording, exemption_lines
from generator.domain.report.model import Block
from generator.domain.report.standard_wording import ReportWording
from generator.domain.report.view import BlockView, ReportSectionView, block_view, section_view

TEMPLATE = "part-2.docx"
"""The Word template (under templates/) that shows a Part2Document."""


@dataclass(slots=True, kw_only=True)
class Part2Document(View):
    """Context of the Part 2 template (the key `part2` in the template)."""

    reference: str
    decision_title: str
    title: str
    exemption: list[StatementLine]
    sections: list[ReportSectionView]


def part_2_marking(decision: Decision) -> str:
    """The marking printed on every page of Part 2: the published statement's.

    Assumes `check_part_2` found nothing: the statement exists and its marking is one.
    """
    published = published_statement(decision)
    assert published is not None
    return parse_marking(published[1].marking).text


def compose_part_2(decision: Decision, defaults: ReportWording, forms: Mapping[str, FormWording]) -> Part2Document:
    """Place the tables and fill the FOIA statement from the published statement, worded as the
    document that publishes it words it (the report, or the form of a decision without one).

    Assumes `check_part_2` found nothing: the statement exists, every key and table named exists.
    """
    part_2, published = decision.part_2, published_statement(decision)
    assert part_2 is not None and published is not None
    where, statement = published
    # Repeated as the document that publishes it words it, dates included.
    form = decision.decision_form if where == FORM_STATEMENT else None
    wording: StatementWording = forms[form.form] if form is not None else defaults
    style = decision.date_style_of(form or decision.report)

    def block(b: Block) -> BlockView:
        return block_view(b, part_2.costs)

    return Part2Document(
        reference=decision.reference,
        decision_title=decision.title,
        title=part_2.title,
        exemption=exemption_lines(statement, wording, style),
        sections=[section_view(s, defaults.sections, block) for s in part_2.sections],
    )
