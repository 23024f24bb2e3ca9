"""Accessibility of the outputs (DOMAIN.md §6): `grantdocs check`, and generate/batch failing an
input whose documents are not accessible."""

from __future__ import annotations

import io
import shutil
import struct
import subprocess
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path

import pytest
from docx import Document
from docx.document import Document as DocxDocument
from docx.oxml import parse_xml
from docx.oxml.ns import qn
from docx.shared import Inches
from docx.table import Table
from lxml import etree
from pypdf import PdfWriter
from pypdf.generic import (
    ArrayObject,
    BooleanObject,
    DictionaryObject,
    NameObject,
    StreamObject,
    TextStringObject,
)
from typer.testing import CliRunner

from cli import app
from generator.build.batch import run_batch
from generator.build.generate import generate, render_input
from generator.checks.accessibility import (
    AccessibilityError,
    check_docx,
    check_file,
    check_pdf,
)
from generator.docx.facts import accessibility_facts
from tests.conftest import EXAMPLES, MINIMAL, ROOT
from tests.support.fidelity import need_libreoffice
from tests.support.templates import copy_templates, edit_part

runner = CliRunner()

EXPECTED_OUTPUTS = [
    "dmpcd-2015-148/dmpcd-2015-148-decision-form.docx",
    "ocs-grant-2023-24/ocs-grant-2023-24-grant-agreement.docx",
    "ocs-grant-2023-24/ocs-grant-2023-24-supporting-report.docx",
    "pcd-1284/pcd-1284-decision-form.docx",
    "pcd-1284/pcd-1284-decision-pack.docx",
    "pcd-1284/pcd-1284-grant-agreement.docx",
    "pcd-1284/pcd-1284-supporting-report.docx",
]


@pytest.fixture(scope="module")
def example_outputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("examples")
    for source in sorted(EXAMPLES.glob("*.yaml")):
        generate(source, out_dir=out)
    return {p.relative_to(out).as_posix(): p for p in sorted(out.rglob("*.docx"))}


# --------------------------------------------------------------------------- the real outputs


def test_every_example_output_is_checked_and_passes(example_outputs: dict[str, Path]) -> None:
    assert set(EXPECTED_OUTPUTS) <= set(example_outputs), "every kind of document is checked"
    problems = [str(p) for path in example_outputs.values() for p in check_file(path)]
    assert problems == []


def test_check_command_passes_every_example_output(example_outputs: dict[str, Path]) -> None:
    result = runner.invoke(app, ["check", *map(str, example_outputs.values())])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [f"{path}: ok" for path in example_outputs.values()]


# --------------------------------------------------------------------------- broken .docx files

PNG = (  # a 1×1 white PNG
    b"\x89PNG\r\n\x1a\n"
    + b"".join(
        struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        for kind, data in [
            (b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)),
            (b"IDAT", zlib.compress(b"\x00\xff\xff\xff")),
            (b"IEND", b""),
        ]
    )
)


def _set_default_language(doc: DocxDocument, value: str) -> None:
    (lang,) = doc.styles.element.xpath("./w:docDefaults/w:rPrDefault/w:rPr/w:lang")
    lang.set(qn("w:val"), value)


def _mark_header(table: Table) -> None:
    etree.SubElement(table.rows[0]._tr.get_or_add_trPr(), qn("w:tblHeader"))


def _table(doc: DocxDocument, rows: int = 2, *, header: bool = True) -> Table:
    table: Table = doc.add_table(rows=rows, cols=2)  # python-docx leaves its return type out
    for r, row in enumerate(table.rows):
        for c, cell in enumerate(row.cells):
            cell.text = "Heading" if r == 0 else f"{r}.{c}"
    if header:
        _mark_header(table)
    return table


def clean_document() -> DocxDocument:
    """Paragraphs 1-5 and table 1, with nothing wrong."""
    doc = Document()
    props = doc.core_properties
    props.title, props.subject, props.language = "Test decision", "Accessibility test", "en-GB"
    _set_default_language(doc, "en-GB")
    doc.add_heading("Decision", 1)
    doc.add_paragraph("Body text.")
    doc.add_heading("Section", 2)
    doc.add_paragraph("An item", style="List Bullet")
    _table(doc)
    doc.add_paragraph("After the table.")
    return doc


