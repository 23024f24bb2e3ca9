"""Copies of the project's templates with one part edited, as a template owner's change (or
slip) in Word would leave them; and packages zipped from parts a test has edited."""

from __future__ import annotations

import io
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


REPORT_PARAGRAPH = '<w:style w:type="paragraph" w:styleId="ReportParagraph"><w:name w:val="Report Paragraph"/>'


def more_space_before_report_paragraphs(styles: str) -> str:
    """mps-report.docx's styles (or a report's) with 12 pt before Report Paragraph instead of 6 pt:
    a style-only edit."""
    at = styles.index(REPORT_PARAGRAPH)
    return styles[:at] + styles[at:].replace('w:before="120"', 'w:before="240"', 1)


def zipped(members: dict[str, bytes]) -> bytes:
    """A package of `members`, in their order."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        for name, data in members.items():
            package.writestr(name, data)
    return buffer.getvalue()
