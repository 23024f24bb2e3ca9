"""House style for money and dates, and the exactness rules of money input."""

from __future__ import annotations

import sys
import unicodedata
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from pydantic import TypeAdapter, ValidationError

from generator.domain.common.dates import (
    financial_year,
    financial_year_of,
    long_date,
    short_date,
)
from generator.domain.common.money import Money, mentions, millions, normalise, pounds

money = TypeAdapter(Money)


@pytest.mark.parametrize(
    ("text", "exact"),
    [("450000.00", "450000.00"), ("£450,000.00", "450000.00"), ("1701000", "1701000"), ("0.01", "0.01"), (12, "12")],
)
def test_money_input_is_exact(text: object, exact: str) -> None:
    assert money.validate_python(text) == Decimal(exact)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("-5.00", "must not be negative"),
        ("0.001", "fractions of a penny"),
        ("4,50,000", "not an amount of money"),
        (1.5, "exact figure"),
        ("NaN", "not an amount of money"),
    ],
)
def test_money_input_refused(text: object, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        money.validate_python(text)


@pytest.mark.parametrize(
    ("value", "pounds_text", "millions_text"),
    [
        ("450000", "£450,000.00", "£0.450m"),
        ("1701000", "£1,701,000.00", "£1.701m"),
        ("25000", "£25,000.00", "£0.025m"),
        ("1700500", "£1,700,500.00", "£1.701m"),
        ("1700499.99", "£1,700,499.99", "£1.700m"),
    ],
)
def test_money_display(value: str, pounds_text: str, millions_text: str) -> None:
    assert pounds(Decimal(value)) == pounds_text
    assert millions(Decimal(value)) == millions_text


def test_amounts_mentioned_in_prose() -> None:
    text = "accept £450,000.00 now, £1.701m later, £1.45 Million and £500k over two years"
    assert [m.value for m in mentions(text)] == [Decimal("450000.00"), Decimal("1701000"), Decimal("1450000"), Decimal("500000")]


@pytest.mark.parametrize(
    ("day", "short", "long"),
    [
        (date(2022, 9, 7), "07/09/2022", "7th September 2022"),
        (date(2022, 11, 3), "03/11/2022", "3rd November 2022"),
        (date(2015, 12, 21), "21/12/2015", "21st December 2015"),
        (date(2023, 3, 12), "12/03/2023", "12th March 2023"),
        (date(2022, 9, 22), "22/09/2022", "22nd September 2022"),
    ],
)
def test_date_styles(day: date, short: str, long: str) -> None:
    assert short_date(day) == short
    assert long_date(day) == long


@given(st.dates(min_value=date(1000, 1, 1)))
def test_a_short_date_is_written_as_strftime_writes_it(day: date) -> None:
    assert short_date(day) == day.strftime("%d/%m/%Y")


def test_financial_years() -> None:
    assert financial_year(2023) == "2023/24"
    assert financial_year(2099) == "2099/00"
    assert financial_year_of(date(2023, 3, 31)) == 2022
    assert financial_year_of(date(2023, 4, 1)) == 2023


def test_no_printable_character_is_a_space_or_a_format_character() -> None:
    """What normalise passes by as folded, printable text, holds nothing it would drop or make a
    space: so in every character this Python knows of, not only those a test happens to draw."""
    every = map(chr, range(sys.maxunicode + 1))
    assert [c for c in every if c.isprintable() and c != " " and (c.isspace() or unicodedata.category(c) == "Cf")] == []


@example("£450,000 – a grant")  # printable: the quick way for text beyond ASCII
@example("ＧＢＰ\u00a0450")  # printable once folded (the no-break space a space)
@example("G\u200dBP\u2028450\n")  # not printable: read character by character
@given(st.text() | st.text(alphabet=st.characters(max_codepoint=127)) | st.text(alphabet="£ –\u200b\u00a0\u3000１2,.m\t\n\x0b\x1f"))
def test_text_is_normalised_as_a_character_by_character_reading_would(text: str) -> None:
    """The quick ways (ASCII text, and text printable once folded) give what reading every
    character does: NFKC, each space a space, format characters dropped."""
    folded = unicodedata.normalize("NFKC", text)
    assert normalise(text) == "".join(" " if c.isspace() else c for c in folded if unicodedata.category(c) != "Cf")
