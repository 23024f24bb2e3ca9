"""Static check of the Word templates against the models that fill them (`grantdocs templates check`).

Each template is read the way generator.render renders it: the document, headers, footers and
footnotes patched by docxtpl's own `patch_xml` (so `{%p`, `{%tr`, `{%tc`, `{{r` and tags split
across runs become plain Jinja). Core properties are not checked: grantdocs writes them itself
(generator.package), so a tag there is never rendered. Each part is parsed by the real
rendering environment, then every tag is followed through the Jinja syntax tree against the
context's types: names, fields (inside loops and conditions too), loop variables, filters and
tests. A misspelt field is found here, with the text around it, instead of as a bare
`UndefinedError` while rendering someone's decision.

Pure functions: the result is a `TemplateReport`; printing is the command line's business.
"""

from __future__ import annotations

import dataclasses
import difflib
import importlib
import importlib.util
import inspect
import types
import typing
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Annotated, Any, Literal, Union, get_args, get_origin

import jinja2
from jinja2 import nodes
from pydantic import BaseModel

from generator.errors import TemplateError
from generator.render import make_environment, patched_sources, template_members
from generator.template_source import near, one_tag_a_line, unclosed_block_line



# ---------------------------------------------------------------------------------------- results


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
class TemplateSpec:
    """A template file and the context it is rendered with: key → model type."""

    name: str
    context: Mapping[str, Any]


@dataclass(frozen=True)
class TemplateReport:
    """What `check_templates` found; `unused` maps each context model to its fields no template shows."""

    checked: tuple[str, ...]
    problems: tuple[TemplateProblem, ...]
    unused: dict[str, tuple[str, ...]]
    unchecked: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.problems


# ---------------------------------------------------------------------------------------- entry points


def template_specs(templates: Path | None = None) -> list[TemplateSpec]:
    """Every template the generator renders, with its context (as generator.documents builds it)."""
    from generator import documents
    from generator.inputs import load_forms
    from generator.models.decision_form_document import DecisionFormDocument
    from generator.models.report_document import ReportDocument

    specs: dict[str, Mapping[str, Any]] = {}
    for form in load_forms().values():
        specs.setdefault(form.template, {"form": DecisionFormDocument})
    specs[documents.REPORT_TEMPLATE] = {"report": ReportDocument}
    # The grant agreement: checked once its model exists and its template is either there or
    # named by generator.documents (until then nothing renders it, so its absence is no fault).
    if importlib.util.find_spec("generator.models.agreement_document") is not None:
        name = getattr(documents, "AGREEMENT_TEMPLATE", None)
        if name is None and templates is not None and (templates / "grant-agreement.docx").is_file():
            name = "grant-agreement.docx"
        if name is not None:
            module = importlib.import_module("generator.models.agreement_document")
            specs[name] = {"agreement": module.AgreementDocument}
    from generator.models.part_2_document import Part2Document

    specs[documents.PART_2_TEMPLATE] = {"part2": Part2Document}
    # Every document's headers and footers print its protective marking, a top-level key.
    return [TemplateSpec(name, {**context, "marking": str}) for name, context in specs.items()]


def check_templates(
    templates: Path, specs: Iterable[TemplateSpec] | None = None, *, env: jinja2.Environment | None = None
) -> TemplateReport:
    """Check every template in `specs` (default: all the generator renders) found in `templates`."""
    specs = list(template_specs(templates) if specs is None else specs)
    env = env or make_environment()
    used: set[tuple[type, str]] = set()
    problems: list[TemplateProblem] = []
    checked: list[str] = []
    roots: dict[str, Any] = {}
    for spec in specs:
        path = templates / spec.name
        if not path.is_file():
            problems.append(TemplateProblem(spec.name, "(file)", f"template not found in {templates}"))
            continue
        checked.append(spec.name)
        problems.extend(check_template(path, spec.context, env=env, used=used))
        for model in spec.context.values():
            roots.setdefault(_type_name(model), model)
    known = {spec.name for spec in specs}
    unchecked = tuple(
        sorted(p.name for p in templates.glob("*.docx") if p.name not in known and not p.name.startswith("~$"))
    ) if templates.is_dir() else ()
    return TemplateReport(
        checked=tuple(checked),
        problems=tuple(dict.fromkeys(problems)),
        unused=unused_fields(roots.values(), used),
        unchecked=unchecked,
    )


