"""Part 2 kept apart: confidential content reaches only <stem>-part-2.docx, never a Part 1 document.

The leak test plants a distinct marker in every text field of the `part_2:` section (found by
walking the model, so a field added later is planted too, or the test says the fixture lacks
it), renders every document, and looks for the markers in every member of every Part 1 output.
"""

from __future__ import annotations

import html
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from generator.build.generate import generate
from generator.docx.read import document_lines
from generator.domain.part_2.model import Part2
from generator.errors import InputError
from generator.inputs.load import load_decision
from tests.conftest import FIXTURES
from tests.support.part_2_planting import NOT_PLANTED, Planter, found, is_literal, planted_text, text_fields

PART_2 = FIXTURES / "inputs" / "part-2.yaml"
PART_2_TEXT = PART_2.read_text(encoding="utf-8")
PART_1_KINDS = ("decision-form", "supporting-report", "decision-pack", "grant-agreement")


@pytest.fixture(scope="module")
def planted(tmp_path_factory: pytest.TempPathFactory) -> tuple[Planter, dict[str, Path]]:
    """The fixture with a marker in every text field of part_2, every document rendered."""
    planter = Planter()
    folder = tmp_path_factory.mktemp("leak")
    source = folder / "leak.yaml"
    source.write_text(planted_text(PART_2, planter), encoding="utf-8")
    built = generate(source, out_dir=folder / "out")
    return planter, {path.name.removeprefix("leak-").removesuffix(".docx"): path for path in built.outputs}


def _members(path: Path) -> Iterator[tuple[str, str]]:
    with zipfile.ZipFile(path) as package:
        for name in package.namelist():
            yield name, package.read(name).decode("utf-8", errors="replace")


def test_every_text_field_of_part_2_is_planted(planted: tuple[Planter, dict[str, Path]]) -> None:
    """If part_2 gains a text field, the fixture must give it a value, so the leak test covers it."""
    planter, _ = planted
    missing = text_fields(Part2) - NOT_PLANTED - {f for f in text_fields(Part2) if is_literal(f)} - planter.planted
    assert not missing, f"give these fields a value in {PART_2.name}: {sorted(f'{c.__name__}.{n}' for c, n in missing)}"
    assert len(planter.markers) >= 40


def test_every_document_is_rendered(planted: tuple[Planter, dict[str, Path]]) -> None:
    _, outputs = planted
    assert set(outputs) == {*PART_1_KINDS, "part-2"}


def test_no_part_2_marker_in_any_part_1_output(planted: tuple[Planter, dict[str, Path]]) -> None:
    """Every member of every Part 1 package: body, headers, footers, footnotes, comments, properties …"""
    planter, outputs = planted
    leaks = [
        f"{kind}: {member}: {marker!r}"
        for kind in PART_1_KINDS
        for member, text in _members(outputs[kind])
        for marker in planter.markers.values()
        if found(marker, text)
    ]
    assert leaks == []


def test_every_part_2_marker_is_in_the_part_2_output(planted: tuple[Planter, dict[str, Path]]) -> None:
    """So the search above can find a marker when it is there."""
    planter, outputs = planted
    members = dict(_members(outputs["part-2"]))
    body = members["word/document.xml"]
    missing = [(text, marker) for text, marker in planter.markers.items() if html.escape(marker, quote=False) not in body]
    assert missing == []
    assert any(found(marker, body) for marker in planter.markers.values())


def test_the_published_report_carries_only_the_statement(planted: tuple[Planter, dict[str, Path]]) -> None:
    _, outputs = planted
    text = "\n".join(document_lines(outputs["supporting-report"]))
    assert "The Government Security Classification marking for Part 2 is: OFFICIAL-SENSITIVE [OPERATIONAL]." in text
    assert "section 31 (law enforcement), section 43 (commercial interests)" in text


# --------------------------------------------------------------------------- the Part 2 document


@pytest.fixture(scope="module")
def part_2_doc(tmp_path_factory: pytest.TempPathFactory) -> Path:
    (path,) = generate(PART_2, out_dir=tmp_path_factory.mktemp("p2"), only="part-2").outputs
    return path


def test_part_2_document(part_2_doc: Path) -> None:
    assert part_2_doc.name == "part-2-part-2.docx"
    lines = document_lines(part_2_doc)
    assert lines[:8] == [
        "<header 1> OFFICIAL-SENSITIVE [OPERATIONAL]",
        "<header 1> PART 2 – CONFIDENTIAL FACTS AND ADVICE\tPCD 1300",
        "<footer 1> PCD 1300 – Part 2\t1",
        "<footer 1> OFFICIAL-SENSITIVE [OPERATIONAL]",
        "[Heading 1] Confidential facts and advice on the teams' deployment",
        "[Subtitle] PCD 1300: Test grant",
        "[Classification] This part is NOT SUITABLE for publication.",
        "[Normal] Part 2 of this report is exempt from publication under the Freedom of Information Act 2000, "
        "section 31 (law enforcement), section 43 (commercial interests), for the following reasons: disclosure "
        "would prejudice ongoing operations and the commercial interests of the suppliers.",
    ]
    assert "[Normal] The exemption will be reviewed on 30th April 2024." in lines
    assert "[Heading 2] Financial, Commercial and Procurement Comments" in lines, "a standard key's heading"
    numbered = [line for line in lines if line.startswith("[Report Paragraph]")]
    assert len(numbered) == 3, "numbered 1, 2, 3 across the sections"
    assert "|h| Specialist teams (Grant Amount £0.120m) | Annual cost £m | FTE | Total cost £m |" in lines


