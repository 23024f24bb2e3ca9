"""What a value in a template can be, for the template check: the types of the context's
fields followed through attributes, items, loops and filters (generator.checks.templates).

A value's possible types are a tuple of alternatives (a union), each a Python type or annotation
(list[Paragraph], str, DmpcBlock …) or one of the markers ANY, Loop and Method.
"""

from __future__ import annotations

import dataclasses
import inspect
import types
import typing
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from jinja2 import nodes
from pydantic import BaseModel


class AnyType:
    """Unknown: nothing further is checked (a set variable of a literal, a method's result …)."""

    def __repr__(self) -> str:
        return "Any"


ANY: Any = AnyType()
UNKNOWN = (ANY,)


@dataclass(frozen=True)
class Loop:
    """Jinja's `loop` inside a for loop over items of `item` types."""

    item: tuple[Any, ...]


@dataclass(frozen=True)
class Method:
    """A method of a value (`line.replace`), to be called."""

    owner: Any
    name: str


LOOP_FIELDS = {
    "index",
    "index0",
    "revindex",
    "revindex0",
    "first",
    "last",
    "length",
    "depth",
    "depth0",
    "cycle",
    "changed",
    "previtem",
    "nextitem",
}
STR_TO_STR = {
    "capitalize",
    "casefold",
    "center",
    "expandtabs",
    "format",
    "join",
    "ljust",
    "lower",
    "lstrip",
    "removeprefix",
    "removesuffix",
    "replace",
    "rjust",
    "rstrip",
    "strip",
    "swapcase",
    "title",
    "upper",
    "zfill",
}
STR_FILTERS = {
    "capitalize",
    "center",
    "e",
    "escape",
    "filesizeformat",
    "forceescape",
    "format",
    "indent",
    "join",
    "lower",
    "replace",
    "safe",
    "string",
    "striptags",
    "title",
    "trim",
    "truncate",
    "upper",
    "urlencode",
    "urlize",
    "wordwrap",
    "xmlattr",
    "pprint",
    "tojson",
}
SAME_LIST_FILTERS = {"list", "reject", "rejectattr", "reverse", "select", "selectattr", "sort", "unique"}
ITEM_FILTERS = {"first", "last", "random", "min", "max"}
# Filters whose `attribute=` (or first argument) names a field of the items.
ATTRIBUTE_FILTERS = {"map", "selectattr", "rejectattr", "sort", "groupby", "sum", "min", "max", "unique"}
POSITIONAL_ATTRIBUTE = {"selectattr", "rejectattr", "groupby"}


def alternatives(annotation: Any) -> tuple[Any, ...]:
    """An annotation as the types a value can have when it is shown: Annotated and None stripped."""
    if isinstance(annotation, tuple):
        return tuple(a for t in annotation for a in alternatives(t))
    origin = get_origin(annotation)
    if origin is Annotated:
        return alternatives(get_args(annotation)[0])
    if origin in (Union, types.UnionType):
        found = tuple(a for arg in get_args(annotation) if arg is not type(None) for a in alternatives(arg))
        return found or UNKNOWN
    if origin is Literal:
        return tuple(dict.fromkeys(type(v) for v in get_args(annotation)))
    if isinstance(annotation, typing.TypeVar) or annotation is Any or annotation is inspect.Parameter.empty:
        return UNKNOWN
    return (annotation,)


def is_model(tp: Any) -> bool:
    return inspect.isclass(tp) and (issubclass(tp, BaseModel) or dataclasses.is_dataclass(tp))


def type_name(tp: Any) -> str:
    return getattr(tp, "__name__", None) or repr(tp)


def describe(tp: Any) -> str:
    origin = get_origin(tp) or tp
    if inspect.isclass(origin) and issubclass(origin, (list, tuple, set, frozenset)):
        return "a list"
    if origin is str:
        return "text"
    return type_name(origin)


def declared_fields(cls: type) -> list[tuple[str, Any, str | None]]:
    """Each field a model or dataclass declares, in order: its name, its type, and its
    description (a model's Field(description=…), a dataclass field's metadata["description"])."""
    if issubclass(cls, BaseModel):
        return [(name, info.annotation, info.description) for name, info in cls.model_fields.items()]
    if dataclasses.is_dataclass(cls):
        hints = typing.get_type_hints(cls, include_extras=True)
        return [(f.name, hints.get(f.name, Any), f.metadata.get("description")) for f in dataclasses.fields(cls)]
    raise TypeError(f"{cls.__name__} is neither a pydantic model nor a dataclass")  # callers ask only of models (is_model)