def _save(doc: DocxDocument, path: Path) -> Path:
    doc.save(str(path))
    return path


def _no_title(doc: DocxDocument) -> None:
    doc.core_properties.title = ""


def _no_subject(doc: DocxDocument) -> None:
    doc.core_properties.subject = ""


def _wrong_language(doc: DocxDocument) -> None:
    _set_default_language(doc, "en-US")


def _wrong_core_language(doc: DocxDocument) -> None:
    doc.core_properties.language = "en-US"


def _no_language(doc: DocxDocument) -> None:
    doc.core_properties.language = ""
    (lang,) = doc.styles.element.xpath("./w:docDefaults/w:rPrDefault/w:rPr/w:lang")
    lang.getparent().remove(lang)


def _heading_jump(doc: DocxDocument) -> None:
    doc.add_heading("Annex", 1)
    doc.add_heading("Details of the annex and its tables", 3)


def _starts_at_level_3(doc: DocxDocument) -> None:
    first = doc.paragraphs[0]
    first.style = doc.styles["Heading 3"]


def _typed_bullet(doc: DocxDocument) -> None:
    doc.add_paragraph("• typed bullet")


def _typed_number(doc: DocxDocument) -> None:
    doc.add_paragraph("1. typed number")


def _typed_letter_in_unnumbered_list_style(doc: DocxDocument) -> None:
    p = doc.add_paragraph("a) typed letter", style="Normal")
    num_pr = p._p.get_or_add_pPr().get_or_add_numPr()  # type: ignore[attr-defined]  # python-docx makes it (ZeroOrOne) but does not declare it
    num_pr.get_or_add_numId().val = 0  # numbering explicitly off


def _no_header_row(doc: DocxDocument) -> None:
    _table(doc, header=False)


def _merged_cell(doc: DocxDocument) -> None:
    table = _table(doc, rows=2)
    table.cell(1, 0).merge(table.cell(1, 1))


def _vertically_merged_cell(doc: DocxDocument) -> None:
    table = _table(doc, rows=3)
    table.cell(1, 0).merge(table.cell(2, 0))


def _empty_spacing_paragraph(doc: DocxDocument) -> None:
    doc.add_paragraph("")
    doc.add_paragraph("Text after the gap.")


def _whitespace_spacing_paragraph(doc: DocxDocument) -> None:
    doc.paragraphs[2].insert_paragraph_before("   ")


def _image_without_alt_text(doc: DocxDocument) -> None:
    doc.add_picture(io.BytesIO(PNG), width=Inches(1))


BROKEN: list[tuple[Callable[[DocxDocument], None], list[str]]] = [
    (_no_title, ["no document title (core property Title)"]),
    (_no_subject, ["no document subject (core property Subject)"]),
    (_wrong_language, ["language is 'en-US', not en-GB, in the default run properties (w:docDefaults w:lang)"]),
    (_wrong_core_language, ["language is 'en-US', not en-GB, in core property Language"]),
    (_no_language, ["no document language: set en-GB in the default run properties (w:docDefaults w:lang)"]),
    (
        _heading_jump,
        ["paragraph 7 'Details of the annex and its …': heading level jumps from 1 to 3 (Heading 3): levels go down one at a time"],
    ),
    (_starts_at_level_3, ["paragraph 1 'Decision': the first heading is level 3 (Heading 3): a document starts at heading level 1 or 2"]),
    (_typed_bullet, ["paragraph 6 '• typed bullet': typed list marker '•' in a paragraph of style 'Normal': use a list style"]),
    (_typed_number, ["paragraph 6 '1. typed number': typed list marker '1.' in a paragraph of style 'Normal': use a list style"]),
    (
        _typed_letter_in_unnumbered_list_style,
        ["paragraph 6 'a) typed letter': typed list marker 'a)' in a paragraph of style 'Normal': use a list style"],
    ),
    (_no_header_row, ["table 2, row 1: header row not marked to repeat on each page (w:tblHeader)"]),
    (_merged_cell, ["table 2, row 2, cell 1: merged cell (w:gridSpan): a data table must not merge cells"]),
    (
        _vertically_merged_cell,
        [
            "table 2, row 2, cell 1: merged cell (w:vMerge): a data table must not merge cells",
            "table 2, row 3, cell 1: merged cell (w:vMerge): a data table must not merge cells",
        ],
    ),
    (
        _empty_spacing_paragraph,
        ["paragraph 6 (empty, after 'After the table.'): empty paragraph used as spacing: use the style's space before/after"],
    ),
    (
        _whitespace_spacing_paragraph,
        ["paragraph 3 (empty, after 'Body text.'): empty paragraph used as spacing: use the style's space before/after"],
    ),
    (_image_without_alt_text, ["image 'Picture 1': no alt text (wp:docPr descr), and not marked decorative"]),
]


