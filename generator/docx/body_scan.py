"""A rendered document body's top-level paragraphs and tables found in its text, each as the
exact text that writes it, so that a block a template repeats word for word (a declaration, a
signature block, an agreement's conditions) is judged once per batch, not once per document.

The scan reads only documents written as Word and grantdocs' templates write them, and says
None for any other (lxml then reads the whole tree): nothing it cannot place exactly, such as a
comment, a CDATA section or a DOCTYPE, a second name for the WordprocessingML namespace, a
content control, an image, a table or paragraph inside a paragraph, a table inside a table, or
anything but white space between blocks. Whoever uses a scan parses, once for each different
text, each block and the body's tail within the document's opening: so a scanned document is
well-formed XML exactly when the tree's parse would have found it so.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from generator.docx.ooxml import W

_BLOCK = re.compile(r"""\s*(<w:(p|tbl)(?=[\s/>])(?:[^>"']|"[^"]*"|'[^']*')*>)""")  # attribute values may hold ">", never "<"
_INNER = {"p": re.compile(r"<w:(?:p|tbl)(?=[\s/>])"), "tbl": re.compile(r"<w:tbl(?=[\s/>])")}  # what the scan cannot place
_ROOT = re.compile(r"""\s*(<\?xml(?:[^?]|\?(?!>))*\?>)?\s*(<w:document(?=[\s>])(?:[^>"']|"[^"]*"|'[^']*')*>)\s*<w:body>""")
_UTF_8 = re.compile(r"""encoding\s*=\s*["']utf-?8["']""", re.IGNORECASE)
_END = re.compile(r"</w:body>\s*</w:document>\s*")
_UNSCANNED = (b"<!", b"<w:sdt", b"docPr", b"imagedata")  # see the module's docstring
_W_DECLARED = f'xmlns:w="{W}"'


@dataclass(frozen=True)
class Body:
    """A body's top-level blocks in order, each ("p" or "tbl", its text), and what follows them
    (the section's properties). Each, and the tail, parses as `opening` + text + `closing`."""

    opening: str  # the XML declaration, the root's start tag and the body's
    closing: str
    blocks: tuple[tuple[str, str], ...]
    tail: str


def scan_body(xml: bytes) -> Body | None:
    """The body of a main document part, or None when it is not written plainly enough to scan."""
    if any(marker in xml for marker in _UNSCANNED) or xml.count(b"<?") > 1:
        return None
    try:
        text = xml.decode("utf-8")
    except UnicodeDecodeError:
        return None
    # One name for the namespace, w: (the URI written once, in the root's declaration).
    if text.count(W) != 1 or _W_DECLARED not in text:
        return None
    root = _ROOT.match(text)
    if root is None:
        return None
    declaration = root.group(1) or ""
    if "encoding" in declaration and not _UTF_8.search(declaration):  # read as UTF-8 above, where the parse would not
        return None
    blocks: list[tuple[str, str]] = []
    at = root.end()
    while (block := _BLOCK.match(text, at)) is not None:
        start, name = block.start(1), block.group(2)
        if block.group(1).endswith("/>"):
            end = block.end()
        else:
            close = text.find(f"</w:{name}>", block.end())
            if close == -1 or _INNER[name].search(text, block.end(), close):
                return None
            end = close + len(name) + 5
        blocks.append((name, text[start:end]))
        at = end
    ending = _END.search(text, at)
    if ending is None or ending.end() != len(text):
        return None
    tail = text[at : ending.start()]
    if (tail.strip() and not tail.lstrip().startswith("<w:sectPr")) or _INNER["p"].search(tail):
        return None
    return Body(opening=text[: root.end()], closing="</w:body></w:document>", blocks=tuple(blocks), tail=tail)
