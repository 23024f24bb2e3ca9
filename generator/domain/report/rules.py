"""Rules across a report and the rest of the input: its figures must agree wherever they appear."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from decimal import Decimal

from generator.domain.common.dates import financial_years, long_date, period_years
from generator.domain.common.findings import Finding, Loc, suggestion
from generator.domain.common.money import pounds
from generator.domain.common.text import headless_after_the_first
from generator.domain.costs.model import CostTables, check_costs
from generator.domain.decision.model import Decision
from generator.domain.decision_form.rules import check_recommendation_text
from generator.domain.money.figures import sums
from generator.domain.report.model import Grant, Report, ReportSection
from generator.domain.report.standard_wording import ReportWording

BASE: Loc = ("report",)
_YEAR = re.compile(r"^(\d{4})/\d{2}")


def check_report(decision: Decision, defaults: ReportWording) -> list[Finding]:
    """Every rule the report breaks, alone or against the decision form; empty when fit to render."""
    report = decision.report
    if report is None:
        return []
    findings = [
        *check_sections(BASE, report.sections, defaults),
        *_check_footnotes(report),
        *check_tables(BASE, report.sections, report.costs),
        *_check_time(report),
    ]
    known = sums(decision.money)
    for loc, rec in decision.recommendations():
        if loc[0] == "report":  # the decision form's own rules check its recommendations
            findings.extend(check_recommendation_text(loc, rec, known))
    if report.grant is not None:
        findings.extend(_check_grant(decision, report, report.grant))
    return findings


def check_sections(base: Loc, sections: Sequence[ReportSection], defaults: ReportWording) -> list[Finding]:
    """Sections under `base` (the report, or Part 2) named by a key the standard headings lack,
    and any but the first without a heading (only opening paragraphs stand under the part's heading)."""
    known = list(defaults.sections)
    return [
        Finding(base + ("sections", i, "key"), f"unknown section {s.key!r}{suggestion(s.key, known)}")
        for i, s in enumerate(sections)
        if s.key is not None and s.key not in defaults.sections
    ] + headless_after_the_first(base + ("sections",), sections)


def _footnote_uses(report: Report) -> Iterator[tuple[Loc, str]]:
    for i, b in enumerate(report.executive_summary):
        if b.footnote:
            yield BASE + ("executive_summary", i, "footnote"), b.footnote
    for s, section in enumerate(report.sections):
        if section.footnote:
            yield BASE + ("sections", s, "footnote"), section.footnote
        for i, b in enumerate(section.content):
            if b.footnote:
                yield BASE + ("sections", s, "content", i, "footnote"), b.footnote


def _check_footnotes(report: Report) -> list[Finding]:
    known = list(report.footnotes)
    used = set()
    findings = []
    for loc, key in _footnote_uses(report):
        used.add(key)
        if key not in report.footnotes:
            findings.append(Finding(loc, f"no footnote {key!r} in footnotes{suggestion(key, known)}"))
    findings += [
        Finding(BASE + ("footnotes", key), "footnote is never marked: add `footnote: " + key + "` where it belongs")
        for key in known
        if key not in used
    ]
    return findings


def check_tables(base: Loc, sections: Sequence[ReportSection], costs: CostTables, *, where: str = "") -> list[Finding]:
    """The cost tables under `base` against the `table:` blocks that place them, each exactly once,
    and the tables' own rules; `where` ends "no cost table titled …" (Part 2: " in part_2.costs")."""
    titles = {title: loc for loc, title in costs.titles()}
    placed: dict[str, Loc] = {}
    findings = []
    for s, section in enumerate(sections):
        for i, b in enumerate(section.content):
            if b.table is None:
                continue
            loc = base + ("sections", s, "content", i, "table")
            if b.table not in titles:
                findings.append(Finding(loc, f"no cost table titled {b.table!r}{where}{suggestion(b.table, list(titles))}"))
            elif b.table in placed:
                findings.append(Finding(loc, f"table {b.table!r} is already placed", related=placed[b.table]))
            else:
                placed[b.table] = loc
    findings += [
        Finding(base + ("costs",) + loc, f"table {title!r} is never placed: add `- table: {title}` where the text puts it")
        for title, loc in titles.items()
        if title not in placed
    ]
    findings += [
        Finding(base + ("costs",) + f.loc, f.message, base + ("costs",) + f.related if f.related else None) for f in check_costs(costs)
    ]
    return findings


def _check_time(report: Report) -> list[Finding]:
    time = report.time_sensitivity
    if time is None or report.meeting_date is None or time.required_by.last_day >= report.meeting_date:
        return []
    return [
        Finding(
            BASE + ("time_sensitivity", "required_by"),
            f"the decision is required by {time.required_by}, before the meeting on {long_date(report.meeting_date)}",
            related=BASE + ("meeting_date",),
        )
    ]


def _check_grant(decision: Decision, report: Report, grant: Grant) -> list[Finding]:
    gloc = BASE + ("grant", "amount")
    findings = []
    for loc, rec in decision.recommendations():
        if rec.amount is not None and rec.amount != grant.amount:
            findings.append(
                Finding(loc + ("amount",), f"approves {pounds(rec.amount)} but the grant is {pounds(grant.amount)}", related=gloc)
            )
    staffing = report.costs.staffing_by_title
    if grant.breakdown:
        total = Decimal(0)
        for i, line in enumerate(grant.breakdown):
            if line.from_table is not None:
                if line.from_table not in staffing:
                    findings.append(
                        Finding(
                            BASE + ("grant", "breakdown", i, "from_table"),
                            f"no staffing table titled {line.from_table!r}{suggestion(line.from_table, list(staffing))}",
                        )
                    )
                    continue
                total += staffing[line.from_table].grant
            else:
                total += line.amount or Decimal(0)
        if total != grant.amount and not findings:
            findings.append(
                Finding(BASE + ("grant", "breakdown"), f"adds up to {pounds(total)} but the grant is {pounds(grant.amount)}", related=gloc)
            )
    if staffing:
        tables_total = sum((t.grant for t in staffing.values()), Decimal(0))
        if tables_total != grant.amount:
            findings.append(
                Finding(
                    BASE + ("costs", "staffing"),
                    f"the staffing tables' grants add up to {pounds(tables_total)} but the grant is {pounds(grant.amount)}",
                    related=gloc,
                )
            )
    findings.extend(_check_years(report, grant))
    return findings


def _check_years(report: Report, grant: Grant) -> list[Finding]:
    """Grant funding in a summary must fall in the funding period's financial years and add up to the grant."""
    period = financial_years(grant.start, grant.end)
    findings = []
    for s, summary in enumerate(report.costs.summaries):
        years = summary.year_columns
        for r, row in enumerate(summary.funding):
            if not row.label.lower().startswith("grant"):
                continue
            loc = BASE + ("costs", "summaries", s, "funding", r)
            for label, amount in zip(years, row.amounts, strict=False):
                match = _YEAR.match(label)
                if amount and match and int(match.group(1)) not in period:
                    findings.append(
                        Finding(
                            loc,
                            f"grant funding of {pounds(amount)} in {label}, outside the funding period "
                            f"{period_years(grant.start, grant.end)}",
                            related=BASE + ("grant", "start"),
                        )
                    )
            if sum(row.amounts, Decimal(0)) != grant.amount:
                findings.append(
                    Finding(
                        loc,
                        f"grant funding adds up to {pounds(sum(row.amounts, Decimal(0)))} but the grant is {pounds(grant.amount)}",
                        related=BASE + ("grant", "amount"),
                    )
                )
    return findings
