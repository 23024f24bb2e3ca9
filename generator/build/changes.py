"""What changed between two renders of a document, in words a reviewer can act on."""

from __future__ import annotations

from collections.abc import Mapping
from difflib import SequenceMatcher, unified_diff
from pathlib import Path

from generator.docx.formatting import FORMATTING_PARTS, formatting_changes
from generator.docx.parts import Parts
from generator.docx.read import TEXT_PART_NAMES, document_lines, read_package, text_blocks
from generator.errors import PackageError

_SUMMARY_PARTS = TEXT_PART_NAMES | FORMATTING_PARTS


def change_summary(old: bytes | None, new: Mapping[str, bytes], stored: Mapping[str, tuple[int, int, bytes]] | None = None) -> str:
    """'new', 'no change' (the bytes differ in nothing a reader sees), or e.g. '2 paragraphs
    changed, 1 table cell changed; formatting: Heading 2: font size 12 pt → 13 pt (4 paragraphs)'.

    `old` is the document on disk, read once before it is replaced; `new` the parts of the render
    replacing it, as they are in memory, and `stored` each as it was zipped. Only the parts
    that differ are parsed, each once, and a part stored the same in both is not even inflated:
    after a style-only template edit, no document's body is."""
    if old is None:
        return "new"
    try:
        before = Parts(old, only=_SUMMARY_PARTS)
        after = Parts(new, stored=stored)
        same_text = all(before.same(name, after) for name in TEXT_PART_NAMES)
        said = "" if same_text else _text_changes(text_blocks(before), text_blocks(after))
        formatting = _formatting(formatting_changes(before, after))
    except PackageError:
        return "replaced a file that was not a readable document"
    if formatting:
        return f"{said}; {formatting}" if said else formatting
    return said or "no text or formatting change"


def _text_changes(before: list[tuple[str, ...]], after: list[tuple[str, ...]]) -> str:
    """The changed blocks, counted: '2 paragraphs changed, 1 table cell changed'."""
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
    return ", ".join(p for p in parts if p)


def _formatting(changes: list[str], shown: int = 3) -> str:
    """The formatting changes, the first few in words and a count of the rest."""
    if not changes:
        return ""
    more = f"; and {len(changes) - shown} more formatting changes" if len(changes) > shown else ""
    return "formatting: " + "; ".join(changes[:shown]) + more


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'s' if n != 1 else ''} changed" if n else ""


def document_diff(old: Path, new: Path) -> tuple[list[str], list[str]]:
    """A unified diff of the two documents' text (styles and table rows included), and each
    formatting change between them (styles, numbering, page setup); each file read once."""
    (old_data, old_parts), (new_data, new_parts) = read_package(old), read_package(new)
    text = unified_diff(document_lines(old_data), document_lines(new_data), fromfile=str(old), tofile=str(new), lineterm="")
    return list(text), formatting_changes(old_parts, new_parts)
