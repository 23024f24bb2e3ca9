"""Copies of the project's templates with one part edited, as a template owner's change (or
slip) in Word would leave them."""

from __future__ import annotations

import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path

TEMPLATES = Path(__file__).resolve().parent.parent.parent / "templates"


def copy_templates(folder: Path) -> Path:
    """A copy of templates/ in `folder`, for a test to edit."""
    templates = folder / "templates"
    shutil.copytree(TEMPLATES, templates)
    return templates


def edit_part(path: Path, edit: Callable[[str], str], part: str = "word/document.xml") -> None:
    """Rewrite `part` of the package at `path` with `edit`, which must change it."""
    with zipfile.ZipFile(path) as src:
        members = [(info, src.read(info)) for info in src.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for info, data in members:
            if info.filename == part:
                xml = data.decode("utf-8")
                edited = edit(xml)
                assert edited != xml, f"the edit changed nothing in {part}"
                data = edited.encode("utf-8")
            dst.writestr(info, data)
