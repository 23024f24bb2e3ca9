"""Protective markings: the Government Security Classifications as MOPAC and the MPS write them.

A marking is printed in capitals, centred, at the top and bottom of every page. Part 1 of a
decision is published, so it is OFFICIAL (MOPAC writes "OFFICIAL – PUBLIC"); Part 2 is withheld
and carries its own marking, e.g. "OFFICIAL-SENSITIVE [OPERATIONAL]".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Annotated

from pydantic import AfterValidator, Field

PUBLIC = "OFFICIAL – PUBLIC"
"""The marking of a published (Part 1) document."""

_WORDS = r"[A-Z]+(?: [A-Z]+)*"
_GRAMMAR = re.compile(
    r"^(?:(?P<tier>OFFICIAL)(?:(?P<public> – PUBLIC)"
    rf"|(?P<sensitive>-SENSITIVE)(?: (?:\[{_WORDS}\]|{_WORDS}))?)?"
    r"|(?P<secret>SECRET|TOP SECRET))$"
)
_DASH = "[-\u2010\u2011\u2012\u2013\u2014\u2212]"
EXAMPLES = ("OFFICIAL", PUBLIC, "OFFICIAL-SENSITIVE", "OFFICIAL-SENSITIVE [OPERATIONAL]")
PART_1_PATTERN = rf"^\s*OFFICIAL(?:\s*{_DASH}\s*PUBLIC)?\s*$"
"""A publishable marking as `_part_1_marking` reads it: OFFICIAL, or OFFICIAL – PUBLIC with any dash."""
_TABBED_WORDS = r"[A-Z]+(?:[ \t][A-Z]+)*"
PART_2_PATTERN = rf"^\s*(?:OFFICIAL(?:-SENSITIVE(?:[ \t](?:\[{_TABBED_WORDS}\]|{_TABBED_WORDS}))?)?|SECRET|TOP[ \t]SECRET)\s*$"
"""_GRAMMAR without OFFICIAL – PUBLIC: a Part 2 marking written as it is printed (text turns tabs into spaces)."""


@dataclass(frozen=True)
class Marking:
    """A marking read by `parse_marking`; `text` is how it is printed."""

    text: str
    tier: str
    public: bool
    sensitive: bool

    @property
    def publishable(self) -> bool:
        """Whether a published document may carry it: OFFICIAL, without a SENSITIVE caveat."""
        return self.tier == "OFFICIAL" and not self.sensitive


def canonical(value: str) -> str:
    """The marking as it is printed: spaces collapsed, "OFFICIAL - PUBLIC" → "OFFICIAL – PUBLIC",
    "OFFICIAL SENSITIVE" → "OFFICIAL-SENSITIVE". Case is left alone (see parse_marking)."""
    text = " ".join(value.split())
    text = re.sub(rf"\s*{_DASH}\s*(PUBLIC\b)", r" – \1", text, flags=re.IGNORECASE)
    text = re.sub(rf"(OFFICIAL)(?:\s*{_DASH}\s*|\s+)(SENSITIVE\b)", r"\1-\2", text, flags=re.IGNORECASE)
    return re.sub(r"\[\s*(.*?)\s*\]", r"[\1]", text)


def parse_marking(value: str, *, capitals: bool = True) -> Marking:
    """Read a marking; ValueError saying what to write instead when it is not one (or, with
    `capitals`, when it is one not written in capitals)."""
    text = canonical(value)
    if not text:
        raise ValueError(f"must not be empty: write a security marking, e.g. {PUBLIC}")
    if text != text.upper() and _GRAMMAR.match(text.upper()):
        if capitals:
            raise ValueError(f"a security marking is written in capitals: {text.upper()!r}")
        text = text.upper()
    match = _GRAMMAR.match(text)
    if match is None:
        raise ValueError(
            f"{value!r} is not a Government Security Classification marking "
            f"(write one of: {', '.join(EXAMPLES)}; a descriptor goes in square brackets)"
        )
    return Marking(text=text, tier=match["tier"] or match["secret"], public=bool(match["public"]), sensitive=bool(match["sensitive"]))


def _part_1_marking(value: str) -> str:
    marking = parse_marking(value, capitals=False)
    if not marking.publishable:
        raise ValueError(
            f"Part 1 is published, so it cannot be marked {marking.text}: put what is sensitive in `part_2:` "
            f"(its marking is report.part_2.marking) and mark Part 1 {PUBLIC} or OFFICIAL"
        )
    return parse_marking(value).text


Part1Marking = Annotated[
    str,
    AfterValidator(_part_1_marking),
    Field(
        description=f"Protective marking of the published (Part 1) documents, printed at the top and bottom of every "
        f"page: {PUBLIC} (the default) or OFFICIAL. Anything sensitive belongs in Part 2.",
        examples=[PUBLIC, "OFFICIAL"],
        json_schema_extra={"type": "string", "pattern": PART_1_PATTERN},
    ),
]
"""The classification of a decision's Part 1 documents: a publishable marking, in capitals."""
