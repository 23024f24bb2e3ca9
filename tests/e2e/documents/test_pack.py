"""The decision pack: the rendered decision form, then the rendered report as its appendix, in one .docx.

Checked by content: every paragraph and table of both parts, in order; each part's list numbering as
it was on its own (the form's "1.1." and the report's "1." neither count on from each other nor change
format); each part in a section of its own with its own page header and footer.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_SECTION
from docx.oxml.ns import qn
from docxcompose.composer import Composer
from lxml import etree

import generator.docx.compose as pack_module
from generator.docx.compose import compose_pack
from generator.docx.read import document_lines
from generator.docx.render import render_package
from generator.domain.decision.model import Decision
from generator.domain.decision_form.view import compose_decision_form
from generator.domain.report.view import compose_report
from generator.inputs.load import load_decision, load_form_wordings, load_report_wording
from tests.conftest import EXAMPLES, ROOT
from tests.support.fidelity import (
    libreoffice_text,
    need_libreoffice,
    reference_between,
    word_similarity,
)

TEMPLATES = ROOT / "templates"


def render_form(decision: Decision) -> bytes:
    assert decision.decision_form is not None
    version = load_form_wordings()[decision.decision_form.form]
    form = compose_decision_form(decision, version)
    return render_package(TEMPLATES / version.template, {"form": form, "marking": decision.classification, "draft": False}).data


def render_report(decision: Decision) -> bytes:
    report = compose_report(decision, load_report_wording())
    return render_package(TEMPLATES / "mps-report.docx", {"report": report, "marking": decision.classification, "draft": False}).data


@dataclass(frozen=True)
class Pack:
    form: bytes
    report: bytes
    pack: bytes


@pytest.fixture(scope="module")
def pcd() -> Pack:
    """PCD 1284 as published: the 2022 decision form, then its MPS report."""
    decision = load_decision(EXAMPLES / "pcd-1284.yaml")
    form, report = render_form(decision), render_report(decision)
    return Pack(form, report, compose_pack([form, report]))


@pytest.fixture(scope="module")
def with_tables() -> Pack:
    """The PCD 1284 form followed by the OCS report: sections (Heading 3, which the form numbers
    as its sections), lettered sub-items, two recommendations and cost tables of 4 and 6 and 7 columns."""
    form = render_form(load_decision(EXAMPLES / "pcd-1284.yaml"))
    report = render_report(load_decision(EXAMPLES / "ocs-grant-2023-24.yaml"))
    return Pack(form, report, compose_pack([form, report]))


# --------------------------------------------------------------------------- reading a package


def _doc(data: bytes) -> DocxDocument:
    return Document(io.BytesIO(data))


def _text(p: etree._Element) -> str:
    return "".join(t.text or "" for t in p.iter(qn("w:t")))


def paragraph_texts(data: bytes) -> list[str]:
    """Every body paragraph's text, table cells included, in document order."""
    return [_text(p) for p in _doc(data).element.body.iter(qn("w:p"))]


def table_shapes(data: bytes) -> list[list[int]]:
    """Cells per row of every table, in order."""
    return [[len(tr.findall(qn("w:tc"))) for tr in tbl.findall(qn("w:tr"))] for tbl in _doc(data).element.body.iter(qn("w:tbl"))]


@dataclass(frozen=True)
class Numbering:
    """What numbers a paragraph: its list definition (abstractNum), level, and that level's format."""

    abstract: str
    ilvl: int
    fmt: str
    text: str
    start: str


