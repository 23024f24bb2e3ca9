"""Rendering is safe: escaped, sandboxed and strict, with errors that name the template."""

from __future__ import annotations

from pathlib import Path

import pytest
from docx import Document

from generator.docx.package import Properties
from generator.docx.render import render_package
from generator.errors import TemplateError


def make_template(tmp_path: Path, *paragraphs: str) -> Path:
    doc = Document()
    for text in paragraphs:
        doc.add_paragraph(text)
    path = tmp_path / "t.docx"
    doc.save(str(path))
    return path


def rendered_text(tmp_path: Path, data: bytes) -> list[str]:
    out = tmp_path / "out.docx"
    out.write_bytes(data)
    return [p.text for p in Document(str(out)).paragraphs]


def test_markup_characters_in_input_are_text(tmp_path: Path) -> None:
    template = make_template(tmp_path, "Title: {{ title }}", "After")
    data = render_package(template, {"title": 'R&D <pilot> "phase" 2 & 3'}).data
    assert rendered_text(tmp_path, data) == ['Title: R&D <pilot> "phase" 2 & 3', "After"]


def test_undefined_field_is_an_error_naming_the_template(tmp_path: Path) -> None:
    template = make_template(tmp_path, "{{ form.titel }}")
    with pytest.raises(TemplateError, match=r"t\.docx: word/document\.xml: template refers to something the input does not have"):
        render_package(template, {"form": {"title": "x"}})


def test_template_cannot_reach_python_internals(tmp_path: Path) -> None:
    template = make_template(tmp_path, "{{ cycler.__init__.__globals__.os.getcwd() }}")
    with pytest.raises(TemplateError, match=r"unsafe|does not have"):
        render_package(template, {})


def test_syntax_error_names_template_and_nearby_text(tmp_path: Path) -> None:
    template = make_template(tmp_path, "Recommendations", "{% for r in recs %}{{ r }}")
    with pytest.raises(TemplateError, match="template syntax error") as caught:
        render_package(template, {"recs": []})
    assert "t.docx" in str(caught.value)


def test_missing_template(tmp_path: Path) -> None:
    with pytest.raises(TemplateError, match="template not found"):
        render_package(tmp_path / "none.docx", {})


def test_properties_are_set_verbatim(tmp_path: Path) -> None:
    template = make_template(tmp_path, "x")
    data = render_package(template, {}, properties=Properties(title="R&D <pilot>", subject="A & B")).data
    out = tmp_path / "out.docx"
    out.write_bytes(data)
    props = Document(str(out)).core_properties
    assert (props.title, props.subject) == ("R&D <pilot>", "A & B")


def test_a_part_rendered_alike_is_deflated_once_and_stored_as_deflated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Two documents whose header renders alike: its part is deflated for the first only, and
    each package stores exactly what deflating it afresh gives (the second's body, new, too)."""
    import zlib

    from generator.docx import package

    doc = Document()
    doc.sections[0].header.paragraphs[0].text = "OFFICIAL – {{ marking }}"
    doc.add_paragraph("{{ title }}")
    template = tmp_path / "h.docx"
    doc.save(str(template))
    package._same.clear()
    deflated: list[str] = []
    of = package.Member.of

    def counting(name: str, data: bytes, *, level: int = 6) -> package.Member:
        if level == package.RENDERED_LEVEL:  # a rendered part, not the template's own as it is prepared
            deflated.append(name)
        return of(name, data, level=level)

    monkeypatch.setattr(package.Member, "of", counting)
    first, second = (
        render_package(template, {"marking": "PUBLIC", "title": title}, provenance={"grantdocs.input_sha256": title})
        for title in ("One", "Two")
    )
    header = next(name for name in first.parts if name.startswith("word/header"))
    assert deflated.count(header) == 1 and deflated.count("word/document.xml") == 2
    for package_ in (first, second):
        for name, (_, crc, compressed) in package_.stored.items():
            assert zlib.decompress(compressed, -15) == package_.parts[name] and crc == zlib.crc32(package_.parts[name])
    assert rendered_text(tmp_path, second.data) == ["Two"]
