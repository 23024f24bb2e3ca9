"""A style's change names how many paragraphs use it, counted as Word reads the body: however the
body's XML is written (quotes, comments, another prefix for WordprocessingML, entities)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from lxml import etree

from generator.build.generate import render_input
from generator.docx.formatting import formatting_changes
from generator.docx.ooxml import W
from generator.docx.parts import Parts
from tests.conftest import EXAMPLES
from tests.support.templates import more_space_before_report_paragraphs, zipped

_USE = '<w:pStyle w:val="ReportParagraph"/>'


def _other_prefix(xml: str) -> str:
    """Every other use written with a second prefix bound to WordprocessingML."""
    xml = xml.replace(f'xmlns:w="{W}"', f'xmlns:w="{W}" xmlns:x="{W}"', 1)
    pieces = xml.split(_USE)
    return "".join(
        p + ((_USE if i % 2 else '<x:pStyle x:val="ReportParagraph"/>') if i < len(pieces) - 1 else "") for i, p in enumerate(pieces)
    )


def _an_entity(xml: str) -> str:
    """One use spelled with a character reference: still the same style."""
    return xml.replace(_USE, '<w:pStyle w:val="Report&#80;aragraph"/>', 1)


def _hidden_in_a_comment(xml: str) -> str:
    """A use inside a comment is no use."""
    return xml.replace("<w:body>", f"<w:body><!-- {_USE} -->", 1)


VARIANTS: dict[str, Callable[[str], str]] = {
    "as rendered": lambda xml: xml,
    "single quotes": lambda xml: xml.replace(_USE, "<w:pStyle w:val='ReportParagraph'/>"),
    "more attributes": lambda xml: xml.replace(_USE, '<w:pStyle  w:val = "ReportParagraph" ></w:pStyle>'),
    "another prefix": _other_prefix,
    "an entity": _an_entity,
    "a comment": _hidden_in_a_comment,
    "none used": lambda xml: xml.replace(_USE, '<w:pStyle w:val="Normal"/>'),
}


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    out = tmp_path_factory.mktemp("report")
    (document,) = [d for d in render_input(EXAMPLES / "pcd-1284.yaml", out_dir=out).documents if d.kind == "supporting-report"]
    return dict(document.parts)


@pytest.mark.parametrize("variant", VARIANTS)
def test_a_styles_paragraphs_are_counted_as_word_reads_the_body(report: dict[str, bytes], variant: str) -> None:
    document = VARIANTS[variant](report["word/document.xml"].decode("utf-8")).encode("utf-8")
    used = sum(1 for s in etree.fromstring(document).iter(f"{{{W}}}pStyle") if s.get(f"{{{W}}}val") == "ReportParagraph")
    assert variant == "none used" or used >= 2, "the variant keeps the style in use"
    new = {
        **report,
        "word/document.xml": document,
        "word/styles.xml": more_space_before_report_paragraphs(report["word/styles.xml"].decode("utf-8")).encode("utf-8"),
    }
    changes = formatting_changes(Parts(report), Parts(new))
    said = "Report Paragraph: space before 6 pt → 12 pt"
    assert [c for c in changes if c.startswith(said)] == [said + (f" ({used} paragraphs)" if used else "")]


def test_formatting_changes_of_two_packages_read_what_parts_give(report: dict[str, bytes]) -> None:
    """Given the bytes of two documents, as given their parts; only the parts asked for are unzipped."""
    new = {**report, "word/styles.xml": more_space_before_report_paragraphs(report["word/styles.xml"].decode("utf-8")).encode("utf-8")}
    only_styles = Parts(zipped(new), only=frozenset({"word/styles.xml"}))
    assert only_styles.get("word/document.xml") is None and only_styles.get("word/styles.xml") == new["word/styles.xml"]
    assert formatting_changes(zipped(report), zipped(new)) == formatting_changes(Parts(report), Parts(new)) != []
