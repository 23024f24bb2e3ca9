"""Characters a Word document cannot hold, and Word's own line breaks, carried through YAML
parsing as stand-ins and turned back into the text as written.

libyaml refuses such characters raw, naming no field; replaced before parsing by stand-ins,
they reach the reader in their values, where each can be refused or fixed by the field it is in.
"""

from __future__ import annotations

import re

import yaml

from generator.domain.common.base import LINE_BREAK, UNHOLDABLE, WORD_BREAKS

# libyaml's parser is ten times faster and keeps the same marks; PyYAML falls back without it.
LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

# Each stand-in is plane 16 private use (no keyboard or Word export produces it) with the
# character's low byte, all distinct.
_STAND_IN_BASE = 0x10FC00
_STAND_IN_RANGE = f"{chr(_STAND_IN_BASE)}-{chr(_STAND_IN_BASE + 0xFF)}"  # for a regex character class
_TO_STAND_IN = {ord(c): _STAND_IN_BASE + (ord(c) & 0xFF) for c in UNHOLDABLE + WORD_BREAKS}
_FROM_STAND_IN = {stand_in: c for c, stand_in in _TO_STAND_IN.items()}
_RAW_BAD = re.compile(f"[{re.escape(UNHOLDABLE + WORD_BREAKS)}]")
_STAND_INS = re.compile(f"[{_STAND_IN_RANGE}]")
# YAML counts U+2028 and U+2029 as line breaks, and a YAML writer may use one to break a quoted
# or block value, indenting the line after it: that indentation is not text.
_SEPARATORS = {_TO_STAND_IN[0x2028]: "\u2028", _TO_STAND_IN[0x2029]: "\u2029"}
_STAND_IN_SEPARATOR = re.compile(f"[{''.join(map(chr, _SEPARATORS))}][ \t]*")
_INDENTATION_INDICATOR = re.compile(r"[|>][+-]?[1-9]")
_SPACES = re.compile(r"\s+")
_STAND_IN_ESCAPE = re.compile(rf"\\U{_STAND_IN_BASE >> 8:06X}", re.IGNORECASE)  # one typed as a YAML escape, \U0010FCxx
# A scalar whose value holds any of these needs scalar_text to be read as written.
TO_FIX = re.compile(f"[{re.escape(UNHOLDABLE + WORD_BREAKS)}\r\ud800-\udfff{_STAND_IN_RANGE}]")


def with_stand_ins(text: str) -> tuple[str, bool]:
    """`text` to parse, and whether it carries stand-ins to turn back: only where it holds such
    characters and no stand-in of its own (typed, or as a YAML escape), which would be taken back
    for a character it never held."""
    stand_ins = _RAW_BAD.search(text) is not None and not _STAND_INS.search(text) and not _STAND_IN_ESCAPE.search(text)
    return (text.translate(_TO_STAND_IN) if stand_ins else text), stand_ins


def scalar_text(event: yaml.ScalarEvent, text: str, *, stand_ins: bool) -> str:
    """The text as written of a scalar whose value holds characters to fix; `text` is all the text parsed."""
    value = event.value
    if stand_ins and _STAND_IN_SEPARATOR.search(value):
        start, end = event.start_mark, event.end_mark
        if start is None or end is None:  # never: the parser marks every event
            raise yaml.YAMLError("a value without a position")
        span = text[start.index : end.index]
        value = _read_with_separators(span, value, block=event.style in ("|", ">"))
    return _fix_characters(value, stand_ins=stand_ins)


def _read_with_separators(span: str, value: str, *, block: bool) -> str:
    """The value YAML reads from `span`, a scalar's own text, with its U+2028 and U+2029 as line
    breaks, which the stand-ins read as text: trailing spaces before one dropped, and a line
    break after one kept rather than folded into a space. The stand-in reading `value` stands
    where the span does not read as one scalar on its own (a separator where a line break would
    end the value) or would read as other than spacing changes inside it."""
    span = span.translate(_SEPARATORS)
    if block and _INDENTATION_INDICATOR.search(span.split("\n", 1)[0]):
        return value  # alone, its lines would be indented from the top level, not from its key
    loader = LOADER(span)
    try:
        events = [loader.get_event() for _ in range(5)]
    except yaml.YAMLError:
        return value
    finally:
        loader.dispose()
    scalar = events[2]
    if not isinstance(scalar, yaml.ScalarEvent) or not isinstance(events[4], yaml.StreamEndEvent):
        return value
    read, typed = scalar.value, value.translate(_SEPARATORS)
    if _SPACES.sub("", read) != _SPACES.sub("", typed) or (read[:1], read[-1:]) != (typed[:1], typed[-1:]):
        return value
    return read


def _fix_characters(value: str, *, stand_ins: bool) -> str:
    """The text as written: stand-ins back to their characters, Word's breaks to line breaks."""
    if stand_ins and _STAND_INS.search(value):
        value = _STAND_IN_SEPARATOR.sub("\n", value).translate(_FROM_STAND_IN)
    return LINE_BREAK.sub("\n", value)
