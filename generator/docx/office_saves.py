"""What Word and LibreOffice do to a template's tags when they save it, undone.

An office suite saves the text of a paragraph as XML character data, so a tag's quotes and
ampersands come back as entities: LibreOffice writes `{{ x|default("–") }}` as
`{{ x|default(&quot;–&quot;) }}`, which Jinja cannot read. docxtpl (patch_xml) already joins a
tag split across runs, drops the proofing marks, bookmarks and revision ids between its pieces,
and turns typed smart quotes and `&lt;` `&gt;` back into what they stand for; this finishes the
job for the entities it leaves: `&quot;` `&apos;` `&amp;` and numeric references. Only inside
tags: the document's own text stays XML.

LibreOffice also turns a HYPERLINK field whose address is a tag (`HYPERLINK "{{ n.url }}"`) into a
hyperlink whose address is a relationship, which is not rendered: every link made from it would
point at the tag itself. `with_link_fields` turns such a hyperlink back into the field.
"""

from __future__ import annotations

import html
import re
from urllib.parse import unquote

from lxml import etree

from generator.docx.ooxml import parse_part

# A tag as patch_xml leaves it: one piece of text from its opening to its closing delimiter.
_TAG = re.compile(r"{%.*?%}|{{.*?}}|{#.*?#}", re.DOTALL)
_ENTITY = re.compile(r"&(?:quot|apos|amp|#\d+|#x[0-9a-fA-F]+);")


def repaired(source: str) -> str:
    """`source` (a part's Jinja source) with the entities inside its tags turned back into characters."""
    return _TAG.sub(lambda tag: _ENTITY.sub(lambda e: html.unescape(e.group()), tag.group()), source)


def entities_in_tags(source: str) -> list[str]:
    """The tags of `source` an office suite wrote entities into, as written (for a report)."""
    return [tag.group() for tag in _TAG.finditer(source) if _ENTITY.search(tag.group())]


# What an office suite's typing aids put into a tag, that no repair can safely undo (an en dash
# may be meant inside a quoted string): named, with what to type instead.
_AUTOCORRECTED = {
    "\u2013": "an en dash (–), which Word's AutoCorrect types for a hyphen: type '-'",
    "\u2014": "an em dash (—), which Word's AutoCorrect types for two hyphens: type '-'",
    "\u2026": "an ellipsis (…), which AutoCorrect types for three dots: type '...'",
    "\u00a0": "a non-breaking space, which Word types after some words: type an ordinary space",
    "\u2018": "a curly quote (‘), which the office suite typed for ': type '",
    "\u2019": "a curly quote (’), which the office suite typed for ': type '",
    "\u201c": 'a curly quote (“), which the office suite typed for ": type "',
    "\u201d": 'a curly quote (”), which the office suite typed for ": type "',
}
_TAG_START = re.compile(r"{[{%#]")


def office_slip(paragraph: str | None) -> str | None:
    """What an office suite typed into the tags of `paragraph` (a broken tag's), if anything."""
    if not paragraph:
        return None
    start = _TAG_START.search(paragraph)
    if start is None:
        return None
    tags = paragraph[start.start() :]
    found = [what for char, what in _AUTOCORRECTED.items() if char in tags]
    return "; ".join(found) if found else None


_HYPERLINK_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink"
_STORY = re.compile(r"^word/(document|header\d*|footer\d*|footnotes|endnotes)\.xml$")
_TAG_IN_TARGET = re.compile(r"{{.*?}}", re.DOTALL)


def with_link_fields(members: list[tuple[str, bytes]]) -> list[tuple[str, bytes]]:
    """The template's members with each hyperlink to a tag (as LibreOffice saves a HYPERLINK field
    whose address is a tag) made a HYPERLINK field again, and its relationship dropped."""
    changed = dict(members)
    for rels_name, data in members:
        match = re.fullmatch(r"word/_rels/(.+)\.rels", rels_name)
        if match is None or f"word/{match.group(1)}" not in changed or b"hyperlink" not in data:
            continue
        part = f"word/{match.group(1)}"
        if not _STORY.match(part):
            continue
        rels = parse_part(data)
        tags: dict[str, str] = {}
        for rel in list(rels):
            tag = _TAG_IN_TARGET.search(unquote(rel.get("Target", "")))
            if rel.get("Type") == _HYPERLINK_REL and tag is not None:
                tags[rel.get("Id", "")] = tag.group()
                rels.remove(rel)
        if not tags:
            continue
        changed[part] = _fields_for(changed[part].decode("utf-8"), tags).encode("utf-8")
        changed[rels_name] = bytes(etree.tostring(rels, xml_declaration=True, encoding="UTF-8", standalone=True))
    return [(name, changed[name]) for name, _ in members]


def _fields_for(xml: str, tags: dict[str, str]) -> str:
    def field(link: re.Match[str]) -> str:
        address = html.escape(tags[link.group(1)], quote=False)
        return (
            '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
            f'<w:r><w:instrText xml:space="preserve"> HYPERLINK "{address}" </w:instrText></w:r>'
            '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
            f'{link.group(2)}<w:r><w:fldChar w:fldCharType="end"/></w:r>'
        )

    ids = "|".join(map(re.escape, tags))
    return re.sub(rf'<w:hyperlink\b[^>]*?\br:id="({ids})"[^>]*>(.*?)</w:hyperlink>', field, xml, flags=re.DOTALL)
