"""A decision's structure as the officer means it (issue 21): wording the input may override."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from docx import Document

from generator.build.generate import generate
from generator.docx.read import document_lines
from generator.errors import InputError
from generator.inputs.load import judge_input, load_decision
from tests.conftest import FIXTURES, REPORT, WriteInput, confirmed_declarations, on_form
from tests.support.fidelity import libreoffice_text, need_libreoffice


def _form(write_input: Callable[[str], Path], text: str, tmp_path: Path) -> list[str]:
    (path,) = generate(write_input(text), out_dir=tmp_path / "out", only="decision-form").outputs
    return document_lines(path)


def test_the_title_line_footer_and_lead_in_as_the_decision_was_published(
    write_input: Callable[[str], Path], minimal_text: str, tmp_path: Path
) -> None:
    """Part of 2018 used the 2022 form with the older title line; a decision may have no lead-in."""
    text = minimal_text.replace(
        "  drafting_officer: A N Officer\n",
        "  drafting_officer: A N Officer\n  wording:\n    title: REQUEST FOR DMPC DECISION – {reference}\n"
        "    footer_label: DMPC Decision Form – 2018\n    no_recommendation_intro: yes\n",
    )
    lines = _form(write_input, text, tmp_path)
    assert "[Heading 1] REQUEST FOR DMPC DECISION – PCD 1300" in lines
    assert any(line.startswith("<footer 1> DMPC Decision Form – 2018\t") for line in lines)
    assert not any("is recommended to" in line for line in lines), "no lead-in"
    assert "[Recommendation] accept grant funding of £10,000.00 from the Home Office." in lines


def test_a_part_2_exemption_that_ends_in_words_and_is_worded_as_published(
    write_input: Callable[[str], Path], minimal_text: str, tmp_path: Path
) -> None:
    statement = (
        "    part_2: yes\n    part_2_statement:\n      marking: OFFICIAL-SENSITIVE [COMMERCIAL]\n      foia_sections: [43]\n"
        "      reasons: commercial interests.\n      ends: in 2028\n"
        "      exemption: The Part 2 form is exempt under section 43 of the Freedom of Information Act 2000 (commercial interests).\n"
    )
    part_2 = "part_2:\n  title: Prices\n  sections:\n    - heading: Prices\n      content: [The prices.]\n"
    text = minimal_text.replace("    defer_part_1: no\n", "    defer_part_1: no\n" + statement) + part_2
    lines = _form(write_input, text, tmp_path)
    assert "[Normal] The Part 2 form is exempt under section 43 of the Freedom of Information Act 2000 (commercial interests)." in lines
    assert "[Normal] The exemption will end in 2028." in lines
    both = text.replace("      ends: in 2028\n", "      ends: in 2028\n      until: 2028-03-31\n")
    with pytest.raises(InputError) as caught:
        load_decision(write_input(both))
    assert any("give `until` (a date) or `ends` (in words), not both" in str(p) for p in caught.value.problems)


def test_a_report_without_the_facts_heading(write_input: WriteInput, report_text: str, tmp_path: Path) -> None:
    """The 'Non-confidential facts and advice' heading is printed unless the report says no."""
    (with_heading,) = generate(write_input(report_text, "with.yaml"), out_dir=tmp_path / "out", only="supporting-report").outputs
    headings = [line for line in document_lines(with_heading) if line.startswith("[Heading 2]")]
    facts = [h for h in headings if "Non-confidential facts" in h]
    assert len(facts) == 1
    source = write_input(report_text.replace("  sections:\n", "  facts_heading: no\n  sections:\n", 1), "without.yaml")
    (without,) = generate(source, out_dir=tmp_path / "out", only="supporting-report").outputs
    lines = document_lines(without)
    assert facts[0] not in lines
    assert "[Heading 3] Introduction and background1" in lines, "the first section's heading (with its note mark) stands alone"
    assert [h for h in headings if h != facts[0]] == [line for line in lines if line.startswith("[Heading 2]")]


def test_a_table_of_words_in_the_reports_flow(write_input: WriteInput, report_text: str, tmp_path: Path) -> None:
    """A plain table (year | amount | source) between two paragraphs, with its header row."""
    table = (
        "        - text_table:\n            title: Funding by year\n            header: [Year, Amount, Source]\n"
        "            rows:\n              - [2023/24, '£300,000', Home Office]\n              - [2024/25, '£300,000', Home Office]\n"
    )
    source = write_input(
        report_text.replace("        - The teams tackle organised crime.\n", "        - The teams tackle organised crime.\n" + table, 1)
    )
    (path,) = generate(source, out_dir=tmp_path / "out", only="supporting-report").outputs
    lines = document_lines(path)
    at = lines.index("|h| Year | Amount | Source |")
    assert lines[at + 1 : at + 3] == ["| 2023/24 | £300,000 | Home Office |", "| 2024/25 | £300,000 | Home Office |"]
    assert lines[at - 1] == "[Report Paragraph] The teams tackle organised crime."


def test_a_draft_before_its_reference_is_assigned(write_input: Callable[[str], Path], minimal_text: str, tmp_path: Path) -> None:
    """Written and rendered as "PCD TBC"; its documents' properties say it is a draft."""
    text = minimal_text.replace("reference: PCD 1300\n", "reference: PCD TBC\n")
    (path,) = generate(write_input(text), out_dir=tmp_path / "out").outputs
    lines = document_lines(path)
    assert "[Heading 1] DMPC Decision – PCD TBC" in lines
    assert Document(str(path)).core_properties.title.startswith("Draft: DMPC Decision – PCD TBC")
    with pytest.raises(InputError) as caught:
        load_decision(write_input(minimal_text.replace("reference: PCD 1300\n", "reference: PCD ???\n")))
    assert '"PCD TBC" until the number is assigned' in str(caught.value)


