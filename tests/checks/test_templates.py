"""`grantdocs templates check`: every tag of every template against the models that fill it.

Small templates are built with python-docx; each planted fault must be reported with its part and
the text around it. The real templates must pass: this is how `make test` runs the check.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from docx import Document
from pydantic import BaseModel
from typer.testing import CliRunner

from cli import app
from generator.build.generate import DEFAULT_TEMPLATES
from generator.checks.templates import (
    TemplateProblem,
    TemplateSpec,
    check_template,
    check_templates,
)

runner = CliRunner()


class Item(BaseModel):
    text: str
    note: str | None = None


@dataclass(frozen=True)
class Row:
    label: str
    cells: tuple[str, ...]

    @property
    def bold(self) -> bool:
        return self.label.isupper()


class Doc(BaseModel):
    title: str
    items: list[Item]
    rows: tuple[Row, ...]
    signed: date | None
    pairs: list[tuple[str, int]]
    never_shown: str


CONTEXT = {"doc": Doc}


def make_docx(
    path: Path,
    body: list[str],
    *,
    header: str | None = None,
    table: list[list[str]] | None = None,
    title: str | None = None,
) -> Path:
    document = Document()
    for text in body:
        document.add_paragraph(text)
    if table:
        grid = document.add_table(rows=len(table), cols=len(table[0]))
        for r, cells in enumerate(table):
            for c, text in enumerate(cells):
                grid.cell(r, c).text = text
    if header is not None:
        document.sections[0].header.paragraphs[0].text = header
    if title is not None:
        document.core_properties.title = title
    document.save(str(path))
    return path


def problems(path: Path) -> list[str]:
    return [str(p) for p in check_template(path, CONTEXT)]


def test_misspelt_field_inside_a_paragraph_loop(tmp_path: Path) -> None:
    path = make_docx(
        tmp_path / "loop.docx",
        ["Items:", "{%p for item in doc.items %}", "Item: {{ item.txt }}", "{%p endfor %}"],
    )
    assert problems(path) == [
        "loop.docx: word/document.xml : unknown field `item.txt` (did you mean `text`?)\n  near: Item: {{ item.txt }}{% endfor %}"
    ]


def test_unknown_filter(tmp_path: Path) -> None:
    path = make_docx(tmp_path / "filter.docx", ["Signed on {{ doc.signed|shortdate }}"])
    assert problems(path) == [
        "filter.docx: word/document.xml : unknown filter `shortdate` (did you mean `short_date`?)\n"
        "  near: Signed on {{ doc.signed|shortdate }}"
    ]


def test_unclosed_if_is_a_syntax_error_located_at_the_if(tmp_path: Path) -> None:
    path = make_docx(tmp_path / "syntax.docx", ["Introduction", "{%p if doc.title %}", "Title: {{ doc.title }}", "The end"])
    assert problems(path) == [
        "syntax.docx: word/document.xml : syntax error: Unexpected end of template. Jinja was looking for the "
        "following tags: 'elif' or 'else' or 'endif'. The innermost block that needs to be closed is 'if'.\n"
        "  near: Introduction{% if doc.title %}"
    ]


def test_stray_end_tag_is_a_syntax_error_at_its_paragraph(tmp_path: Path) -> None:
    path = make_docx(tmp_path / "stray.docx", ["First", "Second {% endfor %}", "Third"])
    assert problems(path) == [
        "stray.docx: word/document.xml : syntax error: Encountered unknown tag 'endfor'.\n  near: Second {% endfor %}"
    ]


def test_tag_in_a_header(tmp_path: Path) -> None:
    path = make_docx(tmp_path / "header.docx", ["Body: {{ doc.title }}"], header="Head: {{ doc.titel }}")
    assert problems(path) == [
        "header.docx: word/header1.xml : unknown field `doc.titel` (did you mean `title`?)\n  near: Head: {{ doc.titel }}"
    ]


def test_core_properties_are_not_checked_since_grantdocs_writes_them_itself(tmp_path: Path) -> None:
    path = make_docx(tmp_path / "props.docx", ["Body"], title="{{ doc.tittle }}")
    assert problems(path) == []


def test_fault_in_a_table_cell_shows_the_row(tmp_path: Path) -> None:
    path = make_docx(tmp_path / "table.docx", ["Costs"], table=[["Label", "Cells"], ["{{ doc.rows[0].lable }}", "x"]])
    assert problems(path) == [
        "table.docx: word/document.xml : unknown field `doc.rows[0].lable` (did you mean `label`?)\n"
        "  near: table row: {{ doc.rows[0].lable }} | x"
    ]


@pytest.mark.parametrize(
    ("tag", "message"),
    [
        ("{{ dco.title }}", "unknown name `dco` (did you mean `doc`?)"),
        ("{{ loop.index }}", "unknown name `loop` (the template is given: `doc`)"),
        ("{{ doc.title.nothing }}", "unknown field `doc.title.nothing` (text has no `nothing`)"),
        ("{{ doc.items.text }}", "unknown field `doc.items.text` (a list has no `text`)"),
        ("{{ doc.zzz }}", "unknown field `doc.zzz` (Doc has no field `zzz`)"),
        ("{{ doc.model_dump() }}", "unknown field `doc.model_dump` (Doc has no field `model_dump`)"),
        ("{% for x in doc.signed %}{% endfor %}", "`doc.signed` is not a list (date): a loop cannot go through it"),
        ("{% for a, b in doc.pairs %}{{ b.real }}{{ a.nope }}{% endfor %}", "unknown field `a.nope` (text has no `nope`)"),
        ("{% for i in doc.items %}{{ loop.nextitem.txt }}{% endfor %}", "unknown field `loop.nextitem.txt` (did you mean `text`?)"),
        ("{% for i in doc.items %}{{ loop.indx }}{% endfor %}", "unknown field `loop.indx` (did you mean `index`?)"),
        ("{% for i in doc.items %}{% endfor %}{{ i.text }}", "unknown name `i` (the template is given: `doc`)"),
        ("{{ doc.items|map(attribute='txt')|join }}", "unknown field `doc.items|map(attribute='txt')` (did you mean `text`?)"),
        (
            "{{ doc.rows|map(attribute='cells.0.nope')|join }}",
            "unknown field `doc.rows|map(attribute='cells.0.nope')` (text has no `nope`)",
        ),
        ("{{ doc.items|selectattr('nte')|list }}", "unknown field `doc.items|selectattr('nte')` (did you mean `note`?)"),
        ("{% if doc.title is strng %}{% endif %}", "unknown test `strng` (did you mean `string`?)"),
        ("{% include 'other.xml' %}", "extends, include and import need other template files: Word templates cannot use them"),
    ],
)
def test_each_kind_of_fault(tmp_path: Path, tag: str, message: str) -> None:
    path = make_docx(tmp_path / "t.docx", [tag])
    assert [p.message for p in check_template(path, CONTEXT)] == [message]


def test_correct_template_has_no_problems_and_records_what_it_shows(tmp_path: Path) -> None:
    path = make_docx(
        tmp_path / "good.docx",
        [
            "{{ doc.title }} signed {{ doc.signed|short_date }}",
            "{%p for item in doc.items %}",
            "{{ loop.index }}. {{ item.text }}{% if item.note %} ({{ item.note|upper }}){% endif %}"
            "{% if loop.nextitem and loop.nextitem.note %}:{% endif %}",
            "{%p endfor %}",
            "{% set heading = doc.title.replace('a', 'b').strip() %}{{ heading.upper() }}",
            "{% for name, count in doc.pairs %}{{ name.upper() }} {{ count + 1 }}{% endfor %}",
            "{{ doc.items|length }} {{ (doc.items|first).text }} {{ doc.items|map(attribute='text')|join(', ') }}",
            "{{ doc.rows|map(attribute='cells.0')|join }}",
        ],
        header="{{ doc.title }}",
        table=[
            ["{%tr for row in doc.rows %}", ""],
            ["{{ row.label }}", "{% if row.bold %}{{ row.cells[1:]|join(', ') }}{% endif %}"],
            ["{%tr endfor %}", ""],
        ],
    )
    used: set[tuple[type, str]] = set()
    assert check_template(path, CONTEXT, used=used) == []
    assert {(cls.__name__, name) for cls, name in used} == {
        ("Doc", "title"),
        ("Doc", "signed"),
        ("Doc", "items"),
        ("Doc", "rows"),
        ("Doc", "pairs"),
        ("Item", "text"),
        ("Item", "note"),
        ("Row", "label"),
        ("Row", "bold"),
        ("Row", "cells"),
    }


def test_unused_fields_are_listed_per_context_model(tmp_path: Path) -> None:
    make_docx(tmp_path / "some.docx", ["{{ doc.title }} {% for i in doc.items %}{{ i.text }}{% endfor %}"])
    make_docx(tmp_path / "stray.docx", ["{{ anything }}"])
    report = check_templates(tmp_path, [TemplateSpec("some.docx", CONTEXT)])
    assert report.ok
    assert report.checked == ("some.docx",)
    assert report.unchecked == ("stray.docx",)
    assert report.unused == {
        "Doc": ("Doc.rows", "Doc.signed", "Doc.pairs", "Doc.never_shown", "Item.note")  # not Row's: rows say it all
    }


def test_missing_template_is_a_problem(tmp_path: Path) -> None:
    report = check_templates(tmp_path, [TemplateSpec("gone.docx", CONTEXT)])
    assert report.problems == (TemplateProblem("gone.docx", "(file)", f"template not found in {tmp_path}"),)


def test_real_templates_have_no_problems() -> None:
    """`make test` runs the template check here: a tag the models do not define fails the build."""
    report = check_templates(DEFAULT_TEMPLATES)
    assert [str(p) for p in report.problems] == []
    assert {"dmpc-decision-2022.docx", "dmpcd-decision-v5-2014.docx", "mps-report.docx"} <= set(report.checked)
    # A field the templates are known not to show: recommendations' amounts are only checked against the text.
    assert "Recommendation.amount" in report.unused["DecisionFormDocument"]


def test_cli_real_templates_exit_0() -> None:
    result = runner.invoke(app, ["templates", "check"])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[-1].endswith("templates checked: no problems")
    assert "  Recommendation.amount" in result.stdout.splitlines()


def test_cli_broken_template_exits_1_with_located_problem(tmp_path: Path) -> None:
    templates = tmp_path / "templates"
    shutil.copytree(DEFAULT_TEMPLATES, templates)
    make_docx(templates / "mps-report.docx", ["{{ report.titel }}", "{%p if report.meeting %}"])
    result = runner.invoke(app, ["templates", "check", "--templates", str(templates)])
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert (
        "mps-report.docx: word/document.xml : syntax error: Unexpected end of template. Jinja was looking for the "
        "following tags: 'elif' or 'else' or 'endif'. The innermost block that needs to be closed is 'if'." in lines
    )
    assert "  near: {{ report.titel }}{% if report.meeting %}" in lines
    assert lines[-1].endswith("templates checked: 1 problem")


def test_a_file_that_is_not_a_word_document(tmp_path: Path) -> None:
    path = tmp_path / "junk.docx"
    path.write_bytes(b"junk")
    assert [(p.part, p.message) for p in check_template(path, {})] == [("(file)", "not a Word document: File is not a zip file")]
