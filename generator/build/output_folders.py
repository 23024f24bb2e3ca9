"""Where documents are written: the Part 1 documents in the output folder, Part 2 in a
confidential folder apart from it, so that whoever publishes the output folder cannot publish a
Part 2 by forgetting to leave it out.

A batch's manifest names every output by its path in its folder; a Part 2's name starts with
`confidential:` (`confidential:pcd-1760/pcd-1760-part-2.docx`), so one manifest in the output
folder records both folders and no name can mean a file in the other.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from generator.build.files import inside
from generator.errors import OutputError, quoted_path

CONFIDENTIAL = "confidential:"
_SUFFIX = "-confidential"


def default_confidential(out: Path) -> Path:
    """The confidential folder beside `out`, named after it: `outputs` → `outputs-confidential`."""
    named = out if out.name not in ("", ".", "..") else Path(os.path.abspath(out))
    if named.name == "":
        raise OutputError(f"there is no folder beside {quoted_path(out)} to keep Part 2 in: give one with --confidential")
    return named.with_name(named.name + _SUFFIX)


def relation(folder: Path, other: Path) -> str | None:
    """How `folder` overlaps `other` ("is", "is inside", "holds"), or None if they are apart.
    Judged on the real paths, links resolved, so a link cannot hide one folder inside the other."""
    a, b = folder.resolve(), other.resolve()
    if a == b:
        return "is"
    if a.is_relative_to(b):
        return "is inside"
    if b.is_relative_to(a):
        return "holds"
    return None


@dataclass(frozen=True)
class OutputFolders:
    """The output folder and the confidential folder of one run, checked apart."""

    out: Path
    confidential: Path

    @classmethod
    def of(cls, out: Path, confidential: Path | None = None) -> OutputFolders:
        """The folders a run writes to; OutputError if the confidential folder overlaps the output folder."""
        confidential = default_confidential(out) if confidential is None else confidential
        how = relation(confidential, out)
        if how is not None:
            raise OutputError(
                f"refusing --confidential {quoted_path(confidential)}: it {how} the output folder {quoted_path(out)}, "
                "and Part 2 must be kept apart from the documents to publish: choose a folder outside it"
            )
        return cls(out, confidential)

    def root(self, *, confidential: bool) -> Path:
        return self.confidential if confidential else self.out

    def name(self, path: Path, *, confidential: bool) -> str:
        """The manifest's name of `path`, an output in the folder `confidential` says."""
        root = self.root(confidential=confidential)
        prefix, within = f"{root}{os.sep}", str(path)
        # What relative_to and as_posix say, read from the text: two Paths made for every document cost more.
        rel = within[len(prefix) :].replace(os.sep, "/") if within.startswith(prefix) else path.relative_to(root).as_posix()
        return CONFIDENTIAL + rel if confidential else rel

    def split(self, name: str) -> tuple[Path, str]:
        """The folder a manifest's name is in, and its path in that folder."""
        if name.startswith(CONFIDENTIAL):
            return self.confidential, name.removeprefix(CONFIDENTIAL)
        return self.out, name

    def path(self, name: str) -> Path:
        """Where a manifest's name is, for reading (which never follows a link to the file itself)."""
        root, rel = self.split(name)
        return root / rel

    def path_text(self, name: str) -> str:
        """`path(name)` as text, made without a Path: a rerun looks at every output."""
        if name.startswith(CONFIDENTIAL):
            return f"{self.confidential}/{name[len(CONFIDENTIAL) :]}"
        return f"{self.out}/{name}"

    def inside(self, name: str) -> Path:
        """Where a manifest's name is, for writing or removing: OutputError if it could lead out of its folder."""
        root, rel = self.split(name)
        return inside(root, rel)
