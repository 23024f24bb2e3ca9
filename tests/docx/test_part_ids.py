"""Drawing and paragraph ids renumbered after a render: only in the parts whose template writes
them, and exactly those the Word name `w14:paraId`/`w14:textId` (a longer name ending so is not)."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from docx import Document
from hypothesis import given
from hypothesis import strategies as st

from generator.docx import part_ids
from generator.docx.part_ids import PartIds, writes_ids
from generator.docx.render import render_package

# The pattern as first written, with the word boundary in it: the reference the faster scan must equal.
_REFERENCE = re.compile(r'(\bw14:(?:paraId|textId)=")[0-9A-Fa-f]{1,8}(")')


def _reference(xml: str) -> str:
    numbers = iter(range(1, 10_000))
    return _REFERENCE.sub(lambda m: f"{m.group(1)}{next(numbers):08X}{m.group(2)}", xml)


_PIECES = st.sampled_from(
    [
        'w14:paraId="',
        'w14:textId="',
        'w14:paraId="1A2B"',
        'w14:textId="ff"',
        "x",
        "_",
        "é",
        "1",
        "A",
        "F",
        "g",
        '"',
        " ",
        "<w:p ",
        ":",
        "-",
        "12345678",
        "1A2B3C4D5",
    ]
)


@given(st.lists(_PIECES, max_size=40).map("".join))
def test_paragraph_ids_are_renumbered_where_the_bounded_pattern_finds_them(xml: str) -> None:
    assert PartIds().renumber(xml) == _reference(xml)


def test_a_longer_name_ending_in_the_words_is_not_an_id() -> None:
    xml = '<w:p w14:paraId="0000000A" xw14:paraId="0000000B" _w14:textId="0000000C" w14:textId="0000000D">'
    assert PartIds().renumber(xml) == '<w:p w14:paraId="00000001" xw14:paraId="0000000B" _w14:textId="0000000C" w14:textId="00000002">'


def test_only_a_template_writing_ids_has_them_renumbered() -> None:
    assert writes_ids('<wp:docPr id="1" name="Logo"/>') and writes_ids('<w:p w14:paraId="1A2B3C4D">')
    assert not writes_ids('<w:document xmlns:w14="http://schemas.microsoft.com/office/word/2010/wordml" mc:Ignorable="w14">')


def test_a_part_whose_template_writes_no_ids_is_not_searched_for_them(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A body with a Word 2010 paragraph id in a loop, a header with none: only the body is
    renumbered, and its repeated paragraph gets an id of its own each time."""
    doc = Document()
    doc.sections[0].header.paragraphs[0].text = "{{ marking }}"
    doc.add_paragraph("{%p for item in items %}")
    doc.add_paragraph("{{ item }}")
    doc.add_paragraph("{%p endfor %}")
    template = tmp_path / "ids.docx"
    doc.save(str(template))
    _with_paragraph_id(template)
    searched: list[str] = []
    renumber = PartIds.renumber

    def counting(self: PartIds, xml: str) -> str:
        searched.append(xml)
        return renumber(self, xml)

    monkeypatch.setattr(part_ids.PartIds, "renumber", counting)
    package = render_package(template, {"marking": "OFFICIAL", "items": ["one", "two", "three"]})
    assert len(searched) == 1 and "OFFICIAL" not in searched[0]
    ids = re.findall(r'w14:paraId="([0-9A-F]{8})"', package.parts["word/document.xml"].decode())
    assert len(ids) == 3 and len(set(ids)) == 3


def _with_paragraph_id(template: Path) -> None:
    """The looped paragraph given a Word 2010 id, as Word saves one (python-docx writes none)."""
    with zipfile.ZipFile(template) as package:
        members = [(info, package.read(info)) for info in package.infolist()]
    w14 = 'xmlns:w14="http://schemas.microsoft.com/office/word/2010/wordml"'
    with zipfile.ZipFile(template, "w", zipfile.ZIP_DEFLATED) as package:
        for info, data in members:
            if info.filename == "word/document.xml":
                text = data.decode("utf-8").replace("<w:document ", f"<w:document {w14} ", 1)
                at = text.index("{{ item }}")
                start = text.rindex("<w:p>", 0, at)
                data = (text[:start] + '<w:p w14:paraId="1A2B3C4D">' + text[start + len("<w:p>") :]).encode("utf-8")
            package.writestr(info, data)