def paragraph_numbering(data: bytes) -> list[Numbering | None]:
    """Each body paragraph's effective numbering, as Word resolves it: the paragraph's own numPr,
    else its style's (following basedOn); numId 0 means none."""
    doc = _doc(data)
    styles = {s.get(qn("w:styleId")): s for s in doc.styles.element.findall(qn("w:style"))}
    default = next(i for i, s in styles.items() if s.get(qn("w:type")) == "paragraph" and s.get(qn("w:default")) == "1")
    numbering = doc.part.numbering_part.element
    nums = {n.get(qn("w:numId")): n for n in numbering.findall(qn("w:num"))}
    abstracts = {a.get(qn("w:abstractNumId")): a for a in numbering.findall(qn("w:abstractNum"))}

    def from_styles(style_id: str | None) -> tuple[str | None, str | None]:
        ilvl = None
        seen: set[str | None] = set()
        while style_id in styles and style_id not in seen:
            seen.add(style_id)
            num_pr = styles[style_id].find(f"{qn('w:pPr')}/{qn('w:numPr')}")
            if num_pr is not None:
                if ilvl is None and num_pr.find(qn("w:ilvl")) is not None:
                    ilvl = num_pr.find(qn("w:ilvl")).get(qn("w:val"))
                if num_pr.find(qn("w:numId")) is not None:
                    return num_pr.find(qn("w:numId")).get(qn("w:val")), ilvl
            based = styles[style_id].find(qn("w:basedOn"))
            style_id = based.get(qn("w:val")) if based is not None else None
        return None, ilvl

    result: list[Numbering | None] = []
    for p in doc.element.body.iter(qn("w:p")):
        style = p.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
        num_id, ilvl = from_styles(style.get(qn("w:val")) if style is not None else default)
        own = p.find(f"{qn('w:pPr')}/{qn('w:numPr')}")
        if own is not None:
            if own.find(qn("w:numId")) is not None:
                num_id = own.find(qn("w:numId")).get(qn("w:val"))
            if own.find(qn("w:ilvl")) is not None:
                ilvl = own.find(qn("w:ilvl")).get(qn("w:val"))
        if num_id in (None, "0"):
            result.append(None)
            continue
        num = nums[num_id]
        abstract_id = num.find(qn("w:abstractNumId")).get(qn("w:val"))
        level = int(ilvl or 0)
        lvl = abstracts[abstract_id].find(f"{qn('w:lvl')}[@{qn('w:ilvl')}='{level}']")
        override = num.find(f"{qn('w:lvlOverride')}[@{qn('w:ilvl')}='{level}']/{qn('w:startOverride')}")
        start = override.get(qn("w:val")) if override is not None else lvl.find(qn("w:start")).get(qn("w:val"))
        result.append(
            Numbering(
                abstract=abstract_id,
                ilvl=level,
                fmt=lvl.find(qn("w:numFmt")).get(qn("w:val")),
                text=lvl.find(qn("w:lvlText")).get(qn("w:val")),
                start=start,
            )
        )
    return result


def numbering_problems(p: Pack) -> list[str]:
    """Where the pack numbers a paragraph differently from its part, or lets the parts share a list."""
    form, report, pack = paragraph_numbering(p.form), paragraph_numbering(p.report), paragraph_numbering(p.pack)
    texts = paragraph_texts(p.pack)
    problems = []
    if len(pack) != len(form) + len(report):
        return [f"{len(pack)} paragraphs in the pack, {len(form)} + {len(report)} in the parts"]
    for i, (alone, packed) in enumerate(zip(form + report, pack, strict=True)):

        def shape(n: Numbering | None) -> tuple[int, str, str, str] | None:
            return None if n is None else (n.ilvl, n.fmt, n.text, n.start)

        if shape(alone) != shape(packed):
            problems.append(f"paragraph {i} {texts[i][:40]!r}: {shape(alone)} on its own, {shape(packed)} in the pack")
    form_lists = {n.abstract for n in pack[: len(form)] if n}
    report_lists = {n.abstract for n in pack[len(form) :] if n}
    if form_lists & report_lists:
        problems.append(f"form and report share list definitions {sorted(form_lists & report_lists)}: their counters run on")
    return problems


# --------------------------------------------------------------------------- content


