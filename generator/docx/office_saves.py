"""What Word and LibreOffice do to a template's tags when they save it, undone.

An office suite saves the text of a paragraph as XML character data, so a tag's quotes and
ampersands come back as entities: LibreOffice writes `{{ x|default("–") }}` as
`{{ x|default(&quot;–&quot;) }}`, which Jinja cannot read. docxtpl (patch_xml) already joins a
tag split across runs, drops the proofing marks, bookmarks and revision ids between its pieces,
and turns typed smart quotes and `&lt;` `&gt;` back into what they stand for; this finishes the
job for the entities it leaves: `&quot;` `&apos;` `&amp;` and numeric references. Only inside
tags: the document's own text stays XML.
"""

from __future__ import annotations

import html
import re

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
