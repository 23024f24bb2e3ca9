"""Form controls generated from the input models, and the posted form read back into input data.

A task page edits some fields of one model of the input (the decision form's recommendations,
the report's grant …). Each field becomes a control chosen by its type: text or a paragraph box,
money (kept as typed, to the penny), a date (day, month, year), yes/no, a choice from a closed set,
a group of fields for a nested model, a repeated group with "add another" for a list, rows of
year and sum for a mapping. Labels and hints are the field's name and description: nothing is
written twice. Values stay as text, as the YAML reader gives them; the same validation as
`grantdocs validate` judges them after saving.
"""

from __future__ import annotations

import re
import types
import typing
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel, ValidationError
from pydantic.fields import FieldInfo

from generator.domain.common.base import UKDate
from generator.domain.common.deadline import DueDate
from generator.domain.common.findings import Loc
from generator.domain.common.money import Money
from generator.domain.common.shapes import Standard
from generator.inputs.schema import standard_sets
from generator.inputs.source import format_loc
from generator.inputs.validation import field_value

Kind = Literal["text", "textarea", "money", "date", "yesno", "choice", "number", "group", "list", "mapping"]

# Text that is prose rather than a name or a number: written in a paragraph box.
_PROSE = {
    "text", "statement", "reasons", "reason", "purpose", "proposal", "quote", "bullets", "continued",
    "executive_summary", "paragraphs", "meaning", "interests", "deferral_reason", "part_2_reason",
    "conditions", "match_funding", "recitals", "rest_funded_by", "unnumbered", "background_papers",
}  # fmt: skip
_SHORT_LABELS = {"dmpc": "DMPC", "kpis": "Key performance indicators", "fte": "FTE", "url": "Web address", "part_1": "Part I"}


@dataclass
class Control:
    """One control of a task page, or a group of them; `loc` is its place in the input."""

    name: str
    loc: Loc
    label: str
    hint: str | None
    kind: Kind
    value: Any = None
    required: bool = False
    choices: list[tuple[str, str]] = field(default_factory=list)
    children: list[Control] = field(default_factory=list)
    error: str | None = None

    @property
    def path(self) -> str:
        """The input's field path, as problems name it: decision_form.recommendations[0].text."""
        return format_loc(self.loc)

    def walk(self) -> typing.Iterator[Control]:
        yield self
        for child in self.children:
            yield from child.walk()


def label_of(name: str) -> str:
    if name in _SHORT_LABELS:
        return _SHORT_LABELS[name]
    words = name.replace("_", " ")
    return words[:1].upper() + words[1:]


def html_name(loc: Loc) -> str:
    """A control's HTML name and id: f-decision_form-recommendations-0-text."""
    return "f-" + "-".join(re.sub(r"[^A-Za-z0-9_]", "_", str(part)) for part in loc)


# ---------------------------------------------------------------- types


def _optional(annotation: Any) -> tuple[Any, bool]:
    """(the type without None, whether None is allowed)."""
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        if len(args) < len(typing.get_args(annotation)):
            return (args[0] if len(args) == 1 else typing.Union[tuple(args)]), True  # noqa: UP007
    return annotation, False


def _metadata(annotation: Any) -> list[Any]:
    return list(typing.get_args(annotation)[1:]) if typing.get_origin(annotation) is typing.Annotated else []


def _base(annotation: Any) -> Any:
    return typing.get_args(annotation)[0] if typing.get_origin(annotation) is typing.Annotated else annotation


def _kind(annotation: Any, name: str) -> tuple[Kind, list[tuple[str, str]]]:
    if annotation == Money:
        return "money", []
    if annotation == UKDate:
        return "date", []
    standard = next((m for m in _metadata(annotation) if isinstance(m, Standard)), None)
    if standard is not None:
        return "choice", [(str(value), f"{value}: {meaning}") for value, meaning in standard_sets()[standard.kind].items()]
    base = _base(annotation)
    if typing.get_origin(base) is Literal:
        return "choice", [(str(v), str(v)) for v in typing.get_args(base)]
    if base is bool:
        return "yesno", []
    if base in (int, Decimal):
        return "number", []
    return ("textarea" if name in _PROSE else "text"), []


