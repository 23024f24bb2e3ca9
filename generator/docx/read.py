"""Reading a .docx back as text: what changed between two outputs, what a test expects.

`document_lines` reads through python-docx's document model (styles, headers, footers);
`text_blocks` parses the body's XML itself, many times faster, for comparing two renders.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

from docx import Document
from docx.document import Document as DocxDocument
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph
from lxml import etree

from generator.docx.ooxml import parse_part, text_of
from generator.docx.package_check import declarations, read_file, read_members
from generator.errors import PackageError, quoted_path

_BODY, _P, _TBL, _TR, _TC = (qn(t) for t in ("w:body", "w:p", "w:tbl", "w:tr", "w:tc"))


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
    for block in _blocks(doc):
        if isinstance(block, Paragraph):
            lines.append(f"[{block.style.name if block.style is not None else ''}] {block.text}".rstrip())
        else:
            header = block.rows[0]._tr.trPr is not None and bool(block.rows[0]._tr.trPr.xpath("./w:tblHeader"))
            for i, row in enumerate(block.rows):
                cells = [" / ".join(p.text for p in cell.paragraphs if p.text) for cell in row.cells]
                mark = "|h|" if (i == 0 and header) else "|"
                lines.append(f"{mark} " + " | ".join(cells) + " |")
    return lines


def read_docx(path: Path) -> bytes:
    """A .docx file's bytes, within bounds and with no entity declarations for a parser to expand;
    PackageError naming the file for anything else."""
    try:
        data = read_file(path)
        problems = declarations(read_members(data))
    except OSError as exc:
        raise PackageError(f"{quoted_path(path)}: cannot read it: {exc.strerror or exc}") from None
    except PackageError as exc:
        raise PackageError(f"{quoted_path(path)}: {exc}") from None
    if problems:
        raise PackageError(f"{quoted_path(path)}: {problems[0]}")
    return data


def _named(path: Path | bytes) -> str:
    return "" if isinstance(path, bytes) else f"{quoted_path(path)}: "


def _blocks(doc: DocxDocument) -> Iterator[Paragraph | Table]:
    body = doc.element.body
    for child in body.iterchildren():
        if child.tag.endswith("}p"):
            yield Paragraph(child, doc)
        elif child.tag.endswith("}tbl"):
            yield Table(child, doc)


def text_blocks(data: bytes) -> list[tuple[str, ...]]:
    """The body as blocks, fast (one XML parse, no document model): a paragraph is a 1-tuple
    of its text, a table row the tuple of its cells' texts. For comparing two renders.
    PackageError for anything that is not a readable Word document."""
    members = dict(read_members(data))
    if "word/document.xml" not in members:
        raise PackageError("not a Word document: no word/document.xml")
    problems = declarations([("word/document.xml", members["word/document.xml"])])
    if problems:
        raise PackageError(problems[0])
    try:
        body = parse_part(members["word/document.xml"]).find(_BODY)
    except etree.LxmlError as exc:
        raise PackageError(f"not a Word document: malformed XML: {exc}") from None
    if body is None:
        raise PackageError("not a Word document: word/document.xml has no body")
    blocks: list[tuple[str, ...]] = []
    for child in body.iterchildren(_P, _TBL):
        if child.tag == _P:
            blocks.append((text_of(child),))
        else:
            for row in child.iter(_TR):
                blocks.append(tuple(text_of(cell) for cell in row.iter(_TC)))
    return blocks
