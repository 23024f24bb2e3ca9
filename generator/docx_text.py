"""Reading a .docx back as text: what changed between two outputs, what a test expects.

This is the only module that uses python-docx.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from pathlib import Path

from docx import Document
from docx.oxml import parse_xml
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph


def document_lines(path: Path | bytes) -> list[str]:
    """The document as lines: `[Style] text` for each paragraph, `| a | b |` for each table row,
    headers and footers first, so a golden file shows both words and structure."""
    doc = Document(io.BytesIO(path) if isinstance(path, bytes) else str(path))
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


def _blocks(doc) -> Iterator[Paragraph | Table]:  # type: ignore[no-untyped-def]
    body = doc.element.body
    for child in body.iterchildren():
        if child.tag.endswith("}p"):
            yield Paragraph(child, doc)
        elif child.tag.endswith("}tbl"):
            yield Table(child, doc)


def text_blocks(data: bytes) -> list[tuple[str, ...]]:
    """The body as blocks, fast (one XML parse, no document model): a paragraph is a 1-tuple
    of its text, a table row the tuple of its cells' texts. For comparing two renders."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        body = parse_xml(archive.read("word/document.xml")).find(qn("w:body"))
    blocks: list[tuple[str, ...]] = []
    for child in body.iterchildren():
        if child.tag == qn("w:p"):
            blocks.append((_text(child),))
        elif child.tag == qn("w:tbl"):
            for row in child.iter(qn("w:tr")):
                blocks.append(tuple(_text(cell) for cell in row.iter(qn("w:tc"))))
    return blocks


def _text(element) -> str:  # type: ignore[no-untyped-def]
    return "".join(t.text or "" for t in element.iter(qn("w:t")))
