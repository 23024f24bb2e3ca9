"""No Part 2 byte reaches a publish folder, whatever the inputs and options.

The inputs carry a Part 2, signed, deferred or unsigned; in most of them every text field of
`part_2:` holds a marker (tests/support/part_2_planting.py), and the distinctive sentences of
the others are looked for as well. Every file the publish writes is searched: its name, its raw
bytes, the text of every member of a .docx, and a PDF's text as pdftotext reads it. Around the
publish lie what generate and batch wrote (Part 2 in the confidential folder, and an older run's
Part 2 in the output folder). The search is shown to find a marker where one is.
"""

from __future__ import annotations

import html
import re
import shutil
import subprocess
import tempfile
import unicodedata
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any
from unittest.mock import patch

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, StreamObject
from typer.testing import CliRunner

from cli import app
from generator.build.generate import generate
from generator.build.output_folders import default_confidential
from generator.build.publish import publish
from generator.domain.lifecycle.status import why_unpublishable
from generator.inputs.load import load_decision
from generator.pdf import pdf_path
from tests.conftest import EXAMPLES, FIXTURES
from tests.support.fidelity import need_libreoffice
from tests.support.part_2_planting import Planter, found, planted_data
from tests.support.strategies import examples

runner = CliRunner()
PART_2 = FIXTURES / "inputs" / "part-2.yaml"
FUND = EXAMPLES / "pcd-1760-shared-endeavour-fund.yaml"
DEFERRED_UNTIL = date(2099, 12, 31)


@dataclass(frozen=True)
class World:
    """The inputs with a Part 2, by name, and what no published file may hold."""

    inputs: dict[str, str]  # file name → YAML
    markers: list[str]  # planted in every text field of part_2
    sentences: list[str]  # the Part 2 sentences of the inputs not planted


def _dump(data: dict[str, Any]) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


def _sentences(source: Path) -> list[str]:
    """What `source` types in its `part_2:` of four words or more (a standard label, such as a
    cost table's, is no secret: Part 1 tables print it too)."""

    def texts(value: object) -> Iterator[str]:
        if isinstance(value, str):
            yield value
        elif isinstance(value, dict):
            for item in value.values():
                yield from texts(item)
        elif isinstance(value, list):
            for item in value:
                yield from texts(item)

    return [text for text in texts(yaml.safe_load(source.read_text(encoding="utf-8"))["part_2"]) if len(text.split()) >= 4]


@cache
def the_world() -> World:
    """Made once: what every test here searches for (not a fixture, so that a failing example
    of the property test does not print it all)."""
    planter = Planter()
    planted = planted_data(PART_2, planter)

    def variant(reference: str, edit: Callable[[dict[str, Any]], None], *, review: date | None = None) -> str:
        data = {**planted, "reference": reference, "decision_form": dict(planted["decision_form"])}
        edit(data["decision_form"])
        if review is not None:  # a Part 2 review follows the end of a deferral
            data["report"] = {**data["report"], "part_2": {**data["report"]["part_2"], "review": review.isoformat()}}
        return _dump(data)

    def deferred(form: dict[str, Any]) -> None:
        form["publication"] = {**form["publication"], "defer_part_1": True, "deferral_reason": "The operation is under way."}
        form["publication"]["deferred_until"] = DEFERRED_UNTIL.isoformat()

    inputs = {  # no input is named part-2: a file name holding it would be a Part 2 to the search
        "pcd-1300.yaml": PART_2.read_text(encoding="utf-8"),
        "planted.yaml": variant("PCD 1310", lambda form: None),
        "planted-deferred.yaml": variant("PCD 1311", deferred, review=date(2100, 6, 30)),
        "planted-unsigned.yaml": variant("PCD 1312", lambda form: form.pop("dmpc")),
        FUND.name: FUND.read_text(encoding="utf-8"),
    }
    return World(inputs, [m.split()[0] for m in planter.markers.values()], _sentences(PART_2) + _sentences(FUND))


def _write(world: World, folder: Path, names: Iterable[str]) -> Path:
    folder.mkdir(parents=True)
    for name in names:
        (folder / name).write_text(world.inputs[name], encoding="utf-8")
    return folder


