"""The Office Open XML namespaces grantdocs reads and writes, and the element helpers every
walk of a part's tree shares: one spelling of each, so that no module carries its own copy.
"""

from __future__ import annotations

from collections.abc import Iterator

from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"  # WordprocessingML: w:p, w:tbl, w:style …
RELATIONSHIPS = "http://schemas.openxmlformats.org/package/2006/relationships"  # a part's .rels
CONTENT_TYPES = "http://schemas.openxmlformats.org/package/2006/content-types"  # [Content_Types].xml

_W_URI = W.encode()
_W_DECLARED = b'xmlns:w="' + _W_URI + b'"'
_BASED_ON, _VAL, _T = f"{{{W}}}basedOn", f"{{{W}}}val", f"{{{W}}}t"
# A plain parser: python-docx's own gives every element a proxy class, which only slows a walk.
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, remove_blank_text=True)


def parse_part(data: bytes) -> etree._Element:
    """An XML part's root, parsed with no entities resolved and nothing fetched."""
    return etree.fromstring(data, _PARSER)


def w_declared_once(xml: bytes) -> bool:
    """Whether `xml` names WordprocessingML exactly once, declaring it as the w: prefix, as Word
    and LibreOffice write a part: then a w: tag in its bytes is WordprocessingML's, and a pattern
    may read them."""
    return xml.count(_W_URI) == 1 and _W_DECLARED in xml


def text_of(element: etree._Element) -> str:
    """The text of `element`'s runs (every w:t in it, joined)."""
    # w:t holds only text (no children, no tails in WordprocessingML), so lxml's C-level
    # itertext gives the same string as walking the elements, several times faster.
    return "".join(element.itertext(_T))


def first_child(element: etree._Element, tag: str) -> etree._Element | None:
    """The first child with `tag`, or None. (lxml's find goes through its path parser, in
    Python: several times slower, and a walk of a long document asks this of every paragraph.)"""
    return next(element.iterchildren(tag), None)


def style_chain(styles: dict[str | None, etree._Element], style_id: str | None) -> Iterator[etree._Element]:
    """The w:style `style_id` names, then each style it is based on (w:basedOn), stopping at a
    missing style or a loop: what Word consults, nearest first, for a property a style leaves out."""
    seen: set[str] = set()
    while style_id and style_id in styles and style_id not in seen:
        seen.add(style_id)
        style = styles[style_id]
        yield style
        based_on = style.find(_BASED_ON)
        style_id = based_on.get(_VAL) if based_on is not None else None
