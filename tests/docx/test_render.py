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
