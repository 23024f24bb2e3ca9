"""The decision register: every input under a folder, read and judged, listed with its status, its
dates, its money and its documents, and written as register.csv, register.xlsx and register.html.

An invalid input is listed as invalid, with its problems counted, and stops nothing. The columns
are declared once here, each cell a typed value (text, a count, a date, an exact sum, a list of
file names); each file shows them in its own way (register_files.py, register_xlsx.py).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from generator.build.batch import find_inputs
from generator.build.plan import planned_documents
from generator.domain.decision.model import Decision
from generator.domain.lifecycle.due import Due, due_lines, due_of, in_order
from generator.domain.lifecycle.register import RegisterRow, register_row
from generator.domain.lifecycle.status import Status
from generator.errors import InputError, Problem
from generator.inputs.load import judge_input

INVALID = "Invalid"


@dataclass(frozen=True)
class RegisterEntry:
    """One input as the register lists it: its file (under the folder), the register's row when
    it is valid, its problems when it is not, and the documents it yields."""

    source: str
    row: RegisterRow | None
    problems: tuple[Problem, ...] = ()
    documents: tuple[str, ...] = ()
    # What an invalid input says it is, as typed (escaped: it has not been checked).
    typed_reference: str = ""
    typed_title: str = ""

    @property
    def valid(self) -> bool:
        return self.row is not None

    @property
    def reference(self) -> str:
        return self.row.reference if self.row is not None else self.typed_reference

    @property
    def title(self) -> str:
        return self.row.title if self.row is not None else self.typed_title

    @property
    def status_label(self) -> str:
        """Where the decision is ('Signed, awaiting publication'), or that the input is invalid."""
        return self.row.status.stage.label if self.row is not None else INVALID

    def due(self, *, today: date, days: int) -> list[Due]:
        if self.row is None:
            return []
        return due_of(self.row.status, reference=self.row.reference, source=self.source, today=today, days=days)


def register_entry(source: str, *, stem: str, data: Any, decision: Decision | None, problems: list[Problem]) -> RegisterEntry:
    """The register's entry for one input judged: `data` as read (for what an invalid input says
    it is), `decision` when valid; `stem` names its documents."""
    if decision is None:
        typed = data if isinstance(data, dict) else {}
        return RegisterEntry(
            source,
            None,
            tuple(problems),
            typed_reference=_typed(typed.get("reference")),
            typed_title=_typed(typed.get("title")),
        )
    documents = tuple(d.filename(stem) for d in planned_documents(decision))
    return RegisterEntry(source, register_row(decision), documents=documents)


def _typed(value: Any) -> str:
    """A value an invalid input typed, unchecked, as text that shows what it holds: a character
    that does not print (a control, a bidirectional override, a lone surrogate) as its escape."""
    if value is None:
        return ""
    return "".join(c if c.isprintable() else c.encode("unicode_escape").decode("ascii") for c in str(value))


def read_register(input_dir: Path, *, on_problem: Callable[[Problem], None] | None = None) -> list[RegisterEntry]:
    """Every input under `input_dir` (as `grantdocs batch` finds them), judged, in the folder's
    order; `on_problem` hears each problem of an invalid one as it is found."""
    entries = []
    for path in find_inputs(input_dir):
        source = path.relative_to(input_dir).as_posix()
        try:
            judged = judge_input(path)
        except InputError as error:  # not readable, or not YAML at all
            entry = register_entry(source, stem=path.stem, data=None, decision=None, problems=error.problems)
        else:
            entry = register_entry(source, stem=path.stem, data=judged.data, decision=judged.decision, problems=judged.problems)
        for problem in entry.problems:
            if on_problem is not None:
                on_problem(problem)
        entries.append(entry)
    return entries


def due_within(entries: list[RegisterEntry], *, today: date, days: int) -> list[Due]:
    """What the register's decisions need within `days` of `today`, in the order to read it."""
    return in_order([d for e in entries for d in e.due(today=today, days=days)])


def due_report(entries: list[RegisterEntry], *, today: date, days: int) -> list[str]:
    """What is due, as lines to print (`grantdocs register --due DAYS`)."""
    return due_lines(due_within(entries, today=today, days=days), today=today, days=days)


Cell = str | int | date | Decimal | tuple[str, ...] | None
"""A register cell, typed: each file writes a date as a date and a sum as a number."""


@dataclass(frozen=True)
class Column:
    header: str
    cell: Callable[[RegisterEntry], Cell]
    money: bool = False  # sums of money, aligned to the right as figures are


def _of_status(get: Callable[[Status], Cell]) -> Callable[[RegisterEntry], Cell]:
    return lambda e: get(e.row.status) if e.row is not None else None


def _of_row(get: Callable[[RegisterRow], Cell]) -> Callable[[RegisterEntry], Cell]:
    return lambda e: get(e.row) if e.row is not None else None


COLUMNS = (
    Column("Reference", lambda e: e.reference),
    Column("Title", lambda e: e.title),
    Column("Input file", lambda e: e.source),
    Column("Form version", _of_row(lambda r: r.form_version)),
    Column("Status", lambda e: e.status_label),
    Column("Problems", lambda e: len(e.problems)),
    Column("Officer approval", _of_status(lambda s: s.officer_approved)),
    Column("DMPC signature", _of_status(lambda s: s.signed)),
    Column("Published", _of_status(lambda s: s.published)),
    Column("Deferred until", _of_status(lambda s: s.deferred_until)),
    Column("Part 2", _of_status(lambda s: "Yes" if s.part_2 else "No")),
    Column("Part 2 review", _of_status(lambda s: s.part_2_review)),
    Column("Money in (£)", _of_row(lambda r: r.money_in), money=True),
    Column("Money out (£)", _of_row(lambda r: r.money_out), money=True),
    Column("Documents", lambda e: e.documents),
)
