"""What a template may see and do: the one Jinja environment every template renders in.

A template is edited by many hands, so it is treated as hostile. It sees data, never behaviour:
the fields of the views it is given (pydantic models and dataclasses built for templates) and
the plain values they hold, and no method of any of them: not pydantic's `parse_file` or
`model_validate_json`, not `str.format`, nothing that could open a file, import or unpickle.
It may call only Jinja's own helpers (`range`, `namespace`, `loop.cycle` …). What it builds is
bounded by the render's budget (generator.docx.budget) and by the operator limits below.
"""

from __future__ import annotations

import dataclasses
from enum import Enum
from functools import cache, cached_property
from typing import Any

import jinja2
from jinja2.compiler import CodeGenerator, Frame
from jinja2.nodes import Expr
from jinja2.runtime import LoopContext, Macro
from jinja2.sandbox import SandboxedEnvironment
from jinja2.utils import Cycler, Joiner, Namespace
from markupsafe import escape
from pydantic import BaseModel

try:  # markupsafe's escaping of text itself, as its escape() finds it, before making it a Markup
    from markupsafe._speedups import _escape_inner
except ImportError:  # a platform markupsafe has no compiled escaping for
    from markupsafe._native import _escape_inner

from generator.domain.common.formatting import FILTERS

# Bounds on what a template may build: a hand-edited `{{ "x" * 10**9 }}` must fail, not fill memory.
_MAX_BUILT = 1_000_000
_MAX_EXPONENT = 64
_MISSING = object()
# Jinja's own helper objects, whose methods (loop.cycle, joiner(), …) are the template language.
_JINJA_HELPERS = (LoopContext, Cycler, Joiner, Namespace, Macro)


@jinja2.pass_context
def _at_render(context: jinja2.runtime.Context, value: Any) -> Any:
    """The environment's finalize, which also escapes what it outputs (_Output).

    Jinja works out constant expressions while it compiles (so does its optimizer, switched off
    in make_environment): outside any render's budget, and with no tag to blame, so that
    `{{ "x"|center(10**10) }}` would fill memory as the template loads. A finalize that needs the
    render's context is Jinja's documented way to stop that: every expression is then evaluated
    as it renders, under generator.docx.budget (tests/e2e/test_hostile.py holds it)."""
    if context.eval_ctx.autoescape:
        # markupsafe's own escaping of text, without making each piece a Markup: a Markup is made
        # in Python code, which was most of the cost of the two hundred values a document prints.
        return _escape_inner(value) if type(value) is str else escape(value)
    return str(value)


class _Output(CodeGenerator):
    """Jinja's code generator, but what a template prints is escaped by the finalize alone
    (_at_render), not by Jinja's `escape` around it. The text is the same; only the type differs
    (a str, not a Markup), and Jinja reads that type nowhere: printed values are joined, and
    what a macro or a `{% set %}` block captures is made a Markup as a whole."""

    def _output_child_pre(self, node: Expr, frame: Frame, finalize: CodeGenerator._FinalizeInfo) -> None:
        if finalize.src is None:  # never: make_environment gives every environment _at_render
            raise TypeError("a template environment escapes in its finalize, and has none")
        self.write(finalize.src)

    def _output_child_post(self, node: Expr, frame: Frame, finalize: CodeGenerator._FinalizeInfo) -> None:
        self.write(")")


@cache
def readable(cls: type, attr: str) -> bool:
    """Whether a template may read `attr` of a `cls` object: data a view declares (a field, or a
    property of its own, not pydantic's), or a plain value's non-callable attribute (a date's
    `year`). Decided from the type alone, so nothing undeclared is even evaluated."""
    if attr.startswith("_"):
        return False
    if issubclass(cls, BaseModel):
        if attr in cls.model_fields or attr in cls.model_computed_fields:
            return True
        if hasattr(BaseModel, attr):
            return False
    elif dataclasses.is_dataclass(cls):
        if any(f.name == attr for f in dataclasses.fields(cls)):
            return True
    else:
        found = getattr(cls, attr, _MISSING)
        return found is not _MISSING and not callable(found)
    return isinstance(getattr(cls, attr, None), (property, cached_property))


class _Verdict(Enum):
    HELPER = "one of Jinja's own helpers: its sandbox decides"
    READ = "data the template may read"
    UNSAFE = "behaviour, private or a class's: refused"
    ITEM = "no such attribute: a mapping's key, if anything"


def _verdict(cls: type, attribute: str) -> _Verdict:
    """What a template may do with `attribute` of a `cls` object (see `readable`)."""
    data = readable(cls, attribute)
    if issubclass(cls, _JINJA_HELPERS):
        return _Verdict.HELPER
    if issubclass(cls, type):  # `range`, `dict`: what a class holds is behaviour
        return _Verdict.UNSAFE
    if data:
        return _Verdict.READ
    if attribute.startswith("_") or hasattr(cls, attribute):
        return _Verdict.UNSAFE
    return _Verdict.ITEM