@pytest.mark.parametrize("form", ["dmpc-2022", "dmpcd-v5-2014"])
def test_recommendations_as_bullets(write_input: Callable[[str], Path], minimal_text: str, tmp_path: Path, form: str) -> None:
    """'The DMPC is asked to agree: • …' as published: bullets, their sub-items bulleted under them."""
    recommendations = (
        "  recommendation_list: bullets\n  recommendations:\n"
        "    - text: the 2016/17 LCPF budget of up to £10,000\n      sub_items: [for the 32 boroughs]\n"
        "    - the continuation of the Safer Neighbourhood Boards funding.\n"
    )
    text = minimal_text.replace("  recommendations:\n    - accept grant funding of £10,000.00 from the Home Office.\n", recommendations)
    text = on_form(text, form)
    lines = _form(write_input, text, tmp_path)
    at = lines.index("[List Bullet] the 2016/17 LCPF budget of up to £10,000")
    assert lines[at + 1 : at + 3] == [
        "[List Bullet 2] for the 32 boroughs",
        "[List Bullet] the continuation of the Safer Neighbourhood Boards funding.",
    ]
    assert not any(line.startswith("[Recommendation") for line in lines), "not numbered"


def test_a_2014_form_prints_each_lettered_sub_item_as_its_text(
    write_input: Callable[[str], Path], minimal_text: str, tmp_path: Path
) -> None:
    recommendations = (
        "  recommendations:\n    - text: approve the bids below, £10,000 in all\n      sub_items: [the first bid;, the second bid.]\n"
        "    - delegate the sign-off of the bids.\n"
    )
    text = minimal_text.replace("  recommendations:\n    - accept grant funding of £10,000.00 from the Home Office.\n", recommendations)
    lines = _form(write_input, on_form(text, "dmpcd-v5-2014"), tmp_path)
    assert "[Recommendation Item] the first bid;" in lines and "[Recommendation Item] the second bid." in lines


