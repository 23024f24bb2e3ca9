"""A list the template restarts at 1 restarts at every copy a loop makes of it."""

from __future__ import annotations

import re

from generator.docx.list_restarts import ListRestarts

_W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
NUMBERING = (
    f'<w:numbering {_W}><w:abstractNum w:abstractNumId="3"/>'
    '<w:num w:numId="4"><w:abstractNumId w:val="3"/></w:num>'
    '<w:num w:numId="6"><w:abstractNumId w:val="3"/><w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride></w:num>'
    "</w:numbering>"
).encode()
STYLES = (
    f'<w:styles {_W}><w:style w:type="paragraph" w:styleId="ReportParagraph">'
    '<w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="4"/></w:numPr></w:pPr></w:style></w:styles>'
).encode()
LISTS = ListRestarts.of({"word/numbering.xml": NUMBERING, "word/styles.xml": STYLES})


def _styled(text: str) -> str:
    return f'<w:p><w:pPr><w:pStyle w:val="ReportParagraph"/></w:pPr><w:r><w:t>{text}</w:t></w:r></w:p>'


def _restart(text: str) -> str:
    return (
        '<w:p><w:pPr><w:pStyle w:val="ReportParagraph"/><w:numPr><w:ilvl w:val="0"/><w:numId w:val="6"/></w:numPr></w:pPr>'
        f"<w:r><w:t>{text}</w:t></w:r></w:p>"
    )


def _lists(xml: str) -> list[tuple[str, str]]:
    return re.findall(r'(?:w:numId w:val="(\d+)".*?)?<w:t>([^<]*)</w:t>', xml)


def test_each_copy_of_a_restarting_paragraph_gets_a_list_instance_of_its_own() -> None:
    assert LISTS is not None
    xml = _styled("a") + _restart("legal 1") + _styled("legal 2") + "<w:p><w:r><w:t>Heading</w:t></w:r></w:p>" + _restart("privacy 1")
    out, numbering = LISTS.apply(xml)
    assert numbering is not None
    assert [n for n, t in _lists(out) if t in ("legal 1", "privacy 1")] == ["6", "7"], "the first copy keeps the template's"
    assert b'<w:num w:numId="7"><w:abstractNumId w:val="3"/><w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/>' in numbering


def test_a_run_of_paragraphs_word_gave_the_restarted_list_is_one_restart() -> None:
    """Word gives the paragraphs after a 'Restart at 1' the same instance: they count on, not restart."""
    assert LISTS is not None
    xml = _styled("a") + _restart("1") + _restart("2") + "<w:p><w:r><w:t>not in a list</w:t></w:r></w:p>" + _restart("3")
    out, numbering = LISTS.apply(xml)
    assert (out, numbering) == (xml, None)


def test_a_template_without_a_restart_costs_nothing() -> None:
    plain = NUMBERING.replace(b'<w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride>', b"")
    assert ListRestarts.of({"word/numbering.xml": plain, "word/styles.xml": STYLES}) is None
    assert ListRestarts.of({"word/styles.xml": STYLES}) is None
