"""The template check's expressions: what each Jinja expression in a part can be (names,
fields, items, calls, filters, tests), followed through the context's types, with a problem
for each one that cannot be (generator.checks.template_walk walks the statements around them).
"""

from __future__ import annotations

import inspect
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import GenericAlias
from typing import Any, get_args, get_origin

import jinja2
from jinja2 import nodes

from generator.checks.template_types import (
    ANY,
    ATTRIBUTE_FILTERS,
    ITEM_FILTERS,
    LOOP_FIELDS,
    POSITIONAL_ATTRIBUTE,
    SAME_LIST_FILTERS,
    STR_FILTERS,
    STR_TO_STR,
    UNKNOWN,
    Loop,
    Method,
    alternatives,
    describe,
    element_types,
    expression_text,
    fields_of,
    indexed,
    is_model,
    methods_of,
    project_filters,
)
from generator.docx.template_source import near
from generator.domain.common.findings import closest


@dataclass(frozen=True, order=True)
class TemplateProblem:
    """One fault in a template: where (file, part) and the document text around it."""

    template: str
    part: str
    message: str
    near: str | None = None

    def __str__(self) -> str:
        text = f"{self.template}: {self.part} : {self.message}"
        return f"{text}\n  near: {self.near}" if self.near else text


@dataclass(frozen=True)
class PartSource:
    """Jinja source of one rendered XML part of a template, one tag a line."""

    part: str
    text: str

    def near(self, lineno: int | None) -> str | None:
        return near(self.text, lineno)