def test_the_clean_document_passes(tmp_path: Path) -> None:
    assert check_docx(_save(clean_document(), tmp_path / "clean.docx")) == []


@pytest.mark.parametrize(("breakage", "messages"), BROKEN, ids=[b.__name__.lstrip("_") for b, _ in BROKEN])
def test_broken_document_fails_naming_the_problem(breakage: Callable[[DocxDocument], None], messages: list[str], tmp_path: Path) -> None:
    doc = clean_document()
    breakage(doc)
    path = _save(doc, tmp_path / "broken.docx")
    assert [str(p) for p in check_docx(path)] == [f"{path}: {m}" for m in messages]


def _empty_paragraph_between_tables(doc: DocxDocument) -> None:
    _table(doc)
    doc.add_paragraph("")
    _table(doc)


def _empty_paragraph_ending_the_document_after_a_table(doc: DocxDocument) -> None:
    _table(doc)
    doc.add_paragraph("")


def _section_break(doc: DocxDocument) -> None:
    doc.add_section()  # an empty paragraph holding the first section's properties
    doc.add_heading("Appendix", 1)


def _image_with_alt_text(doc: DocxDocument) -> None:
    doc.add_picture(io.BytesIO(PNG), width=Inches(1))
    (doc_pr,) = doc.element.body.xpath(".//wp:docPr")
    doc_pr.set("descr", "The MOPAC logo")


def _decorative_image(doc: DocxDocument) -> None:
    doc.add_picture(io.BytesIO(PNG), width=Inches(1))
    (doc_pr,) = doc.element.body.xpath(".//wp:docPr")
    doc_pr.append(
        parse_xml(
            '<a:extLst xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><a:ext uri="{C183D7F6-B498-43B3-948B-1728B52AA6E4}">'
            '<adec:decorative xmlns:adec="http://schemas.microsoft.com/office/drawing/2017/decorative" val="1"/></a:ext></a:extLst>'
        )
    )


def _page_break(doc: DocxDocument) -> None:
    doc.add_page_break()  # type: ignore[no-untyped-call]  # python-docx leaves it unannotated
    doc.add_paragraph("On a new page.")


def _numbered_typed_text(doc: DocxDocument) -> None:
    doc.add_paragraph("- a dash inside a real list item", style="List Bullet")


def _style_with_a_name_but_no_value(doc: DocxDocument) -> None:
    # Word always writes w:name's w:val; a styles part edited by hand may not. The id stands in.
    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    doc.styles.element.append(parse_xml(f'<w:style {w} w:type="paragraph" w:styleId="Plain"><w:name/></w:style>'))
    doc.add_paragraph("In a style whose name is empty.")._p.get_or_add_pPr().style = "Plain"


@pytest.mark.parametrize(
    "allowed",
    [
        _empty_paragraph_between_tables,
        _empty_paragraph_ending_the_document_after_a_table,
        _section_break,
        _image_with_alt_text,
        _decorative_image,
        _page_break,
        _numbered_typed_text,
        _style_with_a_name_but_no_value,
    ],
    ids=lambda f: f.__name__.lstrip("_"),
)
def test_structural_elements_are_allowed(allowed: Callable[[DocxDocument], None], tmp_path: Path) -> None:
    doc = clean_document()
    allowed(doc)
    assert [str(p) for p in check_docx(_save(doc, tmp_path / "allowed.docx"))] == []


def test_every_problem_is_listed_at_once(tmp_path: Path) -> None:
    doc = clean_document()
    for breakage in (_no_title, _typed_bullet, _no_header_row):
        breakage(doc)
    path = _save(doc, tmp_path / "broken.docx")
    assert len(check_docx(path)) == 3


