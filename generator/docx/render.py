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
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
from docxtpl import DocxTemplate
from lxml import etree

from generator.docx.budget import OverBudget, overrun, render_budget
from generator.docx.compose import compose_pack
from generator.docx.footnotes import DOCUMENT, FOOTNOTES, Footnotes, with_footnotes_part
from generator.docx.hygiene import scrub
from generator.docx.list_restarts import NUMBERING, ListRestarts
from generator.docx.office_saves import office_slip, repaired, with_link_fields
from generator.docx.package import Member, Package, Properties, write_package
from generator.docx.package_check import active_content, declarations, missing_targets, read_file, read_members
from generator.docx.part_ids import PartIds, writes_ids
from generator.docx.sandbox import environment
from generator.docx.table_grid import MissingGrid, fix_grids, fix_marked, mark_tables
from generator.docx.template_source import near, one_tag_a_line, syntax_error_line, tag_at
from generator.errors import PackageError, TemplateError

# The parts docxtpl renders; core properties are written by grantdocs itself (package.py).
RENDERED_PARTS = re.compile(r"^word/(document|header\d*|footer\d*|footnotes)\.xml$")
# docxtpl's escapes for literal braces in a template, as Jinja expressions: replacing them after
# rendering (as docxtpl does) would also rewrite any "{_{" an input happened to contain.
_BRACE_ESCAPES = {"{_{": '{{ "{" ~ "{" }}', "}_}": '{{ "}" ~ "}" }}', "{_%": '{{ "{" ~ "%" }}', "%_}": '{{ "%" ~ "}" }}'}
_BRACE_ESCAPE = re.compile("|".join(map(re.escape, _BRACE_ESCAPES)))
# A rendered part (the largest real one, a grant agreement's body, is ~100,000) beyond which
# a render is a runaway: what Word would take minutes to open, and no decision needs.
MAX_PART_CHARS = 20_000_000
_LISTING_MARKERS = "\n\t\a\f"  # what docxtpl's resolve_listing turns into breaks, tabs, paragraphs, pages


@dataclass(frozen=True)
class _Part:
    name: str
    source: str  # one tag a line, as compiled: error line numbers point into it
    template: jinja2.Template
    grids: Callable[[str], str] | None  # what puts a render's table grids right: none when no column is looped
    has_ids: bool  # writes drawing or paragraph ids (part_ids.writes_ids): renumbered after each render


@dataclass(frozen=True)
class PreparedTemplate:
    """A template ready to render many times: its package members and compiled XML parts."""

    name: str
    digest: str
    members: tuple[Member, ...]
    parts: tuple[_Part, ...]
    lists: ListRestarts | None = None  # lists the template restarts at 1, restarted at every copy
    notes: Footnotes | None = None  # notes the template writes as paragraphs, moved to the page foot

    def render(self, context: Mapping[str, Any], *, properties: Properties, provenance: Mapping[str, str] | None = None) -> Package:
        """The rendered .docx; TemplateError names the template, the part, the tag and the text around it."""
        rendered: dict[str, bytes] = {}
        try:
            with render_budget():
                self._render_parts(context, rendered)
        except OverBudget as exc:  # between two parts: no tag to name
            raise TemplateError(self.name, f"template stopped: {exc}") from exc
        members: list[tuple[str, bytes | Member]] = [(m.name, rendered.get(m.name, m)) for m in self.members]
        return write_package(members, properties=properties, provenance=provenance)

    def _render_parts(self, context: Mapping[str, Any], rendered: dict[str, bytes]) -> None:
        ids = PartIds()
        for part in self.parts:
            try:
                xml = part.template.render(dict(context))
            except (Exception, OverBudget) as exc:  # whatever a hand-edited template does, the user gets a located error
                raise self._error(part, exc) from exc
            if len(xml) > MAX_PART_CHARS:
                raise TemplateError(
                    self.name,
                    f"{part.name}: the rendered part has {len(xml):,} characters, more than "
                    f"{MAX_PART_CHARS:,}: a template repeating far more than a decision has?",
                )
            if self.lists is not None and part.name == "word/document.xml":
                xml, numbering = self.lists.apply(xml)
                if numbering is not None:
                    rendered[NUMBERING] = numbering
            try:
                rendered[part.name] = _finish_xml(xml, grids=part.grids, ids=ids if part.has_ids else None)
            except (
                Exception,
                OverBudget,
            ) as exc:  # the fix-ups assume tables as Word writes them; a part edited elsewhere may not have them
                raise TemplateError(self.name, f"{part.name}: cannot finish the rendered part: {_finishing_problem(exc)}") from exc
        if self.notes is not None and DOCUMENT in rendered and FOOTNOTES in rendered:
            try:
                moved = self.notes.apply(rendered[DOCUMENT], rendered[FOOTNOTES])
            except etree.LxmlError as exc:  # a part the template made into something other than XML
                raise TemplateError(self.name, f"cannot move the notes to the foot of the page: {exc}") from exc
            if moved is not None:
                rendered[DOCUMENT], rendered[FOOTNOTES] = moved

    def _error(self, part: _Part, exc: BaseException) -> TemplateError:
        lineno = _template_line(exc, part.template)
        if isinstance(exc, jinja2.UndefinedError):
            what = f"template refers to something the input does not have: {exc.message}"
        elif isinstance(exc, jinja2.exceptions.SecurityError):
            what = f"template tried something unsafe: {exc}"
        elif isinstance(exc, jinja2.TemplateNotFound):
            what = f"template tried to read the file {exc.name!r}: a template cannot include, import or extend files"
        elif (over := overrun(exc)) is not None:
            what = f"template stopped: {over}"
        elif isinstance(exc, jinja2.TemplateError):
            what = f"template error: {exc}"
        else:
            what = f"template failed: {type(exc).__name__}: {exc}"
        return TemplateError(self.name, f"{part.name}: {what.rstrip('.')}{_in_tag(part.source, lineno)}", context=near(part.source, lineno))