def test_background_papers_numbered_on_from_their_section(write_input: Callable[[str], Path], minimal_text: str, tmp_path: Path) -> None:
    papers = "  background_papers: [Appendix 1 MPS report, Appendix 2 Equality impact assessment]\n"
    text = minimal_text.replace("  publication:\n", papers + "  publication:\n")
    bulleted = _form(write_input, text, tmp_path / "a")
    assert "[List Bullet 2] Appendix 1 MPS report" in bulleted, "bullets, as the form version prints them"
    numbered = _form(write_input, text.replace(papers, papers + "  background_papers_list: numbered\n"), tmp_path / "b")
    assert (
        "[Numbered Paragraph] Appendix 1 MPS report" in numbered
        and "[Numbered Paragraph] Appendix 2 Equality impact assessment" in numbered
    )


@pytest.mark.parametrize("form", ["dmpc-2022", "dmpcd-v5-2014"])
def test_a_subheading_inside_a_part_1_section(write_input: Callable[[str], Path], minimal_text: str, tmp_path: Path, form: str) -> None:
    paragraphs = "        - The Home Office has made an offer.\n        - text: The risks are set out here.\n          subheading: Risks\n"
    text = on_form(minimal_text.replace("        - The Home Office has made an offer.\n", paragraphs), form)
    lines = _form(write_input, text, tmp_path)
    at = lines.index("[Part Subheading] Risks")
    assert lines[at - 1] == "[Numbered Paragraph] The Home Office has made an offer."
    assert lines[at + 1] == "[Numbered Paragraph] The risks are set out here.", "numbered on, after the subheading"


def test_bullets_inside_the_time_sensitivity(write_input: WriteInput, report_text: str, tmp_path: Path) -> None:
    bullets = "    reason: the teams are already operating.\n    bullets: [the grant offer lapses on 30 April 2023, the teams' posts end on 31 May 2023]\n"
    source = write_input(report_text.replace("    reason: the teams are already operating.\n", bullets, 1))
    (path,) = generate(source, out_dir=tmp_path / "out", only="supporting-report").outputs
    lines = document_lines(path)
    at = next(i for i, line in enumerate(lines) if "This is because the teams are already operating." in line)
    assert lines[at + 1 : at + 3] == [
        "[List Bullet] the grant offer lapses on 30 April 2023",
        "[List Bullet] the teams' posts end on 31 May 2023",
    ]


@pytest.mark.parametrize("form", ["dmpc-2022", "dmpcd-v5-2014"])
def test_bullets_inside_a_declaration_statement(write_input: Callable[[str], Path], minimal_text: str, tmp_path: Path, form: str) -> None:
    declarations = (
        "  declarations:\n    - key: legal\n      confirmed: yes\n"
        "      bullets: [Legal Services were consulted on 1 October 2022, the grant terms were reviewed]\n"
    )
    text = on_form(minimal_text, form).replace(confirmed_declarations(form), declarations)
    lines = _form(write_input, text, tmp_path)
    row = next(line for line in lines if "Legal Services were consulted" in line)
    assert "Legal Services were consulted on 1 October 2022" in row and "the grant terms were reviewed" in row, row
    path = next((tmp_path / "out").rglob("*-decision-form.docx"))
    cell = next(c for t in Document(str(path)).tables for r in t.rows for c in r.cells if "Legal Services were consulted" in c.text)
    styles = [p.style.name for p in cell.paragraphs if p.style is not None]
    assert styles.count("List Bullet") == 2, styles


# --------------------------------------------------------------------------- numbering as the officer means it

_SECTIONS = (
    "  sections:\n"
    "    - content:\n        - The teams were set up in 2021.\n"
    "    - key: introduction\n      footnote: plan\n      content:\n        - The teams tackle organised crime.\n        - They work across London.\n"
    "    - key: legal\n      numbering: restart\n      content:\n        - subheading: Powers\n"
    "        - MOPAC may accept the grant.\n        - The terms were reviewed.\n"
    "    - key: equality\n      content:\n        - No group is affected.\n"
    "    - key: privacy\n      numbering: restart\n      content:\n        - No personal data is processed.\n"
    "    - key: financial\n      content:\n        - The figures are below.\n        - table: Revenue\n        - table: Team A\n"
    "        - table: Team B\n"
)