@cache
def fields_of(cls: type) -> dict[str, Any]:
    """Fields and properties a template can show, by name, with their types."""
    members: dict[str, Any] = {name: annotation for name, annotation, _ in declared_fields(cls)}
    if issubclass(cls, BaseModel):
        members.update({name: info.return_type for name, info in cls.model_computed_fields.items()})
    for klass in own_classes(cls):
        for name, value in vars(klass).items():
            if isinstance(value, property) and not name.startswith("_") and name not in members:
                try:
                    members[name] = typing.get_type_hints(value.fget).get("return", Any)
                except Exception:
                    members[name] = Any
    return members


@cache
def methods_of(cls: type) -> frozenset[str]:
    """Public methods the model itself defines (not BaseModel's model_dump and the like)."""
    return frozenset(
        name
        for klass in own_classes(cls)
        for name, value in vars(klass).items()
        if not name.startswith("_") and (inspect.isfunction(value) or isinstance(value, (classmethod, staticmethod)))
    )


def own_classes(cls: type) -> list[type]:
    return [k for k in reversed(cls.__mro__) if k is not object and not k.__module__.startswith("pydantic")]


def unused_fields(roots: Iterable[Any], used: set[tuple[type, str]]) -> dict[str, tuple[str, ...]]:
    """For each context model, `Model.field` of every field or property (of it and the models in it) never shown.

    The models inside a field no template shows are not listed field by field: the field says it all.
    A model reached from several contexts is listed under the first.
    """
    seen: set[type] = set()
    result: dict[str, tuple[str, ...]] = {}
    for root in roots:
        unused: list[str] = []
        queue = [t for t in alternatives(root) if is_model(t)]
        while queue:
            cls = queue.pop(0)
            if cls in seen:
                continue
            seen.add(cls)
            for name, annotation in fields_of(cls).items():
                if (cls, name) not in used:
                    unused.append(f"{cls.__name__}.{name}")
                    continue
                queue.extend(t for t in contained(annotation) if is_model(t) and t not in seen)
        result[type_name(root)] = tuple(unused)
    return result


def contained(annotation: Any) -> Iterator[Any]:
    """Every type inside an annotation (list[Paragraph] → list, Paragraph)."""
    for alternative in alternatives(annotation):
        yield alternative
        for arg in get_args(alternative):
            if arg is not Ellipsis:
                yield from contained(arg)


@cache
def project_filters() -> frozenset[str]:
    from generator.domain.common.formatting import FILTERS

    return frozenset(FILTERS)


def indexed(value: tuple[Any, ...]) -> tuple[Any, ...]:
    """The types of `value[i]`: a list's items, a mapping's values."""
    found: list[Any] = []
    for alternative in value:
        origin = get_origin(alternative) or alternative
        if inspect.isclass(origin) and issubclass(origin, Mapping | dict):
            args = get_args(alternative)
            found.extend(alternatives(args[1]) if len(args) == 2 else UNKNOWN)
        else:
            found.extend(element_types(alternative) or UNKNOWN)
    return tuple(dict.fromkeys(found)) or UNKNOWN


def element_types(tp: Any) -> tuple[Any, ...] | None:
    """The item types of an iterable type; None when a value of this type cannot be looped over."""
    if tp is ANY or isinstance(tp, (Loop, Method)):
        return UNKNOWN
    origin = get_origin(tp) or tp
    if not inspect.isclass(origin):
        return UNKNOWN
    if issubclass(origin, str):
        return (str,)
    if is_model(origin) or not issubclass(origin, Iterable):
        return None
    args = get_args(tp)
    if not args:
        return UNKNOWN
    if issubclass(origin, tuple) and args[-1] is not Ellipsis:
        return tuple(dict.fromkeys(a for arg in args for a in alternatives(arg)))
    return alternatives(args[0])


def expression_text(node: nodes.Node) -> str:
    """A tag's expression as written, near enough: form.sections[0].heading, line.replace(…)."""
    if isinstance(node, nodes.Name):
        return node.name
    if isinstance(node, nodes.Getattr):
        return f"{expression_text(node.node)}.{node.attr}"
    if isinstance(node, nodes.Getitem):
        arg = node.arg
        if isinstance(arg, nodes.Const):
            return f"{expression_text(node.node)}[{arg.value!r}]"
        return f"{expression_text(node.node)}[…]"
    if isinstance(node, nodes.Call):
        return f"{expression_text(node.node)}(…)"
    if isinstance(node, nodes.Filter):
        base = expression_text(node.node) if node.node is not None else ""
        return f"{base}|{node.name}"
    if isinstance(node, nodes.Const):
        return repr(node.value)
    return "…"
