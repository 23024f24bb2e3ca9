"""Hostile input, tried on many generated inputs (hypothesis): any valid input renders to a .docx
that python-docx reopens with the same text, and any invalid one, however mangled, is refused
with located problems and never with another exception.

Profiles: "ci" (the default; small and derandomized, so `make test` is deterministic) and
"fuzz" (`make fuzz`: thousands of examples), chosen by the HYPOTHESIS_PROFILE variable.
"""

from __future__ import annotations

import copy
import io
import tempfile
import typing
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph
from hypothesis import assume, event, given
from hypothesis import strategies as st
from pydantic import BaseModel
from typer.testing import CliRunner

from cli import app
from generator.build.generate import render_input
from generator.checks.template_types import alternatives
from generator.docx.read import document_lines
from generator.domain.decision.model import Decision
from generator.errors import InputError, Problem
from generator.inputs.load import load_decision
from generator.inputs.source import format_loc
from tests.conftest import FIXTURES, MINIMAL
from tests.support.strategies import examples, normalised, paragraphs, texts
from tests.support.yaml_inputs import dump, fixture, write_yaml

REPORT = FIXTURES / "inputs" / "report.yaml"
DECISIONS = [MINIMAL, REPORT, FIXTURES / "inputs" / "agreement.yaml", FIXTURES / "inputs" / "part-2.yaml"]
runner = CliRunner()


def paragraph_texts(data: bytes) -> set[str]:
    """The text of every paragraph of the body, table cells included, as python-docx reads it."""
    doc = Document(io.BytesIO(data))
    return {Paragraph(p, doc).text for p in doc.element.body.iter(qn("w:p"))}


def rendered(data: dict[str, Any]) -> dict[str, bytes]:
    """Each document the input yields, by the end of its file name (`decision-form.docx` …)."""
    with tempfile.TemporaryDirectory() as folder:
        source = write_yaml(Path(folder) / "in.yaml", data)
        documents = render_input(source, out_dir=Path(folder) / "out").documents
    return {d.path.name.removeprefix("in-"): d.data for d in documents}


def assert_shown(expected: list[str], shown: set[str], document: str) -> None:
    missing = [e for e in expected if e not in shown]
    assert not missing, f"{document}: no paragraph reads {missing!r}"


# ---------------------------------------------------------------- valid inputs render as written


@given(
    title=texts, summary=paragraphs, recommendation=texts, part_1=paragraphs,
    heading=texts, own=paragraphs, papers=paragraphs, officer=texts,
)  # fmt: skip
def test_any_text_in_a_decision_form_comes_back_from_the_docx_as_written(
    title: str,
    summary: list[str],
    recommendation: str,
    part_1: list[str],
    heading: str,
    own: list[str],
    papers: list[str],
    officer: str,
) -> None:
    data = fixture(MINIMAL)
    data["title"] = title
    form = data["decision_form"]
    form["executive_summary"] = summary
    form["recommendations"] = [recommendation]
    form["part_1"][0]["paragraphs"] = part_1
    form["part_1"].append({"heading": heading, "paragraphs": own})
    form["background_papers"] = papers
    form["drafting_officer"] = officer

    (docx,) = rendered(data).values()
    expected = [normalised(v) for v in [heading, recommendation, *summary, *part_1, *own, *papers]]
    expected += [
        f"Title: {normalised(title)}",
        f"{normalised(officer)} has drafted this report in accordance with MOPAC procedures.",
    ]
    assert_shown(expected, paragraph_texts(docx), "decision form")
    assert Document(io.BytesIO(docx)).core_properties.title == f"DMPC Decision – PCD 1300: {normalised(title)}"


@given(
    title=texts, meeting=texts, by=texts, behalf=texts, summary=paragraphs, reason=texts,
    content=paragraphs, note=texts, author=texts,
)  # fmt: skip
def test_any_text_in_a_supporting_report_comes_back_from_the_report_and_the_pack(
    title: str,
    meeting: str,
    by: str,
    behalf: str,
    summary: list[str],
    reason: str,
    content: list[str],
    note: str,
    author: str,
) -> None:
    data = fixture(REPORT)
    report = data["report"]
    report.update(title=title, meeting=meeting, report_by=by, on_behalf_of=behalf, executive_summary=summary, author=author)
    report["time_sensitivity"]["reason"] = reason
    report["sections"][0]["content"] = content
    report["footnotes"]["plan"]["text"] = note

    documents = rendered(data)
    assert sorted(documents) == ["decision-form.docx", "decision-pack.docx", "supporting-report.docx"]
    one_line = {"title": title, "meeting": meeting, "by": by, "behalf": behalf, "reason": reason, "note": note, "author": author}
    n = {name: normalised(value) for name, value in one_line.items()}
    expected = [n["title"], *map(normalised, summary), *map(normalised, content)]
    expected += [
        f"{n['meeting']} 12th April 2023",
        f"Report by {n['by']} on behalf of {n['behalf']}",
        f"A decision is required from the Deputy Mayor by 30th April 2023. This is because {n['reason']}",
        f"Report author: {n['author']}",
    ]
    for name in ("supporting-report.docx", "decision-pack.docx"):
        assert_shown(expected, paragraph_texts(documents[name]), name)
        assert f"<footnote 1> {n['note']}" in document_lines(documents[name]), f"{name}: the note at the foot of the page"
    report_title = Document(io.BytesIO(documents["supporting-report.docx"])).core_properties.title
    assert report_title == f"PCD 1300 supporting report: {n['title']}"


