"""A decision's money reconciles: each rule has an input that breaks it, and the problem names
the field at fault and, where two places disagree, the other one."""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from pydantic import BaseModel

from generator.domain.common.findings import Finding, Loc
from generator.domain.common.money import _MENTION, mentions, normalise, read_mentions
from generator.domain.money.model import NotedSum
from generator.domain.money.rules import check_text_sums, survey
from generator.inputs.load import load_decision, read_decision
from tests.conftest import EXAMPLES, WriteInput
from tests.support.problems import assert_one, problems_of, warnings_of
from tests.support.strategies import examples, texts

RECOMMENDATION = "    - accept grant funding of £10,000.00 from the Home Office.\n"


@pytest.fixture
def base(minimal_text: str) -> str:
    """The minimal decision without its money section."""
    return minimal_text[: minimal_text.index("money:")]


HOME_OFFICE = """money:
  funding:
    - key: home-office-grant
      source: Home Office
      kind: grant
      amount: 10000.00
"""


@pytest.mark.parametrize(
    ("money", "field", "message"),
    [
        pytest.param(
            HOME_OFFICE + "    - key: home-office-grant\n      source: Home Office again\n      kind: grant\n      amount: 1.00\n",
            "money.funding[1].key",
            "'home-office-grant' names another sum already: give each sum its own key (see money.funding[0].key at FILE:",
            id="a key used twice",
        ),
        pytest.param(
            HOME_OFFICE.replace("      amount: 10000.00\n", "      amount: 10000.00\n      by_year: {2022/23: 6000, 2023/24: 3000}\n"),
            "money.funding[0].amount",
            "is £10,000.00, but its years add up to £9,000.00: £6,000.00 (2022/23) + £3,000.00 (2023/24) (see money.funding[0].by_year",
            id="years that do not make the amount",
        ),
        pytest.param(
            HOME_OFFICE + "  allocations:\n    - key: grants\n      purpose: small grants\n      funded_by: home-office-grant\n"
            "      amount: 9000\n      grants: 3\n      each: 2000\n",
            "money.allocations[0].each",
            "3 grants of £2,000.00 make £6,000.00, not £9,000.00 (see money.allocations[0].amount",
            id="n grants of x each that do not make the allocation",
        ),
        pytest.param(
            HOME_OFFICE + "  contracts:\n    - {key: gfm, purpose: a fund manager, term: 1 year, value: 5000, maximum_value: 4000}\n",
            "money.contracts[0].maximum_value",
            "is £4,000.00, less than the value £5,000.00 (see money.contracts[0].value",
            id="a maximum value below the value",
        ),
        pytest.param(
            HOME_OFFICE + "  contracts:\n    - key: gfm\n      purpose: a fund manager\n      term: 1 year\n      value: 5000\n"
            "      extensions: [{term: one more year, value: 5000}]\n",
            "money.contracts[0].maximum_value",
            "required: the contract may be extended, so state the most it can cost",
            id="extensions without a maximum value",
        ),
        pytest.param(
            HOME_OFFICE + "  contracts:\n    - {key: gfm, purpose: a fund manager, term: 1 year, value: 5000, maximum_value: 9000}\n",
            "money.contracts[0].maximum_value",
            "is more than the value £5,000.00, but no extension is given: add `extensions`",
            id="a maximum value with nothing to reach it",
        ),
        pytest.param(
            HOME_OFFICE + "  contracts:\n    - key: gfm\n      purpose: a fund manager\n      term: 1 year\n      value: 5000\n"
            "      extensions: [{term: one more year, value: 5000}]\n      maximum_value: 9000\n",
            "money.contracts[0].maximum_value",
            "is £9,000.00, but the value and extensions add up to £10,000.00 (£5,000.00 + £5,000.00)",
            id="a maximum value that is not the value with its extensions",
        ),
        pytest.param(
            HOME_OFFICE + "  grants:\n    - {key: btp, recipient: British Transport Police, amount: 100, funded_by: home-office}\n",
            "money.grants[0].funded_by",
            "no money in is keyed 'home-office' (did you mean 'home-office-grant'?)",
            id="paid from money in that is not there",
        ),
        pytest.param(
            HOME_OFFICE + "    - {key: match, source: MPS, kind: match-funding, amount: 5, conditional_on: home-office-grant}\n",
            "money.funding[1].conditional_on",
            "'home-office-grant' is grant, not a bid: only a bid's success is uncertain",
            id="conditional on something other than a bid",
        ),
        pytest.param(
            HOME_OFFICE + "  grants:\n    - {key: btp, recipient: British Transport Police, amount: 6000, funded_by: home-office-grant}\n"
            "    - {key: colp, recipient: City of London Police, amount: 6000, funded_by: home-office-grant}\n",
            "money.funding[0]",
            "money out from 'home-office-grant' (Home Office) comes to £12,000.00 (btp £6,000.00, colp £6,000.00), more than its £10,000.00",
            id="money out beyond its source",
        ),
        pytest.param(
            HOME_OFFICE.replace("      amount: 10000.00\n", "      by_year: {2022/23: 5000, 2023/24: 5000}\n")
            + "  grants:\n    - {key: btp, recipient: British Transport Police, funded_by: home-office-grant, by_year: {2022/23: 6000}}\n",
            "money.funding[0]",
            "money out from 'home-office-grant' (Home Office) in 2022/23 comes to £6,000.00, more than its £5,000.00 for 2022/23",
            id="money out beyond its source in one year",
        ),
        pytest.param(
            HOME_OFFICE.replace("      amount: 10000.00\n", "      by_year: {2022/23: 10000}\n")
            + "  grants:\n    - {key: btp, recipient: British Transport Police, funded_by: home-office-grant, by_year: {2023/24: 100}}\n",
            "money.grants[0].by_year.2023/24",
            "£100.00 is paid out in 2023/24, but 'home-office-grant' (Home Office) has no money for 2023/24",
            id="money out in a year its source does not cover",
        ),
        pytest.param(
            HOME_OFFICE + "  grants:\n    - {key: btp, recipient: British Transport Police, amount: 12000}\n",
            "money.funding",
            "money out from the money in comes to £12,000.00 (btp £12,000.00), more than its £10,000.00",
            id="money out beyond all money in",
        ),
        pytest.param(
            HOME_OFFICE
            + "  splits:\n    - of: home-office-grant\n      streams: [{name: boroughs, percent: 70}, {name: co-commissioning, percent: 20}]\n",
            "money.splits[0].streams",
            "the streams' shares add up to 90%, not 100%",
            id="shares that are not the whole",
        ),
        pytest.param(
            HOME_OFFICE + "  splits:\n    - of: home-office-grant\n"
            "      streams: [{name: boroughs, percent: 70, amount: 7500}, {name: co-commissioning, percent: 30}]\n",
            "money.splits[0].streams[0].amount",
            "is £7,500.00, but 70% of £10,000.00 is £7,000.00",
            id="a stream's sum that is not its share",
        ),
        pytest.param(
            HOME_OFFICE
            + "  splits:\n    - of: lcpf\n      streams: [{name: boroughs, percent: 70}, {name: co-commissioning, percent: 30}]\n",
            "money.splits[0].of",
            "no sum is keyed 'lcpf'",
            id="a split of nothing",
        ),
    ],
)
def test_each_rule_of_the_money_section(write_input: WriteInput, base: str, money: str, field: str, message: str) -> None:
    assert_one(problems_of(write_input, base + money), field, message)


