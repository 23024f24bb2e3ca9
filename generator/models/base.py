"""Shared field types: validated text, money held to the penny, UK dates, references."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field

# XML 1.0 forbids most C0 controls, U+FFFE and U+FFFF, and DEL is never meant; docxtpl also
# treats \a, \t and \f as its own paragraph, tab and page-break markers, so a pasted control
# character would silently reshape a document. The reader (source.py) refuses these with the line
# of the value; the Text type holds the same rule for text that reaches a model some other way.
UNHOLDABLE = "".join(map(chr, [*range(0x09), *range(0x0E, 0x20), 0x7F, 0xFFFE, 0xFFFF]))
"""What a document cannot hold, lone surrogates aside (those are no characters of their own)."""
WORD_BREAKS = "\x0b\x0c\u2028\u2029"
"""Word's manual line break and page break, and the Unicode line and paragraph separators, as
text copied out of Word carries them."""
_UNHOLDABLE = re.compile(f"[{re.escape(UNHOLDABLE)}\ud800-\udfff]")
LINE_BREAK = re.compile(f"\r\n?|[{WORD_BREAKS}]")
"""Each becomes a line break ("\n"): Word's breaks, and carriage returns."""

# A bullet or number typed at the start of text: Word lists number and bullet their own items, and
# a typed marker is read out as text by screen readers (grantdocs check flags it in outputs too).
TYPED_LIST_MARKER = re.compile(r"^\s*(?:[•◦▪▫‣⁃●○■□►▶➢✓*–-]|\d{1,3}[.)]|[a-z][.)]|[ivx]{1,4}[.)])(?=\s)")
_UK_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")


class InputModel(BaseModel):
    """Base of every input model: unknown keys are errors, values are immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


def unholdable(value: str) -> str | None:
    """What is wrong with `value` if it has a character a Word document cannot hold (the first one), else None."""
    bad = _UNHOLDABLE.search(value)
    if bad is None:
        return None
    return f"contains {_describe(bad.group())} at character {bad.start() + 1}, which a Word document cannot hold: delete it"


def _describe(char: str) -> str:
    code = ord(char)
    if 0xD800 <= code <= 0xDFFF:
        return f"half of a character (the lone surrogate U+{code:04X})"
    if code in (0xFFFE, 0xFFFF):
        return f"the non-character U+{code:04X}"
    return f"the control character U+{code:04X}"


def _clean_text(value: str) -> str:
    problem = unholdable(value)
    if problem:
        raise ValueError(problem)
    return LINE_BREAK.sub("\n", value).replace("\t", " ").strip()


def _non_empty(value: str) -> str:
    if not value:
        raise ValueError("must not be empty")
    return value


def _no_typed_marker(value: str) -> str:
    marker = TYPED_LIST_MARKER.match(value)
    if marker:
        raise ValueError(
            f"starts with a typed list marker ({marker.group().strip()!r}): write list items under "
            "`bullets:` or `sub_items:`, which Word bullets and numbers itself"
        )
    return value


Text = Annotated[str, AfterValidator(_clean_text), AfterValidator(_non_empty), AfterValidator(_no_typed_marker)]
"""A piece of document text: trimmed, non-empty, free of control characters and of typed list markers."""


def parse_date(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, str):
        text = value.strip()
        match = _UK_DATE.match(text)
        try:
            if match:
                day, month, year = (int(g) for g in match.groups())
                return date(year, month, day)
            return date.fromisoformat(text)
        except ValueError as exc:
            raise ValueError(f"not a date: {text!r} (write 2022-11-03 or 03/11/2022)") from exc
    return value


UKDate = Annotated[date, BeforeValidator(parse_date)]
"""A calendar date, written ISO (2022-11-03) or UK style (03/11/2022)."""

_REFERENCE = re.compile(r"^(PCD \d{1,5}|DMPCD \d{4} \d{1,4})$")


def _check_reference(value: str) -> str:
    normalised = " ".join(value.split())
    if not _REFERENCE.match(normalised):
        raise ValueError(f'{value!r} is not a decision reference: write "PCD 1284" or, for older decisions, "DMPCD 2015 148"')
    return normalised


Reference = Annotated[
    str,
    AfterValidator(_check_reference),
    Field(
        description='Decision reference: "PCD 1284" (2016 on) or "DMPCD 2015 148" (earlier).',
        examples=["PCD 1284", "DMPCD 2015 148"],
    ),
]
