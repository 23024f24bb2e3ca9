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
from generator.hygiene import scrub
from generator.package import Member, Properties, read_parts, write_package
from generator.pack import compose_pack

# The parts docxtpl renders; core properties are written by grantdocs itself (package.py).
RENDERED_PARTS = re.compile(r"^word/(document|header\d*|footer\d*|footnotes)\.xml$")
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
    members: tuple[Member, ...]
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
        members: list[tuple[str, bytes | Member]] = [(m.name, rendered.get(m.name, m)) for m in self.members]
        return write_package(members, properties=properties, provenance=provenance)


_PREPARED: dict[tuple[tuple[str, str], ...], PreparedTemplate] = {}


def prepare(paths: tuple[Path, ...], digests: tuple[str, ...] | None = None) -> PreparedTemplate:
    """The template at `paths[0]`, or several composed in order into one (each part from a new
    page), compiled once per process and content. Given the files' SHA-256 `digests` (a batch
    hashes every template once), a prepared template is found without reading the files again."""
    if digests is not None:
        found = _PREPARED.get(tuple(zip(map(str, paths), digests)))
        if found is not None:
            return found
    datas = [_read_template(path) for path in paths]
    key = tuple((str(path), hashlib.sha256(data).hexdigest()) for path, data in zip(paths, datas))
    if key not in _PREPARED:
        if len(datas) == 1:
            _PREPARED[key] = _prepare(str(paths[0]), key[0][1], datas[0])
        else:
            # Composing the templates once, rather than each rendered pack, keeps a pack as fast as one document.
            composed = compose_pack(datas)
            _PREPARED[key] = _prepare(" + ".join(map(str, paths)), hashlib.sha256(composed).hexdigest(), composed)
    return _PREPARED[key]


def _read_template(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise TemplateError(path, "template not found") from None
    except IsADirectoryError:
        raise TemplateError(path, "template not found (a folder of that name)") from None
    except OSError as exc:
        raise TemplateError(path, f"cannot read template: {exc.strerror}") from None


def template_members(name: str, data: bytes) -> list[tuple[str, bytes]]:
    """A template's package members, scrubbed of its owner's traces, as they are rendered."""
    try:
        return scrub(read_parts(data))
    except Exception as exc:  # zipfile and lxml raise several kinds for a file that is not a package
        raise TemplateError(name, f"not a Word document: {exc}") from None


def patched_sources(members: list[tuple[str, bytes]]) -> list[tuple[str, str]]:
    """The Jinja source of each part that is rendered: docxtpl's rewriting of `{%p`, `{%tr`,
    `{%tc`, `{{r` and of tags split across runs. `grantdocs templates check` reads the same."""
    patcher = DocxTemplate(io.BytesIO())  # only patch_xml is used, which needs no document
    return [
        (part_name, patcher.patch_xml(xml_bytes.decode("utf-8")))
        for part_name, xml_bytes in members
        if RENDERED_PARTS.match(part_name)
    ]


def _prepare(name: str, digest: str, data: bytes) -> PreparedTemplate:
    members = template_members(name, data)
    raw = dict(members)
    parts = []
    for part_name, source in patched_sources(members):
        try:
            template = environment().from_string(source)
        except jinja2.TemplateSyntaxError:
            # Recompiled a paragraph a line, as docxtpl does, only to say where the fault is.
            lined = _PARAGRAPH_START.sub(r"\n<w:p\1", source)
            try:
                environment().from_string(lined)
            except jinja2.TemplateSyntaxError as exc:
                raise TemplateError(name, f"{part_name}: template syntax error: {exc.message}", context=_near(lined, exc.lineno)) from exc
            raise  # pragma: no cover - the same source with line breaks parses the same way
        # patch_xml turns {%tc into a plain {% ... %}; the column marker survives only in docxtpl's
        # table fix-up, which is needed only where columns are looped.
        looped = b"{%tc" in raw[part_name] or b"{% tc" in raw[part_name]
        parts.append(_Part(part_name, template, has_tables_loops=looped))
    return PreparedTemplate(
        name=name, digest=digest, members=tuple(Member.of(n, d) for n, d in members), parts=tuple(parts)
    )


def _finish_xml(xml: str, *, tables: bool) -> bytes:
    """docxtpl's post-processing of a rendered part, as its own render does it, skipping the
    steps that would change nothing (each is a pass over the whole part)."""
    if "{_" in xml or "_}" in xml:
        xml = xml.replace("{_{", "{{").replace("}_}", "}}").replace("{_%", "{%").replace("%_}", "%}")
    body = xml[xml.find("?>") + 2 :] if xml.startswith("<?xml") else xml
    if any(marker in body for marker in "\n\t\a\f") and _MARKER_IN_TEXT.search(xml):
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
    provenance: Mapping[str, str] | None = None, digests: tuple[str, ...] | None = None,
) -> bytes:
    """Render `template` (or several composed into one) with `context`, prepared once per process."""
    paths = template if isinstance(template, tuple) else (template,)
    return prepare(paths, digests).render(
        context, properties=properties or Properties(title="", subject=""), provenance=provenance
    )
