"""The facts an accessibility check judges of a .docx (generator.checks.accessibility), read
straight from its XML parts: core properties, paragraphs with their styles' heading levels and
lists, tables' header rows and merged cells, images' alt text.
"""

from __future__ import annotations

import re
import weakref
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, NamedTuple

from docx.oxml.ns import qn
from lxml import etree

from generator.docx.body_scan import Body, plain_block, plain_tail, scan_body
from generator.docx.ooxml import W, first_child, parse_part, text_of
from generator.docx.package_check import declarations, read_members
from generator.docx.read import read_docx
from generator.docx.styles import StyleTable, outline_level, style_table
from generator.errors import PackageError

_WP_NS = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
_DECORATIVE_NS = "http://schemas.microsoft.com/office/drawing/2017/decorative"
_VML_NS = "urn:schemas-microsoft-com:vml"
_CORE_NS = {"dc": "http://purl.org/dc/elements/1.1/", "cp": "http://schemas.openxmlformats.org/package/2006/metadata/core-properties"}
_VAL, _TYPE = qn("w:val"), qn("w:type")
_BODY, _P, _TBL, _TR, _TC, _SDT, _SDT_CONTENT, _BR = (
    qn(t) for t in ("w:body", "w:p", "w:tbl", "w:tr", "w:tc", "w:sdt", "w:sdtContent", "w:br")
)
_P_PR, _P_STYLE, _SECT_PR, _OUTLINE_LVL = qn("w:pPr"), qn("w:pStyle"), qn("w:sectPr"), qn("w:outlineLvl")
_NUM_PR, _NUM_ID_TAG = qn("w:numPr"), qn("w:numId")
_TBL_HEADER = f"{qn('w:trPr')}/{qn('w:tblHeader')}"
_GRID_SPAN = qn("w:gridSpan")
# By an element's tag, which lxml types wider than str.
_MERGE_NAMES: dict[object, str] = {qn(tag): tag for tag in ("w:gridSpan", "w:vMerge", "w:hMerge")}
_DOC_PR, _DECORATIVE = f"{{{_WP_NS}}}docPr", f"{{{_DECORATIVE_NS}}}decorative"
_VML_SHAPE, _VML_IMAGEDATA = f"{{{_VML_NS}}}shape", f"{{{_VML_NS}}}imagedata"
_MERGE_MARKS = etree.XPath(
    "./w:tr/w:tc/w:tcPr/*[self::w:gridSpan or self::w:vMerge or self::w:hMerge]",
    namespaces={"w": W},
)
# Anything that makes a paragraph more than spacing: text is checked separately.
_CONTENT = tuple(
    qn(t)
    for t in (
        "w:drawing",
        "w:pict",
        "w:object",
        "w:fldSimple",
        "w:fldChar",
        "w:instrText",
        "w:sym",
        "w:footnoteReference",
        "w:endnoteReference",
    )
) + ("{http://schemas.openxmlformats.org/officeDocument/2006/math}oMath",)


class ParagraphFacts(NamedTuple):
    """A body paragraph (not one in a table cell), numbered from 1 as Word's body counts them.
    (A named tuple: a document has hundreds, and a tuple is made several times faster.)"""

    number: int
    text: str
    style: str  # the style's name as Word shows it, "Heading 1"
    heading_level: int | None  # 1-9 from the outline level of the paragraph or its style, or a "Heading N" style
    in_list: bool  # numbered by Word (its own or its style's list) or in a "List …" style
    empty: bool  # no text, drawing, field, symbol, note reference or page/column break
    section_break: bool  # holds the section properties of a section that ends here
    after_table: bool  # the block just before it is a table
    before_table: bool  # the block just after it is a table
    last: bool  # the last paragraph of the body


# A ParagraphFacts made from its fields in order as a tuple is made: the named tuple's own
# constructor is Python code, a call for each paragraph of every document.
_new_tuple = tuple.__new__


@dataclass(frozen=True)
class TableFacts:
    number: int  # every table in document order, nested tables included
    header_repeats: bool  # the first row is marked w:tblHeader
    merged: tuple[tuple[int, int, str], ...]  # (row, cell, "w:gridSpan" | "w:vMerge" | "w:hMerge"), from 1


@dataclass(frozen=True)
class ImageFacts:
    part: str  # "word/document.xml", "word/header1.xml" …
    name: str
    alt: str
    decorative: bool


@dataclass(frozen=True)
class DocxFacts:
    title: str
    subject: str
    core_language: str
    default_language: str | None  # w:docDefaults run properties
    default_style_language: str | None  # the default paragraph style's run properties
    paragraphs: tuple[ParagraphFacts, ...]
    tables: tuple[TableFacts, ...]
    images: tuple[ImageFacts, ...]