# ------------------------------------------------------------------ invalid inputs are located


def assert_located(problems: list[Problem], *, path: Path, lines: int) -> None:
    """Every problem names this file, a line in it (or the end), a column, a field and a message."""
    assert problems
    for p in problems:
        assert p.path == path, p
        assert 1 <= p.line <= lines + 1 and p.column >= 1, p
        assert p.field.strip() and p.message.strip(), p


def line_count(text: str) -> int:
    # splitlines breaks at every line break YAML knows of, and more: a generous bound.
    return len(text.splitlines())


# Characters that upset YAML or the reader, typed into the text of a fixture.
NASTY = st.sampled_from([
    *":-[]{}\"'\t\n\r #&*!|>%@`,?~\\", "\x00", "\x01", "\x07", "\x0b", "\x0c", "\x1b", "\x7f", "\x85", "\ufeff",
    "\ufffe", "\u2028", "\u2029", "\U0010fc0b", "---\n", "- ", ": ", "&a ", "*a ",
])  # fmt: skip
INSERTS = st.lists(st.one_of(NASTY, st.characters(exclude_categories=["Cs"])), min_size=1, max_size=10).map("".join)


@st.composite
def mangled(draw: st.DrawFn) -> str:
    """A decision fixture's text after one to three random edits."""
    text = draw(st.sampled_from(DECISIONS)).read_text(encoding="utf-8")
    for _ in range(draw(st.integers(1, 3))):
        lines = text.splitlines(keepends=True) or [""]
        at = draw(st.integers(0, len(text)))
        k = draw(st.integers(0, len(lines) - 1))
        edit = draw(st.sampled_from(["delete", "insert", "duplicate", "indent", "truncate"]))
        if edit == "delete":
            text = text[:at] + text[at + draw(st.integers(1, 80)) :]
        elif edit == "insert":
            text = text[:at] + draw(INSERTS) + text[at:]
        elif edit == "duplicate":
            text = "".join(lines[: k + 1] + lines[k:])
        elif edit == "indent":
            lines[k] = draw(st.sampled_from(["", " ", "  ", "   ", "      ", "\t"])) + lines[k].lstrip(" ")
            text = "".join(lines)
        else:
            text = text[:at]
    return text


def load_or_refuse(path: Path, lines: int) -> None:
    """load_decision either accepts the file, and then it renders, or refuses it with located problems."""
    try:
        load_decision(path)
    except InputError as error:
        assert_located(error.problems, path=path, lines=lines)
        event("refused: " + ("by the reader" if error.problems[0].field in ("(yaml)", "(file)") else "by the models"))
        return
    try:
        assert render_input(path, out_dir=path.parent / "out").documents
        event("accepted and rendered")
    except InputError as error:  # valid, but with nothing to render
        assert_located(error.problems, path=path, lines=lines)
        event("accepted, nothing to render")