def test_part_2_only_when_there_is_content(tmp_path: Path) -> None:
    built = generate(FIXTURES / "inputs" / "report.yaml", out_dir=tmp_path)
    assert not [p for p in built.outputs if p.name.endswith("-part-2.docx")]


# --------------------------------------------------------------------------- rules


def _errors(write_input: Callable[[str], Path], text: str) -> list[str]:
    path = write_input(text)
    with pytest.raises(InputError) as caught:
        load_decision(path)
    return [str(p).replace(str(path), "{path}") for p in caught.value.problems]


def _line(text: str, line: str, after: str | None = None) -> int:
    """1-based number of the first line of `text` that is `line`, after the line `after` if given."""
    lines = text.splitlines()
    start = lines.index(after) if after is not None else 0
    return lines.index(line, start) + 1


def _without_statement(text: str) -> str:
    start = text.index("  part_2:\n    marking:")
    end = text.index("agreement:\n")
    return text[:start] + text[end:]


def test_content_needs_the_published_statement(write_input: Callable[[str], Path]) -> None:
    text = _without_statement(PART_2_TEXT)
    line = _line(text, "part_2:") + 1  # a mapping is where its first key is
    assert _errors(write_input, text) == [
        f"{{path}}:{line}:3: part_2: Part 2 content needs the published statement about it: add report.part_2 "
        "(its marking, the FOIA sections relied on and why) (see report at {path}:26)",
    ]


def test_content_without_a_report_needs_the_forms_statement(write_input: Callable[[str], Path], minimal_text: str) -> None:
    text = minimal_text.replace("    defer_part_1: no\n", "    defer_part_1: no\n    part_2: yes\n")
    text += "part_2:\n  title: Secret\n  sections:\n    - heading: Facts\n      content: [A fact.]\n"
    (error,) = _errors(write_input, text)
    assert error.endswith(
        "part_2: Part 2 content needs the published statement about it: add decision_form.publication.part_2_statement "
        "(its marking, the FOIA sections relied on and why)"
    )


FORM_STATEMENT = """    part_2: yes
    part_2_statement:
      marking: OFFICIAL-SENSITIVE [COMMERCIAL]
      foia_sections: [43]
      reasons: the prices tendered would prejudice the suppliers' commercial interests.
      until: 2028-03-31
"""
FORM_PART_2 = """part_2:
  title: Tender evaluation and prices
  sections:
    - heading: Prices tendered
      content:
        - The three bids were priced at PRICE-MARKER-7731 and two others.
"""


def _form_only_part_2(minimal_text: str) -> str:
    return minimal_text.replace("    defer_part_1: no\n", "    defer_part_1: no\n" + FORM_STATEMENT) + FORM_PART_2


def test_part_2_on_a_decision_without_a_report(write_input: Callable[[str], Path], minimal_text: str, tmp_path: Path) -> None:
    """A restricted appendix on a decision with only a form: the form publishes the statement, Part 2 holds the content."""
    built = generate(write_input(_form_only_part_2(minimal_text)), out_dir=tmp_path / "out")
    by_kind = {path.name.removeprefix("decision-"): path for path in built.outputs}
    assert sorted(by_kind) == ["decision-form.docx", "part-2.docx"]
    form = document_lines(by_kind["decision-form.docx"])
    assert "[Normal] The Government Security Classification marking for the Part 2 form is: OFFICIAL-SENSITIVE [COMMERCIAL]." in form
    assert (
        "[Normal] The Part 2 form is exempt from publication under the Freedom of Information Act 2000, section 43 "
        "(commercial interests), for the following reasons: the prices tendered would prejudice the suppliers' commercial interests."
    ) in form
    assert "[Normal] The exemption will end on 31st March 2028." in form
    assert not any("PRICE-MARKER-7731" in line for line in form)
    part_2 = document_lines(by_kind["part-2.docx"])
    assert part_2[0] == "<header 1> OFFICIAL-SENSITIVE [COMMERCIAL]"
    assert any("PRICE-MARKER-7731" in line for line in part_2)
    assert any(line.startswith("[Normal] The Part 2 form is exempt from publication") for line in part_2)


def test_the_statement_is_given_once(write_input: Callable[[str], Path]) -> None:
    text = PART_2_TEXT.replace("    part_2: yes\n", FORM_STATEMENT)
    (error,) = _errors(write_input, text)
    assert (
        "decision_form.publication.part_2_statement: this decision has a report, which publishes the statement about Part 2: give it there, as report.part_2 (see report.part_2 at"
        in error
    )


