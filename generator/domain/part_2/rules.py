"""Rules for Part 2: its content, the report's published statement about it, and the decision
form's answer to "Is there a Part 2 form?" must agree; its marking must be a real one."""

from __future__ import annotations

from collections.abc import Set as AbstractSet

from generator.domain.common.findings import Finding, Loc
from generator.domain.common.markings import PUBLIC, parse_marking
from generator.domain.decision.model import Decision
from generator.domain.part_2.model import Part2
from generator.domain.part_2.statement import Part2Statement
from generator.domain.report.rules import check_sections, check_tables
from generator.domain.report.standard_wording import ReportWording

BASE: Loc = ("part_2",)
STATEMENT: Loc = ("report", "part_2")
FORM_STATEMENT: Loc = ("decision_form", "publication", "part_2_statement")
ANSWER: Loc = ("decision_form", "publication", "part_2")


def published_statement(decision: Decision) -> tuple[Loc, Part2Statement] | None:
    """The published statement about Part 2 and where it is given: the report's, or, on a
    decision without a report, the form's."""
    if decision.report is not None and decision.report.part_2 is not None:
        return STATEMENT, decision.report.part_2
    form = decision.decision_form
    if form is not None and form.publication.part_2_statement is not None:
        return FORM_STATEMENT, form.publication.part_2_statement
    return None


def check_part_2(decision: Decision, defaults: ReportWording, *, invalid: AbstractSet[str] = frozenset()) -> list[Finding]:
    """Every rule Part 2 breaks, in its content or against the rest of the input; empty when fit to render.
    `invalid` names the sections left out of `decision` for problems of their own: whether they
    hold Part 2 content or a statement about it is unknown, so their answers are not compared."""
    findings = _check_marking(decision)
    if not invalid & {"part_2", "report"}:
        findings += _check_answers(decision)
    if decision.part_2 is not None:
        findings += _check_content(decision.part_2, defaults)
    return findings


def _check_marking(decision: Decision) -> list[Finding]:
    published = published_statement(decision)
    if published is None:
        return []
    where, statement = published
    loc = where + ("marking",)
    try:
        marking = parse_marking(statement.marking)
    except ValueError as exc:
        return [Finding(loc, str(exc))]
    if marking.public:
        return [
            Finding(
                loc,
                f"Part 2 is withheld from publication, so it cannot be marked {PUBLIC}: "
                "give its own marking, e.g. OFFICIAL-SENSITIVE [OPERATIONAL]",
            )
        ]
    if marking.text != statement.marking:
        return [Finding(loc, f"write the marking as it is printed: {marking.text!r}")]
    return []


def _check_answers(decision: Decision) -> list[Finding]:
    """Part 2 content needs the published statement, given once; the form's answer must match both."""
    content = decision.part_2 is not None
    form = decision.decision_form
    on_form = form is not None and form.publication.part_2_statement is not None
    in_report = decision.report is not None and decision.report.part_2 is not None
    findings = []
    if on_form and decision.report is not None:
        findings.append(
            Finding(
                FORM_STATEMENT,
                "this decision has a report, which publishes the statement about Part 2: give it there, as report.part_2",
                related=STATEMENT if in_report else ("report",),
            )
        )
    statement = on_form or in_report
    if content and not statement:
        where = "add report.part_2" if decision.report is not None else "add decision_form.publication.part_2_statement"
        findings.append(
            Finding(
                BASE,
                f"Part 2 content needs the published statement about it: {where} (its marking, the FOIA sections relied on and why)",
                related=("report",) if decision.report is not None else None,
            )
        )
    if form is None:
        return findings
    if not form.publication.part_2 and (content or statement):
        related = BASE if content else (STATEMENT if in_report else FORM_STATEMENT)
        what = (
            "this input has Part 2 content (part_2)"
            if content
            else "the report publishes a statement about a Part 2 (report.part_2)"
            if in_report
            else "the form publishes a statement about a Part 2 (part_2_statement)"
        )
        findings.append(Finding(ANSWER, f"is no, but {what}: set part_2: yes", related=related))
    elif form.publication.part_2 and not content and not statement and decision.report is not None:
        findings.append(
            Finding(
                ANSWER,
                "is yes, but there is no Part 2: add the report's statement about it (report.part_2) "
                "and its content (part_2), or set part_2: no",
                related=("report",),
            )
        )
    return findings


def _check_content(part_2: Part2, defaults: ReportWording) -> list[Finding]:
    """The report's rules for sections and cost tables; and no notes, which Part 2 has none of."""
    findings = [
        *check_sections(BASE, part_2.sections, defaults),
        *check_tables(BASE, part_2.sections, part_2.costs, where=" in part_2.costs"),
    ]
    no_notes = "Part 2 has no notes: put the source in the text"
    for s, section in enumerate(part_2.sections):
        loc = BASE + ("sections", s)
        if section.footnote is not None:
            findings.append(Finding(loc + ("footnote",), no_notes))
        findings += [Finding(loc + ("content", i, "footnote"), no_notes) for i, b in enumerate(section.content) if b.footnote is not None]
    return findings
