"""Numbered paragraphs and sections: the prose building blocks of every document."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Annotated, Any, Protocol

from pydantic import BeforeValidator, Field, GetJsonSchemaHandler, PrivateAttr, WithJsonSchema, model_validator
from pydantic.json_schema import JsonSchemaValue

from generator.domain.common.base import TEXT_SCHEMA, InputModel, Text
from generator.domain.common.findings import Finding, Loc
from generator.domain.common.money import read_money
from generator.domain.common.shapes import Standard, any_shape, not_null, reads

SectionKey = Annotated[str, Standard("form section")]
"""The key of a standard PART I section of a form version (generator/domain/decision_form/wording)."""


def text_shapes(mapping: JsonSchemaValue, handler: GetJsonSchemaHandler) -> JsonSchemaValue:
    """The shapes `text_or_mapping` reads: the mapping, or its `text` alone as a plain string."""
    return any_shape(mapping, not_null(mapping["properties"]["text"]))


@reads(text_shapes)
def text_or_mapping(data: Any) -> Any:
    """Let an item with only text be written as a plain string."""
    if data is None:
        raise ValueError("is empty: write the text here")
    return {"text": data} if isinstance(data, str) else data


def _number_as_written(value: Any) -> Any:
    """A year (2023) or a sum (300000) typed as a number is a cell like any other."""
    return str(value) if isinstance(value, int | Decimal) and not isinstance(value, bool) else value


Cell = Annotated[
    Text,
    BeforeValidator(_number_as_written),
    WithJsonSchema({"anyOf": [{"type": "string", **TEXT_SCHEMA}, {"type": "integer"}]}),
]
"""A table cell: text, or a whole number as typed (a year, a sum in pounds)."""


class TextTable(InputModel):
    """A table of words (e.g. a list of further bids, or year | amount | source): a header row and
    rows of cells. Cells in the `money_columns` are sums: written as money (300000 or '£300,000'),
    printed as every table prints money, and checked against the sums typed under `money`."""

    title: Text = Field(description="What the table lists; used to refer to it.")
    header: list[Text] = Field(min_length=1, description="Column headings.")
    rows: list[list[Cell]] = Field(min_length=1, description="Rows, each with one cell per column.")
    money_columns: list[Text] = Field(
        default_factory=list, description="Headings of the columns whose cells are sums of money (e.g. [Amount])."
    )
    total: Text | None = Field(
        default=None, description="Label of a total row after the rows (e.g. Total): each money column added up, not typed."
    )
    _sums: dict[tuple[int, int], Decimal] = PrivateAttr(default_factory=dict)  # each money cell, read once

    @model_validator(mode="after")
    def _rectangular(self) -> TextTable:
        for i, row in enumerate(self.rows):
            if len(row) != len(self.header):
                raise ValueError(f"row {i + 1} has {len(row)} cells but there are {len(self.header)} columns")
        unknown = [c for c in self.money_columns if c not in self.header]
        if unknown:
            raise ValueError(f"money_columns names {unknown[0]!r}, which is not a column heading ({', '.join(self.header)})")
        if 0 in self.money_columns_at:
            raise ValueError("the first column labels the rows: it cannot hold money")
        if self.total is not None and not self.money_columns:
            raise ValueError("a total row adds up the money columns: name them under money_columns")
        for i, row in enumerate(self.rows):
            for c in self.money_columns_at:
                try:
                    self._sums[i, c] = read_money(row[c])
                except ValueError as exc:
                    raise ValueError(f"row {i + 1}, column {self.header[c]!r}: {exc}") from None
        return self

    @property
    def money_columns_at(self) -> list[int]:
        """The positions of the money columns."""
        return [self.header.index(c) for c in self.money_columns if c in self.header]

    @property
    def sums(self) -> Mapping[tuple[int, int], Decimal]:
        """Each money cell's sum by its (row, column), in reading order."""
        return self._sums

    def totals(self) -> dict[int, Decimal]:
        """Each money column added up, by position."""
        totals = dict.fromkeys(self.money_columns_at, Decimal(0))
        for (_, c), value in self._sums.items():
            totals[c] += value
        return totals


class SummaryParagraph(InputModel):
    """A paragraph of an executive summary, optionally followed by quoted statute text, a bullet
    list and unnumbered continuation paragraphs, in that order.

    Written as a plain string when it is only text.
    """

    text: Text = Field(description="The paragraph's text.")
    quote: list[Text] = Field(
        default_factory=list,
        description="Quoted text (e.g. statute), one entry per line, set as an indented quotation.",
    )
    bullets: list[Text] = Field(default_factory=list, description="A bullet list following the text.")
    continued: list[Text] = Field(
        default_factory=list,
        description="Further unnumbered paragraphs that belong to this paragraph.",
    )

    _from_string = model_validator(mode="before")(text_or_mapping)


class Paragraph(SummaryParagraph):
    """A numbered paragraph of PART I (1.1, 1.2 …): a summary paragraph that may also have a
    subheading before it and a table of words after its quote and bullets.

    Written as a plain string when it is only text.
    """

    subheading: Text | None = Field(
        default=None, description="A subheading printed before this paragraph, within its PART I section (numbering runs on)."
    )
    text_table: TextTable | None = Field(
        default=None, description="A table of words after the text (and its quote and bullets): e.g. year | amount | source."
    )


class Section(InputModel):
    """A numbered section of PART I: a heading and its numbered paragraphs.

    Give `key` to use one of the form version's standard headings (e.g. `financial`),
    or `heading` for any other section; both to reword a standard heading. The first section
    may have neither: its paragraphs stand, unnumbered, directly under the PART I heading.
    """

    key: SectionKey | None = Field(
        default=None,
        description="A standard section of the form version (introduction, issues, financial, legal, …).",
    )
    heading: Text | None = Field(
        default=None, description="The section heading, without its number; the first section may have none (opening paragraphs)."
    )
    paragraphs: list[Paragraph] = Field(default_factory=list, description="Numbered paragraphs (1.1, 1.2 …).")
    bullets: list[Text] = Field(default_factory=list, description="Unnumbered bullet points after the paragraphs.")

    @model_validator(mode="after")
    def _has_content(self) -> Section:
        if not self.paragraphs and not self.bullets:
            raise ValueError("a section needs at least one paragraph or bullet")
        return self


class Headed(Protocol):
    """A section of PART I, of the report or of Part 2: a standard key, a heading of its own, or neither."""

    key: str | None
    heading: str | None


def headless_after_the_first(base: Loc, sections: Sequence[Headed]) -> list[Finding]:
    """Only the first section may have neither key nor heading: opening paragraphs stand straight
    under the part's heading, but a later section without one would run into the section before."""
    return [
        Finding(
            base + (i,),
            "a section needs a `key` (a standard section) or a `heading`; only the first may have neither (opening paragraphs)",
        )
        for i, s in enumerate(sections)
        if i > 0 and s.key is None and s.heading is None
    ]
