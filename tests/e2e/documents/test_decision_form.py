"""The generated decision forms, checked by their content: golden text, structure, fidelity."""

from __future__ import annotations

import itertools
import os
from collections.abc import Callable
from pathlib import Path

import pytest
from docx import Document

from generator.build.generate import generate
from generator.docx.read import document_lines
from tests.conftest import EXAMPLES, MINIMAL, TESTS, confirmed_declarations
from tests.support.fidelity import (
    libreoffice_text,
    need_libreoffice,
    reference_between,
    word_similarity,
)

GOLDEN = TESTS / "golden"
FORMS = [("pcd-1284", "dmpc-2022"), ("dmpcd-2015-148", "dmpcd-v5-2014")]


def build(source: Path, out: Path) -> Path:
    (output,) = list(generate(source, out_dir=out, only="decision-form").outputs)
    return output


@pytest.fixture(scope="module")
def example_forms(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("out")
    return {stem: build(EXAMPLES / f"{stem}.yaml", out) for stem, _ in FORMS}


@pytest.mark.parametrize("stem", [s for s, _ in FORMS])
def test_golden_text(stem: str, example_forms: dict[str, Path]) -> None:
    """The whole text, with styles and table rows; UPDATE_GOLDEN=1 rewrites it (review the diff)."""
    golden = GOLDEN / f"{stem}-decision-form.txt"
    actual = "\n".join(document_lines(example_forms[stem])) + "\n"
    if os.environ.get("UPDATE_GOLDEN"):
        golden.write_text(actual, encoding="utf-8")
    assert actual == golden.read_text(encoding="utf-8")


@pytest.mark.parametrize(("stem", "label"), [("pcd-1284", "DMPC Decision Form – 2022"), ("dmpcd-2015-148", "DMPCD v5 - Feb 2014")])
def test_header_and_footer(stem: str, label: str, example_forms: dict[str, Path]) -> None:
    section = Document(str(example_forms[stem])).sections[0]
    assert "MAYOR OF LONDON OFFICE FOR POLICING AND CRIME" in " ".join(p.text for p in section.header.paragraphs)
    assert label in " ".join(p.text for p in section.footer.paragraphs)


def test_declarations_table_has_repeating_header_and_one_row_per_declaration(example_forms: dict[str, Path]) -> None:
    doc = Document(str(example_forms["pcd-1284"]))
    (table,) = [t for t in doc.tables if "Tick to confirm statement" in t.rows[0].cells[-1].text]
    assert table.rows[0]._tr.xpath("./w:trPr/w:tblHeader"), "header row must repeat on each page"
    rows = [(r.cells[0].paragraphs[0].text, r.cells[-1].text.strip()) for r in table.rows[1:]]
    assert [h.rstrip(":") for h, _ in rows] == [
        "Financial Advice",
        "Legal Advice",
        "Equalities Advice",
        "Commercial Issues",
        "GDPR/Data Privacy",
        "Drafting Officer",
        "Director/Head of Service",
    ]
    assert all(tick == "✓" for _, tick in rows)
    assert "Alex Anderson has drafted this report in accordance with MOPAC procedures." in table.rows[6].cells[0].text
    assert not doc.element.body.xpath(".//w:gridSpan | .//w:vMerge"), "no merged cells"


def test_unticked_row_and_custom_row(write_input: Callable[[str], Path], tmp_path: Path) -> None:
    """Only a confirmed row is ticked; a row that does not apply reads N/A; an unconfirmed one is
    blank, which only a draft may have."""
    rows = (
        "  declarations:\n    - key: legal\n"
        "    - key: gdpr\n      not_applicable: No personal data is processed.\n"
        "    - heading: Estates Advice\n      statement: Property Services have been consulted.\n      confirmed: yes\n"
        "      confirmed_by: Head of Estates\n      confirmed_on: 2022-10-20\n"
    )
    text = (
        MINIMAL.read_text(encoding="utf-8")
        .replace(confirmed_declarations("dmpc-2022"), rows)
        .replace("  dmpc:\n    date: 2022-11-03\n", "")
    )
    doc = Document(str(build(write_input(text), tmp_path)))
    table = doc.tables[-1]
    assert [(r.cells[0].text.replace("\n", " / "), r.cells[-1].text.strip()) for r in table.rows[1:]] == [
        ("Legal Advice / The MPS legal team has been consulted on the proposal.", ""),
        ("GDPR/Data Privacy / GDPR compliance issues are covered in the body of the report.", "N/A"),
        ("Estates Advice / Property Services have been consulted.", "✓"),
    ]


def test_styles_are_real_headings_and_lists(example_forms: dict[str, Path]) -> None:
    doc = Document(str(example_forms["pcd-1284"]))
    by_text = {p.text: p for p in doc.paragraphs}
    heading = by_text["Introduction and background"].style
    assert heading is not None and heading.name.startswith("Heading")
    numbered = by_text[
        "The Home Office has made an offer to fund the creation of a continuous professional development (CPD) module to tackle personal robbery."
    ]
    assert numbered.style is not None
    assert numbered._p.xpath("./w:pPr/w:numPr") or numbered.style.element.xpath("./w:pPr/w:numPr"), (
        "paragraphs are numbered by Word, not typed"
    )
    styles = [p.style.name for p in doc.paragraphs if p.style is not None]
    levels = [int(name.split()[-1]) for name in styles if name.startswith("Heading ")]
    assert levels and all(b - a <= 1 for a, b in itertools.pairwise(levels)), f"heading levels jump: {levels}"
    assert not [p for p in doc.paragraphs if not p.text.strip() and not p._p.xpath(".//w:drawing | .//w:br")], "no empty spacing paragraphs"


def test_language_is_en_gb(example_forms: dict[str, Path]) -> None:
    styles = Document(str(example_forms["pcd-1284"])).styles.element
    assert styles.xpath("./w:docDefaults//w:lang/@w:val") == ["en-GB"]


def test_dates_and_answers_are_filled(example_forms: dict[str, Path]) -> None:
    lines = "\n".join(document_lines(example_forms["pcd-1284"]))
    assert "03/11/2022" in lines and "26/10/2022" in lines
    assert "Is the publication of Part 1 of this approval to be deferred? NO" in lines
    assert "Is there a Part 2 form – NO" in lines


@pytest.mark.parametrize(
    ("stem", "reference", "start", "end"),
    [
        ("pcd-1284", "pcd-1284-cpd-personal-robbery.txt", None, "NPCC Personal Robbery Portfolio"),
        # The whole published form, Appendix A's two tables included (after section 6, before Public access).
        ("dmpcd-2015-148", "dmpcd-2015-148-innovation-fund-bids.txt", None, None),
    ],
)
def test_text_as_libreoffice_reads_it_matches_the_published_form(
    stem: str, reference: str, start: str | None, end: str | None, example_forms: dict[str, Path]
) -> None:
    need_libreoffice()
    published = reference_between(reference, start, end)
    similarity = word_similarity(libreoffice_text(example_forms[stem]), published)
    assert similarity >= 0.93, f"{stem}: word-level similarity {similarity:.3f} < 0.93"


def test_document_title_and_subject_properties(example_forms: dict[str, Path]) -> None:
    props = Document(str(example_forms["pcd-1284"])).core_properties
    assert props.title == "DMPC Decision – PCD 1284: Home Office Grant – Continuous Professional Development – Personal Robbery"
    assert props.subject == "DMPC decision form"
    assert props.language == "en-GB"
