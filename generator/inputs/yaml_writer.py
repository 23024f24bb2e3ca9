"""An input's YAML rewritten with new values where the web app changed it, and everything else as
the officer left it: key order, comments and layout kept (ruamel.yaml's round trip).

grantdocs reads every scalar as text (generator.inputs.yaml_reader), so this writer does too: no
scalar is resolved to a number, date or boolean, and none is quoted unless YAML would otherwise
read it as nothing (an empty string, `null`, `~`) or could not read it plain at all.
"""

from __future__ import annotations

import io
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.nodes import ScalarNode
from ruamel.yaml.resolver import VersionedResolver
from ruamel.yaml.scalarstring import FoldedScalarString, LiteralScalarString
from ruamel.yaml.tag import Tag

from generator.inputs.yaml_reader import NULL_TAG, PLAIN_NULL


class _TextResolver(VersionedResolver):
    """Plain scalars are text, except those YAML means as nothing."""

    def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
        if kind is ScalarNode and implicit[0]:
            return Tag(suffix=NULL_TAG if PLAIN_NULL.match(value) else "tag:yaml.org,2002:str")
        return super().resolve(kind, value, implicit)


def _yaml() -> YAML:
    yaml = YAML(typ="rt")
    yaml.Resolver = _TextResolver
    yaml.width = 4096  # never rewrap a line the officer did not change
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.preserve_quotes = True
    return yaml


def load_document(text: str) -> Any:
    """The input as ruamel's round-trip data (mappings and lists that carry their comments)."""
    return _yaml().load(text) if text.strip() else CommentedMap()


def dump_document(document: Any) -> str:
    out = io.StringIO()
    _yaml().dump(document, out)
    return out.getvalue()


def merged(old: Any, new: Any) -> Any:
    """`new`, reusing `old`'s mappings and lists where both have one at the same place, so that
    their comments and the order of keys the officer chose survive; keys `new` lacks are removed."""
    if isinstance(old, dict) and isinstance(new, dict):
        for key in [k for k in old if k not in new]:
            del old[key]
        for key, value in new.items():
            old[key] = merged(old.get(key), value)
        return old
    if isinstance(old, list) and isinstance(new, list):
        # Item by item, in place: a list keeps its comments by position, so it is never emptied.
        for i, value in enumerate(new):
            if i < len(old):
                old[i] = merged(old[i], value)
            else:
                old.append(_fresh(value))
        del old[len(new) :]
        return old
    if isinstance(old, str) and isinstance(new, list) and new == [str(old)]:
        return old  # a one-item list the officer wrote as its item alone (`money: barnet`)
    if isinstance(old, str) and isinstance(new, str):
        if str(old) == new:
            return old  # unchanged: its style (folded >-, literal |, quotes) kept as written
        if isinstance(old, FoldedScalarString | LiteralScalarString):
            return type(old)(new)  # changed text, written in the block style it had
    return _fresh(new)


def _fresh(value: Any) -> Any:
    if isinstance(value, dict):
        return CommentedMap((k, _fresh(v)) for k, v in value.items())
    if isinstance(value, list):
        return CommentedSeq(_fresh(v) for v in value)
    return value


def plain(document: Any) -> Any:
    """The round-trip data as plain dicts, lists and strings (what the reader would give)."""
    if isinstance(document, dict):
        return {str(k): plain(v) for k, v in document.items()}
    if isinstance(document, list):
        return [plain(v) for v in document]
    return document
