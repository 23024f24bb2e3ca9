"""Scaffold the DMPC decision-form and MPS report Word templates (docxtpl tags inside real .docx files).

    .venv/bin/python tools/scaffold_templates.py [--out templates] [--only mps-report.docx]

This script only records how the *first* version of each template was made. From then on the
.docx files under templates/ are the source of truth: template owners edit them in Word, and
nobody should rerun this script over their edits (it refuses to overwrite unless --force, and
--only builds just the templates named).

What it builds, for both form versions ("DMPC Decision – PCD …" 2022 and "DMPCD v5 - Feb 2014"):
- real styles (Heading 1 for the form title, Heading 2 for the big headings, Heading 3 for the
  numbered PART I sections, "Numbered Paragraph", "List Bullet", "Quote" …), Arial 11pt, A4, en-GB;
- automatic numbering from numbering.xml, attached to the styles: one multi-level list for PART I
  (1. / 1.1.), one for the recommendations (1. / a.), one for bullets; paragraphs that a
  `{%p for %}` loop repeats keep their style, hence their list, so numbering runs on;
- the DMPC and officer signature blocks as bordered paragraphs (a box, not a layout table);
- the Originating Officer Declaration as a data table with a repeating header row;
- the appendix tables (`form.appendix`) after the background papers, with no heading (the title is
  the table's caption for assistive technology), made by the same code as the report's cost tables.
- the protective marking (the top-level context key `marking`) first in every page header and last
  in every footer, in the paragraph style "Protective Marking" (bold, capitals, centred).

Every value and every piece of standard wording comes from the template context (`form`, a
generator.domain.decision_form.view.DecisionFormDocument); only the form's own labels are
typed here, each as its form version prints it.

The MPS supporting report (mps-report.docx, context `report`, a
generator.domain.report.view.ReportDocument) shares the forms' masthead, page setup and the
definitions of their common styles (so a decision pack shows both parts alike), and adds its own:
"Report Paragraph" numbered 1, 2, 3 … across the whole report (a. and i. as levels 1 and 2 of the
same list), bold numbered recommendations, an unnumbered Heading 3 for subheadings, superscript
note marks, notes with real links (HYPERLINK fields), and cost tables whose columns come from
`{%tc for %}` loops over the table's header and cells, with a repeating header row.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from docx import Document
from docx.document import Document as DocxDocument
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import parse_xml
from docx.oxml.ns import qn
from lxml import etree

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NSDECL = f'xmlns:w="{W_NS}"'

# A4 with 2.54 cm side margins: 9026 twips of text width.
PAGE_W, PAGE_H = 11906, 16838
MARGIN_SIDE, MARGIN_TOP, MARGIN_BOTTOM = 1440, 1418, 1418
TEXT_W = PAGE_W - 2 * MARGIN_SIDE

# Indents (twips): numbered text starts at NUM_TEXT; quotes and nested bullets sit under it.
NUM_TEXT = 851  # 1.5 cm
BOX_IND = 142  # bordered paragraphs are inset so the box lines stay inside the margins

PART_I_NUM, RECOMMENDATION_NUM, BULLET_NUM = 1, 2, 3
# The report's own lists (its numbering part also holds the bullets, as BULLET_NUM).
REPORT_PARAGRAPH_NUM, REPORT_RECOMMENDATION_NUM = 4, 5
REPORT_TEXT = 567  # 1 cm: where the text of the report's numbered paragraphs starts


# --------------------------------------------------------------------------- styles


def _spacing(before: int = 0, after: int = 0) -> str:
    return f'<w:spacing w:before="{before}" w:after="{after}"/>'


def _box_borders() -> str:
    side = 'w:val="single" w:sz="8" w:space="4" w:color="000000"'
    return f"<w:pBdr><w:top {side}/><w:left {side}/><w:bottom {side}/><w:right {side}/></w:pBdr>"


def _box_ind() -> str:
    return f'<w:ind w:left="{BOX_IND}" w:right="{BOX_IND}"/>'


def _num(num_id: int, ilvl: int) -> str:
    return f'<w:numPr><w:ilvl w:val="{ilvl}"/><w:numId w:val="{num_id}"/></w:numPr>'


def _size(half_points: int) -> str:
    return f'<w:sz w:val="{half_points}"/><w:szCs w:val="{half_points}"/>'


def _jc(value: str) -> str:
    return f'<w:jc w:val="{value}"/>'


def _tabs(*stops: tuple[str, int]) -> str:
    return "<w:tabs>" + "".join(f'<w:tab w:val="{kind}" w:pos="{pos}"/>' for kind, pos in stops) + "</w:tabs>"


def _outline(level: int) -> str:
    return f'<w:outlineLvl w:val="{level}"/>'


BOLD = "<w:b/><w:bCs/>"
CAPS = "<w:caps/>"
KEEP = "<w:keepNext/><w:keepLines/>"
NO_NUM = _num(0, 0)  # numId 0 is "no list": cancels the numbering a based-on style carries


def _ps(
    style_id: str,
    name: str,
    ppr: str = "",
    rpr: str = "",
    *,
    based_on: str = "Normal",
    next_style: str | None = None,
    ui_priority: int | None = None,
    q_format: bool = True,
) -> str:
    """A paragraph style; `ppr`/`rpr` are the children of its w:pPr / w:rPr, in schema order."""
    parts = [f'<w:style w:type="paragraph" w:styleId="{style_id}"><w:name w:val="{name}"/>']
    parts.append(f'<w:basedOn w:val="{based_on}"/>')
    if next_style:
        parts.append(f'<w:next w:val="{next_style}"/>')
    if ui_priority is not None:
        parts.append(f'<w:uiPriority w:val="{ui_priority}"/>')
    if q_format:
        parts.append("<w:qFormat/>")
    parts.append((f"<w:pPr>{ppr}</w:pPr>" if ppr else "") + (f"<w:rPr>{rpr}</w:rPr>" if rpr else "") + "</w:style>")
    return "".join(parts)


def _other_style(kind: str, style_id: str, name: str, body: str, *, default: bool = False) -> str:
    flag = ' w:default="1"' if default else ""
    return f'<w:style w:type="{kind}"{flag} w:styleId="{style_id}"><w:name w:val="{name}"/>{body}</w:style>'


HIDDEN = '<w:uiPriority w:val="99"/><w:semiHidden/><w:unhideWhenUsed/>'
GRID = "".join(
    f'<w:{side} w:val="single" w:sz="4" w:space="0" w:color="000000"/>' for side in ("top", "left", "bottom", "right", "insideH", "insideV")
)
TABLE_INDENT = '<w:tblInd w:w="0" w:type="dxa"/>'
CELL_MARGINS = (
    '<w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="108" w:type="dxa"/>'
    '<w:bottom w:w="0" w:type="dxa"/><w:right w:w="108" w:type="dxa"/></w:tblCellMar>'
)


def _data_table_styles() -> list[str]:
    """Styles of the data tables (the report's cost and bid tables, the forms' appendix tables):
    10pt; figures right-aligned, totals and headings bold; a caption and notes below the table."""
    cell = _spacing(20, 20)
    return [
        _ps("ReportTableText", "Report Table Text", cell, _size(20)),
        _ps("ReportTableNumber", "Report Table Number", _jc("right"), based_on="ReportTableText"),
        _ps("ReportTableTextBold", "Report Table Text Bold", "", BOLD, based_on="ReportTableText"),
        _ps("ReportTableNumberBold", "Report Table Number Bold", _jc("right"), BOLD, based_on="ReportTableText"),
        _ps("ReportTableHeading", "Report Table Heading", "", BOLD, based_on="ReportTableText"),
        _ps("ReportTableHeadingCentred", "Report Table Heading Centred", _jc("center"), BOLD, based_on="ReportTableText"),
        _ps("Caption", "caption", _spacing(60, 240), BOLD + _size(20), ui_priority=35),
        _ps("TableNote", "Table Note", _spacing(0, 120), "<w:i/><w:iCs/>" + _size(18)),
    ]


def _form_styles(*, title_centred: bool) -> list[str]:
    """Every style the decision forms use, in styles-part order; the report picks its shared ones from here."""
    box = _box_borders()
    box_ind = _box_ind()
    sign_tab = _tabs(("left", 1701))
    styles = [
        # Normal takes everything from docDefaults (font, size, language, spacing).
        _other_style("paragraph", "Normal", "Normal", "<w:qFormat/>", default=True),
        _other_style("character", "DefaultParagraphFont", "Default Paragraph Font", HIDDEN.replace("99", "1"), default=True),
        _other_style(
            "table",
            "TableNormal",
            "Normal Table",
            f"{HIDDEN}<w:tblPr>{TABLE_INDENT}{CELL_MARGINS}</w:tblPr>",
            default=True,
        ),
        _other_style("numbering", "NoList", "No List", HIDDEN, default=True),
        # Headings keep Word's built-in names so the navigation pane, TOC and PDF tags see them.
        _ps(
            "Heading1",
            "heading 1",
            KEEP + _spacing(0, 240) + (_jc("center") if title_centred else "") + _outline(0),
            BOLD + _size(32),
            next_style="Normal",
            ui_priority=9,
        ),
        _ps(
            "Heading2",
            "heading 2",
            KEEP + _spacing(360, 120) + _outline(1),
            BOLD + _size(24),
            next_style="Normal",
            ui_priority=9,
        ),
        # Heading 3 is the numbered PART I section heading ("1. Introduction and background").
        _ps(
            "Heading3",
            "heading 3",
            KEEP + _num(PART_I_NUM, 0) + _spacing(240, 120) + _outline(2),
            BOLD,
            next_style="NumberedParagraph",
            ui_priority=9,
        ),
        _ps("Subtitle", "Subtitle", KEEP + _spacing(0, 240), BOLD + _size(24), next_style="Normal", ui_priority=11),
        _ps("NumberedParagraph", "Numbered Paragraph", _num(PART_I_NUM, 1)),
        _ps("ContinuedParagraph", "Continued Paragraph", f'<w:ind w:left="{NUM_TEXT}"/>'),
        _ps("ListBullet", "List Bullet", _num(BULLET_NUM, 0) + _spacing(0, 60), ui_priority=99),
        _ps("ListBullet2", "List Bullet 2", _num(BULLET_NUM, 1) + _spacing(0, 60), ui_priority=99),
        # Quoted statute text: an indented quotation, one paragraph per line of the quote.
        _ps("Quote", "Quote", _spacing(0, 60) + f'<w:ind w:left="{NUM_TEXT + 567}" w:right="567"/>', ui_priority=29),
        _ps("Recommendation", "Recommendation", _num(RECOMMENDATION_NUM, 0)),
        _ps("RecommendationItem", "Recommendation Item", _num(RECOMMENDATION_NUM, 1) + _spacing(0, 60)),
        _ps("PartSubheading", "Part Subheading", KEEP, BOLD, next_style="Heading3"),
        _ps("Label", "Label", KEEP + _spacing(120, 60), BOLD, next_style="Normal"),
        # Signature boxes: consecutive paragraphs with the same borders and indents make one box.
        _ps("BoxHeading", "Box Heading", box + _spacing(120, 120) + box_ind, based_on="Heading2", next_style="BoxText"),
        _ps(
            "BoxHeading3",
            "Box Heading 3",
            NO_NUM + box + _spacing(120, 120) + f'<w:ind w:left="{BOX_IND}" w:right="{BOX_IND}" w:firstLine="0"/>',
            based_on="Heading3",
            next_style="BoxText",
        ),
        _ps("BoxText", "Box Text", KEEP + box + box_ind),
        # Room above for a handwritten signature; a tab stop lines up the name or the date.
        _ps("SignatureLine", "Signature Line", KEEP + sign_tab + _spacing(600, 120), based_on="BoxText"),
        _ps("DateLine", "Date Line", sign_tab + _spacing(120, 120), based_on="BoxText"),
        # No keep-with-next in table styles: on every row it would hold the whole table on one page.
        _ps("TableHeading", "Table Heading", _spacing(60, 60), BOLD),
        _ps("TableHeadingCentred", "Table Heading Centred", _jc("center"), based_on="TableHeading"),
        _ps("TableText", "Table Text", _spacing(0, 60)),
        _ps("TableTick", "Table Tick", _spacing(60, 60) + _jc("center"), _size(28), based_on="TableText"),
        # The appendix tables: the report's data-table styles, so both show a table alike.
        *_data_table_styles(),
        _ps(
            "Header",
            "header",
            _tabs(("center", TEXT_W // 2), ("right", TEXT_W)) + _spacing(0, 0),
            ui_priority=99,
            q_format=False,
        ),
        _ps("Masthead", "Masthead", _jc("center"), BOLD + _size(40), based_on="Header"),
        _ps("MastheadLine", "Masthead Line", _spacing(0, 120) + _jc("center"), BOLD + _size(16), based_on="Header"),
        _ps("Footer", "footer", _tabs(("right", TEXT_W)) + _spacing(0, 0), _size(18), ui_priority=99, q_format=False),
        # The document's classification, first in every page header and last in every footer.
        _ps("ProtectiveMarking", "Protective Marking", _spacing(60, 60) + _jc("center"), BOLD + CAPS),
        _other_style(
            "character",
            "Strong",
            "Strong",
            f'<w:basedOn w:val="DefaultParagraphFont"/><w:uiPriority w:val="22"/><w:qFormat/><w:rPr>{BOLD}</w:rPr>',
        ),
        _other_style(
            "character",
            "PageNumber",
            "page number",
            '<w:basedOn w:val="DefaultParagraphFont"/><w:uiPriority w:val="99"/><w:unhideWhenUsed/>',
        ),
        _other_style(
            "table",
            "TableGrid",
            "Table Grid",
            f'<w:basedOn w:val="TableNormal"/><w:uiPriority w:val="39"/><w:tblPr><w:tblBorders>{GRID}</w:tblBorders></w:tblPr>',
        ),
    ]
    return styles


def _doc_defaults() -> str:
    return (
        "<w:docDefaults><w:rPrDefault><w:rPr>"
        '<w:rFonts w:ascii="Arial" w:hAnsi="Arial" w:eastAsia="Arial" w:cs="Arial"/>'
        f'<w:color w:val="000000"/>{_size(22)}<w:lang w:val="en-GB" w:eastAsia="en-GB" w:bidi="ar-SA"/></w:rPr>'
        '</w:rPrDefault><w:pPrDefault><w:pPr><w:spacing w:before="0" w:after="120" w:line="264" w:lineRule="auto"/>'
        "</w:pPr></w:pPrDefault></w:docDefaults>"
    )


def styles_xml(*, title_centred: bool) -> str:
    """Content of the styles part: only the styles the form uses, all black Arial, spacing in the styles."""
    return _doc_defaults() + "".join(_form_styles(title_centred=title_centred))


def _pick(styles: list[str], *style_ids: str) -> list[str]:
    """The styles with these ids, in the order asked for."""
    by_id = {etree.fromstring(f"<x {NSDECL}>{xml}</x>")[0].get(qn("w:styleId")): xml for xml in styles}
    return [by_id[i] for i in style_ids]


def report_styles_xml() -> str:
    """Styles of the MPS report: the forms' shared styles (same definitions, so a decision pack shows
    both parts alike), an unnumbered Heading 3, and the report's own numbered paragraphs and tables."""
    shared = _pick(
        _form_styles(title_centred=False),
        "Normal",
        "DefaultParagraphFont",
        "TableNormal",
        "NoList",
        "Heading1",
        "Heading2",
        "Subtitle",
        "ListBullet",
        "ListBullet2",
        "Quote",
        "Header",
        "Masthead",
        "MastheadLine",
        "Footer",
        "ProtectiveMarking",
        "Strong",
        "PageNumber",
        "TableGrid",
    )
    own = [
        # In the report Heading 3 is a section under "Non-confidential facts and advice …" (Heading 2),
        # not a numbered section as on the form; Heading 4 is a plain subheading inside a section.
        _ps("Heading3", "heading 3", KEEP + _spacing(240, 120) + _outline(2), BOLD, next_style="ReportParagraph", ui_priority=9),
        _ps("Heading4", "heading 4", KEEP + _spacing(180, 60) + _outline(3), BOLD, next_style="ReportParagraph", ui_priority=9),
        _ps("Byline", "Byline", KEEP + _spacing(0, 240), BOLD, next_style="Normal"),
        _ps("Classification", "Classification", _spacing(0, 240), BOLD, next_style="Heading2"),
        # 1, 2, 3 … across the whole report; a., b. and i., ii. are levels 1 and 2 of the same list.
        # Space above as well as below, so a paragraph never touches a table before or after it.
        _ps("ReportParagraph", "Report Paragraph", _num(REPORT_PARAGRAPH_NUM, 0) + _spacing(120, 60)),
        _ps("ReportSubItem", "Report Sub-item", _num(REPORT_PARAGRAPH_NUM, 1) + _spacing(0, 60)),
        _ps("ReportSubItem2", "Report Sub-item 2", _num(REPORT_PARAGRAPH_NUM, 2) + _spacing(0, 60)),
        _ps("ReportContinued", "Report Continued", _spacing(120, 60) + f'<w:ind w:left="{REPORT_TEXT}"/>'),
        _ps("ReportRecommendation", "Report Recommendation", _num(REPORT_RECOMMENDATION_NUM, 0), BOLD),
        _ps(
            "ReportRecommendationItem",
            "Report Recommendation Item",
            _num(REPORT_RECOMMENDATION_NUM, 1) + _spacing(0, 60),
            BOLD,
        ),
        _ps("ReportAuthor", "Report Author", _spacing(240, 120)),
        _ps("NoteText", "Note Text", _spacing(0, 60) + '<w:ind w:left="284" w:hanging="284"/>'),
        *_data_table_styles(),
        # The number of a note, set after a heading or a paragraph: a superscript mark, not a Word footnote.
        _other_style(
            "character",
            "NoteMark",
            "Note Mark",
            '<w:basedOn w:val="DefaultParagraphFont"/><w:uiPriority w:val="99"/><w:qFormat/>'
            '<w:rPr><w:vertAlign w:val="superscript"/></w:rPr>',
        ),
        _other_style(
            "character",
            "Hyperlink",
            "Hyperlink",
            '<w:basedOn w:val="DefaultParagraphFont"/><w:uiPriority w:val="99"/><w:unhideWhenUsed/>'
            '<w:rPr><w:color w:val="0563C1"/><w:u w:val="single"/></w:rPr>',
        ),
    ]
    return _doc_defaults() + "".join(shared + own)


