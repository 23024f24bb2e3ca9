"""Nothing of a template owner's traces reaches a generated document's parts."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

from generator.build.generate import generate
from tests.conftest import EXAMPLES, ROOT

LEAKS = ["jsmith", "Jane Smith", r"C:\Users", "Acme Consulting", "SharePointLeak", "w:rsidR", "Reviewer note"]


def dirty(template: Path) -> None:
    """Make `template` look like a file saved by a template owner in Word, with every trace."""
    with zipfile.ZipFile(template) as src:
        members = {i.filename: src.read(i) for i in src.infolist()}
    ct = members["[Content_Types].xml"].decode()
    ct = ct.replace(
        "</Types>",
        '<Override PartName="/word/comments.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.comments+xml"/>'
        '<Override PartName="/word/people.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.people+xml"/>'
        '<Override PartName="/docProps/custom.xml" ContentType="application/vnd.openxmlformats-officedocument.custom-properties+xml"/></Types>',
    )
    members["[Content_Types].xml"] = ct.encode()
    members["docProps/core.xml"] = members["docProps/core.xml"].replace(
        b"<dc:creator>MOPAC</dc:creator>", b"<dc:creator>Jane Smith</dc:creator>"
    )
    members["docProps/app.xml"] = members["docProps/app.xml"].replace(
        b"</Properties>", b"<Company>Acme Consulting</Company><Template>C:\\Users\\jsmith\\Normal.dotm</Template></Properties>"
    )
    members["docProps/custom.xml"] = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" '
        b'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"><property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="2" name="Owner">'
        b"<vt:lpwstr>jsmith SharePointLeak</vt:lpwstr></property></Properties>"
    )
    members["_rels/.rels"] = members["_rels/.rels"].replace(
        b"</Relationships>",
        b'<Relationship Id="rIdX" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/custom-properties" Target="docProps/custom.xml"/></Relationships>',
    )
    members["word/comments.xml"] = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:comments xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        b'<w:comment w:id="0" w:author="Jane Smith" w:initials="JS"><w:p><w:r><w:t>Reviewer note</w:t></w:r></w:p></w:comment></w:comments>'
    )
    members["word/people.xml"] = (
        b'<?xml version="1.0"?><w15:people xmlns:w15="http://schemas.microsoft.com/office/word/2012/wordml"><w15:person w15:author="jsmith"/></w15:people>'
    )
    rels = members["word/_rels/document.xml.rels"].decode()
    members["word/_rels/document.xml.rels"] = rels.replace(
        "</Relationships>",
        '<Relationship Id="rIdC" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments" Target="comments.xml"/>'
        '<Relationship Id="rIdP" Type="http://schemas.microsoft.com/office/2011/relationships/people" Target="people.xml"/></Relationships>',
    ).encode()
    settings = members["word/settings.xml"].decode()
    members["word/settings.xml"] = settings.replace(
        "</w:settings>", '<w:attachedTemplate r:id="rIdT"/><w:rsids><w:rsidRoot w:val="00A1B2C3"/></w:rsids></w:settings>'
    ).encode()
    members["word/_rels/settings.xml.rels"] = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        b'<Relationship Id="rIdT" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/attachedTemplate" '
        b'Target="file:///C:\\Users\\jsmith\\AppData\\Roaming\\Microsoft\\Templates\\Normal.dotm" TargetMode="External"/></Relationships>'
    )
    doc = members["word/document.xml"].decode()
    doc = doc.replace("<w:p>", '<w:p w:rsidR="00A1B2C3" w:rsidRDefault="00A1B2C3">', 3)
    doc = doc.replace(
        "<w:body>",
        '<w:body><w:p><w:commentRangeStart w:id="0"/><w:r><w:t>Note</w:t></w:r><w:commentRangeEnd w:id="0"/>'
        '<w:r><w:commentReference w:id="0"/></w:r></w:p>',
        1,
    )
    members["word/document.xml"] = doc.encode()
    with zipfile.ZipFile(template, "w", zipfile.ZIP_DEFLATED) as dst:
        for name, data in members.items():
            dst.writestr(name, data)


def test_owner_traces_in_a_template_do_not_reach_the_output(tmp_path: Path) -> None:
    templates = tmp_path / "templates"
    shutil.copytree(ROOT / "templates", templates)
    dirty(templates / "dmpc-decision-2022.docx")
    with zipfile.ZipFile(templates / "dmpc-decision-2022.docx") as planted:
        assert all(any(leak.encode() in planted.read(n) for n in planted.namelist()) for leak in LEAKS), "the test plants every trace"
    (output,) = generate(EXAMPLES / "pcd-1284.yaml", out_dir=tmp_path / "out", templates=templates, only="decision-form").outputs
    with zipfile.ZipFile(output) as archive:
        names = archive.namelist()
        found = {leak: n for n in names for leak in LEAKS if leak.encode() in archive.read(n)}
        assert found == {}
        assert not [n for n in names if "comments" in n or "people" in n or n.startswith("customXml")]
        assert "commentReference" not in archive.read("word/document.xml").decode()
        assert b"<dc:creator/>" in archive.read("docProps/core.xml")


def test_author_and_company_are_what_the_input_says(tmp_path: Path, minimal_text: str) -> None:
    source = tmp_path / "d.yaml"
    source.write_text("author: MOPAC Grants Team\ncompany: Mayor's Office for Policing & Crime\n" + minimal_text, encoding="utf-8")
    (output,) = generate(source, out_dir=tmp_path / "out").outputs
    with zipfile.ZipFile(output) as archive:
        core, app = archive.read("docProps/core.xml").decode(), archive.read("docProps/app.xml").decode()
    assert "<dc:creator>MOPAC Grants Team</dc:creator>" in core
    assert "<cp:lastModifiedBy>MOPAC Grants Team</cp:lastModifiedBy>" in core
    assert "<Company>Mayor's Office for Policing &amp; Crime</Company>" in app
