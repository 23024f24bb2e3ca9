"""Packages are checked before use: a template that would act, fetch or inflate past its bounds is
refused naming itself and its part; a hostile .docx or PDF given to `diff` or `check` is one line."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli import app
from generator.docx import package_check
from generator.docx.package_check import read_members
from generator.errors import PackageError
from generator.pdf.conversion import _inspect
from tests.conftest import MINIMAL, ROOT
from tests.support.templates import copy_templates, edit_part

runner = CliRunner()
FORM = "dmpc-decision-2022.docx"
_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def _add_member(path: Path, name: str, data: bytes, *, compress: int = zipfile.ZIP_DEFLATED) -> None:
    with zipfile.ZipFile(path, "a", compress) as archive:
        archive.writestr(name, data)


def _add_relationship(path: Path, rel: str, part: str = "word/_rels/document.xml.rels") -> None:
    edit_part(path, lambda xml: xml.replace("</Relationships>", rel + "</Relationships>"), part)


def _generate(tmp_path: Path, templates: Path) -> tuple[int, str, Path]:
    out = tmp_path / "out"
    result = runner.invoke(app, ["generate", str(MINIMAL), "--out", str(out), "--templates", str(templates)])
    assert "Traceback" not in result.output
    return result.exit_code, result.stderr, out


HOSTILE = [  # (what the template owner's file holds, how it is put there, what the error says)
    ("a macro project", lambda p: _add_member(p, "word/vbaProject.bin", b"\xd0\xcf\x11\xe0"), "word/vbaProject.bin: macros, ActiveX"),
    (
        "a macro-enabled content type",
        lambda p: edit_part(
            p,
            lambda x: x.replace(
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
                "application/vnd.ms-word.document.macroEnabled.main+xml",
            ),
            "[Content_Types].xml",
        ),
        "[Content_Types].xml: application/vnd.ms-word.document.macroEnabled.main+xml: macro-enabled",
    ),
    ("an ActiveX control", lambda p: _add_member(p, "word/activeX/activeX1.xml", b"<ax/>"), "word/activeX/activeX1.xml: macros, ActiveX"),
    (
        "an OLE object",
        lambda p: _add_relationship(p, f'<Relationship Id="rIdX" Type="{_R}/oleObject" Target="embeddings/oleObject1.bin"/>'),
        "relationship rIdX: an embedded object or macro (oleObject)",
    ),
    (
        "a remote image",
        lambda p: _add_relationship(
            p, f'<Relationship Id="rIdX" Type="{_R}/image" Target="http://198.51.100.7/pixel.png" TargetMode="External"/>'
        ),
        "word/_rels/document.xml.rels: relationship rIdX: links to 'http://198.51.100.7/pixel.png' outside the package (image)",
    ),
    (
        "a linked subdocument",
        lambda p: _add_relationship(
            p, f'<Relationship Id="rIdX" Type="{_R}/subDocument" Target="file:///srv/share/other.docx" TargetMode="External"/>'
        ),
        "outside the package (subDocument)",
    ),
    (
        "a DOCTYPE in the body",
        lambda p: edit_part(p, lambda x: x.replace("?>", '?><!DOCTYPE w [<!ENTITY e SYSTEM "file:///etc/passwd">]>', 1)),
        "word/document.xml: a DOCTYPE or entity declaration is not allowed",
    ),
    (
        "entities in the content types",
        lambda p: edit_part(p, lambda x: x.replace("?>", '?><!DOCTYPE t [<!ENTITY a "aaaa">]>', 1), "[Content_Types].xml"),
        "[Content_Types].xml: a DOCTYPE or entity declaration is not allowed",
    ),
    (
        "a zip bomb",
        lambda p: _add_member(p, "word/media/bomb.xml", b"\0" * 5_000_000),
        "times over, more than the 200 a document's parts do",
    ),
]


@pytest.mark.parametrize(("what", "plant", "why"), HOSTILE, ids=[h[0] for h in HOSTILE])
def test_a_template_holding_active_or_external_content_is_refused(tmp_path: Path, what: str, plant: object, why: str) -> None:
    templates = copy_templates(tmp_path)
    plant(templates / FORM)  # type: ignore[operator]
    code, stderr, out = _generate(tmp_path, templates)
    assert code == 1
    assert stderr.startswith(f"{templates / FORM}: "), stderr
    assert why in stderr, stderr
    assert not out.exists() or not any(out.rglob("*.docx"))
    check = runner.invoke(app, ["templates", "check", "--templates", str(templates)])
    assert check.exit_code == 1 and why in check.output, check.output


def test_what_word_itself_saves_is_accepted(tmp_path: Path) -> None:
    """Word links every file to its owner's Normal.dotm (removed as a trace), and a hyperlink is
    only followed when a reader clicks it: neither is refused."""
    templates = copy_templates(tmp_path)
    _add_relationship(
        templates / FORM, f'<Relationship Id="rIdH" Type="{_R}/hyperlink" Target="https://www.london.gov.uk/" TargetMode="External"/>'
    )
    _add_member(
        templates / FORM,
        "word/_rels/settings.xml.rels",
        f'<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f'<Relationship Id="rIdT" Type="{_R}/attachedTemplate" Target="file:///C:/Users/a/Normal.dotm" TargetMode="External"/>'
        f"</Relationships>".encode(),
    )
    code, stderr, out = _generate(tmp_path, templates)
    assert code == 0, stderr
    assert (out / "minimal" / "minimal-decision-form.docx").is_file()


@pytest.mark.parametrize(
    ("bound", "value", "why"),
    [
        ("MAX_FILE_BYTES", 10_000, "bytes, more than the 10,000 grantdocs reads"),  # the real template is 13 KB
        ("MAX_MEMBER_BYTES", 10_000, "word/document.xml: would inflate to"),
        ("MAX_TOTAL_BYTES", 50_000, "the package would inflate to more than 50,000 bytes"),
        ("MAX_MEMBERS", 5, "members, more than the 5 a Word document may have"),
    ],
)
def test_each_bound_is_checked_before_inflating(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, bound: str, value: int, why: str) -> None:
    templates = copy_templates(tmp_path)
    monkeypatch.setattr(package_check, bound, value)
    inflated: list[str] = []

    def read(self: zipfile.ZipFile, name: object, pwd: bytes | None = None) -> bytes:
        inflated.append(str(name))
        return b""

    monkeypatch.setattr(zipfile.ZipFile, "read", read)
    code, stderr, _ = _generate(tmp_path, templates)
    assert code == 1 and why in stderr, stderr
    assert inflated == [], "refused from the zip directory, before any member was inflated"


# ------------------------------------------------------------------------ files given to diff and check


def _encrypted(path: Path, good: Path) -> None:
    """What Word writes for a password-protected document: an OLE compound file, not a zip."""
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504 + b"EncryptedPackage" + b"\0" * 1000)


def _truncated(path: Path, good: Path) -> None:
    path.write_bytes(good.read_bytes()[:3000])


def _bad_deflate(path: Path, good: Path) -> None:
    data = bytearray(good.read_bytes())
    start = data.index(b"word/document.xml") + len("word/document.xml") + 40
    data[start : start + 200] = bytes(200)
    path.write_bytes(bytes(data))


def _bomb(path: Path, good: Path) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b" " * 60_000_000)


def _doctype(path: Path, good: Path) -> None:
    shutil.copy(good, path)
    edit_part(path, lambda x: x.replace("?>", '?><!DOCTYPE d [<!ENTITY a "a">]>', 1))


@pytest.fixture(scope="module")
def minimal_docx(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("docx")
    result = runner.invoke(app, ["generate", str(MINIMAL), "--out", str(out)])
    assert result.exit_code == 0
    return out / "minimal" / "minimal-decision-form.docx"


DAMAGED = [
    ("encrypted", _encrypted, "not a Word document: File is not a zip file"),
    ("truncated", _truncated, "not a Word document"),
    ("bad deflate", _bad_deflate, "not a Word document"),
    ("zip bomb", _bomb, "word/document.xml: would inflate"),
    ("doctype", _doctype, "a DOCTYPE or entity declaration is not allowed"),
]


@pytest.mark.parametrize(("what", "damage", "why"), DAMAGED, ids=[d[0] for d in DAMAGED])
def test_a_damaged_or_hostile_docx_given_to_diff_or_check_is_one_line(
    tmp_path: Path, minimal_docx: Path, what: str, damage: object, why: str
) -> None:
    bad = tmp_path / "bad.docx"
    damage(bad, minimal_docx)  # type: ignore[operator]
    for command in (["diff", str(minimal_docx), str(bad)], ["check", str(bad), str(minimal_docx)]):
        result = runner.invoke(app, command)
        assert result.exit_code == 1, result.output
        assert ("Traceback" not in result.output and result.exception is None) or isinstance(result.exception, SystemExit)
        (line,) = [line for line in result.output.splitlines() if str(bad) in line]
        assert why in line, line
    check = runner.invoke(app, ["check", str(bad), str(minimal_docx)])
    assert f"{minimal_docx}: ok" in check.output, "the other file is still checked"


PDFS = [
    ("not a PDF", b"<html>hello</html>"),
    ("truncated", b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R"),
    ("encrypted", b"%PDF-1.7\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R/Encrypt<</Filter/Standard/V 5/R 6>>>>\n%%EOF"),
    ("self-referencing", b"%PDF-1.7\n1 0 obj<</Type/Catalog/Pages 1 0 R/MarkInfo 1 0 R>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF"),
]


@pytest.mark.parametrize(("what", "data"), PDFS, ids=[p[0] for p in PDFS])
def test_a_damaged_or_hostile_pdf_given_to_check_is_one_line(tmp_path: Path, what: str, data: bytes) -> None:
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(data)
    result = runner.invoke(app, ["check", str(bad)])
    assert result.exit_code == 1
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert all(line.startswith(f"{bad}: ") for line in result.output.splitlines()), result.output


def test_libreoffice_is_never_given_a_package_that_could_fetch(tmp_path: Path, minimal_docx: Path) -> None:
    docx = tmp_path / "linked.docx"
    shutil.copy(minimal_docx, docx)
    _add_relationship(docx, f'<Relationship Id="rIdX" Type="{_R}/image" Target="http://198.51.100.7/x.png" TargetMode="External"/>')
    assert "outside the package (image)" in (_inspect(docx)[0] or "")
    assert _inspect(minimal_docx)[0] is None


def test_read_members_refuses_an_unknown_compression(tmp_path: Path) -> None:
    path = tmp_path / "odd.docx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_LZMA) as archive:
        archive.writestr("word/document.xml", b"<w/>")
    data = bytearray(path.read_bytes())
    data[8:10] = (99).to_bytes(2, "little")  # the local header's method: AES, which zipfile cannot read
    data[data.index(b"PK\x01\x02") + 10 : data.index(b"PK\x01\x02") + 12] = (99).to_bytes(2, "little")
    with pytest.raises(PackageError, match="not a Word document"):
        read_members(bytes(data))


# ------------------------------------------------------------------------------ valid packages

_DRAWING = (
    '<w:r><w:drawing><wp:inline><wp:extent cx="9525" cy="9525"/><wp:docPr id="7" name="Picture" descr="A picture"/>'
    "</wp:inline></w:drawing></w:r>"
)


def test_ids_are_unique_across_parts_and_loops(tmp_path: Path) -> None:
    """A picture in the header and one in a looped paragraph, each paragraph with Word 2010 ids:
    the loop repeats them, and the header's picture has the body's id, until they are renumbered."""
    templates = copy_templates(tmp_path)
    looped = '<w:p><w:pPr><w:pStyle w:val="Normal"/></w:pPr><w:r><w:t xml:space="preserve">{{ para.text }}</w:t></w:r>'
    edit_part(
        templates / FORM,
        lambda xml: xml.replace(
            looped,
            looped.replace("<w:p>", '<w:p w14:paraId="1A2B3C4D" w14:textId="77777777">', 1) + _DRAWING,
            1,
        ),
    )
    edit_part(templates / FORM, lambda xml: xml.replace("</w:p>", _DRAWING + "</w:p>", 1), "word/header1.xml")
    source = tmp_path / "three.yaml"
    summary = "    - This paper seeks approval to accept £10,000 of grant."
    source.write_text(MINIMAL.read_text(encoding="utf-8").replace(summary, "\n".join([summary] * 3)), encoding="utf-8")
    out = tmp_path / "out"
    result = runner.invoke(app, ["generate", str(source), "--out", str(out), "--templates", str(templates)])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    with zipfile.ZipFile(out / "three" / "three-decision-form.docx") as package:
        xml = "".join(package.read(n).decode() for n in package.namelist() if n.startswith("word/") and n.endswith(".xml"))
    drawings = re.findall(r'<wp:docPr id="(\d+)"', xml)
    paragraphs = re.findall(r'w14:paraId="([0-9A-F]{8})"', xml)
    texts = re.findall(r'w14:textId="([0-9A-F]{8})"', xml)
    assert len(drawings) >= 4 and len(set(drawings)) == len(drawings), drawings
    assert len(paragraphs) >= 3 and len(set(paragraphs)) == len(paragraphs), paragraphs
    assert len(set(texts)) == len(texts)
    assert all(int(i, 16) < 0x80000000 for i in paragraphs + texts)


def test_a_relationship_to_a_missing_part_is_refused(tmp_path: Path) -> None:
    templates = copy_templates(tmp_path)
    _add_relationship(templates / FORM, f'<Relationship Id="rIdZ" Type="{_R}/image" Target="media/missing.png"/>')
    code, stderr, _ = _generate(tmp_path, templates)
    assert code == 1
    assert "word/_rels/document.xml.rels: relationship rIdZ points to 'media/missing.png', which is not in the package" in stderr


@pytest.mark.parametrize("command", ["check", "diff"])
def test_a_pipe_given_as_a_document_is_one_line_not_a_hang(tmp_path: Path, minimal_docx: Path, command: str) -> None:
    """A pipe with no writer would block a plain open() for ever: the real command, in its own
    process with a time limit."""
    pipe = tmp_path / "pipe.docx"
    os.mkfifo(pipe)
    args = [str(pipe)] if command == "check" else [str(minimal_docx), str(pipe)]
    done = subprocess.run([sys.executable, "-m", "cli", command, *args], cwd=ROOT, capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 1
    assert "is not a regular file but a pipe (FIFO)" in done.stdout + done.stderr
    assert "Traceback" not in done.stderr