def accessibility_facts(source: Path | bytes | Mapping[str, bytes]) -> DocxFacts:
    """What an accessibility check needs from a .docx, read straight from its XML parts (fast).

    `source` is a file, its bytes, or its parts by name (as a render has them, unzipped).
    Raises PackageError, or ValueError for a package that is not a readable Word document."""
    if isinstance(source, Mapping):
        parts = {n: data for n, data in source.items() if _FACT_PARTS.fullmatch(n)}
    else:
        members = read_members(source if isinstance(source, bytes) else read_docx(source))
        problems = declarations(members)
        if problems:
            raise PackageError(problems[0])
        parts = {n: data for n, data in members if _FACT_PARTS.fullmatch(n)}
    if "word/document.xml" not in parts:
        raise ValueError("not a Word document: no word/document.xml")
    try:
        return _facts(parts)
    except etree.XMLSyntaxError as exc:
        raise ValueError(f"malformed XML: {exc}") from None


_FACT_PARTS = re.compile(r"word/document\.xml|word/styles\.xml|docProps/core\.xml|word/(header|footer)\d*\.xml|word/(foot|end)notes\.xml")


def _facts(parts: dict[str, bytes]) -> DocxFacts:
    core = parse_part(parts["docProps/core.xml"]) if "docProps/core.xml" in parts else None

    def coretext_of(tag: str) -> str:
        found = core.find(tag, _CORE_NS) if core is not None else None
        return (found.text or "").strip() if found is not None else ""

    styles = style_table(parts.get("word/styles.xml"))
    paragraphs, tables, document_images = _body(parts["word/document.xml"], styles)
    images: list[ImageFacts] = []
    for part, data in sorted(parts.items()):
        if part == "word/document.xml":
            images += document_images
        elif part.startswith("word/") and part != "word/styles.xml" and (b"docPr" in data or b"imagedata" in data):
            images += _part_images(part, data)  # a part naming neither holds no image (a report's notes, most headers)
    return DocxFacts(
        title=coretext_of("dc:title"),
        subject=coretext_of("dc:subject"),
        core_language=coretext_of("dc:language"),
        default_language=styles.default_language,
        default_style_language=styles.language(styles.default),
        paragraphs=paragraphs,
        tables=tables,
        images=tuple(images),
    )


# What a paragraph's own text and properties give its facts (all but where it stands), and each
# table's (header row repeats, merged cells) for a table and the tables inside it.
_Judged = tuple[str, str, int | None, bool, bool, bool]
_TableJudged = tuple[tuple[bool, tuple[tuple[int, int, str], ...]], ...]
_OPENINGS_MAX = 8


class _Judgements:
    """What was judged of each block under one styles part and opening, in two generations: a
    block seen once (an input's own title) is kept among the young, which are forgotten
    wholesale past YOUNG; one seen again (the template's own text) moves to the kept, bounded by
    KEPT. So a batch remembers its templates' blocks, not every input's: memory stays flat."""

    YOUNG, KEPT = 512, 4096

    def __init__(self) -> None:
        self.young: dict[bytes, Any] = {}
        self.kept: dict[bytes, Any] = {}

    def get(self, text: bytes) -> Any:
        found = self.kept.get(text)
        return found if found is not None else self.promoted(text)

    def promoted(self, text: bytes) -> Any:
        """What was judged of `text` when it was seen once before, kept from now on; None if it was not."""
        found = self.young.pop(text, None)
        if found is not None:
            if len(self.kept) >= self.KEPT:
                self.kept.clear()
            self.kept[text] = found
        return found

    def put(self, text: bytes, judged: Any) -> None:
        if len(self.young) >= self.YOUNG:
            self.young.clear()
        self.young[text] = judged

    def __len__(self) -> int:
        return len(self.young) + len(self.kept)


# What was judged under each styles part (a paragraph's facts are the same wherever its text
# recurs under the same styles), by the document opening it was judged within; forgotten with
# the styles part's table (style_table keeps a few).
_JUDGED: weakref.WeakKeyDictionary[StyleTable, dict[bytes, _Judgements]] = weakref.WeakKeyDictionary()


