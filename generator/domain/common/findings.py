"""A rule broken by an otherwise well-formed input, located by field path."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from difflib import get_close_matches

Loc = tuple[str | int, ...]


@dataclass(frozen=True)
class Finding:
    """`loc` is the field at fault; `related`, when set, is the other place it disagrees with.
    A `warning` is reported without stopping anything: something the officer should look at
    (a sum in the text that matches no typed figure) but may mean."""

    loc: Loc
    message: str
    related: Loc | None = None
    warning: bool = False


def closest(name: str, known: Iterable[str]) -> str | None:
    """The known name most like `name` (difflib's ratio 0.6 or more), or None: the one measure of
    a likely misspelling, for inputs and templates alike."""
    match = get_close_matches(name, list(known), n=1, cutoff=0.6)
    return match[0] if match else None


def suggestion(name: str, known: list[str]) -> str:
    """' (did you mean 'x'?)' for the closest known name (or one `name` begins), else the list of known names."""
    close = closest(name, known) or next((k for k in known if k.startswith(name)), None)
    if close:
        return f" (did you mean {close!r}?)"
    return f" (expected one of: {', '.join(known)})" if known else ""