@examples(5)
@given(text=mangled())
def test_a_mangled_input_is_accepted_or_refused_with_located_problems(text: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "mangled.yaml"
        path.write_bytes(text.encode("utf-8"))
        load_or_refuse(path, line_count(text))


@st.composite
def spliced(draw: st.DrawFn) -> bytes:
    """A decision fixture's bytes with random bytes put in somewhere (often not UTF-8)."""
    raw = draw(st.sampled_from(DECISIONS)).read_bytes()
    at = draw(st.integers(0, len(raw)))
    return raw[:at] + draw(st.binary(min_size=1, max_size=8)) + raw[at:]


@examples(5)
@given(raw=st.one_of(st.binary(max_size=600), spliced()))
def test_random_bytes_are_accepted_or_refused_with_located_problems(raw: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bytes.yaml"
        path.write_bytes(raw)
        load_or_refuse(path, max(line_count(raw.decode("utf-8", "replace")), raw.count(b"\n") + 1))


# --------------------------------------------------------- wrong values where the models are known


def _step(annotation: Any, part: str | int) -> list[Any]:
    found = []
    for t in alternatives(annotation):
        origin = typing.get_origin(t)
        if isinstance(part, int) and origin is list:
            found.append(typing.get_args(t)[0])
        elif isinstance(part, str) and origin is dict:
            found.append(typing.get_args(t)[1])
        elif isinstance(part, str) and isinstance(t, type) and issubclass(t, BaseModel) and part in t.model_fields:
            found.append(t.model_fields[part].annotation)
    return found


def models_at(path: tuple[str | int, ...]) -> list[type[BaseModel]]:
    """The models that read the mapping at `path` of a decision input (none for a labelled line
    like `Support Costs: 20000`, whose keys are not field names)."""
    current: list[Any] = [Decision]
    for part in path:
        current = [n for c in current for n in _step(c, part)]
    return [t for c in current for t in alternatives(c) if isinstance(t, type) and issubclass(t, BaseModel)]


def _known_prefix(path: tuple[str | int, ...]) -> tuple[str | int, ...]:
    """`path` up to the first part the models do not name (a label written as a key)."""
    current: list[Any] = [Decision]
    for n, part in enumerate(path):
        current = [x for c in current for x in _step(c, part)]
        if not current:
            return path[:n]
    return path


def _walk(node: Any, path: tuple[str | int, ...] = ()) -> Iterator[tuple[tuple[str | int, ...], Any]]:
    yield path, node
    items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else []
    for key, value in items:
        yield from _walk(value, path + (key,))


def _edits(data: dict[str, Any]) -> dict[str, list[tuple[str | int, ...]]]:
    """Each kind of wrong value, and every place where it makes this valid input invalid
    whatever is drawn for it."""
    edits: dict[str, list[tuple[str | int, ...]]] = {}

    def add(place: tuple[str | int, ...], *kinds: str) -> None:
        for kind in kinds:
            edits.setdefault(kind, []).append(place)

    for path, value in _walk(data):
        if path and isinstance(path[-1], int):
            add(path, "null item")
        if isinstance(value, dict):
            if models := models_at(path):
                add(path, "unknown key", *(["list"] if path else []))
                for key in value:
                    if all(m.model_fields.get(key) and m.model_fields[key].is_required() for m in models):
                        add(path + (key,), "delete")
        elif isinstance(value, list):
            add(path, "mapping", "int-like text")
        elif isinstance(value, bool):
            add(path, "not yes or no", "list")
        elif isinstance(value, date):
            add(path, "bad date", "int-like text", "mapping")
        elif isinstance(value, (int, float)):
            add(path, "negative", "mapping", "list")
        elif isinstance(value, str):
            add(path, "mapping", "list")
    return edits


EDITS = {path: (fixture(path), _edits(fixture(path))) for path in DECISIONS}
KEYS = st.from_regex(r"zz_[a-z_]{1,10}", fullmatch=True)
VALUES: dict[str, st.SearchStrategy[Any]] = {
    "null item": st.none(),
    "delete": st.none(),
    "int-like text": st.integers(-10**6, 10**6).map(str),  # never eight digits: 20230510 is a date
    # No mapping of these keys is valid anywhere: an unknown key, or a label with no amount.
    "mapping": st.dictionaries(KEYS, st.one_of(st.none(), st.just([]), st.just({})), min_size=1, max_size=2),
    "list": st.lists(texts, max_size=2),
    "not yes or no": st.one_of(st.sampled_from(["perhaps", "2", "nope", "tick", "✓"]), texts.map(lambda t: f"{t} perhaps")),
    "bad date": st.one_of(
        st.sampled_from(["2022-13-45", "31/02/2023", "2023-02-30", "00/00/0000", "yesterday", "2023/05/10"]),
        st.builds("{}-{:02d}-{:02d}".format, st.integers(1000, 9999), st.integers(13, 99), st.integers(1, 28)),
    ),
    "negative": st.one_of(
        st.integers(max_value=-1),
        st.decimals(max_value=Decimal("-0.01"), places=2, allow_nan=False, allow_infinity=False).map(float),
        st.sampled_from(["-0.01", "£-5", "-£1,000.00", "(£20.00)"]),
    ),
}  # fmt: skip


@st.composite
def wrong_values(draw: st.DrawFn, kind: str | None = None) -> tuple[dict[str, Any], str, tuple[str | int, ...]]:
    """A decision fixture with one value of the wrong kind: (data, kind of edit, place edited)."""
    fixtures = [f for f in DECISIONS if kind is None or kind in EDITS[f][1]]
    base, edits = EDITS[draw(st.sampled_from(fixtures))]
    kind = kind or draw(st.sampled_from(sorted(edits)))
    path = draw(st.sampled_from(edits[kind]))
    data = copy.deepcopy(base)
    parent: Any = data  # a mapping or a list, as the path goes
    for part in path[:-1] if path else ():
        parent = parent[part]
    if kind == "unknown key":
        node = parent[path[-1]] if path else data
        key = draw(KEYS)
        node[key] = draw(st.one_of(texts, st.none()))
        path += (key,)
    elif kind == "delete":
        del parent[path[-1]]
    else:
        parent[path[-1]] = draw(VALUES[kind])
    return data, kind, path


def _near(field: str, place: str) -> bool:
    """`field` is the place edited, inside it, or the mapping or list around it ("" for the file)."""
    return field.startswith(place) or place.startswith(field)


@pytest.mark.parametrize("kind", sorted(VALUES) + ["unknown key"])
@examples(1 / 3)
@given(data=st.data())
def test_a_wrong_value_anywhere_is_refused_with_located_problems(kind: str, data: st.DataObject) -> None:
    edited, _, path = data.draw(wrong_values(kind), label="edit")
    with tempfile.TemporaryDirectory() as folder:
        source = write_yaml(Path(folder) / "wrong.yaml", edited)
        with pytest.raises(InputError) as caught:
            load_decision(source)
        problems = caught.value.problems
        assert_located(problems, path=source, lines=line_count(source.read_text(encoding="utf-8")))
    prefix = _known_prefix(path)
    place = format_loc(prefix) if prefix else ""
    assert any(_near(p.field, place) for p in problems), (place, [str(p) for p in problems])


@examples(1 / 2)
@given(text=st.one_of(wrong_values().map(lambda edit: dump(edit[0])), mangled()))
def test_validate_prints_each_problem_as_file_line_col_field_message(text: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "invalid.yaml"
        source.write_bytes(text.encode("utf-8"))
        try:
            load_decision(source)
        except InputError as error:
            problems = error.problems
        else:
            assume(False)  # a mangled input that is still valid
        result = runner.invoke(app, ["validate", str(source)])
    assert result.exit_code == 1
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output + result.stderr
    assert_located(problems, path=source, lines=line_count(text))
    printed = result.stderr.removesuffix("\n").split("\n")
    assert printed == [f"{source}:{p.line}:{p.column}: {p.field}: {p.text}" for p in problems]


# ------------------------------------------------------------------------------- table grids

_W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


@st.composite
def rendered_tables(draw: st.DrawFn, depth: int = 0) -> str:
    """A table as a column loop may leave it: a grid of any width, rows of any number of cells,
    some spanning columns, some holding a nested table."""
    widths = draw(st.lists(st.integers(1, 6000), min_size=1, max_size=9))
    rows = []
    for _ in range(draw(st.integers(0, 4))):
        cells = []
        for _ in range(draw(st.integers(0, 9))):
            span = draw(st.sampled_from([None, 1, 2, 3]))
            properties = f'<w:tcPr><w:gridSpan w:val="{span}"/></w:tcPr>' if span else ""
            inner = draw(rendered_tables(depth + 1)) if depth < 1 and draw(st.integers(0, 5)) == 0 else ""
            cells.append(f"<w:tc>{properties}{inner}<w:p/></w:tc>")
        rows.append(f"<w:tr>{''.join(cells)}</w:tr>")
    grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in widths)
    return f"<w:tbl><w:tblPr/><w:tblGrid>{grid}</w:tblGrid>{''.join(rows)}</w:tbl>"


@examples(3)
@given(tables=st.lists(rendered_tables(), min_size=1, max_size=3))
def test_table_grids_are_fixed_as_docxtpl_fixes_them(tables: list[str]) -> None:
    """generator.docx.table_grid does docxtpl's fix_tables, on each table's text or tree: the
    same XML when a grid changes (each table it changes written as lxml writes it, the rest of
    the part as it was), the part untouched when none does."""
    from docxtpl import DocxTemplate
    from lxml import etree

    from generator.docx.table_grid import fix_grids

    xml = f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document {_W}><w:body>{"<w:p/>".join(tables)}</w:body></w:document>'
    theirs = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' + etree.tostring(
        DocxTemplate.fix_tables(None, xml.encode("utf-8")),
        encoding="unicode",
    )
    ours = fix_grids(xml)
    event("a grid changed" if ours != xml else "no grid changed")
    if ours == xml:
        assert etree.tostring(etree.fromstring(xml.encode("utf-8")), encoding="unicode") == theirs.split("\n", 1)[1]
    else:
        assert ours.startswith('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n')
        assert canonical(ours) == canonical(theirs)


def canonical(xml: str) -> bytes:
    from lxml import etree

    return etree.tostring(etree.fromstring(xml.encode("utf-8")), method="c14n")
