"""A YAML source file as read: its plain data and where every key and value stands, and the
bounded read of its bytes.

Scalars are kept as the text the officer wrote (or None for an empty value), so that
money is never squeezed through a float and "No" stays text where text is wanted;
the models do the typing. generator.inputs.yaml_reader makes a Source from a file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.bounded_files import NotAFile, TooLarge, read_bounded
from generator.domain.common.findings import Loc
from generator.errors import InputError, Problem

# A decision input is tens of kilobytes and under a thousand values (the largest example:
# 38 KB, 652); these limits are far above any real decision and far below harm.
MAX_BYTES = 2_000_000
MAX_VALUES = 20_000  # keys aside; each use of an alias counts everything it stands for
MAX_DEPTH = 40


@dataclass
class Source:
    """Data read from one file, and the 1-based (line, column) of each value and key.

    `problems` are what the reader refused in a file it could still read (duplicate keys,
    characters a document cannot hold, slips YAML reads without complaint); `flawed` the
    top-level keys they stand under, whose sections hold something other than what was meant;
    `misread` the fields whose values they are about, which need no other complaint. `text` is
    the text parsed, for explaining a problem where it stands."""

    path: Path
    data: Any
    values: dict[Loc, tuple[int, int]] = field(default_factory=dict)
    keys: dict[Loc, tuple[int, int]] = field(default_factory=dict)
    text: str = ""
    problems: list[Problem] = field(default_factory=list)
    flawed: set[str] = field(default_factory=set)
    misread: set[str] = field(default_factory=set)

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
    """('part_1', 0, 'heading') → 'part_1[0].heading'; a key with a line break or other
    unprintable character is quoted and escaped, so that a problem stays on one line."""
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
            continue
        name = str(part) if str(part).isprintable() else repr(str(part))
        text += f".{name}" if text else name
    return text or "(file)"


def read_input_bytes(path: Path) -> bytes:
    """The bytes of the input at `path`, never more than MAX_BYTES of them, judged by fstat before
    any is read (generator.bounded_files); InputError if unreadable, not a file, or larger."""

    def refused(message: str) -> InputError:
        return InputError([Problem(path, 1, 1, "(file)", message)])

    try:
        return read_bounded(path, limit=MAX_BYTES)
    except FileNotFoundError:
        raise refused("no such file") from None
    except IsADirectoryError:
        raise refused("a folder, not an input file") from None
    except OSError as exc:
        raise refused(exc.strerror or str(exc)) from None
    except NotAFile as exc:
        raise refused(f"not a regular file but {exc.kind}: an input is a YAML file") from None
    except TooLarge:
        raise refused(f"larger than the {MAX_BYTES // 1_000_000} MB an input may be (a decision input is tens of kilobytes)") from None