# --------------------------------------------------------------------------- numbering


def _lvl(ilvl: int, fmt: str, text: str, *, left: int, hanging: int, style: str | None = None) -> str:
    pstyle = f'<w:pStyle w:val="{style}"/>' if style else ""
    rpr = '<w:rPr><w:rFonts w:ascii="Arial" w:hAnsi="Arial" w:cs="Arial" w:hint="default"/></w:rPr>' if fmt == "bullet" else ""
    return (
        f'<w:lvl w:ilvl="{ilvl}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>{pstyle}'
        f'<w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/>'
        f'<w:pPr><w:ind w:left="{left}" w:hanging="{hanging}"/></w:pPr>{rpr}</w:lvl>'
    )


def numbering_xml() -> str:
    """Content of the numbering part: PART I (1. / 1.1.), recommendations (1. / a.) and bullets.

    Each used level names its paragraph style (w:pStyle) and the style names the list (w:numPr),
    so applying the style in Word is all it takes to number a paragraph.
    """
    part_i = [
        _lvl(0, "decimal", "%1.", left=NUM_TEXT, hanging=NUM_TEXT, style="Heading3"),
        _lvl(1, "decimal", "%1.%2.", left=NUM_TEXT, hanging=NUM_TEXT, style="NumberedParagraph"),
    ] + [_lvl(i, "decimal", "".join(f"%{n}." for n in range(1, i + 2)), left=NUM_TEXT + 567 * (i - 1), hanging=1134) for i in range(2, 9)]
    recommendations = [
        _lvl(0, "decimal", "%1.", left=567, hanging=567, style="Recommendation"),
        _lvl(1, "lowerLetter", "%2.", left=1134, hanging=567, style="RecommendationItem"),
    ] + [_lvl(i, "lowerRoman", f"%{i + 1}.", left=1134 + 567 * (i - 1), hanging=567) for i in range(2, 9)]
    return (
        _abstract(0, "4D4F5031", "PART I sections and paragraphs", part_i)
        + _abstract(1, "4D4F5032", "Recommendations", recommendations)
        + _abstract(2, "4D4F5033", "Bullets", _bullet_levels())
        + "".join(f'<w:num w:numId="{n}"><w:abstractNumId w:val="{n - 1}"/></w:num>' for n in (1, 2, 3))
    )


