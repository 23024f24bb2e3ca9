"""Ids that must be unique across a document's parts, made so after a render.

Word numbers every drawing (`wp:docPr/@id`) and, since 2010, every paragraph (`w14:paraId`,
`w14:textId`) and expects each to be unique in the document: a loop that repeats a paragraph or
a picture repeats its ids, and a picture in a header has the same id as one in the body. Word then
reports "unreadable content" or loses comments and tracked changes anchored to them. So the ids
are renumbered in document order across all the parts of one render.

Whether a part needs it is decided once, when its template is compiled (`writes_ids`): a value a
render inserts is escaped, so only a part whose template writes such ids renders any (ids a template
pieced together past the escaping, with `safe`, would be its own broken XML, like any other it could
write). Looking for them in every rendered part took two scans of it, 0.06 ms a document.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import count

_DOCPR = re.compile(r'(<wp:docPr\b[^>]*?\bid=")\d+(")')
# Starting with its name, the pattern is found by a scan as fast as str.find; a \b before it made
# the regex engine try every position (0.8 ms over a 55 KB part, against 0.03). The boundary is
# checked on each match instead (_paragraph_id).
_W14_IDS = re.compile(r'(w14:(?:paraId|textId)=")[0-9A-Fa-f]{1,8}(")')
_WORD = re.compile(r"\w")
_W14_MAX = 0x80000000  # paraId and textId must be below this


def _drawing_ids(xml: str) -> bool:
    return "docPr" in xml


def _paragraph_ids(xml: str) -> bool:
    return "w14:paraId" in xml or "w14:textId" in xml


def writes_ids(source: str) -> bool:
    """Whether a part's template source writes drawing or Word 2010 paragraph ids, which a loop
    repeats: those of its renders are renumbered; the others hold none (inserted text is escaped)."""
    return _drawing_ids(source) or _paragraph_ids(source)


@dataclass
class PartIds:
    """The counters of one render: each id handed out once across its parts."""

    drawings: Iterator[int] = field(default_factory=lambda: count(1))
    paragraphs: Iterator[int] = field(default_factory=lambda: count(1))

    def renumber(self, xml: str) -> str:
        """`xml` with its drawing and paragraph ids renumbered from where the last part left off."""
        if _drawing_ids(xml):
            xml = _DOCPR.sub(lambda m: f"{m.group(1)}{next(self.drawings)}{m.group(2)}", xml)
        if _paragraph_ids(xml):
            xml = _W14_IDS.sub(self._paragraph_id, xml)
        return xml

    def _paragraph_id(self, found: re.Match[str]) -> str:
        if found.start() and _WORD.match(found.string, found.start() - 1):  # "xw14:paraId": another name
            return found.group()
        return f"{found.group(1)}{next(self.paragraphs) % _W14_MAX:08X}{found.group(2)}"
