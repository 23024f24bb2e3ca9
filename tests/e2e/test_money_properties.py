"""Money-moving decisions, generated (hypothesis): a fund paid out to recipients over one to three
financial years, an allocation, a contract with options, recommendations that point at the sums,
and an agreement for each recipient. Whatever the figures:

- a decision whose money reconciles validates with no problem and no warning, and every sum
  printed in its documents is a typed figure or the sum of typed figures;
- paying out more than comes in, in any year, is refused naming the source and the year;
- a sum written in the text that matches no typed figure is a warning at that text;
- each agreement's claims make exactly the recipient's grant for each year.
"""

from __future__ import annotations

import io
import re
import tempfile
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph
from hypothesis import assume, given
from hypothesis import strategies as st

from generator.build.generate import render_input
from generator.domain.common.money import mentions, pounds
from generator.errors import InputError
from generator.inputs.load import read_decision
from tests.conftest import MINIMAL
from tests.support.strategies import examples
from tests.support.yaml_inputs import fixture, write_yaml

RECIPIENTS = [
    "London Borough of Barnet",
    "London Borough of Camden",
    "British Transport Police",
    "City of London Police",
    "Jill Dando Institute",
    "Groundwork London",
]
pennies = st.integers(min_value=1, max_value=500_000_000).map(lambda p: Decimal(p) / 100)


def year_label(start: int) -> str:
    return f"{start}/{(start + 1) % 100:02d}"


@st.composite
def money_decisions(draw: st.DrawFn) -> dict[str, Any]:
    """A minimal decision form with a fund paid out to recipients by year, and what it approves."""
    first = draw(st.integers(min_value=2019, max_value=2030))
    years = [year_label(first + n) for n in range(draw(st.integers(min_value=1, max_value=3)))]
    count = draw(st.integers(min_value=1, max_value=4))
    grants: list[dict[str, Any]] = [
        {
            "key": f"recipient-{n + 1}",
            "recipient": RECIPIENTS[n],
            "funded_by": "fund",
            "by_year": {year: str(draw(pennies)) for year in years},
        }
        for n in range(count)
    ]
    slack = {year: draw(st.integers(min_value=0, max_value=10_000_000)) / Decimal(100) for year in years}
    paid = {year: sum((Decimal(g["by_year"][year]) for g in grants), Decimal(0)) for year in years}
    money: dict[str, Any] = {
        "funding": [
            {"key": "fund", "source": "the fund's budget", "kind": "budget", "by_year": {y: str(paid[y] + slack[y]) for y in years}}
        ],
        "grants": grants,
    }
    contract = draw(st.booleans())
    if contract:
        value, option = draw(pennies), draw(pennies)
        money["contracts"] = [
            {
                "key": "fund-manager",
                "supplier": "Groundwork London",
                "purpose": "the Grant Fund Manager",
                "term": "15 months",
                "value": str(value),
                "extensions": [{"term": "two further calls", "value": str(option)}],
                "maximum_value": str(value + option),
                "funded_by": "fund-manager-budget",
            }
        ]
        money["funding"].append(
            {"key": "fund-manager-budget", "source": "the fund's administration budget", "kind": "budget", "amount": str(value)}
        )
    data = fixture(MINIMAL)
    data["money"] = money
    form = data["decision_form"]
    form["executive_summary"] = ["This decision pays the fund out to the recipients below."]
    total = sum(paid.values(), Decimal(0))
    form["recommendations"] = [
        {
            "text": f"approve grants of {pounds(total)} in all:",
            "money": [g["key"] for g in grants],
            "sub_items": [{"money": g["key"]} for g in grants],
        }
    ]
    if contract:
        form["recommendations"].append(
            {
                "text": "approve the award of the Grant Fund Manager contract below.",
                "money": "fund-manager",
                "sub_items": [{"money": "fund-manager"}],
            }
        )
    data["grant_agreements"] = {
        "reference": "MOPAC-FUND",
        "grant_name": "The fund",
        "authority": {"name": "Mayor's Office for Policing and Crime", "address": ["169 Union Street", "London SE1 0LL"]},
        "signatory": {"position": "Director of Strategy"},
        "contacts": [{"party": "authority", "role": "Fund manager"}],
        "statutory_power": "section 143 of the Anti-social Behaviour, Crime and Policing Act 2014",
        "purpose": "To fund community safety services.",
        "start": date(first, 4, 1),
        "end": date(first + len(years), 3, 31),
        "payment": {"instalments": draw(st.sampled_from([1, 2, 4, 12]))},
        "monitoring_frequency": "quarterly",
        "kpis": [{"indicator": "Services delivered"}],
    }
    for g in grants:
        g["agreement"] = {
            "address": ["1 High Street", "London"],
            "signatory": {"position": "Director"},
            "contacts": [{"party": "recipient", "role": "Manager"}],
        }
    return data


