"""What changed between two renders of a document, in words a reviewer can act on."""

from __future__ import annotations

from difflib import SequenceMatcher, unified_diff
from pathlib import Path

from generator.docx.formatting import formatting_changes
from generator.docx.read import document_lines, read_docx, text_blocks
from generator.errors import PackageError


def change_summary(old: bytes | None, new: bytes) -> str:
    """'new', 'no change' (the bytes differ in nothing a reader sees), or e.g. '2 paragraphs
    changed, 1 table cell changed; formatting: Heading 2: font size 12 pt → 13 pt (4 paragraphs)'."""
    if old is None:
        return "new"
    try:
        before = text_blocks(old)
    except PackageError:
        return "replaced a file that was not a readable document"
    after = text_blocks(new)
    paragraphs = cells = rows = 0
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, before, after, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        old_blocks, new_blocks = before[i1:i2], after[j1:j2]
        for k in range(max(len(old_blocks), len(new_blocks))):
            a = old_blocks[k] if k < len(old_blocks) else None
            b = new_blocks[k] if k < len(new_blocks) else None
            block = b if b is not None else a
            assert block is not None
            if len(block) == 1 and (a is None or len(a) == 1) and (b is None or len(b) == 1):
                paragraphs += 1
            elif a is not None and b is not None and len(a) == len(b):
                cells += sum(x != y for x, y in zip(a, b, strict=True))
            else:
                rows += 1
    parts = [
        _count(paragraphs, "paragraph"),
        _count(cells, "table cell"),
        _count(rows, "table row"),
    ]
    said = ", ".join(p for p in parts if p)
    formatting = _formatting(old, new)
    if formatting:
        return f"{said}; {formatting}" if said else formatting
    return said or "no text or formatting change"


def _formatting(old: bytes, new: bytes, shown: int = 3) -> str:
    """The formatting changes, the first few in words and a count of the rest."""
    changes = formatting_changes(old, new)
    if not changes:
        return ""
    more = f"; and {len(changes) - shown} more formatting changes" if len(changes) > shown else ""
    return "formatting: " + "; ".join(changes[:shown]) + more


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'s' if n != 1 else ''} changed" if n else ""


def text_diff(old: Path, new: Path) -> list[str]:
    """A unified diff of the two documents' text (styles and table rows included)."""
    return list(unified_diff(document_lines(old), document_lines(new), fromfile=str(old), tofile=str(new), lineterm=""))


def format_diff(old: Path, new: Path) -> list[str]:
    """Each formatting change between two documents (styles, numbering, page setup)."""
    return formatting_changes(read_docx(old), read_docx(new))