def _in_tag(source: str, lineno: int | None) -> str:
    tag = tag_at(source, lineno)
    return f", in the tag {tag}" if tag else ""


def _template_line(exc: BaseException, template: jinja2.Template) -> int | None:
    """The line of the template where `exc` arose. Jinja rewrites the frames of an Exception to
    template lines as it leaves the render; OverBudget (a BaseException) it lets pass as raised,
    in the compiled code's lines, which the template's debug info maps back."""
    line, tb = None, exc.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == "<template>":
            line = tb.tb_lineno
        tb = tb.tb_next
    if line is not None and isinstance(exc, OverBudget):
        return template.get_corresponding_lineno(line)
    return line


_PREPARED: dict[tuple[tuple[str, str], ...], PreparedTemplate] = {}


def prepare(paths: tuple[Path, ...], digests: tuple[str, ...] | None = None) -> PreparedTemplate:
    """The template at `paths[0]`, or several composed in order into one (each part from a new
    page), compiled once per process and content. Given the files' SHA-256 `digests` (a batch
    hashes every template once), a prepared template is found without reading the files again."""
    if digests is not None:
        found = _PREPARED.get(tuple(zip(map(str, paths), digests, strict=False)))
        if found is not None:
            return found
    datas = [read_template(path) for path in paths]
    key = tuple((str(path), hashlib.sha256(data).hexdigest()) for path, data in zip(paths, datas, strict=True))
    if key not in _PREPARED:
        if len(datas) == 1:
            _PREPARED[key] = _prepare(str(paths[0]), key[0][1], datas[0])
        else:
            # Composing the templates once, rather than each rendered pack, keeps a pack as fast as one document.
            composed = compose_pack(datas)
            _PREPARED[key] = _prepare(" + ".join(map(str, paths)), hashlib.sha256(composed).hexdigest(), composed)
    return _PREPARED[key]


def read_template(path: Path) -> bytes:
    """A template's bytes, read within bounds and checked to hold nothing that acts or fetches
    (generator.docx.package_check); TemplateError names the template and the part."""
    try:
        data = read_file(path, what="the template")
        members = read_members(data)
        # A template saved by Word links its owner's Normal.dotm: scrub removes that (and other traces) first.
        problems = declarations(members)
        if not problems:
            scrubbed = scrub(members)
            problems = active_content(scrubbed) + missing_targets(scrubbed)
    except FileNotFoundError:
        raise TemplateError(path, "template not found") from None
    except IsADirectoryError:
        raise TemplateError(path, "template not found (a folder of that name)") from None
    except OSError as exc:
        raise TemplateError(path, f"cannot read template: {exc.strerror}") from None
    except PackageError as exc:
        raise TemplateError(path, str(exc)) from None
    except etree.LxmlError as exc:  # a relationships or content-types part that is not XML
        raise TemplateError(path, f"not a Word document: {exc}") from None
    if problems:
        raise TemplateError(path, "; ".join(problems))
    return data