@pytest.mark.parametrize("name", ["pcd", "with_tables"])
def test_every_paragraph_of_both_parts_in_order(name: str, request: pytest.FixtureRequest) -> None:
    p: Pack = request.getfixturevalue(name)
    assert paragraph_texts(p.pack) == paragraph_texts(p.form) + paragraph_texts(p.report)
    assert table_shapes(p.pack) == table_shapes(p.form) + table_shapes(p.report)


def test_the_form_comes_first_and_the_report_starts_its_own_page(pcd: Pack) -> None:
    texts = [t for t in paragraph_texts(pcd.pack) if t]
    assert texts[0] == "DMPC Decision – PCD 1284"
    start = texts.index("NPCC Personal Robbery Portfolio – Device Crime, Continuous Professional Development Programme")
    assert "OFFICER APPROVAL" in texts[:start] and "EXECUTIVE SUMMARY" in texts[start:]
    assert texts[-1] == "Report author: Vijay Gorania DI MO2", "the report's notes are footnotes, not paragraphs"
    assert document_lines(pcd.pack)[-2:] == [
        "<footnote 1> Police and crime plan: a safer city for all Londoners | London City Hall",
        "<footnote 2> https://www.london.gov.uk/coronavirus/londons-recovery-coronavirus-crisis/anchor-institutions-charter",
    ]
    doc = _doc(pcd.pack)
    assert len(doc.sections) == 2
    assert doc.sections[1].start_type == WD_SECTION.NEW_PAGE
    # The section break sits in the form's last paragraph, not in an extra empty one.
    (ending,) = doc.element.body.xpath("./w:p[w:pPr/w:sectPr]")
    assert _text(ending).startswith("Date")


@pytest.mark.parametrize("name", ["pcd", "with_tables"])
def test_each_part_keeps_its_numbering(name: str, request: pytest.FixtureRequest) -> None:
    p: Pack = request.getfixturevalue(name)
    assert numbering_problems(p) == []


def test_report_headings_stay_unnumbered(with_tables: Pack) -> None:
    """The form numbers Heading 3 (its sections); the report's Heading 3 sections and Heading 4
    subheadings must not borrow that."""
    doc = _doc(with_tables.pack)
    numbering = paragraph_numbering(with_tables.pack)

    def numbers(text: str, style: str) -> list[object]:
        return [
            n
            for p, n in zip(doc.element.body.iter(qn("w:p")), numbering, strict=False)
            if _text(p) == text and p.find(f"{qn('w:pPr')}/{qn('w:pStyle')}").get(qn("w:val")) == style
        ]

    assert numbers("Drugs Strategy", "Heading4") == [None, None, None]
    assert numbers("Financial, Commercial and Procurement Comments", "Heading3") == [None]
    assert numbers("Real Estate Implications", "Heading3") == [None]


def test_checks_catch_docxcompose_defaults(with_tables: Pack, monkeypatch: pytest.MonkeyPatch) -> None:
    """Without the pinning, docxcompose numbers the report's sections (Heading 3) as form sections and
    maps its lists onto the form's: the checks above must see that (so they can fail)."""
    monkeypatch.setattr(pack_module, "_pin_numbering", lambda part, pack: None)
    monkeypatch.setattr(pack_module._Composer, "add_styles", Composer.add_styles)
    broken = Pack(with_tables.form, with_tables.report, compose_pack([with_tables.form, with_tables.report]))
    problems = numbering_problems(broken)
    assert any("'Real Estate Implications'" in p for p in problems), problems