def test_money_out_beyond_money_in_is_accepted_when_the_decision_says_what_pays(write_input: WriteInput, base: str) -> None:
    text = base + HOME_OFFICE + "  grants:\n    - {key: btp, recipient: British Transport Police, amount: 12000}\n"
    assert read_decision(write_input(text + "  rest_funded_by: the MPS's own revenue budget\n")).decision.money is not None


# --------------------------------------------------------------------------- recommendations


TWO_GRANTS = (
    HOME_OFFICE + "  grants:\n    - {key: btp, recipient: British Transport Police, amount: 5000, funded_by: home-office-grant}\n"
    "    - {key: colp, recipient: City of London Police, amount: 5000, funded_by: home-office-grant}\n"
)


@pytest.mark.parametrize(
    ("recommendation", "field", "message"),
    [
        pytest.param(
            "    - text: award £10,000.00 of grants\n      money: [btp, colop]\n",
            "decision_form.recommendations[0].money[1]",
            "no sum under `money` is keyed 'colop' (did you mean 'colp'?)",
            id="a key that names no sum",
        ),
        pytest.param(
            "    - text: award £10,000.00 of grants\n      money: [btp, colp]\n      amount: 9000\n",
            "decision_form.recommendations[0].amount",
            "is £9,000.00, but the sums it points at come to £10,000.00: £5,000.00 (btp) + £5,000.00 (colp)",
            id="an amount that is not the sums it points at",
        ),
        pytest.param(
            "    - text: award £12,000.00 of grants\n      money: [btp, colp]\n",
            "decision_form.recommendations[0].text",
            "names £12,000.00 but the sums it points at come to £10,000.00 (see decision_form.recommendations[0].money",
            id="text naming another sum than those pointed at",
        ),
        pytest.param(
            "    - text: award £10,000.00 of grants\n      money: [btp, colp]\n      sub_items:\n        - money: btp\n",
            "decision_form.recommendations[0].money",
            "points at sums coming to £10,000.00, but its sub-items' sums add up to £5,000.00 (£5,000.00)",
            id="sub-items pointing at part of the sum",
        ),
    ],
)
def test_recommendations_point_at_sums_that_exist_and_state_them(
    write_input: WriteInput, base: str, recommendation: str, field: str, message: str
) -> None:
    text = base.replace(RECOMMENDATION, recommendation) + TWO_GRANTS
    assert_one(problems_of(write_input, text), field, message)


