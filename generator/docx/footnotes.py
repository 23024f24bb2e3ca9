"""Notes a template writes as paragraphs, made Word footnotes at the foot of the page.

A loop cannot make Word's own footnotes in a template that Word and LibreOffice can still open.
A footnote is a reference in the text (`w:footnoteReference`) and a note with the same id in the
footnotes part; LibreOffice reads the notes in order rather than by id, so one reference repeated
by a loop takes each note in turn, and a template with no footnotes loses its footnotes part when
LibreOffice saves it. So a template writes its notes as it would a list, in Word's own footnote
styles, and grantdocs makes them footnotes after the render:

- each mark is a run in the "footnote reference" character style holding the note's number;
- each note is a body paragraph in the "footnote text" style that starts with a run in the
  "footnote reference" style holding its number.

Each note paragraph moves into the footnotes part, its number run becoming the note's own mark,
and the first mark with its number becomes the reference to it: Word and LibreOffice then number
the note and print it at the foot of the page its mark is on. A later mark with the same number
stays the typed number, as Word refers to a footnote again. A note nothing marks, or a mark with
no note, is left as written.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from lxml import etree

from generator.docx.body_scan import Body, scan_body
from generator.docx.ooxml import CONTENT_TYPES, RELATIONSHIPS, W, first_child, parse_part, text_of
from generator.docx.styles import style_table

FOOTNOTES = "word/footnotes.xml"
DOCUMENT = "word/document.xml"
TEXT_STYLE = "footnote text"  # Word's name for its built-in style; LibreOffice saves it as "Footnote Text"
# Word's name, and the name LibreOffice gives the same style when it saves a template it opened.
REFERENCE_STYLES = ("footnote reference", "footnote characters")
_STYLES, _DOCUMENT_RELS, _CONTENT_TYPES = "word/styles.xml", "word/_rels/document.xml.rels", "[Content_Types].xml"
_FOOTNOTES_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"
_FOOTNOTES_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes"
_W = f"{{{W}}}"
_ID = f"{_W}id"
_P_STYLE, _R_STYLE = f"{_W}pPr/{_W}pStyle", f"{_W}rPr/{_W}rStyle"
# Styles as Word and the templates write them: a part with any written otherwise is not cut up.
_R_STYLE_WRITTEN = re.compile(rb'<w:rStyle w:val="([^"<>&]*)"/>')
_P_STYLE_WRITTEN = re.compile(rb'<w:pStyle w:val="[^"<>&]*"/>')
_T_WRITTEN = re.compile(rb"<w:t(?:[ \t\r\n][^>]*)?>([^<]*)</w:t>")
# The rest of a run in a reference style holding no text, as the templates write it after every
# paragraph that may carry a note: no note's number, so no mark (what _written_text would find).
_EMPTY_MARK = b'</w:rPr><w:t xml:space="preserve"></w:t></w:r>'

# The footnotes part Word writes for a new document: the rule above the notes, and the longer
# one above a note continued from the page before.
_EMPTY_PART = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    f'<w:footnotes xmlns:w="{W}">'
    '<w:footnote w:type="separator" w:id="-1"><w:p><w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr>'
    "<w:r><w:separator/></w:r></w:p></w:footnote>"
    '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr>'
    "<w:r><w:continuationSeparator/></w:r></w:p></w:footnote>"
    "</w:footnotes>"
).encode()


@dataclass(frozen=True)
class Footnotes:
    """A template's footnote styles, by id: what a render's notes and marks are found by."""

    text_style: str
    reference_styles: frozenset[str]

    @classmethod
    def of(cls, members: Mapping[str, bytes]) -> Footnotes | None:
        """The template's footnote styles, or None when it writes no notes (nothing to do per render)."""
        styles = style_table(members.get(_STYLES))
        by_name = {styles.name(style_id).lower(): style_id for style_id in styles.styles if style_id}
        text, references = by_name.get(TEXT_STYLE), frozenset(by_name[n] for n in REFERENCE_STYLES if n in by_name)
        if text is None or not references or not _uses_style(members.get(DOCUMENT, b""), text):
            return None
        return cls(text, references)

    def apply(self, document: bytes, footnotes: bytes) -> tuple[bytes, bytes] | None:
        """The rendered document and footnotes parts with each marked note moved to the foot of
        its page, or None when the render has no note that is marked."""
        if not _uses_style(document, self.text_style):
            return None
        try:
            return self._apply_in_place(document, footnotes)
        except _NotInPlace:
            return self._apply_to_tree(document, footnotes)

    def _apply_in_place(self, document: bytes, footnotes: bytes) -> tuple[bytes, bytes] | None:
        """`apply`, parsing only the notes and the runs that mark them, each cut out of the part's
        bytes within the part's opening (body_scan), and writing them back in place: a report is
        100 KB, its notes and marks a few hundred bytes. _NotInPlace for a part written so that
        they cannot be cut out exactly (then the whole tree does it)."""
        body = scan_body(document)
        if body is None or b"<!" in document:  # a comment could hide a tag from the cut
            raise _NotInPlace
        if len(_P_STYLE_WRITTEN.findall(document)) != document.count(b"<w:pStyle"):  # a note's style written otherwise
            raise _NotInPlace
        wrap = _Fragments(body)
        notes: dict[str, _Note] = {}
        own_style = b'<w:pStyle w:val="' + self.text_style.encode() + b'"'
        for (kind, text), start in zip(body.blocks, body.starts, strict=True):
            if kind != b"p" or own_style not in text:
                continue
            paragraph = wrap.element(text)
            if _style(paragraph, _P_STYLE) != self.text_style:
                continue
            run = first_child(paragraph, f"{_W}r")
            number = self._number(run)
            if run is not None and number is not None and number not in notes:
                notes[number] = _Note(paragraph, run, start, start + len(text))
        marks = self._marks_in_place(document, notes, wrap)
        if not marks:
            return None
        part = parse_part(footnotes)
        edits: list[tuple[int, int, bytes]] = []  # (start, end, what replaces them) in the document's bytes
        pairs = [(mark, notes[number]) for mark, number in marks]
        for i in _placed(part, [(mark.run, note.paragraph, note.run) for mark, note in pairs]):
            mark, note = pairs[i]
            edits += [(mark.start, mark.end, wrap.written(mark.run)), (note.start, note.end, b"")]
        pieces, done = [], 0
        for start, end, written in sorted(edits):
            pieces += [document[done:start], written]
            done = end
        return b"".join([*pieces, document[done:]]), _serialised(part)

    def _marks_in_place(self, document: bytes, notes: dict[str, _Note], wrap: _Fragments) -> list[tuple[_Mark, str]]:
        """Each run marking a note, in document order, with the note's number (see _apply_to_tree)."""
        styles = list(_R_STYLE_WRITTEN.finditer(document))
        if len(styles) != document.count(b"<w:rStyle"):  # one written otherwise: not found by its bytes
            raise _NotInPlace
        marks: list[tuple[_Mark, str]] = []
        runs: set[int] = set()
        references = {style.encode() for style in self.reference_styles}
        for found in styles:
            if found.group(1) not in references:
                continue
            if document.startswith(_EMPTY_MARK, found.end()):
                continue  # a mark the template leaves empty where a paragraph has no note: most of them
            at = found.start()
            end = document.find(b"</w:r>", at) + len(b"</w:r>")
            if _written_text(document[at:end]) not in (None, *notes):
                continue  # a run in the style holding no note's number (most of them): not parsed
            start = _run_start(document, at)
            if start == -1 or b"</w:r>" in document[start:at] or start in runs:
                continue  # the style of a paragraph's mark, not of a run; or a run's second w:rStyle
            inside = [note for note in notes.values() if note.start <= start < note.end]
            if inside:
                if start == inside[0].start + inside[0].paragraph_run_offset(document):
                    continue  # the note's own number
                raise _NotInPlace  # a mark inside a note: the tree's order of moving and marking decides
            run = wrap.element(document[start:end])
            if not any(
                (properties := style.getparent()) is not None and properties.getparent() is run for style in run.iter(f"{_W}rStyle")
            ):
                continue  # a style in a tracked change of the run's properties
            number = self._number(run)
            if number in notes:
                runs.add(start)
                marks.append((_Mark(run, start, end), number))
        return marks

    def _apply_to_tree(self, document: bytes, footnotes: bytes) -> tuple[bytes, bytes] | None:
        root = parse_part(document)
        body = first_child(root, f"{_W}body")
        notes: dict[str, tuple[etree._Element, etree._Element]] = {}  # number → (note paragraph, its number run)
        for paragraph in body.iterchildren(f"{_W}p") if body is not None else ():
            if _style(paragraph, _P_STYLE) == self.text_style:
                run = first_child(paragraph, f"{_W}r")
                number = self._number(run)
                if run is not None and number is not None and number not in notes:
                    notes[number] = (paragraph, run)
        number_runs = {id(run) for _, run in notes.values()}
        # A mark is a run with a character style: found from the few w:rStyle, not every run.
        styled = (style for style in root.iter(f"{_W}rStyle") if style.get(f"{_W}val") in self.reference_styles)
        runs = (run for style in styled if (properties := style.getparent()) is not None and (run := properties.getparent()) is not None)
        marks = [(run, n) for run in runs if run.tag == f"{_W}r" and id(run) not in number_runs and (n := self._number(run)) in notes]
        if not marks:
            return None
        part = parse_part(footnotes)
        _placed(part, [(mark, *notes[number]) for mark, number in marks])
        return _serialised(root), _serialised(part)

    def _number(self, run: etree._Element | None) -> str | None:
        """The number a run in the footnote reference style holds, or None."""
        if run is None or _style(run, _R_STYLE) not in self.reference_styles:
            return None
        text = text_of(run).strip()
        return text if text.isdigit() else None


