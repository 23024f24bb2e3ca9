"""The decision pack: rendered documents (the decision form, then its report as the appendix) in one .docx.

This is the only module that uses docxcompose.

docxcompose copies each appended document's paragraphs, styles and lists into the first one. Two
of its defaults would spoil the parts' numbering, because the parts come from templates that share
style names with different lists (the form's "Heading 3" is numbered "1.", the report's is not):

- a style that both documents have keeps the *first* document's definition, list included, so an
  appended paragraph would be numbered by the first document's list, counting on from it; and the
  appended list is mapped onto the first document's list definition (format and counter);
- it "restarts" a list by giving only the first paragraph of a style a fresh list instance.

So, before appending a part, every paragraph's numbering is pinned on the paragraph itself (its own
list and level, or explicitly none), and each part's lists are copied as lists of their own. Each
part also becomes a section of its own, starting on a new page and keeping its own page header and
footer (the report's footer names the report, not the form version).
"""

from __future__ import annotations

import io
from copy import deepcopy

from docx import Document
from docx.document import Document as DocxDocument
from docx.opc.oxml import serialize_part_xml
from docx.oxml import parse_xml
from docx.oxml.ns import nsmap, qn
from docx.oxml.text.paragraph import CT_P
from docxcompose.composer import Composer
from lxml import etree

from generator.docx.ooxml import W
from generator.docx.package import Member, zip_members
from generator.docx.package_check import read_members
from generator.docx.styles import StyleTable

# Importing docxcompose rebinds the prefix `cp` in python-docx's own namespace map to the
# custom-properties namespace (docxcompose.utils updates it with its own map), after which
# python-docx reads every `cp:` core property (status, keywords, last modified by) of any
# document as empty. docxcompose looks its own `cp:` up in its own map, so python-docx's is put back.
nsmap["cp"] = "http://schemas.openxmlformats.org/package/2006/metadata/core-properties"


def compose_pack(parts: list[bytes]) -> bytes:
    """One .docx: `parts[0]` followed by each further part, each from a new page, numbering intact."""
    if not parts:
        raise ValueError("a pack needs at least one document")
    pack = Document(io.BytesIO(parts[0]))
    composer = _Composer(pack)
    for data in parts[1:]:
        part = Document(io.BytesIO(data))
        _pin_numbering(part, pack)
        if pack.element.body.find(qn("w:sectPr")) is None or part.element.body.find(qn("w:sectPr")) is None:
            raise ValueError("every part of a pack must have its section properties (page size, header, footer)")
        boundary = pack.element.body.find(qn("w:sectPr")).getprevious()
        composer.append(part)
        _new_section(composer, part, boundary)
    _tidy_lists(pack, composer.created_abstracts)
    out = io.BytesIO()
    pack.save(out)
    # Zipped again as every output is (fixed order and times), so the same parts always give the same bytes.
    return zip_members([Member.of(name, data) for name, data in read_members(out.getvalue())])


class _Composer(Composer):  # type: ignore[misc]  # docxcompose has no types: Composer is Any
    """docxcompose, with each part's lists copied as lists of their own and no partial restarts."""

    def __init__(self, doc: DocxDocument) -> None:
        super().__init__(doc)
        self.restart_numbering = False  # every copied list is new, so it starts at 1 anyway
        self.created_abstracts: list[int] = []

    def _insert_abstract_num(self, element: etree._Element) -> None:
        self.created_abstracts.append(_abstract_id(element))
        super()._insert_abstract_num(element)

    def add_styles(self, doc: DocxDocument, element: etree._Element) -> None:
        # For a style both documents have, docxcompose maps the part's list definition onto the
        # pack's, so the part's paragraphs would share the pack's format and counter: forget those.
        before = set(self.anum_id_mapping)
        super().add_styles(doc, element)
        for key in [k for k, v in self.anum_id_mapping.items() if k not in before and v not in self.created_abstracts]:
            del self.anum_id_mapping[key]


# --------------------------------------------------------------------------- numbering