def _report_text(sections: str = _SECTIONS, recommendations: str | None = None) -> str:
    text = REPORT.read_text(encoding="utf-8")
    start, end = text.index("  sections:\n"), text.index("  footnotes:\n")
    text = text[:start] + sections + text[end:]
    if recommendations is not None:
        start, end = text.index("  recommendations:\n    - to:"), text.index("  time_sensitivity:\n")
        text = text[:start] + recommendations + text[end:]
    return text


def _office_lines(path: Path) -> list[str]:
    return [line.strip() for line in libreoffice_text(path).splitlines() if line.strip()]


@pytest.fixture(scope="module")
def restarted(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[str]]:
    """The report with restarting sections, and its pack, as LibreOffice reads them (each converted once)."""
    need_libreoffice()
    folder = tmp_path_factory.mktemp("restart")
    source = folder / "restart.yaml"
    source.write_text(_report_text(), encoding="utf-8")
    outputs = generate(source, out_dir=folder / "out").outputs
    return {
        kind: _office_lines(next(p for p in outputs if p.name.endswith(f"-{kind}.docx"))) for kind in ("supporting-report", "decision-pack")
    }


def test_a_report_section_numbered_from_1_as_word_restarts_a_list(restarted: dict[str, list[str]]) -> None:
    """Legal comments 1–2 after 1–3 elsewhere; the sections after count on from them, and a
    second restart restarts too (each copy of the template's restarting paragraph is its own list)."""
    lines = restarted["supporting-report"]
    at = lines.index("Non-confidential facts and advice to the Deputy Mayor for Policing and Crime")
    assert lines[at + 1] == "1. The teams were set up in 2021.", "opening paragraphs, straight under the part's heading"
    assert lines[at + 2 : at + 5] == ["Introduction and background1", "2. The teams tackle organised crime.", "3. They work across London."]
    legal = lines.index("1. MOPAC may accept the grant.")
    assert lines[legal - 1] == "Powers" and lines[legal + 1] == "2. The terms were reviewed."
    assert lines[legal + 3] == "3. No group is affected.", "counts on from the restart, as Word does"
    assert lines[legal + 5] == "1. No personal data is processed.", "a second restart restarts again"


def test_a_headingless_section_must_open_the_report(write_input: WriteInput) -> None:
    sections = _SECTIONS.replace("    - key: equality\n", "    - heading: null\n      key: null\n")
    with pytest.raises(InputError) as caught:
        load_decision(write_input(_report_text(sections=sections)))
    assert "report.sections[3]: a section needs a `key` (a standard section) or a `heading`; only the first may have neither" in str(
        caught.value
    )


_GROUPS = (
    "  recommendations:\n"
    "    - to: 'The MPS Portfolio and Investment Board is asked to:'\n"
    "      items:\n        - text: Note the grant offer.\n        - Endorse the teams' plan.\n"
    "    - to: 'The Deputy Mayor for Policing and Crime is asked to:'\n      numbering: restart\n"
    "      items:\n        - text: Approve the acceptance of grant totalling £0.300m in 2023/24.\n          amount: 300000.00\n"
    "        - text: Delegate the grant agreement's signature.\n          subheading: Delegation\n"
)