def check_template(
    path: Path, context: Mapping[str, Any], *, env: jinja2.Environment | None = None,
    used: set[tuple[type, str]] | None = None,
) -> list[TemplateProblem]:
    """Problems in one template rendered with a context of these types; adds the fields it shows to `used`."""
    env = env or make_environment()
    used = set() if used is None else used
    try:
        sources = list(template_sources(path))
    except TemplateError as exc:  # not a package: the renderer's own verdict, without the path again
        return [TemplateProblem(path.name, "(file)", str(exc).removeprefix(f"{path}: "))]
    except UnicodeDecodeError as exc:
        return [TemplateProblem(path.name, "(file)", f"not a readable .docx: {exc}")]
    problems: list[TemplateProblem] = []
    for source in sources:
        problems.extend(_check_source(path.name, source, context, env, used))
    return problems


# ---------------------------------------------------------------------------------------- sources


@dataclass(frozen=True)
class Source:
    """Jinja source of one rendered XML part of a template, one tag a line."""

    part: str
    text: str

    def near(self, lineno: int | None) -> str | None:
        return near(self.text, lineno)


def template_sources(path: Path) -> Iterator[Source]:
    """The Jinja source of every rendered part, exactly as generator.render patches it."""
    members = template_members(str(path), path.read_bytes())
    for name, xml in sorted(patched_sources(members), key=lambda part: _part_order(part[0])):
        # Each tag starts a line, as generator.render compiles it, so a line number is a tag.
        yield Source(name, one_tag_a_line(xml))


def _part_order(name: str) -> tuple[int, str]:
    for rank, prefix in enumerate(("word/document", "word/header", "word/footer", "word/footnotes")):
        if name.startswith(prefix):
            return rank, name
    return 9, name


# ---------------------------------------------------------------------------------------- parsing


def _check_source(
    template: str, source: Source, context: Mapping[str, Any], env: jinja2.Environment, used: set[tuple[type, str]]
) -> list[TemplateProblem]:
    try:
        tree = env.parse(source.text)
    except jinja2.TemplateSyntaxError as exc:
        lineno = exc.lineno
        if exc.message and exc.message.startswith("Unexpected end of template"):
            lineno = unclosed_block_line(source.text) or lineno
        return [TemplateProblem(template, source.part, f"syntax error: {exc.message}", source.near(lineno))]
    checker = _Checker(template, source, context, env, used)
    checker.statements(tree.body)
    if not checker.problems:
        try:  # what parsing alone lets through but compiling refuses
            env.compile(tree)
        except jinja2.TemplateSyntaxError as exc:
            return [TemplateProblem(template, source.part, f"syntax error: {exc.message}", source.near(exc.lineno))]
    return checker.problems


# ---------------------------------------------------------------------------------------- types

# A value's possible types while walking a template: a tuple of alternatives (a union), each
# a Python type or annotation (list[Paragraph], str, DmpcBlock …) or one of the markers below.


class _AnyType:
    """Unknown: nothing further is checked (a set variable of a literal, a method's result …)."""

    def __repr__(self) -> str:
        return "Any"


_ANY: Any = _AnyType()
_UNKNOWN = (_ANY,)


@dataclass(frozen=True)
class _Loop:
    """Jinja's `loop` inside a for loop over items of `item` types."""

    item: tuple[Any, ...]


@dataclass(frozen=True)
class _Method:
    """A method of a value (`line.replace`), to be called."""

    owner: Any
    name: str


_LOOP_FIELDS = {
    "index", "index0", "revindex", "revindex0", "first", "last", "length", "depth", "depth0", "cycle", "changed",
    "previtem", "nextitem",
}
_STR_TO_STR = {
    "capitalize", "casefold", "center", "expandtabs", "format", "join", "ljust", "lower", "lstrip", "removeprefix",
    "removesuffix", "replace", "rjust", "rstrip", "strip", "swapcase", "title", "upper", "zfill",
}
_STR_FILTERS = {
    "capitalize", "center", "e", "escape", "filesizeformat", "forceescape", "format", "indent", "join", "lower",
    "replace", "safe", "string", "striptags", "title", "trim", "truncate", "upper", "urlencode", "urlize",
    "wordwrap", "xmlattr", "pprint", "tojson",
}
_SAME_LIST_FILTERS = {"list", "reject", "rejectattr", "reverse", "select", "selectattr", "sort", "unique"}
_ITEM_FILTERS = {"first", "last", "random", "min", "max"}
# Filters whose `attribute=` (or first argument) names a field of the items.
_ATTRIBUTE_FILTERS = {"map", "selectattr", "rejectattr", "sort", "groupby", "sum", "min", "max", "unique"}
_POSITIONAL_ATTRIBUTE = {"selectattr", "rejectattr", "groupby"}


