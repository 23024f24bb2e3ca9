"""Protective markings: every page's header and footer carries the document's classification,
centred, bold, in capitals; OFFICIAL – PUBLIC (or the input's classification) for Part 1, the
Part 2 marking for Part 2. And the classification an input may give is checked."""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from lxml import etree

from generator.build.generate import generate
from generator.errors import InputError
from generator.inputs.load import load_decision
from tests.conftest import EXAMPLES, FIXTURES, MINIMAL, ROOT

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NS = {"w": W, "r": R}
PUBLIC = "OFFICIAL – PUBLIC"
SENSITIVE = "OFFICIAL-SENSITIVE [OPERATIONAL]"
PART_2 = FIXTURES / "inputs" / "part-2.yaml"
INPUTS = [*sorted(EXAMPLES.glob("*.yaml")), PART_2]


@dataclass(frozen=True)
class MarkingLine:
    """The first paragraph of a header or the last of a footer, with its effective formatting."""

    part: str
    text: str
    centred: bool
    bold: bool
    caps: bool


def _on(element: etree._Element | None) -> bool | None:
    if element is None:
        return None
    return element.get(f"{{{W}}}val", "true") in ("1", "true", "on")


class Styles:
    """Effective paragraph formatting through a style's basedOn chain (then the document defaults)."""

    def __init__(self, xml: bytes) -> None:
        root = etree.fromstring(xml)
        self.by_id = {s.get(f"{{{W}}}styleId"): s for s in root.findall("w:style", NS)}
        self.defaults = root.find("w:docDefaults", NS)
        paragraph_styles = [(sid, s) for sid, s in self.by_id.items() if s.get(f"{{{W}}}type") == "paragraph"]
        self.default_paragraph = next((sid for sid, s in paragraph_styles if s.get(f"{{{W}}}default") in ("1", "true")), None)

    def chain(self, style_id: str | None) -> list[etree._Element]:
        found, seen = [], set()
        style_id = style_id or self.default_paragraph
        while style_id and style_id in self.by_id and style_id not in seen:
            seen.add(style_id)
            found.append(self.by_id[style_id])
            based = self.by_id[style_id].find("w:basedOn", NS)
            style_id = based.get(f"{{{W}}}val") if based is not None else None
        return found


def _paragraph_line(part: str, paragraph: etree._Element, styles: Styles) -> MarkingLine:
    runs = paragraph.findall("w:r", NS)
    text = "".join(t.text or "" for t in paragraph.iter(f"{{{W}}}t"))
    style = paragraph.find("w:pPr/w:pStyle", NS)
    chain = styles.chain(style.get(f"{{{W}}}val") if style is not None else None)
    jc = paragraph.find("w:pPr/w:jc", NS)
    if jc is None:
        jc = next((s.find("w:pPr/w:jc", NS) for s in chain if s.find("w:pPr/w:jc", NS) is not None), None)

    def everywhere(tag: str) -> bool:
        """On for every run with text: the run's own setting, else its paragraph style's."""
        style_value = next((_on(s.find(f"w:rPr/{tag}", NS)) for s in chain if s.find(f"w:rPr/{tag}", NS) is not None), None)
        if style_value is None and styles.defaults is not None:
            style_value = _on(styles.defaults.find(f"w:rPrDefault/w:rPr/{tag}", NS))
        values = []
        for run in runs:
            if not "".join(t.text or "" for t in run.iter(f"{{{W}}}t")):
                continue
            own = _on(run.find(f"w:rPr/{tag}", NS))
            values.append(own if own is not None else bool(style_value))
        return bool(values) and all(values)

    return MarkingLine(
        part=part,
        text=text,
        centred=jc is not None and jc.get(f"{{{W}}}val") == "center",
        bold=everywhere("w:b"),
        caps=everywhere("w:caps"),
    )