def test_recommendations_to_several_bodies_each_numbered_from_1_with_subheadings(write_input: WriteInput, tmp_path: Path) -> None:
    need_libreoffice()
    source = write_input(_report_text(recommendations=_GROUPS))
    (path,) = generate(source, out_dir=tmp_path / "out", only="supporting-report").outputs
    lines = _office_lines(path)
    at = lines.index("The MPS Portfolio and Investment Board is asked to:")
    assert lines[at : at + 8] == [
        "The MPS Portfolio and Investment Board is asked to:",
        "1. Note the grant offer.",
        "2. Endorse the teams' plan.",
        "The Deputy Mayor for Policing and Crime is asked to:",
        "1. Approve the acceptance of grant totalling £0.300m in 2023/24.",
        "Delegation",
        "2. Delegate the grant agreement's signature.",
        "Time sensitivity",
    ]
    styled = document_lines(path)
    assert "[Heading 3] Delegation" in styled, "the subheading is a real heading"
    continued = _GROUPS.replace("      numbering: restart\n", "")
    source = write_input(_report_text(recommendations=continued))
    (path,) = generate(source, out_dir=tmp_path / "again", only="supporting-report").outputs
    assert "3. Approve the acceptance of grant totalling £0.300m in 2023/24." in _office_lines(path), "counted on by default"


def test_the_pack_keeps_a_sections_restart(restarted: dict[str, list[str]]) -> None:
    """In the decision pack the report's lists are copied as lists of their own: the restart survives."""
    lines = restarted["decision-pack"]
    legal = lines.index("1. MOPAC may accept the grant.")
    assert lines[legal + 3] == "3. No group is affected." and lines[legal + 5] == "1. No personal data is processed."


@pytest.mark.parametrize("form", ["dmpc-2022", "dmpcd-v5-2014"])
def test_recommendations_with_subheadings_and_as_plain_sentences(
    write_input: Callable[[str], Path], minimal_text: str, tmp_path: Path, form: str
) -> None:
    recommendations = (
        "  recommendations:\n    - text: accept grant funding of £10,000.00 from the Home Office.\n      subheading: Funding\n"
        "    - text: delegate the signature of the grant agreement.\n      subheading: Delegation\n"
    )
    text = minimal_text.replace("  recommendations:\n    - accept grant funding of £10,000.00 from the Home Office.\n", recommendations)
    text = on_form(text, form)
    lines = _form(write_input, text, tmp_path / "numbered")
    at = lines.index("[Part Subheading] Funding")
    assert lines[at + 1 : at + 4] == [
        "[Recommendation] accept grant funding of £10,000.00 from the Home Office.",
        "[Part Subheading] Delegation",
        "[Recommendation] delegate the signature of the grant agreement.",
    ]
    one = (
        "  recommendation_list: plain\n  wording:\n    no_recommendation_intro: yes\n  recommendations:\n"
        "    - The Deputy Mayor approves the acceptance of £10,000.00 from the Home Office.\n"
    )
    plain = minimal_text.replace("  recommendations:\n    - accept grant funding of £10,000.00 from the Home Office.\n", one)
    lines = _form(write_input, on_form(plain, form), tmp_path / "plain")
    at = lines.index("[Heading 2] Recommendation:")
    assert lines[at + 1] == "[Normal] The Deputy Mayor approves the acceptance of £10,000.00 from the Home Office.", (
        "one sentence, no number"
    )


