"""Notes a template writes as paragraphs in Word's footnote styles become footnotes, each
referenced from its mark; a template saved by LibreOffice (its names for those styles, no
footnotes part) gives the same."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from lxml import etree

from generator.build.generate import render_input
from generator.docx import footnotes as footnotes_module
from generator.docx.footnotes import FOOTNOTES, Footnotes, with_footnotes_part
from tests.conftest import EXAMPLES

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_W = f'xmlns:w="{W}"'
NS = {"w": W}


def _styles(
    text: tuple[str, str] = ("FootnoteText", "footnote text"), reference: tuple[str, str] = ("FootnoteReference", "footnote reference")
) -> bytes:
    return (
        f'<w:styles {_W}><w:style w:type="paragraph" w:styleId="{text[0]}"><w:name w:val="{text[1]}"/></w:style>'
        f'<w:style w:type="character" w:styleId="{reference[0]}"><w:name w:val="{reference[1]}"/></w:style></w:styles>'
    ).encode()


def _mark(number: str, style: str = "FootnoteReference") -> str:
    return f'<w:r><w:rPr><w:rStyle w:val="{style}"/></w:rPr><w:t>{number}</w:t></w:r>'


def _paragraph(text: str, mark: str = "") -> str:
    return f"<w:p><w:r><w:t>{text}</w:t></w:r>{mark}</w:p>"


def _note(number: str, text: str, style: str = "FootnoteText", reference: str = "FootnoteReference") -> str:
    return (
        f'<w:p><w:pPr><w:pStyle w:val="{style}"/></w:pPr>{_mark(number, reference)}<w:r><w:t xml:space="preserve"> {text}</w:t></w:r></w:p>'
    )


def _document(*blocks: str) -> bytes:
    return f"<w:document {_W}><w:body>{''.join(blocks)}<w:sectPr/></w:body></w:document>".encode()


PART = (
    f'<w:footnotes {_W}><w:footnote w:type="separator" w:id="-1"><w:p/></w:footnote>'
    '<w:footnote w:type="continuationSeparator" w:id="0"><w:p/></w:footnote></w:footnotes>'
).encode()


_IN_PLACE, _IN_TREE = Footnotes._apply_in_place, Footnotes._apply_to_tree  # as they are, before a test patches either


@pytest.fixture(autouse=True, params=["in place", "tree"])
def way(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """Each test twice: notes moved in the part's bytes (where the tree is never needed), and in its tree."""
    if request.param == "in place":
        monkeypatch.setattr(Footnotes, "_apply_to_tree", lambda *_: pytest.fail("moved in the tree"))
    else:
        monkeypatch.setattr(Footnotes, "_apply_in_place", _not_in_place)
    yield request.param


def _not_in_place(*_: object) -> None:
    raise footnotes_module._NotInPlace


def _notes(document: bytes, styles: bytes | None = None) -> Footnotes:
    notes = Footnotes.of({"word/styles.xml": styles or _styles(), "word/document.xml": document})
    assert notes is not None
    return notes


def _texts(root: etree._Element, path: str) -> list[str]:
    return ["".join(e.itertext()) for e in root.xpath(path, namespaces=NS)]


def test_each_marked_note_moves_to_a_footnote_its_first_mark_refers_to() -> None:
    document = _document(
        _paragraph("Heading", _mark("1")),
        _paragraph("Plain"),
        _paragraph("Again", _mark("1")),
        _paragraph("Body", _mark("2")),
        _paragraph("Report author"),
        _note("1", "First note"),
        _note("2", "Second note"),
    )
    moved = _notes(document).apply(document, PART)
    assert moved is not None
    body, notes = (etree.fromstring(part) for part in moved)
    assert _texts(body, "//w:body/w:p") == ["Heading", "Plain", "Again1", "Body", "Report author"], "notes out of the body"
    assert body.xpath("//w:footnoteReference/@w:id", namespaces=NS) == ["1", "2"]
    assert body.xpath("//w:r[w:footnoteReference]/w:rPr/w:rStyle/@w:val", namespaces=NS) == ["FootnoteReference"] * 2
    assert _texts(notes, "//w:footnote[not(@w:type)]") == [" First note", " Second note"]
    assert notes.xpath("//w:footnote[not(@w:type)]/@w:id", namespaces=NS) == ["1", "2"]
    assert len(notes.xpath("//w:footnote[not(@w:type)]/w:p/w:r[1]/w:footnoteRef", namespaces=NS)) == 2, "each note's own mark"
    assert notes.xpath("//w:footnote/@w:type", namespaces=NS) == ["separator", "continuationSeparator"]


def test_a_note_nothing_marks_and_a_mark_with_no_note_are_left_as_written() -> None:
    document = _document(_paragraph("Body", _mark("3")), _note("1", "Unmarked"))
    assert _notes(document).apply(document, PART) is None


