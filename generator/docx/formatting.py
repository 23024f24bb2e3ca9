"""What a document looks like, apart from its words: its styles, list numbering and page setup,
as facts that two renders can be compared by ("Heading 2: font size 12 → 13 pt").

A template owner's style-only edit changes none of a document's text; these facts are how
`batch` and `diff` see it. Each is read from the package's own parts (styles.xml, numbering.xml,
the section properties), the way Word stores it, and named the way Word's dialogs name it.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from lxml import etree

from generator.docx.ooxml import W, parse_part

_W = f"{{{W}}}"


def _pt(half_points: str) -> str:
    return f"{int(half_points) / 2:g} pt"


def _twips_pt(twips: str) -> str:
    return f"{int(twips) / 20:g} pt"


def _twips_cm(twips: str) -> str:
    return f"{int(twips) * 2.54 / 1440:.2f} cm"


def _on(value: str) -> str:
    return "off" if value in ("0", "false", "none") else "on"


# (element, attribute) → (what Word calls it, how its value reads); the rest are named as stored.
_NAMES: dict[tuple[str, str], tuple[str, Callable[[str], str]]] = {
    ("sz", "val"): ("font size", _pt),
    ("b", "val"): ("bold", _on),
    ("i", "val"): ("italic", _on),
    ("u", "val"): ("underline", str),
    ("caps", "val"): ("all capitals", _on),
    ("color", "val"): ("font colour", str),
    ("rFonts", "ascii"): ("font", str),
    ("jc", "val"): ("alignment", str),
    ("spacing", "before"): ("space before", _twips_pt),
    ("spacing", "after"): ("space after", _twips_pt),
    ("spacing", "line"): ("line spacing", str),
    ("ind", "left"): ("left indent", _twips_cm),
    ("ind", "start"): ("left indent", _twips_cm),
    ("ind", "hanging"): ("hanging indent", _twips_cm),
    ("ind", "firstLine"): ("first-line indent", _twips_cm),
    ("keepNext", "val"): ("keep with next", _on),
    ("keepLines", "val"): ("keep lines together", _on),
    ("pageBreakBefore", "val"): ("page break before", _on),
    ("outlineLvl", "val"): ("outline level", str),
    ("pgSz", "w"): ("page width", _twips_cm),
    ("pgSz", "h"): ("page height", _twips_cm),
    ("pgSz", "orient"): ("orientation", str),
    ("pgMar", "top"): ("top margin", _twips_cm),
    ("pgMar", "bottom"): ("bottom margin", _twips_cm),
    ("pgMar", "left"): ("left margin", _twips_cm),
    ("pgMar", "right"): ("right margin", _twips_cm),
    ("pgMar", "header"): ("header distance", _twips_cm),
    ("pgMar", "footer"): ("footer distance", _twips_cm),
    ("numFmt", "val"): ("number format", str),
    ("lvlText", "val"): ("number text", str),
    ("start", "val"): ("starts at", str),
}
# Bookkeeping that changes with every save and says nothing about how the document looks.
# And the complex-script twins (szCs, bCs, iCs) a style sets beside each size and toggle.
_IGNORED = {"rsid", "rsidR", "rsidRPr", "rsidRDefault", "rsidP", "rsidDel", "rsidSect", "nsid", "tmpl", "lang", "eastAsia", "bidi"}
_IGNORED |= {"szCs", "bCs", "iCs"}


@dataclass(frozen=True)
class Fact:
    """One formatting fact: where (a style, a list level, the page), what, and its value."""

    where: str
    what: str
    value: str
    style_id: str | None = None  # the style it belongs to, to count the paragraphs that use it


def _look(data: bytes) -> tuple[dict[tuple[str, str], Fact], dict[str, int]]:
    """A .docx's formatting facts by (where, what), and how many paragraphs use each style (by
    id), each part read once."""
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        names = set(package.namelist())
        parts = {name: package.read(name) for name in ("word/styles.xml", "word/numbering.xml", "word/document.xml") if name in names}
    found: dict[tuple[str, str], Fact] = {}
    if "word/styles.xml" in parts:
        for style in parse_part(parts["word/styles.xml"]).iter(f"{_W}style"):
            style_id = style.get(f"{_W}styleId")
            name_element = style.find(f"{_W}name")
            name = name_element.get(f"{_W}val") if name_element is not None else style_id
            name = f"{name[:1].upper()}{name[1:]}" if name else style_id  # Word shows "heading 2" as "Heading 2"
            for holder in ("pPr", "rPr"):
                for element in style.iterchildren(f"{_W}{holder}"):
                    for what, value in _properties(element):
                        found[(f"{name}", what)] = Fact(str(name), what, value, style_id)
    if "word/numbering.xml" in parts:
        for abstract in parse_part(parts["word/numbering.xml"]).iter(f"{_W}abstractNum"):
            list_id = abstract.get(f"{_W}abstractNumId")
            for level in abstract.iterchildren(f"{_W}lvl"):
                where = f"numbered list {list_id}, level {int(level.get(f'{_W}ilvl', '0')) + 1}"
                for what, value in _properties(level):
                    found[(where, what)] = Fact(where, what, value)
    uses: dict[str, int] = {}
    if "word/document.xml" in parts:
        document = parse_part(parts["word/document.xml"])
        for n, section in enumerate(document.iter(f"{_W}sectPr"), start=1):
            where = f"page setup (section {n})"
            for element in section.iterchildren(f"{_W}pgSz", f"{_W}pgMar", f"{_W}cols"):
                for what, value in _attributes(element):
                    found[(where, what)] = Fact(where, what, value)
        for style in document.iter(f"{_W}pStyle"):
            value = style.get(f"{_W}val") or ""
            uses[value] = uses.get(value, 0) + 1
    return found, uses


def _properties(holder: etree._Element, prefix: str = "") -> Iterator[tuple[str, str]]:
    for element in holder.iterchildren():
        if not isinstance(element.tag, str):
            continue
        local = etree.QName(element).localname
        if local in _IGNORED:
            continue
        if element.attrib:
            yield from _attributes(element, prefix)
        elif len(element) == 0:
            yield _named(local, "val", "1")  # a bare toggle (<w:b/>) is on
        if len(element):
            yield from _properties(element, prefix=f"{prefix}{local} ")


def _attributes(element: etree._Element, prefix: str = "") -> Iterator[tuple[str, str]]:
    local = etree.QName(element).localname
    for attribute, value in element.attrib.items():
        name = etree.QName(attribute).localname
        if name not in _IGNORED and local not in _IGNORED:
            what, shown = _named(local, name, value)
            yield f"{prefix}{what}", shown


def _named(element: str, attribute: str, value: str) -> tuple[str, str]:
    known = _NAMES.get((element, attribute))
    if known is None:
        return f"{element} {attribute}", value
    label, read = known
    try:
        return label, read(value)
    except ValueError:
        return label, value


def formatting_changes(old: bytes, new: bytes) -> list[str]:
    """Each formatting fact that differs, as a reviewer reads it: 'Heading 2: font size 12 pt →
    13 pt (4 paragraphs)'; a style's paragraphs are counted in the new document."""
    (before, _), (after, uses) = _look(old), _look(new)
    changes = []
    for key in sorted(set(before) | set(after)):
        a, b = before.get(key), after.get(key)
        if a is not None and b is not None and a.value == b.value:
            continue
        fact = b or a
        assert fact is not None
        change = f"{fact.where}: {fact.what} {a.value if a else '(none)'} → {b.value if b else '(none)'}"
        count = uses.get(fact.style_id or "", 0)
        changes.append(change + (f" ({count} paragraph{'s' if count != 1 else ''})" if fact.style_id and count else ""))
    return changes
