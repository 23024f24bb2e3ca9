"""`grantdocs new decision`: a skeleton that fails validation until its blanks are filled."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from cli import app
from generator.errors import InputError
from generator.inputs.load import load_decision

runner = CliRunner()


def fill_blanks(data: Any, key: str = "") -> Any:
    """What an officer does: write something in every blank (dates may stay blank until signed)."""
    if isinstance(data, dict):
        return {k: fill_blanks(v, k) for k, v in data.items()}
    if isinstance(data, list):
        return [fill_blanks(v, key) for v in data]
    if data is None and key != "date":
        return "PCD 1301" if key == "reference" else "Some text written by the officer."
    return data


@pytest.mark.parametrize("form", ["dmpc-2022", "dmpcd-v5-2014"])
def test_skeleton_fails_until_filled_then_validates(tmp_path: Path, form: str) -> None:
    path = tmp_path / "new.yaml"
    result = runner.invoke(app, ["new", "decision", str(path), "--form", form])
    assert result.exit_code == 0, result.stderr

    with pytest.raises(InputError) as blank:
        load_decision(path)
    fields = {p.field for p in blank.value.problems}
    assert {"reference", "title", "decision_form.recommendations[0]", "decision_form.part_1[0].paragraphs[0]"} <= fields

    filled = fill_blanks(yaml.safe_load(path.read_text(encoding="utf-8")))
    path.write_text(yaml.safe_dump(filled, allow_unicode=True), encoding="utf-8")
    decision = load_decision(path)
    assert decision.decision_form is not None
    assert decision.decision_form.form == form
    assert runner.invoke(app, ["validate", str(path)]).exit_code == 0
