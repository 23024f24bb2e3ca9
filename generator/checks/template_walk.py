"""The template check's walk: every tag of a part's Jinja syntax tree followed against the
context's types (names, fields inside loops and conditions, loop variables, filters and tests),
each fault a TemplateProblem with the document text around it (generator.checks.templates).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, get_args, get_origin

import jinja2
from jinja2 import nodes

from generator.checks.template_expressions import ExpressionWalk, PartSource, TemplateProblem
from generator.checks.template_types import UNKNOWN, Loop, alternatives
from generator.docx.office_saves import office_slip
from generator.docx.template_source import syntax_error_line


def check_source(
    template: str, source: PartSource, context: Mapping[str, Any], env: jinja2.Environment, used: set[tuple[type, str]]
) -> list[TemplateProblem]:
    try:
        tree = env.parse(source.text)
    except jinja2.TemplateSyntaxError as exc:
        lineno = syntax_error_line(source.text, exc.message, exc.lineno)
        paragraph = source.near(lineno)
        slip = office_slip(paragraph)
        why = f"; the tag holds {slip}" if slip else ""
        return [TemplateProblem(template, source.part, f"syntax error: {exc.message}{why}", paragraph)]
    checker = _Checker(template, source, context, env, used)
    checker.statements(tree.body)
    if not checker.problems:
        try:  # what parsing alone lets through but compiling refuses
            env.compile(tree)
        except jinja2.TemplateSyntaxError as exc:
            return [TemplateProblem(template, source.part, f"syntax error: {exc.message}", source.near(exc.lineno))]
    return checker.problems


class _Checker(ExpressionWalk):
    """Walks one part's Jinja syntax tree, statement by statement, binding what loops, sets and
    macros put in scope for the expressions inside them."""

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
            for target, value in zip(node.targets, values, strict=False):
                self.bind(target, value)
            self.statements(node.body)
            self.frames.pop()
        elif isinstance(node, (nodes.Macro, nodes.CallBlock)):
            if isinstance(node, nodes.Macro):
                self.frames[-1][node.name] = UNKNOWN
            else:
                self.expression(node.call)
            for default in node.defaults:
                self.expression(default)
            self.frames.append({"caller": UNKNOWN, "varargs": UNKNOWN, "kwargs": UNKNOWN})
            for arg in node.args:
                self.bind(arg, UNKNOWN)
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
            for inner in node.iter_child_nodes():
                self.statement(inner)

    def for_loop(self, node: nodes.For) -> None:
        items = self.elements(self.expression(node.iter), node.iter)
        self.frames.append({})
        self.bind(node.target, items)
        self.frames[-1]["loop"] = (Loop(items),)
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
                found.extend(alternatives(args[index]))
            elif get_origin(alternative) is tuple and len(args) == 2 and args[-1] is Ellipsis:
                found.extend(alternatives(args[0]))
            else:
                return UNKNOWN
        return tuple(dict.fromkeys(found)) or UNKNOWN