def _bullet_levels() -> list[str]:
    return [
        _lvl(0, "bullet", "\u2022", left=425, hanging=425, style="ListBullet"),
        _lvl(1, "bullet", "\u2022", left=NUM_TEXT + 425, hanging=425, style="ListBullet2"),
    ] + [_lvl(i, "bullet", "\u2013", left=NUM_TEXT + 425 * i, hanging=425) for i in range(2, 9)]


def _abstract(abstract_id: int, nsid: str, name: str, levels: list[str]) -> str:
    return (
        f'<w:abstractNum w:abstractNumId="{abstract_id}"><w:nsid w:val="{nsid}"/>'
        f'<w:multiLevelType w:val="multilevel"/><w:name w:val="{name}"/>{"".join(levels)}</w:abstractNum>'
    )


def report_numbering_xml() -> str:
    """Lists of the MPS report: paragraphs 1. / a. / i. (one list for the whole report), the
    recommendations 1. / a. (numbered on across the groups) and the forms' bullets."""
    paragraphs = [
        _lvl(0, "decimal", "%1.", left=REPORT_TEXT, hanging=REPORT_TEXT, style="ReportParagraph"),
        _lvl(1, "lowerLetter", "%2.", left=REPORT_TEXT + 567, hanging=567, style="ReportSubItem"),
        _lvl(2, "lowerRoman", "%3.", left=REPORT_TEXT + 1134, hanging=567, style="ReportSubItem2"),
    ] + [_lvl(i, "decimal", f"%{i + 1}.", left=REPORT_TEXT + 567 * (i - 1), hanging=567) for i in range(3, 9)]
    recommendations = [
        _lvl(0, "decimal", "%1.", left=REPORT_TEXT, hanging=REPORT_TEXT, style="ReportRecommendation"),
        _lvl(1, "lowerLetter", "%2.", left=REPORT_TEXT + 567, hanging=567, style="ReportRecommendationItem"),
    ] + [_lvl(i, "lowerRoman", f"%{i + 1}.", left=REPORT_TEXT + 567 * i, hanging=567) for i in range(2, 9)]
    lists = (
        (BULLET_NUM, "52505431", "Bullets", _bullet_levels()),
        (REPORT_PARAGRAPH_NUM, "52505432", "Report paragraphs", paragraphs),
        (REPORT_RECOMMENDATION_NUM, "52505433", "Report recommendations", recommendations),
    )
    return "".join(_abstract(num_id - 1, nsid, name, levels) for num_id, nsid, name, levels in lists) + "".join(
        f'<w:num w:numId="{num_id}"><w:abstractNumId w:val="{num_id - 1}"/></w:num>' for num_id, *_ in lists
    )


