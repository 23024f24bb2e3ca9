"""A rendered document body's top-level paragraphs and tables found in its bytes, each as the
exact text that writes it, so that a block a template repeats word for word (a declaration, a
signature block, an agreement's conditions) is judged once per batch, not once per document.

The scan reads only documents written as Word and grantdocs' templates write them. What it
cannot place exactly is refused: a document not opened by `<w:document …><w:body>` declaring
w: (and no other name) for WordprocessingML, or with anything but white space between blocks,
at once (None); a block or tail holding a comment, a CDATA section, a DOCTYPE, a processing
instruction, the WordprocessingML namespace, a content control, an image, a paragraph or table
inside a paragraph, or a table inside a table, when it is first judged (`plain_block`,
`plain_tail`): whoever judges a scan checks and parses, once for each different text, each block
and the tail within the document's opening, so that a scanned document is read (and found
well-formed) exactly as the tree's parse would read it. A block is cut at the first end tag of
its name, so a block holding another of its kind is cut short, and is refused for holding its
start tag.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from lxml import etree

from generator.docx.ooxml import W, parse_part, w_declared_once

_SPACE = rb"[ \t\r\n]*"  # white space as XML has it (a regex's \s also takes characters XML refuses)
_BLOCK = re.compile(_SPACE + rb"""(<w:(p|tbl)(?=[ \t\r\n/>])(?:[^>"']|"[^"]*"|'[^']*')*>)""")  # attribute values may hold ">", not "<"
_ROOT = re.compile(
    _SPACE
    + rb"""(?:<\?xml(?:[^?]|\?(?!>))*\?>)?"""
    + _SPACE
    + rb"""<w:document(?=[ \t\r\n>])(?:[^>"']|"[^"]*"|'[^']*')*>"""
    + _SPACE
    + rb"<w:body>"
)
_END = re.compile(rb"</w:body>" + _SPACE + rb"</w:document>" + _SPACE)
_P_END, _TBL_END = b"</w:p>", b"</w:tbl>"
_CLOSE = {b"p": _P_END, b"tbl": _TBL_END}
_NESTED = {b"p": re.compile(rb"<w:(?:p|tbl)(?=[ \t\r\n/>])"), b"tbl": re.compile(rb"<w:tbl(?=[ \t\r\n/>])")}
_URI = W.encode()
_UNPLAIN = (b"<!", b"<?", b"<w:sdt", b"docPr", b"imagedata", _URI)  # see the module's docstring


@dataclass(frozen=True)
class Body:
    """A body's top-level blocks in order, each (b"p" or b"tbl", its bytes), and what follows
    them (the section's properties). Each, and the tail, parses as `opening` + bytes + `closing`."""

    opening: bytes  # the XML declaration, the root's start tag and the body's
    closing: bytes
    blocks: tuple[tuple[bytes, bytes], ...]
    tail: bytes
    starts: tuple[int, ...] = ()  # where each block starts in the part

    def parsed(self, text: bytes) -> etree._Element:
        """A w:body holding `text` (blocks, or the tail), parsed within the document's opening, which
        declares every prefix its tags use. XMLSyntaxError as the whole part's parse would raise it."""
        body: etree._Element = parse_part(_opening_for(self.opening, text) + text + self.closing)[0]
        return body


_SHORT = 1024  # bytes: a longer text costs more to look through for prefixes than the opening saves
_W_DECLARATION = re.compile(rb"""[ \t\r\n]xmlns:w=("[^"<&]*"|'[^'<&]*')""")


def _opening_for(opening: bytes, text: bytes) -> bytes:
    """The document's opening, declaring only w: when `text` is short and names no other prefix:
    the root Word writes declares some thirty namespaces, and reading them was most of what
    parsing a short block cost (7 µs of a paragraph's 10). What is parsed within it is what the
    whole opening gives; the root's other attributes are Word's (mc:Ignorable), which no parse
    reads. Every colon in the text must belong to w: or xml: (a tag's, an attribute's, or text
    that reads as one): a colon of anything else, text's or another prefix's, keeps the whole
    opening."""
    if len(text) > _SHORT:
        return opening
    named = text.count(b"<w:") + text.count(b"</w:") + text.count(b" w:") + text.count(b"xml:")
    return _w_only(opening) if text.count(b":") == named else opening


@lru_cache(maxsize=8)
def _w_only(opening: bytes) -> bytes:
    root = opening.find(b"<w:document")
    declared = _W_DECLARATION.search(opening)
    if root == -1 or declared is None or b"xmlns=" in opening:  # a default namespace would name the unprefixed tags: kept whole
        return opening
    return opening[:root] + b"<w:document" + declared.group(0) + b"><w:body>"


def scan_body(xml: bytes) -> Body | None:
    """The body of a main document part, or None when it is not written plainly enough to scan."""
    root = _ROOT.match(xml)
    if root is None:
        return None
    opening = xml[: root.end()]
    # One name for the namespace, w:, declared on the root (blocks and tail never name it: plain_block).
    if not w_declared_once(opening) or b"<!" in opening or opening.count(b"<?") > 1:
        return None
    blocks: list[tuple[bytes, bytes]] = []
    starts: list[int] = []
    at = root.end()
    # Methods looked up once: the loop runs for every block of every document.
    find, starts_with, add_block, add_start = xml.find, xml.startswith, blocks.append, starts.append
    while True:
        # A start tag with no attributes, as the templates write every block once their revision
        # ids are scrubbed (hygiene), is told by its bytes: what _BLOCK would find there, at a
        # fraction of its cost (0.135 -> 0.08 ms a document).
        if starts_with(b"<w:p>", at):
            name, close = b"p", find(_P_END, at + 5)
            end = close + len(_P_END)
        elif starts_with(b"<w:tbl>", at):
            name, close = b"tbl", find(_TBL_END, at + 7)
            end = close + len(_TBL_END)
        else:
            block = _BLOCK.match(xml, at)
            if block is None:
                break
            name, opened = block.group(2), block.end()
            at = block.start(1)
            closing = b"" if block.group(1).endswith(b"/>") else _CLOSE[name]  # <w:p/>: the start tag is the block
            close = find(closing, opened)
            end = close + len(closing)
        if close == -1:
            return None
        add_block((name, xml[at:end]))
        add_start(at)
        at = end
    ending = _END.search(xml, at)
    if ending is None or ending.end() != len(xml):
        return None
    return Body(opening, b"</w:body></w:document>", tuple(blocks), xml[at : ending.start()], tuple(starts))


def plain_block(kind: bytes, text: bytes) -> bool:
    """Whether a block is one the scan places exactly (see the module's docstring)."""
    return not any(marker in text for marker in _UNPLAIN) and _NESTED[kind].search(text, 1) is None


def plain_tail(tail: bytes) -> bool:
    """Whether what follows the blocks is the section's properties (or nothing), holding no block."""
    rest = tail.lstrip(b" \t\r\n")
    return (
        (not rest or rest.startswith(b"<w:sectPr"))
        and not any(marker in tail for marker in _UNPLAIN)
        and _NESTED[b"p"].search(tail) is None
    )