def test_a_recommendation_naming_each_sum_it_points_at_is_accepted(write_input: WriteInput, base: str) -> None:
    recommendation = (
        "    - text: award £5,000 to British Transport Police and £5,000 to the City of London Police\n      money: [btp, colp]\n"
    )
    text = base.replace(RECOMMENDATION, recommendation) + TWO_GRANTS
    assert warnings_of(write_input, text) == []


# --------------------------------------------------------------------------- sums in text


def test_a_sum_in_text_that_matches_nothing_typed_is_a_warning_not_an_error(write_input: WriteInput, base: str) -> None:
    text = base.replace("The Home Office has made an offer.", "The offer follows £72m committed in 2016.") + HOME_OFFICE
    assert warnings_of(write_input, text) == [
        "FILE:14:11: decision_form.part_1[0].paragraphs[0].text: warning: £72m matches no sum typed in this input: "
        "type it (under money, or as a recommendation's amount) or note what it is under money.noted_sums"
    ]


def test_a_noted_sum_silences_its_warning_and_a_stale_note_isassert_one(write_input: WriteInput, base: str) -> None:
    text = base.replace("The Home Office has made an offer.", "The offer follows £72m committed in 2016.") + HOME_OFFICE
    noted = "  noted_sums:\n    - {sum: £72m, reason: the fund's four-year budget}\n"
    assert warnings_of(write_input, text + noted) == []
    stale = "  noted_sums:\n    - {sum: £72m, reason: the fund's four-year budget}\n    - {sum: £1m, reason: a figure since deleted}\n"
    assert warnings_of(write_input, text + stale) == [
        "FILE:29:7: money.noted_sums[1]: warning: £1m is noted, but no text writes it: remove the note"
    ]


def test_a_sum_rounded_as_written_matches_its_figure(write_input: WriteInput, base: str) -> None:
    text = base.replace("The Home Office has made an offer.", "The offer is for £0.01m.") + HOME_OFFICE
    assert warnings_of(write_input, text) == []