# --------------------------------------------------------------------------- body

Run = str | tuple[str, str]  # plain text, or (text, character style id)


def _run_xml(run: Run) -> str:
    text, rstyle = (run, None) if isinstance(run, str) else run
    rpr = f'<w:rPr><w:rStyle w:val="{rstyle}"/></w:rPr>' if rstyle else ""
    pieces = text.split("\t")
    inner = "<w:tab/>".join(f'<w:t xml:space="preserve">{_escape(p)}</w:t>' if p else "" for p in pieces)
    return f"<w:r>{rpr}{inner}</w:r>"


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def paragraph_xml(style: str | None, *runs: Run) -> str:
    ppr = f'<w:pPr><w:pStyle w:val="{style}"/></w:pPr>' if style else ""
    return f"<w:p>{ppr}{''.join(_run_xml(r) for r in runs)}</w:p>"


def parse_fragments(xml: str) -> list[etree._Element]:
    """Elements of an XML fragment written with the w: prefix but no namespace declaration."""
    return list(parse_xml(f"<w:fragment {NSDECL}>{xml}</w:fragment>"))


class Body:
    """Appends paragraphs and tables to a document body, before its final sectPr."""

    def __init__(self, document: DocxDocument) -> None:
        self._body = document.element.body
        self._sect = self._body.find(qn("w:sectPr"))

    def add(self, xml: str) -> None:
        for element in parse_fragments(xml):
            self._sect.addprevious(element)

    def p(self, style: str | None, *runs: Run) -> None:
        self.add(paragraph_xml(style, *runs))

    def tag(self, tag: str) -> None:
        """A docxtpl control paragraph ({%p …%}): the tag alone, so nothing beside it is lost."""
        assert tag.startswith("{%p ") and tag.endswith(" %}") and "%" not in tag[2:-2], tag
        self.add(paragraph_xml(None, tag))

    def loop(self, header: str, body: Callable[[], None]) -> None:
        self.tag(f"{{%p {header} %}}")
        body()
        self.tag("{%p endfor %}")

    def when(self, condition: str, body: Callable[[], None]) -> None:
        self.tag(f"{{%p if {condition} %}}")
        body()
        self.tag("{%p endif %}")


@dataclass(frozen=True)
class FormSpec:
    """What differs between the two form versions: labels as printed, and a few layout choices."""

    file_name: str
    title_centred: bool
    single_recommendation_unnumbered: bool
    background_as_bullets: bool
    declaration_heading: str
    tick_header: str
    publication: Callable[[Body], None]


def _paragraph_extras(b: Body, var: str, *, bullet_style: str, continued_style: str) -> None:
    """Quote lines, bullets and continuation paragraphs of one generator.domain.common.text.Paragraph."""
    b.loop(f"for line in {var}.quote", lambda: b.p("Quote", "{{ line }}"))
    b.loop(f"for item in {var}.bullets", lambda: b.p(bullet_style, "{{ item }}"))
    b.loop(f"for more in {var}.continued", lambda: b.p(continued_style, "{{ more }}"))


def _executive_summary(b: Body) -> None:
    b.p("Heading2", "Executive Summary:")

    def one() -> None:
        b.p("Normal", "{{ para.text }}")
        _paragraph_extras(b, "para", bullet_style="ListBullet", continued_style="Normal")

    b.loop("for para in form.executive_summary", one)


def _numbered_recommendations(b: Body) -> None:
    def one() -> None:
        b.p("Recommendation", "{{ rec.text }}")
        b.loop("for sub in rec.sub_items", lambda: b.p("RecommendationItem", "{{ sub.text }}"))

    b.loop("for rec in form.recommendations", one)


def _recommendations(b: Body, spec: FormSpec) -> None:
    b.p("Heading2", "Recommendation:")
    b.when("form.recommendation_intro", lambda: b.p("Normal", "{{ form.recommendation_intro }}"))
    if not spec.single_recommendation_unnumbered:
        _numbered_recommendations(b)
        return

    # DMPCD v5: a single recommendation is printed as a plain paragraph, without a number.
    def plain() -> None:
        b.p("Normal", "{{ rec.text }}")
        b.loop("for sub in rec.sub_items", lambda: b.p("RecommendationItem", "{{ sub.text }}"))

    b.tag("{%p if form.recommendations|length == 1 %}")
    b.loop("for rec in form.recommendations", plain)
    b.tag("{%p else %}")
    _numbered_recommendations(b)
    b.tag("{%p endif %}")


def _signature_lines(b: Body, block: str) -> None:
    b.p("SignatureLine", "Signature\t", f"{{% if {block}.signatory %}}{{{{ {block}.signatory }}}}{{% endif %}}")
    b.p("DateLine", "Date\t", f"{{{{ {block}.date|short_date }}}}")


def _dmpc_block(b: Body) -> None:
    b.p("BoxHeading", "Deputy Mayor for Policing and Crime")
    b.p("BoxText", "{{ form.dmpc.interests_statement }}")
    b.when("form.dmpc.interests", lambda: b.p("BoxText", "{{ form.dmpc.interests }}"))
    b.p("BoxText", "{{ form.dmpc.approval }}")
    _signature_lines(b, "form.dmpc")


def _part_i(b: Body, spec: FormSpec) -> None:
    b.p("Heading2", "PART I - NON-CONFIDENTIAL FACTS AND ADVICE TO THE DMPC")
    b.when("form.part_1_subheading", lambda: b.p("PartSubheading", "{{ form.part_1_subheading }}"))

    def paragraph() -> None:
        b.p("NumberedParagraph", "{{ para.text }}")
        _paragraph_extras(b, "para", bullet_style="ListBullet2", continued_style="ContinuedParagraph")

    def section() -> None:
        b.p("Heading3", "{{ section.heading }}")
        b.loop("for para in section.paragraphs", paragraph)
        b.loop("for item in section.bullets", lambda: b.p("ListBullet2", "{{ item }}"))

    b.loop("for section in form.sections", section)

    def background() -> None:
        b.p("Heading3", "{{ form.background_heading }}")
        style = "ListBullet2" if spec.background_as_bullets else "NumberedParagraph"
        b.loop("for paper in form.background_papers", lambda: b.p(style, "{{ paper }}"))

    b.when("form.background_papers", background)


