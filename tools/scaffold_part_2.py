"""Scaffold the Part 2 template, templates/part-2.docx (context `part2` and `marking`).

    .venv/bin/python tools/scaffold_part_2.py [--out templates] [--force]

Like tools/scaffold_agreement.py, this only records how the first version of the template was
made: from then on the .docx is the source of truth, and the script refuses to overwrite it
unless --force.

Part 2 holds a decision's confidential facts and advice; it is never published, and nothing in it
reaches a Part 1 document (generator.build.plan composes those without it). What it builds, from
the MPS report's styles and lists (tools/scaffold_templates.py), so Part 2 reads like the report:
- the page header: the Part 2 marking (`marking`, e.g. "OFFICIAL-SENSITIVE [OPERATIONAL]") in the
  "Protective Marking" style (bold, capitals, centred), then "PART 2 – CONFIDENTIAL FACTS AND
  ADVICE" and the decision's reference;
- the body: Part 2's title (Heading 1), the reference and the decision's title, the line "This part
  is NOT SUITABLE for publication", the FOIA exemption statement (worded as the published report
  words it), then the sections: Heading 2, paragraphs numbered 1, 2, 3 … across all of them (a. and
  i. below), subheadings, and cost tables made by the same code as the report's;
- the footer: the reference, "Part 2" and the page number, then the marking.

Every value and every piece of standard wording comes from the template context (`part2`, a
generator.domain.part_2.view.Part2Document); only labels are typed here.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

from docx.document import Document as DocxDocument
from scaffold_templates import (
    Body,
    _new_document,
    _report_blocks,
    blank_properties,
    page_furniture,
    paragraph_xml,
    report_numbering_xml,
    report_styles_xml,
    scaffold_one,  # type: ignore[import-not-found]
)

FILE_NAME = "part-2.docx"
HEADING = "PART 2 \u2013 CONFIDENTIAL FACTS AND ADVICE"


def build_body(b: Body) -> None:
    b.p("Heading1", "{{ part2.title }}")
    b.p("Subtitle", "{{ part2.reference }}: {{ part2.decision_title }}")
    b.p("Classification", "This part is NOT SUITABLE for publication.")
    b.loop("for text in part2.exemption", lambda: b.p("Normal", "{{ text }}"))

    def section() -> None:
        b.p("Heading2", "{{ section.heading }}")
        _report_blocks(b, "section.blocks", numbered=True, subheading_style="Heading3")

    b.loop("for section in part2.sections", section)


def _header_footer(document: DocxDocument) -> None:
    """The Part 2 heading and the reference in the page header; the reference, "Part 2" and the
    page number in the footer."""
    page_furniture(
        document,
        # One tab: the heading reaches past the centre stop, so it takes the reference to the right-hand one.
        header=paragraph_xml("Header", (HEADING, "Strong"), "\t{{ part2.reference }}"),
        footer=paragraph_xml("Footer", "{{ part2.reference }} \u2013 Part 2\t"),
    )


def build() -> DocxDocument:
    """The Part 2 document; core properties are left for the generator to set."""
    document = _new_document(report_styles_xml(), report_numbering_xml())
    _header_footer(document)
    build_body(Body(document))
    blank_properties(document)
    return document


def main(argv: Sequence[str] | None = None) -> int:
    return scaffold_one(FILE_NAME, build, description=__doc__.splitlines()[0], argv=argv)


if __name__ == "__main__":
    sys.exit(main())
