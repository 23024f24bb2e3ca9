"""Static check of the Word templates against the models that fill them (`grantdocs templates check`).

Each template is read the way generator.docx.render renders it: the document, headers, footers and
footnotes patched by docxtpl's own `patch_xml` (so `{%p`, `{%tr`, `{%tc`, `{{r` and tags split
across runs become plain Jinja). Core properties are not checked: grantdocs writes them itself
(generator.docx.package), so a tag there is never rendered. Each part is parsed by the real
rendering environment, then every tag is followed through the Jinja syntax tree against the
context's types: names, fields (inside loops and conditions too), loop variables, filters and
tests. A misspelt field is found here, with the text around it, instead of as a bare
`UndefinedError` while rendering someone's decision.

The walk itself is generator.checks.template_walk; the types it follows, generator.checks.template_types.
Pure functions: the result is a `TemplateReport`; printing is the command line's business.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2

from generator.checks.template_expressions import PartSource, TemplateProblem
from generator.checks.template_types import type_name, unused_fields
from generator.checks.template_walk import check_source
from generator.docx.render import patched_sources, read_template, template_members
from generator.docx.sandbox import make_environment
from generator.docx.template_source import one_tag_a_line
from generator.domain.agreement import view as agreement_view
from generator.domain.agreement.view import AgreementDocument
from generator.domain.decision_form.view import DecisionFormDocument
from generator.domain.issued_agreement import view as issued_view
from generator.domain.issued_agreement.view import IssuedAgreementDocument
from generator.domain.part_2 import view as part_2_view
from generator.domain.part_2.view import Part2Document
from generator.domain.report import view as report_view
from generator.domain.report.view import ReportDocument
from generator.errors import TemplateError
from generator.inputs.load import load_form_wordings

__all__ = ["TemplateProblem", "TemplateReport", "TemplateSpec", "check_template", "check_templates", "template_specs"]


# ---------------------------------------------------------------------------------------- results


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


def template_specs() -> list[TemplateSpec]:
    """Every template the generator renders, with its context (as generator.build.plan builds it)."""
    specs: dict[str, Mapping[str, Any]] = {}
    for form in load_form_wordings().values():
        specs.setdefault(form.template, {"form": DecisionFormDocument})
    specs[report_view.TEMPLATE] = {"report": ReportDocument}
    specs[agreement_view.TEMPLATE] = {"agreement": AgreementDocument}
    specs[issued_view.TEMPLATE] = {"agreement": IssuedAgreementDocument}
    specs[part_2_view.TEMPLATE] = {"part2": Part2Document}
    # Every document's headers and footers print its protective marking, and DRAFT beside it
    # until the decision is signed: two top-level keys.
    return [TemplateSpec(name, {**context, "marking": str, "draft": bool}) for name, context in specs.items()]


def check_templates(
    templates: Path, specs: Iterable[TemplateSpec] | None = None, *, env: jinja2.Environment | None = None
) -> TemplateReport:
    """Check every template in `specs` (default: all the generator renders) found in `templates`."""
    specs = list(template_specs() if specs is None else specs)
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
            roots.setdefault(type_name(model), model)
    known = {spec.name for spec in specs}
    unchecked = (
        tuple(sorted(p.name for p in templates.glob("*.docx") if p.name not in known and not p.name.startswith("~$")))
        if templates.is_dir()
        else ()
    )
    return TemplateReport(
        checked=tuple(checked),
        problems=tuple(dict.fromkeys(problems)),
        unused=unused_fields(roots.values(), used),
        unchecked=unchecked,
    )


def check_template(
    path: Path,
    context: Mapping[str, Any],
    *,
    env: jinja2.Environment | None = None,
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
        problems.extend(check_source(path.name, source, context, env, used))
    return problems


# ---------------------------------------------------------------------------------------- sources


def template_sources(path: Path) -> Iterator[PartSource]:
    """The Jinja source of every rendered part, exactly as generator.docx.render patches it."""
    members = template_members(str(path), read_template(path))
    for name, xml in sorted(patched_sources(members), key=lambda part: _part_order(part[0])):
        # Each tag starts a line, as generator.docx.render compiles it, so a line number is a tag.
        yield PartSource(name, one_tag_a_line(xml))


def _part_order(name: str) -> tuple[int, str]:
    for rank, prefix in enumerate(("word/document", "word/header", "word/footer", "word/footnotes")):
        if name.startswith(prefix):
            return rank, name
    return 9, name