def test_the_forms_statement_needs_part_2_yes(write_input: Callable[[str], Path], minimal_text: str) -> None:
    text = _form_only_part_2(minimal_text).replace("    part_2: yes\n", "    part_2: no\n")
    (error,) = _errors(write_input, text)
    assert "decision_form.publication.part_2: is no, but this input has Part 2 content (part_2): set part_2: yes" in error


def test_form_says_no_part_2_but_there_is_content(write_input: Callable[[str], Path]) -> None:
    text = PART_2_TEXT.replace("    part_2: yes\n", "    part_2: no\n")
    assert _errors(write_input, text) == [
        f"{{path}}:{_line(text, '    part_2: no')}:13: decision_form.publication.part_2: is no, but this input has Part 2 "
        f"content (part_2): set part_2: yes (see part_2 at {{path}}:{_line(text, 'part_2:') + 1})",
    ]


def test_form_says_no_part_2_but_the_report_publishes_a_statement(write_input: Callable[[str], Path]) -> None:
    text = PART_2_TEXT[: PART_2_TEXT.index("part_2:\n  title:")].replace("    part_2: yes\n", "    part_2: no\n")
    assert _errors(write_input, text) == [
        f"{{path}}:{_line(text, '    part_2: no')}:13: decision_form.publication.part_2: is no, but the report publishes a "
        f"statement about a Part 2 (report.part_2): set part_2: yes (see report.part_2 at {{path}}:"
        f"{_line(text, '    marking: OFFICIAL-SENSITIVE [OPERATIONAL]')})",
    ]


def test_form_says_part_2_but_there_is_none(write_input: Callable[[str], Path]) -> None:
    text = _without_statement(PART_2_TEXT[: PART_2_TEXT.index("part_2:\n  title:")])
    assert _errors(write_input, text) == [
        f"{{path}}:{_line(text, '    part_2: yes')}:13: decision_form.publication.part_2: is yes, but there is no Part 2: "
        "add the report's statement about it (report.part_2) and its content (part_2), or set part_2: no (see report at {path}:26)",
    ]


def test_statement_alone_is_enough(write_input: Callable[[str], Path]) -> None:
    """A Part 2 written elsewhere: the report publishes the statement, nothing here renders it."""
    path = write_input(PART_2_TEXT[: PART_2_TEXT.index("part_2:\n  title:")])
    assert load_decision(path).part_2 is None


@pytest.mark.parametrize(
    ("marking", "message"),
    [
        (
            "OFFICIAL – PUBLIC",
            "Part 2 is withheld from publication, so it cannot be marked OFFICIAL – PUBLIC: give its own "
            "marking, e.g. OFFICIAL-SENSITIVE [OPERATIONAL]",
        ),
        ("official-sensitive [operational]", "a security marking is written in capitals: 'OFFICIAL-SENSITIVE [OPERATIONAL]'"),
        ("OFFICIAL SENSITIVE [OPERATIONAL]", "write the marking as it is printed: 'OFFICIAL-SENSITIVE [OPERATIONAL]'"),
        (
            "CONFIDENTIAL",
            "'CONFIDENTIAL' is not a Government Security Classification marking (write one of: OFFICIAL, "
            "OFFICIAL – PUBLIC, OFFICIAL-SENSITIVE, OFFICIAL-SENSITIVE [OPERATIONAL]; a descriptor goes in "
            "square brackets)",
        ),
    ],
)
def test_part_2_marking_must_be_a_marking(marking: str, message: str, write_input: Callable[[str], Path]) -> None:
    text = PART_2_TEXT.replace("marking: OFFICIAL-SENSITIVE [OPERATIONAL]", f"marking: {marking}")
    line = text.splitlines().index(f"    marking: {marking}") + 1
    assert _errors(write_input, text) == [f"{{path}}:{line}:14: report.part_2.marking: {message}"]


def test_part_2_content_rules(write_input: Callable[[str], Path]) -> None:
    text = PART_2_TEXT.replace(
        "    - key: financial\n      content:\n        - The confidential costs are below.",
        "    - key: finance\n      footnote: plan\n      content:\n        - The confidential costs are below.",
    ).replace("        - table: Supplier bids\n", "        - table: Supplier bid\n")
    lines = text.splitlines()

    def at(needle: str, start: int = 0) -> int:
        return next(i for i, line in enumerate(lines) if i >= start and line.strip() == needle) + 1

    part_2 = at("part_2:", at("agreement:"))
    assert _errors(write_input, text) == sorted(
        [
            f"{{path}}:{at('- key: finance', part_2)}:12: part_2.sections[1].key: unknown section 'finance' (did you mean 'financial'?)",
            f"{{path}}:{at('footnote: plan', part_2)}:17: part_2.sections[1].footnote: Part 2 has no notes: put the source in the text",
            f"{{path}}:{at('- table: Supplier bid', part_2)}:18: part_2.sections[1].content[3].table: no cost table titled "
            "'Supplier bid' in part_2.costs (did you mean 'Supplier bids'?)",
            f"{{path}}:{at('- title: Supplier bids', part_2)}:16: part_2.costs.bids[0].title: table 'Supplier bids' is never "
            "placed: add `- table: Supplier bids` where the text puts it",
        ],
        key=lambda e: int(e.split(":")[1]),
    )
