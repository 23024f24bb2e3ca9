"""The published statement about a Part 2: its marking, the FOIA exemptions relied on, why, and
until when. It is printed in Part 1 (in the report, or on the form of a decision without one)
and repeated in Part 2, so the two cannot differ."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from pydantic import Field, model_validator

from generator.domain.common.base import InputModel, Text, UKDate
from generator.domain.common.dates import DateStyle, text_date
from generator.domain.common.markings import PART_2_PATTERN
from generator.domain.common.shapes import Standard
from generator.domain.common.view import View

FoiaSection = Annotated[int, Standard("FOIA section")]
"""A section of the Freedom of Information Act 2000 that exempts information (FOIA_SECTIONS)."""

FOIA_SECTIONS = {
    21: "information accessible by other means",
    22: "information intended for future publication",
    23: "information supplied by, or relating to, bodies dealing with security matters",
    24: "national security",
    30: "investigations and proceedings",
    31: "law enforcement",
    36: "prejudice to effective conduct of public affairs",
    38: "health and safety",
    40: "personal information",
    41: "information provided in confidence",
    42: "legal professional privilege",
    43: "commercial interests",
}


class Part2Statement(InputModel):
    """The published statement about a Part 2: why it is withheld and until when."""

    marking: Text = Field(
        description="Security marking of Part 2, e.g. 'OFFICIAL-SENSITIVE [OPERATIONAL]'.",
        json_schema_extra={"type": "string", "pattern": PART_2_PATTERN},
    )
    foia_sections: list[FoiaSection] = Field(min_length=1, description="FOIA exemptions relied on, e.g. [31, 43].")
    reasons: Text = Field(description="Why the exemptions apply.")
    bullets: list[Text] = Field(
        default_factory=list, description="A bullet list after the exemption sentence (e.g. each harm disclosure would do)."
    )
    until: UKDate | None = Field(default=None, description="When the exemption ends, if known to the day.")
    ends: Text | None = Field(
        default=None, description="When the exemption ends, as the decision says it: 'in 2028', 'after ten years'; instead of `until`."
    )
    exemption: Text | None = Field(
        default=None,
        description="The exemption sentence as this decision words it, instead of the standard one (the sections and reasons are then not printed).",
    )
    review: UKDate | None = Field(default=None, description="When the exemption is to be reviewed.")

    @model_validator(mode="after")
    def _one_ending(self) -> Part2Statement:
        if self.until is not None and self.ends is not None:
            raise ValueError("give `until` (a date) or `ends` (in words), not both")
        return self

    @model_validator(mode="after")
    def _known_sections(self) -> Part2Statement:
        unknown = [s for s in self.foia_sections if s not in FOIA_SECTIONS]
        if unknown:
            raise ValueError(f"not a FOIA exemption section: {', '.join(map(str, unknown))} (known: {', '.join(map(str, FOIA_SECTIONS))})")
        return self


class StatementWording(InputModel):
    """Standard wording of the statement about a Part 2, in the wording of each document that
    publishes one (the report's, and each form version's); `{name}` marks a value filled in."""

    part_2_marking: Text = Field(description="The statement's first line, with {marking}.")
    part_2_exemption: Text = Field(description="With {sections} and {reasons}.")
    part_2_until: Text = Field(description="With {until}.")
    part_2_ends: Text = Field(description="With {ends}, the end in words ('in 2028').")
    part_2_review: Text = Field(description="With {review}.")


@dataclass(slots=True, kw_only=True)
class StatementLine(View):
    """One paragraph of the statement as printed: a sentence, or an item of its bullet list."""

    text: str
    bullet: bool = False


def exemption_lines(statement: Part2Statement, wording: StatementWording, style: DateStyle) -> list[StatementLine]:
    """The FOIA exemption (with its bullets), and when it ends or is reviewed, as the published document words them."""
    sections = ", ".join(f"section {n} ({FOIA_SECTIONS[n]})" for n in statement.foia_sections)
    standard = wording.part_2_exemption.replace("{sections}", sections).replace("{reasons}", statement.reasons)
    lines = [StatementLine(text=statement.exemption or standard), *(StatementLine(text=b, bullet=True) for b in statement.bullets)]
    if statement.until is not None:
        lines.append(StatementLine(text=wording.part_2_until.replace("{until}", text_date(statement.until, style))))
    if statement.ends is not None:
        lines.append(StatementLine(text=wording.part_2_ends.replace("{ends}", statement.ends)))
    if statement.review is not None:
        lines.append(StatementLine(text=wording.part_2_review.replace("{review}", text_date(statement.review, style))))
    return lines


def statement_lines(statement: Part2Statement, wording: StatementWording, style: DateStyle) -> list[StatementLine]:
    """The published statement: Part 2's marking, then its exemption."""
    return [
        StatementLine(text=wording.part_2_marking.replace("{marking}", statement.marking)),
        *exemption_lines(statement, wording, style),
    ]
