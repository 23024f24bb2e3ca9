"""Everyday slips: what an officer types, and the exact lines grantdocs answers with, from
load_decision and from `grantdocs validate`. A slip that breaks the syntax gets the parser's
line and a hint at the text that caused it; one YAML reads without complaint is refused where
it stands; text that merely looks like one is read as written."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli import app
from generator.errors import InputError
from generator.inputs.load import load_decision

runner = CliRunner()

# The minimal input's only Part 1 paragraph (line 14, its text in column 11).
P = "        - The Home Office has made an offer."


def quote(what: str, example: str | None = None) -> str:
    shown = f", as {example}" if example else ""
    return (
        f"put the whole {what} in single quotes{shown}, writing any ' inside it as ''; "
        f"or write > in its place and the {what} on the lines below it, indented further"
    )


TAB = "hint: a tab here: YAML takes only spaces to indent a line and after - or ':': type spaces instead"
COMMENT_TO_SPACE = "; for a comment, put a space after the #"

# (case, replace this text of the minimal input, with this, expected lines without the file name)
SLIPS = [
    (
        "a paragraph starting with a quoted phrase",
        P,
        '        - "Net zero" is a target of the plan.',
        [
            "14:11: (yaml): hint: this paragraph starts with a quote, so YAML ends it where the quote closes and cannot read what "
            "follows: " + quote("paragraph", "'\"Net zero\" is a target of the plan.'"),
            "14:22: (yaml): YAML syntax error: while parsing a block collection did not find expected '-' indicator",
        ],
    ),
    (
        "a title starting with a quoted phrase",
        "title: Test decision",
        "title: 'Net zero' targets",
        [
            "2:8: (yaml): hint: this text starts with a quote, so YAML ends it where the quote closes and cannot read what follows: "
            + quote("text", "'''Net zero'' targets'"),
            "2:19: (yaml): YAML syntax error: while parsing a block mapping did not find expected key",
        ],
    ),
    (
        "a paragraph starting with *",
        P,
        "        - *Note* the offer is final.",
        [
            "14:11: (yaml): hint: YAML reads * at the start of this paragraph as markup, not as text: "
            + quote("paragraph", "'*Note* the offer is final.'"),
            "14:16: (yaml): YAML syntax error: while scanning an alias did not find expected alphabetic or numeric character",
        ],
    ),
    (
        "a paragraph starting with &",
        P,
        "        - & partners have made an offer.",
        [
            "14:11: (yaml): hint: YAML reads & at the start of this paragraph as markup, not as text: "
            + quote("paragraph", "'& partners have made an offer.'"),
            "14:12: (yaml): YAML syntax error: while scanning an anchor did not find expected alphabetic or numeric character",
        ],
    ),
    (
        "a paragraph starting with ! (read as a type tag, silently)",
        P,
        "        - !Important the offer is final.",
        [
            "14:11: decision_form.part_1[0].paragraphs[0]: YAML reads '!Important' at the start of this paragraph as a type tag and "
            "leaves it out: " + quote("paragraph")
        ],
    ),
    (
        "a paragraph starting with %",
        P,
        "        - % of the grant is for training.",
        [
            "14:11: (yaml): YAML syntax error: while scanning for the next token found character that cannot start any token",
            "14:11: (yaml): hint: YAML reads % at the start of this paragraph as markup, not as text: "
            + quote("paragraph", "'% of the grant is for training.'"),
        ],
    ),
    (
        "a paragraph starting with @",
        P,
        "        - @MPSonline posted the offer.",
        [
            "14:11: (yaml): YAML syntax error: while scanning for the next token found character that cannot start any token",
            "14:11: (yaml): hint: YAML reads @ at the start of this paragraph as markup, not as text: "
            + quote("paragraph", "'@MPSonline posted the offer.'"),
        ],
    ),
    (
        "a paragraph starting with a backtick",
        P,
        "        - `grantdocs` wrote this paragraph.",
        [
            "14:11: (yaml): YAML syntax error: while scanning for the next token found character that cannot start any token",
            "14:11: (yaml): hint: YAML reads ` at the start of this paragraph as markup, not as text: "
            + quote("paragraph", "'`grantdocs` wrote this paragraph.'"),
        ],
    ),
    (
        "a paragraph starting with [",
        P,
        "        - [Redacted] has made an offer.",
        [
            "14:11: (yaml): hint: this paragraph starts with [, so YAML reads a list up to the ] and cannot read what follows: "
            + quote("paragraph", "'[Redacted] has made an offer.'"),
            "14:22: (yaml): YAML syntax error: while parsing a block collection did not find expected '-' indicator",
        ],
    ),
    (
        "a paragraph starting with >",
        P,
        "        - > 50 officers were consulted.",
        [
            "14:11: (yaml): hint: > at the start of this paragraph begins a YAML block, whose text goes on the lines below: "
            + quote("paragraph", "'> 50 officers were consulted.'"),
            "14:13: (yaml): YAML syntax error: while scanning a block scalar did not find expected comment or line break",
        ],
    ),
    (
        "': ' in a title",
        "title: Test decision",
        "title: Net zero: the plan",
        [
            "2:16: (yaml): YAML syntax error: mapping values are not allowed in this context",
            "2:16: (yaml): hint: ': ' inside this text makes YAML read the words before it as a key: "
            + quote("text", "'Net zero: the plan'"),
        ],
    ),
    (
        "': ' in a paragraph (read as a key and its value)",
        P,
        "        - Environmental: impact is nil.",
        [
            "14:11: decision_form.part_1[0].paragraphs[0].Environmental: unknown key 'Environmental' "
            "(expected one of: bullets, continued, quote, subheading, text, text_table)",
            "14:24: decision_form.part_1[0].paragraphs[0]: hint: ': ' after 'Environmental' makes YAML read it as a key, not as part "
            "of the paragraph: " + quote("paragraph", "'Environmental: impact is nil.'"),
        ],
    ),
    (
        "': ' in a background paper (read as a mapping)",
        "  drafting_officer: A N Officer",
        "  background_papers:\n    - Appendix 1: MPS Report\n  drafting_officer: A N Officer",
        [
            "18:7: decision_form.background_papers[0]: must be text (got a mapping)",
            "18:17: decision_form.background_papers[0]: hint: ': ' after 'Appendix 1' makes YAML read it as a key, not as part of the "
            "paragraph: " + quote("paragraph", "'Appendix 1: MPS Report'"),
        ],
    ),
    (
        "': ' in a paragraph's second line",
        P,
        P + "\n          Environmental: impact is nil.",
        [
            "15:24: (yaml): YAML syntax error: mapping values are not allowed in this context",
            "15:24: (yaml): hint: ': ' inside this paragraph (from line 14) makes YAML read the words before it as a key: "
            + quote("paragraph"),
        ],
    ),
    (
        "a key indented one space too far",
        "    date: 2022-11-03",
        "    date: 2022-11-03\n     signatory: A N Other",
        [
            "11:15: (yaml): YAML syntax error: mapping values are not allowed in this context",
            "11:15: (yaml): hint: 'signatory:' is indented further than the line above it, so YAML reads it as more of that line's "
            "value: if it is a key, start it in column 5, like the key above it; if it is text, " + quote("text"),
        ],
    ),
    (
        "a list item indented one space too far (joined to the paragraph above, silently)",
        P,
        P + "\n         - The team will help.",
        [
            "15:10: decision_form.part_1[0].paragraphs[0]: this list item is indented further than the items above it (its - is in "
            "column 10, theirs in column 9), so YAML reads it as more of the paragraph before it ('The Home Office has made an "
            "offer. - The team will help.'): line its - up with theirs; if the dash belongs to the text, " + quote("paragraph")
        ],
    ),
    (
        "a list item under a key's text (joined to it, silently)",
        "title: Test decision",
        "title: Test decision\n  - and more",
        [
            "3:3: title: a line starting with '- ' under text is read as more of that text ('Test decision - and more'): a list goes "
            "on the lines under its key, with nothing after the colon; if the dash belongs to the text, " + quote("text")
        ],
    ),
    (
        "a list item indented one space too little",
        P,
        P + "\n       - The team will help.",
        [
            "15:8: (yaml): YAML syntax error: while parsing a block mapping did not find expected key",
            "15:8: (yaml): hint: this list item's - is in column 8, but the items above it have theirs in column 9: line it up with them",
        ],
    ),
    (
        "a list on the line of its key",
        "title: Test decision",
        "title: - Test decision",
        [
            "2:8: (yaml): YAML syntax error: block sequence entries are not allowed in this context",
            "2:8: (yaml): hint: a list cannot start on the line of its key: put each item on a line of its own below the key, "
            "starting with '- ' and indented further than the key",
        ],
    ),
    (
        "' #' inside text (the rest read as a comment, silently)",
        "title: Test decision",
        "title: Operation #Trident decision",
        ["2:18: title: ' #' starts a comment, so YAML leaves '#Trident decision' out of the text: " + quote("text") + COMMENT_TO_SPACE],
    ),
    (
        "' #' starting a paragraph (an empty paragraph and a comment, silently)",
        P,
        "        - #1 priority is safety.",
        [
            "14:11: decision_form.part_1[0].paragraphs[0]: ' #' starts a comment, so YAML leaves '#1 priority is safety.' out of the "
            "paragraph: " + quote("paragraph") + COMMENT_TO_SPACE
        ],
    ),
    (
        "' #' inside a paragraph that goes on",
        P,
        "        - The Home Office is #1 in London\n          for grants.",
        [
            "14:30: (yaml): hint: ' #' starts a comment, so YAML leaves '#1 in London' out of the paragraph and cannot read the line "
            "after it: " + quote("paragraph") + COMMENT_TO_SPACE,
            "15:11: (yaml): YAML syntax error: while parsing a block collection did not find expected '-' indicator",
        ],
    ),
    (
        "a tab after a dash",
        P,
        "        -\tThe Home Office has made an offer.",
        [
            "14:10: (yaml): YAML syntax error: while scanning for the next token found character that cannot start any token",
            "14:10: (yaml): " + TAB,
        ],
    ),
    (
        "a tab for indentation",
        "    defer_part_1: no",
        "\tdefer_part_1: no",
        [
            "16:1: (yaml): YAML syntax error: while scanning for the next token found character that cannot start any token",
            "16:1: (yaml): " + TAB,
        ],
    ),
    (
        "no space after a key's colon",
        "    date: 2022-11-03",
        "    date:2022-11-03",
        [
            "10:5: decision_form.dmpc: must be a mapping of keys to values (got 'date:2022-11-03')",
            "10:9: decision_form.dmpc: hint: a key needs a space after its colon: write 'date: …', not 'date:…'",
        ],
    ),
    (
        "no space after a top-level key's colon",
        "title: Test decision",
        "title:Test decision",
        [
            "2:6: (yaml): hint: a key needs a space after its colon: write 'title: …', not 'title:…'",
            "3:1: (yaml): YAML syntax error: while scanning a simple key could not find expected ':'",
        ],
    ),
    (
        "a non-breaking space pasted after a dash",
        P,
        "        -\xa0The Home Office has made an offer.",
        [
            "14:9: decision_form.part_1[0].paragraphs: must be a list (lines starting with '- ') "
            "(got '-\\xa0The Home Office has made an offer.')",
            "14:10: decision_form.part_1[0].paragraphs: hint: a non-breaking space here (pasted from Word or email): YAML needs "
            "ordinary spaces to indent a line and after - or ':': retype it",
        ],
    ),
]

# Text that looks like a slip but is not one: read exactly as written (the paragraph's text).
NOT_SLIPS = [
    ("a dash inside a line", "        - The offer - which is final - stands.", "The offer - which is final - stands."),
    ("a dash at the end of a line", "        - The offer -\n          which is final.", "The offer - which is final."),
    ("quotes inside text", '        - The "Net zero" target stands.', 'The "Net zero" target stands.'),
    ("a whole paragraph in single quotes", "        - '\"Net zero\" is a target; it''s set.'", '"Net zero" is a target; it\'s set.'),
    (
        "a > block starting with a quote",
        '        - >\n          "Net zero" is a target\n          - set in 2020.',
        '"Net zero" is a target - set in 2020.',
    ),
    ("a colon without a space", "        - The ratio is 3:1 at 10:30.", "The ratio is 3:1 at 10:30."),
    ("a # without a space before it", "        - Skills in C# and F#.", "Skills in C# and F#."),
    ("a comment after two spaces", "        - The Home Office has made an offer.  # checked", "The Home Office has made an offer."),
    ("a comment with a space after its #", "        - The Home Office has made an offer. # checked", "The Home Office has made an offer."),
    ("& and * inside text", "        - The MPS & MOPAC agreed 2 * 3 teams!", "The MPS & MOPAC agreed 2 * 3 teams!"),
]


def problems_for(path: Path) -> list[str]:
    with pytest.raises(InputError) as caught:
        load_decision(path)
    return [str(p).removeprefix(f"{path}:") for p in caught.value.problems]


@pytest.mark.parametrize(("case", "old", "new", "expected"), SLIPS, ids=[c[0] for c in SLIPS])
def test_a_slip_is_explained_where_it_stands(
    case: str, old: str, new: str, expected: list[str], minimal_text: str, write_input: Callable[[str], Path]
) -> None:
    assert old in minimal_text, f"test case {case!r} no longer matches the minimal input"
    path = write_input(minimal_text.replace(old, new, 1))
    assert problems_for(path) == expected


@pytest.mark.parametrize(("case", "old", "new", "expected"), SLIPS, ids=[c[0] for c in SLIPS])
def test_validate_prints_a_slip_and_its_hint(
    case: str, old: str, new: str, expected: list[str], minimal_text: str, write_input: Callable[[str], Path]
) -> None:
    path = write_input(minimal_text.replace(old, new, 1))
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [f"{path}:{line}" for line in expected]
    assert "Traceback" not in result.output


@pytest.mark.parametrize(("case", "paragraph", "read"), NOT_SLIPS, ids=[c[0] for c in NOT_SLIPS])
def test_text_that_only_looks_like_a_slip_is_read_as_written(
    case: str, paragraph: str, read: str, minimal_text: str, write_input: Callable[[str], Path]
) -> None:
    decision = load_decision(write_input(minimal_text.replace(P, paragraph, 1)))
    assert decision.decision_form is not None
    assert decision.decision_form.part_1[0].paragraphs[0].text == read


def test_a_slip_beside_other_problems_is_one_of_them(minimal_text: str, write_input: Callable[[str], Path]) -> None:
    """A slip the reader refuses does not hide the file's other problems, nor they it."""
    text = minimal_text.replace("title: Test decision", "title: Operation #Trident decision").replace("form: dmpc-2022", "form: dmpc-2021")
    problems = problems_for(write_input(text))
    assert [p.split(": ", 2)[:2] for p in problems] == [["2:18", "title"], ["4:9", "decision_form.form"]]


def test_a_file_that_is_one_text_with_a_dash_line_is_told_both(write_input: Callable[[str], Path]) -> None:
    """A slip in a value that is the whole file (no key, no list around it): its own line, and the
    file's shape still told."""
    assert problems_for(write_input(" PCD\n    - T")) == [
        "1:2: (file): must be a mapping of keys to values (got 'PCD - T')",
        "2:5: (file): a line starting with '- ' under text is read as more of that text ('PCD - T'): a list goes on the lines "
        "under its key, with nothing after the colon; if the dash belongs to the text, " + quote("text"),
    ]


@pytest.mark.parametrize("text", ["?", '"": x', "- !", "x: &", "x: *a b", "- - x\n   - y", "a: x\u2028 - y", '- "a"\n  b'])
def test_odd_files_are_refused_with_located_problems_never_a_crash(text: str, write_input: Callable[[str], Path]) -> None:
    """Where a slip's explanation finds nothing it knows (an empty key, a bare tag …), the file is
    still refused or read, never a traceback (the fuzz found an empty key, from '?')."""
    path = write_input(text)
    try:
        load_decision(path)
    except InputError as error:
        assert all(p.line >= 1 and p.column >= 1 and "\n" not in p.message for p in error.problems)