def _model(annotation: Any) -> type[BaseModel] | None:
    base = _base(annotation)
    return base if isinstance(base, type) and issubclass(base, BaseModel) else None


def _shorthand(model: type[BaseModel]) -> bool:
    """Whether the model may be written as a plain string (its text alone)."""
    return "text" in model.model_fields and hasattr(model, "_from_string")


# ---------------------------------------------------------------- data → controls


def controls(model: type[BaseModel], names: list[str], data: Mapping[str, Any], loc: Loc, name_loc: Loc | None = None) -> list[Control]:
    """The controls for fields `names` of `model`, holding the values in `data` (at `loc`): a
    valid value as the model reads it (a cost line written `Support Costs: 30800` shown as its
    label and amount), an invalid one as written, so that the officer sees what to fix.
    `name_loc` names the controls where it differs from `loc` (an entry of a mapping, by its place)."""
    values = data if isinstance(data, Mapping) else {}
    at = loc if name_loc is None else name_loc
    return [_control(model.model_fields[n], n, shown(model, n, values.get(n)), loc + (n,), at + (n,)) for n in names]


def shown(model: type[BaseModel], name: str, value: Any) -> Any:
    if value is None:
        return None
    try:
        return _plain(field_value(model, name, value))
    except ValidationError:
        return value


def means_the_same(model: type[BaseModel], name: str, a: Any, b: Any) -> bool:
    """Whether two values of field `name` say the same to grantdocs: both read as the same value,
    or (where either is invalid) the same text."""
    try:
        return bool(field_value(model, name, a) == field_value(model, name, b))
    except ValidationError:
        return same_data(a, b)


def _plain(value: Any) -> Any:
    """A validated value as text again, the shape the form holds."""
    if isinstance(value, BaseModel):
        return {name: _plain(v) for name in type(value).model_fields if (v := getattr(value, name)) is not None}
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, DueDate):  # a deadline to the month is written as its month
        return f"{value.last_day:%Y-%m}" if value.month_only else value.last_day.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return value if isinstance(value, str) else str(value)


def _control(info: FieldInfo, name: str, value: Any, loc: Loc, name_loc: Loc) -> Control:
    annotation, optional = _optional(info.annotation)
    required = info.is_required() and not optional
    return build(annotation, value, loc, label=label_of(name), hint=info.description, required=required, name=name, name_loc=name_loc)


def build(
    annotation: Any, value: Any, loc: Loc, *, label: str, hint: str | None, required: bool, name: str, name_loc: Loc | None = None
) -> Control:
    """The control for a value of `annotation` at `loc` in the input; named for `name_loc` where
    that differs (the controls of a mapping's entry are named by the entry's place, not its key)."""
    at = loc if name_loc is None else name_loc
    control = Control(name=html_name(at), loc=loc, label=label, hint=hint, kind="text", required=required)
    model = _model(annotation)
    origin = typing.get_origin(_base(annotation))
    if model is not None:
        data = {"text": value} if isinstance(value, str) and _shorthand(model) else value
        control.kind = "group"
        control.children = controls(model, list(model.model_fields), data if isinstance(data, Mapping) else {}, loc, at)
        return control
    if origin is list:
        (item,) = typing.get_args(_base(annotation))
        items = value if isinstance(value, list) else [value] if isinstance(value, str) else []
        control.kind = "list"
        for i, element in enumerate(items):
            child = build(
                item, element, loc + (i,), label=f"{_singular(label)} {i + 1}", hint=None, required=False, name=name, name_loc=at + (i,)
            )
            control.children.append(child)
        return control
    if origin is dict:
        _, item = typing.get_args(_base(annotation))
        rows = value if isinstance(value, Mapping) else {}
        control.kind = "mapping"
        for i, (k, v) in enumerate(rows.items()):
            if _model(item) is not None:  # a mapping of named entries (notes by id): each a group
                child = build(item, v, loc + (str(k),), label=str(k), hint=None, required=False, name=name, name_loc=at + (i,))
            else:
                child = Control(
                    name=html_name(at + (i,)),
                    loc=loc + (str(k),),
                    label=str(k),
                    hint=None,
                    kind="money",
                    value="" if v is None else str(v),
                )
            control.children.append(child)
        return control
    kind, choices = _kind(annotation, name)
    control.kind, control.choices = kind, choices
    control.value = _scalar(value, kind)
    return control


