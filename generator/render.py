"""Word template + context → .docx bytes, through one sandboxed, strict, autoescaping Jinja environment.

A template is read, patched (docxtpl's tag rewriting) and compiled once per process; each
render then only runs the compiled Jinja templates of its XML parts and zips the result.
docxtpl's own render reloads the package, reruns its regexes and recompiles Jinja for every
document, which is most of its cost. This is the only module that uses docxtpl.
"""

from __future__ import annotations

import hashlib
import io
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import jinja2
from docxtpl import DocxTemplate
from jinja2.sandbox import SandboxedEnvironment
from lxml import etree

from generator.errors import TemplateError
from generator.formatting import FILTERS
from generator.package import Properties, read_parts, write_package
from generator.pack import compose_pack

# The parts docxtpl renders; core properties are written by grantdocs itself (package.py).
_RENDERED = re.compile(r"^word/(document|header\d*|footer\d*|footnotes)\.xml$")
_PARAGRAPH_START = re.compile(r"<w:p([ >])")
_MARKER_IN_TEXT = re.compile(r"<w:t(?: [^>]*)?>[^<]*[\n\t\a\f]")
_DOCPR = re.compile(r'(<wp:docPr\b[^>]*?\bid=")\d+(")')


class _Sandbox(SandboxedEnvironment):
    """Jinja's sandbox, remembering its verdicts. Its verdict on an attribute depends only on
    the object's type and the attribute's name (see jinja2.sandbox.is_internal_attribute), and
    deciding it afresh for every attribute of every paragraph was a quarter of the render time."""

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self._verdicts: dict[tuple[type, str], bool] = {}

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        key = (type(obj), attr)
        verdict = self._verdicts.get(key)
        if verdict is None:
            verdict = self._verdicts[key] = super().is_safe_attribute(obj, attr, value)
        return verdict


def make_environment() -> SandboxedEnvironment:
    """Autoescape so '&' and '<' in input text cannot break the XML; strict so a misspelt
    field is an error, not an empty gap; sandboxed so a template cannot run code."""
    env = _Sandbox(autoescape=True, undefined=jinja2.StrictUndefined)
    env.filters.update(FILTERS)
    return env


@cache
def environment() -> SandboxedEnvironment:
    """The one environment of this process: compiled templates are cached against it."""
    return make_environment()


@dataclass(frozen=True)
class _Part:
    name: str
    template: jinja2.Template
    has_tables_loops: bool


@dataclass(frozen=True)
class PreparedTemplate:
    """A template ready to render many times: its package members and compiled XML parts."""

    name: str
    digest: str
    members: tuple[tuple[str, bytes], ...]
    parts: tuple[_Part, ...]

    def render(self, context: Mapping[str, Any], *, properties: Properties, provenance: Mapping[str, str] | None = None) -> bytes:
        """The rendered .docx; TemplateError names the template and what went wrong."""
        rendered: dict[str, bytes] = {}
        for part in self.parts:
            try:
                xml = part.template.render(dict(context))
            except jinja2.UndefinedError as exc:
                raise TemplateError(self.name, f"{part.name}: template refers to something the input does not have: {exc.message}") from exc
            except jinja2.exceptions.SecurityError as exc:
                raise TemplateError(self.name, f"{part.name}: template tried something unsafe: {exc}") from exc
            except jinja2.TemplateError as exc:
                raise TemplateError(self.name, f"{part.name}: template error: {exc}") from exc
            rendered[part.name] = _finish_xml(xml, tables=part.has_tables_loops)
        members = [(name, rendered.get(name, data)) for name, data in self.members]
        return write_package(members, properties=properties, provenance=provenance)


def prepare(path: Path) -> PreparedTemplate:
    """The template at `path`, compiled; reused while the file's content is unchanged."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise TemplateError(path, "template not found") from None
    except OSError as exc:
        raise TemplateError(path, f"cannot read template: {exc.strerror}") from None
    return prepare_bytes(str(path), data)


def prepare_all(paths: tuple[Path, ...]) -> PreparedTemplate:
    """One template, or several composed in order into one (each part from a new page)."""
    if len(paths) == 1:
        return prepare(paths[0])
    datas = []
    for path in paths:
        if not path.is_file():
            raise TemplateError(path, "template not found")
        datas.append(path.read_bytes())
    return _composite(tuple(str(p) for p in paths), tuple(datas))


@cache
def _composite(names: tuple[str, ...], datas: tuple[bytes, ...]) -> PreparedTemplate:
    # Composing the templates once, rather than each rendered pack, keeps a pack as fast as one document.
    return prepare_bytes(" + ".join(names), compose_pack(list(datas)))


def prepare_bytes(name: str, data: bytes) -> PreparedTemplate:
    """A template given as bytes (e.g. composed from two templates), compiled and cached by content."""
    return _prepare(name, hashlib.sha256(data).hexdigest(), data)


@cache
def _prepare(name: str, digest: str, data: bytes) -> PreparedTemplate:
    try:
        members = read_parts(data)
    except Exception as exc:  # zipfile raises several kinds for a file that is not a package
        raise TemplateError(name, f"not a Word document: {exc}") from None
    patcher = DocxTemplate(io.BytesIO(data))
    parts = []
    for part_name, xml_bytes in members:
        if not _RENDERED.match(part_name):
            continue
        source = patcher.patch_xml(xml_bytes.decode("utf-8"))
        source = _PARAGRAPH_START.sub(r"\n<w:p\1", source)
        try:
            template = environment().from_string(source)
        except jinja2.TemplateSyntaxError as exc:
            raise TemplateError(name, f"{part_name}: template syntax error: {exc.message}", context=_near(source, exc.lineno)) from exc
        parts.append(_Part(part_name, template, has_tables_loops="{%tc" in xml_bytes.decode("utf-8") or "{% tc" in source))
    return PreparedTemplate(name=name, digest=digest, members=tuple(members), parts=tuple(parts))


def _finish_xml(xml: str, *, tables: bool) -> bytes:
    """docxtpl's post-processing of a rendered part, as its own render does it."""
    xml = re.sub(r"\n<w:p([ >])", r"<w:p\1", xml)
    xml = xml.replace("{_{", "{{").replace("}_}", "}}").replace("{_%", "{%").replace("%_}", "%}")
    if _MARKER_IN_TEXT.search(xml):  # a line break etc. in a value: rare, and costly to resolve
        xml = DocxTemplate.resolve_listing(None, xml)  # type: ignore[arg-type]  # uses no instance state
    if tables:
        tree = DocxTemplate.fix_tables(None, xml.encode("utf-8"))  # type: ignore[arg-type]
        xml = etree.tostring(tree, encoding="unicode")
        xml = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' + xml
    if "docPr" in xml:
        counter = iter(range(1, 1_000_000))
        xml = _DOCPR.sub(lambda m: f"{m.group(1)}{next(counter)}{m.group(2)}", xml)
    return xml.encode("utf-8")


def _near(source: str, lineno: int | None) -> str | None:
    if not lineno:
        return None
    lines = source.splitlines()[max(lineno - 4, 0) : lineno + 3]
    text = " … ".join(t for t in (re.sub(r"<[^>]+>", "", line).strip() for line in lines) if t)
    return text or None


def render_docx(
    template: Path | tuple[Path, ...], context: Mapping[str, Any], *, properties: Properties | None = None,
    provenance: Mapping[str, str] | None = None,
) -> bytes:
    """Render `template` (or several composed into one) with `context`, prepared once per process."""
    paths = template if isinstance(template, tuple) else (template,)
    return prepare_all(paths).render(context, properties=properties or Properties(title="", subject=""), provenance=provenance)
