"""Every problem at once: a shape error in one section does not hide the broken rules of the
others, and a rule whose own input has a shape error stays silent (that error is enough)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli import app
from generator.domain.decision.model import Decision
from generator.errors import InputError
from generator.inputs.load import load_decision
from generator.inputs.validation import validate_sections
from generator.inputs.yaml_reader import read_source
from tests.conftest import FIXTURES

runner = CliRunner()
INPUTS = FIXTURES / "inputs"
OFFICER_AFTER_DMPC = (
    "19:11: decision_form.officer_approval.date: the officer must approve before the DMPC: 20th May 2023 is after "
    "the DMPC's approval on 10th May 2023 (see decision_form.dmpc.date at {path}:11)"
)

# (case, fixture, [(replace this, with this)], expected lines without the file name)
CASES = [
    (
        "misspelt key in the report, dates out of order on the form",
        "report.yaml",
        [("  meeting:", "  meting:"), ("    date: 2023-05-01", "    date: 2023-05-20")],
        [
            OFFICER_AFTER_DMPC,
            "20:1: report.meeting: required field is missing",
            "22:3: report.meting: unknown key 'meting' (did you mean 'meeting'?)",
        ],
    ),
    (
        "misspelt key on the form, grant breakdown not adding up in the report",
        "report.yaml",
        [("  drafting_officer:", "  drafting_oficer:"), ("        amount: 100000.00", "        amount: 90000.00")],
        [
            "16:3: decision_form.drafting_oficer: unknown key 'drafting_oficer' (did you mean 'drafting_officer'?)",
            "57:7: report.grant.breakdown: adds up to £290,000.00 but the grant is £300,000.00 (see report.grant.amount at {path}:53)",
        ],
    ),
    (
        "wrong type of title, deferral without its reason and date",
        "minimal.yaml",
        [("title: Test decision", "title: [a, b]"), ("defer_part_1: no", "defer_part_1: yes")],
        [
            "2:8: title: must be text (got a list)",
            "15:3: decision_form.publication.deferral_reason: required when publication of Part 1 is deferred",
            "15:3: decision_form.publication.deferred_until: required when publication of Part 1 is deferred",
        ],
    ),
    (
        "unknown key in the grant, dates out of order on the form",
        "report.yaml",
        [("    end: 2024-03-31", "    end: 2024-03-31\n    bogus: 1"), ("    date: 2023-05-01", "    date: 2023-05-20")],
        [OFFICER_AFTER_DMPC, "56:5: report.grant.bogus: unknown key 'bogus' (expected one of: amount, breakdown, end, funder, start)"],
    ),
    (
        "bad date in the agreement, decision required before the meeting in the report",
        "agreement.yaml",
        [
            ("date: 2023-09-30", "date: 2023-09-31"),
            ("  report_by:", "  meeting_date: 2023-05-12\n  time_sensitivity: {required_by: 2023-04-30, reason: x}\n  report_by:"),
        ],
        [
            "24:35: report.time_sensitivity.required_by: the decision is required by 30th April 2023, before the meeting on "
            "12th May 2023 (see report.meeting_date at {path}:23)",
            "61:49: agreement.payment_profile[0].date: not a date: '2023-09-31' (write 2022-11-03 or 03/11/2022)",
        ],
    ),
    (
        "a slip the reader refuses in the report, dates out of order on the form",
        "report.yaml",
        [
            ("        - The teams tackle organised crime.", "        - The teams tackle organised crime.\n         - The second team."),
            ("    date: 2023-05-01", "    date: 2023-05-20"),
        ],
        [
            OFFICER_AFTER_DMPC,
            "41:10: report.sections[0].content[0]: this list item is indented further than the items above it (its - is in column 10, "
            "theirs in column 9), so YAML reads it as more of the paragraph before it ('The teams tackle organised crime. - The "
            "second team.'): line its - up with theirs; if the dash belongs to the text, put the whole paragraph in single quotes, "
            "writing any ' inside it as ''; or write > in its place and the paragraph on the lines below it, indented further",
        ],
    ),
]

# A rule whose own input is invalid: only the shape error, no follow-on noise.
ALONE = [
    (
        "the grant's amount (recommendations, breakdown, tables, payment profile all compare with it)",
        "agreement.yaml",
        [("    amount: 300000.00\n    start", "    amount: ten thousand\n    start")],
        ["38:13: report.grant.amount: not an amount of money: 'ten thousand' (write e.g. 450000.00 or £450,000.00)"],
    ),
    (
        "a misspelt report: the agreement takes its grant from it",
        "agreement.yaml",
        [("report:", "reprot:")],
        ["20:1: reprot: unknown key 'reprot' (did you mean 'report'?)"],
    ),
    (
        "a misspelt report: Part 2 needs its statement",
        "part-2.yaml",
        [("report:", "reprot:")],
        ["25:1: reprot: unknown key 'reprot' (did you mean 'report'?)"],
    ),
    (
        "an invalid report: the form's 'Part 2: yes' is not compared with it",
        "part-2.yaml",
        [("  meeting:", "  meting:")],
        ["25:1: report.meeting: required field is missing", "27:3: report.meting: unknown key 'meting' (did you mean 'meeting'?)"],
    ),
    (
        "a form recommendation with a list item joined to its text, which then names two sums",
        "report.yaml",
        [("from the Home Office.\n", "from the Home Office\n        - £50,000.00 for training.\n")],
        [
            "9:9: decision_form.recommendations[0].text: a line starting with '- ' under text is read as more of that text "
            "('accept grant funding of £300,000.00 from the Home Office - …'): a list goes on the lines under its key, with "
            "nothing after the colon; if the dash belongs to the text, put the whole text in single quotes, writing any ' inside "
            "it as ''; or write > in its place and the text on the lines below it, indented further"
        ],
    ),
    (
        "the DMPC's date, which the officer's approval and the agreement's date are compared with",
        "agreement.yaml",
        [("    date: 2023-05-10", "    date: 10 May 2023"), ("    date: 2023-05-01", "    date: 2023-06-01")],
        ["11:11: decision_form.dmpc.date: not a date: '10 May 2023' (write 2022-11-03 or 03/11/2022)"],
    ),
]


def edited(fixture: str, edits: list[tuple[str, str]], write_input: Callable[[str], Path]) -> Path:
    text = (INPUTS / fixture).read_text(encoding="utf-8")
    for old, new in edits:
        assert old in text, f"{old!r} no longer in {fixture}"
        text = text.replace(old, new, 1)
    return write_input(text)


def problems_for(path: Path) -> list[str]:
    with pytest.raises(InputError) as caught:
        load_decision(path)
    return [str(p).removeprefix(f"{path}:") for p in caught.value.problems]


@pytest.mark.parametrize(("case", "fixture", "edits", "expected"), CASES + ALONE, ids=[c[0] for c in CASES + ALONE])
def test_every_problem_at_once(
    case: str, fixture: str, edits: list[tuple[str, str]], expected: list[str], write_input: Callable[[str], Path]
) -> None:
    path = edited(fixture, edits, write_input)
    assert problems_for(path) == [line.replace("{path}", str(path)) for line in expected]


def test_validate_prints_the_shape_error_and_the_broken_rule(write_input: Callable[[str], Path]) -> None:
    fixture, edits, expected = CASES[1][1:]
    path = edited(fixture, edits, write_input)
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [f"{path}:{line}".replace("{path}", str(path)) for line in expected]


def test_a_valid_section_beside_an_invalid_one_is_read_as_written(write_input: Callable[[str], Path]) -> None:
    """The rules see the valid sections exactly as a valid input would give them."""
    path = edited("report.yaml", [("  meeting:", "  meting:"), ("    date: 2023-05-01", "    date: 2023-05-20")], write_input)
    checked = validate_sections(Decision, read_source(path, raise_problems=False))
    assert checked.model is not None and checked.invalid == {"report"}
    assert checked.model.report is None
    whole = load_decision(edited("report.yaml", [], write_input))
    assert checked.model.decision_form is not None and whole.decision_form is not None
    assert checked.model.decision_form.model_copy(update={"officer_approval": whole.decision_form.officer_approval}) == whole.decision_form
