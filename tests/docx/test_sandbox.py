"""Templates see data, never behaviour: every value reachable from every context, through the
sandbox's own lookups, is plain data or a view built for templates, and nothing callable."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import jinja2
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from markupsafe import Markup
from pydantic import BaseModel

from generator.build.generate import DEFAULT_TEMPLATES
from generator.build.plan import plan_documents
from generator.docx.sandbox import make_environment
from generator.errors import InputError
from generator.inputs.load import load_decision, load_form_wordings, load_report_wording
from tests.conftest import EXAMPLES, FIXTURES

INPUTS = sorted(EXAMPLES.glob("*.yaml")) + sorted((FIXTURES / "inputs").glob("*.yaml"))
PLAIN = (str, int, float, bool, Decimal, date, timedelta, type(None))
CONTAINERS = (tuple, list, dict, frozenset)


def _is_view(value: object) -> bool:
    """A pydantic model or dataclass of grantdocs' own: a view (or model) built for templates."""
    cls = type(value)
    return (isinstance(value, BaseModel) or dataclasses.is_dataclass(value)) and cls.__module__.startswith("generator.")


def _reachable(env: jinja2.Environment, root: object, path: str) -> Iterator[tuple[str, object]]:
    """Every value a template can reach from `root` by attribute, key or index, with its path."""
    seen: set[int] = set()
    todo: list[tuple[str, object]] = [(path, root)]
    while todo:
        where, value = todo.pop()
        if id(value) in seen:
            continue
        seen.add(id(value))
        yield where, value
        for name in dir(value):
            found = env.getattr(value, name)
            if not isinstance(found, jinja2.Undefined):
                todo.append((f"{where}.{name}", found))
        if isinstance(value, dict):
            todo.extend((f"{where}[{key!r}]", item) for key, item in value.items())
        elif isinstance(value, (tuple, list, frozenset)):
            todo.extend((f"{where}[{i}]", item) for i, item in enumerate(value))


def _contexts() -> Iterator[tuple[str, dict[str, Any]]]:
    for source in INPUTS:
        try:
            decision = load_decision(source)
        except InputError:  # a fragment (ocs-costs.yaml holds cost tables only)
            continue
        for doc in plan_documents(decision, forms=load_form_wordings(), report_wording=load_report_wording(), templates=DEFAULT_TEMPLATES):
            yield f"{source.name}:{doc.kind}", dict(doc.context)


CONTEXTS = list(_contexts())


def test_the_walk_covers_every_document_kind() -> None:
    kinds = {name.split(":")[1] for name, _ in CONTEXTS}
    assert {"decision-form", "supporting-report", "decision-pack", "grant-agreement", "part-2"} <= kinds


@pytest.mark.parametrize(("name", "context"), CONTEXTS, ids=[name for name, _ in CONTEXTS])
def test_everything_a_template_can_reach_is_data(name: str, context: dict[str, Any]) -> None:
    env = make_environment()
    reached = 0
    for key, root in context.items():
        for where, value in _reachable(env, root, key):
            reached += 1
            assert not callable(value), f"{name}: {where} is callable ({type(value).__qualname__})"
            assert isinstance(value, PLAIN + CONTAINERS) or _is_view(value), f"{name}: {where} is a {type(value).__qualname__}"
    assert reached > 20


@pytest.mark.parametrize(("name", "context"), CONTEXTS[:3], ids=[name for name, _ in CONTEXTS[:3]])
def test_every_method_of_what_a_template_is_given_is_refused(name: str, context: dict[str, Any]) -> None:
    """The walk above only follows what the sandbox lets through; here, from the other side,
    every public method of every view and value is asked for and refused."""
    env = make_environment()
    asked = 0
    for key, root in context.items():
        for where, value in _reachable(env, root, key):
            for attr in dir(value):
                if not attr.startswith("_") and callable(getattr(type(value), attr, None)):
                    asked += 1
                    assert isinstance(env.getattr(value, attr), jinja2.Undefined), f"{name}: {where}.{attr} is reachable"
                    assert isinstance(env.getitem(value, attr), jinja2.Undefined), f"{name}: {where}[{attr!r}] is reachable"
    assert asked > 100


