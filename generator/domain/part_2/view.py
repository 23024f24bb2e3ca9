"""Part 2 with its standard wording applied: exactly what the Part 2 template shows.

Only this view, and only the `part-2` document, ever holds Part 2 content: the Part 1
documents are composed from the decision without it (see generator.build.plan).
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from generator.domain.common.dates import long_date
from generator.domain.common.markings import parse_marking
from generator.domain.decision.model import Decision
from generator.domain.report.model import FOIA_SECTIONS, Block, Part2Statement
from generator.domain.report.standard_wording import ReportWording
from generator.domain.report.view import BlockView, ReportSectionView, block_view

TEMPLATE = "part-2.docx"
"""The Word template (under templates/) that shows a Part2Document."""


class Part2Document(BaseModel):
    """Context of the Part 2 template (the key `part2` in the template)."""

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    reference: str
    decision_title: str
    title: str
    exemption: list[str]
    sections: list[ReportSectionView]


def part_2_marking(decision: Decision) -> str:
    """The marking printed on every page of Part 2: the report's published statement's.

    Assumes `check_part_2` found nothing: report.part_2 exists and its marking is one.
    """
    statement = decision.report.part_2 if decision.report is not None else None
    assert statement is not None
    return parse_marking(statement.marking).text


def compose_part_2(decision: Decision, defaults: ReportWording) -> Part2Document:
    """Place the tables and fill the FOIA statement from the report's published statement.

    Assumes `check_part_2` found nothing: report.part_2 exists, every key and table named exists.
    """
    part_2, report = decision.part_2, decision.report
    assert part_2 is not None and report is not None and report.part_2 is not None
    statement = report.part_2

    def block(b: Block) -> BlockView:
        return block_view(b, part_2.costs)

    return Part2Document(
        reference=decision.reference,
        decision_title=decision.title,
        title=part_2.title,
        exemption=_exemption(statement, defaults),
        sections=[
            ReportSectionView(
                heading=s.heading or defaults.sections[s.key],  # type: ignore[index]  # no heading: a key (ReportSection._named)
                footnote=None,
                blocks=[block(b) for b in s.content],
            )
            for s in part_2.sections
        ],
    )


def _exemption(statement: Part2Statement, defaults: ReportWording) -> list[str]:
    """The FOIA exemption, and when it ends or is reviewed, worded as the published report words them."""
    sections = ", ".join(f"section {n} ({FOIA_SECTIONS[n]})" for n in statement.foia_sections)
    lines = [defaults.part_2_exemption.replace("{sections}", sections).replace("{reasons}", statement.reasons)]
    if statement.until is not None:
        lines.append(defaults.part_2_until.replace("{until}", long_date(statement.until)))
    if statement.review is not None:
        lines.append(defaults.part_2_review.replace("{review}", long_date(statement.review)))
    return lines