def _body(document: bytes, styles: StyleTable) -> tuple[tuple[ParagraphFacts, ...], tuple[TableFacts, ...], list[ImageFacts]]:
    """The body's paragraphs and tables, and the document part's images. A block written exactly
    as one judged before under the same styles is not judged again (body_scan); a body the scan
    does not read is parsed whole."""
    body = scan_body(document)
    if body is not None:
        try:
            scanned = _scanned_body(body, styles)
        except etree.XMLSyntaxError:  # not well-formed, or XML only in the tree's context: the tree says which
            scanned = None
        if scanned is not None:
            return (*scanned, [])  # the scan reads no body with images
    root = parse_part(document)
    element = root.find(_BODY)
    if element is None:
        raise ValueError("not a Word document: word/document.xml has no body")
    blocks = list(_body_blocks(element))
    is_table = [b.tag == _TBL for b in blocks]
    judged = [None if table else _judge_paragraph(b, styles) for b, table in zip(blocks, is_table, strict=True)]
    return _placed(is_table, judged), _numbered(_judge_tables(element)), _images("word/document.xml", root)


def _scanned_body(body: Body, styles: StyleTable) -> tuple[tuple[ParagraphFacts, ...], tuple[TableFacts, ...]] | None:
    """The facts of a scanned body, or None if a block or its tail is not one the scan places exactly."""
    judged_blocks = _JUDGED.setdefault(styles, {})
    if len(judged_blocks) > _OPENINGS_MAX:
        judged_blocks.clear()
    memo = judged_blocks.get(body.opening)  # the opening declares the prefixes each block's tags use
    if memo is None:
        memo = judged_blocks[body.opening] = _Judgements()

    if memo.get(body.tail) is None:  # the section's properties and the rest: well-formed, as a whole parse would check
        if not plain_tail(body.tail):
            return None
        body.parsed(body.tail)
        memo.put(body.tail, True)
    judgements = _judgements(body, memo, styles)
    if judgements is None:
        return None
    is_table = [kind == b"tbl" for kind, _ in body.blocks]
    tables = [table for block_is_table, found in zip(is_table, judgements, strict=True) if block_is_table for table in found]
    return _placed(is_table, judgements), _numbered(tables)


def _judgements(body: Body, memo: _Judgements, styles: StyleTable) -> list[Any] | None:
    """What was judged of each block of `body`, in order (a paragraph's `_Judged`, a table's
    `_TableJudged`): remembered, or judged now and remembered among the young. None if a block not
    judged before is not one the scan places exactly.

    The blocks not judged before are judged from one parse of them all within the document's
    opening, not a parse each: parsing that opening (its root declares some thirty namespaces) is
    most of what a block's own parse costs, and a document whose text is its own has a hundred
    blocks to judge. Parsed together, the blocks give each the element it gives alone, or fail as
    one of them alone fails: each is a single element's text (from its start tag to the first end
    tag of its name, no block nested in it, no comment, CDATA or processing instruction:
    plain_block), so none can end in another. A parse giving another count of elements is left to
    the tree all the same."""
    found: list[Any] = []
    unseen: dict[bytes, bytes] = {}  # each text not judged before, once, with its kind
    kept = memo.kept  # most blocks are the templates' own, found there: looked up without a call
    for kind, text in body.blocks:
        judged = kept.get(text)
        if judged is None:
            judged = memo.promoted(text)
            if judged is None:
                unseen[text] = kind
        found.append(judged)
    if not unseen:
        return found
    if not all(plain_block(kind, text) for text, kind in unseen.items()):
        return None
    elements = list(body.parsed(b"".join(unseen)))
    if len(elements) != len(unseen):
        return None
    judged_now = {}
    for (text, kind), element in zip(unseen.items(), elements, strict=True):
        judged_now[text] = _judge_tables(element) if kind == b"tbl" else _judge_paragraph(element, styles)
        memo.put(text, judged_now[text])
    return [judged if judged is not None else judged_now[text] for judged, (_, text) in zip(found, body.blocks, strict=True)]


def _numbered(tables: Iterable[tuple[bool, tuple[tuple[int, int, str], ...]]]) -> tuple[TableFacts, ...]:
    """Each table's facts (header row repeats, merged cells) with its number, in document order."""
    return tuple(TableFacts(n, header, merged) for n, (header, merged) in enumerate(tables, start=1))


def _placed(is_table: list[bool], judged: list[Any]) -> tuple[ParagraphFacts, ...]:
    """Each paragraph's facts with where it stands among the blocks: `is_table` tells the tables,
    `judged` gives each paragraph's own facts (`_Judged`; a table's is not read). A document has a
    hundred blocks or more: each made as a tuple is (`_new_tuple`)."""
    paragraphs: list[ParagraphFacts] = []
    last = len(is_table) - 1
    for i, found in enumerate(judged):
        if not is_table[i]:
            place = (i > 0 and is_table[i - 1], i < last and is_table[i + 1], i == last)
            paragraphs.append(_new_tuple(ParagraphFacts, (len(paragraphs) + 1, *found, *place)))
    return tuple(paragraphs)


