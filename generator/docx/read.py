"""Reading a .docx back as text: what changed between two outputs, what a test expects.

`document_lines` reads through python-docx's document model (styles, headers, footers);
`text_blocks` parses the body's XML itself, many times faster, for comparing two renders.
Both read the footnotes after the body, numbered as Word numbers them: in the order of their
marks (python-docx itself reads neither a footnote nor its mark).
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

from docx import Document
from docx.document import Document as DocxDocument
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph
from lxml import etree

from generator.docx.ooxml import parse_part, text_of
from generator.docx.package_check import declarations, read_file, read_members
from generator.docx.parts import Parts
from generator.errors import PackageError, quoted_path

_BODY, _P, _TBL, _TR, _TC = (qn(t) for t in ("w:body", "w:p", "w:tbl", "w:tr", "w:tc"))
_FOOTNOTE, _REFERENCE, _ID = qn("w:footnote"), qn("w:footnoteReference"), qn("w:id")
# What a paragraph's text is made of, as python-docx reads it, and a footnote's mark.
_TEXT_PARTS = {qn("w:t"): None, qn("w:tab"): "\t", qn("w:br"): "\n", qn("w:cr"): "\n", qn("w:noBreakHyphen"): "-", _REFERENCE: None}


def document_lines(path: Path | bytes) -> list[str]:
    """The document as lines: `[Style] text` for each paragraph, `| a | b |` for each table row,
    headers and footers first, so a golden file shows both words and structure."""
    data = path if isinstance(path, bytes) else read_docx(path)
    try:
        doc = Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises KeyError, ValueError and its own kinds for a damaged package
        raise PackageError(f"{_named(path)}not a Word document: {exc}") from None
    lines: list[str] = []
    for n, section in enumerate(doc.sections, start=1):
        for where, part in (("header", section.header), ("footer", section.footer)):
            for paragraph in part.paragraphs:
                if paragraph.text.strip():
                    lines.append(f"<{where} {n}> {paragraph.text.strip()}")
    marks = _marks(doc.element.body)
    for block in _blocks(doc):
        if isinstance(block, Paragraph):
            lines.append(f"[{block.style.name if block.style is not None else ''}] {_text(block, marks)}".rstrip())
        else:
            header = block.rows[0]._tr.trPr is not None and bool(block.rows[0]._tr.trPr.xpath("./w:tblHeader"))
            for i, row in enumerate(block.rows):
                cells = [" / ".join(p.text for p in cell.paragraphs if p.text) for cell in row.cells]
                mark = "|h|" if (i == 0 and header) else "|"
                lines.append(f"{mark} " + " | ".join(cells) + " |")
    notes = _footnotes(doc)
    lines += [f"<footnote {number}> {notes.get(note, '')}".rstrip() for note, number in marks.items()]
    return lines


def _marks(body: etree._Element) -> dict[str, str]:
    """Each footnote's number, by its id: Word numbers footnotes in the order of their marks."""
    marks: dict[str, str] = {}
    for reference in body.iter(_REFERENCE):
        if reference.get(qn("w:customMarkFollows")) not in ("1", "true", "on"):
            marks.setdefault(reference.get(_ID, ""), str(len(marks) + 1))
    return marks


def _text(paragraph: Paragraph, marks: dict[str, str]) -> str:
    """The paragraph's text, with the number of each footnote marked in it."""
    if paragraph._p.find(f".//{_REFERENCE}") is None:
        return paragraph.text
    return _xml_text(paragraph._p, marks)


def _xml_text(paragraph: etree._Element, marks: dict[str, str]) -> str:
    pieces = []
    for element in paragraph.iter(*_TEXT_PARTS):
        if element.tag == _REFERENCE:
            pieces.append(marks.get(element.get(_ID, ""), ""))
        else:
            pieces.append(_TEXT_PARTS[str(element.tag)] or element.text or "")
    return "".join(pieces)


def _footnotes(doc: DocxDocument) -> dict[str, str]:
    """The text of each footnote by its id, its paragraphs joined by " / "."""
    try:
        part = doc.part.part_related_by(RT.FOOTNOTES)
    except KeyError:
        return {}
    return {
        note.get(_ID, ""): " / ".join(t for p in note.iter(_P) if (t := _xml_text(p, {}).strip()))
        for note in parse_part(part.blob).iter(_FOOTNOTE)
    }


def read_docx(path: Path) -> bytes:
    """A .docx file's bytes, within bounds and with no entity declarations for a parser to expand;
    PackageError naming the file for anything else."""
    return read_package(path)[0]


def read_package(path: Path) -> tuple[bytes, Parts]:
    """A .docx file's bytes and its parts, each read once (as read_docx checks them)."""
    try:
        data = read_file(path)
        members = read_members(data)
    except OSError as exc:
        raise PackageError(f"{quoted_path(path)}: cannot read it: {exc.strerror or exc}") from None
    except PackageError as exc:
        raise PackageError(f"{quoted_path(path)}: {exc}") from None
    problems = declarations(members)
    if problems:
        raise PackageError(f"{quoted_path(path)}: {problems[0]}")
    return data, Parts(dict(members))


def _named(path: Path | bytes) -> str:
    return "" if isinstance(path, bytes) else f"{quoted_path(path)}: "


def _blocks(doc: DocxDocument) -> Iterator[Paragraph | Table]:
    body = doc.element.body
    for child in body.iterchildren():
        if child.tag.endswith("}p"):
            yield Paragraph(child, doc)
        elif child.tag.endswith("}tbl"):
            yield Table(child, doc)


TEXT_PART_NAMES = frozenset({"word/document.xml", "word/footnotes.xml"})  # the parts text_blocks reads


def text_blocks(source: bytes | Parts) -> list[tuple[str, ...]]:
    """The body as blocks, fast (one XML parse, no document model): a paragraph is a 1-tuple
    of its text, a table row the tuple of its cells' texts. For comparing two renders.
    PackageError for anything that is not a readable Word document."""
    parts = source if isinstance(source, Parts) else Parts(source, only=TEXT_PART_NAMES)
    document = parts.root("word/document.xml")
    if document is None:
        raise PackageError("not a Word document: no word/document.xml")
    body = document.find(_BODY)
    if body is None:
        raise PackageError("not a Word document: word/document.xml has no body")
    blocks: list[tuple[str, ...]] = []
    for child in body.iterchildren(_P, _TBL):
        if child.tag == _P:
            blocks.append((text_of(child),))
        else:
            for row in child.iter(_TR):
                blocks.append(tuple(text_of(cell) for cell in row.iter(_TC)))
    if parts.get("word/footnotes.xml") is not None and (marks := _marks(body)):
        footnotes = parts.root("word/footnotes.xml")
        assert footnotes is not None
        notes = {n.get(_ID, ""): n for n in footnotes.iter(_FOOTNOTE)}
        blocks += [(f"{number} {text_of(notes[note]).strip()}",) for note, number in marks.items() if note in notes]
    return blocks
