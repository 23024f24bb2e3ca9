"""A recommendation's lettered sub-items may each carry the sum they approve: each is named in its
own text, and together they add up to the recommendation's amount; both places are named."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.build.generate import generate
from generator.docx.read import document_lines
from generator.inputs.load import load_decision
from tests.conftest import WriteInput
from tests.support.problems import problems_of

RECOMMENDATION = "    - accept grant funding of £10,000.00 from the Home Office."


def _split(first: str, second: str, *, total: str = "500000") -> str:
    return (
        "    - text: award grants of £500,000 in 2023/24 to the forces policing London's transport network, as follows\n"
        f"      amount: {total}\n"
        "      sub_items:\n"
        f"        - text: {first} to British Transport Police;\n"
        f"          amount: {first.removeprefix('£').replace(',', '')}\n"
        f"        - text: {second} to the City of London Police.\n"
        f"          amount: {second.removeprefix('£').replace(',', '')}\n"
        "        - Note that each grant agreement is issued by MOPAC."
    )


def test_a_split_that_adds_up_is_accepted_and_printed(write_input: WriteInput, minimal_text: str, tmp_path: Path) -> None:
    path = write_input(minimal_text.replace(RECOMMENDATION, _split("£250,000", "£250,000")))
    decision = load_decision(path)
    assert decision.decision_form is not None
    items = decision.decision_form.recommendations[0].sub_items
    assert [str(i.amount) for i in items] == ["250000", "250000", "None"]
    (form, *_) = generate(path, out_dir=tmp_path / "out").outputs
    lines = document_lines(form)
    assert any(line.endswith("£250,000 to British Transport Police;") for line in lines), lines
    assert any(line.endswith("Note that each grant agreement is issued by MOPAC.") for line in lines)


def test_sub_items_that_do_not_add_up_are_a_problem_naming_both_places(write_input: WriteInput, minimal_text: str) -> None:
    problems = problems_of(write_input, minimal_text.replace(RECOMMENDATION, _split("£250,000", "£200,000")))
    assert problems == [
        "FILE:9:15: decision_form.recommendations[0].amount: is £500,000.00, but its sub-items' sums add up to £450,000.00 "
        "(£250,000.00 + £200,000.00) (see decision_form.recommendations[0].sub_items[0].amount at FILE:12)"
    ]


def test_a_sub_item_whose_text_names_another_sum_is_a_problem(write_input: WriteInput, minimal_text: str) -> None:
    text = minimal_text.replace(RECOMMENDATION, _split("£250,000", "£250,000")).replace(
        "£250,000 to the City of London Police.", "£205,000 to the City of London Police."
    )
    problems = problems_of(write_input, text)
    assert problems == [
        "FILE:13:17: decision_form.recommendations[0].sub_items[1].text: names £205,000 but the amount is £250,000.00 "
        "(see decision_form.recommendations[0].sub_items[1].amount at FILE:14)"
    ]


def test_sub_items_as_plain_text_stay_as_they_were(write_input: WriteInput, minimal_text: str) -> None:
    text = minimal_text.replace(RECOMMENDATION, RECOMMENDATION + "\n      sub_items: [first this, then that]").replace(
        RECOMMENDATION, "    - text: accept grant funding of £10,000.00 from the Home Office."
    )
    decision = load_decision(write_input(text))
    assert decision.decision_form is not None
    assert [i.text for i in decision.decision_form.recommendations[0].sub_items] == ["first this", "then that"]


def _by_year(text: str, years: dict[str, str], total: str = "26064846") -> str:
    lines = [f"    - text: '{text}'", f"      amount: {total}", "      by_year:"]
    lines += [f"        {year}: {value}" for year, value in years.items()]
    return "\n".join(lines)


VRU = "approve funding of £26,064,846 for the Violence Reduction Unit: 22/23: £8,000,000, 23/24: £9,000,000, 24/25: £9,064,846"
YEARS = {"2022/23": "8000000", "2023/24": "9000000", "2024/25": "9064846"}


def test_sums_by_financial_year_that_add_up_and_are_named_are_accepted(write_input: WriteInput, minimal_text: str) -> None:
    decision = load_decision(write_input(minimal_text.replace(RECOMMENDATION, _by_year(VRU, YEARS))))
    assert decision.decision_form is not None
    by_year = decision.decision_form.recommendations[0].by_year
    assert by_year is not None and {y: str(v) for y, v in by_year.items()} == YEARS


def test_years_that_do_not_add_up_are_a_problem(write_input: WriteInput, minimal_text: str) -> None:
    text = VRU.replace("£26,064,846", "£26,064,847")
    problems = problems_of(write_input, minimal_text.replace(RECOMMENDATION, _by_year(text, YEARS, total="26064847")))
    assert problems == [
        "FILE:9:15: decision_form.recommendations[0].amount: is £26,064,847.00, but its years add up to £26,064,846.00: "
        "£8,000,000.00 (2022/23) + £9,000,000.00 (2023/24) + £9,064,846.00 (2024/25) "
        "(see decision_form.recommendations[0].by_year at FILE:11)"
    ]


def test_a_year_whose_sum_the_text_does_not_name_is_a_problem(write_input: WriteInput, minimal_text: str) -> None:
    text = VRU.replace(", 24/25: £9,064,846", " and the rest in 24/25")
    problems = problems_of(write_input, minimal_text.replace(RECOMMENDATION, _by_year(text, YEARS)))
    assert problems == [
        "FILE:13:18: decision_form.recommendations[0].by_year.2024/25: £9,064,846.00 for 2024/25 is not named in the "
        "recommendation's text (see decision_form.recommendations[0].text at FILE:8)"
    ]


def test_the_text_naming_a_sum_no_figure_accounts_for_is_still_a_problem(write_input: WriteInput, minimal_text: str) -> None:
    """The years' own sums in the text are the amount's parts, not other amounts: only the stray one is named."""
    text = VRU.replace("£26,064,846", "£26,064,000")
    problems = problems_of(write_input, minimal_text.replace(RECOMMENDATION, _by_year(text, YEARS)))
    assert problems == [
        "FILE:8:13: decision_form.recommendations[0].text: names £26,064,000 but the amount is £26,064,846.00 "
        "(see decision_form.recommendations[0].amount at FILE:9)"
    ]


@pytest.mark.parametrize(
    ("year", "why"), [("23/24", "'23/24' is not a financial year: write it as 2023/24"), ("2023/25", "2023 starts 2023/24")]
)
def test_a_financial_year_is_written_as_its_label(write_input: WriteInput, minimal_text: str, year: str, why: str) -> None:
    problems = problems_of(write_input, minimal_text.replace(RECOMMENDATION, _by_year(VRU, {**YEARS, year: "1"})))
    assert any(why in p and "by_year" in p for p in problems), problems