def _judge_paragraph(block: etree._Element, styles: StyleTable) -> _Judged:
    style_id, outline, num_id, section_break = _own_properties(block)
    style_id = style_id or styles.default
    text = text_of(block)
    return (
        text,
        styles.name(style_id),
        outline_level(outline.get(_VAL)) if outline is not None else styles.heading_level(style_id),
        num_id.get(_VAL) != "0" if num_id is not None else styles.in_list(style_id),
        not text.strip() and not _has_content(block),
        section_break,
    )


def _judge_tables(element: etree._Element) -> _TableJudged:
    """(header row repeats, merged cells) of every table in `element` (itself too), in document order."""
    found = []
    for tbl in element.iter(_TBL):
        first_row = tbl.find(_TR)
        header = first_row.find(_TBL_HEADER) if first_row is not None else None
        merged = []
        # Merge marks are rare: find them first, and count rows and cells only for those found.
        marks: list[etree._Element] = _MERGE_MARKS(tbl)  # elements, by its path (lxml types an XPath's result Any)
        for mark in marks:
            if mark.tag == _GRID_SPAN and mark.get(_VAL) in ("1", None):
                continue
            cell = _parent(_parent(mark))  # w:tc/w:tcPr/mark, by _MERGE_MARKS' path
            row = _parent(cell)
            r = sum(1 for _ in row.itersiblings(_TR, preceding=True)) + 1
            c = sum(1 for _ in cell.itersiblings(_TC, preceding=True)) + 1
            merged.append((r, c, _MERGE_NAMES[mark.tag]))
        found.append((header is not None and header.get(_VAL) not in ("0", "false", "off"), tuple(sorted(merged))))
    return tuple(found)


def _images(part: str, root: etree._Element) -> list[ImageFacts]:
    images = []
    for pr in root.iter(_DOC_PR):
        decorative = any(d.get("val") in ("1", "true") for d in pr.iter(_DECORATIVE))
        images.append(ImageFacts(part, pr.get("name") or "", (pr.get("descr") or "").strip(), decorative))
    for shape in root.iter(_VML_SHAPE):
        if shape.find(_VML_IMAGEDATA) is not None:
            images.append(ImageFacts(part, shape.get("id") or "", (shape.get("alt") or "").strip(), False))
    return images


@lru_cache(maxsize=64)
def _part_images(part: str, data: bytes) -> tuple[ImageFacts, ...]:
    """The images of a header, footer or notes part: the same few bytes in most documents of a batch."""
    return tuple(_images(part, parse_part(data)))


def _parent(element: etree._Element) -> etree._Element:
    parent = element.getparent()
    if parent is None:
        raise ValueError(f"w:{etree.QName(element).localname} is not in a table")
    return parent


def _body_blocks(container: etree._Element) -> Iterator[etree._Element]:
    """Paragraphs and tables at the top level, looking through content controls."""
    for child in container.iterchildren(_P, _TBL, _SDT):
        if child.tag != _SDT:
            yield child
        else:
            content = child.find(_SDT_CONTENT)
            if content is not None:
                yield from _body_blocks(content)


def _own_properties(paragraph: etree._Element) -> tuple[str | None, etree._Element | None, etree._Element | None, bool]:
    """(style id, w:outlineLvl, w:numId, holds a section break) from the paragraph's own
    properties, each the first given; one pass over them, as every paragraph is asked."""
    first: dict[object, etree._Element] = {}  # by tag, which lxml types as str, bytes or QName
    p_pr = first_child(paragraph, _P_PR)
    if p_pr is not None:
        for prop in p_pr.iterchildren(_P_STYLE, _OUTLINE_LVL, _NUM_PR, _SECT_PR):
            first.setdefault(prop.tag, prop)
    p_style, num_pr = first.get(_P_STYLE), first.get(_NUM_PR)
    num_id = first_child(num_pr, _NUM_ID_TAG) if num_pr is not None else None
    return (p_style.get(_VAL) if p_style is not None else None), first.get(_OUTLINE_LVL), num_id, _SECT_PR in first


def _has_content(paragraph: etree._Element) -> bool:
    if any(True for _ in paragraph.iter(*_CONTENT)):
        return True
    return any(br.get(_TYPE) in ("page", "column") for br in paragraph.iter(_BR))
