"""A decision's register row: its status and the money it moves, from the input alone."""

from __future__ import annotations

from decimal import Decimal

import pytest

from generator.domain.lifecycle.register import register_row
from generator.domain.lifecycle.status import Stage
from generator.inputs.load import load_decision
from tests.conftest import EXAMPLES, WriteInput


@pytest.mark.parametrize(
    ("name", "stage", "money_in", "money_out"),
    [
        # money in typed as two grants accepted; the report accepts the same 1,701,000.00
        ("ocs-grant-2023-24.yaml", Stage.DRAFT, Decimal("1701000.00"), None),
        # no money typed: money in is the grant its report accepts
        ("pcd-1284.yaml", Stage.SIGNED, Decimal("450000.00"), None),
        # an allocation of 875,000.00 and a contract at the value of its initial term (55,117.00),
        # not its maximum with the extensions (170,376.00)
        ("pcd-1760-shared-endeavour-fund.yaml", Stage.DRAFT, Decimal("935000.00"), Decimal("930117.00")),
        # four grants of 4,884,286.00 and allocations of 21,326,084.00
        ("pcd-421-lcpf.yaml", Stage.SIGNED, Decimal("26210370.00"), Decimal("26210370.00")),
        # only noted sums, nothing typed
        ("dmpcd-2015-148.yaml", Stage.SIGNED, None, None),
    ],
)
def test_each_example_s_row(name: str, stage: Stage, money_in: Decimal | None, money_out: Decimal | None) -> None:
    row = register_row(load_decision(EXAMPLES / name))
    assert (row.status.stage, row.money_in, row.money_out) == (stage, money_in, money_out)


def test_the_report_s_grant_is_money_in_until_money_in_is_typed(report_text: str, write_input: WriteInput) -> None:
    row = register_row(load_decision(write_input(report_text)))
    assert row.form_version == "dmpc-2022" and (row.money_in, row.money_out) == (Decimal("300000.00"), None)
    typed = (
        "money:\n  funding:\n"
        "    - {key: home-office, source: Home Office, kind: grant, amount: 300000.00}\n"
        "    - {key: mps, source: MPS revenue budget, kind: match-funding, amount: 20000.00}\n"
    )
    assert register_row(load_decision(write_input(report_text + typed))).money_in == Decimal("320000.00")


def test_a_report_written_ahead_of_its_form_has_no_form_version(report_text: str, write_input: WriteInput) -> None:
    start, end = report_text.index("decision_form:"), report_text.index("report:")
    report_only = register_row(load_decision(write_input(report_text[:start] + report_text[end:])))
    assert report_only.form_version is None and report_only.status.stage is Stage.DRAFT


def test_a_budget_typed_in_is_money_in_as_a_grant_is(minimal_text: str, write_input: WriteInput) -> None:
    text = minimal_text.replace("kind: grant", "kind: budget").replace("amount: 10000.00", "amount: 12000.00")
    text += "  grants:\n    - key: barnet\n      recipient: London Borough of Barnet\n      amount: 10000.00\n"
    text = text.replace("accept grant funding of £10,000.00 from the Home Office.", "award a grant of £10,000.00 to Barnet.")
    row = register_row(load_decision(write_input(text.replace("£10,000 of grant", "£12,000 of budget"))))
    assert (row.reference, row.title, row.money_in, row.money_out) == (
        "PCD 1300",
        "Test decision",
        Decimal("12000.00"),
        Decimal("10000.00"),
    )