@dataclass
class ExpressionWalk:
    """The types in scope while one part's Jinja syntax tree is walked, and what each expression
    in it can be: an unknown name, field, filter or test, or a loop over what is not a list, is a
    problem. generator.checks.template_walk walks the statements around the expressions."""

    template: str
    source: PartSource
    context: Mapping[str, Any]
    env: jinja2.Environment
    used: set[tuple[type, str]]
    problems: list[TemplateProblem] = field(default_factory=list)
    frames: list[dict[str, tuple[Any, ...]]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.frames = [{key: alternatives(value) for key, value in self.context.items()}]

    # -- reporting

    def problem(self, node: nodes.Node, message: str) -> None:
        found = TemplateProblem(self.template, self.source.part, message, self.source.near(node.lineno))
        if found not in self.problems:
            self.problems.append(found)

    # -- expressions

    def expression(self, node: nodes.Node | None) -> tuple[Any, ...]:
        if node is None:
            return UNKNOWN
        if isinstance(node, nodes.Name):
            return self.name(node)
        if isinstance(node, nodes.Getattr):
            return self.attribute(self.expression(node.node), node.attr, node)
        if isinstance(node, nodes.Getitem):
            return self.item(node)
        if isinstance(node, nodes.Call):
            return self.call(node)
        if isinstance(node, nodes.Filter):
            return self.filter(node)
        if isinstance(node, nodes.Test):
            self.expression(node.node)
            self.arguments(node)
            if node.name not in self.env.tests:
                self.problem(node, f"unknown test `{node.name}`{suggest(node.name, self.env.tests)}")
            return (bool,)
        if isinstance(node, nodes.CondExpr):
            self.expression(node.test)
            return tuple(dict.fromkeys(self.expression(node.expr1) + self.expression(node.expr2)))
        if isinstance(node, nodes.TemplateData):
            return (str,)
        if isinstance(node, nodes.Const):
            return (type(node.value),) if node.value is not None else UNKNOWN
        for child in node.iter_child_nodes():
            self.expression(child)
        return UNKNOWN

    def name(self, node: nodes.Name) -> tuple[Any, ...]:
        frame: dict[str, tuple[Any, ...]]  # mypy makes reversed() of a list of Any-holding dicts Any
        for frame in reversed(self.frames):
            if node.name in frame:
                return frame[node.name]
        if node.name in self.env.globals:
            return UNKNOWN
        known = [n for frame in self.frames for n in frame]
        hint = suggest(node.name, known) or f" (the template is given: {', '.join(f'`{k}`' for k in self.context)})"
        self.problem(node, f"unknown name `{node.name}`{hint}")
        return UNKNOWN

    def attribute(self, base: tuple[Any, ...], name: str, node: nodes.Node, path: str | None = None) -> tuple[Any, ...]:
        found: list[Any] = []
        failures: list[tuple[Any, list[str]]] = []
        for alternative in base:
            resolved = self.member(alternative, name)
            if isinstance(resolved, list):
                failures.append((alternative, resolved))
            else:
                found.extend(resolved)
        if found or not failures:
            return tuple(dict.fromkeys(found)) or UNKNOWN
        owner, candidates = failures[0]
        path = path or expression_text(node)
        hint = suggest(name, candidates)
        if not hint:
            what = "field " if is_model(owner) else ""
            hint = f" ({describe(owner)} has no {what}`{name}`)"
        self.problem(node, f"unknown field `{path}`{hint}")
        return UNKNOWN

    def member(self, owner: Any, name: str) -> tuple[Any, ...] | list[str]:
        """The types of `owner.name`, or the names `owner` does have when it has no `name`."""
        if owner is ANY:
            return UNKNOWN
        if isinstance(owner, Loop):
            if name in ("previtem", "nextitem"):
                return owner.item
            return UNKNOWN if name in LOOP_FIELDS else sorted(LOOP_FIELDS)
        if name.startswith("_"):  # the sandbox refuses these anyway
            return sorted(fields_of(owner)) if is_model(owner) else []
        if is_model(owner):
            members = fields_of(owner)
            if name in members:
                self.used.add((owner, name))
                return alternatives(members[name])
            if name in methods_of(owner):
                return (Method(owner, name),)
            return sorted({*members, *methods_of(owner)})
        origin = get_origin(owner) or owner
        if not inspect.isclass(origin):
            return UNKNOWN
        if hasattr(origin, name):
            return (Method(owner, name),)
        if issubclass(origin, Mapping | dict):  # Jinja falls back to the item: d.key is d["key"]
            args = get_args(owner)
            return alternatives(args[1]) if len(args) == 2 else UNKNOWN
        return []  # no suggestions from str or list methods: they are not what a misspelt field meant

    def item(self, node: nodes.Getitem) -> tuple[Any, ...]:
        base = self.expression(node.node)
        arg = node.arg
        if isinstance(arg, nodes.Const) and isinstance(arg.value, str):
            return self.attribute(base, arg.value, node)  # Jinja: x["a"] falls back to x.a
        self.expression(arg)
        if isinstance(arg, nodes.Slice):
            return base
        return indexed(base)

    def call(self, node: nodes.Call) -> tuple[Any, ...]:
        callee = self.expression(node.node)
        self.arguments(node)
        found: list[Any] = []
        for alternative in callee:
            if not isinstance(alternative, Method):
                return UNKNOWN
            owner = get_origin(alternative.owner) or alternative.owner
            if owner is str and alternative.name in STR_TO_STR:
                found.append(str)
            elif owner is str and alternative.name in ("split", "splitlines", "rsplit"):
                found.append(list[str])
            elif inspect.isclass(owner) and issubclass(owner, Mapping | dict) and len(get_args(alternative.owner)) == 2:
                key, value = get_args(alternative.owner)
                result = {"items": _list_of(_tuple_of(key, value)), "keys": _list_of(key), "values": _list_of(value)}
                found.append(result.get(alternative.name, ANY))
            else:
                return UNKNOWN
        return tuple(dict.fromkeys(found)) or UNKNOWN

    def arguments(self, node: nodes.Call | nodes.Filter | nodes.Test) -> None:
        for arg in node.args:
            self.expression(arg)
        for keyword in node.kwargs:
            self.expression(keyword.value)
        self.expression(node.dyn_args)
        self.expression(node.dyn_kwargs)

    def filter(self, node: nodes.Filter) -> tuple[Any, ...]:
        base = self.expression(node.node) if node.node is not None else UNKNOWN
        self.arguments(node)
        name = node.name
        if name not in self.env.filters:
            self.problem(node, f"unknown filter `{name}`{suggest(name, self.env.filters)}")
            return UNKNOWN
        if name in ATTRIBUTE_FILTERS:
            attribute = next((k.value for k in node.kwargs if k.key == "attribute"), None)
            written = "attribute={!r}"
            if attribute is None and name in POSITIONAL_ATTRIBUTE and node.args:
                attribute, written = node.args[0], "{!r}"
            if isinstance(attribute, nodes.Const) and isinstance(attribute.value, str):
                path = f"{expression_text(node.node) if node.node else ''}|{name}({written.format(attribute.value)})"
                items = self.elements(base, node, report=False)
                for part in attribute.value.split("."):  # as Jinja's attribute paths: "cells.0" is cells[0]
                    items = indexed(items) if part.isdigit() else self.attribute(items, part, node, path)
                if name == "map":
                    return tuple(_list_of(item) if item is not ANY else list for item in items)
        if name in ("length", "count", "wordcount"):
            return (int,)
        if name in STR_FILTERS or name in project_filters():
            return (str,)
        if name in ("default", "d"):
            return base
        if name in ITEM_FILTERS:
            return self.elements(base, node, report=False)
        if name in SAME_LIST_FILTERS:
            return tuple(_list_of(item) if item is not ANY else list for item in self.elements(base, node, report=False))
        return UNKNOWN

    def elements(self, value: tuple[Any, ...], node: nodes.Node, *, report: bool = True) -> tuple[Any, ...]:
        """The types of the items of `value`, as a for loop sees them."""
        found: list[Any] = []
        for alternative in value:
            items = element_types(alternative)
            if items is None:
                if report:
                    what = f"`{expression_text(node)}` is not a list ({describe(alternative)})"
                    self.problem(node, f"{what}: a loop cannot go through it")
                return UNKNOWN
            found.extend(items)
        return tuple(dict.fromkeys(found)) or UNKNOWN


# The types a template's values have are known only at run time: list[item] built from a variable,
# which mypy would read as an annotation naming a type called `item`. GenericAlias(list, item) is
# what list[item] evaluates to.
def suggest(name: str, candidates: Iterable[str]) -> str:
    """' (did you mean `x`?)' for the closest name, written as template code; else nothing."""
    match = closest(name, candidates)
    return f" (did you mean `{match}`?)" if match else ""


def _list_of(item: Any) -> GenericAlias:
    return GenericAlias(list, item)


def _tuple_of(*items: Any) -> GenericAlias:
    return GenericAlias(tuple, items)
