"""Turn pydantic's errors and broken rules into `file:line:col: field.path: message` problems."""

from __future__ import annotations

import types
import typing
from dataclasses import dataclass, replace
from functools import cache
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, PydanticUserError, TypeAdapter, ValidationError
from pydantic_core import ErrorDetails

from generator.domain.common.findings import Finding, Loc, closest, suggestion
from generator.errors import InputError, Problem
from generator.inputs.slips import PASTED_SPACE, Slip, looks_like_text, missing_space, pasted_space, squeezed_key
from generator.inputs.source import Source, format_loc
from generator.inputs.syntax_hints import key_in_text

M = TypeVar("M", bound=BaseModel)

_MESSAGES = {
    "missing": "required field is missing",
    "too_short": "must not be empty: give at least one",
    "bool_parsing": "must be yes or no",
    "bool_type": "must be yes or no",
    "model_type": "must be a mapping of keys to values",
    "model_attributes_type": "must be a mapping of keys to values",
    "dict_type": "must be a mapping of keys to values",
    "list_type": "must be a list (lines starting with '- ')",
    "string_type": "must be text",
}


def validate(model: type[M], source: Source) -> M:
    """Validate `source.data` as `model`, reporting every error with its place in the file."""
    try:
        return model.model_validate(source.data)
    except ValidationError as exc:
        raise InputError(located(model, source, errors=exc.errors())) from None


@dataclass(frozen=True)
class Validated(Generic[M]):
    """An input validated with its problems: `model` holds the top-level fields that are free of
    problems (None if there are none to hold: the file is not a mapping), `invalid` names the
    fields left out for having problems, so that nothing is concluded from their absence."""

    model: M | None
    problems: list[Problem]
    invalid: frozenset[str]


def validate_sections(model: type[M], source: Source) -> Validated[M]:
    """Validate `source.data` as `model`, with the problems the reader left in the source. When
    any part has a problem, the model is made of the top-level fields that validate on their own
    and have none, the others left at their defaults (required ones unset): rules can still run
    on the valid sections, while the problems of the others are reported."""
    try:
        whole = model.model_validate(source.data)
    except ValidationError as exc:
        errors = exc.errors()
    else:
        if not source.problems:
            return Validated(whole, [], frozenset())
        errors = []
    problems = [*source.problems, *(p for p in located(model, source, errors=errors) if not _misread(p.field, source.misread))]
    fields = model.model_fields
    if not isinstance(source.data, dict) or any(not error["loc"] for error in errors):
        return Validated(None, problems, frozenset(fields))
    invalid = set(source.flawed)
    for error in errors:
        name = str(error["loc"][0])
        if name in fields:
            invalid.add(name)
        elif error["type"] == "extra_forbidden":  # a misspelt section: not absent, only unreadable
            match = closest(name, fields)
            if match is not None and match not in source.data:
                invalid.add(match)
    values = {}
    for name in fields:
        if name in source.data and name not in invalid:
            try:
                values[name] = _field_adapter(model, name).validate_python(source.data[name])
            except ValidationError:  # valid only beside other fields: left out with them
                invalid.add(name)
    return Validated(model.model_construct(**values), problems, frozenset(invalid))


def _misread(field: str, misread: set[str]) -> bool:
    """Whether `field` is, or is inside, a value the reader already refused: its problem is enough."""
    return any(field == f or field.startswith((f + ".", f + "[")) for f in misread) if misread else False


def field_value(model: type[BaseModel], name: str, data: Any) -> Any:
    """`data` validated as field `name` of `model`, as the model validates it; ValidationError if not."""
    return _field_adapter(model, name).validate_python(data)


@cache
def _field_adapter(model: type[BaseModel], name: str) -> TypeAdapter[Any]:
    """Validation of one field of `model` as the model validates it (a model keeps its own config)."""
    field = model.model_fields[name]
    annotated: Any = typing.Annotated[field.annotation, field]
    try:
        return TypeAdapter(annotated, config=model.model_config)
    except PydanticUserError:  # a model (or a model or None) keeps its own config
        return TypeAdapter(annotated)


def finding_problems(source: Source, findings: list[Finding]) -> list[Problem]:
    """Broken rules located, each naming the other place it disagrees with."""
    problems = []
    for finding in findings:
        problem = replace(source.problem(finding.loc, finding.message), warning=finding.warning)
        if finding.related is not None:
            line, _ = source.position(finding.related)
            problem = replace(problem, related=format_loc(finding.related), related_line=line)
        problems.append(problem)
    return problems


def raise_findings(source: Source, findings: list[Finding]) -> None:
    """Raise InputError for broken rules, each naming the other place it disagrees with."""
    if findings:
        raise InputError(finding_problems(source, findings))


