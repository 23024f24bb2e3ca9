"""Hostile input and faults: text renders literally, characters a document cannot hold are
refused by field and position, templates cannot escape the sandbox, absurd files are refused
quickly in bounded memory, and a full or read-only output folder gives a clear error.
(Kill -9 during a batch: tests/e2e/test_faults.py.)"""

from __future__ import annotations

import errno
import io
import os
import re
import resource
import shutil
import signal
import subprocess
import sys
import tracemalloc
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from typer.testing import CliRunner

from cli import app
from generator.build.generate import generate, render_input
from generator.docx.read import document_lines
from generator.errors import InputError, TemplateError
from generator.inputs.load import load_decision
from generator.inputs.source import MAX_BYTES, MAX_DEPTH, MAX_VALUES
from generator.inputs.yaml_reader import read_source
from tests.conftest import EXAMPLES, MINIMAL, ROOT
from tests.support.templates import copy_templates, edit_part
from tests.support.yaml_inputs import fixture, write_yaml

runner = CliRunner()

# Each renders exactly as written: never as markup, never as template code.
LITERALS = [
    "<b>bold</b> & <i>",
    "&amp; &lt; &#34; stays as typed",
    "]]> <![CDATA[ x ]]> <?xml?>",
    "\"double\" 'single' “curly” ‘quotes’",
    "{{ 7*7 }} and {{ title }}",
    "{% if true %}yes{% endif %} {# comment #}",
    "{_{ docxtpl's brace escape }_} {_% x %_}",
    "{%p endfor %} {{r x }} {%tr x %}",
    "emoji 😀🇬🇧 astral 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 𠜎 and a ZWJ family 👩‍👩‍👧",
    "right to left: مرحبا بالعالم and שלום עולם",
    "ordinary text: £1,000.50 — 50% off \\ backslash",
]


def minimal_with(**changes: object) -> dict[str, Any]:
    return fixture(MINIMAL) | changes


def all_text(data: bytes) -> str:
    doc = Document(io.BytesIO(data))
    return "\n".join([*document_lines(data), doc.core_properties.title or ""])


# ------------------------------------------------------------------------------- literal values


def test_every_literal_renders_as_written_in_body_and_properties(tmp_path: Path) -> None:
    data = minimal_with(title=LITERALS[0])
    form = data["decision_form"]
    form["executive_summary"] = LITERALS
    form["part_1"][0]["paragraphs"] = list(reversed(LITERALS))
    source = write_yaml(tmp_path / "literal.yaml", data)
    (rendered,) = render_input(source, out_dir=tmp_path / "out").documents
    text = all_text(rendered.data)
    for literal in LITERALS:
        assert text.count(literal) >= 2, literal  # executive summary and Part 1 alike
    assert Document(io.BytesIO(rendered.data)).core_properties.title == f"DMPC Decision – PCD 1300: {LITERALS[0]}"


@pytest.mark.parametrize("literal", LITERALS)
def test_a_literal_as_the_title_is_the_title(tmp_path: Path, literal: str) -> None:
    source = write_yaml(tmp_path / "t.yaml", minimal_with(title=literal))
    (rendered,) = render_input(source, out_dir=tmp_path / "out").documents
    with zipfile.ZipFile(io.BytesIO(rendered.data)) as package:
        assert package.testzip() is None
    assert f"Title: {literal}" in all_text(rendered.data)
    assert Document(io.BytesIO(rendered.data)).core_properties.title == f"DMPC Decision – PCD 1300: {literal}"


# ------------------------------------------------------------------ characters XML cannot hold


@pytest.mark.parametrize(
    ("written", "code", "at"),
    [
        ('"Bell\\a in text"', "U+0007", 5),
        ('"Null\\0 in text"', "U+0000", 5),
        ('"Escape \\e"', "U+001B", 8),
        ('"Not a character \\uFFFE"', "U+FFFE", 17),
        ('"Not a character \\uFFFF here"', "U+FFFF", 17),
        ('"Delete \\x7F"', "U+007F", 8),
    ],
)
def test_characters_a_document_cannot_hold_are_named_with_field_and_position(
    write_input: Callable[[str], Path], minimal_text: str, written: str, code: str, at: int
) -> None:
    path = write_input(minimal_text.replace("title: Test decision", f"title: {written}"))
    with pytest.raises(InputError) as caught:
        load_decision(path)
    (problem,) = caught.value.problems
    assert (problem.line, problem.column, problem.field) == (2, 8, "title")
    assert code in problem.message and f"at character {at}" in problem.message


