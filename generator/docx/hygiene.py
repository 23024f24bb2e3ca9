"""What a template must not pass on to the documents made from it.

A template saved by Word carries its owner's traces: user names in comments and people.xml,
the path of their Normal.dotm, revision ids (rsids) that record its editing history, SharePoint
metadata in customXml, a thumbnail, the template's own properties. None of it belongs in a
published decision, so it is removed once, when the template is prepared.
"""

from __future__ import annotations

import re

from lxml import etree

from generator.docx.ooxml import CONTENT_TYPES, RELATIONSHIPS, W
from generator.docx.package_check import resolve_target

# Parts dropped whole: owner names, review history, document-management metadata, previews.
_DROPPED = re.compile(
    r"^(docProps/custom\.xml|docProps/thumbnail\.\w+|word/people\.xml|word/comments\w*\.xml"
    r"|customXml/.*|word/_rels/settings\.xml\.rels)$"
)
_RSID_ATTRIBUTE = re.compile(r'\sw:rsid\w*="[^"]*"')
_RSIDS = re.compile(r"<w:rsids>.*?</w:rsids>|<w:rsids/>", re.DOTALL)
_ATTACHED_TEMPLATE = re.compile(r"<w:attachedTemplate\b[^>]*/>")
_STORY = re.compile(r"^word/(document|header\d*|footer\d*|footnotes|endnotes)\.xml$")


def scrub(members: list[tuple[str, bytes]]) -> list[tuple[str, bytes]]:
    """The template's members without its owner's traces (see the module docstring)."""
    dropped = {name for name, _ in members if _DROPPED.match(name)}
    kept = []
    for name, data in members:
        if name in dropped:
            continue
        if name == "[Content_Types].xml":
            data = _without_overrides(data, dropped)
        elif name.endswith(".rels"):
            data = _without_relationships(data, name, dropped)
        elif name == "word/settings.xml":
            text = data.decode("utf-8")
            data = _ATTACHED_TEMPLATE.sub("", _RSIDS.sub("", _RSID_ATTRIBUTE.sub("", text))).encode("utf-8")
        elif _STORY.match(name):
            data = _without_comment_anchors(_RSID_ATTRIBUTE.sub("", data.decode("utf-8"))).encode("utf-8")
        kept.append((name, data))
    return kept


def _without_overrides(data: bytes, dropped: set[str]) -> bytes:
    root = etree.fromstring(data)
    for override in root.findall(f"{{{CONTENT_TYPES}}}Override"):
        if override.get("PartName", "").lstrip("/") in dropped:
            root.remove(override)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _without_relationships(data: bytes, rels_name: str, dropped: set[str]) -> bytes:
    folder = rels_name.rsplit("_rels/", 1)[0]
    root = etree.fromstring(data)
    for rel in root.findall(f"{{{RELATIONSHIPS}}}Relationship"):
        target = rel.get("Target", "")
        resolved = resolve_target(folder, target)
        if resolved in dropped or (rel.get("TargetMode") == "External" and rel.get("Type", "").endswith("/attachedTemplate")):
            root.remove(rel)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _without_comment_anchors(text: str) -> str:
    if "comment" not in text:
        return text
    root = etree.fromstring(text.encode("utf-8"))
    for tag in ("commentRangeStart", "commentRangeEnd"):
        for element in root.iter(f"{{{W}}}{tag}"):
            _parent(element).remove(element)
    for reference in list(root.iter(f"{{{W}}}commentReference")):
        run = _parent(reference)
        run.remove(reference)
        if run.tag == f"{{{W}}}r" and not [c for c in run if c.tag != f"{{{W}}}rPr"]:
            _parent(run).remove(run)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True).decode("utf-8")


def _parent(element: etree._Element) -> etree._Element:
    """The element that holds `element`; only a part's root has none, and no Word part's root is
    a comment anchor or a run."""
    parent = element.getparent()
    if parent is None:
        raise ValueError(f"the part's root element is w:{etree.QName(element).localname}")
    return parent
