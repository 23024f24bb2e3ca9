"""Values are what they show: money and dates within sane bounds, and no character that makes
text read differently from what it shows (invisible, bidirectional, look-alike £, other digits)."""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from pydantic import TypeAdapter, ValidationError
from typer.testing import CliRunner

from cli import app
from generator.domain.common.base import _DECEPTIVE, _DECEPTIVE_CHARACTERS, LINE_BREAK, TYPED_LIST_MARKER, Text, deceptive, unholdable
from generator.errors import InputError, one_line
from generator.inputs.load import load_decision

EXEC = "    - This paper seeks approval to accept £10,000 of grant."
RECOMMENDATION = "    - accept grant funding of £10,000.00 from the Home Office."
DMPC_DATE = "    date: 2022-11-03"


def _problems(write_input: Callable[[str], Path], text: str) -> list[str]:
    path = write_input(text)
    with pytest.raises(InputError) as caught:
        load_decision(path)
    return [str(p).removeprefix(f"{path}:") for p in caught.value.problems]


REFUSED_TEXT = [  # (the executive summary as typed, the problem at line 6, column 7)
    ("This paper seeks \u200bapproval.", "contains an invisible character (U+200B ZERO WIDTH SPACE) at character 18: delete it"),
    ("This paper seeks\u2060approval.", "contains an invisible character (U+2060 WORD JOINER) at character 17: delete it"),
    ("Accept \ufeff£10,000.", "contains an invisible character (U+FEFF ZERO WIDTH NO-BREAK SPACE) at character 8: delete it"),
    (
        "Accept £10,000 \u202e000,01£ tpecca",
        "contains a bidirectional control (U+202E RIGHT-TO-LEFT OVERRIDE) at character 16, which changes the order text is shown in: delete it",
    ),
    ("Accept \u2067£10,000\u2069.", "contains a bidirectional control (U+2067 RIGHT-TO-LEFT ISOLATE) at character 8"),
    ("Accept \u200f£10,000.", "contains a bidirectional control (U+200F RIGHT-TO-LEFT MARK) at character 8"),
    ("Accept \u20a410,000 of grant.", "contains a sign that looks like £ but is not (U+20A4 LIRA SIGN) at character 8: type £"),
    ("Accept \uffe110,000 of grant.", "contains a sign that looks like £ but is not (U+FFE1 FULLWIDTH POUND SIGN) at character 8: type £"),
    ("Accept £１0,000 of grant.", "contains a digit of another script (U+FF11 FULLWIDTH DIGIT ONE) at character 9: type the digits 0-9"),
    ("Accept £٤0,000 of grant.", "contains a digit of another script (U+0664 ARABIC-INDIC DIGIT FOUR) at character 9: type the digits 0-9"),
]


@pytest.mark.parametrize(("typed", "why"), REFUSED_TEXT, ids=[w.split("(")[1].split(")")[0] for _, w in REFUSED_TEXT])
def test_text_that_reads_differently_from_what_it_shows_is_refused_where_typed(
    write_input: Callable[[str], Path], minimal_text: str, typed: str, why: str
) -> None:
    problems = _problems(write_input, minimal_text.replace(EXEC, f"    - {typed}"))
    assert problems == [f"6:7: decision_form.executive_summary[0].text: {why}"] or problems[0].startswith(
        f"6:7: decision_form.executive_summary[0].text: {why}"
    ), problems


@pytest.mark.parametrize(
    "typed", ["Emoji 👩\u200d👩\u200d👧 keep their joiners.", "A soft\xadhyphen stays.", "Arabic مرحبا and Hebrew שלום."]
)
def test_text_of_other_scripts_and_emoji_is_not_mistaken_for_a_trick(
    write_input: Callable[[str], Path], minimal_text: str, typed: str
) -> None:
    decision = load_decision(write_input(minimal_text.replace(EXEC, f"    - {typed}")))
    assert decision.decision_form is not None
    assert decision.decision_form.executive_summary[0].text == typed


MONEY = [  # (the recommendation's amount as typed, the problem)
    ("10000000000000.01", "£10,000,000,000,000.01 is more than £10 trillion: check the figure (a digit typed twice?)"),
    ('"£99,999,999,999,999.00"', "is more than £10 trillion"),
    ('"£１0,000.00"', "not an amount of money: it contains a digit of another script (U+FF11 FULLWIDTH DIGIT ONE) at character 2"),
    ('"₤10,000.00"', "not an amount of money: it contains a sign that looks like £ but is not (U+20A4 LIRA SIGN) at character 1: type £"),
    ('"1e20"', "not an amount of money: '1e20'"),
]


