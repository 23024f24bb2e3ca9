"""The command line through typer's CliRunner: exit codes, messages, no tracebacks."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli import app
from tests.conftest import FIXTURES, MINIMAL, ROOT, WriteInput

runner = CliRunner()


def test_validate_valid_input_exits_0() -> None:
    result = runner.invoke(app, ["validate", str(MINIMAL)])
    assert result.exit_code == 0
    assert result.stdout.strip() == f"{MINIMAL}: ok"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("reference: PCD 1\ntitle: [unclosed\n", ":3:1: (yaml): YAML syntax error"),
        ("reference: PCD 1\ntitel: x\n", ":2:1: titel: unknown key 'titel' (did you mean 'title'?)"),
        ("reference: PCD 1\ntitle: {a: b}\n", ":2:8: title: must be text (got a mapping)"),
    ],
    ids=["broken yaml", "unknown key", "wrong type"],
)
def test_validate_bad_input_exits_1_with_located_error(text: str, expected: str, write_input: WriteInput) -> None:
    path = write_input(text)
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 1
    assert f"{path}{expected}" in result.stderr
    assert "Traceback" not in result.output + result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_validate_reports_every_file(write_input: WriteInput) -> None:
    bad = write_input("reference: PCD 1\n", "bad.yaml")
    result = runner.invoke(app, ["validate", str(bad), str(MINIMAL)])
    assert result.exit_code == 1
    assert f"{bad}:1:1: title: required field is missing" in result.stderr
    assert f"{MINIMAL}: ok" in result.stdout


def test_usage_errors_exit_2() -> None:
    assert runner.invoke(app, ["frobnicate"]).exit_code == 2
    assert runner.invoke(app, ["validate"]).exit_code == 2
    assert runner.invoke(app, ["generate", str(MINIMAL), "--only", "brochure"]).exit_code == 2
    assert runner.invoke(app, ["new", "decision", "x.yaml", "--form", "dmpc-1999"]).exit_code == 2


def test_schema_is_json_schema_of_the_input() -> None:
    result = runner.invoke(app, ["schema"])
    assert result.exit_code == 0
    schema = json.loads(result.stdout)
    assert schema["title"] == "Decision"
    assert set(schema["required"]) == {"reference", "title"}
    assert schema["additionalProperties"] is False
    assert "description" in schema["$defs"]["DecisionForm"]["properties"]["recommendations"]


def test_generate_writes_decision_form(tmp_path: Path) -> None:
    result = runner.invoke(app, ["generate", str(MINIMAL), "--out", str(tmp_path)])
    assert result.exit_code == 0, result.stderr
    output = tmp_path / "minimal" / "minimal-decision-form.docx"
    assert f"-> {output}" in result.stdout
    assert output.read_bytes()[:2] == b"PK"


def test_generate_bad_input_writes_nothing_and_keeps_going(tmp_path: Path, write_input: WriteInput) -> None:
    bad = write_input("reference: PCD 1\n", "bad.yaml")
    result = runner.invoke(app, ["generate", str(bad), str(MINIMAL), "--out", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert not (tmp_path / "out" / "bad").exists()
    assert (tmp_path / "out" / "minimal" / "minimal-decision-form.docx").is_file()


def test_generate_with_missing_template_folder_fails_cleanly(tmp_path: Path) -> None:
    result = runner.invoke(app, ["generate", str(MINIMAL), "--out", str(tmp_path), "--templates", str(tmp_path / "none")])
    assert result.exit_code == 1
    assert "template not found" in result.stderr
    assert not list(tmp_path.rglob("*.docx"))


def test_new_decision_refuses_to_overwrite(tmp_path: Path) -> None:
    path = tmp_path / "d.yaml"
    path.write_text("mine", encoding="utf-8")
    result = runner.invoke(app, ["new", "decision", str(path)])
    assert result.exit_code == 1
    assert path.read_text(encoding="utf-8") == "mine"


REGISTER_FIXTURES = FIXTURES / "inputs" / "register"


def test_register_lists_what_is_due_from_a_given_day(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = runner.invoke(app, ["register", str(REGISTER_FIXTURES), "--out", str(out), "--due", "14", "--today", "2023-02-01"])
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines() == [
        f"register: 5 decisions -> {out / 'register.csv'}, {out / 'register.xlsx'}, {out / 'register.html'}",
        "due within 14 days of 01/02/2023: 3",
        "awaiting signature: PCD 1301: approved by the officer on 10/01/2023 (approved.yaml)",
        "deferral ends: PCD 1303: 20/01/2023, 12 days overdue (deferral-ended.yaml)",
        "deferral ends: PCD 1302: 15/02/2023, in 14 days (deferred.yaml)",
    ]
    later = runner.invoke(app, ["register", str(REGISTER_FIXTURES), "--out", str(out), "--due", "30", "--today", "2023-02-01"])
    assert later.stdout.splitlines()[-1] == "Part 2 review: PCD 1304: 20/02/2023, in 19 days (part-2-review.yaml)"
    assert later.exit_code == 0


def test_register_lists_an_invalid_input_reports_it_and_exits_1(tmp_path: Path, write_input: WriteInput) -> None:
    write_input("reference: PCD 1\ntitle: x\ndecision_form: {form: dmpc-2022}\n", "bad.yaml")
    shutil.copy(MINIMAL, tmp_path / "minimal.yaml")
    result = runner.invoke(app, ["register", str(tmp_path), "--out", str(tmp_path / "out"), "--due", "7", "--today", "2023-02-01"])
    assert result.exit_code == 1
    assert f"{tmp_path / 'bad.yaml'}:3:1: decision_form.part_1: required field is missing" in result.stderr.splitlines()
    assert "register: 2 decisions, 1 invalid" in result.stdout and "nothing due within 7 days of 01/02/2023" in result.stdout
    assert "Traceback" not in result.output
    assert ",Invalid,3," in (tmp_path / "out" / "register.csv").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "args",
    [["register", "missing-folder"], ["register", str(MINIMAL)], ["register", "--due", "-1"], ["register", "--today", "03/11/2022"]],
    ids=["no such folder", "a file", "negative days", "not ISO"],
)
def test_register_usage_errors_exit_2(args: list[str], tmp_path: Path) -> None:
    result = runner.invoke(app, [*args, "--out", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert not (tmp_path / "out").exists()


def test_register_into_a_file_fails_with_one_line(tmp_path: Path) -> None:
    (tmp_path / "out").write_text("a file", encoding="utf-8")
    result = runner.invoke(app, ["register", str(REGISTER_FIXTURES), "--out", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert result.stderr.startswith(f"cannot write {tmp_path / 'out'}:") and len(result.stderr.splitlines()) == 1
    assert (tmp_path / "out").read_text(encoding="utf-8") == "a file"


def test_help_loads_none_of_the_generator() -> None:
    """`grantdocs --help` (and a usage error) answers without loading what the commands use: the
    start-up a user waits for is Python's and typer's (the benchmark times it: help_s)."""
    heavy = ("pydantic", "docxtpl", "docx", "lxml", "jinja2", "yaml", "ruamel", "generator.build.batch", "generator.inputs.load")
    code = (
        "import sys, cli\n"
        "try:\n    cli.app(['--help'])\nexcept SystemExit:\n    pass\n"
        f"print('LOADED:', *[m for m in {heavy!r} if m in sys.modules])\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60, check=True).stdout
    assert "Usage" in out and "batch" in out
    assert out.strip().splitlines()[-1] == "LOADED:"