def template_members(name: str, data: bytes) -> list[tuple[str, bytes]]:
    """A template's package members, scrubbed of its owner's traces, as they are rendered."""
    try:
        return with_link_fields(scrub(read_members(data)))
    except PackageError as exc:
        raise TemplateError(name, str(exc)) from None
    except Exception as exc:  # lxml raises several kinds for parts that are not XML
        raise TemplateError(name, f"not a Word document: {exc}") from None


def patched_sources(members: list[tuple[str, bytes]]) -> list[tuple[str, str]]:
    """The Jinja source of each part that is rendered: docxtpl's rewriting of `{%p`, `{%tr`,
    `{%tc`, `{{r` and of tags split across runs, and the entities an office suite's save wrote
    into tags turned back into characters. `grantdocs templates check` reads the same."""
    patcher = DocxTemplate(io.BytesIO())  # only patch_xml is used, which needs no document
    return [
        (part_name, _BRACE_ESCAPE.sub(lambda m: _BRACE_ESCAPES[m.group()], repaired(patcher.patch_xml(xml_bytes.decode("utf-8")))))
        for part_name, xml_bytes in members
        if RENDERED_PARTS.match(part_name)
    ]


def _prepare(name: str, digest: str, data: bytes) -> PreparedTemplate:
    members = with_footnotes_part(template_members(name, data))
    raw = dict(members)
    parts = []
    for part_name, patched in patched_sources(members):
        source = one_tag_a_line(patched)
        # patch_xml turns {%tc into a plain {% ... %}, so the raw part tells where columns are
        # looped: only there can a table's grid need fixing (generator.docx.table_grid), and then
        # only in a table with a block tag, marked in the source compiled (the same lines).
        looped = b"{%tc" in raw[part_name] or b"{% tc" in raw[part_name]
        marked = mark_tables(source) if looped else None
        try:
            template = environment().from_string(marked or source)
        except jinja2.TemplateSyntaxError as exc:
            lineno = syntax_error_line(source, exc.message, exc.lineno)
            slip = office_slip(near(source, lineno))
            message = f"{part_name}: template syntax error: {exc.message}{_in_tag(source, lineno)}"
            message += f"; the tag holds {slip}" if slip else ""
            raise TemplateError(name, message, context=near(source, lineno)) from exc
        grids = None if not looped else fix_marked if marked else fix_grids
        parts.append(_Part(part_name, source, template, grids=grids, has_ids=writes_ids(source)))
    return PreparedTemplate(
        name=name,
        digest=digest,
        members=tuple(Member.of(n, d) for n, d in members),
        parts=tuple(parts),
        lists=ListRestarts.of(raw),
        notes=Footnotes.of(raw),
    )


def _finish_xml(xml: str, *, grids: Callable[[str], str] | None, ids: PartIds | None) -> bytes:
    """docxtpl's post-processing of a rendered part, as its own render does it, skipping the
    steps that would change nothing (each is a pass over the whole part): its table grids put
    right by `grids` (fix_grids, or fix_marked for a part compiled from mark_tables' source);
    then its ids renumbered, unless its template writes none (`ids` None)."""
    if _marker_in_text(xml):
        xml = DocxTemplate.resolve_listing(None, xml)  # uses no instance state
    if grids is not None:
        xml = grids(xml)
    return (ids.renumber(xml) if ids is not None else xml).encode("utf-8")


def _finishing_problem(exc: BaseException) -> str:
    if isinstance(exc, MissingGrid):
        return str(exc)
    over = overrun(exc)
    return str(over) if over is not None else f"{type(exc).__name__}: {exc}"


def _marker_in_text(xml: str) -> bool:
    """Whether a listing marker is in the text of a w:t (not, say, after the XML declaration).
    Markers are rare, so each is looked up, rather than every w:t scanned by a regex."""
    for marker in _LISTING_MARKERS:
        at = xml.find(marker)
        while at != -1:
            if xml.startswith(("<w:t>", "<w:t "), xml.rfind("<", 0, at)):
                return True
            at = xml.find(marker, at + 1)
    return False


def render_package(
    template: Path | tuple[Path, ...],
    context: Mapping[str, Any],
    *,
    properties: Properties | None = None,
    provenance: Mapping[str, str] | None = None,
    digests: tuple[str, ...] | None = None,
) -> Package:
    """Render `template` (or several composed into one) with `context`, prepared once per process."""
    paths = template if isinstance(template, tuple) else (template,)
    return prepare(paths, digests).render(context, properties=properties or Properties(title="", subject=""), provenance=provenance)
