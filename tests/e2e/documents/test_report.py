"""The generated supporting reports: golden text, real tables, figures as published."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.table import Table

from generator.build.generate import generate
from generator.docx.read import document_lines
from tests.conftest import EXAMPLES, FIXTURES, TESTS
from tests.support.fidelity import (
    libreoffice_text,
    need_libreoffice,
    reference_between,
    word_similarity,
)

GOLDEN = TESTS / "golden"
REPORTS = ["pcd-1284", "ocs-grant-2023-24"]


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("out")
    built = {}
    for stem in REPORTS:
        (path,) = generate(EXAMPLES / f"{stem}.yaml", out_dir=out, only="supporting-report").outputs
        built[stem] = path
    return built


@pytest.mark.parametrize("stem", REPORTS)
def test_golden_text(stem: str, reports: dict[str, Path]) -> None:
    """Whole text with styles and table rows; UPDATE_GOLDEN=1 rewrites it (review the diff)."""
    golden = GOLDEN / f"{stem}-supporting-report.txt"
    actual = "\n".join(document_lines(reports[stem])) + "\n"
    if os.environ.get("UPDATE_GOLDEN"):
        golden.write_text(actual, encoding="utf-8")
    assert actual == golden.read_text(encoding="utf-8")


def _table(doc: DocxDocument, first_header: str) -> Table:
    (table,) = [t for t in doc.tables if t.rows[0].cells[0].text.startswith(first_header)]
    return table


def _rows(table: Table) -> dict[str, list[str]]:
    return {r.cells[0].text: [c.text for c in r.cells[1:]] for r in table.rows[1:]}


@pytest.mark.parametrize(
    ("header", "label", "cells"),
    [
        ("BAU Revenue", "Total Budget", ["3.748", "0.000", "0.000", "0.000", "0.000", "3.748"]),
        ("BAU Revenue", "ROCU", ["2.851", "0.000", "0.000", "0.000", "0.000", "2.851"]),
        ("BAU Revenue", "Planned Spend Total", ["3.748", "0.000", "0.000", "0.000", "0.000", "3.748"]),
        ("BAU Revenue", "Variance to Budget (-ve Saving)", ["0.000", "0.000", "0.000", "0.000", "0.000", "0.000"]),
        ("ROCU", "Total Police Officer and Police Staff costs", ["", "20", "", "", "2.599"]),
        ("ROCU", "GRAND TOTAL EXPENDITURE AGAINST £1.000m", ["", "20", "", "", "2.851"]),
        ("ROCTA", "GRAND TOTAL EXPENDITURE AGAINST £0.231m", ["", "6", "0.398"]),
        ("ACE", "GRAND TOTAL EXPENDITURE AGAINST £0.220m", ["", "3", "0.247"]),
    ],
)
def test_ocs_totals_come_out_as_published(header: str, label: str, cells: list[str], reports: dict[str, Path]) -> None:
    table = _table(Document(str(reports["ocs-grant-2023-24"])), header)
    assert _rows(table)[label] == cells


def test_ocs_team_subtotals(reports: dict[str, Path]) -> None:
    table = _table(Document(str(reports["ocs-grant-2023-24"])), "ROCU")
    totals = [[c.text for c in r.cells[1:]] for r in table.rows if r.cells[0].text == "TOTAL"]
    assert totals == [["", "12", "0.839", "0.839", "1.678"], ["", "8", "0.572", "0.349", "0.921"]]


def test_rounding_note_under_the_rocu_table(reports: dict[str, Path]) -> None:
    text = "\n".join(document_lines(reports["ocs-grant-2023-24"]))
    assert "In the ROCU table, figures are rounded to the nearest £0.001m" in text
    assert "In the ACE table" not in text


def test_data_tables_are_accessible(reports: dict[str, Path]) -> None:
    doc = Document(str(reports["ocs-grant-2023-24"]))
    assert len(doc.tables) == 6
    for table in doc.tables:
        assert table.rows[0]._tr.xpath("./w:trPr/w:tblHeader"), "header row repeats"
        assert not table._tbl.xpath(".//w:gridSpan | .//w:vMerge"), "no merged cells"
        for row in table.rows[1:]:
            for cell in row.cells[1:]:
                if cell.text.strip():
                    para = cell.paragraphs[0]
                    alignment = para.alignment or para.style.paragraph_format.alignment
                    assert alignment == WD_ALIGN_PARAGRAPH.RIGHT, f"{cell.text!r} right-aligned"


def test_paragraph_numbering_runs_on_across_sections(reports: dict[str, Path]) -> None:
    doc = Document(str(reports["pcd-1284"]))
    numbered = [p for p in doc.paragraphs if p.style is not None and p.style.name == "Report Paragraph"]
    assert len(numbered) == 56
    num_ids = {n for p in numbered for n in p._p.xpath("./w:pPr/w:numPr/w:numId/@w:val")}
    assert len(num_ids) <= 1, "one list for every numbered paragraph, so numbers continue 1 … 56"


@pytest.mark.parametrize(
    ("stem", "reference", "start"),
    [
        ("pcd-1284", "pcd-1284-cpd-personal-robbery.txt", "NPCC Personal Robbery Portfolio – Device Crime, Continuous"),
        ("ocs-grant-2023-24", "ocs-grant-2023-27-report.txt", None),
    ],
)
def test_text_as_libreoffice_reads_it_matches_the_published_report(
    stem: str, reference: str, start: str | None, reports: dict[str, Path]
) -> None:
    need_libreoffice()
    similarity = word_similarity(libreoffice_text(reports[stem]), reference_between(reference, start))
    assert similarity >= 0.93, f"{stem}: word-level similarity {similarity:.3f} < 0.93"


def test_table_as_last_block_of_a_section_renders(tmp_path: Path) -> None:
    """tests/fixtures/inputs/report.yaml ends its financial section with a table."""
    source = FIXTURES / "inputs" / "report.yaml"
    (path,) = generate(source, out_dir=tmp_path, only="supporting-report").outputs
    doc = Document(str(path))
    assert [t.rows[0].cells[0].text for t in doc.tables] == ["Revenue", "Team A (Grant Amount £0.200m)", "Team B (Grant Amount £0.100m)"]


def test_classification_line_follows_the_input(tmp_path: Path) -> None:
    source = tmp_path / "r.yaml"
    text = (FIXTURES / "inputs" / "report.yaml").read_text(encoding="utf-8")
    source.write_text("classification: OFFICIAL\n" + text, encoding="utf-8")
    (path,) = generate(source, out_dir=tmp_path, only="supporting-report").outputs
    lines = document_lines(path)
    assert "[Classification] Part 1 – This section of the report will be published by MOPAC. It is classified as OFFICIAL" in lines
    assert "<header 1> OFFICIAL" in lines


def test_a_note_on_an_unnumbered_paragraph_is_marked_in_it(tmp_path: Path) -> None:
    """A footnote on a paragraph without a number prints its mark after the paragraph's text, as
    on a numbered one, numbered in order of use: no note is listed without its mark."""
    text = (FIXTURES / "inputs" / "report.yaml").read_text(encoding="utf-8")
    text = text.replace(
        "        - The teams tackle organised crime.\n",
        "        - The teams tackle organised crime.\n        - unnumbered: The plan sets the priorities.\n          footnote: priorities\n",
    )
    text = text.replace("  footnotes:\n", "  footnotes:\n    priorities:\n      text: Police and Crime Plan priorities\n")
    source = tmp_path / "notes.yaml"
    source.write_text(text, encoding="utf-8")
    (path,) = generate(source, out_dir=tmp_path / "out", only="supporting-report").outputs
    lines = document_lines(path)
    (paragraph,) = [line for line in lines if "The plan sets the priorities." in line]
    assert paragraph == "[Normal] The plan sets the priorities.2", "still unnumbered; the heading's note is 1, this one 2"
    assert lines[-2:] == ["<footnote 1> MOPAC Police and Crime Plan 2022-25", "<footnote 2> Police and Crime Plan priorities"]
    marks = Document(str(path)).element.body.xpath(".//w:r[w:footnoteReference]")
    assert len(marks) == 2
    assert marks[1].xpath("string(w:rPr/w:rStyle/@w:val)") == "FootnoteReference"
    assert marks[1].getparent().xpath("string(.)") == "The plan sets the priorities.", "the mark ends the paragraph it annotates"