_VERDICTS: dict[type, dict[str, _Verdict]] = {}  # by type, then name: no key to build per lookup
_READABLE: dict[type, set[str]] = {}  # by type, the names judged READ: nearly every look-up is one of them


class _Sandbox(SandboxedEnvironment):
    """Jinja's sandbox narrowed to an allow-list, and bounding repetition and powers.

    Jinja's own sandbox refuses only private and internal attributes, so a template could still
    call any public method of what it is given. Here an attribute is readable only if it is data
    (`readable`), and only Jinja's own helpers are callable. Deciding once per type and name
    also keeps the sandbox cheap: deciding afresh for every attribute of every paragraph was a
    quarter of the render time."""

    intercepted_binops = frozenset({"*", "**"})
    code_generator_class = _Output

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self._callable_globals = frozenset(id(v) for v in self.globals.values() if callable(v))

    def getattr(self, obj: Any, attribute: str) -> Any:
        # A template reads hundreds of attributes per document: what may be done with each is
        # decided once per type and name (_verdict), and a name found readable is told after that
        # by one set look-up (_READABLE).
        if attribute in _READABLE.get(type(obj), ()):
            value = getattr(obj, attribute, _MISSING)
            return value if value is not _MISSING else self._key_or_undefined(obj, attribute)
        cls = type(obj)
        of_type = _VERDICTS.setdefault(cls, {})
        verdict = of_type.get(attribute)
        if verdict is None:
            verdict = of_type[attribute] = _verdict(cls, attribute)
            if verdict is _Verdict.READ:
                _READABLE.setdefault(cls, set()).add(attribute)
                return self.getattr(obj, attribute)  # now read as above
        if verdict is _Verdict.HELPER:
            return super().getattr(obj, attribute)
        if verdict is _Verdict.UNSAFE:
            return self.unsafe_undefined(obj, attribute)
        return self._key_or_undefined(obj, attribute)

    def _key_or_undefined(self, obj: Any, attribute: str) -> Any:
        try:  # `footnotes.plan`: a mapping's key, as Jinja reads a dotted name
            return obj[attribute]
        except (TypeError, LookupError):
            return self.undefined(obj=obj, name=attribute)

    def getitem(self, obj: Any, argument: Any) -> Any:
        try:
            return obj[argument]
        except (TypeError, LookupError):
            if isinstance(argument, str):
                return self.getattr(obj, argument)
            return self.undefined(obj=obj, name=argument)

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        if isinstance(obj, _JINJA_HELPERS):
            return super().is_safe_attribute(obj, attr, value)
        cls: type = type(obj)  # as in getattr
        return readable(cls, attr)

    def is_safe_callable(self, obj: Any) -> bool:
        # Whatever path a callable arrived by (an attribute, an item of a dict, a filter's result),
        # only Jinja's globals (range, namespace …), macros and its helpers' own methods may run.
        # Calling an undefined value raises its own error, which says why it is undefined (unsafe, missing).
        if id(obj) in self._callable_globals or isinstance(obj, (Macro, jinja2.Undefined)):
            return True
        return isinstance(getattr(obj, "__self__", None), _JINJA_HELPERS)

    def call(__self, __context: jinja2.runtime.Context, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        if not __self.is_safe_callable(__obj):
            name = getattr(__obj, "__qualname__", type(__obj).__name__)
            raise jinja2.exceptions.SecurityError(
                f"a template may call only Jinja's own helpers, not {name}: it sees data, never behaviour"
            )
        return __context.call(__obj, *args, **kwargs)

    def call_binop(self, context: jinja2.runtime.Context, operator: str, left: Any, right: Any) -> Any:
        if operator == "**" and isinstance(right, int) and abs(right) > _MAX_EXPONENT:
            raise jinja2.exceptions.SecurityError(f"a power above {_MAX_EXPONENT} is not allowed in a template")
        if operator == "*":
            for seq, times in ((left, right), (right, left)):
                if isinstance(seq, (str, list, tuple)) and isinstance(times, int) and len(seq) * times > _MAX_BUILT:
                    raise jinja2.exceptions.SecurityError(f"repeating to more than {_MAX_BUILT:,} items is not allowed in a template")
        return super().call_binop(context, operator, left, right)


def _no_files(name: str) -> None:
    """The loader: {% include %}, {% import %} and {% extends %} find nothing, so a template
    cannot read a file; each becomes a TemplateNotFound, reported with its tag."""
    return None


def make_environment() -> SandboxedEnvironment:
    """Autoescape so '&' and '<' in input text cannot break the XML; strict so a misspelt
    field is an error, not an empty gap; sandboxed so a template cannot run code or read files."""
    env = _Sandbox(
        autoescape=True, optimized=False, finalize=_at_render, undefined=jinja2.StrictUndefined, loader=jinja2.FunctionLoader(_no_files)
    )
    env.filters.update(FILTERS)
    return env


@cache
def environment() -> SandboxedEnvironment:
    """The one environment of this process: compiled templates are cached against it."""
    return make_environment()