def _texts(data: bytes) -> list[str]:
    doc = Document(io.BytesIO(data))
    return [Paragraph(p, doc).text for p in doc.element.body.iter(qn("w:p"))]


def _figures(data: dict[str, Any]) -> set[Decimal]:
    """Each typed figure, and the sums of them a document may print (a grant's years, all grants)."""
    money = data["money"]
    figures = {Decimal(v) for g in money["grants"] for v in g["by_year"].values()}
    figures |= {sum((Decimal(v) for v in g["by_year"].values()), Decimal(0)) for g in money["grants"]}
    figures.add(sum((Decimal(v) for g in money["grants"] for v in g["by_year"].values()), Decimal(0)))
    for c in money.get("contracts", []):
        figures |= {Decimal(c["value"]), Decimal(c["maximum_value"]), *(Decimal(e["value"]) for e in c["extensions"])}
    return figures


@examples(1 / 4)
@given(data=money_decisions())
def test_a_reconciled_decision_validates_and_prints_only_typed_sums(data: dict[str, Any]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        source = write_yaml(Path(folder) / "in.yaml", data)
        assert read_decision(source).warnings == []
        renders = render_input(source, out_dir=Path(folder) / "out")
    documents = {d.path.name.removeprefix("in-"): d.data for d in renders.documents}
    assert sorted(documents) == ["decision-form.docx", *(f"grant-agreement-{g['key']}.docx" for g in data["money"]["grants"])]
    form = _texts(documents["decision-form.docx"])
    for grant in data["money"]["grants"]:
        total = sum((Decimal(v) for v in grant["by_year"].values()), Decimal(0))
        assert any(t.startswith(f"{pounds(total)} to {grant['recipient']}") for t in form), f"a sub-item worded for {grant['key']}"
    figures = _figures(data)
    printed = [m for t in form for m in mentions(t)]
    assert printed, "the recommendations print their sums"
    assert all(any(m.names(f) for f in figures) for m in printed), "every sum the form prints is a typed figure"


@examples(1 / 4)
@given(data=money_decisions())
def test_each_agreement_claims_exactly_its_grant_for_each_year(data: dict[str, Any]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        source = write_yaml(Path(folder) / "in.yaml", data)
        renders = render_input(source, out_dir=Path(folder) / "out", only="grant-agreement")
    grants = {g["key"]: g for g in data["money"]["grants"]}
    for document in renders.documents:
        grant = grants[document.path.stem.removeprefix("in-grant-agreement-")]
        doc = Document(io.BytesIO(document.data))
        table = next(t for t in doc.tables if t.rows[0].cells[0].text == "Claim" and t.rows[0].cells[1].text == "Claim Period")
        claimed: dict[str, Decimal] = {}
        for row in table.rows[1:-1]:
            _, month, year = map(int, row.cells[2].text.split("/"))
            label = year_label(year if month >= 4 else year - 1)
            claimed[label] = claimed.get(label, Decimal(0)) + Decimal(row.cells[3].text.replace("£", "").replace(",", ""))
        assert claimed == {y: Decimal(v) for y, v in grant["by_year"].items()}


@examples(1 / 2)
@given(data=money_decisions(), extra=pennies, which=st.integers(min_value=0))
def test_paying_out_more_than_comes_in_is_refused(data: dict[str, Any], extra: Decimal, which: int) -> None:
    funding = data["money"]["funding"][0]["by_year"]
    year = sorted(funding)[which % len(funding)]
    paid = sum((Decimal(g["by_year"][year]) for g in data["money"]["grants"]), Decimal(0))
    funding[year] = str(paid - min(extra, paid))  # less than is paid out that year (every grant is at least 1p)
    with tempfile.TemporaryDirectory() as folder:
        source = write_yaml(Path(folder) / "in.yaml", data)
        with pytest.raises(InputError) as caught:
            read_decision(source)
    lines = [f"{p.field}: {p.message}" for p in caught.value.problems]
    assert any(re.match(rf"money\.funding\[0\]: money out from 'fund' .* in {re.escape(year)} comes to ", line) for line in lines), lines


@examples(1 / 2)
@given(data=money_decisions(), stray=pennies)
def test_a_sum_in_the_text_that_matches_nothing_typed_is_a_warning_there(data: dict[str, Any], stray: Decimal) -> None:
    figures = _figures(data) | {Decimal(v) for v in data["money"]["funding"][0]["by_year"].values()}
    figures.add(sum((Decimal(v) for v in data["money"]["funding"][0]["by_year"].values()), Decimal(0)))
    assume(stray not in figures)
    data["decision_form"]["executive_summary"].append(f"An earlier call cost {pounds(stray)}.")
    with tempfile.TemporaryDirectory() as folder:
        source = write_yaml(Path(folder) / "in.yaml", data)
        warnings = read_decision(source).warnings
    assert [(w.field, w.warning) for w in warnings] == [("decision_form.executive_summary[1].text", True)]
    assert pounds(stray) in warnings[0].message
