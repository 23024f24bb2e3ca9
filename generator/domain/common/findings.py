"""A rule broken by an otherwise well-formed input, located by field path."""

from __future__ import annotations

from dataclasses import dataclass
from difflib import get_close_matches

Loc = tuple[str | int, ...]


@dataclass(frozen=True)
class Finding:
    """`loc` is the field at fault; `related`, when set, is the other place it disagrees with."""

    loc: Loc
    message: str
    related: Loc | None = None


def suggestion(name: str, known: list[str]) -> str:
    """' (did you mean 'x'?)' for the closest known name, else the list of known names."""
    close = get_close_matches(name, known, n=1, cutoff=0.6) or [k for k in known if k.startswith(name)][:1]
    if close:
        return f" (did you mean {close[0]!r}?)"
    return f" (expected one of: {', '.join(known)})" if known else ""
