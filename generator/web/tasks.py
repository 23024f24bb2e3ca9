"""A decision's task list: one task per part of the input, each a page of fields of one model."""

from __future__ import annotations

import re
import types
import typing
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel

from generator.domain.common.findings import Loc
from generator.domain.decision.model import Decision
from generator.errors import Problem
from generator.inputs.load import load_form_wordings, load_report_wording
from generator.inputs.source import format_loc
from generator.inputs.validation import value_at

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
    """The model at `loc` in an input: a field's model, or a list's item model at an index."""
    model: type[BaseModel] = Decision
    annotation: Any = Decision
    for part in loc:
        if isinstance(part, int):
            (annotation,) = typing.get_args(annotation)  # list[X] → X
        else:
            annotation = model.model_fields[part].annotation
            args = [a for a in typing.get_args(annotation) if a is not type(None)]
            annotation = args[0] if typing.get_origin(annotation) in (typing.Union, types.UnionType) else annotation
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            model = annotation
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
    section = value_at(data, task.loc)
    given = isinstance(section, dict) and any(section.get(n) not in (None, "", [], {}) for n in task.names)
    if given:
        return "completed"
    return "incomplete" if task.required or (task.loc and section) else "optional"


# A task for each item of these lists (a PART I section, a report section, a cost table), after
# the task of the list as a whole, where items are added, removed and put in order.
_PER_ITEM = {
    "form-part-1": [(FORM + ("part_1",), "Part I section")],
    "report-sections": [(REPORT + ("sections",), "Report section")],
    "report-costs": [(REPORT + ("costs", "summaries"), "Summary table"), (REPORT + ("costs", "staffing"), "Staffing table"), (REPORT + ("costs", "bids"), "Bid table")],
}  # fmt: skip
_ITEM_SLUG = re.compile(r"^(?P<list>[a-z0-9-]+)--(?P<which>\d+)-(?P<index>\d+)$")


def item_tasks(parent: Task, data: dict[str, Any] | None) -> list[Task]:
    """A task for each item of the lists `parent` holds, named by the item's own heading or title."""
    tasks = []
    for which, (loc, noun) in enumerate(_PER_ITEM.get(parent.slug, [])):
        items = value_at(data, loc)
        headings = _standard_headings(data, loc)
        for i, item in enumerate(items if isinstance(items, list) else []):
            model = model_at(loc + (i,))
            name = _name_of(item, headings)
            title = f"{noun} {i + 1}" + (f": {name}" if name else "")
            tasks.append(Task(f"{parent.slug}--{which}-{i}", title, parent.group, loc + (i,), tuple(model.model_fields)))
    return tasks


def _name_of(item: Any, headings: dict[str, str]) -> str:
    if not isinstance(item, dict):
        return ""
    for key in ("heading", "title", "key"):
        if isinstance(item.get(key), str) and item[key].strip():
            name = str(item[key]).strip()
            return headings.get(name, name) if key == "key" else name
    return ""


def _standard_headings(data: dict[str, Any] | None, loc: Loc) -> dict[str, str]:
    """The standard headings a section's `key` stands for: the report's, or the form version's."""
    if loc[0] == "report":
        return dict(load_report_wording().sections)
    form = load_form_wordings().get(str(value_at(data, FORM + ("form",)) or ""))
    return dict(form.sections) if form is not None else {}


def task_for(slug: str, data: dict[str, Any] | None) -> Task | None:
    """The task a slug names: a fixed one, or one item's (form-part-1--0-2: the third section)."""
    if slug in BY_SLUG:
        return BY_SLUG[slug]
    match = _ITEM_SLUG.match(slug)
    if match is None or match["list"] not in BY_SLUG:
        return None
    return next((t for t in item_tasks(BY_SLUG[match["list"]], data) if t.slug == slug), None)


def visible(data: dict[str, Any] | None) -> list[Task]:
    """The tasks an input shows: the decision form's and the report's when it has them (or
    nothing yet, for the form), the rest always, as each may be added; each list with a task per
    item after its own."""
    data = data or {}
    shown = []
    for task in TASKS:
        if task.loc == REPORT and "report" not in data:
            continue
        shown.append(task)
        shown += item_tasks(task, data)
    return shown