def _normal(text: str) -> str:
    """Text as the search compares it: ligatures and look-alikes folded, whitespace as one space, in lower case."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text)).lower()


def _docx_texts(path: Path) -> Iterator[str]:
    """The text of every member of a .docx, tags taken out and entities read (a sentence split across runs joins up)."""
    with zipfile.ZipFile(path) as package:
        for name in package.namelist():
            xml = package.read(name).decode("utf-8", errors="replace")
            yield html.unescape(re.sub(r"<[^>]+>", "", xml))
            yield xml


def pdf_text(path: Path) -> str:
    """A PDF's text as pdftotext reads it, and every string and decoded stream in it (the
    outline's titles, the structure tree's alternative texts, the metadata), which pdftotext does
    not show and compression hides from a search of the bytes."""
    shown = subprocess.run(["pdftotext", str(path), "-"], check=True, capture_output=True, text=True, timeout=120).stdout
    return "\n".join([shown, *_pdf_strings(PdfReader(path).trailer, set())])


def _pdf_strings(value: Any, seen: set[int]) -> Iterator[str]:
    if isinstance(value, IndirectObject):
        if value.idnum in seen:
            return
        seen.add(value.idnum)
        value = value.get_object()
    if isinstance(value, StreamObject):
        yield value.get_data().decode("latin-1")
    if isinstance(value, DictionaryObject):
        for item in value.values():
            yield from _pdf_strings(item, seen)
    elif isinstance(value, ArrayObject):
        for item in value:
            yield from _pdf_strings(item, seen)
    elif isinstance(value, str):
        yield str(value)


def leaks(world: World, folder: Path, *, pdf_text: Callable[[Path], str]) -> list[str]:
    """Every place in `folder` a Part 2 shows: a file named for one, or a marker or sentence in its
    bytes, in a .docx member's text, or in a PDF's text."""
    found_at = []
    for path in sorted(folder.rglob("*")):
        name = path.relative_to(folder).as_posix()
        if "part-2" in name.lower() or "part 2" in name.lower():
            found_at.append(f"{name}: named for a Part 2")
        if not path.is_file():
            continue
        data = path.read_bytes()
        texts = [data.decode("utf-8", errors="replace"), data.decode("latin-1")]
        if path.suffix == ".docx":
            texts += _docx_texts(path)
        if path.suffix == ".pdf":
            texts.append(pdf_text(path))
        normal = [_normal(text) for text in texts]
        found_at += [f"{name}: {marker}" for marker in world.markers if any(found(marker, text) for text in texts)]
        found_at += [f"{name}: {sentence!r}" for sentence in world.sentences if any(_normal(sentence) in text for text in normal)]
    return found_at


def _around(world: World, inputs: Path, outputs: Path, confidential: Path | None) -> None:
    """What generate and batch leave beside a publish: every Part 2 in the confidential folder, and
    in the output folder the Part 2 an older grantdocs wrote there."""
    for source in sorted(inputs.glob("*.yaml")):
        generate(source, out_dir=outputs, confidential_dir=confidential)
    older = (confidential or default_confidential(outputs)).glob("*/*-part-2.docx")
    for part_2 in older:
        shutil.copy(part_2, outputs / part_2.parent.name / part_2.name)


def _publishable(world: World, names: Iterable[str], today: date) -> set[str]:
    """The inputs publishable on `today`, by their names in the publish folder, as their status says."""
    names = list(names)
    with tempfile.TemporaryDirectory() as tmp:
        folder = _write(world, Path(tmp) / "inputs", names)
        return {name.removesuffix(".yaml") for name in names if why_unpublishable(load_decision(folder / name), today) is None}


# ------------------------------------------------------------------------------ the search finds what is there


def test_the_search_finds_a_part_2_wherever_it_is(tmp_path: Path) -> None:
    """In the confidential folder every marker and sentence is found, in each .docx and in its PDF
    (all those the PDF shows: a table's title is the table's description in Word, which no PDF
    carries): so finding none in a publish folder means none is there."""
    need_libreoffice("pdftotext")
    world = the_world()
    inputs = _write(world, tmp_path / "inputs", ["planted.yaml", "pcd-1300.yaml", FUND.name])
    sources = [str(inputs / name) for name in ("planted.yaml", "pcd-1300.yaml", FUND.name)]
    result = runner.invoke(app, ["generate", *sources, "--out", str(tmp_path / "out"), "--only", "part-2", "--pdf"])
    assert result.exit_code == 0, result.stderr
    confidential = tmp_path / "out-confidential"
    planted = confidential / "planted" / "planted-part-2.docx"
    with zipfile.ZipFile(planted) as package:
        shown = html.unescape("".join(re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", package.read("word/document.xml").decode())))
    for suffix, expected in ((".docx", set(world.markers)), (".pdf", {m for m in world.markers if m in shown})):
        said = leaks(world, confidential, pdf_text=pdf_text)
        assert {f"planted/planted-part-2{suffix}: named for a Part 2", f"pcd-1300/pcd-1300-part-2{suffix}: named for a Part 2"} <= set(said)
        assert {line.split(": ", 1)[1] for line in said if line.startswith(f"planted/planted-part-2{suffix}: ")} >= expected
        in_files = {line.split(": ", 1)[1] for line in said if line.split(": ", 1)[0].endswith(suffix)}
        assert set(map(repr, world.sentences)) <= in_files, "every sentence of the inputs not planted"
    assert len(world.markers) >= 40 and len(world.sentences) >= 10 and len({m for m in world.markers if m in shown}) >= 35


# ------------------------------------------------------------------------------ whatever the inputs and options


def _stand_in_pdfs(docs: list[Path]) -> list[Path]:
    """LibreOffice's stand-in: a "PDF" holding every byte of every member of its .docx, so that
    whatever a document holds its PDF holds too (the test below with real PDFs shows LibreOffice
    adds nothing of Part 2)."""
    made = []
    for docx in docs:
        with zipfile.ZipFile(docx) as package:
            pdf_path(docx).write_bytes(b"%PDF-stand-in\n" + b"\n".join(package.read(name) for name in package.namelist()))
        made.append(pdf_path(docx))
    return made


@given(
    names=st.sets(
        st.sampled_from(["pcd-1300.yaml", "planted.yaml", "planted-deferred.yaml", "planted-unsigned.yaml", FUND.name]), min_size=1
    ),
    today=st.dates(date(2022, 1, 1), date(2150, 12, 31)) | st.sampled_from([DEFERRED_UNTIL, date(2023, 5, 9), date(2023, 5, 10)]),
    own_confidential=st.booleans(),
    generated_first=st.booleans(),
    republish_on=st.none() | st.dates(date(2022, 1, 1), date(2150, 12, 31)),
)
@examples(0.3)
def test_no_part_2_byte_reaches_the_publish_folder_whatever_the_inputs_and_options(
    names: set[str], today: date, own_confidential: bool, generated_first: bool, republish_on: date | None
) -> None:
    world = the_world()
    with tempfile.TemporaryDirectory() as tmp, patch("generator.build.publish.convert_to_pdf", _stand_in_pdfs):
        root = Path(tmp)
        inputs = _write(world, root / "inputs", sorted(names))
        confidential = root / "secret" if own_confidential else None
        if generated_first:
            _around(world, inputs, root / "outputs", confidential)
        for day in (today, republish_on) if republish_on else (today,):
            with patch("generator.build.publish.require_libreoffice", lambda: "soffice"):
                report = publish(inputs, out=root / "public", today=day, confidential=confidential, outputs=root / "outputs")
            assert set(report.published) == _publishable(world, names, day)
            assert leaks(world, root / "public", pdf_text=lambda path: path.read_text(encoding="latin-1")) == []


# ------------------------------------------------------------------------------ with real PDFs


@pytest.mark.parametrize(
    ("own_confidential", "days"),
    [(False, [None]), (True, [date(2099, 6, 1), date(2100, 1, 1)])],
    ids=["default folders, today", "own confidential folder, published again when the deferral ends"],
)
def test_no_part_2_byte_reaches_real_published_pdfs(tmp_path: Path, own_confidential: bool, days: list[date | None]) -> None:
    need_libreoffice("pdftotext")
    world = the_world()
    inputs = _write(world, tmp_path / "inputs", world.inputs)
    confidential = ["--confidential", str(tmp_path / "secret")] if own_confidential else []
    _around(world, inputs, tmp_path / "outputs", tmp_path / "secret" if own_confidential else None)
    for day in days:
        when = ["--today", day.isoformat()] if day else []
        args = ["publish", str(inputs), "--out", str(tmp_path / "public"), "--outputs", str(tmp_path / "outputs"), *confidential, *when]
        result = runner.invoke(app, args)
        assert result.exit_code == 0, result.stderr
        published = {p.name for p in (tmp_path / "public").iterdir() if p.is_dir()}
        assert published == _publishable(world, world.inputs, day or date.today()) and {"pcd-1300", "planted"} <= published
        assert leaks(world, tmp_path / "public", pdf_text=pdf_text) == []
        assert len(list((tmp_path / "public").rglob("*.pdf"))) == len(list((tmp_path / "public").rglob("*.docx"))) >= 8
    assert (tmp_path / "outputs" / "planted" / "planted-part-2.docx").is_file(), "an older run's Part 2 lay beside it all along"