def test_unreadable_docx_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    path = tmp_path / "fake.docx"
    path.write_bytes(b"not a zip")
    (problem,) = check_docx(path)
    assert str(problem) == f"{path}: not a Word document: File is not a zip file"
    with zipfile.ZipFile(path, "w") as package:
        package.writestr("word/document.xml", "<w:document")
    (problem,) = check_docx(path)
    assert str(problem).startswith(f"{path}: cannot read as a Word document: malformed XML")


# --------------------------------------------------------------------------- the CLI


def test_check_command_exit_codes(tmp_path: Path) -> None:
    clean = _save(clean_document(), tmp_path / "clean.docx")
    doc = clean_document()
    _typed_bullet(doc)
    broken = _save(doc, tmp_path / "broken.docx")
    ok = runner.invoke(app, ["check", str(clean)])
    assert (ok.exit_code, ok.output) == (0, f"{clean}: ok\n")
    bad = runner.invoke(app, ["check", str(clean), str(broken)])
    assert bad.exit_code == 1
    assert bad.output.splitlines() == [
        f"{clean}: ok",
        f"{broken}: paragraph 6 '• typed bullet': typed list marker '•' in a paragraph of style 'Normal': use a list style",
    ]
    (tmp_path / "notes.txt").write_text("x", encoding="utf-8")
    assert runner.invoke(app, ["check", str(tmp_path / "notes.txt")]).exit_code == 2
    assert runner.invoke(app, ["check", str(tmp_path / "missing.docx")]).exit_code == 2
    assert runner.invoke(app, ["check"]).exit_code == 2


# --------------------------------------------------------------------------- generate and batch


def _spacing_template(tmp_path: Path) -> Path:
    """A copy of templates/ whose 2022 form has an empty paragraph for spacing after its title:
    the kind of slip a template owner makes in Word."""
    templates = copy_templates(tmp_path)

    def add_spacing(xml: str) -> str:
        end = xml.index("</w:p>", xml.index("{{ form.form_title }}")) + len("</w:p>")
        return xml[:end] + "<w:p/>" + xml[end:]

    edit_part(templates / "dmpc-decision-2022.docx", add_spacing)
    return templates


SPACING = "paragraph 2 (empty, after 'DMPC Decision – PCD 1300'): empty paragraph used as spacing"


def test_generate_fails_an_input_whose_output_is_not_accessible(tmp_path: Path) -> None:
    templates = _spacing_template(tmp_path)
    out = tmp_path / "out"
    with pytest.raises(AccessibilityError) as caught:
        generate(MINIMAL, out_dir=out, templates=templates)
    output = out / "minimal" / "minimal-decision-form.docx"
    assert output.is_file(), "written, so that the problem can be looked at"
    (problem,) = caught.value.problems
    assert str(problem).startswith(f"{output}: {SPACING}")
    result = runner.invoke(app, ["generate", str(MINIMAL), "--out", str(out), "--templates", str(templates)])
    assert result.exit_code == 1
    assert f"{output}: {SPACING}" in result.output


def test_batch_fails_an_input_whose_output_is_not_accessible(tmp_path: Path) -> None:
    templates = _spacing_template(tmp_path)
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    shutil.copy(MINIMAL, inputs / "minimal.yaml")
    shutil.copy(EXAMPLES / "ocs-grant-2023-24.yaml", inputs / "ocs.yaml")
    report = run_batch(inputs, out_dir=tmp_path / "out", templates=templates, jobs=1)
    assert [r.key for r in report.rendered] == ["ocs.yaml"], "outputs of other templates are fine"
    (failed,) = report.failed
    assert failed.key == "minimal.yaml"
    assert failed.error is not None and SPACING in failed.error
    again = run_batch(inputs, out_dir=tmp_path / "out", templates=templates, jobs=1)
    assert [r.key for r in again.failed] == ["minimal.yaml"], "a failed input is not recorded as done"


def test_a_typed_bullet_in_the_input_is_refused_with_its_line(write_input: Callable[[str, str], Path]) -> None:
    text = MINIMAL.read_text(encoding="utf-8").replace(
        "    - This paper seeks approval to accept £10,000 of grant.\n",
        '    - This paper seeks approval to accept £10,000 of grant.\n    - "- a typed bullet"\n',
    )
    source = write_input(text, "typed.yaml")
    result = runner.invoke(app, ["validate", str(source)])
    assert result.exit_code == 1
    assert (
        f"{source}:7:7: decision_form.executive_summary[1].text: starts with a typed list marker ('-'): "
        "write list items under `bullets:` or `sub_items:`, which Word bullets and numbers itself"
    ) in result.stderr