def _singular(label: str) -> str:
    return label[:-1] if label.endswith("s") and not label.endswith("ss") else label


def _scalar(value: Any, kind: Kind) -> Any:
    if value is None:
        return ("", "", "") if kind == "date" else ""
    if kind == "date":
        return _date_parts(str(value))
    if kind == "yesno":
        return {"yes": "yes", "true": "yes", "no": "no", "false": "no"}.get(str(value).strip().lower(), str(value))
    if isinstance(value, list | dict):
        return ""
    return str(value)


def _date_parts(text: str) -> tuple[str, str, str]:
    iso = re.match(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})\s*$", text)
    if iso:
        return (str(int(iso.group(3))), str(int(iso.group(2))), iso.group(1))
    uk = re.match(r"^\s*(\d{1,2})/(\d{1,2})/(\d{4})\s*$", text)
    if uk:
        return (str(int(uk.group(1))), str(int(uk.group(2))), uk.group(3))
    return ("", "", text)


# ---------------------------------------------------------------- posted form → data


def read_fields(model: type[BaseModel], names: list[str], form: Mapping[str, str], loc: Loc, *, keep_empty: bool = False) -> dict[str, Any]:
    """The values posted for fields `names` of `model`: text as typed, empty ones left out, except
    (with `keep_empty`, while items are being added or removed) the empty items of lists, which
    the officer is about to fill."""
    data: dict[str, Any] = {}
    for n in names:
        annotation, _ = _optional(model.model_fields[n].annotation)
        value = read(annotation, form, loc + (n,), name=n, keep_empty=keep_empty)
        if value is not None:
            data[n] = value
    return data


def read(annotation: Any, form: Mapping[str, str], loc: Loc, *, name: str, keep_empty: bool = False) -> Any:
    key = html_name(loc)
    model = _model(annotation)
    origin = typing.get_origin(_base(annotation))
    if model is not None:
        data = read_fields(model, list(model.model_fields), form, loc, keep_empty=keep_empty)
        if _shorthand(model) and list(data) == ["text"]:
            return data["text"]
        return data or ({} if keep_empty else None)
    if origin is list:
        (item,) = typing.get_args(_base(annotation))
        count = _count(form, key)
        items = [read(item, form, loc + (i,), name=name, keep_empty=keep_empty) for i in range(count)]
        if keep_empty:
            return items or None
        kept = [i for i in items if i not in (None, "", {}, [])]
        return kept or None
    if origin is dict:
        _, item = typing.get_args(_base(annotation))
        rows: dict[str, Any] = {}
        for i in range(_count(form, key)):
            name_of_row = form.get(f"{html_name(loc + (i,))}-key", "").strip()
            if _model(item) is not None:
                entry = read(item, form, loc + (i,), name=name, keep_empty=keep_empty)
            else:
                entry = form.get(html_name(loc + (i,)), "").strip() or None
            if name_of_row or entry is not None:
                rows[name_of_row] = entry
        return rows or None
    kind, _ = _kind(annotation, name)
    if kind == "date":
        day, month, year = (form.get(f"{key}-{part}", "").strip() for part in ("day", "month", "year"))
        if not (day or month or year):
            return None
        if day and month and year and year.isdigit() and len(year) == 4 and day.isdigit() and month.isdigit():
            return f"{year}-{int(month):02d}-{int(day):02d}"
        return f"{day}/{month}/{year}"
    text = form.get(key, "")
    text = text.replace("\r\n", "\n").strip()
    return text or None


