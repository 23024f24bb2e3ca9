"""What a .docx package may be before grantdocs opens it: bounded, and holding nothing active.

Templates are edited by many hands and `diff`/`check` read files from anywhere, so every package is
read with its sizes checked first: the file's with stat, each member's from the zip directory
before it is inflated (a zip bomb is refused, not inflated), and zipfile itself stops a member at
its declared size. A template must also hold nothing that acts or fetches: macros, ActiveX and
OLE objects, relationships to anything outside the package (remote images, linked templates),
or a DOCTYPE (entities) in any XML part. So neither a render nor LibreOffice converting its
output has anything to run or fetch.
"""

from __future__ import annotations

import io
import re
import struct
import zipfile
import zlib
from collections.abc import Collection
from pathlib import Path

from lxml import etree

from generator.bounded_files import NotAFile, TooLarge, read_bounded
from generator.docx.ooxml import CONTENT_TYPES, RELATIONSHIPS
from generator.errors import PackageError

MAX_FILE_BYTES = 50_000_000  # a package on disk; the largest real template is ~60 KB
MAX_MEMBER_BYTES = 50_000_000  # one member, inflated
MAX_TOTAL_BYTES = 200_000_000  # all members, inflated
MAX_MEMBERS = 5_000
MAX_RATIO = 200  # inflated / compressed, for a member past _RATIO_FROM: real XML deflates 5–30×
_RATIO_FROM = 1_000_000

_REL = f"{{{RELATIONSHIPS}}}Relationship"
_CT = f"{{{CONTENT_TYPES}}}"
# A hyperlink is only followed when a reader clicks it; every other external target is fetched or loaded.
_HYPERLINK = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink"
_ACTIVE_PART = re.compile(r"(^|/)(vbaProject\.bin|vbaData\.xml)$|^word/(activeX|embeddings)/", re.IGNORECASE)
_ACTIVE_TYPE = re.compile(r"macroEnabled|vbaProject|activeX|oleObject|\.ole\b", re.IGNORECASE)
_ACTIVE_REL = re.compile(r"/(vbaProject|oleObject|control|package|activeXControlBinary|wordVbaData)$")
_DOCTYPE = re.compile(rb"<!(DOCTYPE|ENTITY)", re.IGNORECASE)


def read_file(path: Path, *, what: str = "file") -> bytes:
    """The bytes of `path`, judged by fstat before any is read (generator.bounded_files):
    PackageError if too large or not a regular file; OSError as the file system raises it."""
    try:
        return read_bounded(path, limit=MAX_FILE_BYTES)
    except NotAFile as exc:
        raise PackageError(f"{what} is not a regular file but {exc.kind}") from None
    except TooLarge as exc:
        raise PackageError(f"{what} is {exc.size:,} bytes, more than the {MAX_FILE_BYTES:,} grantdocs reads") from None


def read_members(data: bytes) -> list[tuple[str, bytes]]:
    """The members of a package in their stored order, each size checked before it is inflated.
    PackageError for a damaged package or one that would inflate past the bounds."""
    package = Package(data)
    return [(info.filename, package.read_info(info)) for info in package.listed]  # a name twice, twice: each is checked


_PACKAGE_ERRORS = (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, EOFError, ValueError, NotImplementedError, RuntimeError)
_LOCAL_HEADER = struct.Struct("<IHHHHHIIIHH")


class Package:
    """A package's members read one by one, as they are asked for, within the bounds read_members
    keeps (all checked as it is opened); and a member's stored (compressed) bytes, by which two
    packages' parts can be told the same without inflating either."""

    def __init__(self, data: bytes, *, only: Collection[str] | None = None) -> None:
        self.data = data
        try:
            self._archive = zipfile.ZipFile(io.BytesIO(data))
            infos = self._archive.infolist()
        except _PACKAGE_ERRORS as exc:
            raise PackageError(f"not a Word document: {exc}") from None
        _check_sizes(infos)
        self.listed = [info for info in infos if only is None or info.filename in only]
        self.infos = {info.filename: info for info in self.listed}

    def read(self, name: str) -> bytes | None:
        info = self.infos.get(name)
        return None if info is None else self.read_info(info)

    def read_info(self, info: zipfile.ZipInfo) -> bytes:
        try:
            return self._archive.read(info)
        except _PACKAGE_ERRORS as exc:  # RuntimeError: an encrypted member; NotImplementedError: an unknown compression method
            raise PackageError(f"not a Word document: {exc}") from None

    def stored(self, name: str) -> tuple[int, int, bytes] | None:
        """(compression method, CRC, the stored bytes) of member `name`, or None if there is none
        or its local header does not match the directory (then only its inflated bytes say)."""
        info = self.infos.get(name)
        if info is None or info.header_offset + _LOCAL_HEADER.size > len(self.data):
            return None
        header = _LOCAL_HEADER.unpack_from(self.data, info.header_offset)
        if header[0] != 0x04034B50:
            return None
        start = info.header_offset + _LOCAL_HEADER.size + header[9] + header[10]
        stored = self.data[start : start + info.compress_size]
        return (info.compress_type, info.CRC, stored) if len(stored) == info.compress_size else None