# --------------------------------------------------------------------------- PDF


def _font(name: str, *, embedded: bool, type0: bool = False) -> DictionaryObject:
    descriptor = DictionaryObject({NameObject("/Type"): NameObject("/FontDescriptor"), NameObject("/FontName"): NameObject(f"/{name}")})
    if embedded:
        descriptor[NameObject("/FontFile2")] = StreamObject()
    font = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Font"),
            NameObject("/BaseFont"): NameObject(f"/{name}"),
            NameObject("/Subtype"): NameObject("/CIDFontType2" if type0 else "/TrueType"),
            NameObject("/FontDescriptor"): descriptor,
        }
    )
    if not type0:
        return font
    return DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Font"),
            NameObject("/Subtype"): NameObject("/Type0"),
            NameObject("/BaseFont"): NameObject(f"/{name}"),
            NameObject("/DescendantFonts"): ArrayObject([font]),
        }
    )


def _pdf(path: Path, *, accessible: bool, title: bool = True, tweak: Callable[[DictionaryObject], None] | None = None) -> Path:
    writer = PdfWriter()
    for _ in range(2):
        writer.add_blank_page(width=595, height=842)
    fonts = {"/F1": _font("ABCDEF+LiberationSans", embedded=True), "/F2": _font("ABCDEF+DejaVuSans", embedded=True, type0=True)}
    if not accessible:
        fonts["/F3"] = DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Font"),
                NameObject("/Subtype"): NameObject("/Type1"),
                NameObject("/BaseFont"): NameObject("/Helvetica"),
            }
        )
        fonts["/F4"] = _font("Arial", embedded=False, type0=True)
    page = writer.pages[1]
    page[NameObject("/Resources")] = DictionaryObject(
        {NameObject("/Font"): DictionaryObject({NameObject(k): writer._add_object(v) for k, v in fonts.items()})}
    )
    if accessible:
        root = writer._root_object
        root[NameObject("/MarkInfo")] = DictionaryObject({NameObject("/Marked"): BooleanObject(True)})
        root[NameObject("/StructTreeRoot")] = writer._add_object(DictionaryObject({NameObject("/Type"): NameObject("/StructTreeRoot")}))
        root[NameObject("/Lang")] = TextStringObject("en-GB")
        root[NameObject("/ViewerPreferences")] = DictionaryObject({NameObject("/DisplayDocTitle"): BooleanObject(True)})
        if title:
            writer.add_metadata({"/Title": "Test decision"})
    if tweak:
        tweak(writer._root_object)
    with path.open("wb") as f:
        writer.write(f)
    return path


def test_accessible_pdf_passes(tmp_path: Path) -> None:
    assert check_pdf(_pdf(tmp_path / "good.pdf", accessible=True)) == []


def test_inaccessible_pdf_fails_naming_each_problem(tmp_path: Path) -> None:
    path = _pdf(tmp_path / "bad.pdf", accessible=False)
    assert [str(p) for p in check_pdf(path)] == [
        f"{path}: {m}"
        for m in [
            "not tagged: no /MarkInfo with /Marked true in the catalog",
            "not tagged: no /StructTreeRoot (structure tree) in the catalog",
            "no document language: no /Lang in the catalog (expected en-GB)",
            "no document title in the metadata (document information /Title or XMP dc:title)",
            "the title is not shown: /ViewerPreferences /DisplayDocTitle is not true",
            "font 'Arial' (page 2): not embedded (no FontFile, FontFile2 or FontFile3 in its font descriptor)",
            "font 'Helvetica' (page 2): not embedded (no FontFile, FontFile2 or FontFile3 in its font descriptor)",
        ]
    ]
    result = runner.invoke(app, ["check", str(path)])
    assert result.exit_code == 1 and len(result.output.splitlines()) == 7


XMP = b"""<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/">
<dc:title><rdf:Alt><rdf:li xml:lang="x-default">Test decision</rdf:li></rdf:Alt></dc:title>
</rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end="w"?>"""


