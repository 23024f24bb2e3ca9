"""Composing agreements: what is worked out once per clause library reads exactly as the library
filled afresh for every agreement would."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator.domain.agreement.standard_wording import AgreementWording, as_template, fill, placeholders, template_values
from generator.domain.agreement.view import compose_agreement
from generator.domain.issued_agreement.view import CONDITIONS, compose_issued, issued
from generator.inputs.load import (
    AGREEMENT_WORDING,
    ISSUED_AGREEMENT_WORDING,
    load_agreement_wording,
    load_decision,
    load_issued_agreement_wording,
)
from tests.conftest import EXAMPLES

VALUES = {
    "authority": "the Home Office",
    "recipient": "the Mayor's Office for Policing and Crime",
    "maximum_sum": "£450,000.00",
    "reference": "{not a placeholder}",
    "grant_name": "Grant {name}",
}
NUMBERS = {"payment": 7, "monitoring": 12, "a_b": 3}


def _libraries() -> list[AgreementWording]:
    return [load_agreement_wording(), load_issued_agreement_wording()]


@pytest.mark.parametrize("library", _libraries(), ids=["agreement", "issued"])
def test_every_library_text_fills_from_its_template_as_fill_fills_it(library: AgreementWording) -> None:
    for text in library.texts():
        values = dict.fromkeys((name for name, _ in placeholders(text)), "«value»") | VALUES
        numbers = dict.fromkeys((arg for _, arg in placeholders(text) if arg), 1) | NUMBERS
        assert as_template(text).format_map(template_values(values, numbers)) == fill(text, values, numbers), text


@given(
    st.lists(
        st.sampled_from(
            ["{", "}", "{{", "}}", "{x}", "{authority}", "{clause:payment}", "{clause:a_b}", "{recipient:}", "{X}", "text, ", "£"]
        ),
        max_size=12,
    ).map("".join)
)
def test_a_template_fills_braces_and_placeholders_as_fill_does(text: str) -> None:
    values = VALUES | {"x": "{x}"}
    assert as_template(text).format_map(template_values(values, NUMBERS)) == fill(text, values, NUMBERS)


def test_an_agreement_reads_the_same_from_the_library_it_was_composed_from_before_and_from_a_fresh_one() -> None:
    decision = load_decision(EXAMPLES / "pcd-1284.yaml")
    fresh = load_agreement_wording.__wrapped__(AGREEMENT_WORDING)  # loaded again: another object, the same words
    first = compose_agreement(decision, load_agreement_wording())
    assert compose_agreement(decision, load_agreement_wording()) == first
    assert compose_agreement(decision, fresh) == first


def test_an_issued_agreement_lists_the_decisions_conditions_under_the_conditions_clause_alone() -> None:
    decision = load_decision(EXAMPLES / "pcd-421-lcpf.yaml")
    library = load_issued_agreement_wording()
    fresh = load_issued_agreement_wording.__wrapped__(ISSUED_AGREEMENT_WORDING)
    shared = decision.grant_agreements
    assert shared is not None and shared.conditions
    heading = library.by_key[CONDITIONS].heading
    for grant in issued(decision):
        document = compose_issued(decision, grant, library)
        assert compose_issued(decision, grant, fresh) == document
        (clause,) = [c for c in document.clauses if c.heading == heading]
        assert clause.paragraphs[0].items[: len(shared.conditions)] == shared.conditions
    standard = library.by_key[CONDITIONS].paragraphs[0]
    assert standard.items == [], "the library's own lead-in is left as it is"
