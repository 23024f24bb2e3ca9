"""Turn pydantic's errors and broken rules into `file:line:col: field.path: message` problems."""

from __future__ import annotations

import types
import typing
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from generator.errors import InputError, Problem
from generator.models.findings import Finding, suggestion
from generator.source import Source, format_loc

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
        raise InputError([_problem(model, source, error) for error in exc.errors()]) from None


def raise_findings(source: Source, findings: list[Finding]) -> None:
    """Raise InputError for broken rules, each naming the other place it disagrees with."""
    if not findings:
        return
    problems = []
    for finding in findings:
        message = finding.message
        if finding.related is not None:
            line, _ = source.position(finding.related)
            message += f" (see {format_loc(finding.related)} at {source.path}:{line})"
        problems.append(source.problem(finding.loc, message))
    raise InputError(problems)


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