def _count(form: Mapping[str, str], key: str) -> int:
    try:
        return max(0, min(int(form.get(f"{key}-count", "0")), 500))
    except ValueError:
        return 0


def with_item_added(data: dict[str, Any], relative: Loc) -> None:
    """Append an empty item to the list at `relative` in `data` (an 'add another' press)."""
    target: Any = data
    for part in relative[:-1]:
        if isinstance(part, str):
            if not isinstance(target.get(part), dict | list):
                target[part] = {}
            target = target[part]
        else:
            if target[part] is None or isinstance(target[part], str):
                target[part] = {} if target[part] is None else {"text": target[part]}
            target = target[part]
    last = relative[-1]
    items = target.get(last) if isinstance(target, dict) else None
    if isinstance(items, dict):  # a mapping (sums by year): a row with its key still to type
        items.setdefault("", None)
        return
    if not isinstance(items, list):
        items = []
        target[last] = items
    items.append(None)


def with_item_removed(data: dict[str, Any], relative: Loc) -> None:
    target: Any = data
    for part in relative[:-1]:
        target = target.get(part) if isinstance(part, str) else target[part]
        if target is None:
            return
    index = relative[-1]
    if isinstance(target, list) and isinstance(index, int) and 0 <= index < len(target):
        del target[index]
    elif isinstance(target, dict) and isinstance(index, int) and 0 <= index < len(target):
        del target[list(target)[index]]  # a mapping's row, by its place: its key may hold a '/' (2019/20)


def posted(controls: list[Control]) -> dict[str, str]:
    """What a browser sends for `controls` as they stand: the page's own values, posted back."""
    form: dict[str, str] = {}
    for control in controls:
        if control.kind == "group":
            form.update(posted(control.children))
        elif control.kind == "list":
            form[f"{control.name}-count"] = str(len(control.children))
            form.update(posted(control.children))
        elif control.kind == "mapping":
            form[f"{control.name}-count"] = str(len(control.children))
            for row in control.children:
                form[f"{row.name}-key"] = row.label
                if row.kind == "group":
                    form.update(posted(row.children))
                else:
                    form[row.name] = row.value
        elif control.kind == "date":
            form.update(zip((f"{control.name}-{p}" for p in ("day", "month", "year")), control.value, strict=True))
        else:
            form[control.name] = control.value
    return form


def same_data(a: Any, b: Any) -> bool:
    """Whether two values say the same to grantdocs: text compared as the reader trims it, a date
    however it is written, yes/no however spelt, nothing however written."""
    a, b = _normal(a), _normal(b)
    if isinstance(a, dict) or isinstance(b, dict):  # nothing is an empty mapping
        a, b = ({} if a is None else a), ({} if b is None else b)
    if isinstance(a, list) or isinstance(b, list):  # `money: barnet` is `money: [barnet]`
        a, b = ([a] if isinstance(a, str) else a), ([b] if isinstance(b, str) else b)
    if isinstance(a, dict) and isinstance(b, dict):
        keys = {k for k in (*a, *b) if a.get(k) is not None or b.get(k) is not None}
        return all(same_data(a.get(k), b.get(k)) for k in keys)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same_data(x, y) for x, y in zip(a, b, strict=True))
    return bool(a == b)


def _normal(value: Any) -> Any:
    if isinstance(value, str):
        text = value.strip()
        parts = _date_parts(text)
        if parts[0]:
            return f"{parts[2]}-{int(parts[1]):02d}-{int(parts[0]):02d}"
        return {"true": "yes", "false": "no"}.get(text.lower(), text) or None
    if value in ([], {}):
        return None
    return value


__all__ = ["Control", "build", "controls", "means_the_same", "posted", "read", "read_fields", "same_data"]
