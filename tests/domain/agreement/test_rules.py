"""Consistency checks of the grant agreement against the decision: each names both places, file:line."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from generator.errors import InputError
from generator.inputs.load import AGREEMENT_WORDING, load_agreement_wording, load_decision
from tests.conftest import FIXTURES

AGREEMENT = (FIXTURES / "inputs" / "agreement.yaml").read_text(encoding="utf-8")
GRANT_BLOCK = """  grant:
    funder: Home Office
    amount: 300000.00
    start: 2023-04-01
    end: 2024-03-31
    breakdown:
      - activity: Team A & partners
        amount: 200000.00
      - activity: Team B
        amount: 100000.00
"""

# (case, [(replace this text of the fixture, with this)], expected lines without the file name)
CASES: list[tuple[str, list[tuple[str, str]], list[str]]] = [
    (
        "payment profile does not add up to the grant",
        [("date: 2024-03-31, amount: 150000.00", "date: 2024-03-31, amount: 140000.00")],
        ["59:5: agreement.payment_profile: adds up to £290,000.00 but the grant is £300,000.00 (see report.grant.amount at {path}:38)"],
    ),
    (
        "payment date after the funding period",
        [("date: 2024-03-31, amount", "date: 2024-04-30, amount")],
        [
            "60:52: agreement.payment_profile[1].date: 30/04/2024 is after the funding period ends on 31/03/2024 "
            "(see report.grant.end at {path}:40)"
        ],
    ),
    (
        "payment date before the funding period",
        [("date: 2023-09-30", "date: 2023-03-31")],
        [
            "59:49: agreement.payment_profile[0].date: 31/03/2023 is before the funding period starts on 01/04/2023 "
            "(see report.grant.start at {path}:39)"
        ],
    ),
    (
        "claims out of order",
        [("date: 2023-09-30", "date: 2024-03-31")],
        [
            "60:52: agreement.payment_profile[1].date: claim periods must be in order: 31/03/2024 is not after the "
            "previous claim's 31/03/2024 (see agreement.payment_profile[0].date at {path}:59)"
        ],
    ),
    (
        "breakdown does not add up to the maximum sum",
        [("      - activity: Team B\n        amount: 100000.00", "      - activity: Team B\n        amount: 90000.00")],
        ["42:7: report.grant.breakdown: adds up to £290,000.00 but the grant is £300,000.00 (see report.grant.amount at {path}:38)"],
    ),
    (
        "agreement's sum differs from the sum the decision approves",
        [
            (
                "£300,000.00 from the Home Office in 2023/24.\n      amount: 300000.00",
                "£350,000.00 from the Home Office in 2023/24.\n      amount: 350000.00",
            )
        ],
        [
            "9:15: decision_form.recommendations[0].amount: approves £350,000.00 but the grant is £300,000.00 "
            "(see report.grant.amount at {path}:38)"
        ],
    ),
    (
        "no recommendation states the sum approved",
        [("\n      amount: 300000.00\n", "\n"), ("\n          amount: 300000.00\n", "\n")],
        [
            "46:3: agreement: no recommendation states the sum it approves: add `amount:` to the recommendation "
            "accepting the grant, so that the agreement's maximum sum can be checked against it "
            "(see decision_form.recommendations[0] at {path}:8)"
        ],
    ),
    (
        "funding period does not start on 1 April",
        [("start: 2023-04-01", "start: 2023-05-01")],
        [
            "39:12: report.grant.start: the agreement funds whole financial years, so its funding period starts on "
            "1 April: 01/05/2023 is not (see agreement at {path}:48)"
        ],
    ),
    (
        "funding period does not end on 31 March",
        [("end: 2024-03-31", "end: 2024-03-30"), ("date: 2024-03-31", "date: 2024-03-30")],
        [
            "40:10: report.grant.end: the agreement funds whole financial years, so its funding period ends on "
            "31 March: 30/03/2024 is not (see agreement at {path}:48)"
        ],
    ),
    (
        "recommendation approves the grant for another financial year",
        [("from the Home Office in 2023/24.", "from the Home Office in 2024/25.")],
        [
            "8:13: decision_form.recommendations[0].text: approves the grant for 2024/25, but the agreement's "
            "funding period is 2023/24 (see report.grant.start at {path}:39)"
        ],
    ),
    (
        "no report.grant to take the sum from",
        [(GRANT_BLOCK, "")],
        [
            "38:3: agreement: the agreement takes its maximum sum, funding period and breakdown from report.grant: "
            "add a report with a `grant` section (see report at {path}:21)"
        ],
    ),
    (
        "no breakdown by funded activity",
        [
            (
                """    breakdown:
      - activity: Team A & partners
        amount: 200000.00
      - activity: Team B
        amount: 100000.00
