"""Shared field types: validated text, money held to the penny, UK dates, references."""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, GetJsonSchemaHandler, WithJsonSchema
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema

from generator.domain.common.shapes import shapes_read_by

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
# In ASCII text, what `Text` refuses or changes (a tab becomes a space); text with none is only trimmed.
_TO_CLEAN = re.compile(f"[{re.escape(UNHOLDABLE + WORD_BREAKS)}\r\t]")

# A bullet or number typed at the start of text: Word lists number and bullet their own items, and
# a typed marker is read out as text by screen readers (grantdocs check flags it in outputs too).
TYPED_LIST_MARKER = re.compile(r"^\s*(?:[•◦▪▫‣⁃●○■□►▶➢✓*–-]|\d{1,3}[.)]|[a-z][.)]|[ivx]{1,4}[.)])(?=\s)")
# ASCII digits only, and ISO as YYYY-MM-DD alone: Python would read ٢٠٢٢-١١-٠٣, 20221103 and
# (in 3.11) 2022110300 as dates an officer never wrote.
_UK_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$", re.ASCII)
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$", re.ASCII)


class InputModel(BaseModel):
    """Base of every input model: unknown keys are errors, values are immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)

    @classmethod
    def __get_pydantic_json_schema__(cls, core_schema: CoreSchema, handler: GetJsonSchemaHandler) -> JsonSchemaValue:
        """The mapping's JSON schema, widened to the shapes each mode="before" validator reads
        (marked with shapes.reads), so that an editor accepts every shorthand validate accepts."""
        schema = handler(core_schema)
        for name, decorator in cls.__pydantic_decorators__.model_validators.items():
            if decorator.info.mode != "before":
                continue
            shapes = shapes_read_by(decorator.func)
            if shapes is None:
                raise TypeError(f"{cls.__name__}.{name} reads its input before validation: mark it with @reads(...) to say what it reads")
            schema = shapes(schema, handler)
        return schema


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


# Characters that make text read differently from what it shows: invisible ones (zero-width
# spaces, word joiners, a byte-order mark mid-text; not the zero-width joiners that emoji and some
# scripts are made of), bidirectional controls that
# reorder what follows (the "Trojan Source" trick: RLO, LRI …), signs that look like £ but are
# not, and digits of other scripts (４５０ and ٤٥٠ read as 450 to a money check). Each is
# refused where it is typed, so that what a check reads is what the reader sees.
_DECEPTIVE_CHARACTERS = "\u200b\u200e\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff\u061c\u180e\u20a4\uffe1"  # but digits
# One character: one of those, or a digit (\d, of any script) that is not 0-9. Each is beyond
# ASCII, so the pattern begins with any character beyond ASCII and looks back at it only then:
# the search passes over the rest in C, where [...]|(?![0-9])\d was tried at every character,
# some five times as slow.
_DECEPTIVE = re.compile(f"[^\\x00-\\x7f](?:(?<=[{_DECEPTIVE_CHARACTERS}])|(?<=\\d))")


def deceptive(value: str) -> str | None:
    """What is wrong with `value` if it has a character that makes it read differently from what it shows, else None."""
    if value.isascii():  # every such character is beyond ASCII: most text is decided without the search
        return None
    bad = _DECEPTIVE.search(value)
    if bad is None:
        return None
    char = bad.group()
    name = f"U+{ord(char):04X} {unicodedata.name(char, 'unnamed')}"
    where = f"at character {bad.start() + 1}"
    if char.isdecimal():
        return f"contains a digit of another script ({name}) {where}: type the digits 0-9"
    if char in "\u20a4\uffe1":
        return f"contains a sign that looks like £ but is not ({name}) {where}: type £"
    if char in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u061c\u200e\u200f":
        return f"contains a bidirectional control ({name}) {where}, which changes the order text is shown in: delete it"
    return f"contains an invisible character ({name}) {where}: delete it"


def _text(value: str) -> str:
    """Text as a document holds it (see `Text`), or ValueError saying what is wrong with it: one
    validator rather than one for each rule, as every piece of text of every input is checked."""
    # No character a document cannot hold, nor a line break or a tab, is printable: printable text
    # (nearly all) has none to refuse or to change, which a C loop decides at a fraction of the
    # cost of a pattern's search. Printable ASCII (most text) is then only trimmed.
    printable = value.isprintable()
    if value.isascii() and (printable or _TO_CLEAN.search(value) is None):
        value = value.strip()  # nothing to refuse or turn into a line break or a space: most text
    else:
        problem = (None if printable else unholdable(value)) or deceptive(value)
        if problem:
            raise ValueError(problem)
        if not printable:
            value = LINE_BREAK.sub("\n", value).replace("\t", " ")
        value = value.strip()
    if not value:
        raise ValueError("must not be empty")
    # A marker begins with a space, a bullet, a digit or a small letter: text begun with a capital,
    # as most is, has none, and is not searched.
    marker = None if "A" <= value[0] <= "Z" else TYPED_LIST_MARKER.match(value)
    if marker:
        raise ValueError(
            f"starts with a typed list marker ({marker.group().strip()!r}): write list items under "
            "`bullets:` or `sub_items:`, which Word bullets and numbers itself"
        )
    return value


# The marker check runs on stripped text: a marker counts only with text after it.
TEXT_SCHEMA: JsonSchemaValue = {"pattern": r"\S", "not": {"type": "string", "pattern": TYPED_LIST_MARKER.pattern + r"\s*\S"}}
"""Text in JSON Schema terms: something other than spaces, not starting with a typed list marker."""

Text = Annotated[
    str,
    AfterValidator(_text),
    Field(json_schema_extra=TEXT_SCHEMA),
]
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
            if not _ISO_DATE.match(text):
                raise ValueError(text)
            return date.fromisoformat(text)
        except ValueError as exc:
            raise ValueError(f"not a date: {text!r} (write 2022-11-03 or 03/11/2022)") from exc
    return value


EARLIEST, LATEST = date(1900, 1, 1), date(2200, 12, 31)


def _plausible(value: date) -> date:
    if not EARLIEST <= value <= LATEST:
        raise ValueError(
            f"{value.day:02}/{value.month:02}/{value.year:04} is not a plausible date for a decision (1900 to 2200): check the year"
        )
    return value


_DAY = r"(?:0?[1-9]|[12]\d|3[01])"
_MONTH = r"(?:0?[1-9]|1[0-2])"
DATE_FORMS = (
    rf"{_DAY}/{_MONTH}/\d{{4}}",  # UK: 03/11/2022 (what _UK_DATE reads)
    r"\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])",  # ISO: 2022-11-03 (what _ISO_DATE admits)
)
"""The ways a date may be written (as patterns; each unanchored); parse_date reads them."""


def date_schema(*forms: str, description: str) -> JsonSchemaValue:
    """JSON Schema of a date written in one of `forms` (patterns)."""
    return {"type": "string", "pattern": rf"^\s*(?:{'|'.join(forms)})\s*$", "description": description}


UKDate = Annotated[
    date,
    BeforeValidator(parse_date),
    AfterValidator(_plausible),
    WithJsonSchema(date_schema(*DATE_FORMS, description="A date, ISO (2022-11-03) or UK style (03/11/2022).")),
]
"""A calendar date, written ISO (2022-11-03) or UK style (03/11/2022)."""

_REFERENCE = re.compile(r"^(PCD \d{1,5}|DMPCD \d{4} \d{1,4}|PCD TBC)$")
REFERENCE_PATTERN = r"^\s*(?:PCD\s+\d{1,5}|DMPCD\s+\d{4}\s+\d{1,4}|PCD\s+TBC)\s*$"
DRAFT_REFERENCE = "PCD TBC"
"""The reference of a decision written before its number is assigned: it is a draft."""
"""_REFERENCE before _check_reference collapses the spaces."""


def _check_reference(value: str) -> str:
    normalised = " ".join(value.split())
    if not _REFERENCE.match(normalised):
        raise ValueError(
            f'{value!r} is not a decision reference: write "PCD 1284" (or "PCD TBC" until the number is assigned) '
            'or, for older decisions, "DMPCD 2015 148"'
        )
    return normalised


Reference = Annotated[
    str,
    AfterValidator(_check_reference),
    Field(
        description='Decision reference: "PCD 1284" (2016 on) or "DMPCD 2015 148" (earlier); "PCD TBC" for a draft whose number is not yet assigned.',
        examples=["PCD 1284", "DMPCD 2015 148", "PCD TBC"],
        json_schema_extra={"type": "string", "pattern": REFERENCE_PATTERN},
    ),
]