def _alternatives(annotation: Any) -> tuple[Any, ...]:
    """An annotation as the types a value can have when it is shown: Annotated and None stripped."""
    if isinstance(annotation, tuple):
        return tuple(a for t in annotation for a in _alternatives(t))
    origin = get_origin(annotation)
    if origin is Annotated:
        return _alternatives(get_args(annotation)[0])
    if origin in (Union, types.UnionType):
        found = tuple(a for arg in get_args(annotation) if arg is not type(None) for a in _alternatives(arg))
        return found or _UNKNOWN
    if origin is Literal:
        return tuple(dict.fromkeys(type(v) for v in get_args(annotation)))
    if isinstance(annotation, typing.TypeVar) or annotation is Any or annotation is inspect.Parameter.empty:
        return _UNKNOWN
    return (annotation,)


def _is_model(tp: Any) -> bool:
    return inspect.isclass(tp) and (issubclass(tp, BaseModel) or dataclasses.is_dataclass(tp))


def _type_name(tp: Any) -> str:
    return getattr(tp, "__name__", None) or repr(tp)


def _describe(tp: Any) -> str:
    origin = get_origin(tp) or tp
    if inspect.isclass(origin) and issubclass(origin, (list, tuple, set, frozenset)):
        return "a list"
    if origin is str:
        return "text"
    return _type_name(origin)


@cache
def _members(cls: type) -> dict[str, Any]:
    """Fields and properties a template can show, by name, with their types."""
    members: dict[str, Any] = {}
    if issubclass(cls, BaseModel):
        members.update({name: info.annotation for name, info in cls.model_fields.items()})
        members.update({name: info.return_type for name, info in cls.model_computed_fields.items()})
    else:
        hints = typing.get_type_hints(cls, include_extras=True)
        members.update({f.name: hints.get(f.name, Any) for f in dataclasses.fields(cls)})
    for klass in _own_classes(cls):
        for name, value in vars(klass).items():
            if isinstance(value, property) and not name.startswith("_") and name not in members:
                try:
                    members[name] = typing.get_type_hints(value.fget).get("return", Any)
                except Exception:  # noqa: BLE001 (an unresolvable hint only loses precision)
                    members[name] = Any
    return members


@cache
def _methods(cls: type) -> frozenset[str]:
    """Public methods the model itself defines (not BaseModel's model_dump and the like)."""
    return frozenset(
        name
        for klass in _own_classes(cls)
        for name, value in vars(klass).items()
        if not name.startswith("_") and (inspect.isfunction(value) or isinstance(value, (classmethod, staticmethod)))
    )


def _own_classes(cls: type) -> list[type]:
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
        queue = [t for t in _alternatives(root) if _is_model(t)]
        while queue:
            cls = queue.pop(0)
            if cls in seen:
                continue
            seen.add(cls)
            for name, annotation in _members(cls).items():
                if (cls, name) not in used:
                    unused.append(f"{cls.__name__}.{name}")
                    continue
                queue.extend(t for t in _contained(annotation) if _is_model(t) and t not in seen)
        result[_type_name(root)] = tuple(unused)
    return result


def _contained(annotation: Any) -> Iterator[Any]:
    """Every type inside an annotation (list[Paragraph] → list, Paragraph)."""
    for alternative in _alternatives(annotation):
        yield alternative
        for arg in get_args(alternative):
            if arg is not Ellipsis:
                yield from _contained(arg)


# ---------------------------------------------------------------------------------------- the walk