@pytest.mark.parametrize(("typed", "why"), MONEY)
def test_money_beyond_sense_or_in_disguise_is_refused(write_input: Callable[[str], Path], minimal_text: str, typed: str, why: str) -> None:
    text = minimal_text.replace(
        RECOMMENDATION, f"    - text: accept grant funding of £10,000.00 from the Home Office.\n      amount: {typed}"
    )
    problems = _problems(write_input, text)
    assert any(p.startswith("9:15: decision_form.recommendations[0].amount: ") and why in p for p in problems), problems


def test_ten_trillion_itself_is_accepted(write_input: Callable[[str], Path], minimal_text: str) -> None:
    text = minimal_text.replace(
        RECOMMENDATION, "    - text: accept £10,000,000,000,000.00 from the Home Office.\n      amount: 10000000000000"
    )
    decision = load_decision(write_input(text))
    assert decision.decision_form is not None and str(decision.decision_form.recommendations[0].amount) == "10000000000000"


def test_an_amount_in_text_is_read_only_from_digits_the_reader_sees(write_input: Callable[[str], Path], minimal_text: str) -> None:
    """The recommendation's sum is checked against its text: fullwidth digits there are refused, not read as 10,000."""
    text = minimal_text.replace(
        RECOMMENDATION, "    - text: accept grant funding of £１０,000.00 from the Home Office.\n      amount: 10000"
    )
    problems = _problems(write_input, text)
    assert any("digit of another script (U+FF11 FULLWIDTH DIGIT ONE)" in p for p in problems), problems


def test_the_deceptive_pattern_finds_the_characters_the_plain_one_does() -> None:
    """_DECEPTIVE, which looks back at a character beyond ASCII rather than trying each, against
    the plain pattern over every character there is: each matches one character, so the same
    spans here are the same search in any text."""
    plain = re.compile(f"[{_DECEPTIVE_CHARACTERS}]|(?![0-9])\\d")
    every = "".join(map(chr, range(sys.maxunicode + 1)))
    assert [m.span() for m in _DECEPTIVE.finditer(every)] == [m.span() for m in plain.finditer(every)]


@pytest.mark.parametrize(
    ("typed", "why"),
    [
        ("1899-12-31", "31/12/1899 is not a plausible date for a decision (1900 to 2200): check the year"),
        ("2201-01-01", "01/01/2201 is not a plausible date"),
        ("0001-01-01", "01/01/0001 is not a plausible date"),
        ("31/12/9999", "31/12/9999 is not a plausible date"),
    ],
)
def test_dates_outside_a_plausible_range_are_refused(write_input: Callable[[str], Path], minimal_text: str, typed: str, why: str) -> None:
    problems = _problems(write_input, minimal_text.replace(DMPC_DATE, f"    date: {typed}"))
    assert any(p.startswith("10:11: decision_form.dmpc.date: ") and why in p for p in problems), problems


@pytest.mark.parametrize("typed", ["1900-01-01", "31/12/2200"])
def test_the_ends_of_the_range_are_accepted(write_input: Callable[[str], Path], minimal_text: str, typed: str) -> None:
    text = minimal_text.replace(DMPC_DATE, f"    date: {typed}").replace("    date: 2022-10-26", f"    date: {typed}")
    problems = [p for p in _problems_or_none(write_input, text) if "plausible" in p]
    assert problems == []


def _problems_or_none(write_input: Callable[[str], Path], text: str) -> list[str]:
    path = write_input(text)
    try:
        load_decision(path)
    except InputError as error:
        return [str(p) for p in error.problems]
    return []


@pytest.mark.parametrize(
    ("typed", "shown"),
    [
        ("!!str 2023", "!!str"),
        ("!!binary aGVsbG8=", "!!binary"),
        ("!!python/object/apply:os.system ['id']", "!!python/object/apply:os.system"),
        ("!!float 1e3", "!!float"),
        ("! plain", "!"),
        ("!!map {a: 1}", "!!map"),
        ("!!seq [a]", "!!seq"),
    ],
)
def test_an_explicit_yaml_tag_is_refused_where_it_stands(
    write_input: Callable[[str], Path], minimal_text: str, typed: str, shown: str
) -> None:
    problems = _problems(write_input, minimal_text.replace("title: Test decision", f"title: {typed}"))
    assert (
        f"2:8: title: an explicit YAML tag ({shown}) is not part of an input, which is read as the text written: delete the tag" in problems
    )