def test_a_template_cannot_call_what_a_mapping_holds() -> None:
    """However a callable arrives (here as a mapping's value), only Jinja's own helpers run."""
    env = make_environment()
    template = env.from_string("{{ things.opener('/etc/hostname') }}")
    with pytest.raises(jinja2.exceptions.SecurityError, match="may call only Jinja's own helpers, not Path"):
        template.render(things={"opener": Path})
    assert env.from_string("{% for i in range(2) %}{{ loop.cycle('a', 'b') }}{% endfor %}").render() == "ab"
    assert env.from_string("{% set ns = namespace(n=1) %}{% set ns.n = ns.n + 1 %}{{ ns.n }}").render() == "2"


@pytest.mark.parametrize(
    "source",
    [
        "{% set form.title = 'x' %}",
        "{% set dmpc = form.dmpc %}{% set dmpc.approval = 'x' %}",
        "{{ form.__setattr__('title', 'x') }}",
        "{{ form.dmpc.__init__(interests_statement='x', interests=None, approval='x', signatory=None, date='') }}",
    ],
)
def test_a_template_cannot_change_a_view(source: str) -> None:
    """Views are not frozen (generator.domain.common.view): the sandbox alone keeps each as it
    was made, and a view two documents share (the decision pack's) the same for both."""
    form = next(context["form"] for _, context in CONTEXTS if "form" in context)
    title, approval = form.title, form.dmpc.approval
    with pytest.raises(jinja2.exceptions.TemplateError):
        make_environment().from_string(source).render(form=form)
    assert (form.title, form.dmpc.approval) == (title, approval)


# What a template prints is escaped by the environment's finalize, not by Jinja's escape around it
# (generator.docx.sandbox._Output): the text must be Jinja's own, whatever the construct.
_CONSTRUCTS = [
    "{{ v }}",
    "<w:t>{{ v }}</w:t>{{ n }}{{ d }}{{ none }}",
    "{% for x in items %}{{ x }}|{{ loop.index }}{% endfor %}",
    "{{ v ~ n }}{{ v|upper }}{{ v|e }}{{ v|safe }}{{ items|join(v) }}{{ v|replace('a', '<&>') }}",
    "{% macro m(a) %}[{{ a }}]{{ v }}{% endmacro %}{{ m(v) }}{{ m('<b>') }}",
    "{% macro m() %}({{ caller() }}){% endmacro %}{% call m() %}{{ v }}{% endcall %}",
    "{% set s %}{{ v }}<x/>{% endset %}{{ s }}{{ s ~ v }}",
    "{% filter upper %}{{ v }}&{% endfilter %}",
    "{% autoescape false %}{{ v }}{% endautoescape %}{{ v }}{% autoescape true %}{{ v }}{% endautoescape %}",
    "{{ v if n else d }}{{ {'k': v}['k'] }}{{ (v, n)[0] }}",
]


def _stock_environment() -> jinja2.Environment:
    from jinja2.sandbox import SandboxedEnvironment

    return SandboxedEnvironment(autoescape=True, undefined=jinja2.StrictUndefined)


@pytest.mark.parametrize("source", _CONSTRUCTS)
@given(text=st.text(alphabet=st.sampled_from(list("ab <>&'\"\u00a3\u2019é\n")) | st.characters(), max_size=20))
@settings(max_examples=40, deadline=None)
@example(text="<script>&amp;'\"")
def test_what_a_template_prints_is_escaped_as_jinja_escapes_it(source: str, text: str) -> None:
    values = {"v": text, "n": 3, "d": Decimal("1.50"), "none": None, "items": [text, "<i>", Markup("<b>&amp;</b>")]}
    assert make_environment().from_string(source).render(**values) == _stock_environment().from_string(source).render(**values)
