"""Accessibility checks of published documents (DOMAIN.md §6: the Public Sector Bodies
Accessibility Regulations 2018, WCAG 2.2 AA applied to documents).

A .docx needs: a title and subject in its core properties; its language set to en-GB; headings
in Heading styles (outline levels) that start at level 1 or 2 and never skip a level going down;
lists in list styles, not typed markers; a repeating header row and no merged cells in every
table; no empty paragraphs used as spacing; alt text on every image that is not decorative.

A PDF needs: tagging (/MarkInfo /Marked true and a /StructTreeRoot); /Lang en-GB; a title in its
metadata, shown by the viewer (/ViewerPreferences /DisplayDocTitle); every font embedded.

Each check returns every problem found, each naming the file, where and what. The .docx is read
through `generator.docx.facts.accessibility_facts` (the XML stays in generator.docx), the PDF
with pypdf.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from generator.docx.facts import DocxFacts, ParagraphFacts, accessibility_facts
from generator.docx.package_check import read_file
from generator.domain.common.base import TYPED_LIST_MARKER
from generator.errors import GeneratorError, PackageError, one_line

if TYPE_CHECKING:  # pypdf is imported when a PDF is checked
    from pypdf import PageObject, PdfReader

LANGUAGE = "en-GB"
SUFFIXES = (".docx", ".pdf")

_SNIPPET = 30


@dataclass(frozen=True)
class AccessibilityProblem:
    """One accessibility failure: the file, where in it (may be empty for the whole file), what."""

    path: Path
    where: str
    message: str

    def __str__(self) -> str:
        text = f"{self.path}: {self.where}: {self.message}" if self.where else f"{self.path}: {self.message}"
        return one_line(text)


class AccessibilityError(GeneratorError):
    """Documents were written but are not accessible; carries every problem found."""

    def __init__(self, problems: list[AccessibilityProblem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


def check_file(path: Path) -> list[AccessibilityProblem]:
    """Check a .docx or a .pdf, by its suffix."""
    suffix = path.suffix.lower()
    if suffix == ".docx":
        return check_docx(path)
    if suffix == ".pdf":
        return check_pdf(path)
    raise ValueError(f"{path}: not a .docx or .pdf")


def require_accessible(outputs: Iterable[tuple[Path, bytes | Mapping[str, bytes]]]) -> None:
    """Check each (path, .docx bytes or parts); raise AccessibilityError with every problem of them all."""
    problems = [problem for path, data in outputs for problem in check_docx(path, data)]
    if problems:
        raise AccessibilityError(problems)


# --------------------------------------------------------------------------- .docx


def check_docx(path: Path, data: bytes | Mapping[str, bytes] | None = None) -> list[AccessibilityProblem]:
    """Every accessibility problem of the Word document at `path` (or `data`, named `path`: its
    bytes, or its parts by name as a render has them)."""
    try:
        facts = accessibility_facts(data if data is not None else read_file(path))
    except PackageError as exc:
        return [AccessibilityProblem(path, "", str(exc))]
    except (OSError, KeyError, ValueError) as exc:
        return [AccessibilityProblem(path, "", f"cannot read as a Word document: {exc}")]
    found: list[tuple[str, str]] = []
    found += _properties(facts)
    found += _language(facts)
    found += _headings(facts.paragraphs)
    found += _typed_lists(facts.paragraphs)
    found += _spacing(facts.paragraphs)
    for table in facts.tables:
        if not table.header_repeats:
            found.append((f"table {table.number}, row 1", "header row not marked to repeat on each page (w:tblHeader)"))
        for row, cell, tag in table.merged:
            found.append((f"table {table.number}, row {row}, cell {cell}", f"merged cell ({tag}): a data table must not merge cells"))
    for image in facts.images:
        if not image.alt and not image.decorative:
            part = "" if image.part == "word/document.xml" else f" in {Path(image.part).stem}"
            found.append((f"image '{image.name}'{part}", "no alt text (wp:docPr descr), and not marked decorative"))
    return [AccessibilityProblem(path, where, message) for where, message in found]


def _properties(facts: DocxFacts) -> list[tuple[str, str]]:
    found = []
    if not facts.title:
        found.append(("", "no document title (core property Title)"))
    if not facts.subject:
        found.append(("", "no document subject (core property Subject)"))
    return found


def _language(facts: DocxFacts) -> list[tuple[str, str]]:
    sources = [
        (facts.default_language, "the default run properties (w:docDefaults w:lang)"),
        (facts.default_style_language, "the default paragraph style (w:lang)"),
        (facts.core_language or None, "core property Language"),
    ]
    if not any(value for value, _ in sources):
        return [("", f"no document language: set {LANGUAGE} in the default run properties (w:docDefaults w:lang)")]
    return [
        ("", f"language is '{value}', not {LANGUAGE}, in {where}")
        for value, where in sources
        if value and value.lower() != LANGUAGE.lower()
    ]


def _headings(paragraphs: Iterable[ParagraphFacts]) -> list[tuple[str, str]]:
    found = []
    previous: int | None = None
    for p in paragraphs:
        level = p.heading_level
        if level is None:
            continue
        if previous is None and level > 2:
            found.append((_where(p), f"the first heading is level {level} ({p.style}): a document starts at heading level 1 or 2"))
        elif previous is not None and level > previous + 1:
            found.append((_where(p), f"heading level jumps from {previous} to {level} ({p.style}): levels go down one at a time"))
        previous = level
    return found


def _typed_lists(paragraphs: Iterable[ParagraphFacts]) -> list[tuple[str, str]]:
    found = []
    for p in paragraphs:
        if p.in_list or p.heading_level is not None:  # told by the facts, before the pattern is tried on the text
            continue
        match = TYPED_LIST_MARKER.match(p.text)  # the rule the input models apply to text
        if match:
            found.append((_where(p), f"typed list marker '{match.group().strip()}' in a paragraph of style '{p.style}': use a list style"))
    return found


def _spacing(paragraphs: tuple[ParagraphFacts, ...]) -> list[tuple[str, str]]:
    """Empty paragraphs, except the ones Word needs: between two tables (else they join), ending
    the document after a table (a body ends with a paragraph), holding a section break."""
    found = []
    for i, p in enumerate(paragraphs):
        if not p.empty or p.section_break or (p.after_table and (p.before_table or p.last)):
            continue
        if p.after_table:
            after = "after a table"
        elif i > 0 and paragraphs[i - 1].text.strip():
            after = f"after '{_snippet(paragraphs[i - 1].text)}'"
        else:
            after = "at the start" if i == 0 else "after an empty paragraph"
        found.append((f"paragraph {p.number} (empty, {after})", "empty paragraph used as spacing: use the style's space before/after"))
    return found


def _where(p: ParagraphFacts) -> str:
    return f"paragraph {p.number} '{_snippet(p.text)}'"


def _snippet(text: str) -> str:
    text = " ".join(text.split())
    if len(text) <= _SNIPPET:
        return text
    cut = text[:_SNIPPET]
    return (cut[: cut.rfind(" ")] if " " in cut else cut) + " …"


# --------------------------------------------------------------------------- PDF


def check_pdf(path: Path) -> list[AccessibilityProblem]:
    """Every accessibility problem of the PDF at `path`: tagging, language, title, fonts."""
    from pypdf import PdfReader

    # pypdf logs what it repairs in a damaged file; the problem line below says what matters.
    logging.getLogger("pypdf").addHandler(logging.NullHandler())
    logging.getLogger("pypdf").propagate = False

    try:
        reader = PdfReader(io.BytesIO(read_file(path, what="the PDF")))
        return _pdf_problems(path, reader)
    except (OSError, PackageError) as exc:
        return [AccessibilityProblem(path, "", f"cannot read as a PDF: {exc}")]
    except Exception as exc:  # pypdf meets a hostile file with many kinds of error (recursion, types, indices)
        return [AccessibilityProblem(path, "", f"cannot read as a PDF: {type(exc).__name__}: {exc}")]


def _pdf_problems(path: Path, reader: Any) -> list[AccessibilityProblem]:
    from pypdf.generic import DictionaryObject

    catalog = reader.trailer["/Root"].get_object()
    pages = list(reader.pages)
    if not isinstance(catalog, DictionaryObject):
        return [AccessibilityProblem(path, "", "cannot read as a PDF: its catalog (/Root) is not a dictionary")]
    found: list[tuple[str, str]] = []
    mark_info = _resolve(catalog.get("/MarkInfo"))
    if not (mark_info is not None and _true(mark_info.get("/Marked"))):
        found.append(("", "not tagged: no /MarkInfo with /Marked true in the catalog"))
    if "/StructTreeRoot" not in catalog:
        found.append(("", "not tagged: no /StructTreeRoot (structure tree) in the catalog"))
    lang = _resolve(catalog.get("/Lang"))
    if not lang:
        found.append(("", f"no document language: no /Lang in the catalog (expected {LANGUAGE})"))
    elif str(lang).lower() != LANGUAGE.lower():
        found.append(("", f"language is '{lang}', not {LANGUAGE} (/Lang in the catalog)"))
    if not _pdf_title(reader):
        found.append(("", "no document title in the metadata (document information /Title or XMP dc:title)"))
    viewer = _resolve(catalog.get("/ViewerPreferences"))
    if not (viewer is not None and _true(viewer.get("/DisplayDocTitle"))):
        found.append(("", "the title is not shown: /ViewerPreferences /DisplayDocTitle is not true"))
    for name, page in _unembedded_fonts(pages):
        found.append((f"font '{name}' (page {page})", "not embedded (no FontFile, FontFile2 or FontFile3 in its font descriptor)"))
    return [AccessibilityProblem(path, where, message) for where, message in found]


# What a PDF dictionary holds is known only by looking (pypdf types its values PdfObject, or
# Any), so the walks below take and give Any, checking each object as they go.
def _resolve(value: Any) -> Any:
    return value.get_object() if value is not None and hasattr(value, "get_object") else value


def _true(value: Any) -> bool:
    value = _resolve(value)
    return value is True or getattr(value, "value", None) is True


def _pdf_title(reader: PdfReader) -> str:
    info = reader.metadata
    if info is not None and info.title and str(info.title).strip():
        return str(info.title)
    try:
        xmp = reader.xmp_metadata
        titles = xmp.dc_title if xmp is not None else None
    except Exception:
        titles = None
    return next((str(t) for t in (titles or {}).values() if t and str(t).strip()), "")


def _unembedded_fonts(pages: Iterable[PageObject]) -> list[tuple[str, int]]:
    """(font name, first page) of every font used without its program embedded: page resources,
    form XObjects and annotation appearances, looking into Type0 fonts' descendant fonts."""
    from pypdf.generic import StreamObject

    missing: dict[str, int] = {}
    seen: set[int] = set()

    def font_embedded(font: Any) -> bool:
        subtype = _resolve(font.get("/Subtype"))
        if subtype == "/Type3":  # glyphs are drawn by PDF content, nothing to embed
            return True
        if subtype == "/Type0":
            descendants = _resolve(font.get("/DescendantFonts")) or []
            return bool(descendants) and all(font_embedded(_resolve(d)) for d in descendants)
        descriptor = _resolve(font.get("/FontDescriptor"))
        return descriptor is not None and any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))

    def visit(resources: Any, page: int) -> None:
        resources = _resolve(resources)
        if resources is None or id(resources) in seen:
            return
        seen.add(id(resources))
        for ref in (_resolve(resources.get("/Font")) or {}).values():
            font = _resolve(ref)
            name = str(_resolve(font.get("/BaseFont")) or "unnamed").lstrip("/")
            if name not in missing and not font_embedded(font):
                missing[name] = page
            if _resolve(font.get("/Subtype")) == "/Type3":
                visit(font.get("/Resources"), page)
        for ref in (_resolve(resources.get("/XObject")) or {}).values():
            xobject = _resolve(ref)
            if _resolve(xobject.get("/Subtype")) == "/Form":
                visit(xobject.get("/Resources"), page)

    for number, page in enumerate(pages, start=1):
        visit(page.get("/Resources"), number)
        for annotation in _resolve(page.get("/Annots")) or []:
            appearance = _resolve(_resolve(annotation).get("/AP"))
            normal = _resolve(appearance.get("/N")) if appearance is not None else None
            if isinstance(normal, StreamObject):  # one appearance, or one per state (checkbox on/off)
                normal = {"": normal}
            for stream in (normal or {}).values():
                stream = _resolve(stream)
                if isinstance(stream, StreamObject):
                    visit(stream.get("/Resources"), number)
    return sorted(missing.items(), key=lambda item: (item[1], item[0]))
