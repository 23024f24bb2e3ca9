"""Hints beside a YAML syntax error, or a key YAML read where text was meant: the everyday
slip behind it, found where it stands and explained with what to type (generator.inputs.slips
holds the slips YAML reads without complaint, and the pieces of advice both share).

Worked out only once the parser has failed, from the lines around the place it stopped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import yaml

from generator.inputs.slips import FIELD_NAME, LINE_BREAKS, SQUEEZED_KEY, WIDTH, Slip, comment_sign, missing_space, quote_fix, shorten

# A line's structure before its value: indentation, list dashes, and a key if there is one.
_OWNER = re.compile(r"(?P<indent>[ ]*)(?P<dashes>(?:-[ ]+)*)(?:(?P<key>[^\s#'\"\[\]{},&*!|>%@`?:-][^#]*?):(?:[ ]+|$))?")
_BLOCK_HEADER = re.compile(r"[|>][0-9+-]*")
_MARKUP = "*&!%@`"  # YAML gives these a meaning at the start of a value, whatever follows
_OPENERS = "\"'[{|>"  # and these, when text follows what they open


def key_in_text(text: str, key: str, *, at: tuple[int, int], what: str) -> Slip | None:
    """A key at `at` (1-based line and column) that reads as text ('Environmental: impact …'): the
    ': ' after it made a mapping of what was meant as one piece of text."""
    line, column = at
    lines = LINE_BREAKS.split(text)
    if not 0 < line <= len(lines):
        return None
    written = lines[line - 1][column - 1 :]
    end = (_quoted_end(written) or 0) if written[:1] in ("'", '"') else len(key)
    if not end or written[end : end + 1] != ":":
        return None
    here = _Lines(lines)
    example = None if here.continues(line - 1, here.value(line - 1).owner) else _example(written.rstrip())
    return Slip(
        line,
        column + end,
        f"hint: ': ' after {written[:end]!r} makes YAML read it as a key, not as part of the {what}: " + quote_fix(what, example),
    )


def syntax_slip(text: str, error: yaml.MarkedYAMLError) -> Slip | None:
    """The slip behind a YAML syntax error, if it is one of the everyday ones; None otherwise."""
    mark = error.problem_mark or error.context_mark
    if mark is None:
        return None
    lines = LINE_BREAKS.split(text)
    if not 0 <= mark.line < len(lines):
        return None
    here = _Lines(lines)
    context = error.context_mark.line if error.context_mark is not None and error.context_mark.line < len(lines) else mark.line
    return (
        here.tab(mark.line, mark.column)
        or here.leading(mark.line, mark.column)
        or here.missing_space(sorted({context, here.above(mark.line), mark.line}))
        or here.colon(mark.line, mark.column, problem=str(error.problem))
        or here.dash(mark.line, mark.column)
        or here.comment(mark.line)
    )


@dataclass(frozen=True)
class _Value:
    """A value: the line it starts on and its column there (0-based), what to call it in a
    message, and the column of what owns it (its dash or key)."""

    line: int
    start: int
    what: str
    owner: int


class _Lines:
    """The lines of a file that failed to parse, read around the place it failed (0-based)."""

    def __init__(self, lines: list[str]) -> None:
        self.lines = lines

    def _indent(self, index: int) -> int:
        line = self.lines[index]
        return len(line) - len(line.lstrip(" "))

    def _blank(self, index: int) -> bool:
        content = self.lines[index].strip()
        return not content or content.startswith("#")

    def above(self, index: int) -> int:
        """The nearest line above `index` with something on it other than a comment (or `index`)."""
        return next((i for i in range(index - 1, -1, -1) if not self._blank(i)), index)

    def continues(self, index: int, owner: int) -> bool:
        """Whether the value on line `index`, owned by a dash or key in column `owner`, goes on below."""
        below = next((i for i in range(index + 1, len(self.lines)) if not self._blank(i)), None)
        return below is not None and self._indent(below) > owner

    def owner(self, index: int) -> int | None:
        """The line whose value line `index` continues: the nearest above it indented less."""
        indent = self._indent(index)
        return next((i for i in range(index - 1, -1, -1) if not self._blank(i) and self._indent(i) < indent), None)

    def value(self, index: int) -> _Value:
        """The value on line `index`: its own if the line has a dash or a key, else the one it continues."""
        while True:
            match = _OWNER.match(self.lines[index])
            assert match is not None  # every part of the pattern is optional
            indent, dashes, key = len(match.group("indent")), match.group("dashes"), match.group("key")
            if key is not None and FIELD_NAME.fullmatch(key.strip()):
                return _Value(index, match.end(), "text", indent + len(dashes))
            if dashes:
                return _Value(index, indent + len(dashes), "paragraph", self.lines[index].rfind("-", 0, indent + len(dashes)))
            owner = self.owner(index)
            if owner is None:
                return _Value(index, indent, "text", indent - 1)
            index = owner

    def tab(self, index: int, column: int) -> Slip | None:
        """A tab on the line the parser stopped, before the place it stopped: YAML indents with spaces only."""
        at = self.lines[index].find("\t", 0, column + 1)
        if at < 0:
            return None
        return Slip(index + 1, at + 1, "hint: a tab here: YAML takes only spaces to indent a line and after - or ':': type spaces instead")

    def leading(self, index: int, column: int) -> Slip | None:
        """A value starting with a character YAML gives a meaning to, on the line the parser stopped."""
        found = self.value(index)
        if found.line != index or column < found.start:
            return None
        value = self.lines[index][found.start :].rstrip()
        if not value:
            return None
        first, what = value[0], found.what
        if value.startswith("- ") and found.what == "text":
            return Slip(
                index + 1,
                found.start + 1,
                "hint: a list cannot start on the line of its key: put each item on a line of its own below the key, "
                "starting with '- ' and indented further than the key",
            )
        if first in _MARKUP:
            reason = f"YAML reads {first} at the start of this {what} as markup, not as text"
        elif first not in _OPENERS or not _more_after(value):
            return None
        elif first in "\"'":
            reason = f"this {what} starts with a quote, so YAML ends it where the quote closes and cannot read what follows"
        elif first in "[{":
            kind, closer = ("list", "]") if first == "[" else ("mapping", "}")
            reason = f"this {what} starts with {first}, so YAML reads a {kind} up to the {closer} and cannot read what follows"
        else:
            reason = f"{first} at the start of this {what} begins a YAML block, whose text goes on the lines below"
        example = None if self.continues(index, found.owner) else _example(value)
        return Slip(index + 1, found.start + 1, f"hint: {reason}: " + quote_fix(what, example))

    def missing_space(self, indexes: list[int]) -> Slip | None:
        """`key:value` with no space after the colon: YAML reads the whole line as text."""
        for index in indexes:
            match = SQUEEZED_KEY.match(self.lines[index])
            if match:
                key = match.group("key")
                return Slip(index + 1, match.end(), missing_space(key))
        return None

    def colon(self, index: int, column: int, *, problem: str) -> Slip | None:
        """': ' inside text (YAML's "mapping values are not allowed"), or a key indented too far."""
        line = self.lines[index]
        if "mapping values are not allowed" not in problem or line[column : column + 1] != ":":
            return None
        found = self.value(index)
        if found.line == index and column >= found.start:  # a second ': ' on the line of a key, or one in a list item
            example = None if self.continues(index, found.owner) else _example(line[found.start :].rstrip())
            return Slip(
                index + 1,
                column + 1,
                f"hint: ': ' inside this {found.what} makes YAML read the words before it as a key: " + quote_fix(found.what, example),
            )
        # A continued line: a key indented further than the one above it, or text with ': ' in it.
        above = self.owner(index)
        if above is None:
            return None
        start = _OWNER.match(self.lines[above])
        word = line[:column].strip()
        if start is not None and start.group("key") is not None and FIELD_NAME.fullmatch(word):
            keys = len(start.group("indent")) + len(start.group("dashes")) + 1
            return Slip(
                index + 1,
                column + 1,
                f"hint: '{word}:' is indented further than the line above it, so YAML reads it as more of that line's value: "
                f"if it is a key, start it in column {keys}, like the key above it; if it is text, " + quote_fix(found.what),
            )
        return Slip(
            index + 1,
            column + 1,
            f"hint: ': ' inside this {found.what} (from line {found.line + 1}) makes YAML read the words before it as a key: "
            + quote_fix(found.what),
        )

    def dash(self, index: int, column: int) -> Slip | None:
        """A list item whose - is not in line with the items above it."""
        content = self.lines[index].lstrip(" ")
        dash = self._indent(index)
        if column != dash or not (content.startswith("- ") or content == "-"):
            return None
        for i in range(index - 1, -1, -1):
            if self._blank(i):
                continue
            theirs, stripped = self._indent(i), self.lines[i].lstrip(" ")
            if stripped.startswith("- ") or stripped == "-":
                if theirs == dash:
                    return None
                return Slip(
                    index + 1,
                    dash + 1,
                    f"hint: this list item's - is in column {dash + 1}, but the items above it have theirs in column {theirs + 1}: "
                    "line it up with them",
                )
            if theirs < dash:
                return None  # the key above the list: no item above this one
        return None

    def comment(self, index: int) -> Slip | None:
        """' #' cut a value short on the line above the place the parser stopped, stranding its next line."""
        above = self.above(index)
        line = self.lines[above]
        at = line.find(" #")
        while at >= 0 and not comment_sign(line, at):
            at = line.find(" #", at + 1)
        if above == index or at < 0:
            return None
        what = self.value(above).what
        cut = line[at + 1 :].rstrip()
        return Slip(
            above + 1,
            at + 2,
            f"hint: ' #' starts a comment, so YAML leaves {shorten(cut)!r} out of the {what} and cannot read the line after it: "
            + quote_fix(what)
            + "; for a comment, put a space after the #",
        )


def _more_after(value: str) -> bool:
    """Whether text follows the quoted part, list, mapping or block header `value` starts with."""
    first, header = value[0], _BLOCK_HEADER.match(value)
    if header is not None:
        end: int | None = header.end()
    elif first in "\"'":
        end = _quoted_end(value)
    else:
        end = _bracketed_end(value)
    if end is None:
        return False
    rest = value[end:].lstrip(" \t")
    return bool(rest) and rest[0] not in "#:,]}"


def _quoted_end(value: str) -> int | None:
    """The index just past the quote closing the one `value` starts with, on this line."""
    quote, i = value[0], 1
    while i < len(value):
        if quote == '"' and value[i] == "\\":
            i += 2
        elif value[i] != quote:
            i += 1
        elif quote == "'" and value[i + 1 : i + 2] == "'":
            i += 2
        else:
            return i + 1
    return None


def _bracketed_end(value: str) -> int | None:
    """The index just past the bracket closing the one `value` starts with, on this line."""
    depth = 0
    for i, char in enumerate(value):
        if char in "[{":
            depth += 1
        elif char in "]}":
            depth -= 1
            if depth == 0:
                return i + 1
    return None


def _example(value: str) -> str:
    """`value` in single quotes, as the officer would type it (shortened in the middle if long)."""
    quoted = value.replace("'", "''")
    if len(quoted) > WIDTH:
        quoted = quoted[: WIDTH - 16].rstrip() + " … " + quoted[-12:].lstrip()
    return f"'{quoted}'"
