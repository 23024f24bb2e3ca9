"""A YAML source file read into a Source (generator.inputs.source): plain data, and where
every key and value stands.

The file is read from the parser's event stream, one event at a time, rather than composed
into a node tree: that keeps the limits below (size, nesting, number of values counting every
alias expansion) enforceable before an absurd file costs time or memory — libyaml's own
composer recurses in C and crashes the process on deep nesting — and it never constructs
Python objects from tags, so a file cannot make grantdocs run anything.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from generator.domain.common.base import unholdable
from generator.domain.common.findings import Loc
from generator.errors import InputError, Problem
from generator.inputs.characters import LOADER, TO_FIX, scalar_text, with_stand_ins
from generator.inputs.slips import Slip, comment_sign, comment_slip, continued_item, tag_slip
from generator.inputs.source import MAX_BYTES, MAX_DEPTH, MAX_VALUES, Source, format_loc, read_input_bytes
from generator.inputs.syntax_hints import syntax_slip

PLAIN_NULL = re.compile(r"^(?:~|null|Null|NULL|)$")
NULL_TAG = "tag:yaml.org,2002:null"
_YAML_TAGS = "tag:yaml.org,2002:"  # !!str, !!null …: standard tags, which say nothing a value's text does not


def read_source(path: Path, raw: bytes | None = None, *, raise_problems: bool = True) -> Source:
    """Parse `path` (whose bytes, `raw`, the caller may have read already with read_input_bytes);
    raise InputError naming the line for unreadable, oversized or malformed files and for YAML
    syntax errors (with a hint when an everyday slip caused one); and for the problems in values
    it could still read (every one found), unless `raise_problems` is false: then they are left
    in `source.problems` for the caller to report with its own."""
    text = _decode(path, read_input_bytes(path) if raw is None else raw)
    text, stand_ins = with_stand_ins(text)
    builder = _Builder(path, text, stand_ins=stand_ins)
    loader = LOADER(text)
    try:
        # get_event alone (yaml.parse also asks check_event each time): half the calls per event.
        builder.read(loader.get_event)
    except _Limit:
        raise InputError(builder.source.problems) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        message = " ".join(filter(None, [exc.context, exc.problem])) or "invalid YAML"
        problems = [Problem(path, line, column, "(yaml)", f"YAML syntax error: {message}")]
        slip = syntax_slip(text, exc)
        if slip is not None:
            problems.append(Problem(path, slip.line, slip.column, "(yaml)", slip.message))
        raise InputError(problems) from None
    except yaml.reader.ReaderError as exc:  # an unacceptable character, when stand-ins were not possible
        line, column = _line_column(text, exc.position)
        raise InputError([Problem(path, line, column, "(yaml)", f"character U+{exc.character:04X} cannot appear in an input")]) from None
    except yaml.YAMLError as exc:
        raise InputError([Problem(path, 1, 1, "(yaml)", f"YAML error: {exc}")]) from None
    finally:
        loader.dispose()
    if builder.source.problems and raise_problems:
        raise InputError(builder.source.problems)
    return builder.source


def _decode(path: Path, raw: bytes) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        good = raw[: exc.start].decode("utf-8")
        line, column = _line_column(good, len(good))
        raise InputError(
            [Problem(path, line, column, "(file)", f"not UTF-8 text: byte 0x{raw[exc.start]:02X} ({exc.reason}); save the file as UTF-8")]
        ) from None


def _line_column(text: str, index: int) -> tuple[int, int]:
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1


class _Limit(Exception):
    """The file went past one of the limits: reading stops at once."""


_START_EVENTS = frozenset({yaml.MappingStartEvent, yaml.SequenceStartEvent})
_END_EVENTS = frozenset({yaml.MappingEndEvent, yaml.SequenceEndEvent})
_TOO_DEEP = f"nested more than {MAX_DEPTH} levels deep; a decision input needs fewer than ten"
_EXPECT_KEY = object()
_SKIP = object()  # the value of a key already refused


@dataclass(slots=True)  # read and written for every event: slots make that quicker
class _Frame:
    loc: Loc
    data: dict[str, Any] | list[Any]
    keep: bool  # False under a refused key: the content is read (to stay in step) but dropped
    anchor: str | None
    size: int = 1
    chars: int = 0  # characters of text it holds, counting each alias in full
    key: Any = _EXPECT_KEY
    is_key: bool = False  # a mapping or list written where a key belongs: refused, never a value


class _Builder:
    """Plain data and positions from parser events, counting against the limits as it goes."""

    def __init__(self, path: Path, text: str, *, stand_ins: bool) -> None:
        self.text = text  # the text parsed
        self.stand_ins = stand_ins  # whether it carries stand-ins to turn back (else such characters are as typed)
        self.source = Source(path=path, data={}, text=text)
        self.problems = self.source.problems
        self.hashes = " #" in text  # whether a comment may have cut a value's text off
        self.stack: list[_Frame] = []
        self.anchors: dict[str, tuple[Any, int, int]] = {}  # anchor → (value, values, characters)
        self.values = 0
        self.expanded = 0  # characters that aliases add to the text as written
        self.documents = 0

    def read(self, next_event: Callable[[], Any]) -> None:  # yaml.Event or None, told apart by type
        """Every event of the file, in turn. An input is mostly keys and values written as plain
        or quoted text, each one event: such a scalar, under a mapping or list (a value with no
        tag or anchor), is taken here in a few lines (what _node, _count, _scalar and _deliver do
        with it, their checks and limits included), where going through them was most of the
        reading's cost after libyaml's own. So is the start of a mapping or list there, whose
        frame it opens (as _node does); every other event goes to feed."""
        stack, values, text = self.stack, self.source.values, self.text
        while (event := next_event()) is not None:
            kind = type(event)
            if (kind is yaml.ScalarEvent or kind in _START_EVENTS) and stack:
                mark = event.start_mark
                position = (mark.line + 1, mark.column + 1)
                parent = stack[-1]
                data = parent.data
                if type(data) is dict and parent.key is _EXPECT_KEY:  # a key: its tag or anchor is not read (_key)
                    if kind is not yaml.ScalarEvent:  # a mapping or list where a key belongs: refused there
                        self._node(event)
                        continue
                    key = event.value
                    self._take_key(parent, scalar_text(event, text, stand_ins=self.stand_ins) if TO_FIX.search(key) else key, position)
                    continue
                if event.tag is not None or event.anchor is not None:
                    self._node(event)
                    continue
                keep = parent.keep and parent.key is not _SKIP  # a value (_node, then _deliver)
                if keep:
                    loc = parent.loc + ((len(data),) if type(data) is list else (parent.key,))
                    values[loc] = position
                else:
                    loc = parent.loc
                self.values += 1
                if self.values > MAX_VALUES:
                    self._count(0, position, loc)  # past the limit: _count stops the reading
                if kind is not yaml.ScalarEvent:
                    if len(stack) >= MAX_DEPTH:
                        self._stop(position, loc, _TOO_DEEP)
                    stack.append(_Frame(loc, {} if kind is yaml.MappingStartEvent else [], keep, None))
                    continue
                value = self._scalar(event, loc, position, keep)
                parent.size += 1
                if value is not None:
                    parent.chars += len(value)
                if type(data) is list:
                    data.append(value)
                else:
                    if keep:
                        data[parent.key] = value
                    parent.key = _EXPECT_KEY
            elif kind in _END_EVENTS:  # the end of a mapping or list
                frame = stack.pop()
                if frame.anchor is not None:
                    self.anchors[frame.anchor] = (frame.data, frame.size, frame.chars)
                if not frame.is_key:
                    self._deliver(frame.data, frame.size, frame.chars)
            else:
                self.feed(event)

    def feed(self, event: yaml.Event) -> None:
        """An event `read` does not take itself: a node it leaves to _node, a document's start."""
        if isinstance(event, yaml.NodeEvent):  # a scalar, an alias, or the start of a mapping or list
            self._node(event)
        elif isinstance(event, yaml.DocumentStartEvent):
            self.documents += 1
            if self.documents > 1:
                raise _marked_error("a second document in the file: an input is one document (remove the ---)", event)

    def _node(self, event: yaml.NodeEvent) -> None:
        mark = event.start_mark
        if mark is None:  # never: the parser marks every event (the stubs allow None)
            raise yaml.YAMLError("a value without a position")
        position = (mark.line + 1, mark.column + 1)
        parent = self.stack[-1] if self.stack else None
        if parent is not None and parent.key is _EXPECT_KEY and isinstance(parent.data, dict):
            self._key(event, parent, position)
            return
        keep = parent is None or (parent.keep and parent.key is not _SKIP)
        if parent is None:
            loc: Loc = ()
        elif not keep:
            loc = parent.loc
        else:
            loc = parent.loc + ((len(parent.data),) if isinstance(parent.data, list) else (parent.key,))
        if keep:
            self.source.values[loc] = position
        if isinstance(event, yaml.AliasEvent):
            value, size, chars = self._alias(event)
            self._count(size, position, loc)
            self._expand(chars, position, loc, event.anchor)
            self._deliver(value, size, chars)
        elif isinstance(event, yaml.ScalarEvent):
            self._count(1, position, loc)
            value = self._scalar(event, loc, position, keep)
            chars = len(value) if value is not None else 0
            if event.anchor is not None:
                self.anchors[event.anchor] = (value, 1, chars)
            self._deliver(value, 1, chars)
        else:
            self._count(1, position, loc)
            tag = event.tag if isinstance(event, yaml.CollectionStartEvent) else None
            if tag is not None and keep:
                self._refuse(loc, position, _tag_problem(tag), misread=True)
            if len(self.stack) >= MAX_DEPTH:
                self._stop(position, loc, _TOO_DEEP)
            data: dict[str, Any] | list[Any] = {} if isinstance(event, yaml.MappingStartEvent) else []
            self.stack.append(_Frame(loc, data, keep, event.anchor))

    def _key(self, event: yaml.NodeEvent, parent: _Frame, position: tuple[int, int]) -> None:
        """A key that is not plain text as written (`read` takes those): an alias to text, or refused."""
        key = self.anchors.get(event.anchor or "", (None, 0, 0))[0] if isinstance(event, yaml.AliasEvent) else None
        if isinstance(key, str):
            self._take_key(parent, key, position)
            return
        parent.key = _SKIP
        if parent.keep:
            self._refuse(parent.loc, position, "a key must be plain text")
        if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            # Read the refused key's content in step; the value that follows it is dropped.
            self.stack.append(_Frame(parent.loc, {} if isinstance(event, yaml.MappingStartEvent) else [], False, None, is_key=True))

    def _take_key(self, parent: _Frame, key: str, position: tuple[int, int]) -> None:
        """`key` for the next value of the mapping `parent`, or refused as a duplicate (its value then dropped)."""
        loc = parent.loc + (key,)
        if parent.keep:
            first = self.source.keys.get(loc)
            if first is not None:
                parent.key = _SKIP
                self._refuse(loc, position, f"duplicate key (first given on line {first[0]})")
                return
            self.source.keys[loc] = position
        parent.key = key

    def _scalar(self, event: yaml.ScalarEvent, loc: Loc, position: tuple[int, int], keep: bool) -> str | None:
        value: str = event.value
        tag: str | None = event.tag
        start, end = event.start_mark, event.end_mark
        if start is None or end is None:  # never: the parser marks every event (the stubs allow None)
            raise yaml.YAMLError("a value without a position")
        if not event.style:  # plain: the slips YAML reads without complaint are all in plain values
            if self.hashes and self.text.startswith(" #", end.index) and keep and comment_sign(self.text, end.index):
                self._slip(loc, comment_slip(self.text, end, what=self._what()))
            if tag is None and PLAIN_NULL.match(value):
                return None  # empty, ~ or null
            if " - " in value and keep and start.line != end.line:  # cheap sign of a joined list item
                slip = continued_item(self.text, (start, end), in_list=self._what() == "paragraph")
                if slip is not None:
                    self._slip(loc, slip)
        if tag is not None:
            if keep and not tag.startswith(_YAML_TAGS) and tag != "!":
                self._slip(loc, tag_slip(self.text, start, what=self._what()))
            elif keep:
                self._refuse(loc, position, _tag_problem(tag), misread=True)
            if tag == NULL_TAG:
                return None
        if TO_FIX.search(value):
            value = scalar_text(event, self.text, stand_ins=self.stand_ins)
            problem = unholdable(value) if keep else None
            if problem:
                self._refuse(loc, position, problem, misread=True)
        return value

    def _what(self) -> str:
        """What to call the value being read, in a message: a list item is a paragraph."""
        return "paragraph" if self.stack and isinstance(self.stack[-1].data, list) else "text"

    def _refuse(self, loc: Loc, position: tuple[int, int], message: str, *, misread: bool = False) -> None:
        """A problem at `loc`; `misread` when it is about the value read there, which then needs no other."""
        self.problems.append(Problem(self.source.path, *position, format_loc(loc), message))
        if loc:  # a problem with the file as a whole leaves its own shape to be told
            self.source.flawed.add(str(loc[0]))
            if misread:
                self.source.misread.add(format_loc(loc))

    def _slip(self, loc: Loc, slip: Slip) -> None:
        self._refuse(loc, (slip.line, slip.column), slip.message, misread=True)

    def _alias(self, event: yaml.AliasEvent) -> tuple[Any, int, int]:
        if event.anchor not in self.anchors:
            raise _marked_error(f"found undefined alias {event.anchor!r}", event)
        return self.anchors[event.anchor]

    def _count(self, size: int, position: tuple[int, int], loc: Loc) -> None:
        self.values += size
        if self.values > MAX_VALUES:
            self._stop(
                position,
                loc,
                f"more than {MAX_VALUES:,} values (counting each use of an alias in full); a decision input has under a thousand",
            )

    def _expand(self, chars: int, position: tuple[int, int], loc: Loc, anchor: str | None) -> None:
        """Count what an alias adds to the text: a file is bounded as it reads, not only as it is written."""
        self.expanded += chars
        if len(self.text) + self.expanded > MAX_BYTES:
            self._stop(
                position,
                loc,
                f"larger than the {MAX_BYTES // 1_000_000} MB an input may be once its aliases are read in full "
                f"(*{anchor} stands for {chars:,} characters)",
            )

    def _stop(self, position: tuple[int, int], loc: Loc, message: str) -> None:
        self.problems[:] = [Problem(self.source.path, *position, format_loc(loc), f"too large: {message}")]
        raise _Limit

    def _deliver(self, value: Any, size: int, chars: int) -> None:
        if not self.stack:
            self.source.data = {} if value is None else value
            return
        parent = self.stack[-1]
        parent.size += size
        parent.chars += chars
        if isinstance(parent.data, list):
            parent.data.append(value)
        else:
            if parent.key is not _SKIP and parent.keep:
                parent.data[parent.key] = value
            parent.key = _EXPECT_KEY


def _tag_problem(tag: str) -> str:
    """Why an explicit tag (!!str, !!binary, !!python/object …) is refused: an input is text as
    written, and a tag would make a value read as something other than what it shows."""
    shown = "!!" + tag.removeprefix(_YAML_TAGS) if tag.startswith(_YAML_TAGS) else tag
    return f"an explicit YAML tag ({shown}) is not part of an input, which is read as the text written: delete the tag"


def _marked_error(problem: str, event: yaml.Event) -> yaml.MarkedYAMLError:
    """A YAML error at `event`, which read_source reports as it reports the parser's own."""
    # libyaml's events carry its C Mark, which PyYAML's stubs do not take here (they name only
    # the pure-Python Mark); read_source reads only the line and column both have.
    return yaml.MarkedYAMLError(problem=problem, problem_mark=event.start_mark)  # type: ignore[arg-type]
