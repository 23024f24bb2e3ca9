"""A document's paragraph styles, as an accessibility check reads them: each style's name as
Word shows it, the heading level and list it gives its paragraphs (through its w:basedOn
chain), its language. Read from word/styles.xml once per styles part.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

from docx.oxml.ns import qn
from lxml import etree

from generator.docx.ooxml import parse_part, style_chain

HEADING_NAME = re.compile(r"heading ([1-9])$", re.IGNORECASE)
_VAL = qn("w:val")
_NUM_ID = f"{qn('w:numPr')}/{qn('w:numId')}"
_STYLE, _STYLE_ID, _TYPE, _DEFAULT, _NAME = (qn(t) for t in ("w:style", "w:styleId", "w:type", "w:default", "w:name"))
_DEFAULT_LANG = f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:lang')}"
_STYLE_LANG = f"{qn('w:rPr')}/{qn('w:lang')}"
_STYLE_OUTLINE_LVL = f"{qn('w:pPr')}/{qn('w:outlineLvl')}"
_STYLE_NUM_ID = f"{qn('w:pPr')}/{_NUM_ID}"
_STYLE_NUM_PR, _ILVL, _NUM_ID_TAG = f"{qn('w:pPr')}/{qn('w:numPr')}", qn("w:ilvl"), qn("w:numId")


@lru_cache(maxsize=16)
def style_table(styles_xml: bytes | None) -> StyleTable:
    """One table per styles part: a batch renders many documents from each template's styles,
    and a table remembers what it has worked out about each style."""
    return StyleTable(parse_part(styles_xml) if styles_xml is not None else None)


class StyleTable:
    """A styles part's styles by id, and what each gives a paragraph, worked out once per style."""

    def __init__(self, root: etree._Element | None) -> None:
        self.styles = {s.get(_STYLE_ID): s for s in root.findall(_STYLE)} if root is not None else {}
        self.default = next(
            (i for i, s in self.styles.items() if s.get(_TYPE) == "paragraph" and s.get(_DEFAULT) in ("1", "true", "on")),
            None,
        )
        lang = root.find(_DEFAULT_LANG) if root is not None else None
        self.default_language = lang.get(_VAL) if lang is not None else None
        self.names: dict[str | None, str] = {}
        self.levels: dict[str | None, int | None] = {}  # heading level each style gives
        self.lists: dict[str | None, bool] = {}  # whether each style numbers its paragraphs
        self.list_ids: dict[str | None, str | None] = {}  # the list instance (numId) each style gives

    def chain(self, style_id: str | None) -> Iterator[etree._Element]:
        return style_chain(self.styles, style_id)

    def name(self, style_id: str | None) -> str:
        if style_id not in self.names:
            style = self.styles.get(style_id) if style_id else None
            name = style.find(_NAME) if style is not None else None
            value = name.get(_VAL) if name is not None else None
            if value is None:  # no w:name, or one without its w:val
                value = style_id or ""
            # Word stores the built-in headings as "heading 1" and shows them as "Heading 1".
            self.names[style_id] = value[0].upper() + value[1:] if value and HEADING_NAME.match(value) else value
        return self.names[style_id]

    def heading_level(self, style_id: str | None) -> int | None:
        if style_id not in self.levels:
            self.levels[style_id] = _style_heading_level(style_id, self)
        return self.levels[style_id]

    def list_of(self, style_id: str | None) -> str | None:
        """The list instance (w:numId) a paragraph of this style is numbered by, through its
        w:basedOn chain ("0": explicitly none); None when no style in the chain says."""
        if style_id not in self.list_ids:
            num_ids = (style.find(_STYLE_NUM_ID) for style in self.chain(style_id))
            found = next((n for n in num_ids if n is not None), None)
            self.list_ids[style_id] = found.get(_VAL) if found is not None else None
        return self.list_ids[style_id]

    def list_level(self, style_id: str | None) -> str | None:
        """The list level (w:ilvl) a paragraph of this style is at: the nearest the chain gives, up
        to the style that names its list."""
        for style in self.chain(style_id):
            num_pr = style.find(_STYLE_NUM_PR)
            if num_pr is None:
                continue
            level = num_pr.find(_ILVL)
            if level is not None:
                return level.get(_VAL)
            if num_pr.find(_NUM_ID_TAG) is not None:
                return None
        return None

    def in_list(self, style_id: str | None) -> bool:
        if style_id not in self.lists:
            self.lists[style_id] = _style_in_list(style_id, self)
        return self.lists[style_id]

    def language(self, style_id: str | None) -> str | None:
        for style in self.chain(style_id):
            lang = style.find(_STYLE_LANG)
            if lang is not None and lang.get(_VAL):
                return lang.get(_VAL)
        return None


def _style_heading_level(style_id: str | None, styles: StyleTable) -> int | None:
    for style in styles.chain(style_id):
        level = style.find(_STYLE_OUTLINE_LVL)
        if level is not None:
            return outline_level(level.get(_VAL))
        name = style.find(_NAME)
        match = HEADING_NAME.match(name.get(_VAL) or "") if name is not None else None
        if match:
            return int(match.group(1))
    return None


def outline_level(value: str | None) -> int | None:
    """Outline level 0-8 is heading level 1-9; 9 is body text."""
    return int(value) + 1 if value is not None and value.isdigit() and int(value) < 9 else None


def _style_in_list(style_id: str | None, styles: StyleTable) -> bool:
    num_id = styles.list_of(style_id)
    if num_id is not None:
        return num_id != "0"
    return styles.name(style_id).lower().startswith("list")