def _false_flags_and_wrong_language(root: DictionaryObject) -> None:
    root[NameObject("/MarkInfo")] = DictionaryObject({NameObject("/Marked"): BooleanObject(False)})
    root[NameObject("/ViewerPreferences")] = DictionaryObject({NameObject("/DisplayDocTitle"): BooleanObject(False)})
    root[NameObject("/Lang")] = TextStringObject("en-US")


def test_pdf_flags_must_be_true_and_language_en_gb(tmp_path: Path) -> None:
    path = _pdf(tmp_path / "flags.pdf", accessible=True, tweak=_false_flags_and_wrong_language)
    assert [str(p) for p in check_pdf(path)] == [
        f"{path}: {m}"
        for m in [
            "not tagged: no /MarkInfo with /Marked true in the catalog",
            "language is 'en-US', not en-GB (/Lang in the catalog)",
            "the title is not shown: /ViewerPreferences /DisplayDocTitle is not true",
        ]
    ]


def test_pdf_title_may_be_in_xmp_only(tmp_path: Path) -> None:
    def xmp_title_only(root: DictionaryObject) -> None:
        stream = StreamObject()
        stream.set_data(XMP)
        stream[NameObject("/Type")], stream[NameObject("/Subtype")] = NameObject("/Metadata"), NameObject("/XML")
        root[NameObject("/Metadata")] = stream

    path = _pdf(tmp_path / "xmp.pdf", accessible=True, title=False, tweak=xmp_title_only)
    assert check_pdf(path) == []
    untitled = _pdf(tmp_path / "untitled.pdf", accessible=True, title=False)
    assert [p.message for p in check_pdf(untitled)] == ["no document title in the metadata (document information /Title or XMP dc:title)"]


def test_unreadable_pdf_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    path = tmp_path / "fake.pdf"
    path.write_bytes(b"not a pdf")
    (problem,) = check_pdf(path)
    assert str(problem).startswith(f"{path}: cannot read as a PDF:")


TAGGED = 'pdf:writer_pdf_Export:{"UseTaggedPDF":{"type":"boolean","value":"true"},"PDFUACompliance":{"type":"boolean","value":"true"}}'


@pytest.fixture(scope="module")
def libreoffice_pdfs(example_outputs: dict[str, Path], tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The pcd-1284 decision form as LibreOffice exports it: tagged (PDF/UA), and plain."""
    exe = need_libreoffice()
    tmp = tmp_path_factory.mktemp("pdf")
    docx = example_outputs["pcd-1284/pcd-1284-decision-form.docx"]
    made = {}
    for kind, target in (("tagged", TAGGED), ("plain", "pdf")):
        subprocess.run(
            [
                exe,
                f"-env:UserInstallation={(tmp / 'profile').as_uri()}",
                "--headless",
                "--convert-to",
                target,
                "--outdir",
                str(tmp / kind),
                str(docx),
            ],
            check=True,
            capture_output=True,
            timeout=180,
        )
        made[kind] = tmp / kind / "pcd-1284-decision-form.pdf"
    return made


def test_tagged_libreoffice_pdf_passes(libreoffice_pdfs: dict[str, Path]) -> None:
    path = libreoffice_pdfs["tagged"]
    assert [str(p) for p in check_pdf(path)] == []
    assert runner.invoke(app, ["check", str(path)]).output == f"{path}: ok\n"


def test_untagged_libreoffice_pdf_fails(libreoffice_pdfs: dict[str, Path]) -> None:
    path = libreoffice_pdfs["plain"]
    assert [str(p) for p in check_pdf(path)] == [
        f"{path}: {m}"
        for m in [
            "not tagged: no /MarkInfo with /Marked true in the catalog",
            "not tagged: no /StructTreeRoot (structure tree) in the catalog",
        ]
    ]


def test_pypdf_is_a_declared_dependency() -> None:
    assert '"pypdf>=4"' in (ROOT / "pyproject.toml").read_text(encoding="utf-8")


def test_a_render_is_checked_from_its_parts_as_from_its_file(tmp_path: Path) -> None:
    """generate and batch check the parts they just zipped, not the file: the two must agree."""
    for source in sorted(EXAMPLES.glob("*.yaml")):
        for rendered in render_input(source, out_dir=tmp_path).documents:
            assert accessibility_facts(rendered.parts) == accessibility_facts(rendered.data)