def located(model: type[BaseModel], source: Source, *, errors: list[ErrorDetails]) -> list[Problem]:
    """Every error with its place in the file, and a hint where an everyday slip explains it; a
    field missing beside a key that reads as text is left out (the hint says why it is missing)."""
    slips = _keys_in_text(source, errors)
    problems = [
        _problem(model, source, error) for error in errors if not (error["type"] == "missing" and tuple(error["loc"])[:-1] in slips)
    ]
    slips.update(_squeezed(source, errors))
    return problems + [Problem(source.path, slip.line, slip.column, format_loc(loc), slip.message) for loc, slip in slips.items()]


def _keys_in_text(source: Source, errors: list[ErrorDetails]) -> dict[Loc, Slip]:
    """Mappings refused where text was meant: one key that reads as text, and text as its value."""
    slips: dict[Loc, Slip] = {}
    for error in errors:
        loc = tuple(error["loc"])
        if error["type"] == "extra_forbidden":
            loc = loc[:-1]
        elif not (error["type"].endswith("_type") and isinstance(error["input"], dict)):
            continue
        mapping = value_at(source.data, loc)
        if loc in slips or not isinstance(mapping, dict) or len(mapping) != 1:
            continue
        ((key, value),) = mapping.items()
        position = source.keys.get(loc + (key,))
        if not looks_like_text(key) or not isinstance(value, str | None) or position is None:
            continue
        slip = key_in_text(source.text, key, at=position, what="paragraph" if loc and isinstance(loc[-1], int) else "text")
        if slip is not None:
            slips[loc] = slip
    return slips


def _squeezed(source: Source, errors: list[ErrorDetails]) -> dict[Loc, Slip]:
    """Text refused where a mapping or list was meant, because a space YAML needed is missing
    (`date:2022-11-03`) or is a non-breaking one pasted from Word."""
    slips: dict[Loc, Slip] = {}
    for error in errors:
        loc, value = tuple(error["loc"]), error["input"]
        if not (error["type"].endswith("_type") and isinstance(value, str) and loc in source.values):
            continue
        line, column = source.values[loc]
        if (key := squeezed_key(value)) is not None:
            slips[loc] = Slip(line, column + value.index(":"), missing_space(key))
        elif (at := pasted_space(value)) is not None:
            slips[loc] = Slip(line, column + at, PASTED_SPACE)
    return slips


def value_at(data: Any, loc: Loc) -> Any:
    """The value at `loc` in the data read, or None where the path leads nowhere."""
    for part in loc:
        if isinstance(data, dict) and isinstance(part, str):
            data = data.get(part)
        elif isinstance(data, list) and isinstance(part, int) and 0 <= part < len(data):
            data = data[part]
        else:
            return None
    return data


def _problem(model: type[BaseModel], source: Source, error: ErrorDetails) -> Problem:
    loc = tuple(error["loc"])
    kind = error["type"]
    if kind == "extra_forbidden":
        name = str(loc[-1])
        known = sorted(_fields_at(model, loc[:-1]))
        return source.problem(loc, f"unknown key {name!r}{suggestion(name, known)}", key=True)
    message = _MESSAGES.get(kind) or error["msg"].removeprefix("Value error, ")
    if kind in {"string_type", "list_type", "model_type", "dict_type", "model_attributes_type"}:
        message += f" (got {_describe(error['input'])})"
    return source.problem(loc, message, key=kind == "missing")


def _describe(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return repr(value)


def _fields_at(model: type[BaseModel], loc: tuple[Any, ...]) -> set[str]:
    """Names of the fields a mapping at `loc` may hold, following the model's annotations."""
    candidates: list[Any] = [model]
    for part in loc:
        nxt: list[Any] = []
        for tp in candidates:
            for inner in _unwrap(tp):
                if isinstance(part, int):
                    if typing.get_origin(inner) in (list, tuple):
                        nxt.extend(typing.get_args(inner)[:1])
                elif isinstance(inner, type) and issubclass(inner, BaseModel) and part in inner.model_fields:
                    nxt.append(inner.model_fields[part].annotation)
                elif typing.get_origin(inner) is dict:
                    nxt.append(typing.get_args(inner)[1])
        candidates = nxt
    names: set[str] = set()
    for tp in candidates:
        for inner in _unwrap(tp):
            if isinstance(inner, type) and issubclass(inner, BaseModel):
                names.update(inner.model_fields)
    return names


def _unwrap(tp: Any) -> list[Any]:
    """Strip Optional/Union/Annotated down to the concrete types they allow."""
    origin = typing.get_origin(tp)
    if origin is typing.Annotated:
        return _unwrap(typing.get_args(tp)[0])
    if origin in (typing.Union, types.UnionType):
        return [t for arg in typing.get_args(tp) for t in _unwrap(arg)]
    return [tp]
