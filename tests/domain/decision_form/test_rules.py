"""A recommendation's lettered sub-items may each carry the sum they approve: each is named in its
own text, and together they add up to the recommendation's amount; both places are named."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from generator.build.generate import generate
from generator.docx.read import document_lines
from generator.errors import InputError
from generator.inputs.load import load_decision

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


def _problems(write_input: Callable[[str], Path], text: str) -> list[str]:
    """Each problem as printed, with the input's path shown as `FILE`."""
    path = write_input(text)
    with pytest.raises(InputError) as caught:
        load_decision(path)
    return [str(p).replace(str(path), "FILE") for p in caught.value.problems]


def test_a_split_that_adds_up_is_accepted_and_printed(write_input: Callable[[str], Path], minimal_text: str, tmp_path: Path) -> None:
    path = write_input(minimal_text.replace(RECOMMENDATION, _split("£250,000", "£250,000")))
    decision = load_decision(path)
    assert decision.decision_form is not None
    items = decision.decision_form.recommendations[0].sub_items
    assert [str(i.amount) for i in items] == ["250000", "250000", "None"]
    (form, *_) = generate(path, out_dir=tmp_path / "out").outputs
    lines = document_lines(form)
    assert any(line.endswith("£250,000 to British Transport Police;") for line in lines), lines
    assert any(line.endswith("Note that each grant agreement is issued by MOPAC.") for line in lines)


def test_sub_items_that_do_not_add_up_are_a_problem_naming_both_places(write_input: Callable[[str], Path], minimal_text: str) -> None:
    problems = _problems(write_input, minimal_text.replace(RECOMMENDATION, _split("£250,000", "£200,000")))
    assert problems == [
        "FILE:9:15: decision_form.recommendations[0].amount: is £500,000.00, but its sub-items' sums add up to £450,000.00 "
        "(£250,000.00 + £200,000.00) (see decision_form.recommendations[0].sub_items[0].amount at FILE:12)"
    ]


def test_a_sub_item_whose_text_names_another_sum_is_a_problem(write_input: Callable[[str], Path], minimal_text: str) -> None:
    text = minimal_text.replace(RECOMMENDATION, _split("£250,000", "£250,000")).replace(
        "£250,000 to the City of London Police.", "£205,000 to the City of London Police."
    )
    problems = _problems(write_input, text)
    assert problems == [
        "FILE:13:17: decision_form.recommendations[0].sub_items[1].text: names £205,000.00 but the amount is £250,000.00 "
        "(see decision_form.recommendations[0].sub_items[1].amount at FILE:14)"
    ]


def test_sub_items_as_plain_text_stay_as_they_were(write_input: Callable[[str], Path], minimal_text: str) -> None:
    text = minimal_text.replace(RECOMMENDATION, RECOMMENDATION + "\n      sub_items: [first this, then that]").replace(
        RECOMMENDATION, "    - text: accept grant funding of £10,000.00 from the Home Office."
    )
    decision = load_decision(write_input(text))
    assert decision.decision_form is not None
    assert [i.text for i in decision.decision_form.recommendations[0].sub_items] == ["first this", "then that"]