def test_aliases_count_toward_the_size_limit_and_the_input_is_named(write_input: Callable[[str], Path], minimal_text: str) -> None:
    """A few hundred bytes that read as megabytes: refused by the reader, naming the input and the
    place, before any template sees them (where the render's memory bound would blame the template)."""
    text = minimal_text.replace("title: Test decision", "title: &t " + "x" * 60_000)
    text += "author: [" + ", ".join(["*t"] * 40) + "]\n"
    path = write_input(text)
    assert path.stat().st_size < 200_000
    with pytest.raises(InputError) as caught:
        load_decision(path)
    (problem,) = caught.value.problems
    author_line = text.count("\n")  # the line appended last
    assert str(problem).startswith(f"{path}:{author_line}:")
    assert "too large: larger than the 2 MB an input may be once its aliases are read in full (*t stands for 60,000 characters)" in str(
        problem
    )


@pytest.mark.parametrize(
    ("name", "line"),
    [
        ("line\nbreak.yaml", '"bad\\nkey": 1'),
        ("tab\there.yaml", 'title: "PCD\\n1300\\u2028x"\nreference: "PCD\\r9"'),
        ("plain.yaml", '"key\\twith\\x1bescape": x'),
    ],
)
def test_every_problem_is_one_line_whatever_names_and_values_hold(tmp_path: Path, minimal_text: str, name: str, line: str) -> None:
    path = tmp_path / name
    path.write_text(minimal_text.replace("title: Test decision\n", "") + line + "\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["validate", str(path)])
    assert result.exit_code == 1
    printed = result.stderr.splitlines()
    assert printed and all(p.startswith(one_line(str(path)) + ":") for p in printed), printed
    assert all("\x1b" not in p and "\t" not in p and "\u2028" not in p for p in printed), printed


def _text_as_each_rule_reads_it(value: str) -> str:
    """What a piece of text becomes under Text's rules taken one at a time, the slow way (every
    character looked at), or the message of the first it breaks."""
    problem = unholdable(value) or deceptive(value)
    if problem:
        return f"refused: {problem}"
    value = LINE_BREAK.sub("\n", value).replace("\t", " ").strip()
    if not value:
        return "refused: must not be empty"
    if TYPED_LIST_MARKER.match(value):
        return "refused: typed list marker"
    return value


# Each character the quick way must not pass over, in ASCII text (which takes the quick way).
@example("a\tb")
@example("a\r\nb")
@example("a\x0bb")
@example("a\x0cb")
@example("a\x00b")
@example("a\x1fb")
@example("a\x7fb")
@example("a\nb")  # not printable, yet nothing to clean: the pattern decides
@example(" 1. item")
@example("£450 – a grant")  # printable beyond ASCII: only deceptive characters are looked for
@example("£450\u2029– a\tgrant\r\n")
@example("I. item")  # a capital begins no marker (the pattern is not searched)
@example("i. item")
@example("  ")
@given(
    st.text(alphabet=st.characters(max_codepoint=127))
    | st.text(alphabet="ab 1.\t\r\n\x0b\x0c\x00\x1f\x7f\u2028\u200b£\u00a0\ud800")
    | st.text()
)
def test_text_is_checked_and_cleaned_as_each_rule_would_one_at_a_time(value: str) -> None:
    """Text's one validator, with its quick way for ASCII text that needs nothing done, gives what
    each rule in turn gives: refused for the same reason, or the same text."""
    _assert_read_as_each_rule_reads_it(value)


def test_no_printable_character_is_unholdable_a_line_break_or_a_tab() -> None:
    """What Text passes by as printable, holds nothing its rules would refuse or change but
    deceptive characters and the ends' spaces: so in every character there is."""
    printable = "".join(c for c in map(chr, range(sys.maxunicode + 1)) if c.isprintable())
    assert unholdable(printable) is None
    assert LINE_BREAK.search(printable) is None and "\t" not in printable


def test_every_ascii_character_is_checked_as_each_rule_would() -> None:
    """The quick way's test (printable ASCII needs nothing done) over each ASCII character, not
    only those drawn."""
    for c in map(chr, range(128)):
        _assert_read_as_each_rule_reads_it(f"a{c}b")


def _assert_read_as_each_rule_reads_it(value: str) -> None:
    expected = _text_as_each_rule_reads_it(value)
    try:
        got = TypeAdapter(Text).validate_python(value)
    except ValidationError as exc:
        message = exc.errors()[0]["msg"].removeprefix("Value error, ")
        got = "refused: typed list marker" if "typed list marker" in message else f"refused: {message}"
    assert got == expected