@dataclass
class _Checker:
    """Walks one part's Jinja syntax tree with the types in scope, collecting problems."""

    template: str
    source: Source
    context: Mapping[str, Any]
    env: jinja2.Environment
    used: set[tuple[type, str]]
    problems: list[TemplateProblem] = field(default_factory=list)
    frames: list[dict[str, tuple[Any, ...]]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.frames = [{key: _alternatives(value) for key, value in self.context.items()}]

    # -- reporting

    def problem(self, node: nodes.Node, message: str) -> None:
        found = TemplateProblem(self.template, self.source.part, message, self.source.near(node.lineno))
        if found not in self.problems:
            self.problems.append(found)

    # -- statements

    def statements(self, body: Iterable[nodes.Node]) -> None:
        for node in body:
            self.statement(node)

    def statement(self, node: nodes.Node) -> None:
        if isinstance(node, nodes.For):
            self.for_loop(node)
        elif isinstance(node, nodes.If):
            self.expression(node.test)
            self.statements(node.body)
            self.statements(node.elif_)
            self.statements(node.else_)
        elif isinstance(node, nodes.Output):
            for child in node.nodes:
                self.expression(child)
        elif isinstance(node, nodes.Assign):
            self.bind(node.target, self.expression(node.node))
        elif isinstance(node, nodes.AssignBlock):
            self.statements(node.body)
            if node.filter is not None:
                self.expression(node.filter)
            self.bind(node.target, (str,))
        elif isinstance(node, nodes.With):
            values = [self.expression(value) for value in node.values]
            self.frames.append({})
            for target, value in zip(node.targets, values):
                self.bind(target, value)
            self.statements(node.body)
            self.frames.pop()
        elif isinstance(node, (nodes.Macro, nodes.CallBlock)):
            if isinstance(node, nodes.Macro):
                self.frames[-1][node.name] = _UNKNOWN
            else:
                self.expression(node.call)
            for default in node.defaults:
                self.expression(default)
            self.frames.append({"caller": _UNKNOWN, "varargs": _UNKNOWN, "kwargs": _UNKNOWN})
            for arg in node.args:
                self.bind(arg, _UNKNOWN)
            self.statements(node.body)
            self.frames.pop()
        elif isinstance(node, nodes.FilterBlock):
            self.expression(node.filter)
            self.statements(node.body)
        elif isinstance(node, (nodes.Extends, nodes.Include, nodes.Import, nodes.FromImport)):
            self.problem(node, "extends, include and import need other template files: Word templates cannot use them")
        elif isinstance(node, nodes.Expr):
            self.expression(node)
        else:  # ExprStmt, Scope, Block, ScopedEvalContextModifier …
            for child in node.iter_child_nodes():
                self.statement(child)

    def for_loop(self, node: nodes.For) -> None:
        items = self.elements(self.expression(node.iter), node.iter)
        self.frames.append({})
        self.bind(node.target, items)
        self.frames[-1]["loop"] = (_Loop(items),)
        if node.test is not None:
            self.expression(node.test)
        self.statements(node.body)
        self.frames.pop()
        self.statements(node.else_)

    def bind(self, target: nodes.Node, value: tuple[Any, ...]) -> None:
        if isinstance(target, nodes.Name):
            self.frames[-1][target.name] = value
        elif isinstance(target, nodes.Tuple):
            for index, item in enumerate(target.items):
                self.bind(item, self.unpacked(value, index, len(target.items)))
        elif isinstance(target, nodes.NSRef):
            self.name(nodes.Name(target.name, "load", lineno=target.lineno))

    @staticmethod
    def unpacked(value: tuple[Any, ...], index: int, count: int) -> tuple[Any, ...]:
        found: list[Any] = []
        for alternative in value:
            args = get_args(alternative)
            if get_origin(alternative) is tuple and args and args[-1] is not Ellipsis and len(args) == count:
                found.extend(_alternatives(args[index]))
            elif get_origin(alternative) is tuple and len(args) == 2 and args[-1] is Ellipsis:
                found.extend(_alternatives(args[0]))
            else:
                return _UNKNOWN
        return tuple(dict.fromkeys(found)) or _UNKNOWN

    # -- expressions

    def expression(self, node: nodes.Node | None) -> tuple[Any, ...]:
        if node is None:
            return _UNKNOWN
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
                self.problem(node, f"unknown test `{node.name}`{_suggest(node.name, self.env.tests)}")
            return (bool,)
        if isinstance(node, nodes.CondExpr):
            self.expression(node.test)
            return tuple(dict.fromkeys(self.expression(node.expr1) + self.expression(node.expr2)))
        if isinstance(node, nodes.TemplateData):
            return (str,)
        if isinstance(node, nodes.Const):
            return (type(node.value),) if node.value is not None else _UNKNOWN
        for child in node.iter_child_nodes():
            self.expression(child)
        return _UNKNOWN

    def name(self, node: nodes.Name) -> tuple[Any, ...]:
        for frame in reversed(self.frames):
            if node.name in frame:
                return frame[node.name]
        if node.name in self.env.globals:
            return _UNKNOWN
        known = [n for frame in self.frames for n in frame]
        hint = _suggest(node.name, known) or f" (the template is given: {', '.join(f'`{k}`' for k in self.context)})"
        self.problem(node, f"unknown name `{node.name}`{hint}")
        return _UNKNOWN

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
            return tuple(dict.fromkeys(found)) or _UNKNOWN
        owner, candidates = failures[0]
        path = path or _expression_text(node)
        hint = _suggest(name, candidates)
        if not hint:
            what = "field " if _is_model(owner) else ""
            hint = f" ({_describe(owner)} has no {what}`{name}`)"
        self.problem(node, f"unknown field `{path}`{hint}")
        return _UNKNOWN

    def member(self, owner: Any, name: str) -> tuple[Any, ...] | list[str]:
        """The types of `owner.name`, or the names `owner` does have when it has no `name`."""
        if owner is _ANY:
            return _UNKNOWN
        if isinstance(owner, _Loop):
            if name in ("previtem", "nextitem"):
                return owner.item
            return _UNKNOWN if name in _LOOP_FIELDS else sorted(_LOOP_FIELDS)
        if name.startswith("_"):  # the sandbox refuses these anyway
            return sorted(_members(owner)) if _is_model(owner) else []
        if _is_model(owner):
            members = _members(owner)
            if name in members:
                self.used.add((owner, name))
                return _alternatives(members[name])
            if name in _methods(owner):
                return (_Method(owner, name),)
            return sorted({*members, *_methods(owner)})
        origin = get_origin(owner) or owner
        if not inspect.isclass(origin):
            return _UNKNOWN
        if hasattr(origin, name):
            return (_Method(owner, name),)
        if issubclass(origin, Mapping | dict):  # Jinja falls back to the item: d.key is d["key"]
            args = get_args(owner)
            return _alternatives(args[1]) if len(args) == 2 else _UNKNOWN
        return []  # no suggestions from str or list methods: they are not what a misspelt field meant

    def item(self, node: nodes.Getitem) -> tuple[Any, ...]:
        base = self.expression(node.node)
        arg = node.arg
        if isinstance(arg, nodes.Const) and isinstance(arg.value, str):
            return self.attribute(base, arg.value, node)  # Jinja: x["a"] falls back to x.a
        self.expression(arg)
        if isinstance(arg, nodes.Slice):
            return base
        return _indexed(base)

    def call(self, node: nodes.Call) -> tuple[Any, ...]:
        callee = self.expression(node.node)
        self.arguments(node)
        found: list[Any] = []
        for alternative in callee:
            if not isinstance(alternative, _Method):
                return _UNKNOWN
            owner = get_origin(alternative.owner) or alternative.owner
            if owner is str and alternative.name in _STR_TO_STR:
                found.append(str)
            elif owner is str and alternative.name in ("split", "splitlines", "rsplit"):
                found.append(list[str])
            elif inspect.isclass(owner) and issubclass(owner, Mapping | dict) and len(get_args(alternative.owner)) == 2:
                key, value = get_args(alternative.owner)
                result = {"items": list[tuple[key, value]], "keys": list[key], "values": list[value]}
                found.append(result.get(alternative.name, _ANY))
            else:
                return _UNKNOWN
        return tuple(dict.fromkeys(found)) or _UNKNOWN

    def arguments(self, node: nodes.Call | nodes.Filter | nodes.Test) -> None:
        for arg in node.args:
            self.expression(arg)
        for keyword in node.kwargs:
            self.expression(keyword.value)
        self.expression(node.dyn_args)
        self.expression(node.dyn_kwargs)

    def filter(self, node: nodes.Filter) -> tuple[Any, ...]:
        base = self.expression(node.node) if node.node is not None else _UNKNOWN
        self.arguments(node)
        name = node.name
        if name not in self.env.filters:
            self.problem(node, f"unknown filter `{name}`{_suggest(name, self.env.filters)}")
            return _UNKNOWN
        if name in _ATTRIBUTE_FILTERS:
            attribute = next((k.value for k in node.kwargs if k.key == "attribute"), None)
            written = "attribute={!r}"
            if attribute is None and name in _POSITIONAL_ATTRIBUTE and node.args:
                attribute, written = node.args[0], "{!r}"
            if isinstance(attribute, nodes.Const) and isinstance(attribute.value, str):
                path = f"{_expression_text(node.node) if node.node else ''}|{name}({written.format(attribute.value)})"
                items = self.elements(base, node, report=False)
                for part in attribute.value.split("."):  # as Jinja's attribute paths: "cells.0" is cells[0]
                    items = _indexed(items) if part.isdigit() else self.attribute(items, part, node, path)
                if name == "map":
                    return tuple(list[item] if item is not _ANY else list for item in items)
        if name in ("length", "count", "wordcount"):
            return (int,)
        if name in _STR_FILTERS or name in _project_filters():
            return (str,)
        if name in ("default", "d"):
            return base
        if name in _ITEM_FILTERS:
            return self.elements(base, node, report=False)
        if name in _SAME_LIST_FILTERS:
            return tuple(list[item] if item is not _ANY else list for item in self.elements(base, node, report=False))
        return _UNKNOWN

    def elements(self, value: tuple[Any, ...], node: nodes.Node, *, report: bool = True) -> tuple[Any, ...]:
        """The types of the items of `value`, as a for loop sees them."""
        found: list[Any] = []
        for alternative in value:
            items = _element_types(alternative)
            if items is None:
                if report:
                    what = f"`{_expression_text(node)}` is not a list ({_describe(alternative)})"
                    self.problem(node, f"{what}: a loop cannot go through it")
                return _UNKNOWN
            found.extend(items)
        return tuple(dict.fromkeys(found)) or _UNKNOWN


@cache
def _project_filters() -> frozenset[str]:
    from generator.formatting import FILTERS

    return frozenset(FILTERS)


def _indexed(value: tuple[Any, ...]) -> tuple[Any, ...]:
    """The types of `value[i]`: a list's items, a mapping's values."""
    found: list[Any] = []
    for alternative in value:
        origin = get_origin(alternative) or alternative
        if inspect.isclass(origin) and issubclass(origin, Mapping | dict):
            args = get_args(alternative)
            found.extend(_alternatives(args[1]) if len(args) == 2 else _UNKNOWN)
        else:
            found.extend(_element_types(alternative) or _UNKNOWN)
    return tuple(dict.fromkeys(found)) or _UNKNOWN


def _element_types(tp: Any) -> tuple[Any, ...] | None:
    """The item types of an iterable type; None when a value of this type cannot be looped over."""
    if tp is _ANY or isinstance(tp, (_Loop, _Method)):
        return _UNKNOWN
    origin = get_origin(tp) or tp
    if not inspect.isclass(origin):
        return _UNKNOWN
    if issubclass(origin, str):
        return (str,)
    if _is_model(origin) or not issubclass(origin, Iterable):
        return None
    args = get_args(tp)
    if not args:
        return _UNKNOWN
    if issubclass(origin, tuple) and args[-1] is not Ellipsis:
        return tuple(dict.fromkeys(a for arg in args for a in _alternatives(arg)))
    return _alternatives(args[0])


def _suggest(name: str, candidates: Iterable[str]) -> str:
    match = difflib.get_close_matches(name, list(candidates), n=1, cutoff=0.6)
    return f" (did you mean `{match[0]}`?)" if match else ""


def _expression_text(node: nodes.Node) -> str:
    """A tag's expression as written, near enough: form.sections[0].heading, line.replace(…)."""
    if isinstance(node, nodes.Name):
        return node.name
    if isinstance(node, nodes.Getattr):
        return f"{_expression_text(node.node)}.{node.attr}"
    if isinstance(node, nodes.Getitem):
        arg = node.arg
        if isinstance(arg, nodes.Const):
            return f"{_expression_text(node.node)}[{arg.value!r}]"
        return f"{_expression_text(node.node)}[…]"
    if isinstance(node, nodes.Call):
        return f"{_expression_text(node.node)}(…)"
    if isinstance(node, nodes.Filter):
        base = _expression_text(node.node) if node.node is not None else ""
        return f"{base}|{node.name}"
    if isinstance(node, nodes.Const):
        return repr(node.value)
    return "…"