@pytest.mark.parametrize(
    "written",
    ["£\u00a0450,000", "£４５０,000", "\uffe1450,000", "£450\u200b,000", "GBP 450,000", "£0.45 million"],
    ids=["no-break space", "full-width digits", "full-width pound sign", "zero-width space", "GBP", "million"],
)
def test_figures_are_read_after_normalising_so_nothing_hidesassert_one(written: str) -> None:
    (mention,) = mentions(f"a grant of {written} in 2023/24")
    assert mention.names(Decimal(450000))


def test_a_figure_pasted_with_a_no_break_space_still_needs_a_typed_sum(write_input: WriteInput, base: str) -> None:
    text = base.replace("The Home Office has made an offer.", "The offer is for £\u00a0999.") + HOME_OFFICE
    (warning,) = warnings_of(write_input, text)
    assert "warning: £ 999 matches no sum typed in this input" in warning


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ("a grant of 30,000 from the Home Office", []),
        ("gbp 30,000 from the Home Office", ["gbp 30,000"]),
        ("GbP30,000", ["GbP30,000"]),
        ("GBP\n30,000", ["GBP 30,000"]),
        ("xgbp 30,000 and GBP", []),
        ("\uffe1450,000", ["£450,000"]),
        ("ＧＢＰ 30,000", ["GBP 30,000"]),
        ("ｇｂｐ 30,000", ["gbp 30,000"]),
        ("G\u200bBP 30,000", ["GBP 30,000"]),
        ("\u3387P 30,000", ["GBP 30,000"]),
        ("Ⓖⓑⓟ 5", ["Gbp 5"]),
        ("£\u00a0450,000 – and\t£1m", ["£ 450,000", "£1m"]),
        ("", []),
    ],
    ids=[
        "ASCII without a sum",
        "gbp",
        "GbP run on",
        "GBP, a line break, a figure",
        "gbp inside a word",
        "full-width pound sign",
        "full-width GBP",
        "full-width gbp",
        "zero-width space in GBP",
        "square GB sign",
        "circled letters",
        "no-break space, dash and tab",
        "empty",
    ],
)
def test_the_shortcut_past_text_without_a_sum_finds_what_reading_it_all_does(text: str, written: list[str]) -> None:
    """mentions() passes ASCII text without 'gbp' by: nothing else can hide a sum from it."""
    assert [m.written for m in mentions(text)] == written
    assert mentions(text) == read_mentions(normalise(text))


@given(st.text(alphabet="gGbBpPx£\uffe1ＧＢＰｇｂｐ\u3387\u200b\u00a0 \t\n0123456789,.mk–") | texts)
def test_mentions_are_what_reading_the_whole_normalised_text_finds(text: str) -> None:
    assert mentions(text) == read_mentions(normalise(text))


# _MENTION as first written, the whole case-blind: the search tries it at every character.
PLAIN_MENTION = re.compile(
    r"(?:£|\bGBP)[ ]?(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?[ ]?(bn\b|billion\b|m\b|million\b|k\b)?", re.IGNORECASE | re.ASCII
)
MENTION_PIECES = [
    "£", "GBP", "gbp", "GbP ", "G", "g", "bp", "BP", "x", "_", "1", "450", ",000", ",00", ".", ".5", " ", "\n",
    "m", "M", "bn", "BN", "billion", "Million", "k", "K", "\u212a", "ı", "İ", "ſ", "é", "ｇ", "٤", "\u00a0", "(",
]  # fmt: skip


@example("xGBP 1, GBP 2 _gbp3 9gbp 4 £4k £5 bn £6,000,00 £7 Millions £8\u212a")
@examples(10)
@given(st.lists(st.sampled_from(MENTION_PIECES), max_size=12).map("".join) | texts)
def test_the_mention_pattern_finds_what_the_plain_one_does(text: str) -> None:
    """_MENTION, written so that the search passes by the characters that begin no sum, finds
    the sums the plain pattern finds, where it finds them."""
    assert [(m.span(), m.groups()) for m in _MENTION.finditer(text)] == [(m.span(), m.groups()) for m in PLAIN_MENTION.finditer(text)]


