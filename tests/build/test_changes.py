"""A change summary reads the old document once and parses only the parts that differ; `diff`
reads each of its two files once."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from lxml import etree

from generator.build.changes import change_summary, document_diff
from generator.build.generate import render_input
from generator.docx import formatting, package_check, parts
from generator.docx.ooxml import parse_part
from generator.docx.package_check import read_file
from tests.conftest import EXAMPLES
from tests.support.templates import more_space_before_report_paragraphs, zipped


def _report_parts(tmp_path: Path) -> dict[str, bytes]:
    (report,) = [d for d in render_input(EXAMPLES / "pcd-1284.yaml", out_dir=tmp_path).documents if d.kind == "supporting-report"]
    return dict(report.parts)


def _edited(members: dict[str, bytes], part: str, edit: Callable[[str], str]) -> dict[str, bytes]:
    text = members[part].decode("utf-8")
    edited = edit(text)
    assert edited != text, f"the edit changed nothing in {part}"
    return {**members, part: edited.encode("utf-8")}


def _parsed_roots(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The local name of each part's root element parsed from now on."""
    roots: list[str] = []

    def parse(data: bytes) -> etree._Element:
        root = parse_part(data)
        roots.append(etree.QName(root).localname)
        return root

    monkeypatch.setattr("generator.docx.parts.parse_part", parse)
    formatting._template_facts.cache_clear()
    return roots


def test_a_style_only_change_parses_the_styles_and_no_body(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    old = _report_parts(tmp_path)
    new = _edited(old, "word/styles.xml", more_space_before_report_paragraphs)
    roots = _parsed_roots(monkeypatch)
    summary = change_summary(zipped(old), new)
    uses = formatting._style_uses(parts.Parts(new))["ReportParagraph"]
    assert summary == f"formatting: Report Paragraph: space before 6 pt → 12 pt ({uses} paragraphs)"
    assert roots == ["styles", "styles"], "each document's styles, once; neither body"
    roots.clear()
    change_summary(zipped(old), new)
    assert roots == [], "the same styles again: their facts are known"


def test_a_part_stored_the_same_in_both_documents_is_not_even_inflated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """As a batch calls it, with each part as the render zipped it: the old document's body and notes, stored
    as the new one's are, are known to be the same by their stored bytes."""
    old = _report_parts(tmp_path)
    new = _edited(old, "word/styles.xml", more_space_before_report_paragraphs)
    inflated: list[str] = []
    read = package_check.Package.read

    def recorded(self: package_check.Package, name: str) -> bytes | None:
        inflated.append(name)
        return read(self, name)

    monkeypatch.setattr(package_check.Package, "read", recorded)
    as_zipped = package_check.Package(zipped(new))
    summary = change_summary(zipped(old), new, {name: s for name in as_zipped.infos if (s := as_zipped.stored(name))})
    assert summary.startswith("formatting: Report Paragraph: space before 6 pt → 12 pt")
    assert inflated == ["word/styles.xml"], "only the old styles: its body, notes and numbering are stored as the new ones are"
    assert (
        change_summary(
            zipped(old), _edited(old, "word/document.xml", lambda xml: xml.replace("Time sensitivity", "Time-sensitivity", 1)), None
        )
        == "1 paragraph changed"
    )


def test_a_text_change_parses_each_body_and_its_notes_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    old = _report_parts(tmp_path)
    new = _edited(old, "word/document.xml", lambda xml: xml.replace("Time sensitivity", "Time-sensitivity", 1))
    roots = _parsed_roots(monkeypatch)
    assert change_summary(zipped(old), new) == "1 paragraph changed"
    assert sorted(roots) == ["document", "document", "footnotes", "footnotes"], "each document's body and notes, once"


@pytest.mark.parametrize(
    ("part", "broken"),
    [("word/styles.xml", b"<w:styles"), ("word/document.xml", b"not xml"), ("word/styles.xml", b'<!DOCTYPE x [<!ENTITY a "b">]><x/>')],
)
def test_an_old_document_with_an_unreadable_part_is_said_to_be_replaced(tmp_path: Path, part: str, broken: bytes) -> None:
    old = _report_parts(tmp_path)
    new = _edited(old, "word/styles.xml", more_space_before_report_paragraphs)
    assert change_summary(zipped({**old, part: broken}), new) == "replaced a file that was not a readable document"


def test_diff_reads_each_file_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    old = _report_parts(tmp_path)
    new = _edited(
        _edited(old, "word/styles.xml", more_space_before_report_paragraphs),
        "word/document.xml",
        lambda x: x.replace("Time sensitivity", "Urgency", 1),
    )
    (tmp_path / "old.docx").write_bytes(zipped(old))
    (tmp_path / "new.docx").write_bytes(zipped(new))
    reads: list[Path] = []

    def reading(path: Path, *, what: str = "file") -> bytes:
        reads.append(path)
        return read_file(path, what=what)

    monkeypatch.setattr("generator.docx.read.read_file", reading)
    text, formats = document_diff(tmp_path / "old.docx", tmp_path / "new.docx")
    assert reads == [tmp_path / "old.docx", tmp_path / "new.docx"]
    assert any(line.startswith("+[") and "Urgency" in line for line in text)
    assert [f for f in formats if f.startswith("Report Paragraph: space before 6 pt → 12 pt")]
