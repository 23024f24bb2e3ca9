"""The rules of a decision's life: declarations confirmed before the DMPC signs, dates in the
order things happen, agreements naming the decision's parties."""

from __future__ import annotations

import pytest

from tests.conftest import FIXTURES, WriteInput, confirmed_declarations
from tests.support.problems import problems_of, warnings_of

ROWS = confirmed_declarations("dmpc-2022")
SIGNED = "  dmpc:\n    date: 2022-11-03\n"


def _lines(text: str, write_input: WriteInput) -> list[str]:
    return [p.split(": ", 1)[1] if ": " in p else p for p in problems_of(write_input, text)]


def test_a_signed_decision_with_a_row_unconfirmed_is_refused(minimal_text: str, write_input: WriteInput) -> None:
    text = minimal_text.replace(ROWS, "  declarations:\n    - key: legal\n    - key: financial\n      confirmed: yes\n")
    (problem,) = problems_of(write_input, text)
    assert "decision_form.declarations[0]: declaration 'legal' is not confirmed, but the DMPC has signed the decision" in problem
    assert "(see decision_form.dmpc.date at" in problem


def test_standard_rows_left_out_are_unconfirmed(minimal_text: str, write_input: WriteInput) -> None:
    (problem,) = problems_of(write_input, minimal_text.replace(ROWS, ""))
    assert "decision_form.declarations: the standard declarations (financial, legal, equalities, commercial, gdpr" in problem
    (warning,) = warnings_of(write_input, minimal_text.replace(ROWS, "").replace(SIGNED, ""))
    assert "decision_form.declarations: warning: the standard declarations" in warning


def test_a_draft_lists_what_is_outstanding(minimal_text: str, write_input: WriteInput) -> None:
    text = minimal_text.replace(ROWS, "  declarations:\n    - key: legal\n    - key: gdpr\n      not_applicable: No personal data.\n")
    warnings = warnings_of(write_input, text.replace(SIGNED, ""))
    assert [w for w in warnings if "outstanding" in w] and all("'gdpr'" not in w for w in warnings)


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("    - {key: legal, confirmed: yes, not_applicable: x}\n", "either `confirmed` or `not_applicable`, not both"),
        ("    - {key: legal, confirmed_by: A Lawyer}\n", "add `confirmed: yes`"),
    ],
)
def test_a_row_says_one_thing(row: str, message: str, minimal_text: str, write_input: WriteInput) -> None:
    problems = problems_of(write_input, minimal_text.replace(ROWS, "  declarations:\n" + row))
    assert any(message in p for p in problems), problems


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (ROWS, ROWS.replace("{key: legal, confirmed: yes}", "{key: legal, confirmed: yes, confirmed_on: 2022-10-30}"),
         "decision_form.declarations[1].confirmed_on: confirmed on 30th October 2022, after the officer's approval on 26th October 2022"),
        ("    defer_part_1: no\n", "    defer_part_1: no\n    published: 2022-11-01\n",
         "decision_form.publication.published: published on 1st November 2022, before the DMPC's signature on 3rd November 2022"),
        ("    defer_part_1: no\n",
         "    defer_part_1: yes\n    deferral_reason: A contract.\n    deferred_until: 2022-12-01\n    published: 2022-11-20\n",
         "published on 20th November 2022, before the end of the deferral on 1st December 2022"),
    ],
)  # fmt: skip
def test_dates_run_in_order(old: str, new: str, message: str, minimal_text: str, write_input: WriteInput) -> None:
    assert old in minimal_text
    problems = problems_of(write_input, minimal_text.replace(old, new))
    assert any(message in p for p in problems), problems


def test_published_needs_the_signature(minimal_text: str, write_input: WriteInput) -> None:
    text = minimal_text.replace(SIGNED, "").replace("    defer_part_1: no\n", "    defer_part_1: no\n    published: 2022-11-04\n")
    assert any("published, but the DMPC has not signed the decision" in p for p in problems_of(write_input, text))


def test_the_agreement_is_with_the_grants_funder_and_mopac(write_input: WriteInput) -> None:
    agreement = (FIXTURES / "inputs" / "agreement.yaml").read_text(encoding="utf-8")
    text = agreement.replace("  authority:\n    name: Home Office", "  authority:\n    name: Ministry of Justice")
    assert text != agreement
    problems = problems_of(write_input, text)
    assert any("agreement.authority.name: the Authority is 'Ministry of Justice', but the grant is from" in p for p in problems), problems
