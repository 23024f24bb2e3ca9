"""The Jinja source of a template part, and where a line of it stands in the Word document.

A part's XML is one long line, so a Jinja line number says nothing. `one_tag_a_line` breaks
the source inside each tag's opening delimiter (`{{` + newline + `title }}`), which Jinja
reads as whitespace within the tag, so the output is unchanged and the line of any error —
syntax, unsafe attribute, missing field — is the line of its tag. `near` then gives the
paragraph or table row around it as a template owner sees it in Word. Used by the renderer
(generator.docx.render) and the template check (generator.checks.templates) alike.
"""

from __future__ import annotations

import bisect
import html
import re

_NEAR_MAX = 160
_TAG = re.compile(r"(\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\})", re.DOTALL)
_TAG_OPEN = re.compile(r"\{[{%][-+]?")
_TAG_CLOSE = re.compile(r"[-+]?[}%]\}")
_NEWLINE = re.compile(r"\r\n|\r|\n")  # as Jinja counts lines
_PARAGRAPH = re.compile(r"<w:p[ >]")
_BLOCK_TAG = re.compile(r"\{%[-+]?\s*(\w+)(.*?)[-+]?%\}", re.DOTALL)
_OPENERS = {"if", "for", "macro", "call", "filter", "with", "block", "raw", "autoescape", "trans"}


def one_tag_a_line(source: str) -> str:
    """`source` with a line break just inside every tag opener: same output, a line per tag."""
    return _TAG_OPEN.sub(lambda m: m.group() + "\n", source)


def line_start(source: str, lineno: int) -> int:
    """Offset in `source` of the start of line `lineno` (1-based; past the end: the last line)."""
    starts = [0, *(m.end() for m in _NEWLINE.finditer(source))]
    return starts[max(min(lineno, len(starts)), 1) - 1]


def tag_at(source: str, lineno: int | None) -> str | None:
    """The tag on line `lineno` of a `one_tag_a_line` source, as written: `{{ title }}`."""
    if not lineno:
        return None
    start = line_start(source, lineno)
    opener = max(_TAG_OPEN.finditer(source, max(start - 4, 0), start), key=lambda m: m.start(), default=None)
    if opener is None or opener.end() != start - 1:
        return None
    close = _TAG_CLOSE.search(source, start)
    end = close.end() if close else min(len(source), start + _NEAR_MAX)
    inner = " ".join(re.sub(r"<[^>]*>", "", source[start : close.start() if close else end]).split())
    tag = f"{opener.group()} {inner} {source[close.start() : end] if close else '…'}"
    return _clip(html.unescape(tag))


def text_of(xml: str) -> str:
    """Document text of a piece of patched XML: XML tags stripped (Jinja tags kept), entities decoded."""
    pieces = _TAG.split(xml)
    text = "".join(p if i % 2 else html.unescape(re.sub(r"<[^>]*>", "", p)) for i, p in enumerate(pieces))
    return " ".join(text.split())


def near(source: str, lineno: int | None) -> str | None:
    """The paragraph where line `lineno` starts, or the whole table row (cells joined by |) when
    it is in a table; for an empty paragraph (an error at the end of a part), the nearest text before it."""
    if not lineno:
        return None
    start = line_start(source, lineno)
    row_open = max(source.rfind("<w:tr>", 0, start), source.rfind("<w:tr ", 0, start))
    if row_open > source.rfind("</w:tr>", 0, start):
        row_close = source.find("</w:tr>", start)
        row = source[row_open : row_close if row_close >= 0 else len(source)]
        cells = [text_of(cell) for cell in row.split("</w:tc>")]
        text = " | ".join(c for c in cells if c)
        if text:
            return _clip(f"table row: {text}")
    bounds = [0, *(m.start() for m in _PARAGRAPH.finditer(source)), len(source)]
    index = bisect.bisect_right(bounds, start) - 1
    for i in range(min(index, len(bounds) - 2), max(index - 4, -1), -1):
        text = text_of(source[bounds[i] : bounds[i + 1]])
        if text:
            return _clip(text)
    return None


def syntax_error_line(source: str, message: str | None, lineno: int | None) -> int | None:
    """The line a Jinja syntax error in `source` belongs to. For "Unexpected end of template"
    Jinja names the end of the part, far from the fault: the innermost block never closed."""
    if message and message.startswith("Unexpected end of template"):
        return _unclosed_block_line(source) or lineno
    return lineno


def _unclosed_block_line(source: str) -> int | None:
    stack: list[tuple[str, int]] = []
    for match in _BLOCK_TAG.finditer(source):
        tag, rest = match.group(1), match.group(2)
        if tag in _OPENERS or (tag == "set" and "=" not in rest):
            stack.append((tag, match.start(1)))
        elif tag.startswith("end") and stack and stack[-1][0] == tag[3:]:
            stack.pop()
    if not stack:
        return None
    # The line of the tag's name: with one tag a line, the line after its opener.
    return len(_NEWLINE.findall(source, 0, stack[-1][1])) + 1


def _clip(text: str) -> str:
    return text if len(text) <= _NEAR_MAX else text[: _NEAR_MAX - 1] + "…"
