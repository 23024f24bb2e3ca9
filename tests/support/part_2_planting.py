"""Markers planted in every text field of a decision's `part_2:` section, to look for where no
Part 2 may reach (tests/e2e/documents/test_part_2.py, tests/build/test_publish.py). The fields
are found by walking the model, so a field added later is planted too, or the tests say the
fixture lacks it."""

from __future__ import annotations

import itertools
import types
import typing
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel

from generator.domain.common.text import TextTable
from generator.domain.report.model import Block, ReportSection
from generator.inputs.load import load_decision

# Text fields not planted, and why: a section's `key` names a standard (published) heading, so a
# marker there is no input; Part 2 has no notes, so a footnote id there is refused by the rules.
NOT_PLANTED = {(ReportSection, "key"), (ReportSection, "footnote"), (Block, "footnote")}


def _types(annotation: Any) -> Iterator[Any]:
    """Every type an annotation allows, Optional/list/Annotated unwrapped."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        yield from _types(typing.get_args(annotation)[0])
    elif origin in (typing.Union, types.UnionType, list, tuple, dict):
        for arg in typing.get_args(annotation):
            yield from _types(arg)
    else:
        yield annotation


def _is_model(tp: Any) -> bool:
    return isinstance(tp, type) and issubclass(tp, BaseModel)


def text_fields(model: type[BaseModel]) -> set[tuple[type, str]]:
    """(model, field) of every free-text field reachable from `model` (a Literal is a choice, not text)."""
    found: set[tuple[type, str]] = set()
    seen: set[type] = set()
    queue = [model]
    while queue:
        cls = queue.pop()
        if cls in seen:
            continue
        seen.add(cls)
        for name, info in cls.model_fields.items():
            allowed = list(_types(info.annotation))
            if str in allowed:
                found.add((cls, name))
            queue.extend(t for t in allowed if _is_model(t))
    return found


class Planter:
    """Replaces every text value of a model by a marker: the same text by the same marker, so a
    table's title and the `table:` blocks and `from_table` lines naming it still agree."""

    def __init__(self) -> None:
        self.markers: dict[str, str] = {}
        self.planted: set[tuple[type, str]] = set()
        self._numbers = itertools.count(1)

    def marker(self, text: str) -> str:
        if text not in self.markers:
            n = next(self._numbers)
            # Every other marker has characters XML escapes, to find it escaped as well as raw.
            self.markers[text] = f"P2LEAK{n:04d}" + (" & <b>" if n % 2 else "")
        return self.markers[text]

    def plant(self, value: Any, owner: tuple[type, str] | None = None) -> Any:
        if isinstance(value, BaseModel):
            cls = type(value)
            planted = {
                name: self.plant(getattr(value, name), (cls, name))
                for name in cls.model_fields
                if getattr(value, name) is not None and not (isinstance(value, TextTable) and name == "rows")
            }
            if isinstance(value, TextTable):  # a money cell must stay a sum to be valid
                money = set(value.money_columns_at)
                planted["rows"] = [
                    [cell if c in money else self.plant(cell, (cls, "rows")) for c, cell in enumerate(row)] for row in value.rows
                ]
            return planted
        if isinstance(value, list):
            return [self.plant(v, owner) for v in value]
        if isinstance(value, str) and owner is not None and owner not in NOT_PLANTED and not is_literal(owner):
            self.planted.add(owner)
            return self.marker(value)
        if isinstance(value, Decimal):
            return str(value)
        if isinstance(value, date):
            return value.isoformat()
        return value


def is_literal(owner: tuple[type, str]) -> bool:
    cls, name = owner
    assert issubclass(cls, BaseModel), cls  # the part 2 templates show pydantic models
    return any(typing.get_origin(t) is Literal for t in _types(cls.model_fields[name].annotation))


def planted_data(source: Path, planter: Planter) -> dict[str, Any]:
    """The input `source` as plain data, every text of its `part_2:` replaced by a marker."""
    data = yaml.safe_load(source.read_text(encoding="utf-8"))
    part_2 = load_decision(source).part_2
    assert part_2 is not None, f"{source} has no part_2 to plant"
    data["part_2"] = planter.plant(part_2)
    assert isinstance(data, dict)
    return data


def planted_text(source: Path, planter: Planter) -> str:
    """The YAML of `source` with every text of its `part_2:` replaced by a marker."""
    return yaml.safe_dump(planted_data(source, planter), allow_unicode=True, sort_keys=False)


def found(marker: str, text: str) -> bool:
    """Whether `marker` is in `text`: "P2LEAK0001", in any case a template might print it, starts
    the marker raw or escaped."""
    return marker.split()[0].lower() in text.lower()