""",
                "",
            )
        ],
        [
            "43:3: agreement: the agreement breaks the maximum sum down by funded activity: give "
            "report.grant.breakdown (see report.grant at {path}:37)"
        ],
    ),
    (
        "a party's signatory missing",
        [("    authority:\n      position: Authorised signatory\n", "")],
        ["69:3: agreement.signatories.authority: required field is missing"],
    ),
    (
        "a signatory without a position",
        [("      position: Chief Finance Officer\n", "")],
        ["72:5: agreement.signatories.recipient.position: required field is missing"],
    ),
    (
        "no contact for a party",
        [("    - {party: authority, role: Home Office grant manager}\n", "")],
        ["67:5: agreement.contacts: no contact for the Authority: add one with `party: authority`"],
    ),
    (
        "agreement dated before the DMPC approved the grant",
        [("  reference: HO-TEST-2023-24\n", "  reference: HO-TEST-2023-24\n  date: 2023-05-09\n")],
        [
            "49:9: agreement.date: the agreement formalises an approved grant: 9th May 2023 is before the DMPC's "
            "approval on 10th May 2023 (see decision_form.dmpc.date at {path}:11)"
        ],
    ),
    (
        "omitting a required clause",
        [("      name: A N Other\n", "      name: A N Other\n  clauses:\n    omit: [payment]\n")],
        [
            "76:12: agreement.clauses.omit[0]: clause 'payment' (Payment and claims) is required and cannot be "
            "omitted; optional clauses: assets_ip, general"
        ],
    ),
    (
        "omitting a clause that does not exist",
        [("      name: A N Other\n", "      name: A N Other\n  clauses:\n    omit: [asset_ip]\n")],
        ["76:12: agreement.clauses.omit[0]: no standard clause 'asset_ip' (did you mean 'assets_ip'?)"],
    ),
    (
        "an extra clause after a clause that does not exist",
        [
            (
                "      name: A N Other\n",
                "      name: A N Other\n  clauses:\n    extra:\n      - heading: Training\n"
                "        after: monitorng\n        paragraphs: [The teams will be trained.]\n",
            )
        ],
        ["78:16: agreement.clauses.extra[0].after: no standard clause 'monitorng' (did you mean 'monitoring'?)"],
    ),
    (
        "an extra clause after an omitted clause",
        [
            (
                "      name: A N Other\n",
                "      name: A N Other\n  clauses:\n    omit: [general]\n    extra:\n"
                "      - heading: Training\n        after: general\n        paragraphs: [The teams will be trained.]\n",
            )
        ],
        [
            "79:16: agreement.clauses.extra[0].after: clause 'general' is omitted, so nothing can follow it "
            "(see agreement.clauses.omit[0] at {path}:76)"
        ],
    ),
    (
        "an extra clause with an unknown placeholder",
        [
            (
                "      name: A N Other\n",
                "      name: A N Other\n  clauses:\n    extra:\n      - heading: Training\n"
                "        after: monitoring\n        paragraphs:\n          - Up to {maximum} is for training.\n",
            )
        ],
        [
            "80:13: agreement.clauses.extra[0].paragraphs[0].text: unknown placeholder {maximum} (known: {authority}, "
            "{recipient}, {grant_name}, {reference}, {decision_reference}, {has_approved}, {approved}, {maximum_sum}, {period_start}, {period_end}, "
            "{financial_years}, {purpose}, {statutory_power}, {reporting_frequency}, {match_funding}, "
            "{publication_citation}, {clause:<key>})"
        ],
    ),
    (
        "an extra clause referring to an optional clause that is omitted",
        [
            (
                "      name: A N Other\n",
                "      name: A N Other\n  clauses:\n    omit: [assets_ip]\n    extra:\n"
                "      - heading: Training\n        after: monitoring\n        paragraphs:\n          - See {clause:assets_ip}.\n",
            )
        ],
        [
            "81:13: agreement.clauses.extra[0].paragraphs[0].text: {clause:assets_ip}: clause 'assets_ip' is omitted "
            "(see agreement.clauses.omit[0] at {path}:76)"
        ],
    ),
]


def _edited(replacements: list[tuple[str, str]]) -> str:
    text = AGREEMENT
    for old, new in replacements:
        assert old in text, f"no longer matches the fixture: {old!r}"
        text = text.replace(old, new, 1)
    return text


@pytest.mark.parametrize(("case", "replacements", "expected"), CASES, ids=[f"{i}-{c[0]}" for i, c in enumerate(CASES)])
def test_consistency_errors_name_both_places(
    case: str, replacements: list[tuple[str, str]], expected: list[str], write_input: Callable[[str], Path]
) -> None:
    path = write_input(_edited(replacements))
    with pytest.raises(InputError) as caught:
        load_decision(path)
    assert [str(p).removeprefix(f"{path}:") for p in caught.value.problems] == [e.replace("{path}", str(path)) for e in expected]


@pytest.mark.parametrize(
    "replacements",
    [
        [],
        [("      name: A N Other\n", "      name: A N Other\n  clauses:\n    omit: [assets_ip, general]\n")],
        [("      name: A N Other\n", "      name: A N Other\n  date: 2023-05-10\n")],
    ],
    ids=["as written", "optional clauses omitted", "dated on the day of approval"],
)
def test_consistent_agreement_loads(replacements: list[tuple[str, str]], write_input: Callable[[str], Path]) -> None:
    decision = load_decision(write_input(_edited(replacements)))
    assert decision.agreement is not None and decision.agreement.reference == "HO-TEST-2023-24"


def test_clause_library_placeholders_are_checked(tmp_path: Path) -> None:
    library = AGREEMENT_WORDING.read_text(encoding="utf-8")
    path = tmp_path / "grant-agreement.yaml"
    path.write_text(library.replace("under {statutory_power}.", "under {power}.", 1), encoding="utf-8")
    with pytest.raises(InputError, match=r"grant-agreement\.yaml:\d+:\d+: recitals\[0\]: unknown placeholder \{power\}"):
        load_agreement_wording(path)


def test_clause_library_references_only_required_clauses(tmp_path: Path) -> None:
    library = AGREEMENT_WORDING.read_text(encoding="utf-8")
    path = tmp_path / "grant-agreement.yaml"
    path.write_text(library.replace("{clause:purpose}", "{clause:assets_ip}", 1), encoding="utf-8")
    with pytest.raises(InputError, match="clause 'assets_ip' is optional, so an input could omit it"):
        load_agreement_wording(path)