def _publication_2022(b: Body) -> None:
    pub = "form.publication"
    b.p("Label", "Part 1 Deferral:")
    b.p(
        "Normal",
        "Is the publication of Part 1 of this approval to be deferred? ",
        (f"{{{{ {pub}.defer_part_1|yes_no }}}}", "Strong"),
    )
    b.p(
        "Normal",
        "If yes, for what reason: ",
        f"{{% if {pub}.deferral_reason %}}{{{{ {pub}.deferral_reason }}}}{{% endif %}}",
    )
    b.p("Normal", "Until what date: ", f"{{{{ {pub}.deferred_until|short_date }}}}")
    b.when(
        f"{pub}.part_2_confidentiality",
        lambda: b.p("Normal", ("Part 2 Confidentiality:", "Strong"), f" {{{{ {pub}.part_2_confidentiality }}}}"),
    )
    b.p("Normal", "Is there a ", ("Part 2", "Strong"), " form \u2013 ", (f"{{{{ {pub}.part_2|yes_no }}}}", "Strong"))
    b.loop(f"for line in {pub}.part_2_statement", lambda: b.p("Normal", "{{ line }}"))


def _publication_v5(b: Body) -> None:
    pub = "form.publication"
    b.p("Normal", "Is the publication of this form to be deferred? ", (f"{{{{ {pub}.defer_part_1|yes_no }}}}", "Strong"))
    b.p(
        "Normal",
        "If yes, for what reason: ",
        f"{{% if {pub}.deferral_reason %}}{{{{ {pub}.deferral_reason }}}}{{% endif %}}",
    )
    b.p("Normal", "Until what date (if known): ", f"{{{{ {pub}.deferred_until|short_date }}}}")
    b.p("Normal", "Is there a part 2 form \u2013 ", (f"{{{{ {pub}.part_2|yes_no }}}}", "Strong"))
    b.p(
        "Normal",
        "If yes, for what reason: ",
        f"{{% if {pub}.part_2_reason %}}{{{{ {pub}.part_2_reason }}}}{{% endif %}}",
    )
    b.loop(f"for line in {pub}.part_2_statement", lambda: b.p("Normal", "{{ line }}"))


def _public_access(b: Body, spec: FormSpec) -> None:
    b.p("Heading2", "Public access to information")
    b.loop("for text in form.publication.paragraphs", lambda: b.p("Normal", "{{ text }}"))
    spec.publication(b)


def _cell(width: int, paragraphs: Sequence[str], *, v_center: bool = False) -> str:
    valign = '<w:vAlign w:val="center"/>' if v_center else ""
    return f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/>{valign}</w:tcPr>{"".join(paragraphs)}</w:tc>'


def _row(cells: Sequence[str], *, header: bool = False) -> str:
    trpr = "<w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>" if header else "<w:trPr><w:cantSplit/></w:trPr>"
    return f"<w:tr>{trpr}{''.join(cells)}</w:tr>"


def _declaration_table(b: Body, spec: FormSpec) -> None:
    """A data table: marked header row, one row per declaration (a {%tr for %} loop), no merged cells."""
    b.p("Heading2", spec.declaration_heading)
    first, second = TEXT_W - 2268, 2268
    header = _row(
        [
            _cell(first, [paragraph_xml("TableHeading", "Originating officer declaration")]),
            _cell(second, [paragraph_xml("TableHeadingCentred", spec.tick_header)]),
        ],
        header=True,
    )
    # The tag rows are replaced whole by docxtpl; their second cell still needs a paragraph to be valid.
    loop_start = _row(
        [
            _cell(first, [paragraph_xml("TableText", "{%tr for row in form.declarations %}")]),
            _cell(second, [paragraph_xml("TableText")]),
        ]
    )
    content = _row(
        [
            _cell(
                first,
                [paragraph_xml("TableHeading", "{{ row.heading }}"), paragraph_xml("TableText", "{{ row.statement }}")],
            ),
            _cell(second, [paragraph_xml("TableTick", "{{ row.ticked|tick }}")], v_center=True),
        ]
    )
    loop_end = _row([_cell(first, [paragraph_xml("TableText", "{%tr endfor %}")]), _cell(second, [paragraph_xml("TableText")])])
    b.add(
        f'<w:tbl><w:tblPr><w:tblStyle w:val="TableGrid"/><w:tblW w:w="{TEXT_W}" w:type="dxa"/>'
        '<w:tblLayout w:type="fixed"/><w:tblLook w:val="0420" w:firstRow="1" w:lastRow="0" w:firstColumn="0" '
        'w:lastColumn="0" w:noHBand="0" w:noVBand="1"/>'
        f'<w:tblCaption w:val="{_escape(spec.declaration_heading.rstrip(":").capitalize())}"/>'
        '<w:tblDescription w:val="One row per declaration: the statement the originating officer confirms, '
        'and a tick where it is confirmed."/></w:tblPr>'
        f'<w:tblGrid><w:gridCol w:w="{first}"/><w:gridCol w:w="{second}"/></w:tblGrid>'
        f"{header}{loop_start}{content}{loop_end}</w:tbl>"
    )


def _officer_approval(b: Body) -> None:
    b.p("Heading2", "OFFICER APPROVAL")
    b.p("BoxHeading3", "{{ form.officer_approval.role }}")
    b.p("BoxText", "{{ form.officer_approval.statement }}")
    _signature_lines(b, "form.officer_approval")


# --------------------------------------------------------------------------- data tables
#
# The report's cost and bid tables and the forms' appendix tables: generator.domain.costs.view.TableView,
# whose number of columns varies (`{%tc for %}` loops over the header and each row's cells).

# The grid: label, the three cells of the {%tc for %} loop, then spare columns ({#tc #} cells, gone
# once rendered). docxtpl then drops the grid columns a rendered table does not use and shares their
# width out evenly, so a table of up to 8 columns keeps equal value columns and a label column of
# 28–37 % of the width (LibreOffice sizes columns by the grid alone, not by cell widths).
REPORT_TABLE_SPARES = 4
REPORT_TABLE_VALUE_W = 948
REPORT_TABLE_COLUMNS = (TEXT_W - (3 + REPORT_TABLE_SPARES) * REPORT_TABLE_VALUE_W,) + (REPORT_TABLE_VALUE_W,) * (3 + REPORT_TABLE_SPARES)


def _auto_cell(paragraphs: Sequence[str]) -> str:
    # No preferred width: the grid decides, which docxtpl rescales when the {%tc %} loop adds columns.
    return f'<w:tc><w:tcPr><w:tcW w:w="0" w:type="auto"/></w:tcPr>{"".join(paragraphs)}</w:tc>'


def _tag_row(tag: str) -> str:
    """A {%tr %} row: replaced whole by docxtpl; every cell still needs a paragraph to be valid."""
    first = _auto_cell([paragraph_xml("ReportTableText", tag)])
    return _row([first] + [_auto_cell([paragraph_xml("ReportTableText")])] * (len(REPORT_TABLE_COLUMNS) - 1))


def _spare_cells(style: str) -> list[str]:
    return [_auto_cell([paragraph_xml(style, "{#tc spare column #}")])] * REPORT_TABLE_SPARES