def test_headers_and_footers_of_the_pack(pcd: Pack) -> None:
    form_section, report_section = _doc(pcd.pack).sections
    for section in (form_section, report_section):
        header = [p.text for p in section.header.paragraphs]
        assert header == ["OFFICIAL – PUBLIC", "MOPAC", "MAYOR OF LONDON OFFICE FOR POLICING AND CRIME"]
        assert section.footer.paragraphs[-1].text == "OFFICIAL – PUBLIC"
    assert form_section.footer.paragraphs[0].text.startswith("DMPC Decision Form – 2022\t")
    assert report_section.footer.paragraphs[0].text.startswith("PCD 1284 – supporting report\t")
    assert report_section.footer.paragraphs[0]._p.xpath(".//w:instrText[contains(., 'PAGE')]"), "page number"
    assert (report_section.page_width, report_section.page_height) == (form_section.page_width, form_section.page_height)


def test_same_parts_same_bytes(pcd: Pack) -> None:
    assert compose_pack([pcd.form, pcd.report]) == pcd.pack


def test_one_part_and_none() -> None:
    decision = load_decision(EXAMPLES / "pcd-1284.yaml")
    form = render_form(decision)
    assert paragraph_texts(compose_pack([form])) == paragraph_texts(form)
    with pytest.raises(ValueError):
        compose_pack([])


# --------------------------------------------------------------------------- as LibreOffice reads it


def _lines(data: bytes, tmp_path: Path, name: str) -> list[str]:
    path = tmp_path / f"{name}.docx"
    path.write_bytes(data)
    return libreoffice_text(path).splitlines()


@pytest.mark.parametrize("name", ["pcd", "with_tables"])
def test_libreoffice_reads_the_pack_as_the_two_parts(name: str, request: pytest.FixtureRequest, tmp_path: Path) -> None:
    """List numbers included: the pack's text export is the form's followed by the report's, line for line."""
    need_libreoffice()
    p: Pack = request.getfixturevalue(name)
    form, report, pack = (_lines(getattr(p, k), tmp_path, k) for k in ("form", "report", "pack"))
    assert pack == form + report


def test_libreoffice_numbers(pcd: Pack, with_tables: Pack, tmp_path: Path) -> None:
    need_libreoffice()
    lines = [line.strip() for line in _lines(pcd.pack, tmp_path, "pcd")]
    assert (
        "1.1. The Home Office has made an offer to fund the creation of a continuous professional development (CPD) module to tackle personal robbery."
        in lines
    )
    assert "1. This CPD programme will sit within Front Line Policing (FLP)." in lines
    assert "56. There are no additional supporting papers." in lines
    # Form and report each have one recommendation: both are "1.", the report's does not count on.
    assert [line[:3] for line in lines if "grant funding of £450,000.00 from Homeland Security Group" in line and line[0].isdigit()] == [
        "1. ",
        "1. ",
    ]
    lines = [line.strip() for line in _lines(with_tables.pack, tmp_path, "tables")]
    assert "a. complete view by threat of demand, risk and resource in London." in lines
    assert "2. Approve the acceptance of future OCS Grant offers of up to £2.000m annually until 2027." in lines
    # Report sections (Heading 3, numbered "1." in the form) and subheadings stay unnumbered.
    assert "Real Estate Implications" in lines
    assert lines.count("SOC Transformation Fund") == 2
    assert not [line for line in lines if re.fullmatch(r"[0-9.]+ (Drugs Strategy|Digital Forensics|SOC Transformation.*)", line)]


def test_pack_text_matches_the_published_form_and_report(pcd: Pack, tmp_path: Path) -> None:
    need_libreoffice()
    text = "\n".join(_lines(pcd.pack, tmp_path, "pcd"))
    title = "NPCC Personal Robbery Portfolio – Device Crime, Continuous Professional Development Programme"
    form, report = text.split("\n" + title + "\n")
    published_form = reference_between("pcd-1284-cpd-personal-robbery.txt", None, "NPCC Personal Robbery Portfolio")
    published_report = reference_between("pcd-1284-cpd-personal-robbery.txt", "NPCC Personal Robbery Portfolio – Device Crime, Continuous")
    assert word_similarity(form, published_form) >= 0.93
    assert word_similarity(title + "\n" + report, published_report) >= 0.95
