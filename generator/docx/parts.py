"""A document's parts by name, each XML part parsed at most once, when first asked for: so that
comparing two documents' text and their formatting (a batch's change summary, `grantdocs diff`)
reads and parses each part once, and parses none that is the same in both.
"""

from __future__ import annotations

from collections.abc import Mapping

from lxml import etree

from generator.docx.ooxml import parse_part
from generator.docx.package_check import declarations, read_members
from generator.errors import PackageError


class Parts:
    """The parts of one .docx: given as a render has them (uncompressed, by name), or unzipped
    from its bytes (within bounds: package_check.read_members), only those named in `only`."""

    def __init__(self, source: bytes | Mapping[str, bytes], *, only: frozenset[str] | None = None) -> None:
        if isinstance(source, bytes):
            self.raw: Mapping[str, bytes] = dict(read_members(source, only=only))
        else:
            self.raw = source
        self._roots: dict[str, etree._Element] = {}

    def get(self, name: str) -> bytes | None:
        return self.raw.get(name)

    def root(self, name: str) -> etree._Element | None:
        """The part `name` parsed, or None if the document has none. PackageError if it declares
        entities (checked before a parser sees it) or is not well-formed XML."""
        if name in self._roots:
            return self._roots[name]
        data = self.raw.get(name)
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