def test_a_render_without_notes_costs_nothing() -> None:
    document = _document(_paragraph("Body"))
    notes = Footnotes.of({"word/styles.xml": _styles(), "word/document.xml": _document(_note("1", "{{ n.text }}"))})
    assert notes is not None and notes.apply(document, PART) is None
    assert Footnotes.of({"word/styles.xml": _styles(), "word/document.xml": document}) is None, "a template with no notes"
    assert Footnotes.of({"word/document.xml": _document(_note("1", "x"))}) is None, "no footnote styles"


def test_libreoffices_names_for_the_styles_do_the_same() -> None:
    """LibreOffice saves Word's "footnote reference" as "Footnote Characters" and the text style's id as "Footnote"."""
    styles = _styles(text=("Footnote", "Footnote Text"), reference=("FootnoteCharacters", "Footnote Characters"))
    document = _document(_paragraph("Body", _mark("1", "FootnoteCharacters")), _note("1", "Note", "Footnote", "FootnoteCharacters"))
    moved = _notes(document, styles).apply(document, PART)
    assert moved is not None
    assert etree.fromstring(moved[0]).xpath("//w:footnoteReference/@w:id", namespaces=NS) == ["1"]


def test_new_ids_follow_the_template_own_footnotes() -> None:
    document = _document(_paragraph("Body", _mark("1")), _note("1", "Note"))
    part = PART.replace(b"</w:footnotes>", b'<w:footnote w:id="4"><w:p><w:r><w:t>fixed</w:t></w:r></w:p></w:footnote></w:footnotes>')
    moved = _notes(document).apply(document, part)
    assert moved is not None
    assert etree.fromstring(moved[1]).xpath("//w:footnote/@w:id", namespaces=NS) == ["-1", "0", "4", "5"]


def test_a_template_that_lost_its_footnotes_part_gets_one() -> None:
    """LibreOffice drops the footnotes part of a document without footnotes when it saves it."""
    members = [
        ("[Content_Types].xml", b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>'),
        ("word/document.xml", _document(_note("1", "{{ n.text }}"))),
        ("word/styles.xml", _styles()),
        (
            "word/_rels/document.xml.rels",
            b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rIdFootnotes" Type="x" Target="y"/></Relationships>',
        ),
    ]
    added = dict(with_footnotes_part(members))
    assert FOOTNOTES in added
    assert etree.fromstring(added[FOOTNOTES]).xpath("//w:footnote/@w:type", namespaces=NS) == ["separator", "continuationSeparator"]
    (rel,) = etree.fromstring(added["word/_rels/document.xml.rels"]).xpath("//*[@Target='footnotes.xml']")
    assert rel.get("Id") == "rIdFootnotes1" and rel.get("Type", "").endswith("/footnotes")
    assert b'PartName="/word/footnotes.xml"' in added["[Content_Types].xml"]
    assert with_footnotes_part(list(added.items())) == list(added.items()), "once only"
    plain = [(n, d) for n, d in members if n != "word/document.xml"] + [("word/document.xml", _document(_paragraph("x")))]
    assert with_footnotes_part(plain) == plain, "a template that writes no notes is left as it is"


def _blank_free(part: bytes) -> bytes:
    """A part as XML, white space between elements aside (the tree drops it, the bytes keep it)."""
    return etree.tostring(etree.fromstring(part, etree.XMLParser(remove_blank_text=True)), method="c14n")


def test_the_notes_of_every_example_move_in_place_as_they_move_in_the_tree(tmp_path: Path, way: str) -> None:
    moves: list[tuple[Footnotes, bytes, bytes]] = []
    apply = Footnotes.apply

    def recorded(self: Footnotes, document: bytes, footnotes: bytes) -> tuple[bytes, bytes] | None:
        moves.append((self, document, footnotes))
        return apply(self, document, footnotes)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Footnotes, "apply", recorded)
        for source in sorted(EXAMPLES.glob("*.yaml")):
            render_input(source, out_dir=tmp_path)
    moved = [m for m in moves if _IN_PLACE(*m) is not None]
    assert moved, "an example whose notes move"
    for notes, document, part in moves:
        in_place, tree = _IN_PLACE(notes, document, part), _IN_TREE(notes, document, part)
        assert (in_place is None) == (tree is None)
        if in_place is not None and tree is not None:
            assert [_blank_free(p) for p in in_place] == [_blank_free(p) for p in tree]


def test_a_mark_inside_a_note_or_a_comment_sends_the_part_to_the_tree(way: str) -> None:
    inside = _document(_paragraph("Body", _mark("1")), _note("1", "see", "FootnoteText")[:-6] + _mark("2") + "</w:p>", _note("2", "x"))
    commented = _document(_paragraph("Body", _mark("1")), "<!-- a comment -->", _note("1", "Note"))
    for document in (inside, commented):
        with pytest.raises(footnotes_module._NotInPlace):
            _IN_PLACE(_notes(document), document, PART)