def marking_lines(path: Path) -> list[MarkingLine]:
    """For every header and footer each section of the document uses: its marking paragraph."""
    with zipfile.ZipFile(path) as package:
        styles = Styles(package.read("word/styles.xml"))
        rels = etree.fromstring(package.read("word/_rels/document.xml.rels"))
        targets = {r.get("Id"): r.get("Target") for r in rels}
        document = etree.fromstring(package.read("word/document.xml"))
        lines = []
        sections = document.findall(".//w:sectPr", NS)
        assert sections, f"{path.name}: no section properties"
        for n, sect in enumerate(sections, start=1):
            for kind in ("header", "footer"):
                refs = sect.findall(f"w:{kind}Reference", NS)
                assert [r.get(f"{{{W}}}type") for r in refs] == ["default"], f"{path.name}: section {n} {kind}s"
                for ref in refs:
                    target = targets[ref.get(f"{{{R}}}id")]
                    assert target is not None, f"{path.name}: section {n} {kind}: a relationship without a target"
                    part = "word/" + target
                    paragraphs = etree.fromstring(package.read(part)).findall("w:p", NS)
                    paragraph = paragraphs[0] if kind == "header" else paragraphs[-1]
                    lines.append(_paragraph_line(f"section {n} {kind} ({part})", paragraph, styles))
        return lines


# Each Part 2 carries the marking its published statement gives it.
PART_2_MARKINGS = {
    "part-2-part-2.docx": SENSITIVE,
    "pcd-1760-shared-endeavour-fund-part-2.docx": "OFFICIAL-SENSITIVE [COMMERCIAL]",
}


@pytest.fixture(scope="module")
def outputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("markings")
    return {path.name: path for source in INPUTS for path in generate(source, out_dir=out).outputs}


def test_every_document_kind_is_checked(outputs: dict[str, Path]) -> None:
    kinds = ("decision-form", "supporting-report", "decision-pack", "grant-agreement", "part-2")
    assert {kind for kind in kinds for name in outputs if name.endswith(f"-{kind}.docx")} == set(kinds)
    assert any("-grant-agreement-" in name for name in outputs), "an agreement MOPAC issues"
    assert sorted(n for n in outputs if n.endswith("-part-2.docx")) == [
        "part-2-part-2.docx",
        "pcd-1760-shared-endeavour-fund-part-2.docx",
    ], "a Part 2 with a report (the fixture) and one without (the example)"


def test_every_header_and_footer_carries_the_marking(outputs: dict[str, Path]) -> None:
    """Beside it, DRAFT on every page of a decision the DMPC has not signed (the OCS report and
    agreement, with no decision form; PCD 1760, with no dates), and on no other."""
    wrong = []
    drafts = ("ocs-grant-2023-24-", "pcd-1760-shared-endeavour-fund-")
    for name, path in sorted(outputs.items()):
        expected = ("DRAFT – " if name.startswith(drafts) else "") + PART_2_MARKINGS.get(name, PUBLIC)
        for line in marking_lines(path):
            if line != MarkingLine(line.part, expected, centred=True, bold=True, caps=True) or line.text != line.text.upper():
                wrong.append(f"{name}: {line}")
    assert wrong == []


def test_the_pack_carries_the_marking_in_both_parts(outputs: dict[str, Path]) -> None:
    lines = marking_lines(outputs["pcd-1284-decision-pack.docx"])
    assert len(lines) == 4, "form and report: a header and a footer each"
    assert len({line.part.split("(")[1] for line in lines}) == 4, "each part keeps its own header and footer"
    assert {line.text for line in lines} == {PUBLIC}


def _headers_and_footers(path: Path) -> str:
    with zipfile.ZipFile(path) as package:
        return "\n".join(package.read(n).decode("utf-8") for n in package.namelist() if n.startswith(("word/header", "word/footer")))


def test_part_2_is_never_marked_public(outputs: dict[str, Path]) -> None:
    with zipfile.ZipFile(outputs["part-2-part-2.docx"]) as package:
        for name in package.namelist():
            assert "PUBLIC" not in package.read(name).decode("utf-8", errors="replace"), name


def test_part_1_headers_and_footers_never_carry_the_part_2_marking(outputs: dict[str, Path]) -> None:
    for name, path in outputs.items():
        if not name.endswith("-part-2.docx"):
            assert "SENSITIVE" not in _headers_and_footers(path), name


def test_the_marking_paragraph_style() -> None:
    """The templates' "Protective Marking" style: what a template owner applies in Word."""
    for template in sorted((ROOT / "templates").glob("*.docx")):
        with zipfile.ZipFile(template) as package:
            styles = Styles(package.read("word/styles.xml"))
        style = styles.by_id["ProtectiveMarking"]
        name, jc = style.find("w:name", NS), style.find("w:pPr/w:jc", NS)
        assert name is not None and name.get(f"{{{W}}}val") == "Protective Marking", template.name
        assert jc is not None and jc.get(f"{{{W}}}val") == "center", template.name
        assert _on(style.find("w:rPr/w:b", NS)) and _on(style.find("w:rPr/w:caps", NS)), template.name


