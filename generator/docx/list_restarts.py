"""A list a template restarts at 1, restarted at every copy a loop makes of it.

Word writes "Restart Numbering" (or "Set Numbering Value → Start new list") as a list instance
(`w:num`) of the same list definition with a start override, given directly to the paragraph
where the list starts again; the paragraphs after it, numbered by their style, count on from it.
Both Word and LibreOffice apply a start override once, at the first paragraph of its instance:
so when a template's loop repeats such a paragraph (the first paragraph of a report section
numbered from 1, the first recommendation of each group), only the first copy would restart and
every later copy would count on.

After a render, each *run* of such a paragraph (consecutive in its list, as Word gives a restarted
paragraph's followers the same instance) after the first gets an instance of its own, a copy of
the template's, so every copy restarts as the template owner set it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from copy import deepcopy
from dataclasses import dataclass

from lxml import etree

from generator.docx.ooxml import W, first_child, parse_part
from generator.docx.styles import StyleTable, style_table

NUMBERING = "word/numbering.xml"
_STYLES = "word/styles.xml"
_W = f"{{{W}}}"
# A paragraph's start and, when it has them, its properties (always its first child).
_PARAGRAPH = re.compile(r"<w:p(?=[ >/])[^>]*?(?:/>|>(?:<w:pPr>(.*?)</w:pPr>)?)", re.DOTALL)
_STYLE = re.compile(r'<w:pStyle w:val="([^"]*)"')
_NUM_ID = re.compile(r'(<w:numPr>.*?<w:numId w:val=")(\d+)(")', re.DOTALL)


@dataclass(frozen=True)
class ListRestarts:
    """What a template's lists need to restart at every copy: its restarting instances, the list
    definition of every instance, and each paragraph style's instance."""

    restarting: frozenset[str]
    definition_of: Mapping[str, str]  # numId → abstractNumId
    styles: StyleTable  # the list instance each paragraph style gives
    numbering: bytes

    @classmethod
    def of(cls, members: Mapping[str, bytes]) -> ListRestarts | None:
        """The template's restarting lists, or None when it has none (nothing to do per render)."""
        if NUMBERING not in members:
            return None
        numbering = parse_part(members[NUMBERING])
        definition_of: dict[str, str] = {}
        restarting: set[str] = set()
        for num in numbering.iterchildren(f"{_W}num"):
            abstract = first_child(num, f"{_W}abstractNumId")
            num_id, abstract_id = num.get(f"{_W}numId"), abstract.get(f"{_W}val") if abstract is not None else None
            if num_id is None or abstract_id is None:
                continue
            definition_of[num_id] = abstract_id
            if num.find(f"{_W}lvlOverride/{_W}startOverride") is not None:
                restarting.add(num_id)
        if not restarting:
            return None
        return cls(frozenset(restarting), definition_of, style_table(members.get(_STYLES)), members[NUMBERING])

    def apply(self, xml: str) -> tuple[str, bytes | None]:
        """The rendered document part with each later run of a restarting paragraph given its own
        list instance, and the numbering part holding those instances (None if none was needed)."""
        if not any(f'w:numId w:val="{num}"' in xml for num in self.restarting):
            return xml, None
        used = [int(n) for n in self.definition_of if n.isdigit()]
        fresh = iter(range(max(used, default=0) + 1, 1 << 30))
        last_in_list: dict[str, str] = {}  # list definition → the template's instance of its last paragraph
        current: dict[str, str] = {}  # restarting instance → the instance its present run uses
        copies: list[tuple[str, str]] = []  # (new numId, the template's restarting numId)
        pieces, at = [], 0
        for paragraph in _PARAGRAPH.finditer(xml):
            properties = paragraph.group(1) or ""
            direct = _NUM_ID.search(properties)
            style = _STYLE.search(properties)
            num = direct.group(2) if direct else self.styles.list_of(style.group(1) if style else self.styles.default)
            if num is None or (definition := self.definition_of.get(num)) is None:
                continue  # not in a list
            if num in self.restarting and direct is not None:
                if last_in_list.get(definition) != num:  # a new run: the list starts again here
                    current[num] = str(next(fresh)) if num in current else num  # the first run keeps the template's
                    if current[num] != num:
                        copies.append((current[num], num))
                if current[num] != num:
                    start = paragraph.start(1) + direct.start(2)
                    pieces += [xml[at:start], current[num]]
                    at = start + len(num)
            last_in_list[definition] = num
        if not copies:
            return xml, None
        pieces.append(xml[at:])
        return "".join(pieces), self._with_copies(copies)

    def _with_copies(self, copies: list[tuple[str, str]]) -> bytes:
        numbering = parse_part(self.numbering)
        nums = {n.get(f"{_W}numId"): n for n in numbering.iterchildren(f"{_W}num")}
        # w:num elements come after every w:abstractNum and before w:numIdMacAtCleanup (the schema's order).
        cleanup = first_child(numbering, f"{_W}numIdMacAtCleanup")
        for new, original in copies:
            copy = deepcopy(nums[original])
            copy.set(f"{_W}numId", new)
            if cleanup is not None:
                cleanup.addprevious(copy)
            else:
                numbering.append(copy)
        return bytes(etree.tostring(numbering, xml_declaration=True, encoding="UTF-8", standalone=True))
