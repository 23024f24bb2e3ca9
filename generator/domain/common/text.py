"""Numbered paragraphs and sections: the prose building blocks of every document."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import Field, GetJsonSchemaHandler, model_validator
from pydantic.json_schema import JsonSchemaValue

from generator.domain.common.base import InputModel, Text
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


class Paragraph(InputModel):
    """A numbered paragraph (1.1, 1.2 …), optionally followed by quoted statute text,
    a bullet list and unnumbered continuation paragraphs, in that order.

    Written as a plain string when it is only text.
    """

    text: Text = Field(description="The paragraph's text.")
    subheading: Text | None = Field(
        default=None, description="A subheading printed before this paragraph, within its PART I section (numbering runs on)."
    )
    quote: list[Text] = Field(
        default_factory=list,
        description="Quoted text (e.g. statute), one entry per line, set as an indented quotation.",
    )
    bullets: list[Text] = Field(default_factory=list, description="A bullet list following the text.")
    continued: list[Text] = Field(
        default_factory=list,
        description="Further unnumbered paragraphs that belong to this numbered paragraph.",
    )

    _from_string = model_validator(mode="before")(text_or_mapping)


class Section(InputModel):
    """A numbered section of PART I: a heading and its numbered paragraphs.

    Give `key` to use one of the form version's standard headings (e.g. `financial`),
    or `heading` for any other section; both to reword a standard heading.
    """

    key: SectionKey | None = Field(
        default=None,
        description="A standard section of the form version (introduction, issues, financial, legal, …).",
    )
    heading: Text | None = Field(default=None, description="The section heading, without its number.")
    paragraphs: list[Paragraph] = Field(default_factory=list, description="Numbered paragraphs (1.1, 1.2 …).")
    bullets: list[Text] = Field(default_factory=list, description="Unnumbered bullet points after the paragraphs.")

    @model_validator(mode="after")
    def _has_heading_and_content(self) -> Section:
        if self.key is None and self.heading is None:
            raise ValueError("a section needs a `key` (a standard section) or a `heading`")
        if not self.paragraphs and not self.bullets:
            raise ValueError("a section needs at least one paragraph or bullet")
        return self


class TextTable(InputModel):
    """A table of words, not money (e.g. a list of further bids): a header row and rows of cells."""

    title: Text = Field(description="What the table lists; used to refer to it.")
    header: list[Text] = Field(min_length=1, description="Column headings.")
    rows: list[list[Text]] = Field(min_length=1, description="Rows, each with one cell per column.")

    @property
    def rows_as_printed(self) -> list[tuple[str, tuple[str, ...]]]:
        """Each row as its first cell (the row's label) and the others."""
        return [(row[0], tuple(row[1:])) for row in self.rows]

    @model_validator(mode="after")
    def _rectangular(self) -> TextTable:
        for i, row in enumerate(self.rows):
            if len(row) != len(self.header):
                raise ValueError(f"row {i + 1} has {len(row)} cells but there are {len(self.header)} columns")
        return self