def _value_cells(*, bold: bool) -> list[str]:
    """The {%tc for %} loop over a row's cells; each line of a cell is a paragraph, figures right-aligned."""
    number, text = ("ReportTableNumberBold", "ReportTableTextBold") if bold else ("ReportTableNumber", "ReportTableText")
    lines = [
        paragraph_xml(None, "{%p for line in lines %}"),
        paragraph_xml(None, "{%p if line.figure %}"),  # generator.domain.costs.view.CellLine
        paragraph_xml(number, "{{ line.text }}"),
        paragraph_xml(None, "{%p else %}"),
        paragraph_xml(text, "{{ line.text }}"),
        paragraph_xml(None, "{%p endif %}"),
        paragraph_xml(None, "{%p endfor %}"),
    ]
    return [
        _auto_cell([paragraph_xml("ReportTableText", "{%tc for lines in row.cell_lines %}")]),
        _auto_cell(lines),
        _auto_cell([paragraph_xml("ReportTableText", "{%tc endfor %}")]),
        *_spare_cells("ReportTableText"),
    ]


TABLE_SPARE_W = 20  # per printed column: the width of each unused grid column in a text layout


@dataclass(frozen=True)
class TextLayout:
    """Column widths for a table of words whose `wide` column holds the most text: every other
    column gets the width its words need, the wide one what is left of the text width."""

    widths: tuple[int | None, ...]  # twips; None marks the wide column

    @property
    def wide(self) -> int:
        return self.widths.index(None)

    def grid(self) -> tuple[int, ...]:
        """The template's grid: docxtpl drops the grid columns a rendered table does not use and
        shares their width out evenly, so the spare columns' share is taken off here beforehand."""
        n, total = len(self.widths), len(REPORT_TABLE_COLUMNS)
        spare = TABLE_SPARE_W * n  # a multiple of n, so each column gets back exactly what it gave
        share = (total - n) * spare // n
        fixed = [w - share for w in self.widths if w is not None]
        wide = TEXT_W - (total - n) * spare - sum(fixed)
        return (*(wide if w is None else w - share for w in self.widths), *(spare,) * (total - n))


def _column_length(table: str, column: int) -> str:
    """Jinja: how many characters of text column `column` of `table` holds."""
    attribute = "label" if column == 0 else f"cells.{column - 1}"
    return f'{table}.rows|map(attribute="{attribute}")|join|length'


def _layout_condition(table: str, layout: TextLayout) -> str:
    """Jinja: `table` has as many columns as `layout`, and the most text (with spaces in it) in its wide column."""
    n = len(layout.widths)
    lengths = ", ".join(_column_length(table, i) for i in range(n))
    wide = "label" if layout.wide == 0 else f"cells.{layout.wide - 1}"
    return (
        f"{table}.header|length == {n} and [{lengths}]|max == {_column_length(table, layout.wide)} "
        f'and " " in {table}.rows|map(attribute="{wide}")|join'
    )


def _data_table(
    b: Body,
    table: str,
    *,
    description: str,
    apart_from_next: str,
    layouts: Sequence[TextLayout] = (),
) -> None:
    """A data table (the TableView named `table`): marked header row repeated on each page, one row
    per DisplayRow, no merged cells; its title is the table's caption for assistive technology
    (w:tblCaption), its caption and notes follow it. `apart_from_next`: when the table is followed
    directly by another one, which an empty paragraph keeps apart (two adjacent tables run together).

    Columns are as wide as the grid makes them (LibreOffice sizes columns by the grid alone), and a
    template cannot compute a grid: each of `layouts` is a copy of the table with its own grid,
    printed for the tables it fits; any other table gets the cost-table grid (REPORT_TABLE_COLUMNS).
    """
    header = _row(
        [
            _auto_cell([paragraph_xml("ReportTableHeading", f"{{{{ {table}.header[0] }}}}")]),
            _auto_cell([paragraph_xml("ReportTableHeading", f"{{%tc for heading in {table}.header[1:] %}}")]),
            _auto_cell([paragraph_xml("ReportTableHeadingCentred", "{{ heading }}")]),
            _auto_cell([paragraph_xml("ReportTableHeading", "{%tc endfor %}")]),
            *_spare_cells("ReportTableHeading"),
        ],
        header=True,
    )
    bold_row = _row([_auto_cell([paragraph_xml("ReportTableTextBold", "{{ row.label }}")]), *_value_cells(bold=True)])
    plain_row = _row([_auto_cell([paragraph_xml("ReportTableText", "{{ row.label }}")]), *_value_cells(bold=False)])
    rows = [
        _tag_row(f"{{%tr for row in {table}.rows %}}"),
        _tag_row("{%tr if row.bold %}"),
        bold_row,
        _tag_row("{%tr else %}"),
        plain_row,
        _tag_row("{%tr endif %}"),
        _tag_row("{%tr endfor %}"),
    ]

    def add_table(grid: Sequence[int]) -> None:
        grid_xml = "".join(f'<w:gridCol w:w="{w}"/>' for w in grid)
        b.add(
            f'<w:tbl><w:tblPr><w:tblStyle w:val="TableGrid"/><w:tblW w:w="{TEXT_W}" w:type="dxa"/>'
            '<w:tblLayout w:type="fixed"/><w:tblLook w:val="0420" w:firstRow="1" w:lastRow="0" w:firstColumn="0" '
            'w:lastColumn="0" w:noHBand="0" w:noVBand="1"/>'
            f'<w:tblCaption w:val="{{{{ {table}.title }}}}"/>'
            f'<w:tblDescription w:val="{_escape(description)}"/>'
            f"</w:tblPr><w:tblGrid>{grid_xml}</w:tblGrid>{header}{''.join(rows)}</w:tbl>"
        )

    for i, layout in enumerate(layouts):
        b.tag(f"{{%p {'if' if i == 0 else 'elif'} {_layout_condition(table, layout)} %}}")
        add_table(layout.grid())
    if layouts:
        b.tag("{%p else %}")
    add_table(REPORT_TABLE_COLUMNS)
    if layouts:
        b.tag("{%p endif %}")
    b.when(f"{table}.caption", lambda: b.p("Caption", f"{{{{ {table}.caption }}}}"))
    b.loop(f"for note in {table}.notes", lambda: b.p("TableNote", "{{ note }}"))
    b.when(f"{apart_from_next} and not {table}.caption and not {table}.notes", lambda: b.p("TableNote"))


# --------------------------------------------------------------------------- form appendix and assembly

# Appendix tables of words (cost tables get the report's grid): 10pt Arial needs about 100 twips a
# character, and a column the 216 twips of its cell margins besides.
APPENDIX_LAYOUTS = (
    # Bid tables: Title | Proposal | Funding (one source per line) | Total | Nature of Bid. The
    # others fit "Implementation", "PCC Match Funding:" and "£1,526,000.00" without breaking them.
    TextLayout((1480, None, 1700, 1560, 1680)),
    # Lists of items: No. | Title | Explanation.
    TextLayout((680, 2200, None)),
)


def _appendix(b: Body) -> None:
    """The form's appendix tables, where the published forms print them: after the background
    papers, with no heading above them (a table's title is its w:tblCaption, for assistive technology)."""
    b.loop(
        "for table in form.appendix",
        lambda: _data_table(
            b,
            "table",
            description="Appendix table: one row per item, under the column headings of the first row.",
            apart_from_next="not loop.last",
            layouts=APPENDIX_LAYOUTS,
        ),
    )


