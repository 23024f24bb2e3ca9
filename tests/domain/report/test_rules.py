"""Consistency checks across a report, its tables and the decision form: each names both places."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from generator.errors import InputError
from generator.inputs.load import load_decision
from tests.conftest import FIXTURES

REPORT = (FIXTURES / "inputs" / "report.yaml").read_text(encoding="utf-8")

# (case, replace this text of the fixture, with this, expected lines without the file name)
CASES = [
    (
        "recommendation amount vs grant",
        "    - text: accept grant funding of £300,000.00 from the Home Office.\n      amount: 300000.00",
        "    - text: accept grant funding of £350,000.00 from the Home Office.\n      amount: 350000.00",
        [
            "9:15: decision_form.recommendations[0].amount: approves £350,000.00 but the grant is £300,000.00 "
            "(see report.grant.amount at {path}:53)"
        ],
    ),
    (
        "recommendation text vs its amount",
        "Approve the acceptance of grant totalling £0.300m in 2023/24.",
        "Approve the acceptance of grant totalling £0.310m in 2023/24.",
        [
            "31:17: report.recommendations[0].items[0].text: names £0.310m but the amount is £300,000.00 "
            "(see report.recommendations[0].items[0].amount at {path}:32)"
        ],
    ),
    (
        "breakdown vs grant",
        "        amount: 100000.00\n  costs:",
        "        amount: 90000.00\n  costs:",
        ["57:7: report.grant.breakdown: adds up to £290,000.00 but the grant is £300,000.00 (see report.grant.amount at {path}:53)"],
    ),
    (
        "staffing tables' grants vs grant",
        "        grant: 100000\n",
        "        grant: 110000\n",
        [
            "73:7: report.costs.staffing: the staffing tables' grants add up to £310,000.00 but the grant is £300,000.00 "
            "(see report.grant.amount at {path}:53)",
        ],
    ),
    (
        "grant funding outside the funding period",
        "Grant Funding: [300000, 0]",
        "Grant Funding: [200000, 100000]",
        [
            "67:13: report.costs.summaries[0].funding[0]: grant funding of £100,000.00 in 2024/25, outside the funding period "
            "2023/24 (see report.grant.start at {path}:54)"
        ],
    ),
    (
        "summary grant row vs grant",
        "Grant Funding: [300000, 0]",
        "Grant Funding: [290000, 0]",
        [
            "67:13: report.costs.summaries[0].funding[0]: grant funding adds up to £290,000.00 but the grant is £300,000.00 "
            "(see report.grant.amount at {path}:53)"
        ],
    ),
    (
        "a month deadline in the meeting's month is fine",
        "required_by: 2023-04-30",
        "required_by: 2023-04",
        [],
    ),
    (
        "time sensitivity before the meeting",
        "required_by: 2023-04-30",
        "required_by: 2023-03",
        [
            "34:18: report.time_sensitivity.required_by: the decision is required by March 2023, before the meeting on "
            "12th April 2023 (see report.meeting_date at {path}:23)"
        ],
    ),
    (
        "unknown table placed",
        "        - table: Team B\n",
        "        - table: Team C\n",
        [
            "46:18: report.sections[1].content[3].table: no cost table titled 'Team C' (did you mean 'Team B'?)",
            "79:16: report.costs.staffing[1].title: table 'Team B' is never placed: add `- table: Team B` where the text puts it",
        ],
    ),
    (
        "footnote not defined",
        "      footnote: plan\n",
        "      footnote: plans\n",
        [
            "38:17: report.sections[0].footnote: no footnote 'plans' in footnotes (did you mean 'plan'?)",
            "49:7: report.footnotes.plan: footnote is never marked: add `footnote: plan` where it belongs",
        ],
    ),
    (
        "unknown report section",
        "    - key: financial",
        "    - key: finance",
        ["41:12: report.sections[1].key: unknown section 'finance' (did you mean 'financial'?)"],
    ),
]


@pytest.mark.parametrize(("case", "old", "new", "expected"), CASES, ids=[f"{i}-{c[0]}" for i, c in enumerate(CASES)])
def test_cross_checks_name_both_places(case: str, old: str, new: str, expected: list[str], write_input: Callable[[str], Path]) -> None:
    assert old in REPORT, f"test case {case!r} no longer matches the fixture"
    path = write_input(REPORT.replace(old, new, 1))
    if not expected:
        assert load_decision(path).report is not None
        return
    with pytest.raises(InputError) as caught:
        load_decision(path)
    assert [str(p).removeprefix(f"{path}:") for p in caught.value.problems] == [e.replace("{path}", str(path)) for e in expected]


def test_fixture_is_consistent(write_input: Callable[[str], Path]) -> None:
    decision = load_decision(write_input(REPORT))
    assert decision.report is not None and decision.report.grant is not None
    assert decision.report.grant.amount == 300000
