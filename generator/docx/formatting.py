"""What a document looks like, apart from its words: its styles, list numbering and page setup,
as facts that two renders can be compared by ("Heading 2: font size 12 → 13 pt").

A template owner's style-only edit changes none of a document's text; these facts are how
`batch` and `diff` see it. Each is read from the package's own parts (styles.xml, numbering.xml,
the section properties), the way Word stores it, and named the way Word's dialogs name it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache

from lxml import etree

from generator.docx.ooxml import W, w_declared_once
from generator.docx.parts import Parts

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


_STYLES, _NUMBERING, _DOCUMENT = "word/styles.xml", "word/numbering.xml", "word/document.xml"
FORMATTING_PARTS = frozenset({_STYLES, _NUMBERING, _DOCUMENT})  # what the facts are read from
Facts = dict[tuple[str, str], Fact]  # by (where, what)


def _style_facts(styles: etree._Element) -> Facts:
    found: Facts = {}
    for style in styles.iter(f"{_W}style"):
        style_id = style.get(f"{_W}styleId")
        name_element = style.find(f"{_W}name")
        name = name_element.get(f"{_W}val") if name_element is not None else style_id
        name = f"{name[:1].upper()}{name[1:]}" if name else style_id  # Word shows "heading 2" as "Heading 2"
        for holder in ("pPr", "rPr"):
            for element in style.iterchildren(f"{_W}{holder}"):
                for what, value in _properties(element):
                    found[(f"{name}", what)] = Fact(str(name), what, value, style_id)
    return found


def _numbering_facts(numbering: etree._Element) -> Facts:
    found: Facts = {}
    for abstract in numbering.iter(f"{_W}abstractNum"):
        list_id = abstract.get(f"{_W}abstractNumId")
        for level in abstract.iterchildren(f"{_W}lvl"):
            where = f"numbered list {list_id}, level {int(level.get(f'{_W}ilvl', '0')) + 1}"
            for what, value in _properties(level):
                found[(where, what)] = Fact(where, what, value)
    return found


def _page_facts(document: etree._Element) -> Facts:
    found: Facts = {}
    for n, section in enumerate(document.iter(f"{_W}sectPr"), start=1):
        where = f"page setup (section {n})"
        for element in section.iterchildren(f"{_W}pgSz", f"{_W}pgMar", f"{_W}cols"):
            for what, value in _attributes(element):
                found[(where, what)] = Fact(where, what, value)
    return found


@lru_cache(maxsize=8)
def _template_facts(name: str, data: bytes) -> Facts:
    """The facts of a styles or numbering part, which every document of a template shares: read
    once per process for each version of the part (callers copy, never change, what it gives)."""
    root = Parts({name: data}).root(name)
    assert root is not None
    return _style_facts(root) if name == _STYLES else _numbering_facts(root)


def _look(before: Parts, after: Parts) -> tuple[Facts, Facts]:
    """Each document's formatting facts, from the parts that differ between them: a part the same
    in both has the same facts, and a style-only template edit changes only the styles."""
    facts: tuple[Facts, Facts] = ({}, {})
    for name in (_STYLES, _NUMBERING, _DOCUMENT):
        if before.same(name, after):
            continue
        for parts, found in zip((before, after), facts, strict=True):
            data = parts.get(name)
            if data is not None and name != _DOCUMENT:
                found.update(_template_facts(name, data))
            elif data is not None:
                document = parts.root(name)
                assert document is not None
                found.update(_page_facts(document))
    return facts


_HIDING = re.compile(rb"<!--|<!\[CDATA\[")  # where a tag-like text would not be a tag
_P_STYLE = re.compile(rb"""<w:pStyle\s[^>]*?\bw:val\s*=\s*(?:"([^"]*)"|'([^']*)')""")


def _style_uses(document: Parts) -> dict[str, int]:
    """How many paragraphs use each style (by id) in the document. Counted in its text, as Word and
    LibreOffice write it (w: bound once, to WordprocessingML; no comment or CDATA; no entity in a
    style's id), in a few hundredths of the millisecond a parse takes; otherwise in the parsed part."""
    data = document.get(_DOCUMENT)
    if data is None:
        return {}
    uses: dict[bytes, int] = {}
    if w_declared_once(data) and not _HIDING.search(data):
        for double, single in _P_STYLE.findall(data):
            uses[double or single] = uses.get(double or single, 0) + 1
        if not any(b"&" in value for value in uses):
            try:
                return {value.decode("utf-8"): count for value, count in uses.items()}
            except UnicodeDecodeError:
                pass  # not well-formed: the parser says so
    root = document.root(_DOCUMENT)
    assert root is not None
    parsed: dict[str, int] = {}
    for style in root.iter(f"{_W}pStyle"):
        value = style.get(f"{_W}val") or ""
        parsed[value] = parsed.get(value, 0) + 1
    return parsed


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


def formatting_changes(old: bytes | Parts, new: bytes | Parts) -> list[str]:
    """Each formatting fact that differs, as a reviewer reads it: 'Heading 2: font size 12 pt →
    13 pt (4 paragraphs)'; a style's paragraphs are counted in the new document."""
    before, after = (d if isinstance(d, Parts) else Parts(d, only=FORMATTING_PARTS) for d in (old, new))
    facts_before, facts_after = _look(before, after)
    changes = []
    uses: dict[str, int] | None = None
    for key in sorted(set(facts_before) | set(facts_after)):
        a, b = facts_before.get(key), facts_after.get(key)
        if a is not None and b is not None and a.value == b.value:
            continue
        fact = b or a
        assert fact is not None
        change = f"{fact.where}: {fact.what} {a.value if a else '(none)'} → {b.value if b else '(none)'}"
        if fact.style_id:
            uses = _style_uses(after) if uses is None else uses
        count = uses.get(fact.style_id or "", 0) if uses is not None else 0
        changes.append(change + (f" ({count} paragraph{'s' if count != 1 else ''})" if fact.style_id and count else ""))
    return changes