def build_body(b: Body, spec: FormSpec) -> None:
    b.p("Heading1", "{{ form.form_title }}")
    b.p("Subtitle", "Title: {{ form.title }}")
    _executive_summary(b)
    _recommendations(b, spec)
    _dmpc_block(b)
    _part_i(b, spec)
    _appendix(b)
    _public_access(b, spec)
    _declaration_table(b, spec)
    _officer_approval(b)


# --------------------------------------------------------------------------- report body
#
# Context: `report`, a generator.domain.report.view.ReportDocument. Blocks of the executive
# summary and of the sections have a `kind` (paragraph, subheading, unnumbered, table); cost tables
# are generator.domain.costs.view.TableView, whose number of columns varies (`{%tc for %}` loops).


def _note_mark(value: str) -> Run:
    """A superscript note number after a heading or paragraph, when there is one."""
    return (f"{{% if {value} %}}{{{{ {value} }}}}{{% endif %}}", "NoteMark")


def _report_table(b: Body) -> None:
    _data_table(
        b,
        "block.table",
        description="Cost table: one row per line; amounts in the unit named in the column headings.",
        apart_from_next='not loop.last and loop.nextitem.kind == "table"',
    )


def _report_blocks(b: Body, blocks: str, *, numbered: bool, subheading_style: str = "Heading4") -> None:
    """Paragraphs (numbered 1, 2, 3 … in the sections, plain in the summary), subheadings, plain paragraphs, tables."""
    text_style, bullet_style, continued_style = (
        ("ReportParagraph", "ListBullet2", "ReportContinued") if numbered else ("Normal", "ListBullet", "Normal")
    )

    def sub_item() -> None:
        b.p("ReportSubItem", "{{ sub.text }}")
        b.loop("for item in sub.sub_items", lambda: b.p("ReportSubItem2", "{{ item }}"))

    def one() -> None:
        b.tag('{%p if block.kind == "paragraph" %}')
        b.p(text_style, "{{ block.text }}", _note_mark("block.footnote"))
        b.loop("for line in block.quote", lambda: b.p("Quote", "{{ line }}"))
        b.loop("for sub in block.sub_items", sub_item)
        b.loop("for item in block.bullets", lambda: b.p(bullet_style, "{{ item }}"))
        b.loop("for more in block.continued", lambda: b.p(continued_style, "{{ more }}"))
        b.tag('{%p elif block.kind == "subheading" %}')
        b.p(subheading_style, "{{ block.text }}")
        b.tag('{%p elif block.kind == "unnumbered" %}')
        b.p("Normal", "{{ block.text }}")
        b.tag('{%p elif block.kind == "table" %}')
        _report_table(b)
        b.tag("{%p endif %}")

    b.loop(f"for block in {blocks}", one)


def _report_recommendations(b: Body) -> None:
    """Groups by body addressed; the items are numbered on across groups (one list)."""
    b.p("Heading2", "Recommendations")

    def item() -> None:
        b.p("ReportRecommendation", "{{ rec.text }}")
        b.loop("for sub in rec.sub_items", lambda: b.p("ReportRecommendationItem", "{{ sub.text }}"))

    def group() -> None:
        b.p("Normal", "{{ group.to }}")
        b.loop("for rec in group.items", item)

    b.loop("for group in report.recommendations", group)


def _hyperlink_runs(url: str, text: str) -> str:
    """A HYPERLINK field: a real link in Word, LibreOffice and PDF, with the description as its text."""

    def run(inner: str, style: str | None = None) -> str:
        rpr = f'<w:rPr><w:rStyle w:val="{style}"/></w:rPr>' if style else ""
        return f"<w:r>{rpr}{inner}</w:r>"

    return (
        run('<w:fldChar w:fldCharType="begin"/>')
        + run(f'<w:instrText xml:space="preserve"> HYPERLINK "{url}" </w:instrText>')
        + run('<w:fldChar w:fldCharType="separate"/>')
        + run(f"<w:t>{text}</w:t>", "Hyperlink")
        + run('<w:fldChar w:fldCharType="end"/>')
    )


def _report_notes(b: Body) -> None:
    b.p("Heading2", "Notes")

    def note() -> None:
        b.tag("{%p if n.url %}")
        linked = paragraph_xml("NoteText", "{{ n.number }}\t")
        b.add(linked.replace("</w:p>", _hyperlink_runs("{{ n.url }}", "{{ n.text }}") + "</w:p>"))
        b.tag("{%p else %}")
        b.p("NoteText", "{{ n.number }}\t{{ n.text }}")
        b.tag("{%p endif %}")

    b.loop("for n in report.footnotes", note)


def _report_part_2(b: Body) -> None:
    b.p("Heading2", "Part 2")

    def line() -> None:
        b.tag("{%p if loop.first %}")
        b.p("Classification", "{{ line }}")
        b.tag("{%p else %}")
        b.p("Normal", "{{ line }}")
        b.tag("{%p endif %}")

    b.loop("for line in report.part_2", line)


def build_report_body(b: Body) -> None:
    b.p("Heading1", "{{ report.title }}")
    b.p("Subtitle", "{{ report.meeting }}{% if report.meeting_date %} {{ report.meeting_date|long_date }}{% endif %}")
    b.p("Byline", "Report by {{ report.report_by }} on behalf of {{ report.on_behalf_of }}")
    b.p("Classification", "{{ report.classification }}")
    b.p("Heading2", "EXECUTIVE SUMMARY")
    _report_blocks(b, "report.executive_summary", numbered=False)
    _report_recommendations(b)

    def time_sensitivity() -> None:
        b.p("Heading2", "Time sensitivity")
        b.p("Normal", "{{ report.time_sensitivity }}")

    b.when("report.time_sensitivity", time_sensitivity)
    b.p("Heading2", "{{ report.facts_heading }}")

    def section() -> None:
        b.p("Heading3", "{{ section.heading }}", _note_mark("section.footnote"))
        _report_blocks(b, "section.blocks", numbered=True)

    b.loop("for section in report.sections", section)
    b.p("ReportAuthor", "Report author: {{ report.author }}")
    b.when("report.footnotes", lambda: _report_notes(b))
    b.when("report.part_2", lambda: _report_part_2(b))


# --------------------------------------------------------------------------- package


def _replace_children(element: etree._Element, xml: str) -> None:
    """Replace the children of a part's root element with those of `xml` (a fragment)."""
    for child in list(element):
        element.remove(child)
    for child in parse_fragments(xml):
        element.append(child)


def _page_number_runs() -> str:
    return (
        '<w:r><w:rPr><w:rStyle w:val="PageNumber"/></w:rPr><w:fldChar w:fldCharType="begin"/></w:r>'
        '<w:r><w:rPr><w:rStyle w:val="PageNumber"/></w:rPr><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>'
        '<w:r><w:rPr><w:rStyle w:val="PageNumber"/></w:rPr><w:fldChar w:fldCharType="separate"/></w:r>'
        '<w:r><w:rPr><w:rStyle w:val="PageNumber"/></w:rPr><w:t>1</w:t></w:r>'
        '<w:r><w:rPr><w:rStyle w:val="PageNumber"/></w:rPr><w:fldChar w:fldCharType="end"/></w:r>'
    )


def marking_xml() -> str:
    """The protective marking, centred, bold, in capitals: the context's top-level `marking`, which
    every document's context has whatever its own key (`form`, `report` …), so a pack's parts share it."""
    return paragraph_xml("ProtectiveMarking", "{{ marking }}")


