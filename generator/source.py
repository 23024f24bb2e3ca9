"""A YAML source file read into plain data, remembering where every key and value stands.

Scalars are kept as the text the officer wrote (or None for an empty value), so that
money is never squeezed through a float and "No" stays text where text is wanted;
the models do the typing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from generator.errors import InputError, Problem
from generator.models.findings import Loc

_NULL_TAG = "tag:yaml.org,2002:null"
# libyaml's parser is ten times faster and keeps the same marks; PyYAML falls back without it.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass
class Source:
    """Data read from one file, and the 1-based (line, column) of each value and key."""

    path: Path
    data: Any
    values: dict[Loc, tuple[int, int]] = field(default_factory=dict)
    keys: dict[Loc, tuple[int, int]] = field(default_factory=dict)

    def position(self, loc: Loc, *, key: bool = False) -> tuple[int, int]:
        """Where `loc` stands; for a field that is absent, the key of its nearest present parent."""
        if loc in self.values:
            return self.keys[loc] if key and loc in self.keys else self.values[loc]
        while loc:
            loc = loc[:-1]
            if loc in self.keys:
                return self.keys[loc]
            if loc in self.values:
                return self.values[loc]
        return (1, 1)

    def problem(self, loc: Loc, message: str, *, key: bool = False) -> Problem:
        line, column = self.position(loc, key=key)
        return Problem(self.path, line, column, format_loc(loc), message)


def format_loc(loc: Loc) -> str:
    """('part_1', 0, 'heading') → 'part_1[0].heading'."""
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "(file)"


def read_source(path: Path) -> Source:
    """Parse `path`; raise InputError naming the line for unreadable files and YAML syntax errors."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError([Problem(path, 1, 1, "(file)", "no such file")]) from None
    except UnicodeDecodeError as exc:
        raise InputError([Problem(path, 1, 1, "(file)", f"not UTF-8 text ({exc.reason})")]) from None
    except OSError as exc:
        raise InputError([Problem(path, 1, 1, "(file)", exc.strerror or str(exc))]) from None
    try:
        node = yaml.compose(text, Loader=_LOADER)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        message = " ".join(filter(None, [exc.context, exc.problem])) or "invalid YAML"
        if mark and "\t" in _line(text, mark.line)[: mark.column + 1]:
            message += " (a tab: indent with spaces)"
        raise InputError([Problem(path, line, column, "(yaml)", f"YAML syntax error: {message}")]) from None
    except yaml.YAMLError as exc:
        raise InputError([Problem(path, 1, 1, "(yaml)", f"YAML error: {exc}")]) from None
    source = Source(path=path, data=None)
    problems: list[Problem] = []
    source.data = _walk(node, (), source, problems) if node is not None else {}
    if problems:
        raise InputError(problems)
    return source


def _line(text: str, index: int) -> str:
    lines = text.splitlines()
    return lines[index] if 0 <= index < len(lines) else ""


def _walk(node: yaml.Node, loc: Loc, source: Source, problems: list[Problem]) -> Any:
    source.values[loc] = (node.start_mark.line + 1, node.start_mark.column + 1)
    if isinstance(node, yaml.MappingNode):
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key = str(key_node.value)
            position = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            if not isinstance(key_node, yaml.ScalarNode):
                problems.append(Problem(source.path, *position, format_loc(loc), "a key must be plain text"))
                continue
            if key in result:
                first = source.keys[loc + (key,)]
                problems.append(
                    Problem(source.path, *position, format_loc(loc + (key,)), f"duplicate key (first given on line {first[0]})")
                )
                continue
            source.keys[loc + (key,)] = position
            result[key] = _walk(value_node, loc + (key,), source, problems)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [_walk(item, loc + (i,), source, problems) for i, item in enumerate(node.value)]
    if node.tag == _NULL_TAG and not node.style:  # plain (unquoted) empty, ~ or null
        return None
    return node.value