# An input with sums in prose everywhere check_text_sums reads or passes by: lists, tables of words
# (title, header and words read in order; a money cell such as '£2,500' is a sum, checked as one,
# not read), a mapping (the footnotes), fields that are no prose (`table` and `from_table` name
# 'Team B £5k' too), money.noted_sums (its '£1m' is written nowhere else); and figures matched each
# way: exactly (£0.3m), rounded (£66.2k, a role's £66,230), by a table's total row (£302,500), by
# years typed only in a mapping (£180,000), by a note (£72m).
TEXT_TABLE = (
    "        - text: The offer is £0.3m (ＧＢＰ 4,321 before), as follows.\n"
    "          text_table:\n"
    "            title: Funding\n"
    "            header: [Year, Amount, Source]\n"
    "            rows:\n"
    "              - [2023/24, 300000, Home Office]\n"
    "              - [2024/25 (of £9999), '£2,500', 'gbp 30,000 bid']\n"
    "            money_columns: [Amount]\n"
    "            total: Total\n"
    "        - The total, £302,500, is more than the grant.\n"
    "        - text: The spend is as follows.\n"
    "          text_table: {title: Spend, header: [Item over £7k, Cost], rows: [['Staff, £8k', '£1,234']], money_columns: [Cost]}\n"
)
NOTED_MONEY = (
    "money:\n"
    "  funding:\n"
    "    - {key: home-office-grant, source: Home Office, kind: grant, amount: 300000.00, by_year: {2023/24: 300000.00}}\n"
    "  noted_sums:\n"
    "    - {sum: £72m, reason: the fund's four-year budget}\n"
    "    - {sum: £1m, reason: a figure since deleted}\n"
)


def _unmatched(loc: Loc, written: str) -> Finding:
    message = " matches no sum typed in this input: type it (under money, or as a recommendation's amount) or note what it is under money.noted_sums"
    return Finding(loc, written + message, warning=True)


FORM_TABLE: Loc = ("decision_form", "part_1", 0, "paragraphs", 0, "text_table")
SPEND_TABLE: Loc = ("decision_form", "part_1", 0, "paragraphs", 2, "text_table")
# What check_text_sums found in that input before it walked the input once (grantdocs c42da87):
# the same findings, in the same order, at the same places.
TEXT_SUMS_FOUND = [
    Finding(("money", "noted_sums", 1, "sum"), "'seventy pounds' is not a sum of money: write it as the text does, e.g. '£72m'"),
    _unmatched(("decision_form", "executive_summary", 0, "text"), "GBP 31,337"),
    _unmatched(("decision_form", "part_1", 0, "paragraphs", 0, "text"), "GBP 4,321"),
    _unmatched((*FORM_TABLE, "rows", 1, 0), "£9999"),
    _unmatched((*FORM_TABLE, "rows", 1, 2), "gbp 30,000"),
    _unmatched((*SPEND_TABLE, "header", 0), "£7k"),
    _unmatched((*SPEND_TABLE, "rows", 0, 0), "£8k"),
    _unmatched(("report", "executive_summary", 0, "text"), "£105,400"),
    _unmatched(("report", "executive_summary", 0, "text"), "£12.5k"),
    _unmatched(("report", "footnotes", "plan", "text"), "£ 999"),
    _unmatched(("report", "grant", "breakdown", 1, "activity"), "£5k"),
    _unmatched(("report", "costs", "summaries", 0, "spend", 1, "label"), "£5k"),
    _unmatched(("report", "costs", "staffing", 1, "title"), "£5k"),
    Finding(
        (*FORM_TABLE, "rows", 1, 1),
        "£2,500.00 in the table 'Funding' matches no sum typed in this input: type it under money, or note what it is under money.noted_sums",
        warning=True,
    ),
    Finding(
        (*SPEND_TABLE, "rows", 0, 1),
        "£1,234.00 in the table 'Spend' matches no sum typed in this input: type it under money, or note what it is under money.noted_sums",
        warning=True,
    ),
    Finding(("money", "noted_sums", 2), "£1m is noted, but no text writes it: remove the note", warning=True),
]


