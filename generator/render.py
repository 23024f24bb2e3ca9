"""Model + Word template → .docx bytes, through one sandboxed, strict, autoescaping Jinja environment.

This is the only module that uses docxtpl.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import jinja2
from docxtpl import DocxTemplate
from jinja2.sandbox import SandboxedEnvironment

from generator.errors import TemplateError
from generator.formatting import FILTERS


def make_environment() -> SandboxedEnvironment:
    """Autoescape so '&' and '<' in input text cannot break the XML; strict so a misspelt
    field is an error, not an empty gap; sandboxed so a template cannot run code."""
    env = SandboxedEnvironment(autoescape=True, undefined=jinja2.StrictUndefined)
    env.filters.update(FILTERS)
    return env


def render_docx(template: Path, context: Mapping[str, Any], *, properties: Mapping[str, str] | None = None) -> bytes:
    """Render `template` with `context`; TemplateError names the template and the text near a fault.

    `properties` (title, subject, …) are set on the rendered document's core properties
    directly: docxtpl would run them through the autoescaping environment a second time.
    """
    if not template.is_file():
        raise TemplateError(template, "template not found")
    try:
        doc = DocxTemplate(str(template))
        doc.render(dict(context), jinja_env=make_environment())
        for name, value in (properties or {}).items():
            setattr(doc.core_properties, name, value)
        out = io.BytesIO()
        doc.save(out)
    except jinja2.TemplateSyntaxError as exc:
        near = getattr(exc, "docx_context", None)
        raise TemplateError(template, f"template syntax error: {exc.message}", context=_near(near)) from exc
    except jinja2.UndefinedError as exc:
        raise TemplateError(template, f"template refers to something the input does not have: {exc.message}") from exc
    except jinja2.exceptions.SecurityError as exc:
        raise TemplateError(template, f"template tried something unsafe: {exc}") from exc
    except jinja2.TemplateError as exc:
        raise TemplateError(template, f"template error: {exc}") from exc
    return out.getvalue()


def _near(context: Any) -> str | None:
    if not context:
        return None
    if isinstance(context, (list, tuple)):
        return " … ".join(str(c).strip() for c in context if str(c).strip())
    return str(context)