def page_furniture(document: DocxDocument, *, header: str, footer: str) -> None:
    """Every template's pages alike: the marking, then `header` (paragraphs), in the page header;
    `footer` (one paragraph) ending in the page number, then the marking, in the footer."""
    section = document.sections[0]
    _replace_children(section.header._element, marking_xml() + header)  # creates the header part
    _replace_children(section.footer._element, footer.replace("</w:p>", _page_number_runs() + "</w:p>") + marking_xml())


def _header_footer(document: DocxDocument, footer_label: str = "{{ form.form_label }}") -> None:
    """The MOPAC masthead in the page header; `footer_label` and a tab before the page number."""
    page_furniture(
        document,
        header=paragraph_xml("Masthead", "MOPAC") + paragraph_xml("MastheadLine", "MAYOR OF LONDON OFFICE FOR POLICING AND CRIME"),
        footer=paragraph_xml("Footer", f"{footer_label}\t"),
    )


def _page_setup(document: DocxDocument) -> None:
    sect = document.element.body.find(qn("w:sectPr"))
    for tag in ("w:pgSz", "w:pgMar"):
        old = sect.find(qn(tag))
        if old is not None:
            sect.remove(old)
    cols = sect.find(qn("w:cols"))
    cols.addprevious(parse_xml(f'<w:pgSz {NSDECL} w:w="{PAGE_W}" w:h="{PAGE_H}"/>'))
    cols.addprevious(
        parse_xml(
            f'<w:pgMar {NSDECL} w:top="{MARGIN_TOP}" w:right="{MARGIN_SIDE}" w:bottom="{MARGIN_BOTTOM}" '
            f'w:left="{MARGIN_SIDE}" w:header="567" w:footer="567" w:gutter="0"/>'
        )
    )


def _theme_fonts(document: DocxDocument) -> None:
    """Make the theme's heading and body fonts Arial too, so Word's font list shows Arial (Body)."""
    for rel in document.part.rels.values():
        if rel.reltype == RT.THEME:
            theme = rel.target_part
            xml = etree.fromstring(theme.blob)
            ns = {"a": "http://schemas.openxmlformats.org/drawingml/2006/main"}
            for latin in xml.iterfind(".//a:fontScheme/*/a:latin", ns):
                latin.set("typeface", "Arial")
            theme._blob = etree.tostring(xml, xml_declaration=True, encoding="UTF-8", standalone=True)


def _settings(document: DocxDocument) -> None:
    settings = document.settings.element
    for el in settings.iter(qn("w:themeFontLang")):
        el.set(qn("w:val"), "en-GB")
        el.attrib.pop(qn("w:eastAsia"), None)
    for el in settings.iter(qn("w:compatSetting")):
        if el.get(qn("w:name")) == "compatibilityMode":
            el.set(qn("w:val"), "15")
    rsids = settings.find(qn("w:rsids"))
    if rsids is not None:
        settings.remove(rsids)
    sect = document.element.body.find(qn("w:sectPr"))
    for name in [a for a in sect.attrib if a.startswith(qn("w:rsid"))]:
        del sect.attrib[name]


def _drop_unused_parts(document: DocxDocument) -> None:
    """python-docx's default package carries a thumbnail, customXml and stylesWithEffects: not ours."""
    unwanted = {RT.CUSTOM_XML, RT.THUMBNAIL, "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects"}
    for rels in (document.part.rels, document.part.package.rels):
        for rel_id in [rel_id for rel_id, rel in rels.items() if rel.reltype in unwanted]:
            del rels[rel_id]


def _new_document(styles: str, numbering: str) -> DocxDocument:
    """An empty A4 document with only our styles and lists, English (UK), Arial."""
    document = Document()
    _drop_unused_parts(document)
    _replace_children(document.styles.element, styles)
    _replace_children(document.part.numbering_part.element, numbering)
    _settings(document)
    _theme_fonts(document)
    body = document.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)
    _page_setup(document)
    return document


def build(spec: FormSpec) -> DocxDocument:
    document = _new_document(styles_xml(title_centred=spec.title_centred), numbering_xml())
    _header_footer(document)
    build_body(Body(document), spec)
    props = document.core_properties
    # docxtpl renders core properties with the autoescaping environment, so a free-text field
    # here would show "&amp;" literally; the form title (reference and fixed wording) is safe.
    props.title = "{{ form.form_title }}"
    props.subject = ""
    props.author = "MOPAC"
    props.language = "en-GB"
    props.comments = ""
    props.keywords = ""
    props.last_modified_by = "MOPAC"
    props.revision = 1
    return document


def blank_properties(document: DocxDocument) -> None:
    """Leave a template's properties empty but its language: the generator writes them per document."""
    props = document.core_properties
    for name in ("title", "subject", "author", "comments", "keywords", "last_modified_by", "category"):
        setattr(props, name, "")
    props.language = "en-GB"
    props.revision = 1


def build_report() -> DocxDocument:
    """The MPS supporting report (context `report`); core properties are left for the generator to set."""
    document = _new_document(report_styles_xml(), report_numbering_xml())
    _header_footer(document, "{{ report.reference }} \u2013 supporting report")
    build_report_body(Body(document))
    blank_properties(document)
    return document


REPORT_FILE = "mps-report.docx"

FORMS = (
    FormSpec(
        file_name="dmpc-decision-2022.docx",
        title_centred=False,
        single_recommendation_unnumbered=False,
        background_as_bullets=True,
        declaration_heading="ORIGINATING OFFICER DECLARATION",
        tick_header="Tick to confirm statement (\u2713)",
        publication=_publication_2022,
    ),
    FormSpec(
        file_name="dmpcd-decision-v5-2014.docx",
        title_centred=True,
        single_recommendation_unnumbered=True,
        background_as_bullets=False,
        declaration_heading="ORIGINATING OFFICER DECLARATION:",
        tick_header="Tick to confirm statement (\u2714)",
        publication=_publication_v5,
    ),
)


def scaffold(builders: dict[str, Callable[[], DocxDocument]], *, description: str, argv: Sequence[str] | None = None) -> int:
    """The command line of every scaffold script: build the named templates into --out,
    refusing to overwrite one (the committed .docx is the source of truth) without --force."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent.parent / "templates")
    parser.add_argument("--force", action="store_true", help="overwrite existing templates (loses Word edits)")
    if len(builders) > 1:
        parser.add_argument("--only", choices=sorted(builders), action="append", help="build only this template (repeatable)")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    status = 0
    for name in getattr(args, "only", None) or builders:
        target = args.out / name
        if target.exists() and not args.force:
            print(f"{target}: exists (the .docx is the source of truth now); use --force to overwrite", file=sys.stderr)
            status = 1
            continue
        builders[name]().save(str(target))
        print(f"wrote {target}")
    return status


def scaffold_one(file_name: str, build_one: Callable[[], DocxDocument], *, description: str, argv: Sequence[str] | None = None) -> int:
    return scaffold({file_name: build_one}, description=description, argv=argv)


def main(argv: Sequence[str] | None = None) -> int:
    builders: dict[str, Callable[[], DocxDocument]] = {spec.file_name: partial(build, spec) for spec in FORMS}
    builders[REPORT_FILE] = build_report
    return scaffold(builders, description=__doc__.splitlines()[0], argv=argv)


if __name__ == "__main__":
    sys.exit(main())