def test_every_sum_in_the_text_is_checked_where_it_is_and_in_order(write_input: WriteInput, report_text: str) -> None:
    """The walk of the input that gathers prose, tables of words and typed figures at once finds
    what the walks it replaced found, one by one."""
    text = report_text.replace(
        "This paper seeks approval to accept £300,000 of grant.",
        "This paper seeks approval to accept £300,000 of grant, after £72m committed in 2016 and GBP 31,337 pledged.",
    )
    text = text.replace("        - The Home Office has made an offer.\n", TEXT_TABLE)
    text = text.replace(  # years held only in a mapping: figures all the same
        "    - text: accept grant funding of £300,000.00 from the Home Office.\n      amount: 300000.00\n",
        "    - text: accept grant funding of £300,000.00 from the Home Office, £180,000 in 2023/24 and £120,000 in 2024/25.\n"
        "      amount: 300000.00\n      by_year: {2023/24: 180000, 2024/25: 120000}\n",
    )
    text = text.replace(
        "    - The grant funds two teams.", "    - The grant funds two teams, at £66.2k a post and £105,400 a year, and £12.5k of overtime."
    )
    text = text.replace(
        "      text: MOPAC Police and Crime Plan 2022-25\n", "      text: MOPAC Police and Crime Plan 2022-25, at £\u00a0999 a copy\n"
    )
    decision = read_decision(write_input(text.replace("Team B", "Team B £5k") + NOTED_MONEY)).decision
    # A noted sum that is no sum is an error of its own, which would stop the input from loading.
    assert decision.money is not None
    noted = decision.money.noted_sums
    money = decision.money.model_copy(update={"noted_sums": [noted[0], NotedSum(sum="seventy pounds", reason="a slip"), noted[1]]})
    assert check_text_sums(decision.model_copy(update={"money": money})) == TEXT_SUMS_FOUND


def walked(value: Any) -> Iterator[Any]:
    """`value` and everything in it, walked plainly (each model's fields by name): what the
    survey's one walk must see."""
    yield value
    if isinstance(value, BaseModel):
        for name in type(value).model_fields:
            yield from walked(getattr(value, name))
    elif isinstance(value, dict):
        for item in value.values():
            yield from walked(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from walked(item)


@pytest.mark.parametrize("path", sorted(EXAMPLES.glob("*.yaml")), ids=lambda p: p.stem)
def test_the_examples_write_no_sum_that_matches_nothing(path: Path) -> None:
    decision = load_decision(path)
    assert check_text_sums(decision) == []
    found = list(walked(decision))
    assert survey(decision).amounts == {v for v in found if isinstance(v, Decimal)}, "the one walk finds every typed figure"
    for model in (v for v in found if isinstance(v, BaseModel)):  # the walk reads __dict__ as the fields, in order
        assert list(model.__dict__) == list(type(model).model_fields), type(model)


# --------------------------------------------------------------------------- the report's grant


def test_the_reports_grant_is_the_grants_typed_as_money_in(write_input: WriteInput) -> None:
    example = (EXAMPLES / "ocs-grant-2023-24.yaml").read_text(encoding="utf-8")
    text = example.replace("      by_year: {2023/24: 500000.00}\n", "      by_year: {2023/24: 400000.00}\n", 1)
    assert_one(
        problems_of(write_input, text),
        "report.grant.amount",
        "is £1,701,000.00, but the grants typed as money in come to £1,601,000.00: £1,201,000.00 (ocs-grant) + £400,000.00 (core-rocu-grant)",
    )
    years = example.replace("      by_year: {2023/24: 500000.00}\n", "      by_year: {2024/25: 500000.00}\n", 1)
    assert_one(
        problems_of(write_input, years),
        "money.funding[1].by_year.2024/25",
        "is outside the grant's funding period, 01/04/2023 to 31/03/2024",
    )
