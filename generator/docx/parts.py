"""A document's parts by name, each XML part parsed at most once, when first asked for: so that
comparing two documents' text and their formatting (a batch's change summary, `grantdocs diff`)
reads and parses each part once, and parses none that is the same in both.
"""

from __future__ import annotations

from collections.abc import Mapping

from lxml import etree

from generator.docx.ooxml import parse_part
from generator.docx.package_check import Package, declarations
from generator.errors import PackageError


class Parts:
    """The parts of one .docx: given as a render has them (uncompressed, by name, with `stored`,
    each as it was zipped, if known), or unzipped from its bytes (within bounds:
    package_check.Package), only those named in `only`, each inflated when first asked for."""

    def __init__(
        self,
        source: bytes | Mapping[str, bytes],
        *,
        only: frozenset[str] | None = None,
        stored: Mapping[str, tuple[int, int, bytes]] | None = None,
    ) -> None:
        self._package: Package | None
        if isinstance(source, bytes):
            self._package, self._raw, self._stored = Package(source, only=only), {}, {}
        else:
            self._package, self._raw, self._stored = None, dict(source), dict(stored or {})
        self._roots: dict[str, etree._Element] = {}

    def get(self, name: str) -> bytes | None:
        if name not in self._raw and self._package is not None and name in self._package.infos:
            data = self._package.read(name)
            if data is not None:
                self._raw[name] = data
        return self._raw.get(name)

    def same(self, name: str, other: Parts) -> bool:
        """Whether part `name` is the same in both (both missing counts). The same stored bytes,
        compressed the same way, inflate to the same part: told without inflating either, which
        is what a change summary meets most (a document's body untouched by a style edit)."""
        mine, theirs = self._stored_as(name), other._stored_as(name)
        if mine is not None and theirs is not None and mine == theirs:
            return True
        return self.get(name) == other.get(name)

    def _stored_as(self, name: str) -> tuple[int, int, bytes] | None:
        return self._package.stored(name) if self._package is not None else self._stored.get(name)

    def root(self, name: str) -> etree._Element | None:
        """The part `name` parsed, or None if the document has none. PackageError if it declares
        entities (checked before a parser sees it) or is not well-formed XML."""
        if name in self._roots:
            return self._roots[name]
        data = self.get(name)
        if data is None:
            return None
        problems = declarations([(name, data)])
        if problems:
            raise PackageError(problems[0])
        try:
            root = self._roots[name] = parse_part(data)
        except etree.LxmlError as exc:
            raise PackageError(f"not a Word document: malformed XML in {name}: {exc}") from None
        return root
