"""Ids that must be unique across a document's parts, made so after a render.

Word numbers every drawing (`wp:docPr/@id`) and, since 2010, every paragraph (`w14:paraId`,
`w14:textId`) and expects each to be unique in the document: a loop that repeats a paragraph or
a picture repeats its ids, and a picture in a header has the same id as one in the body. Word then
reports "unreadable content" or loses comments and tracked changes anchored to them. So the ids
are renumbered in document order across all the parts of one render.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import count

_DOCPR = re.compile(r'(<wp:docPr\b[^>]*?\bid=")\d+(")')
_W14_IDS = re.compile(r'(\bw14:(?:paraId|textId)=")[0-9A-Fa-f]{1,8}(")')
_W14_MAX = 0x80000000  # paraId and textId must be below this


@dataclass
class PartIds:
    """The counters of one render: each id handed out once across its parts."""

    drawings: Iterator[int] = field(default_factory=lambda: count(1))
    paragraphs: Iterator[int] = field(default_factory=lambda: count(1))

    def renumber(self, xml: str) -> str:
        """`xml` with its drawing and paragraph ids renumbered from where the last part left off."""
        if "docPr" in xml:
            xml = _DOCPR.sub(lambda m: f"{m.group(1)}{next(self.drawings)}{m.group(2)}", xml)
        if "w14:" in xml:
            xml = _W14_IDS.sub(lambda m: f"{m.group(1)}{next(self.paragraphs) % _W14_MAX:08X}{m.group(2)}", xml)
        return xml