# --------------------------------------------------------------------------- the input's classification


def test_classification_marks_the_part_1_documents(write_input: Callable[[str], Path], tmp_path: Path) -> None:
    text = (
        (FIXTURES / "inputs" / "report.yaml")
        .read_text(encoding="utf-8")
        .replace("title: Test grant\n", "title: Test grant\nclassification: OFFICIAL\n", 1)
    )
    built = generate(write_input(text), out_dir=tmp_path / "out")
    assert len(built.outputs) == 3
    for path in built.outputs:
        assert {line.text for line in marking_lines(path)} == {"OFFICIAL"}, path.name


def test_classification_defaults_to_official_public() -> None:
    assert load_decision(MINIMAL).classification == PUBLIC


@pytest.mark.parametrize("written", ["OFFICIAL - PUBLIC", "OFFICIAL-PUBLIC", "OFFICIAL  –  PUBLIC", "OFFICIAL — PUBLIC"])
def test_classification_dashes_are_printed_as_an_en_dash(written: str, write_input: Callable[[str], Path], minimal_text: str) -> None:
    path = write_input(f"classification: {written}\n" + minimal_text)
    assert load_decision(path).classification == PUBLIC


@pytest.mark.parametrize(
    ("written", "message"),
    [
        ("official – public", "a security marking is written in capitals: 'OFFICIAL – PUBLIC'"),
        ("Official", "a security marking is written in capitals: 'OFFICIAL'"),
        (
            "OFFICIAL-SENSITIVE",
            "Part 1 is published, so it cannot be marked OFFICIAL-SENSITIVE: put what is sensitive in "
            "`part_2:` (its marking is report.part_2.marking) and mark Part 1 OFFICIAL – PUBLIC or OFFICIAL",
        ),
        (
            "OFFICIAL-SENSITIVE [OPERATIONAL]",
            "Part 1 is published, so it cannot be marked OFFICIAL-SENSITIVE [OPERATIONAL]: "
            "put what is sensitive in `part_2:` (its marking is report.part_2.marking) "
            "and mark Part 1 OFFICIAL – PUBLIC or OFFICIAL",
        ),
        (
            "official sensitive",
            "Part 1 is published, so it cannot be marked OFFICIAL-SENSITIVE: put what is sensitive in "
            "`part_2:` (its marking is report.part_2.marking) and mark Part 1 OFFICIAL – PUBLIC or OFFICIAL",
        ),
        (
            "SECRET",
            "Part 1 is published, so it cannot be marked SECRET: put what is sensitive in `part_2:` (its marking is "
            "report.part_2.marking) and mark Part 1 OFFICIAL – PUBLIC or OFFICIAL",
        ),
        (
            "RESTRICTED",
            "'RESTRICTED' is not a Government Security Classification marking (write one of: OFFICIAL, "
            "OFFICIAL – PUBLIC, OFFICIAL-SENSITIVE, OFFICIAL-SENSITIVE [OPERATIONAL]; a descriptor goes in "
            "square brackets)",
        ),
        (
            "PUBLIC",
            "'PUBLIC' is not a Government Security Classification marking (write one of: OFFICIAL, "
            "OFFICIAL – PUBLIC, OFFICIAL-SENSITIVE, OFFICIAL-SENSITIVE [OPERATIONAL]; a descriptor goes in "
            "square brackets)",
        ),
        ("", "must be text (got nothing)"),
    ],
)
def test_classification_errors(written: str, message: str, write_input: Callable[[str], Path], minimal_text: str) -> None:
    path = write_input(minimal_text.replace("title:", f"classification: {written}\ntitle:", 1))
    line = minimal_text.splitlines().index(next(t for t in minimal_text.splitlines() if t.startswith("title:"))) + 1
    with pytest.raises(InputError) as caught:
        load_decision(path)
    column = len("classification: ") + 1 if written else len("classification:") + 1  # an empty value is where the key ends
    assert [str(p) for p in caught.value.problems] == [f"{path}:{line}:{column}: classification: {message}"]