def _run_start(document: bytes, at: int) -> int:
    """Where the last run starting before `at` starts, or -1. A run's properties come first in it,
    so its start is looked for just before them, and only then further back."""
    for since in (max(0, at - 512), 0):
        start = max(document.rfind(b"<w:r>", since, at), document.rfind(b"<w:r ", since, at))
        if start != -1:
            return start
    return -1


def _written_text(run: bytes) -> str | None:
    """A run's text as its w:t elements hold it, stripped, when its bytes say it plainly (no
    entity, every w:t found); None when only its parse can say."""
    if b"&" in run:
        return None
    texts = _T_WRITTEN.findall(run)
    if len(texts) != run.count(b"</w:t>"):
        return None
    return b"".join(texts).decode("utf-8", "replace").strip()


class _NotInPlace(Exception):
    """A part whose notes and marks cannot be cut out of its bytes exactly."""


@dataclass(frozen=True)
class _Fragments:
    """Parts of a document's bytes parsed, and written back, within its opening (body_scan.Body)."""

    body: Body

    def element(self, text: bytes) -> etree._Element:
        try:
            return self.body.parsed(text)[0]
        except etree.XMLSyntaxError:  # cut where the bytes only looked like a tag's end
            raise _NotInPlace from None

    def written(self, element: etree._Element) -> bytes:
        """`element` as lxml writes it inside the document, without the declarations its root makes."""
        root = element.getroottree().getroot()
        text = etree.tostring(root, encoding="UTF-8")
        return text[text.index(b"<w:body>") + len(b"<w:body>") : text.rindex(b"</w:body>")]