@pytest.mark.parametrize("form", ["dmpc-2022", "dmpcd-v5-2014"])
def test_part_1_opening_paragraphs_and_a_table_with_money(
    write_input: Callable[[str], Path], minimal_text: str, tmp_path: Path, form: str
) -> None:
    """Paragraphs straight under the PART I heading (unnumbered), and a year | amount | source
    table in a section: money cells in the house style, the total row added up, in bold."""
    part_1 = (
        "  part_1:\n    - paragraphs:\n        - This decision follows PCD 1200.\n"
        "    - key: introduction\n      paragraphs:\n        - text: The Home Office has made an offer, as follows.\n"
        "          text_table:\n            title: Funding by year\n            header: [Year, Amount, Source]\n"
        "            rows:\n              - [2022/23, 6000, Home Office]\n              - [2023/24, '£4,000', Home Office]\n"
        "            money_columns: [Amount]\n            total: Total\n"
        "          continued: [The offer ends in March 2024.]\n"
    )
    money = (
        "money:\n  funding:\n    - key: home-office-grant\n      source: Home Office\n      kind: grant\n"
        "      by_year: {2022/23: 6000.00, 2023/24: 4000.00}\n      amount: 10000.00\n"
    )
    text = on_form(
        minimal_text.replace(
            "  part_1:\n    - key: introduction\n      paragraphs:\n        - The Home Office has made an offer.\n", part_1
        ),
        form,
    )
    text = text[: text.index("money:\n")] + money
    lines = _form(write_input, text, tmp_path)
    at = lines.index("[Heading 2] PART I - NON-CONFIDENTIAL FACTS AND ADVICE TO THE DMPC")
    assert lines[at + 1] == "[Normal] This decision follows PCD 1200."
    table = lines.index("|h| Year | Amount | Source |")
    assert lines[table - 1] == "[Numbered Paragraph] The Home Office has made an offer, as follows."
    assert lines[table + 1 : table + 4] == [
        "| 2022/23 | £6,000.00 | Home Office |",
        "| 2023/24 | £4,000.00 | Home Office |",
        "| Total | £10,000.00 |  |",
    ]
    assert lines[table + 4] == "[Continued Paragraph] The offer ends in March 2024."
    path = next((tmp_path / "out").rglob("*-decision-form.docx"))
    cells = next(t for t in Document(str(path)).tables if t.rows[0].cells[0].text == "Year").rows[3].cells
    assert [p.style.name for p in cells[1].paragraphs if p.style is not None] == ["Report Table Number Bold"], "the total row is bold"


def test_money_in_a_table_is_checked_like_any_sum(write_input: Callable[[str], Path], minimal_text: str, tmp_path: Path) -> None:
    table = (
        "        - text: The offer is as follows.\n          text_table:\n            title: Funding\n            header: [Year, Amount]\n"
        "            rows:\n              - [2022/23, 10000]\n              - [2023/24, 2500]\n            money_columns: [Amount]\n"
    )
    text = minimal_text.replace("        - The Home Office has made an offer.\n", table)
    decision_path = write_input(text)
    findings = [str(p) for p in judge_input(decision_path).warnings]
    assert any(
        "decision_form.part_1[0].paragraphs[0].text_table.rows[1][1]" in f and "£2,500.00 in the table 'Funding' matches no sum" in f
        for f in findings
    ), findings
    assert not any("rows[0][1]" in f for f in findings), "£10,000 is the grant typed under money"
    words = text.replace("[2022/23, 10000]", "[2022/23 (of £9999), 10000]")
    warned = [str(p) for p in judge_input(write_input(words)).warnings]
    assert any("text_table.rows[0][0]" in f and "£9999 matches no sum" in f for f in warned), "a text cell is read like any text"
    bad = text.replace("[2023/24, 2500]", "[2023/24, lots]")
    with pytest.raises(InputError) as caught:
        load_decision(write_input(bad))
    assert "row 2, column 'Amount': not an amount of money: 'lots'" in str(caught.value)
    summary = text.replace(
        "    - This paper seeks approval to accept £10,000 of grant.\n",
        "    - text: This paper seeks approval.\n      text_table:\n            title: T\n            header: [A]\n            rows: [[x]]\n",
    )
    with pytest.raises(InputError) as caught:
        load_decision(write_input(summary))
    # The executive summary's paragraphs have no table, and no subheading: refused, never dropped.
    assert "decision_form.executive_summary[0].text_table: unknown key 'text_table'" in str(caught.value)
    with pytest.raises(InputError) as caught:
        load_decision(
            write_input(
                text.replace("    - This paper seeks approval to accept £10,000 of grant.\n", "    - {text: Approval., subheading: Why}\n")
            )
        )
    assert "decision_form.executive_summary[0].subheading: unknown key 'subheading'" in str(caught.value)


