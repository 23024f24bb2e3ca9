"""Bad inputs and the exact lines an officer sees for them."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from generator.errors import InputError
from generator.inputs.load import load_decision


def problems_for(path: Path) -> list[str]:
    with pytest.raises(InputError) as caught:
        load_decision(path)
    return [str(p).removeprefix(f"{path}:") for p in caught.value.problems]


RECOMMENDATION = "    - text: accept grant funding of £10,000.00 from the Home Office."
MINIMAL_RECOMMENDATION = "    - accept grant funding of £10,000.00 from the Home Office."

# (case, replace this text of the minimal input, with this, expected lines without the file name)
CASES = [
    (
        "yaml syntax error",
        "  dmpc:\n    date: 2022-11-03",
        "  dmpc:\n    date: [2022-11-03",
        ["11:9: (yaml): YAML syntax error: while parsing a flow sequence did not find expected ',' or ']'"],
    ),
    (
        "tab indentation",
        "  publication:\n    defer_part_1: no",
        "  publication:\n\tdefer_part_1: no",
        [
            "16:1: (yaml): YAML syntax error: while scanning for the next token found character that cannot start any token",
            "16:1: (yaml): hint: a tab here: YAML takes only spaces to indent a line and after - or ':': type spaces instead",
        ],
    ),
    (
        "unknown key with suggestion",
        "title: Test",
        "titel: Test",
        ["1:1: title: required field is missing", "2:1: titel: unknown key 'titel' (did you mean 'title'?)"],
    ),
    (
        "unknown nested key",
        "  drafting_officer:",
        "  drafting_oficer:",
        ["17:3: decision_form.drafting_oficer: unknown key 'drafting_oficer' (did you mean 'drafting_officer'?)"],
    ),
    (
        "duplicate key",
        "title: Test decision\n",
        "title: Test decision\ntitle: Again\n",
        ["3:1: title: duplicate key (first given on line 2)"],
    ),
    ("wrong type: list for text", "title: Test decision", "title: [a, b]", ["2:8: title: must be text (got a list)"]),
    (
        "wrong type: boolean",
        "defer_part_1: no",
        "defer_part_1: perhaps",
        ["16:19: decision_form.publication.defer_part_1: must be yes or no"],
    ),
    (
        "wrong type: date",
        "date: 2022-11-03",
        "date: 31/02/2022",
        ["10:11: decision_form.dmpc.date: not a date: '31/02/2022' (write 2022-11-03 or 03/11/2022)"],
    ),
    ("missing required field", "  form: dmpc-2022\n", "", ["3:1: decision_form.form: required field is missing"]),
    (
        "bad reference",
        "reference: PCD 1300",
        "reference: PCD-1300",
        [
            '1:12: reference: \'PCD-1300\' is not a decision reference: write "PCD 1284" (or "PCD TBC" until the number is assigned) or, for older decisions, "DMPCD 2015 148"'
        ],
    ),
    (
        "empty recommendations",
        "  recommendations:\n" + RECOMMENDATION,
        "  recommendations: []",
        ["7:20: decision_form.recommendations: must not be empty: give at least one"],
    ),
    (
        "unknown form version",
        "form: dmpc-2022",
        "form: dmpc-2021",
        ["4:9: decision_form.form: unknown form version 'dmpc-2021' (did you mean 'dmpc-2022'?)"],
    ),
    (
        "unknown section key",
        "key: introduction",
        "key: intro",
        ["12:12: decision_form.part_1[0].key: unknown section 'intro' (did you mean 'introduction'?)"],
    ),
    (
        "deferral without reason or date",
        "defer_part_1: no",
        "defer_part_1: yes",
        [
            "15:3: decision_form.publication.deferral_reason: required when publication of Part 1 is deferred",
            "15:3: decision_form.publication.deferred_until: required when publication of Part 1 is deferred",
        ],
    ),
    (
        "deferral ends before the decision",
        "defer_part_1: no",
        "defer_part_1: yes\n    deferral_reason: Operational.\n    deferred_until: 2022-11-03",
        [
            "18:21: decision_form.publication.deferred_until: deferral must end after the decision date "
            "(03/11/2022 is not after 03/11/2022) (see decision_form.dmpc.date at {path}:10)"
        ],
    ),
    (
        "officer approves after the DMPC",
        "date: 2022-10-26",
        "date: 2022-11-04",
        [
            "20:11: decision_form.officer_approval.date: the officer must approve before the DMPC: "
            "4th November 2022 is after the DMPC's approval on 3rd November 2022 (see decision_form.dmpc.date at {path}:10)"
        ],
    ),
    (
        "drafting officer missing",
        "  drafting_officer: A N Officer\n",
        "",
        [
            "3:1: decision_form.drafting_officer: required: the Drafting Officer declaration names who drafted the form (see decision_form.declarations[5] at {path}:17)"
        ],
    ),
    (
        "control character in text",
        "title: Test decision",
        'title: "Test\\adecision"',
        ["2:8: title: contains the control character U+0007 at character 5, which a Word document cannot hold: delete it"],
    ),
    (
        "negative money",
        RECOMMENDATION,
        RECOMMENDATION + "\n      amount: -10000.00",
        ["9:15: decision_form.recommendations[0].amount: money must not be negative (got -10000.00)"],
    ),
    (
        "fractions of a penny",
        RECOMMENDATION,
        RECOMMENDATION + "\n      amount: 10000.005",
        ["9:15: decision_form.recommendations[0].amount: 10000.005 has fractions of a penny; money is held to the penny"],
    ),
    (
        "not money",
        RECOMMENDATION,
        RECOMMENDATION + "\n      amount: ten thousand",
        ["9:15: decision_form.recommendations[0].amount: not an amount of money: 'ten thousand' (write e.g. 450000.00 or £450,000.00)"],
    ),
    (
        "amount disagrees with the text",
        RECOMMENDATION,
        RECOMMENDATION + "\n      amount: £12,000",
        [
            "8:13: decision_form.recommendations[0].text: names £10,000.00 but the amount is £12,000.00 "
            "(see decision_form.recommendations[0].amount at {path}:9)"
        ],
    ),
    (
        "several errors at once",
        "title: Test decision",
        "title:\nrefrence: x",
        ["2:7: title: must be text (got nothing)", "3:1: refrence: unknown key 'refrence' (did you mean 'reference'?)"],
    ),
]


@pytest.mark.parametrize(("case", "old", "new", "expected"), CASES, ids=[c[0] for c in CASES])
def test_bad_input_lines(case: str, old: str, new: str, expected: list[str], minimal_text: str, write_input: Callable[[str], Path]) -> None:
    text = minimal_text.replace(MINIMAL_RECOMMENDATION, RECOMMENDATION)
    assert old in text, f"test case {case!r} no longer matches the minimal input"
    path = write_input(text.replace(old, new, 1))
    assert problems_for(path) == [line.replace("{path}", str(path)) for line in expected]


def test_minimal_input_is_valid(write_input: Callable[[str], Path], minimal_text: str) -> None:
    decision = load_decision(write_input(minimal_text))
    assert decision.reference == "PCD 1300"
    assert decision.decision_form is not None
    assert decision.decision_form.part_1[0].paragraphs[0].text == "The Home Office has made an offer."


def test_amount_matching_the_text_is_accepted(write_input: Callable[[str], Path], minimal_text: str) -> None:
    text = minimal_text.replace(MINIMAL_RECOMMENDATION, RECOMMENDATION + "\n      amount: 10000")
    decision = load_decision(write_input(text))
    assert decision.decision_form is not None
    assert str(decision.decision_form.recommendations[0].amount) == "10000"


def test_missing_file_is_reported_not_raised(tmp_path: Path) -> None:
    assert problems_for(tmp_path / "nope.yaml") == ["1:1: (file): no such file"]
