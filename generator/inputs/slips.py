"""Everyday slips that YAML misreads, found where they stand and explained with what to type.

Text that needs quoting (a leading quote followed by more text; a leading * & ! % @ ` | > [ {;
': ' or ' #' inside it), a list item out of line with its siblings, a key with no space after
its colon, a tab for indentation. A slip YAML reads without complaint (a list item joined to the
paragraph above, text cut off as a comment, a word taken as a type tag) is a problem of its own,
looked for only where a cheap sign of it shows; the hints beside a syntax error are worked out
in generator.inputs.syntax_hints, only once the parser has failed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Protocol

# The line breaks libyaml counts, so that line numbers agree with its marks.
LINE_BREAKS = re.compile("\r\n|[\r\n\x85\u2028\u2029]")
FIELD_NAME = re.compile(r"[a-z][a-z0-9_]*")  # a field name, as every key an input needs is
SQUEEZED_KEY = re.compile(r"[ ]*(?:-[ ]+)*(?P<key>[a-z][a-z0-9_]*):(?=[^\s/:])")  # `key:value`
_PASTED_SPACE = re.compile(r"[ \xa0]*(?:-[ \xa0]*)*(?:[a-z][a-z0-9_]*:)?(?=\xa0)")
WIDTH = 60  # of text quoted in a message


class Mark(Protocol):
    """A place in the text parsed, as libyaml's marks and PyYAML's own give it (0-based)."""

    @property
    def index(self) -> int: ...
    @property
    def line(self) -> int: ...
    @property
    def column(self) -> int: ...


@dataclass(frozen=True)
class Slip:
    """A slip at a 1-based line and column, as an editor shows them, and what to do about it."""

    line: int
    column: int
    message: str


def comment_sign(text: str, index: int) -> bool:
    """Whether ' #' at text[index] stands between two pieces of text, where YAML starts a comment
    and an officer meant text (a number, a hashtag): a comment written as one has a space after
    its #, or starts its line."""
    after = text[index + 2 : index + 3]
    return text.startswith(" #", index) and index > 0 and not text[index - 1].isspace() and after not in ("", "#") and not after.isspace()


def quote_fix(what: str, example: str | None = None) -> str:
    """How to write a value YAML would misread as text: in single quotes, or as a folded block."""
    shown = f", as {example}" if example else ""
    return (
        f"put the whole {what} in single quotes{shown}, writing any ' inside it as ''; "
        f"or write > in its place and the {what} on the lines below it, indented further"
    )


def continued_item(text: str, marks: tuple[Mark, Mark], *, in_list: bool) -> Slip | None:
    """A line of the plain value between `marks` starting with '- ': a list item indented further
    than its siblings (when the value is a list item itself) or written under text, which YAML
    joins to the value before it."""
    start, end = marks
    span = text[start.index : end.index]
    joined = " ".join(span.split())
    for offset, line in enumerate(LINE_BREAKS.split(span)[1:], start=1):
        content = line.lstrip(" ")
        if not (content.startswith("- ") or content == "-"):
            continue
        at = (start.line + offset + 1, len(line) - len(content) + 1)
        if not in_list:
            return Slip(
                *at,
                f"a line starting with '- ' under text is read as more of that text ({shorten(joined)!r}): a list goes on "
                "the lines under its key, with nothing after the colon; if the dash belongs to the text, " + quote_fix("text"),
            )
        theirs = text.rfind("-", start.index - start.column, start.index)
        columns = f" (its - is in column {at[1]}, theirs in column {theirs - (start.index - start.column) + 1})" if theirs >= 0 else ""
        return Slip(
            *at,
            f"this list item is indented further than the items above it{columns}, so YAML reads it as more of the paragraph "
            f"before it ({shorten(joined)!r}): line its - up with theirs; if the dash belongs to the text, " + quote_fix("paragraph"),
        )
    return None


def comment_slip(text: str, end: Mark, *, what: str) -> Slip:
    """Text after ' #' right after a value ending at `end`, which YAML left out as a comment."""
    cut = text[end.index + 1 : _line_end(text, end.index)].rstrip()
    return Slip(
        end.line + 1,
        end.column + 2,
        f"' #' starts a comment, so YAML leaves {shorten(cut)!r} out of the {what}: "
        + quote_fix(what)
        + "; for a comment, put a space after the #",
    )


def tag_slip(text: str, start: Mark, *, what: str) -> Slip:
    """A value starting with ! (at `start`): YAML took its first word for a type tag, not text."""
    word = (text[start.index : _line_end(text, start.index)].split(maxsplit=1) or ["!"])[0]
    return Slip(
        start.line + 1,
        start.column + 1,
        f"YAML reads {word!r} at the start of this {what} as a type tag and leaves it out: " + quote_fix(what),
    )


def missing_space(key: str) -> str:
    """The hint for `key:value`, which YAML reads as one piece of text, not a key and its value."""
    return f"hint: a key needs a space after its colon: write '{key}: …', not '{key}:…'"


def squeezed_key(value: str) -> str | None:
    """The key of a text that is `key:value` (a key with no space after its colon), else None."""
    match = SQUEEZED_KEY.match(value)
    return match.group("key") if match else None


PASTED_SPACE = (
    "hint: a non-breaking space here (pasted from Word or email): YAML needs ordinary spaces to indent a line and after - or ':': retype it"
)


def pasted_space(value: str) -> int | None:
    """Where a non-breaking space (Word's, pasted) stands in `value` in place of the space YAML
    needed to indent, or after a - or a key's colon; None if it has none there."""
    match = _PASTED_SPACE.match(value)
    return match.end() if match else None


def looks_like_text(key: object) -> bool:
    """A key no input has: not a field name (capitals, spaces, punctuation)."""
    return isinstance(key, str) and key.strip() != "" and FIELD_NAME.fullmatch(key) is None


def shorten(value: str) -> str:
    return value if len(value) <= WIDTH else value[: WIDTH - 2].rstrip() + " …"


def _line_end(text: str, index: int) -> int:
    match = LINE_BREAKS.search(text, index)
    return match.start() if match else len(text)