def _check_sizes(infos: list[zipfile.ZipInfo]) -> None:
    if len(infos) > MAX_MEMBERS:
        raise PackageError(f"the package has {len(infos):,} members, more than the {MAX_MEMBERS:,} a Word document may have")
    total = 0
    for info in infos:
        if info.file_size > MAX_MEMBER_BYTES:
            raise PackageError(f"{info.filename}: would inflate to {info.file_size:,} bytes, more than {MAX_MEMBER_BYTES:,}")
        if info.file_size > _RATIO_FROM and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            ratio = info.file_size // max(info.compress_size, 1)
            raise PackageError(f"{info.filename}: would inflate {ratio:,} times over, more than the {MAX_RATIO} a document's parts do")
        total += info.file_size
        if total > MAX_TOTAL_BYTES:
            raise PackageError(f"the package would inflate to more than {MAX_TOTAL_BYTES:,} bytes")


def declarations(members: list[tuple[str, bytes]]) -> list[str]:
    """Every XML part with a DOCTYPE or entity declaration, as `part: why`: checked before any
    part is parsed, since a parser would expand what they declare."""
    return [f"{name}: a DOCTYPE or entity declaration is not allowed" for name, data in members if _DOCTYPE.search(data)]


def active_content(members: list[tuple[str, bytes]]) -> list[str]:
    """Every `part: why` that makes a package act or fetch (see the module docstring); empty if none."""
    found = declarations(members)
    for name, data in members:
        if _ACTIVE_PART.search(name):
            found.append(f"{name}: macros, ActiveX or embedded objects are not allowed in a template")
        elif name == "[Content_Types].xml":
            found += [
                f"{name}: {kind}: macro-enabled or embedded content is not allowed"
                for kind in _content_types(data)
                if _ACTIVE_TYPE.search(kind)
            ]
        elif name.endswith(".rels"):
            found += [f"{name}: {why}" for why in _relationship_problems(data)]
    return found


def missing_targets(members: list[tuple[str, bytes]]) -> list[str]:
    """Every relationship inside the package whose target is not one of its parts, as `part: why`:
    Word calls such a file unreadable."""
    names = {name for name, _ in members}
    found = []
    for name, data in members:
        if not name.endswith(".rels"):
            continue
        root = _xml(data)
        folder = name.rsplit("_rels/", 1)[0]  # what the targets are relative to
        for rel in () if root is None else root.iter(_REL):
            target = rel.get("Target", "").split("#", 1)[0]
            if rel.get("TargetMode") == "External" or not target:
                continue
            if resolve_target(folder, target) not in names:
                found.append(f"{name}: relationship {rel.get('Id')} points to {target!r}, which is not in the package")
    return found


def resolve_target(folder: str, target: str) -> str:
    """The part a relationship's `target` names, from a .rels file about `folder` (e.g. "word/")."""
    path = target.lstrip("/") if target.startswith("/") else folder + target
    parts: list[str] = []
    for part in path.split("/"):
        if part == "..":
            if parts:
                parts.pop()
        elif part not in ("", "."):
            parts.append(part)
    return "/".join(parts)


def _content_types(data: bytes) -> list[str]:
    root = _xml(data)
    return [] if root is None else [e.get("ContentType", "") for e in root if e.tag in (f"{_CT}Default", f"{_CT}Override")]


def _relationship_problems(data: bytes) -> list[str]:
    root = _xml(data)
    if root is None:
        return ["not readable XML"]
    found = []
    for rel in root.iter(_REL):
        kind, target = rel.get("Type", ""), rel.get("Target", "")
        if _ACTIVE_REL.search(kind):
            found.append(f"relationship {rel.get('Id')}: an embedded object or macro ({kind.rsplit('/', 1)[-1]}) is not allowed")
        elif rel.get("TargetMode") == "External" and kind != _HYPERLINK:
            found.append(
                f"relationship {rel.get('Id')}: links to {target!r} outside the package ({kind.rsplit('/', 1)[-1]}), which a reader would fetch"
            )
    return found


def _xml(data: bytes) -> etree._Element | None:
    try:
        return etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False))
    except etree.XMLSyntaxError:
        return None
