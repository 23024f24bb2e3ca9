"""Scaffold the grant funding agreement template, templates/grant-agreement.docx (context `agreement`).

    .venv/bin/python tools/scaffold_agreement.py [--out templates] [--force]

Like tools/scaffold_templates.py (whose page setup, style helpers and package clean-up it reuses),
this only records how the first version of the template was made: from then on the .docx is the
source of truth, and the script refuses to overwrite it unless --force.

What it builds:
- the shared page setup and styles (Arial 11pt, A4, en-GB), Heading 1 for the title, Heading 2 for
  the parts (Parties, Background, Key details, Agreed terms, Signatures, the annexes, each annex
  from a new page), and a numbered Heading 3 for the clauses;
- one multi-level list for the clauses, attached to the styles: clause headings 1., paragraphs 1.1,
  items 1.1.1; the parties are numbered (1), (2) and the background (A), (B) by lists of their own;
- definitions with the defined term in bold, set under the clause text;
- data tables (key details, breakdown, contacts, payment profile, KPIs, claim form) with a marked
  header row repeated on each page, no merged cells, figures right-aligned, totals bold;
- signature blocks for both parties: name, position, signature and date lines, kept together;
- the page header "GRANT FUNDING AGREEMENT" and the agreement's reference, and a footer with the
  grant's name and the page number; the protective marking (`marking`) first in the header and
  last in the footer.

Every value and every piece of standard wording comes from the template context (`agreement`, a
generator.domain.agreement.view.AgreementDocument); only labels are typed here.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

from docx.document import Document as DocxDocument
from scaffold_templates import (
    BOLD,
    KEEP,
    NUM_TEXT,
    TEXT_W,
    Body,
    Run,
    _abstract,
    _doc_defaults,
    _form_styles,
    _jc,
    _lvl,
    _new_document,
    _num,
    _outline,
    _pick,
    _ps,
    _size,
    _spacing,
    blank_properties,
    page_furniture,
    paragraph_xml,
    scaffold_one,  # type: ignore[import-not-found]
)

FILE_NAME = "grant-agreement.docx"
CLAUSE_NUM, PARTY_NUM, RECITAL_NUM = 1, 2, 3
ITEM_TEXT = NUM_TEXT + 850  # 3 cm: where the text of a 1.1.1 item starts
LABEL_TAB = 1701  # signature lines: the value starts here
LINE_END = 7371  # signature lines: a blank is ruled to here


# --------------------------------------------------------------------------- styles and lists


def _leader_tabs(*stops: tuple[int, bool]) -> str:
    """Left tab stops; those marked True draw an underscore line up to them (a blank to write on)."""
    leader = ' w:leader="underscore"'
    return "<w:tabs>" + "".join(f'<w:tab w:val="left"{leader if ruled else ""} w:pos="{pos}"/>' for pos, ruled in stops) + "</w:tabs>"


def styles_xml() -> str:
    shared = _pick(
        _form_styles(title_centred=True),
        "Normal",
        "DefaultParagraphFont",
        "TableNormal",
        "NoList",
        "Heading1",
        "Heading2",
        "Subtitle",
        "Header",
        "Footer",
        "ProtectiveMarking",
        "Strong",
        "PageNumber",
        "TableGrid",
    )
    cell = _spacing(20, 20)
    sign_tabs = _leader_tabs((LABEL_TAB, False), (LINE_END, True))
    own = [
        _ps(
            "Heading3",
            "heading 3",
            KEEP + _num(CLAUSE_NUM, 0) + _spacing(240, 120) + _outline(2),
            BOLD,
            next_style="ClauseText",
            ui_priority=9,
        ),
        _ps("CoverSubtitle", "Cover Subtitle", _jc("center"), based_on="Subtitle", next_style="ReferenceLine"),
        _ps("ReferenceLine", "Reference Line", _spacing(0, 240) + _jc("center"), BOLD),
        _ps("AnnexHeading", "Annex Heading", "<w:pageBreakBefore/>", based_on="Heading2", next_style="Normal"),
        # Space above rather than below, so a paragraph after a table does not touch it (and no
        # blank paragraph is needed to keep them apart).
        _ps("ClauseText", "Clause Text", _num(CLAUSE_NUM, 1) + _spacing(120, 60)),
        _ps("ClauseItem", "Clause Item", _num(CLAUSE_NUM, 2) + _spacing(60, 0)),
        _ps("Definition", "Definition", _spacing(60, 0) + f'<w:ind w:left="{NUM_TEXT}"/>'),
        _ps("Party", "Party", _num(PARTY_NUM, 0) + _spacing(0, 120)),
        _ps("Recital", "Recital", _num(RECITAL_NUM, 0) + _spacing(0, 120)),
        _ps("DatedLine", "Dated Line", _leader_tabs((5670, True)) + _spacing(240, 240)),
        _ps("SignatureIntro", "Signature Intro", KEEP),
        _ps("SignatureParty", "Signature Party", KEEP + _spacing(360, 120), BOLD),
        _ps("SignatureField", "Signature Field", KEEP + sign_tabs + _spacing(240, 0)),
        # Room above for a handwritten signature.
        _ps("SignatureLine", "Signature Line", KEEP + sign_tabs + _spacing(600, 0), based_on="SignatureField"),
        _ps("DataTableText", "Data Table Text", cell, _size(20)),
        _ps("DataTableNumber", "Data Table Number", _jc("right"), based_on="DataTableText"),
        _ps("DataTableTextBold", "Data Table Text Bold", "", BOLD, based_on="DataTableText"),
        _ps("DataTableNumberBold", "Data Table Number Bold", _jc("right"), BOLD, based_on="DataTableText"),
        _ps("DataTableHeading", "Data Table Heading", "", BOLD, based_on="DataTableText"),
        _ps("DataTableHeadingRight", "Data Table Heading Right", _jc("right"), BOLD, based_on="DataTableText"),
        _ps("TableTitle", "Table Title", KEEP + _spacing(240, 120), BOLD, next_style="Normal"),
    ]
    return _doc_defaults() + "".join(shared + own)


def numbering_xml() -> str:
    """Clauses 1. / 1.1 / 1.1.1, parties (1), (2) and background (A), (B): each level names its style."""
    clauses = [
        _lvl(0, "decimal", "%1.", left=NUM_TEXT, hanging=NUM_TEXT, style="Heading3"),
        _lvl(1, "decimal", "%1.%2", left=NUM_TEXT, hanging=NUM_TEXT, style="ClauseText"),
        _lvl(2, "decimal", "%1.%2.%3", left=ITEM_TEXT, hanging=850, style="ClauseItem"),
    ] + [_lvl(i, "lowerRoman", f"(%{i + 1})", left=ITEM_TEXT + 567 * (i - 2), hanging=567) for i in range(3, 9)]
    parties = [_lvl(0, "decimal", "(%1)", left=NUM_TEXT, hanging=NUM_TEXT, style="Party")] + [
        _lvl(i, "lowerLetter", f"(%{i + 1})", left=NUM_TEXT + 567 * i, hanging=567) for i in range(1, 9)
    ]
    recitals = [_lvl(0, "upperLetter", "(%1)", left=NUM_TEXT, hanging=NUM_TEXT, style="Recital")] + [
        _lvl(i, "lowerLetter", f"(%{i + 1})", left=NUM_TEXT + 567 * i, hanging=567) for i in range(1, 9)
    ]
    lists = (
        (CLAUSE_NUM, "47464131", "Clauses", clauses),
        (PARTY_NUM, "47464132", "Parties", parties),
        (RECITAL_NUM, "47464133", "Background", recitals),
    )
    return "".join(_abstract(n - 1, nsid, name, levels) for n, nsid, name, levels in lists) + "".join(
        f'<w:num w:numId="{n}"><w:abstractNumId w:val="{n - 1}"/></w:num>' for n, *_ in lists
    )


# --------------------------------------------------------------------------- tables


def _cell(width: int, paragraphs: Sequence[str]) -> str:
    return f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/></w:tcPr>{"".join(paragraphs)}</w:tc>'


def _tr(cells: Sequence[str], *, header: bool = False) -> str:
    trpr = "<w:cantSplit/><w:tblHeader/>" if header else "<w:cantSplit/>"
    return f"<w:tr><w:trPr>{trpr}</w:trPr>{''.join(cells)}</w:tr>"


Column = tuple[str, int, bool]  # heading, width (twips), figures (right-aligned)


def _tag_row(columns: Sequence[Column], tag: str) -> str:
    """A {%tr %} row: replaced whole by docxtpl; every cell still needs a paragraph to be valid."""
    first, *rest = columns
    return _tr([_cell(first[1], [paragraph_xml("DataTableText", tag)])] + [_cell(w, [paragraph_xml("DataTableText")]) for _, w, _ in rest])


def _value_row(columns: Sequence[Column], values: Sequence[Run | None], *, bold: bool = False) -> str:
    cells = []
    for (_, width, figure), value in zip(columns, values, strict=False):
        style = ("DataTableNumber" if figure else "DataTableText") + ("Bold" if bold else "")
        cells.append(_cell(width, [paragraph_xml(style, value) if value is not None else paragraph_xml(style)]))
    return _tr(cells)


def _table(
    b: Body,
    columns: Sequence[Column],
    rows: Sequence[str],
    *,
    caption: str,
    description: str,
    indent: int = 0,
) -> None:
    """A data table: marked header row repeated on each page, no merged cells, a caption for assistive
    technology; `indent` sets it under the text of a numbered clause paragraph."""
    width = TEXT_W - indent
    assert sum(w for _, w, _ in columns) == width, (caption, sum(w for _, w, _ in columns))
    header = _tr(
        [_cell(w, [paragraph_xml("DataTableHeadingRight" if figure else "DataTableHeading", heading)]) for heading, w, figure in columns],
        header=True,
    )
    grid = "".join(f'<w:gridCol w:w="{w}"/>' for _, w, _ in columns)
    b.add(
        f'<w:tbl><w:tblPr><w:tblStyle w:val="TableGrid"/><w:tblW w:w="{width}" w:type="dxa"/>'
        f'<w:tblInd w:w="{indent}" w:type="dxa"/><w:tblLayout w:type="fixed"/><w:tblLook w:val="0420" w:firstRow="1" w:lastRow="0" w:firstColumn="0" '
        'w:lastColumn="0" w:noHBand="0" w:noVBand="1"/>'
        f'<w:tblCaption w:val="{caption}"/><w:tblDescription w:val="{description}"/>'
        f"</w:tblPr><w:tblGrid>{grid}</w:tblGrid>{header}{''.join(rows)}</w:tbl>"
    )


def _loop_rows(columns: Sequence[Column], header: str, values: Sequence[Run | None]) -> list[str]:
    return [_tag_row(columns, f"{{%tr {header} %}}"), _value_row(columns, values), _tag_row(columns, "{%tr endfor %}")]


def _particulars(b: Body) -> None:
    columns = [("Item", 2552, False), ("Detail", TEXT_W - 2552, False)]
    _table(
        b,
        columns,
        _loop_rows(columns, "for row in agreement.particulars", ["{{ row.label }}", "{{ row.value }}"]),
        caption="Key details of the Grant",
        description="One row per item: the agreement reference, grant, parties, Maximum Sum, Funding Period, power and approval.",
    )


def _breakdown(b: Body) -> None:
    columns = [("Funded Activity", TEXT_W - NUM_TEXT - 2268, False), ("Amount", 2268, True)]
    rows = _loop_rows(columns, "for row in agreement.breakdown", ["{{ row.label }}", "{{ row.amount }}"])
    rows.append(_value_row(columns, ["Total (Maximum Sum)", "{{ agreement.breakdown_total }}"], bold=True))
    _table(
        b,
        columns,
        rows,
        caption="Funded Activities and the Maximum Sum",
        indent=NUM_TEXT,
        description="One row per Funded Activity with its part of the Maximum Sum; the last row is the total.",
    )


def _contacts(b: Body) -> None:
    columns = [
        ("Party", 1985, False),
        ("Role", 2835, False),
        ("Name", 1701, False),
        ("Email and telephone", TEXT_W - NUM_TEXT - 6521, False),
    ]
    _table(
        b,
        columns,
        _loop_rows(columns, "for row in agreement.contacts", ["{{ row.party }}", "{{ row.role }}", "{{ row.name }}", "{{ row.details }}"]),
        caption="Contacts",
        indent=NUM_TEXT,
        description="One row per contact: the party, the contact's role, name and contact details.",
    )


def _payment_profile(b: Body) -> None:
    columns = [
        ("Claim", 851, False),
        ("Claim Period", TEXT_W - 851 - 1701 - 2268, False),
        ("Period ends", 1701, False),
        ("Amount", 2268, True),
    ]
    rows = _loop_rows(
        columns, "for row in agreement.payment_profile", ["{{ row.number }}", "{{ row.period }}", "{{ row.date }}", "{{ row.amount }}"]
    )
    rows.append(_value_row(columns, ["Total", None, None, "{{ agreement.payment_total }}"], bold=True))
    _table(
        b,
        columns,
        rows,
        caption="Payment Profile",
        description="One row per Claim Period: its number, period, last day and the most that may be claimed; the last row is the total.",
    )


def _kpis(b: Body) -> None:
    columns = [("Indicator", 3119, False), ("Measure", TEXT_W - 3119 - 1985, False), ("Reporting frequency", 1985, False)]
    _table(
        b,
        columns,
        _loop_rows(columns, "for row in agreement.kpis", ["{{ row.indicator }}", "{{ row.measure }}", "{{ row.frequency }}"]),
        caption="Key Performance Indicators",
        description="One row per indicator: what is measured, how, and how often it is reported.",
    )


def _claim_form(b: Body) -> None:
    details = [("Item", 2552, False), ("Detail", TEXT_W - 2552, False)]
    fixed = [
        ("Grant Recipient", "{{ agreement.recipient.name }}"),
        ("Agreement reference", "{{ agreement.reference }}"),
        ("Grant", "{{ agreement.grant_name }}"),
        ("Claim number", None),
        ("Claim Period", None),
        ("Amount claimed", None),
    ]
    # Titles between the two tables keep them apart (two adjacent tables would run together as one).
    b.p("TableTitle", "Claim details")
    _table(
        b,
        details,
        [_value_row(details, [label, value]) for label, value in fixed],
        caption="Claim details",
        description="The Grant Recipient, agreement and Claim the form is for; blanks are completed for each Claim.",
    )
    columns = [
        ("Funded Activity", TEXT_W - 3 * 1843, False),
        ("Maximum", 1843, True),
        ("Claimed this Claim Period", 1843, True),
        ("Claimed to date", 1843, True),
    ]
    rows = _loop_rows(columns, "for row in agreement.breakdown", ["{{ row.label }}", "{{ row.amount }}", None, None])
    rows.append(_value_row(columns, ["Total", "{{ agreement.breakdown_total }}", None, None], bold=True))
    b.p("TableTitle", "Expenditure claimed")
    _table(
        b,
        columns,
        rows,
        caption="Expenditure claimed",
        description="One row per Funded Activity: its part of the Maximum Sum, and blanks for the amounts claimed; the last row is the total.",
    )


# --------------------------------------------------------------------------- body


def _signature_fields(b: Body, var: str | None) -> None:
    """Signature, name, position and date lines; a value from the context where there is one, else a ruled blank."""
    b.p("SignatureLine", "Signature\t\t")

    def field(label: str, attribute: str) -> None:
        if var is None:
            b.p("SignatureField", f"{label}\t\t")
            return
        value = f"{var}.{attribute}"
        shown = f"{{{{ {value}|short_date }}}}" if attribute == "date" else f"{{{{ {value} }}}}"
        b.tag(f"{{%p if {value} %}}")
        b.p("SignatureField", f"{label}\t", shown)
        b.tag("{%p else %}")
        b.p("SignatureField", f"{label}\t\t")
        b.tag("{%p endif %}")

    field("Name", "name")
    if var is None:
        field("Position", "position")
    else:
        b.p("SignatureField", "Position\t", f"{{{{ {var}.position }}}}")
    field("Date", "date")


def _clauses(b: Body) -> None:
    def paragraph() -> None:
        b.tag("{%p if para.table or para.definitions or para.items %}")
        # Kept with what it leads into (direct keep-with-next: a second numbered style on the same
        # list level is not numbered by LibreOffice).
        b.add(
            paragraph_xml("ClauseText", "{{ para.text }}").replace(
                '<w:pStyle w:val="ClauseText"/>', '<w:pStyle w:val="ClauseText"/><w:keepNext/>'
            )
        )
        b.tag("{%p else %}")
        b.p("ClauseText", "{{ para.text }}")
        b.tag("{%p endif %}")
        b.loop(
            "for d in para.definitions",
            lambda: b.p("Definition", ("\u201c{{ d.term }}\u201d", "Strong"), " {{ d.meaning }}"),
        )
        b.loop("for item in para.items", lambda: b.p("ClauseItem", "{{ item }}"))
        b.when('para.table == "breakdown"', lambda: _breakdown(b))
        b.when('para.table == "contacts"', lambda: _contacts(b))

    def clause() -> None:
        b.p("Heading3", "{{ clause.heading }}")
        b.loop("for para in clause.paragraphs", paragraph)

    b.loop("for clause in agreement.clauses", clause)


def _annex(b: Body, annex: str) -> None:
    b.p("AnnexHeading", f"{{{{ agreement.{annex}.heading }}}}")
    b.loop(f"for text in agreement.{annex}.intro", lambda: b.p("Normal", "{{ text }}"))


def build_body(b: Body) -> None:
    b.p("Heading1", "{{ agreement.title }}")
    b.p("CoverSubtitle", "{{ agreement.grant_name }}")
    b.p("ReferenceLine", "Reference: {{ agreement.reference }}")
    b.tag("{%p if agreement.date %}")
    b.p("Normal", "This Agreement is dated {{ agreement.date|long_date }}.")
    b.tag("{%p else %}")
    b.p("DatedLine", "This Agreement is dated\t")
    b.tag("{%p endif %}")

    b.p("Heading2", "Parties")
    for key, label, end in (("authority", "Authority", "; and"), ("recipient", "Grant Recipient", ".")):
        party = f"agreement.{key}"
        b.p("Party", (f"{{{{ {party}.in_text|upper }}}}", "Strong"), f" of {{{{ {party}.address }}}} (the \u201c{label}\u201d){end}")

    b.p("Heading2", "Background")
    b.loop("for text in agreement.recitals", lambda: b.p("Recital", "{{ text }}"))

    b.p("Heading2", "Key details")
    _particulars(b)

    b.p("Heading2", "Agreed terms")
    _clauses(b)

    b.p("Heading2", "Signatures")
    b.p("SignatureIntro", "{{ agreement.signature_intro }}")

    def signature() -> None:
        b.p("SignatureParty", "Signed for and on behalf of {{ s.party }} ({{ s.label }})")
        _signature_fields(b, "s")

    b.loop("for s in agreement.signatures", signature)

    _annex(b, "payment_annex")
    _payment_profile(b)
    _annex(b, "kpi_annex")
    _kpis(b)
    _annex(b, "claim_annex")
    _claim_form(b)
    b.p("TableTitle", "Certificate")
    b.loop("for text in agreement.claim_declaration", lambda: b.p("Normal", "{{ text }}"))
    _signature_fields(b, None)


# --------------------------------------------------------------------------- package


def _header_footer(document: DocxDocument) -> None:
    """'GRANT FUNDING AGREEMENT' and the reference in the page header; the grant and the page number in the footer."""
    page_furniture(
        document,
        header=paragraph_xml("Header", ("{{ agreement.title }}", "Strong"), "\t\t{{ agreement.reference }}"),
        footer=paragraph_xml("Footer", "{{ agreement.grant_name }}\tPage "),
    )


def build() -> DocxDocument:
    document = _new_document(styles_xml(), numbering_xml())
    _header_footer(document)
    build_body(Body(document))
    blank_properties(document)
    return document


def main(argv: Sequence[str] | None = None) -> int:
    return scaffold_one(FILE_NAME, build, description=__doc__.splitlines()[0], argv=argv)


if __name__ == "__main__":
    sys.exit(main())