def _pin_numbering(part: DocxDocument, pack: DocxDocument) -> None:
    """Write each paragraph's list and level on the paragraph, so that it no longer depends on
    which document's definition of its style wins; "none" (numId 0) where the pack's style of
    the same name would number it."""
    # Fresh tables: the pack's styles change with every part appended.
    styles, pack_styles = StyleTable(part.styles.element), StyleTable(pack.styles.element)
    pack_names = {i: s.find(qn("w:name")) for i, s in pack_styles.styles.items()}
    pack_id_by_name = {n.get(qn("w:val")): i for i, n in pack_names.items() if n is not None}
    for p in part.element.body.iter(qn("w:p")):
        p_pr = p.pPr
        style_id = p_pr.pStyle.val if p_pr is not None and p_pr.pStyle is not None else styles.default
        num_pr = p_pr.numPr if p_pr is not None else None
        own_num = num_pr.numId.val if num_pr is not None and num_pr.numId is not None else None
        own_lvl = num_pr.ilvl.val if num_pr is not None and num_pr.ilvl is not None else None
        style_num, style_lvl = styles.list_of(style_id), styles.list_level(style_id)
        num_id = own_num if own_num is not None else (int(style_num) if style_num is not None else None)
        ilvl = own_lvl if own_lvl is not None else int(style_lvl or 0)
        if num_id is None:
            name = styles.styles[style_id].find(qn("w:name")) if style_id in styles.styles else None
            pack_style = pack_id_by_name.get(name.get(qn("w:val"))) if name is not None else style_id
            if pack_styles.list_of(pack_style) in (None, "0"):
                continue
            num_id, ilvl = 0, 0
        num_pr = p.get_or_add_pPr().get_or_add_numPr()
        num_pr.get_or_add_ilvl().val = ilvl
        num_pr.get_or_add_numId().val = num_id


def _tidy_lists(pack: DocxDocument, created: list[int]) -> None:
    """Give the copied lists fixed ids (docxcompose draws them at random), and drop a copied level's
    link to a style that is numbered by another list."""
    numbering = pack.part.numbering_part.element
    abstract_of = {n.get(qn("w:numId")): n.find(qn("w:abstractNumId")).get(qn("w:val")) for n in numbering.findall(qn("w:num"))}
    styles = StyleTable(pack.styles.element)
    style_num = {sid: styles.list_of(sid) for sid in styles.styles}
    used = {n.get(qn("w:val")) for n in numbering.iter(qn("w:nsid"))}
    for abstract in numbering.findall(qn("w:abstractNum")):
        abstract_id = _abstract_id(abstract)
        if abstract_id not in created:
            continue
        nsid = abstract.find(qn("w:nsid"))
        if nsid is not None:
            value = 0x5041434B + abstract_id  # "PACK" + id
            while f"{value:08X}" in used:
                value += 0x100
            used.add(f"{value:08X}")
            nsid.set(qn("w:val"), f"{value:08X}")
        for link in abstract.iter(qn("w:pStyle")):
            linked_num = style_num.get(link.get(qn("w:val")))
            if linked_num is None or abstract_of.get(linked_num) != str(abstract_id):
                link.getparent().remove(link)


def _abstract_id(abstract: etree._Element) -> int:
    """The w:abstractNumId of a w:abstractNum, which Word requires."""
    value = abstract.get(qn("w:abstractNumId"))
    if value is None:
        raise ValueError("a list definition (w:abstractNum) has no w:abstractNumId")
    return int(value)


# --------------------------------------------------------------------------- sections


def _new_section(composer: _Composer, part: DocxDocument, boundary: etree._Element | None) -> None:
    """End the pack's last section after `boundary` and give the appended part its own section
    (new page, the part's page size, margins, header and footer)."""
    pack = composer.doc
    body = pack.element.body
    sect = body.find(qn("w:sectPr"))
    if boundary is None or boundary.tag != qn("w:p"):
        # A section ends in a paragraph; a part that ends in a table needs one to carry it.
        holder = parse_xml(f'<w:p xmlns:w="{W}"/>')
        if boundary is None:
            body.insert(0, holder)
        else:
            boundary.addnext(holder)
        boundary = holder
    if not isinstance(boundary, CT_P):  # python-docx parses every w:p as its CT_P
        raise TypeError("a section must end in a paragraph")
    p_pr = boundary.get_or_add_pPr()
    p_pr._insert_sectPr(deepcopy(sect))
    new = deepcopy(part.element.body.find(qn("w:sectPr")))
    for ref in list(new):
        if ref.tag not in (qn("w:headerReference"), qn("w:footerReference")):
            continue
        rel = part.part.rels[ref.get(qn("r:id"))]
        copied = composer.add_relationship(part.part, pack.part, rel)
        element = parse_xml(copied.target_part.blob)
        composer.add_styles(part, element)
        copied.target_part._blob = serialize_part_xml(element)
        ref.set(qn("r:id"), copied.rId)
    body.replace(sect, new)
