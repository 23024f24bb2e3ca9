"""The decision form with its form version's defaults applied: exactly what a template shows."""

from __future__ import annotations

from dataclasses import dataclass, field

from generator.domain.common.dates import line_date
from generator.domain.common.text import Paragraph, SummaryParagraph
from generator.domain.common.view import View
from generator.domain.costs.view import TableView, words_table
from generator.domain.decision.model import Decision
from generator.domain.decision_form.model import DecisionForm, Recommendation
from generator.domain.decision_form.rules import DRAFTING_OFFICER
from generator.domain.decision_form.standard_wording import FormWording
from generator.domain.money.figures import sums, worded_recommendations
from generator.domain.part_2.statement import StatementLine, statement_lines


@dataclass(slots=True, kw_only=True)
class ParagraphView(View):
    """A PART I paragraph as printed: its table, if any, ready to print."""

    text: str
    subheading: str | None
    quote: list[str]
    bullets: list[str]
    table: TableView | None
    continued: list[str]


@dataclass(slots=True, kw_only=True)
class SectionView(View):
    heading: str | None  # None: opening paragraphs, unnumbered, straight under the PART I heading
    paragraphs: list[ParagraphView]
    bullets: list[str]


@dataclass(slots=True, kw_only=True)
class DeclarationView(View):
    heading: str
    statement: str
    bullets: list[str] = field(default_factory=list)
    ticked: bool  # confirmed: only then is the row ticked
    not_applicable: bool = False  # marked N/A instead of ticked


@dataclass(slots=True, kw_only=True)
class SignatureBlock(View):
    role: str
    statement: str
    signatory: str | None
    date: str  # in the form's date style; blank until signed


@dataclass(slots=True, kw_only=True)
class DmpcBlock(View):
    interests_statement: str
    interests: str | None
    approval: str
    signatory: str | None
    date: str  # in the form's date style; blank until signed


@dataclass(slots=True, kw_only=True)
class PublicationView(View):
    paragraphs: list[str]
    defer_part_1: bool
    deferral_reason: str | None
    deferred_until: str  # in the form's date style; blank when not deferred
    part_2_confidentiality: str | None
    part_2: bool
    part_2_reason: str | None
    part_2_statement: list[StatementLine] = field(default_factory=list)


@dataclass(slots=True, kw_only=True)
class DecisionFormDocument(View):
    """Context of a decision-form template (the key `form` in the template)."""

    reference: str
    title: str
    form_title: str
    form_label: str
    executive_summary: list[SummaryParagraph]
    recommendation_intro: str | None
    recommendation_list: str
    background_papers_list: str
    recommendations: list[Recommendation]
    dmpc: DmpcBlock
    part_1_subheading: str | None
    sections: list[SectionView]
    background_heading: str
    background_papers: list[str]
    appendix: list[TableView]
    publication: PublicationView
    declarations: list[DeclarationView]
    officer_approval: SignatureBlock


def compose_decision_form(decision: Decision, version: FormWording) -> DecisionFormDocument:
    """Apply the form version's standard headings, rows and wording; the input's text wins.

    Assumes `check_decision` found nothing: every key used is one the form version defines.
    """
    form = decision.decision_form
    assert form is not None
    wording = form.wording
    style = decision.date_style_of(form)
    return DecisionFormDocument(
        reference=decision.reference,
        title=decision.title,
        form_title=(wording.title or version.title).replace("{reference}", decision.reference),
        form_label=wording.footer_label or version.label,
        executive_summary=form.executive_summary,
        recommendation_list=form.recommendation_list,
        background_papers_list=form.background_papers_list,
        recommendation_intro=None if wording.no_recommendation_intro else wording.recommendation_intro or version.recommendation_intro,
        recommendations=worded_recommendations(form.recommendations, sums(decision.money)),
        dmpc=DmpcBlock(
            interests_statement=wording.dmpc_interests or version.dmpc_interests,
            interests=form.dmpc.interests,
            approval=wording.dmpc_approval or version.dmpc_approval,
            signatory=form.dmpc.signatory,
            date=line_date(form.dmpc.date, style),
        ),
        part_1_subheading=form.part_1_subheading,
        sections=[
            SectionView(
                heading=s.heading or (version.sections[s.key] if s.key is not None else None),
                paragraphs=[_paragraph(p) for p in s.paragraphs],
                bullets=s.bullets,
            )
            for s in form.part_1
        ],
        background_heading=version.background_heading,
        background_papers=form.background_papers,
        appendix=[
            *form.appendix_costs.views().values(),
            *(words_table(t) for t in form.appendix_tables),
        ],
        publication=PublicationView(
            paragraphs=wording.public_access or version.public_access,
            defer_part_1=form.publication.defer_part_1,
            deferral_reason=form.publication.deferral_reason,
            deferred_until=line_date(form.publication.deferred_until, style),
            part_2_confidentiality=wording.part_2_confidentiality or version.part_2_confidentiality,
            part_2=form.publication.part_2,
            part_2_reason=form.publication.part_2_reason,
            part_2_statement=statement_lines(form.publication.part_2_statement, version, style)
            if form.publication.part_2_statement
            else [],
        ),
        declarations=_declarations(form, version),
        officer_approval=SignatureBlock(
            role=form.officer_approval.role or version.officer_role,
            statement=form.officer_approval.statement or version.officer_statement,
            signatory=form.officer_approval.signatory,
            date=line_date(form.officer_approval.date, style),
        ),
    )


def _paragraph(p: Paragraph) -> ParagraphView:
    return ParagraphView(
        text=p.text,
        subheading=p.subheading,
        quote=p.quote,
        bullets=p.bullets,
        table=words_table(p.text_table) if p.text_table is not None else None,
        continued=p.continued,
    )


def _declarations(form: DecisionForm, version: FormWording) -> list[DeclarationView]:
    standard = {d.key: d for d in version.declarations}
    name = form.drafting_officer or ""

    def statement(text: str) -> str:
        return text.replace(DRAFTING_OFFICER, name)

    if form.declarations is None:
        # Nobody has confirmed anything yet: the standard rows, none ticked.
        return [
            DeclarationView(heading=d.heading, statement=statement(d.statement), ticked=False) for d in version.declarations if d.default
        ]
    rows = []
    for row in form.declarations:
        std = standard.get(row.key) if row.key else None
        rows.append(
            DeclarationView(
                heading=row.heading or (std.heading if std else ""),
                statement=statement(row.statement or (std.statement if std else "")),
                bullets=list(row.bullets),
                ticked=row.confirmed,
                not_applicable=row.not_applicable is not None,
            )
        )
    return rows
