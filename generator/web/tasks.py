"""A decision's task list: one task per part of the input, each a page of fields of one model."""

from __future__ import annotations

import typing
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel

from generator.domain.common.findings import Loc
from generator.domain.decision.model import Decision
from generator.errors import Problem
from generator.inputs.source import format_loc

Status = Literal["completed", "incomplete", "problems", "optional"]


@dataclass(frozen=True)
class Task:
    """Fields `names` of the model at `loc` in the input, on one page."""

    slug: str
    title: str
    group: str
    loc: Loc
    names: tuple[str, ...]
    required: bool = False
    hint: str | None = None

    @property
    def model(self) -> type[BaseModel]:
        return model_at(self.loc)

    def paths(self) -> list[str]:
        return [format_loc(self.loc + (n,)) for n in self.names]

    def owns(self, field: str) -> bool:
        """Whether a problem about `field` belongs on this task's page."""
        return any(field == p or field.startswith((p + ".", p + "[")) for p in self.paths())


def model_at(loc: Loc) -> type[BaseModel]:
    model: type[BaseModel] = Decision
    for part in loc:
        annotation = model.model_fields[str(part)].annotation
        args = [a for a in typing.get_args(annotation) if isinstance(a, type) and issubclass(a, BaseModel)]
        model = args[0] if args else typing.cast("type[BaseModel]", annotation)
    return model


FORM: Loc = ("decision_form",)
REPORT: Loc = ("report",)
TASKS = [
    Task("details", "Decision details", "The decision", (), ("reference", "title", "classification", "author", "company"), required=True),
    Task("money", "Money in and out", "The decision", (), ("money",), hint="Funding, grants, allocations and contracts, each with a key"),
    Task("form-summary", "Executive summary", "Decision form", FORM, ("executive_summary",), required=True),
    Task("form-recommendations", "Recommendations", "Decision form", FORM, ("recommendations",), required=True),
    Task("form-part-1", "Part I facts and advice", "Decision form", FORM, ("part_1_subheading", "part_1"), required=True),
    Task("form-papers", "Background papers and appendices", "Decision form", FORM, ("background_papers", "appendix_costs", "appendix_tables")),
    Task("form-publication", "Public access and Part 2", "Decision form", FORM, ("publication",)),
    Task("form-declarations", "Originating officer declarations", "Decision form", FORM, ("drafting_officer", "declarations")),
    Task("form-approvals", "DMPC and officer approval", "Decision form", FORM, ("officer_approval", "dmpc")),
    Task("form-wording", "Standard wording overrides", "Decision form", FORM, ("wording",)),
    Task("report-details", "Report details", "Supporting report", REPORT, ("title", "meeting", "meeting_date", "report_by", "on_behalf_of", "author", "time_sensitivity")),
    Task("report-summary", "Report executive summary", "Supporting report", REPORT, ("executive_summary",)),
    Task("report-recommendations", "Report recommendations", "Supporting report", REPORT, ("recommendations",)),
    Task("report-sections", "Report sections and notes", "Supporting report", REPORT, ("sections", "footnotes")),
    Task("report-grant", "Grant accepted", "Supporting report", REPORT, ("grant",)),
    Task("report-costs", "Cost tables", "Supporting report", REPORT, ("costs",)),
    Task("report-part-2", "Published statement about Part 2", "Supporting report", REPORT, ("part_2",)),
    Task("agreement", "Grant agreement (MOPAC as recipient)", "Agreements", (), ("agreement",)),
    Task("grant-agreements", "Grant agreements MOPAC issues", "Agreements", (), ("grant_agreements",)),
]  # fmt: skip
PART_2_TASK = Task("part-2", "Part 2: confidential facts and advice", "Part 2", (), ("part_2",))
BY_SLUG = {t.slug: t for t in [*TASKS, PART_2_TASK]}


def status(task: Task, data: dict[str, Any] | None, problems: Iterable[Problem]) -> Status:
    if any(task.owns(p.field) for p in problems if not p.warning):
        return "problems"
    section: Any = data or {}
    for part in task.loc:
        section = section.get(part) if isinstance(section, dict) else None
    given = isinstance(section, dict) and any(section.get(n) not in (None, "", [], {}) for n in task.names)
    if given:
        return "completed"
    return "incomplete" if task.required or (task.loc and section) else "optional"


def visible(data: dict[str, Any] | None) -> list[Task]:
    """The tasks an input shows: the decision form's and the report's when it has them (or
    nothing yet, for the form), the rest always, as each may be added."""
    data = data or {}
    shown = []
    for task in TASKS:
        if task.loc == REPORT and "report" not in data:
            continue
        shown.append(task)
    return shown