def test_the_reader_itself_refuses_an_escaped_character_a_document_cannot_hold(tmp_path: Path) -> None:
    """Whatever the field's type (an amount is no Text), the reader names the character."""
    path = tmp_path / "escaped.yaml"
    path.write_text('amount: "1\\a00"\n', encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_source(path)
    (problem,) = caught.value.problems
    assert (problem.line, problem.column, problem.field) == (1, 9, "amount")
    assert "U+0007 at character 2" in problem.message


@pytest.mark.parametrize("raw", ["\x01", "\x07", "\x1b", "\x7f", "\ufffe"])
def test_raw_control_characters_in_the_file_are_named_by_field_not_just_by_the_parser(
    write_input: Callable[[str], Path], minimal_text: str, raw: str
) -> None:
    path = write_input(minimal_text.replace("    - The Home Office has made an offer.", f"    - The Home{raw} Office has made an offer."))
    with pytest.raises(InputError) as caught:
        load_decision(path)
    (problem,) = caught.value.problems
    assert problem.field == "decision_form.part_1[0].paragraphs[0]"
    assert (problem.line, problem.column) == (14, 11)
    assert f"U+{ord(raw):04X} at character 9" in problem.message


def test_lone_surrogate_is_a_located_error(write_input: Callable[[str], Path], minimal_text: str) -> None:
    path = write_input(minimal_text.replace("title: Test decision", 'title: "half \\uD800 a character"'))
    with pytest.raises(InputError) as caught:
        load_decision(path)
    (problem,) = caught.value.problems
    assert (problem.line, problem.field) == (2, "(yaml)") and "Unicode" in problem.message


def test_invalid_utf8_names_the_line_and_column_of_the_byte(tmp_path: Path, minimal_text: str) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes(minimal_text.replace("title: Test decision", "title: Café decision").encode("latin-1"))
    with pytest.raises(InputError) as caught:
        load_decision(path)
    (problem,) = caught.value.problems
    assert (problem.line, problem.column) == (2, 11)
    assert "not UTF-8" in problem.message and "0xE9" in problem.message


@pytest.mark.parametrize("brk", ["\x0b", "\x0c", "\u2028", "\u2029", '"\\v"', '"\\f"', '"\\L"', '"\\P"'])
def test_word_line_and_page_breaks_become_line_breaks(tmp_path: Path, minimal_text: str, brk: str) -> None:
    if brk.startswith('"'):  # written as a YAML escape in a quoted value
        line = f'    - "First line{brk[1:-1]}second line."'
    else:  # pasted raw from Word
        line = f"    - First line{brk}second line."
    path = tmp_path / "breaks.yaml"
    path.write_text(minimal_text.replace("    - The Home Office has made an offer.", line), encoding="utf-8")
    (rendered,) = render_input(path, out_dir=tmp_path / "out").documents
    paragraphs = [p for p in Document(io.BytesIO(rendered.data)).paragraphs if p.text.startswith("First line")]
    assert [p.text for p in paragraphs] == ["First line\nsecond line."]
    assert paragraphs[0]._p.xpath(".//w:br"), "a real Word line break, not a character"


@pytest.mark.parametrize("typed", ["\U0010fc41", "\U0010fc0b", "\U0010fc00"])
@pytest.mark.parametrize("with_breaks", [False, True], ids=["alone", "with-word-breaks"])
def test_characters_of_the_readers_stand_in_range_are_kept_as_typed(tmp_path: Path, typed: str, with_breaks: bool) -> None:
    """The reader swaps raw characters libyaml refuses for private-use stand-ins while parsing;
    a file that has such a character itself is read without them, never misread."""
    data = minimal_with(title=f"Test{typed}decision")
    path = write_yaml(tmp_path / "pua.yaml", data)
    if with_breaks:
        path.write_text(path.read_text(encoding="utf-8").replace("offer.", "offer\x0bmade."), encoding="utf-8")
        with pytest.raises(InputError) as caught:  # stand-ins impossible: libyaml's refusal, located
            load_decision(path)
        assert "U+000B" in str(caught.value) and ":14:" in str(caught.value)
    else:
        assert load_decision(path).title == f"Test{typed}decision"
    escaped = tmp_path / "escaped.yaml"
    escaped.write_text(f'title: "Test\\U{ord(typed):08X}decision"\nother: "a\x0bb"\n', encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_decision(escaped)
    (problem,) = caught.value.problems
    assert (problem.line, problem.column, problem.message) == (2, 10, "character U+000B cannot appear in an input")


def test_a_yaml_writers_line_separator_breaks_the_line_without_its_indentation(tmp_path: Path) -> None:
    """PyYAML writes U+2028 raw inside a quoted value and indents the line after it."""
    path = write_yaml(tmp_path / "ls.yaml", minimal_with(title="Test\u2028decision"))
    assert "title: 'Test\u2028  decision'" in path.read_text(encoding="utf-8")
    assert load_decision(path).title == "Test\ndecision"


@pytest.mark.parametrize(
    ("written", "read"),
    [
        ("'Test\u2028\n  decision'", "Test\n\ndecision"),  # PyYAML's writing of "Test\u2028\ndecision"
        ("'Test\u2028\n\n  decision'", "Test\n\n\ndecision"),
        ('"Test  \u2029\n  decision"', "Test\n\ndecision"),  # spaces before a line break are not text
        (">\n  Test\u2028\n  decision", "Test\n\ndecision"),
        ("|-\n  Test\u2028\n  decision", "Test\n\ndecision"),
        ("Test\u2028\n  decision", "Test\n\ndecision"),
        ("'Test\u2028decision'", "Test\ndecision"),
    ],
)
def test_a_line_separator_before_a_line_break_keeps_both_breaks_as_yaml_reads_them(tmp_path: Path, written: str, read: str) -> None:
    """A separator is a line break to YAML, so the line break after it is an empty line, not
    one folded into a space (libyaml reading the same text agrees)."""
    path = write_yaml(tmp_path / "ls.yaml", minimal_with(title="placeholder"))
    path.write_text(path.read_text(encoding="utf-8").replace("placeholder", written), encoding="utf-8")
    assert load_decision(path).title == read


@pytest.mark.parametrize("text", ['"bad\\nkey": x\n', "\u2028reference: PCD 1300\n", "\x0btitle: x\n"])
def test_a_key_with_a_line_break_keeps_each_problem_on_one_line(tmp_path: Path, minimal_text: str, text: str) -> None:
    path = tmp_path / "key.yaml"
    path.write_text(
        text + minimal_text.replace("reference: PCD 1300\n", "") if text.startswith("\u2028") else minimal_text + text, encoding="utf-8"
    )
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert lines and all(line.startswith(f"{path}:") for line in lines), lines
    assert any("unknown key" in line for line in lines)


# --------------------------------------------------------------------------- sandboxed templates


def _template_with(tmp_path: Path, tag: str) -> Path:
    """A copy of the templates whose 2022 form has `tag` after its Executive Summary heading."""
    templates = copy_templates(tmp_path)
    escaped = tag.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    edit_part(
        templates / "dmpc-decision-2022.docx",
        lambda xml: xml.replace("Executive Summary:</w:t>", f"Executive Summary: {escaped}</w:t>", 1),
    )
    return templates


ESCAPES = [
    ("{{ ''.__class__.__mro__ }}", "unsafe"),
    ("{{ ''.__class__.__mro__[1].__subclasses__() }}", "unsafe"),
    ("{{ cycler.__init__.__globals__.os.popen('id').read() }}", "unsafe"),
    ("{{ lipsum.__globals__['os'].listdir('/') }}", "unsafe"),
    ("{{ joiner.__init__.__globals__ }}", "unsafe"),
    ("{{ form.title.__class__.__base__ }}", "unsafe"),
    ("{{ self._TemplateReference__context }}", "unsafe"),
    ("{% include '/etc/passwd' %}", "cannot include, import or extend files"),
    ("{% import 'os' as os %}", "cannot include, import or extend files"),
    ("{% extends '/etc/hostname' %}", "cannot include, import or extend files"),
    ("{{ 'x' * 100000000 }}", "unsafe"),
    ("{{ 9 ** 99999999 }}", "unsafe"),
    ("{{ range(10000000) | list }}", "Range too big"),
    # Data, never behaviour: no method of what a template is given, pydantic's least of all (the
    # input models a view holds: a form's summary paragraphs); a view is a dataclass and has none.
    ("{{ form.executive_summary[0].parse_file('/etc/passwd') }}", "'parse_file' of 'SummaryParagraph' object is unsafe"),
    ("{{ form.executive_summary[0].parse_raw('{}') }}", "unsafe"),
    ("{{ form.executive_summary[0].model_validate_json('{}') }}", "unsafe"),
    ("{{ form.executive_summary[0].model_construct() }}", "unsafe"),
    ("{{ form.executive_summary[0].copy(update={'text': 'x'}) }}", "unsafe"),
    ("{{ form.executive_summary[0].model_dump_json() }}", "unsafe"),
    ("{{ form.executive_summary[0].model_fields }}", "unsafe"),
    ("{{ form.parse_file('/etc/passwd') }}", "DecisionFormDocument object' has no attribute 'parse_file'"),
    ("{{ form.__dataclass_fields__ }}", "'__dataclass_fields__' of 'DecisionFormDocument' object is unsafe"),
    ("{{ form.__setattr__('title', 'x') }}", "unsafe"),
    ("{{ form.title.upper() }}", "'upper' of 'str' object is unsafe"),
    ("{{ (form.executive_summary | first).model_validate({}) }}", "unsafe"),
    ("{{ dict.fromkeys(range(3)) }}", "'fromkeys' of 'type' object is unsafe"),
    ("{{ '{0.__class__}'.format(form) }}", "'format' of 'str' object is unsafe"),
    ('{{ "{:600000000}".format(1) }}', "'format' of 'str' object is unsafe"),
    ("{{ (form.title.format_map)({}) }}", "'format_map' of 'str' object is unsafe"),
    ("{{ form.executive_summary[0]|attr('parse_file') }}", "'parse_file' of 'SummaryParagraph' object is unsafe"),
    ("{{ dict['fromkeys'](range(3)) }}", "a template may call only Jinja's own helpers"),
    ("{{ 1 / 0 }}", "ZeroDivisionError"),
]


@pytest.mark.parametrize(("tag", "why"), ESCAPES)
def test_template_escaping_the_sandbox_fails_naming_template_and_tag_and_writes_nothing(tmp_path: Path, tag: str, why: str) -> None:
    templates = _template_with(tmp_path, tag)
    out = tmp_path / "out"
    result = runner.invoke(app, ["generate", str(MINIMAL), "--out", str(out), "--templates", str(templates)])
    assert result.exit_code == 1
    assert ("Traceback" not in result.output and result.exception is None) or isinstance(result.exception, SystemExit)
    message = result.stderr
    assert "dmpc-decision-2022.docx: word/document.xml:" in message and why in message
    assert f"in the tag {tag}" in message, message
    assert "near: Executive Summary:" in message
    assert not out.exists() or not any(out.rglob("*.docx"))


# What a template may build or run is bounded by the process while it renders (generator.docx.budget),
# not filter by filter: each of these would take over 512 MB, or CPU time without end. Each
# test bomb is over the bound but small enough not to harm the machine if the bound failed.
BOMBS = [  # (what the template says, the tag the error names)
    ('{{ "x"|center(600000000) }}', None),
    ('{{ "%600000000d" % 1 }}', None),
    ('{{ "x"|indent(600000000, true) }}', None),
    ('{% set ns = namespace(s="xx") %}{% for i in range(30) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}', "{% set ns.s = ns.s ~ ns.s %}"),
    ('{{ (["x" * 1000000] * 600) | join }}', None),
]


def _limits() -> tuple[object, ...]:
    return resource.getrlimit(resource.RLIMIT_AS), signal.getsignal(signal.SIGVTALRM), signal.getitimer(signal.ITIMER_VIRTUAL)


@pytest.mark.parametrize(("tag", "named"), BOMBS)
def test_a_template_needing_huge_memory_stops_naming_its_tag(tmp_path: Path, tag: str, named: str | None) -> None:
    templates = _template_with(tmp_path, tag)
    before = _limits()
    out = tmp_path / "out"
    result = runner.invoke(app, ["generate", str(MINIMAL), "--out", str(out), "--templates", str(templates)])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert result.stderr.startswith(
        f"{templates / 'dmpc-decision-2022.docx'}: word/document.xml: template stopped: it needed more than 512 MB of memory"
    ), result.stderr
    assert f"in the tag {named or tag}\n" in result.stderr
    assert not out.exists() or not any(out.rglob("*.docx"))
    assert _limits() == before, "the bounds are lifted after the render"


def test_a_template_running_without_end_stops_after_its_cpu_time(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("generator.docx.budget.CPU_SECONDS", 0.5)
    templates = _template_with(tmp_path, "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}")
    before = _limits()
    with pytest.raises(TemplateError) as caught:
        generate(MINIMAL, out_dir=tmp_path / "out", templates=templates)
    assert "word/document.xml: template stopped: it ran for more than 0.5 s of CPU time" in str(caught.value)
    assert "near: Executive Summary:" in str(caught.value)
    assert _limits() == before


def test_a_runaway_template_in_a_batch_fails_its_inputs_and_the_others_render(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """In the batch's worker processes too (forked after the bound is set here)."""
    monkeypatch.setattr("generator.docx.budget.CPU_SECONDS", 0.5)
    templates = _template_with(tmp_path, "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}")
    inputs = tmp_path / "inputs"
    shutil.copytree(EXAMPLES, inputs)
    out = tmp_path / "out"
    result = runner.invoke(app, ["batch", str(inputs), "--out", str(out), "--templates", str(templates), "--jobs", "2"])
    assert result.exit_code == 1
    assert "dmpc-decision-2022.docx: word/document.xml: template stopped: it ran for more than 0.5 s of CPU time" in result.output
    made = sorted(p.name for p in out.rglob("*.docx"))
    assert "dmpcd-2015-148-decision-form.docx" in made and "ocs-grant-2023-24-grant-agreement.docx" in made
    assert not any(name.startswith("pcd-1284") for name in made)


def test_a_rendered_part_beyond_any_decision_is_refused(tmp_path: Path) -> None:
    templates = _template_with(tmp_path, '{% for i in range(25) %}{{ "x" * 1000000 }}{% endfor %}')
    with pytest.raises(TemplateError, match=r"word/document\.xml: the rendered part has 25,0\d\d,\d{3} characters, more than 20,000,000"):
        generate(MINIMAL, out_dir=tmp_path / "out", templates=templates)
    assert not (tmp_path / "out").exists()


def test_sandbox_error_is_a_template_error_for_the_api_too(tmp_path: Path) -> None:
    templates = _template_with(tmp_path, "{{ ''.__class__ }}")
    with pytest.raises(TemplateError) as caught:
        generate(MINIMAL, out_dir=tmp_path / "out", templates=templates)
    assert "__class__" in str(caught.value)
    assert not (tmp_path / "out").exists()


def test_table_without_a_grid_is_a_template_error_not_a_crash(tmp_path: Path) -> None:
    """docxtpl's table fix-up (run after a column loop) assumes every table has the grid Word
    writes; a part edited outside Word may not, which used to end in a traceback."""
    templates = copy_templates(tmp_path)
    edit_part(templates / "dmpc-decision-2022.docx", lambda xml: re.sub(r"<w:tblGrid>.*?</w:tblGrid>", "", xml, flags=re.S))
    out = tmp_path / "out"
    result = runner.invoke(app, ["generate", str(MINIMAL), "--out", str(out), "--templates", str(templates)])
    assert result.exit_code == 1 and not isinstance(result.exception, AttributeError)
    assert result.stderr.startswith(
        f"{templates / 'dmpc-decision-2022.docx'}: word/document.xml: cannot finish the rendered part: table 1 has no column grid"
    )
    assert not out.exists() or not any(out.rglob("*.docx"))


def test_template_syntax_error_names_the_tag(tmp_path: Path) -> None:
    templates = _template_with(tmp_path, "{{ form.title | }}")
    with pytest.raises(TemplateError) as caught:
        generate(MINIMAL, out_dir=tmp_path / "out", templates=templates)
    assert "syntax error" in str(caught.value) and "in the tag {{ form.title | }}" in str(caught.value)


# ----------------------------------------------------------------------------------- limits


def _refused_quickly(path: Path, needle: str, load: Callable[[Path], object] = load_decision) -> InputError:
    tracemalloc.start()
    try:
        with pytest.raises(InputError) as caught:
            load(path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert needle in str(caught.value)
    assert peak < 40_000_000, f"refusing it took {peak / 1e6:.0f} MB"
    assert len(caught.value.problems) == 1
    return caught.value


@pytest.mark.parametrize("command", ["validate", "generate"])
def test_a_50_mb_file_is_refused_unread(tmp_path: Path, command: str) -> None:
    path = tmp_path / "big.yaml"
    with path.open("w", encoding="utf-8") as handle:
        handle.write("title: ")
        for _ in range(50):
            handle.write("x" * 1_000_000)
    load = load_decision if command == "validate" else (lambda p: render_input(p, out_dir=tmp_path / "out").documents)
    _refused_quickly(path, f"larger than the {MAX_BYTES // 1_000_000} MB an input may be", load)


def test_100000_paragraphs_are_refused(tmp_path: Path, minimal_text: str) -> None:
    path = tmp_path / "paragraphs.yaml"
    many = "".join(f"        - p{i}\n" for i in range(100_000))
    path.write_text(minimal_text.replace("        - The Home Office has made an offer.\n", many), encoding="utf-8")
    assert path.stat().st_size < MAX_BYTES
    _refused_quickly(path, f"more than {MAX_VALUES:,} values")


@pytest.mark.parametrize("nesting", ["flow", "block"])
def test_deep_nesting_is_refused_before_the_parser_recurses(tmp_path: Path, nesting: str) -> None:
    # 200,000 levels crash libyaml's own composer (C recursion); this must not.
    text = "title: " + "[" * 200_000 if nesting == "flow" else "".join(" " * i + "a:\n" for i in range(1_500))
    path = tmp_path / "deep.yaml"
    path.write_text(text, encoding="utf-8")
    # Whichever layer refuses it first (grantdocs' own limit, or a libyaml that has one of its own),
    # it is one located problem about nesting, found in bounded memory.
    (problem,) = _refused_quickly(path, "nest").problems
    assert problem.line >= 1 and problem.column >= 1
    assert problem.line <= (1 if nesting == "flow" else MAX_DEPTH + 2)


def test_billion_laughs_is_refused_by_counting_what_aliases_expand_to(tmp_path: Path) -> None:
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 10)]
    path = tmp_path / "laughs.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert path.stat().st_size < 2_000
    _refused_quickly(path, "counting each use of an alias in full")


def test_a_few_aliases_are_still_fine(tmp_path: Path, minimal_text: str) -> None:
    text = minimal_text.replace("  drafting_officer: A N Officer", "  drafting_officer: &officer A N Officer")
    path = tmp_path / "alias.yaml"
    path.write_text(text + "author: *officer\n", encoding="utf-8")
    assert load_decision(path).author == "A N Officer"


@pytest.mark.parametrize("name", ["big", "paragraphs", "deep", "laughs"])
def test_absurd_files_exit_1_from_the_command_line(tmp_path: Path, name: str) -> None:
    text = {
        "big": "title: " + "x" * (MAX_BYTES + 10),
        "paragraphs": "title:\n" + "- p\n" * 100_000,
        "deep": "title: " + "{a: " * 100_000,
        "laughs": "a: &a [x, x, x, x, x, x, x, x]\n"
        + "".join(
            f"a{i}: &a{i} [*{'a' if i == 1 else f'a{i - 1}'}, *{'a' if i == 1 else f'a{i - 1}'}, *{'a' if i == 1 else f'a{i - 1}'}, *{'a' if i == 1 else f'a{i - 1}'}, *{'a' if i == 1 else f'a{i - 1}'}, *{'a' if i == 1 else f'a{i - 1}'}, *{'a' if i == 1 else f'a{i - 1}'}, *{'a' if i == 1 else f'a{i - 1}'}]\n"
            for i in range(1, 12)
        ),
    }[name]
    path = tmp_path / f"{name}.yaml"
    path.write_text(text, encoding="utf-8")
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 1
    assert (result.stderr.startswith(f"{path}:") and "too large" in result.stderr) or "larger than" in result.stderr
    assert "Traceback" not in result.output


# ---------------------------------------------------------------------- full or read-only disk


def test_full_disk_is_a_clear_error_and_the_old_output_survives(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out"
    assert runner.invoke(app, ["generate", str(MINIMAL), "--out", str(out)]).exit_code == 0
    (target,) = out.rglob("*.docx")
    old = target.read_bytes()

    write = os.write

    def full_disk(fd: int, data: bytes) -> int:
        """A file on a full disk: opening works, writing does not (the runner's own output is no file)."""
        if fd > 2:
            raise OSError(errno.ENOSPC, "No space left on device")
        return write(fd, data)

    monkeypatch.setattr("generator.build.files.os.write", full_disk)
    result = runner.invoke(app, ["generate", str(MINIMAL), "--out", str(out)])
    assert result.exit_code == 1
    assert f"cannot write {target}: No space left on device (the disk is full" in result.stderr
    assert "Traceback" not in result.output
    assert target.read_bytes() == old
    assert sorted(p.name for p in target.parent.iterdir()) == [target.name], "no temp file left behind"


def test_full_disk_in_a_batch_fails_each_input_clearly(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    shutil.copy(MINIMAL, inputs / "a.yaml")
    shutil.copy(MINIMAL, inputs / "b.yaml")

    def full(*_: object, **__: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr("generator.build.files._new_temp", full)
    result = runner.invoke(app, ["batch", str(inputs), "--out", str(tmp_path / "out"), "--jobs", "1"])
    assert result.exit_code == 1
    assert result.stderr.count("No space left on device (the disk is full") >= 2, result.stderr
    assert "Traceback" not in result.output
    assert not list((tmp_path / "out").rglob("*.docx"))


@pytest.mark.skipif(not Path("/sys/kernel").is_dir(), reason="needs Linux sysfs, which nobody (not even root) can write")
@pytest.mark.parametrize("command", ["generate", "batch"])
def test_read_only_output_folder_is_a_clear_error(tmp_path: Path, command: str) -> None:
    out = Path("/sys/kernel/grantdocs-outputs")
    source = str(MINIMAL) if command == "generate" else str(MINIMAL.parent)
    result = runner.invoke(app, [command, source, "--out", str(out)])
    assert result.exit_code == 1
    assert f"cannot write {out}" in result.stderr and "not writable" in result.stderr, result.stderr
    assert "Traceback" not in result.output


def test_a_file_where_the_output_folder_should_be(tmp_path: Path) -> None:
    blocker = tmp_path / "out"
    blocker.write_text("not a folder")
    result = runner.invoke(app, ["generate", str(MINIMAL), "--out", str(blocker)])
    assert result.exit_code == 1
    assert "cannot write" in result.stderr and "not a folder" in result.stderr
    assert blocker.read_text() == "not a folder"


def test_two_batches_never_write_one_folder_at_once(tmp_path: Path) -> None:
    out, inputs = tmp_path / "out", tmp_path / "inputs"
    inputs.mkdir()
    shutil.copy(MINIMAL, inputs)
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from pathlib import Path; from generator.build.files import exclusive\n"
            "with exclusive(Path(sys.argv[1])):\n    print('held', flush=True); time.sleep(60)",
            str(out),
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "held\n"
        result = runner.invoke(app, ["batch", str(inputs), "--out", str(out)])
        assert result.exit_code == 1
        assert f"another grantdocs batch is writing to {out}" in result.stderr
        assert not list(out.rglob("*.docx"))
    finally:
        holder.kill()
        holder.communicate()
    assert runner.invoke(app, ["batch", str(inputs), "--out", str(out)]).exit_code == 0, "free once the holder is gone"