@pytest.mark.parametrize("form", ["dmpc-2022", "dmpcd-v5-2014"])
def test_bullets_inside_the_part_2_reasons(write_input: Callable[[str], Path], minimal_text: str, tmp_path: Path, form: str) -> None:
    """Printed as list paragraphs after the exemption sentence, on the form and repeated in Part 2."""
    statement = (
        "    part_2: yes\n    part_2_statement:\n      marking: OFFICIAL-SENSITIVE [COMMERCIAL]\n      foia_sections: [43]\n"
        "      reasons: disclosure would prejudice\n      bullets: [the bidders' commercial interests, MOPAC's position in future tenders]\n"
        "      until: 2028-03-31\n"
    )
    part_2 = "part_2:\n  title: Prices\n  sections:\n    - heading: Prices\n      content: [The prices.]\n"
    text = on_form(minimal_text.replace("    defer_part_1: no\n", "    defer_part_1: no\n" + statement), form)
    outputs = generate(write_input(text + part_2), out_dir=tmp_path / "out").outputs
    assert sorted(p.name for p in outputs) == ["decision-decision-form.docx", "decision-part-2.docx"]
    for path in outputs:
        lines = document_lines(path)
        at = lines.index("[List Bullet] the bidders' commercial interests")
        assert lines[at - 1] == (
            "[Normal] The Part 2 form is exempt from publication under the Freedom of Information Act 2000, "
            "section 43 (commercial interests), for the following reasons: disclosure would prejudice"
        )
        assert lines[at + 1 : at + 3] == [
            "[List Bullet] MOPAC's position in future tenders",
            "[Normal] The exemption will end on 31st March 2028.",
        ]


# --------------------------------------------------------------------------- date style


def test_dates_in_the_house_style_or_as_the_decision_was_published(
    write_input: Callable[[str], Path], minimal_text: str, tmp_path: Path
) -> None:
    """House: date lines 03/11/2022; `long`: '3rd November 2022' on them too; a form may set its own."""
    house = _form(write_input, minimal_text, tmp_path / "house")
    assert any(line.endswith("03/11/2022") and "Date" in line for line in house)
    long = _form(write_input, "date_style: long\n" + minimal_text, tmp_path / "long")
    assert any(line.endswith("3rd November 2022") and "Date" in line for line in long)
    assert any(line.endswith("26th October 2022") for line in long), "the officer's date line too"
    own = minimal_text.replace("  drafting_officer: A N Officer\n", "  drafting_officer: A N Officer\n  date_style: numeric\n")
    assert _form(write_input, "date_style: long\n" + own, tmp_path / "own") == house, "the form's own style wins"


def test_a_report_with_numeric_dates_in_its_text(write_input: WriteInput, report_text: str, tmp_path: Path) -> None:
    source = write_input(report_text.replace("  author:", "  date_style: numeric\n  author:", 1))
    (path,) = generate(source, out_dir=tmp_path / "out", only="supporting-report").outputs
    lines = document_lines(path)
    assert "[Subtitle] MOPAC Investment Advisory & Monitoring meeting 12/04/2023" in lines
    assert any("A decision is required from the Deputy Mayor by 30/04/2023." in line for line in lines)
    with pytest.raises(InputError) as caught:
        load_decision(write_input(report_text.replace("  author:", "  date_style: roman\n  author:", 1), "bad.yaml"))
    assert "report.date_style" in str(caught.value) and "'house', 'numeric' or 'long'" in str(caught.value)


def test_the_structure_fixture_renders_every_document_without_a_warning(tmp_path: Path) -> None:
    """tests/fixtures/inputs/structure.yaml uses every option at once, as an officer would."""
    source = FIXTURES / "inputs" / "structure.yaml"
    assert judge_input(source).warnings == []
    outputs = generate(source, out_dir=tmp_path / "out").outputs
    assert sorted(p.name.removeprefix("structure-") for p in outputs) == [
        "decision-form.docx",
        "decision-pack.docx",
        "part-2.docx",
        "supporting-report.docx",
    ]
