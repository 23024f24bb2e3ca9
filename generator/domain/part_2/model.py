"""Part 2: the confidential facts and advice behind a decision, never published.

It is rendered only into its own document, `<stem>-part-2.docx`. What the published documents
say about it (its marking, the FOIA exemptions relied on, why, and until when) is the report's
published statement, `report.part_2`, which the Part 2 document repeats: so the two cannot differ.
"""

from __future__ import annotations

from pydantic import Field

from generator.domain.common.base import InputModel, Text
from generator.domain.costs.model import CostTables
from generator.domain.report.model import ReportSection


class Part2(InputModel):
    """The confidential Part 2 of a decision: facts and advice withheld from publication.

    Its sections are written like the report's: a `key` (a standard report heading) or a
    `heading`, then paragraphs numbered 1, 2, 3 … across the whole Part 2, subheadings,
    unnumbered paragraphs and `table:` blocks placing its confidential cost tables. Part 2
    has no notes: put a source in the text.
    """

    title: Text = Field(
        description="Title of Part 2, e.g. 'Confidential facts and advice: operational deployment'.",
    )
    sections: list[ReportSection] = Field(
        min_length=1, description="Confidential facts and advice, by heading; paragraphs numbered on across sections."
    )
    costs: CostTables = Field(
        default_factory=CostTables, description="Confidential cost tables, each placed by a `table:` block of a section."
    )
