"""The generated grant agreements: parties, exact sums and period from the decision, every clause of
the checklist, numbered clauses, real tables, signature blocks; and `generate --only agreement`."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.table import Table
from typer.testing import CliRunner

from cli import app
from generator.build.generate import generate
from generator.docx.read import document_lines
from tests.conftest import EXAMPLES, FIXTURES, MINIMAL, TESTS
from tests.support.fidelity import libreoffice_text, need_libreoffice

GOLDEN = TESTS / "golden"
AGREEMENT_FIXTURE = FIXTURES / "inputs" / "agreement.yaml"
runner = CliRunner()

# (example, maximum sum, first day, last day, funded activities with their amounts, payment profile)
EXAMPLES_EXPECTED = {
    "ocs-grant-2023-24": (
        "£1,701,000.00",
        "01/04/2023",
        "31/03/2024",
        [
            ("ROCU 'Core Grant' for London Regional Organised Crime Unit ROCU (inc. Regional Asset Recovery Team - RART)", "£1,000,000.00"),
            ("Regional Organised Crime Threat Assessment (ROCTA)", "£231,000.00"),
            ("ACE Teams (Asset Confiscation Enforcement Team)", "£220,000.00"),
            ("SOC Drugs Strategy", "£150,000.00"),
            ("Digital Forensic Support – SOC Drugs", "£100,000.00"),
        ],
        [
            ["1", "Quarter 1: April to June 2023", "30/06/2023", "£425,250.00"],
            ["2", "Quarter 2: July to September 2023", "30/09/2023", "£425,250.00"],
            ["3", "Quarter 3: October to December 2023", "31/12/2023", "£425,250.00"],
            ["4", "Quarter 4: January to March 2024", "31/03/2024", "£425,250.00"],
        ],
    ),
    "pcd-1284": (
        "£450,000.00",
        "01/04/2022",
        "31/03/2023",
        [
            ("Detective Inspector (DI) post to develop and deliver the CPD programme", "£92,582.00"),
            ("Continuous professional development (CPD) programme", "£357,418.00"),
        ],
        [
            ["1", "1 April to 31 December 2022", "31/12/2022", "£150,000.00"],
            ["2", "1 January to 31 March 2023", "31/03/2023", "£300,000.00"],
        ],
    ),
}

# Every clause of the checklist (DOMAIN.md §4), by its heading.
CHECKLIST_CLAUSES = [
    "Definitions and interpretation",
    "Purpose and Funded Activities",
    "The Grant and the Funding Period",
    "Eligible and ineligible expenditure",
    "Payment and claims",
    "Monitoring and reporting",
    "Records, audit and access",
    "Match funding",
    "Clawback and repayment",
    "Variation",
    "Suspension and termination",
    "Assets and intellectual property",
    "Publicity and freedom of information",
    "Data protection",
    "Equality",
    "Fraud and bribery",
    "Conflicts of interest",
    "Contacts and notices",
    "Governing law and disputes",
]
ANNEXES = ["Annex A: Payment Profile", "Annex B: Key Performance Indicators", "Annex C: Claim Form"]


@pytest.fixture(scope="module")
def agreements(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("out")
    built = {}
    for stem in EXAMPLES_EXPECTED:
        (path,) = generate(EXAMPLES / f"{stem}.yaml", out_dir=out, only="grant-agreement").outputs
        assert path.name == f"{stem}-grant-agreement.docx"
        built[stem] = path
    return built


def _text(path: Path) -> str:
    return "\n".join(document_lines(path))


def _styled(path: Path, style: str) -> list[str]:
    return [p.text for p in Document(str(path)).paragraphs if p.style is not None and p.style.name == style]


def _table(path: Path, first_header: str, nth: int = 0) -> Table:
    """The `nth` table whose first column is headed `first_header`."""
    return [t for t in Document(str(path)).tables if t.rows[0].cells[0].text == first_header][nth]


def _cells(table: Table) -> list[list[str]]:
    return [[c.text for c in row.cells] for row in table.rows]


@pytest.mark.parametrize("stem", EXAMPLES_EXPECTED)
def test_golden_text(stem: str, agreements: dict[str, Path]) -> None:
    """Whole text with styles and table rows; UPDATE_GOLDEN=1 rewrites it (review the diff)."""
    golden = GOLDEN / f"{stem}-grant-agreement.txt"
    actual = _text(agreements[stem]) + "\n"
    if os.environ.get("UPDATE_GOLDEN"):
        golden.write_text(actual, encoding="utf-8")
    assert actual == golden.read_text(encoding="utf-8")


@pytest.mark.parametrize("stem", EXAMPLES_EXPECTED)
def test_names_both_parties_the_exact_sum_and_the_period(stem: str, agreements: dict[str, Path]) -> None:
    total, first, last, _, _ = EXAMPLES_EXPECTED[stem]
    parties = _styled(agreements[stem], "Party")
    assert parties[0].startswith("THE HOME OFFICE") and "2 Marsham Street, London, SW1P 4DF (the “Authority”)" in parties[0]
    assert parties[1] == "THE MAYOR'S OFFICE FOR POLICING AND CRIME of 169 Union Street, London, SE1 0LL (the “Grant Recipient”)."
    text = _text(agreements[stem])
    assert f"a Grant of up to {total} (the Maximum Sum)" in text
    assert f"“Maximum Sum” means {total}, the most the Authority will pay under this Agreement." in text
    assert f"the Funding Period from {first} to {last}" in text
    details = {row[0]: row[1] for row in _cells(_table(agreements[stem], "Item"))[1:]}
    assert details["Maximum Sum"] == total
    assert details["Funding Period"].startswith(f"{first} to {last}")
    assert "section 169 of the Criminal Justice and Public Order Act 1994 and section 48 of the Police Act 1996" in text


@pytest.mark.parametrize("stem", EXAMPLES_EXPECTED)
def test_every_checklist_clause_numbered_in_order(stem: str, agreements: dict[str, Path]) -> None:
    headings = _styled(agreements[stem], "Heading 3")
    assert [h for h in headings if h in CHECKLIST_CLAUSES] == CHECKLIST_CLAUSES
    assert _styled(agreements[stem], "Annex Heading") == ANNEXES
    assert _styled(agreements[stem], "Heading 2")[:5] == ["Parties", "Background", "Key details", "Agreed terms", "Signatures"]


def test_clauses_are_numbered_by_one_multilevel_list(agreements: dict[str, Path]) -> None:
    doc = Document(str(agreements["pcd-1284"]))
    numbering = doc.part.numbering_part.element
    num_ids = {}
    for style in ("Heading3", "ClauseText", "ClauseItem"):
        num_pr = doc.styles.element.xpath(f'w:style[@w:styleId="{style}"]/w:pPr/w:numPr')[0]
        num_ids[style] = (num_pr.numId.val, num_pr.ilvl.val)
    assert {n for n, _ in num_ids.values()} == {num_ids["Heading3"][0]}, "one list for clauses, paragraphs and items"
    assert [lvl for _, lvl in num_ids.values()] == [0, 1, 2]
    (abstract_id,) = numbering.xpath(f'w:num[@w:numId="{num_ids["Heading3"][0]}"]/w:abstractNumId/@w:val')
    texts = numbering.xpath(f'w:abstractNum[@w:abstractNumId="{abstract_id}"]/w:lvl/w:lvlText/@w:val')
    assert texts[:3] == ["%1.", "%1.%2", "%1.%2.%3"]
    for paragraph in doc.paragraphs:
        if paragraph.style is not None and paragraph.style.name in ("Heading 3", "Clause Text", "Clause Item"):
            assert not paragraph._p.xpath("./w:pPr/w:numPr"), "numbering comes from the style, so it runs on"


@pytest.mark.parametrize("stem", EXAMPLES_EXPECTED)
def test_breakdown_table_and_total(stem: str, agreements: dict[str, Path]) -> None:
    total, _, _, lines, _ = EXAMPLES_EXPECTED[stem]
    rows = _cells(_table(agreements[stem], "Funded Activity"))
    assert rows[0] == ["Funded Activity", "Amount"]
    assert [tuple(r) for r in rows[1:-1]] == lines
    assert rows[-1] == ["Total (Maximum Sum)", total]


@pytest.mark.parametrize("stem", EXAMPLES_EXPECTED)
def test_payment_profile_annex(stem: str, agreements: dict[str, Path]) -> None:
    total, _, _, _, profile = EXAMPLES_EXPECTED[stem]
    rows = _cells(_table(agreements[stem], "Claim"))
    assert rows[0] == ["Claim", "Claim Period", "Period ends", "Amount"]
    assert rows[1:-1] == profile
    assert rows[-1] == ["Total", "", "", total]


def test_kpi_annex_and_claim_form(agreements: dict[str, Path]) -> None:
    rows = _cells(_table(agreements["pcd-1284"], "Indicator"))
    assert rows[0] == ["Indicator", "Measure", "Reporting frequency"]
    assert [r[0] for r in rows[1:]] == [
        "Individuals trained",
        "Forces trained",
        "CPD modules developed and delivered",
        "CPD products available after the programme",
    ]
    assert {r[2] for r in rows[1:]} == {"Quarterly"}
    claim = _cells(_table(agreements["pcd-1284"], "Funded Activity", 1))
    assert claim[0] == ["Funded Activity", "Maximum", "Claimed this Claim Period", "Claimed to date"]
    assert claim[-1] == ["Total", "£450,000.00", "", ""]


@pytest.mark.parametrize("stem", EXAMPLES_EXPECTED)
def test_signature_blocks_for_both_parties(stem: str, agreements: dict[str, Path]) -> None:
    assert _styled(agreements[stem], "Signature Party")[:2] == [
        "Signed for and on behalf of the Home Office (the Authority)"
        if stem == "ocs-grant-2023-24"
        else "Signed for and on behalf of the Home Office (Homeland Security Group) (the Authority)",
        "Signed for and on behalf of the Mayor's Office for Policing and Crime (the Grant Recipient)",
    ]
    lines = [t.split("\t")[0] for t in _styled(agreements[stem], "Signature Line") + _styled(agreements[stem], "Signature Field")]
    for label in ("Signature", "Name", "Position", "Date"):
        assert lines.count(label) == 3, f"{label}: both parties and the claim form's certificate"
    assert _styled(agreements[stem], "Signature Field").count("Position\tAuthorised signatory") == 2


def test_header_and_footer(agreements: dict[str, Path]) -> None:
    lines = document_lines(agreements["ocs-grant-2023-24"])
    assert "<header 1> GRANT FUNDING AGREEMENT\tHO-OCS-2023-24" in lines  # one tab, to the right margin
    assert "<footer 1> Organised Crime Specific Grant 2023/24\tPage 1" in lines
    footer = Document(str(agreements["ocs-grant-2023-24"])).sections[0].footer._element
    assert any(" PAGE " in t for t in footer.xpath(".//w:instrText/text()")), "the page number is a field"


def test_tables_are_accessible(agreements: dict[str, Path]) -> None:
    doc = Document(str(agreements["ocs-grant-2023-24"]))
    assert len(doc.tables) == 7
    for table in doc.tables:
        assert table.rows[0]._tr.xpath("./w:trPr/w:tblHeader"), "header row repeats"
        assert not table._tbl.xpath(".//w:gridSpan | .//w:vMerge"), "no merged cells"
        assert table._tbl.xpath("./w:tblPr/w:tblCaption/@w:val")
        for column, heading in enumerate(table.rows[0].cells):
            if heading.text in ("Amount", "Maximum", "Claimed this Claim Period", "Claimed to date"):
                for row in table.rows:
                    para = row.cells[column].paragraphs[0]
                    alignment = para.alignment or para.style.paragraph_format.alignment
                    assert alignment == WD_ALIGN_PARAGRAPH.RIGHT, f"{row.cells[column].text!r} right-aligned"


def test_optional_clause_omitted_and_extra_clause_placed(tmp_path: Path, write_input: Callable[[str], Path]) -> None:
    text = AGREEMENT_FIXTURE.read_text(encoding="utf-8").replace(
        "      name: A N Other\n",
        "      name: A N Other\n  clauses:\n    omit: [assets_ip]\n    extra:\n      - heading: Training\n"
        "        after: monitoring\n        paragraphs:\n          - text: 'Up to £10,000.00 of {maximum_sum} is for:'\n"
        "            items: [training, travel]\n          - Training is reported under {clause:monitoring}.\n",
    )
    (path,) = generate(write_input(text), out_dir=tmp_path / "out", only="grant-agreement").outputs
    headings = _styled(path, "Heading 3")
    assert "Assets and intellectual property" not in headings
    assert headings[headings.index("Monitoring and reporting") + 1] == "Training"
    assert "Up to £10,000.00 of £300,000.00 is for:" in _styled(path, "Clause Text")
    assert "Training is reported under clause 6." in _styled(path, "Clause Text")
    items = _styled(path, "Clause Item")
    assert items[items.index("training") + 1] == "travel"
    # Cross-references follow the clauses' numbers once one is added and one omitted.
    survive = next(t for t in _styled(path, "Clause Text") if t.startswith("The following survive"))
    assert "clause 13 (Publicity and freedom of information)" in survive


def test_markup_in_input_is_text_and_names_print_as_given(tmp_path: Path) -> None:
    (path,) = generate(AGREEMENT_FIXTURE, out_dir=tmp_path, only="grant-agreement").outputs
    rows = _cells(_table(path, "Funded Activity"))
    assert rows[1] == ["Team A & partners", "£200,000.00"]
    assert "Name\tA N Other" in _styled(path, "Signature Field")
    assert "This Agreement is dated\t" in _styled(path, "Dated Line")


def test_cli_only_agreement_writes_only_the_agreement(tmp_path: Path) -> None:
    result = runner.invoke(app, ["generate", str(EXAMPLES / "pcd-1284.yaml"), "--only", "agreement", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.stderr
    written = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*.docx"))
    assert written == ["pcd-1284/pcd-1284-grant-agreement.docx"]
    assert f"-> {tmp_path / 'pcd-1284' / 'pcd-1284-grant-agreement.docx'}" in result.stdout


def test_cli_full_name_and_input_without_agreement(tmp_path: Path) -> None:
    result = runner.invoke(app, ["generate", str(AGREEMENT_FIXTURE), "--only", "grant-agreement", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.stderr
    result = runner.invoke(app, ["generate", str(MINIMAL), "--only", "agreement", "--out", str(tmp_path)])
    assert result.exit_code == 1
    assert "this input has no grant-agreement" in result.stderr


def test_opens_in_libreoffice_with_its_numbers(agreements: dict[str, Path]) -> None:
    need_libreoffice()
    lines = [line.strip() for line in libreoffice_text(agreements["ocs-grant-2023-24"]).splitlines()]
    # The numbers as LibreOffice computes them from the lists: clauses, paragraphs, items, parties, background.
    for start in (
        "20. Governing law and disputes",
        "1.2.1 headings do not affect",
        "5.2.3 be certified by",
        "(1) THE HOME OFFICE",
        "(2) THE MAYOR'S OFFICE",
        "(D) The parties have agreed",
    ):
        assert any(line.startswith(start) for line in lines), start
    assert "£1,701,000.00" in lines
