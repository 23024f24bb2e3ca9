"""The scan of a body's blocks (generator.docx.body_scan) gives the accessibility check exactly
the facts the whole tree gives, reads only what it can place, and never lets a block judged in
one document stand for a different one."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from lxml import etree

from generator.build.generate import render_input
from generator.docx import facts as facts_module
from generator.docx.body_scan import Body, scan_body
from generator.docx.facts import DocxFacts, accessibility_facts
from generator.docx.ooxml import W, parse_part
from generator.docx.styles import style_table
from tests.conftest import EXAMPLES, FIXTURES

_MATH = "http://schemas.openxmlformats.org/officeDocument/2006/math"
_OPENING = f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document xmlns:w="{W}" xmlns:m="{_MATH}"><w:body>'
_CLOSING = "</w:body></w:document>"
_STYLES = (
    f'<w:styles xmlns:w="{W}"><w:docDefaults><w:rPrDefault><w:rPr><w:lang w:val="en-GB"/></w:rPr></w:rPrDefault></w:docDefaults>'
    '<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style>'
    '<w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/><w:pPr><w:outlineLvl w:val="0"/></w:pPr></w:style>'
    "</w:styles>"
).encode()
_HEADING = '<w:p><w:pPr><w:pStyle w:val="Heading1"/></w:pPr><w:r><w:t>Heading</w:t></w:r></w:p>'
_TEXT = "<w:p><w:r><w:t>Some text</w:t></w:r></w:p>"
_TABLE = (
    "<w:tbl><w:tr><w:trPr><w:tblHeader/></w:trPr><w:tc><w:p><w:r><w:t>A</w:t></w:r></w:p></w:tc></w:tr>"
    '<w:tr><w:tc><w:tcPr><w:vMerge w:val="restart"/></w:tcPr><w:p/></w:tc></w:tr></w:tbl>'
)
_SECTION = '<w:sectPr><w:pgSz w:w="11906" w:h="16838"/></w:sectPr>'


def _parts(body: str, opening: str = _OPENING) -> dict[str, bytes]:
    return {"word/document.xml": (opening + body + _CLOSING).encode(), "word/styles.xml": _STYLES}


def _whole_tree(parts: dict[str, bytes], monkeypatch: pytest.MonkeyPatch) -> DocxFacts:
    with monkeypatch.context() as patched:
        patched.setattr(facts_module, "scan_body", lambda xml: None)
        return accessibility_facts(parts)


def _rendered_documents(tmp: Path) -> Iterator[tuple[str, dict[str, bytes]]]:
    fixtures = [FIXTURES / "inputs" / f"{name}.yaml" for name in ("agreement", "minimal", "part-2", "report", "structure")]
    for source in [*sorted(EXAMPLES.glob("*.yaml")), *fixtures]:
        for document in render_input(source, out_dir=tmp).documents:
            yield f"{source.stem}/{document.kind}", dict(document.parts)


def test_every_rendered_document_is_scanned_and_gets_the_facts_of_its_whole_tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    documents = list(_rendered_documents(tmp_path))
    assert len(documents) > 20
    for name, parts in documents:
        assert scan_body(parts["word/document.xml"]) is not None, name  # grantdocs' own documents take the quick way
        assert accessibility_facts(parts) == _whole_tree(parts, monkeypatch), name
        assert accessibility_facts(parts) == _whole_tree(parts, monkeypatch), name  # the second time, from what was judged


@pytest.mark.parametrize(
    "body",
    [
        _HEADING + _TEXT + _TABLE + _TABLE + "<w:p/>" + _SECTION,
        "<w:p/><w:p/>" + _TABLE + "<w:p></w:p>",
        '<w:p w:rsidR="00A1" w14:paraId="x>y"><w:r><w:t xml:space="preserve"> 1. &amp; &#163;5 &lt;w:p&gt; </w:t></w:r></w:p>'.replace(
            "w14:paraId", "w:paraId"
        ),
        "\n  " + _TEXT + "\n  " + _TABLE + "\n  " + _SECTION + "\n",
        "<w:p><w:r><m:oMath/></w:r></w:p>",
        "",
        _SECTION,
    ],
)
def test_a_scanned_body_gives_the_facts_of_its_whole_tree(body: str, monkeypatch: pytest.MonkeyPatch) -> None:
    parts = _parts(body)
    assert scan_body(parts["word/document.xml"]) is not None
    assert accessibility_facts(parts) == _whole_tree(parts, monkeypatch)


@pytest.mark.parametrize(
    ("body", "opening"),
    [
        ("<!-- a comment --><w:p/>", _OPENING),
        ("<w:p><!-- </w:p> --><w:r><w:t>x</w:t></w:r></w:p>", _OPENING),  # an end tag in a comment
        ("<w:p><w:r><w:t><![CDATA[x]]></w:t></w:r></w:p>", _OPENING),
        ("<w:sdt><w:sdtContent>" + _TEXT + "</w:sdtContent></w:sdt>", _OPENING),
        ("<w:bookmarkStart w:id='0' w:name='a'/>" + _TEXT, _OPENING),
        ("<w:customXml>" + _TEXT + "</w:customXml>", _OPENING),
        ("<w:p><w:r><w:pict><w:txbxContent>" + _TEXT + "</w:txbxContent></w:pict></w:r></w:p>", _OPENING),
        ("<w:tbl><w:tr><w:tc>" + _TABLE + "<w:p/></w:tc></w:tr></w:tbl>", _OPENING),
        (_SECTION + _TEXT, _OPENING),
        ("<x:p><x:r><x:t>hidden</x:t></x:r></x:p>", _OPENING.replace("<w:body>", f'<w:body xmlns:x="{W}">')),
        (_TEXT + "<?pi <w:p> ?>", _OPENING),
    ],
)
def test_a_body_the_scan_cannot_place_is_read_as_a_tree(body: str, opening: str, monkeypatch: pytest.MonkeyPatch) -> None:
    parts = _parts(body, opening)
    scanned = scan_body(parts["word/document.xml"])
    assert scanned is None or facts_module._scanned_body(scanned, style_table(_STYLES)) is None
    assert accessibility_facts(parts) == _whole_tree(parts, monkeypatch)


@pytest.mark.parametrize(
    "body",
    [
        "<w:p><w:r></w:p>",  # a block that is not XML
        _HEADING + "<w:p><w:r></w:p>" + _TEXT,  # one among blocks parsed together with it
        _TEXT + "<w:sectPr><w:pgSz></w:sectPr>",  # the tail
        '<w:p w:a="1" w:a="2"/>',  # a repeated attribute
        "<w:p><w:r><w:t>&nbsp;</w:t></w:r></w:p>",  # an entity XML does not define
        _TEXT + "\f",  # a form feed between blocks: white space to a regex, not to XML
    ],
)
def test_a_scanned_body_that_is_not_well_formed_is_refused_as_the_tree_refuses_it(body: str) -> None:
    parts = _parts(body)
    with pytest.raises(ValueError, match="malformed XML"):
        accessibility_facts(parts)
    with pytest.raises(ValueError, match="malformed XML"):  # not taken from a judgement of an earlier, well-formed one
        accessibility_facts(parts)


def test_a_block_judged_under_one_opening_is_judged_again_under_another() -> None:
    """The same text means another thing when the root binds its prefixes otherwise: here m:oMath
    (content, so the paragraph is not empty) is, in the second document, an unknown element."""
    body = "<w:p><w:r><m:oMath/></w:r></w:p>"
    math = accessibility_facts(_parts(body))
    other = accessibility_facts(_parts(body, _OPENING.replace(_MATH, "urn:not-math")))
    assert [p.empty for p in math.paragraphs] == [False]
    assert [p.empty for p in other.paragraphs] == [True]


def test_the_blocks_not_judged_before_are_parsed_together_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """A document whose text is its own has many blocks to judge: they are parsed in one go (and
    the tail, on its own), each giving the facts it gives in the whole tree; the next time, none."""
    opening = _OPENING.replace('version="1.0"', "version='1.0'")  # its own, so that nothing in it was judged before
    blocks = _HEADING + "".join(f"<w:p><w:r><w:t>paragraph {n}</w:t></w:r></w:p>" for n in range(20)) + _TABLE + _TEXT
    parts = _parts(blocks + _SECTION, opening)
    expected = _whole_tree(parts, monkeypatch)
    parsed: list[bytes] = []
    real = Body.parsed

    def counted(self: Body, text: bytes) -> object:
        parsed.append(text)
        return real(self, text)

    monkeypatch.setattr(Body, "parsed", counted)
    assert accessibility_facts(parts) == expected
    assert parsed == [_SECTION.encode(), blocks.encode()], "the tail, then every block at once"
    parsed.clear()
    assert accessibility_facts(parts) == expected
    assert parsed == []


def test_what_is_remembered_of_blocks_is_bounded_and_keeps_what_recurs() -> None:
    styles = style_table(_STYLES)
    judgements = facts_module._Judgements
    template = "<w:p><w:r><w:t>the template's own text</w:t></w:r></w:p>"
    opening = _OPENING.replace('standalone="yes"', 'standalone="no"')  # its own, not the other tests'
    for n in range(judgements.YOUNG * 3):
        accessibility_facts(_parts(template + f"<w:p><w:r><w:t>an input's own text {n}</w:t></w:r></w:p>", opening))
    memo = facts_module._JUDGED[styles][opening.encode()]
    assert len(memo) <= judgements.YOUNG + judgements.KEPT
    assert len(memo.kept) <= 2, "only what recurs is kept: the template's paragraph (and the tail)"
    assert template.encode() in memo.kept


def test_blocks_are_cut_where_they_start_and_end_whichever_way_their_start_tag_is_written() -> None:
    """Start tags without attributes (told by their bytes), with them, self-closed, after white
    space: each block is its own bytes, from its start tag to its first end tag of its name."""
    blocks = [
        _TEXT,
        _TABLE,
        '<w:p w:rsidR="00A1"><w:pPr><w:pStyle w:val="Heading1"/></w:pPr></w:p>',
        "<w:p/>",
        '<w:tbl w:x="1"><w:tr><w:tc><w:p/></w:tc></w:tr></w:tbl>',
        "<w:p><w:pPr/></w:p>",
    ]
    xml = (_OPENING + blocks[0] + blocks[1] + blocks[2] + blocks[3] + "\n " + blocks[4] + blocks[5] + _SECTION + _CLOSING).encode()
    body = scan_body(xml)
    assert body is not None
    assert [text.decode() for _, text in body.blocks] == blocks
    assert [kind for kind, _ in body.blocks] == [b"p", b"tbl", b"p", b"p", b"tbl", b"p"]
    assert [xml[start : start + 6] for start in body.starts] == [b"<w:p><", b"<w:tbl", b"<w:p w", b"<w:p/>", b"<w:tbl", b"<w:p><"]
    assert body.tail == _SECTION.encode()


@pytest.mark.parametrize(
    "block",
    [
        _TEXT,  # w: alone: parsed within an opening declaring w: alone
        '<w:p><w:r><w:t xml:space="preserve"> Note:See </w:t></w:r></w:p>',  # text that reads as a prefix
        "<w:p><w:r><m:oMath/></w:r></w:p>",  # another prefix: within the whole opening
        "<w:p><w:r><x:y/></w:r></w:p>",  # a prefix the opening does not declare: refused by both
    ],
)
def test_a_block_parses_as_within_the_whole_opening(block: str) -> None:
    body = scan_body((_OPENING + block + _CLOSING).encode())
    assert body is not None
    text = block.encode()
    try:
        whole = etree.tostring(
            parse_part(body.opening + text + body.closing)[0], method="c14n", exclusive=True
        )  # what the block names, not what is declared around it
    except etree.XMLSyntaxError:
        with pytest.raises(etree.XMLSyntaxError):
            body.parsed(text)
        return
    assert etree.tostring(body.parsed(text), method="c14n", exclusive=True) == whole
