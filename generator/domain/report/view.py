"""The supporting report with its standard wording applied: exactly what a template shows."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace

from generator.domain.common.dates import DateStyle, text_date
from generator.domain.common.view import View
from generator.domain.costs.model import CostTables
from generator.domain.costs.view import TableView, words_table
from generator.domain.decision.model import Decision
from generator.domain.decision_form.model import Recommendation
from generator.domain.money.figures import sums, worded_recommendations
from generator.domain.part_2.statement import StatementLine, statement_lines
from generator.domain.report.model import Block, Report, ReportSection, SubItem
from generator.domain.report.standard_wording import ReportWording

TEMPLATE = "mps-report.docx"
"""The Word template (under templates/) that shows a ReportDocument."""


@dataclass(slots=True, kw_only=True)
class BlockView(View):
    """One block of a section; `kind` is paragraph, subheading, unnumbered or table. `restart`
    marks the paragraph where the list starts again at 1 (the first of a section so numbered)."""

    kind: str
    restart: bool = False
    text: str = ""
    quote: list[str] = field(default_factory=list)
    sub_items: list[SubItem] = field(default_factory=list)
    bullets: list[str] = field(default_factory=list)
    continued: list[str] = field(default_factory=list)
    footnote: str | None = None
    table: TableView | None = None


@dataclass(slots=True, kw_only=True)
class ReportSectionView(View):
    heading: str | None  # None: opening paragraphs, straight under the part's heading
    footnote: str | None
    blocks: list[BlockView]


@dataclass(slots=True, kw_only=True)
class RecommendationGroupView(View):
    to: str
    restart: bool  # numbered from 1 again
    items: list[Recommendation]


@dataclass(slots=True, kw_only=True)
class FootnoteView(View):
    number: str
    text: str
    url: str | None


@dataclass(slots=True, kw_only=True)
class ReportDocument(View):
    """Context of the report template (the key `report` in the template)."""

    reference: str
    decision_title: str
    title: str
    meeting: str
    meeting_date: str | None  # in the report's date style
    report_by: str
    on_behalf_of: str
    classification: str
    executive_summary: list[BlockView]
    recommendations: list[RecommendationGroupView]
    time_sensitivity: str | None
    time_sensitivity_bullets: list[str] = field(default_factory=list)
    facts_heading: str | None
    sections: list[ReportSectionView]
    footnotes: list[FootnoteView]
    author: str
    part_2: list[StatementLine]


def block_view(b: Block, costs: CostTables, *, footnote: str | None = None) -> BlockView:
    """A block as the template shows it: a paragraph with its extras, a subheading, an
    unnumbered paragraph, or a cost table ready to print."""
    if b.table is not None:
        return BlockView(kind="table", table=costs.view(b.table))
    if b.text_table is not None:
        return BlockView(kind="table", table=words_table(b.text_table))
    if b.subheading is not None:
        return BlockView(kind="subheading", text=b.subheading)
    if b.unnumbered is not None:  # its note mark printed after it, as after a numbered paragraph's
        return BlockView(kind="unnumbered", text=b.unnumbered, footnote=footnote)
    return BlockView(
        kind="paragraph",
        text=b.text or "",
        quote=b.quote,
        sub_items=b.sub_items,
        bullets=b.bullets,
        continued=b.continued,
        footnote=footnote,
    )


def section_view(
    section: ReportSection, headings: Mapping[str, str], block: Callable[[Block], BlockView], *, footnote: str | None = None
) -> ReportSectionView:
    """A section of the report or of Part 2: its heading (the input's, the standard one for its
    key, or none for opening paragraphs) and its blocks, the first numbered paragraph marked
    where a section numbered from 1 restarts the list."""
    blocks = [block(b) for b in section.content]
    if section.numbering == "restart":
        first = next((i for i, b in enumerate(blocks) if b.kind == "paragraph"), None)
        if first is not None:
            blocks[first] = replace(blocks[first], restart=True)
    heading = section.heading or (headings[section.key] if section.key is not None else None)
    return ReportSectionView(heading=heading, footnote=footnote, blocks=blocks)


def compose_report(decision: Decision, defaults: ReportWording) -> ReportDocument:
    """Number footnotes in order of use, place tables, fill the set phrases.

    Assumes `check_report` found nothing: every key, footnote and table named exists.
    """
    report = decision.report
    assert report is not None
    style = decision.date_style_of(report)
    known = sums(decision.money)
    numbers: dict[str, str] = {}

    def mark(footnote: str | None) -> str | None:
        if footnote is None:
            return None
        return numbers.setdefault(footnote, str(len(numbers) + 1))

    def block(b: Block) -> BlockView:
        return block_view(b, report.costs, footnote=mark(b.footnote))

    summary = [block(b) for b in report.executive_summary]
    sections = [section_view(s, defaults.sections, block, footnote=mark(s.footnote)) for s in report.sections]
    time = report.time_sensitivity
    return ReportDocument(
        reference=decision.reference,
        decision_title=decision.title,
        title=report.title,
        meeting=report.meeting,
        meeting_date=text_date(report.meeting_date, style) if report.meeting_date else None,
        report_by=report.report_by,
        on_behalf_of=report.on_behalf_of,
        classification=defaults.classification.replace("{classification}", decision.classification),
        executive_summary=summary,
        recommendations=[
            RecommendationGroupView(to=g.to, restart=g.numbering == "restart", items=worded_recommendations(g.items, known))
            for g in report.recommendations
        ],
        time_sensitivity_bullets=list(time.bullets) if time else [],
        time_sensitivity=(
            defaults.time_sensitivity.replace("{required_by}", time.required_by.written(style)).replace("{reason}", time.reason)
            if time
            else None
        ),
        facts_heading=defaults.facts_heading if report.facts_heading else None,
        sections=sections,
        footnotes=[
            FootnoteView(number=numbers[key], text=report.footnotes[key].text, url=report.footnotes[key].url)
            for key in sorted(numbers, key=lambda k: int(numbers[k]))
        ],
        author=report.author,
        part_2=_part_2(report, defaults, style),
    )


def _part_2(report: Report, defaults: ReportWording, style: DateStyle) -> list[StatementLine]:
    if report.part_2 is None:
        return []
    return [StatementLine(text=defaults.part_2_heading), *statement_lines(report.part_2, defaults, style)]
