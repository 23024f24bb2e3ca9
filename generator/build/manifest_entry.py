"""One output's record in the manifest: what it was made from, written as a line of JSON and read
back untrusted, with what thousands of records repeat held once.

A batch over 10,000 inputs keeps 28,000 of these in memory and writes them as it goes, so each
is small (slots; the generator, the templates and an input's shared values one object each) and
is encoded straight to text, not through a dict.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace
from json.encoder import encode_basestring_ascii as _text  # what json.dumps writes a string as, in C


@dataclass(frozen=True, slots=True)
class Entry:
    """One output: the input and templates it was made from, and its own hash; with the stamps
    (stamps.py) of the input and of the output when they were hashed, "" if none was taken."""

    input: str
    input_sha256: str
    templates: dict[str, str]
    generator: str
    sha256: str
    siblings: list[str] = field(default_factory=list)  # every output of the same input, this one included
    input_stamp: str = ""
    stamp: str = ""


_FIELDS = frozenset(f.name for f in fields(Entry))
_REQUIRED = frozenset({"input", "input_sha256", "generator", "sha256"})


def encoded(entry: Entry, shared: Shared | None = None) -> str:
    """The entry as JSON: what json.dumps(asdict(entry), sort_keys=True) gives, several times faster
    (and faster again with the `shared` values it holds, whose JSON is made once)."""
    templates = shared.templates_text(entry.templates) if shared is not None else _templates_text(entry.templates)
    return (
        f'{{"generator": {_text(entry.generator)}, "input": {_text(entry.input)}, "input_sha256": {_text(entry.input_sha256)}, '
        f'"input_stamp": {_text(entry.input_stamp)}, "sha256": {_text(entry.sha256)}, '
        f'"siblings": [{", ".join(map(_text, entry.siblings))}], "stamp": {_text(entry.stamp)}, "templates": {{{templates}}}}}'
    )


def _templates_text(templates: dict[str, str]) -> str:
    return ", ".join(f"{_text(name)}: {_text(sha)}" for name, sha in sorted(templates.items()))


class Shared:
    """One object for each value that every input's entries repeat: the generator, and the
    templates with their hashes. Each such value's shape is checked once."""

    def __init__(self) -> None:
        self._texts: dict[str, str] = {}
        self._templates: dict[tuple[tuple[str, str], ...], dict[str, str]] = {}
        self._templates_texts: dict[int, str] = {}  # by the id of a shared dict (held here, so the id is its own)

    def entry(self, entry: Entry) -> Entry:
        """`entry` (as a worker sent it) holding the shared generator and templates."""
        generator, templates = self.text(entry.generator), self.templates(entry.templates)
        if generator is entry.generator and templates is entry.templates:
            return entry
        assert templates is not None  # a worker's are always text
        return replace(entry, generator=generator, templates=templates)

    def templates_text(self, templates: dict[str, str]) -> str:
        """The JSON inside the braces of `templates`, made once for a shared dict."""
        text = self._templates_texts.get(id(templates))
        if text is None:
            text = _templates_text(templates)
            if any(templates is known for known in self._templates.values()):
                self._templates_texts[id(templates)] = text
        return text

    def text(self, value: str) -> str:
        return self._texts.setdefault(value, value)

    def templates(self, value: object) -> dict[str, str] | None:
        """The shared dict equal to `value`, or None if `value` is not a dict of texts."""
        if not isinstance(value, dict):
            return None
        try:
            key = tuple(value.items())
            known = self._templates.get(key)
        except TypeError:  # a list or dict where a hash belongs: not grantdocs' shape
            return None
        if known is None:
            if not all(isinstance(name, str) and isinstance(sha, str) for name, sha in key):
                return None
            known = self._templates[key] = {self.text(name): self.text(sha) for name, sha in key}
        return known


class EntryReader:
    """Reads the entries of one manifest file, untrusted: an entry not in the shape grantdocs
    writes is None. What the outputs of one input share (its name, hash and stamp, the list of
    them) is held once, as the entries a worker sends hold it."""

    def __init__(self, shared: Shared) -> None:
        self._shared = shared
        self._texts: dict[str, str] = {}
        self._siblings: dict[str, list[str]] = {}  # by the first of them

    def read(self, raw: object) -> Entry | None:
        """The Entry a manifest's JSON describes, or None. (Each type asked for in turn, not in a
        loop: a manifest has an entry per output.)"""
        if not isinstance(raw, dict) or not _REQUIRED <= raw.keys() <= _FIELDS:
            return None
        texts = (raw["input"], raw["input_sha256"], raw["generator"], raw["sha256"], raw.get("input_stamp", ""), raw.get("stamp", ""))
        if not all(isinstance(t, str) for t in texts):
            return None
        templates, siblings = self._shared.templates(raw.get("templates", {})), self._siblings_of(raw.get("siblings", []))
        if templates is None or siblings is None:
            return None
        same = self._texts
        return Entry(
            input=same.setdefault(texts[0], texts[0]),
            input_sha256=same.setdefault(texts[1], texts[1]),
            templates=templates,
            generator=self._shared.text(texts[2]),
            sha256=texts[3],
            siblings=siblings,
            input_stamp=same.setdefault(texts[4], texts[4]),
            stamp=texts[5],
        )

    def _siblings_of(self, value: object) -> list[str] | None:
        if not isinstance(value, list):
            return None
        known = self._siblings.get(value[0]) if value and isinstance(value[0], str) else None
        if known is not None and known == value:
            return known
        if not all(isinstance(name, str) for name in value):
            return None
        if value:
            self._siblings[value[0]] = value
        return value