@dataclass(frozen=True)
class _Note:
    paragraph: etree._Element
    run: etree._Element  # its number
    start: int  # where its bytes are in the part
    end: int

    def paragraph_run_offset(self, document: bytes) -> int:
        """Where the note's number run starts, from the paragraph's start."""
        text = document[self.start : self.end]
        return min(i for i in (text.find(b"<w:r>"), text.find(b"<w:r ")) if i != -1)


@dataclass(frozen=True)
class _Mark:
    run: etree._Element
    start: int
    end: int


def _placed(part: etree._Element, marks: list[tuple[etree._Element, etree._Element, etree._Element]]) -> list[int]:
    """Each note its first mark refers to moved into the footnotes `part` (numbered after the
    template's own), given (mark's run, note's paragraph, note's number run) in document order:
    the mark made the reference, the number the note's own mark. Which marks were placed; a note
    marked again keeps its typed number there."""
    next_id = max((int(n) for f in part.iterchildren(f"{_W}footnote") if (n := f.get(_ID)) and _integer(n)), default=0) + 1
    placed: dict[int, int] = {}  # note paragraph → the mark placing it
    for i, (mark, paragraph, number_run) in enumerate(marks):
        if id(paragraph) in placed:
            continue
        placed[id(paragraph)] = i
        _replace_text(mark, etree.Element(f"{_W}footnoteReference", {_ID: str(next_id)}))
        _replace_text(number_run, etree.Element(f"{_W}footnoteRef"))
        etree.SubElement(part, f"{_W}footnote", {_ID: str(next_id)}).append(paragraph)  # moved out of the body
        next_id += 1
    return list(placed.values())


def with_footnotes_part(members: list[tuple[str, bytes]]) -> list[tuple[str, bytes]]:
    """The template's members with an (empty) footnotes part if it writes notes and has none:
    LibreOffice drops the part from a template it saves when the template has no footnote."""
    present = dict(members)
    if FOOTNOTES in present or Footnotes.of(present) is None or _DOCUMENT_RELS not in present or _CONTENT_TYPES not in present:
        return members
    rels = parse_part(present[_DOCUMENT_RELS])
    taken = {rel.get("Id") for rel in rels}
    rel_id = next(f"rIdFootnotes{n or ''}" for n in range(len(taken) + 1) if f"rIdFootnotes{n or ''}" not in taken)
    etree.SubElement(rels, f"{{{RELATIONSHIPS}}}Relationship", {"Id": rel_id, "Type": _FOOTNOTES_REL, "Target": "footnotes.xml"})
    types = parse_part(present[_CONTENT_TYPES])
    etree.SubElement(types, f"{{{CONTENT_TYPES}}}Override", {"PartName": f"/{FOOTNOTES}", "ContentType": _FOOTNOTES_TYPE})
    changed = {_DOCUMENT_RELS: _serialised(rels), _CONTENT_TYPES: _serialised(types)}
    return [(name, changed.get(name, data)) for name, data in members] + [(FOOTNOTES, _EMPTY_PART)]


def _uses_style(part: bytes, style_id: str) -> bool:
    # A plain search: the pattern this was, all literal, took four times as long over a report.
    return b'<w:pStyle w:val="' + style_id.encode() + b'"' in part


def _style(element: etree._Element, path: str) -> str | None:
    style = element.find(path)
    return style.get(f"{_W}val") if style is not None else None


def _integer(text: str) -> bool:
    return text.lstrip("-").isdigit()


def _replace_text(run: etree._Element, new: etree._Element) -> None:
    """The run with its text (and any tab or break beside it) replaced by `new`, its properties kept."""
    for child in list(run):
        if child.tag != f"{_W}rPr":
            run.remove(child)
    run.append(new)


def _serialised(root: etree._Element) -> bytes:
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True))
