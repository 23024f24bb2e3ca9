"""grantdocs publish: the Part 1 documents of the decisions publishable on the day, .docx and
PDF; refused in, around or as the confidential folder or the output folder; all or nothing.

The proof that no Part 2 byte reaches the folder is tests/build/test_publish_leaks.py.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli import app
from generator.build.generate import DEFAULT_TEMPLATES, generate
from generator.build.plan import plan_documents
from generator.build.publish_folder import RECORD
from generator.inputs.load import load_decision, load_form_wordings, load_report_wording
from generator.pdf import PdfError
from tests.conftest import EXAMPLES, FIXTURES
from tests.support.fidelity import need_libreoffice

runner = CliRunner()
PUBLISH = FIXTURES / "inputs" / "publish"
DAY = "2025-06-01"
PUBLISHED = ["deferred-past", "dmpcd-2015-148", "pcd-1284", "pcd-421-lcpf"]
LEFT_OUT = [
    "left out: deferred-future: deferred until 31/12/2099",
    "left out: ocs-grant-2023-24: not signed: it has no decision form",
    "left out: pcd-1760-shared-endeavour-fund: not signed",
    "left out: unsigned: not signed",
]
INSTALL = (
    "cannot write PDFs: LibreOffice (soffice) is not installed; install it with: apt-get install libreoffice-writer-nogui fonts-liberation2"
)


def tree(root: Path) -> dict[str, bytes | str]:
    """Everything under `root`: files by content, links by target, folders by name."""
    found: dict[str, bytes | str] = {}
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root).as_posix()
        found[rel] = f"-> {os.readlink(path)}" if path.is_symlink() else path.read_bytes() if path.is_file() else "/"
    return found


def write(path: Path, data: bytes) -> None:
    path.write_bytes(data)


def fake_publish(folder: Path, files: dict[str, bytes]) -> None:
    """A folder as an earlier publish left it: its files, and the record of them."""
    for name, data in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(data)
    hashes = {name: hashlib.sha256(data).hexdigest() for name, data in files.items()}
    (folder / RECORD).write_text(json.dumps({"format": 1, "files": hashes}), encoding="utf-8")


@pytest.fixture
def ws(tmp_path: Path) -> dict[str, Path]:
    """Inputs (the examples and the publish fixtures), where generate and batch write, and a publish folder."""
    inputs = tmp_path / "inputs"
    shutil.copytree(EXAMPLES, inputs)
    for source in PUBLISH.glob("*.yaml"):
        shutil.copy(source, inputs / source.name)
    return {"root": tmp_path, "inputs": inputs, "outputs": tmp_path / "outputs", "public": tmp_path / "public"}


def publish(ws: dict[str, Path], *options: str, out: Path | None = None) -> tuple[int, str, str]:
    args = ["publish", str(ws["inputs"]), "--out", str(out or ws["public"]), "--outputs", str(ws["outputs"]), *options]
    result = runner.invoke(app, args)
    assert "Traceback" not in result.output + result.stderr
    return result.exit_code, result.stdout, result.stderr


# ------------------------------------------------------------------------------ what is published


def test_only_publishable_decisions_are_published_each_part_1_document_as_docx_and_pdf(ws: dict[str, Path]) -> None:
    need_libreoffice()
    code, stdout, stderr = publish(ws, "--today", DAY)
    assert code == 0, stderr
    public = ws["public"]
    assert sorted(p.name for p in public.iterdir() if p.is_dir()) == PUBLISHED
    lines = stdout.splitlines()
    assert [line for line in lines if line.startswith("left out: ")] == LEFT_OUT
    assert lines[-1] == f"{public}: 4 published, 4 left out, as on 01/06/2025"
    expected = []
    for stem in PUBLISHED:
        source = ws["inputs"] / f"{stem}.yaml"
        documents = plan_documents(
            load_decision(source), forms=load_form_wordings(), report_wording=load_report_wording(), templates=DEFAULT_TEMPLATES
        )
        names = [d.filename(stem) for d in documents if d.kind != "part-2"]
        expected += [f"{stem}/{name}" for name in names] + [f"{stem}/{name.removesuffix('.docx')}.pdf" for name in names]
    files = sorted(p.relative_to(public).as_posix() for p in public.rglob("*") if p.is_file() and p.name != RECORD)
    assert files == sorted(expected)
    assert [line.removeprefix("published: ") for line in lines if line.startswith("published: ")] == [
        str(public / name) for name in expected_in_order(expected)
    ]
    for name in files:
        data = (public / name).read_bytes()
        assert data.startswith(b"%PDF-" if name.endswith(".pdf") else b"PK"), name
    recorded = json.loads((public / RECORD).read_text(encoding="utf-8"))["files"]
    assert sorted(recorded) == files, "the record lists every file published, for the next publish to replace"
    assert [p.name for p in ws["root"].iterdir() if p.name.startswith(".")] == [], "no temporary folder left beside it"


def expected_in_order(names: list[str]) -> list[str]:
    """The files as a publish lists them: each decision's documents, each .docx followed by its PDF."""
    docx = [n for n in names if n.endswith(".docx")]
    return [name for d in docx for name in (d, d.removesuffix(".docx") + ".pdf")]


def test_a_published_document_is_the_one_generate_makes(ws: dict[str, Path], tmp_path: Path) -> None:
    """Rendered afresh from the input, with the same provenance: byte for byte what generate writes."""
    need_libreoffice()
    shutil.rmtree(ws["inputs"])
    ws["inputs"].mkdir()
    shutil.copy(EXAMPLES / "dmpcd-2015-148.yaml", ws["inputs"])
    code, _, stderr = publish(ws)
    assert code == 0, stderr
    (made,) = generate(ws["inputs"] / "dmpcd-2015-148.yaml", out_dir=tmp_path / "generated").outputs
    assert (ws["public"] / "dmpcd-2015-148" / made.name).read_bytes() == made.read_bytes()


# ------------------------------------------------------------------------------ refusals


def _cases() -> list[tuple[str, Callable[[dict[str, Path]], tuple[Path, list[str]]], str]]:
    def at(name: str, *options: str) -> Callable[[dict[str, Path]], tuple[Path, list[str]]]:
        return lambda ws: (ws["root"] / name, [o.replace("ROOT", str(ws["root"])) for o in options])

    def link_to(target: str) -> Callable[[dict[str, Path]], tuple[Path, list[str]]]:
        def make(ws: dict[str, Path]) -> tuple[Path, list[str]]:
            (ws["root"] / target).mkdir(parents=True, exist_ok=True)
            (ws["root"] / "link").symlink_to(ws["root"] / target, target_is_directory=True)
            return ws["root"] / "link", []

        return make

    def in_public(files: dict[str, bytes], then: Callable[[Path], None]) -> Callable[[dict[str, Path]], tuple[Path, list[str]]]:
        def make(ws: dict[str, Path]) -> tuple[Path, list[str]]:
            fake_publish(ws["public"], files)
            then(ws["public"])
            return ws["public"], []

        return make

    published = {"pcd-1284/pcd-1284-decision-form.docx": b"published"}
    return [
        ("the default confidential folder", at("outputs-confidential"), "it is the confidential folder"),
        ("inside the default confidential folder", at("outputs-confidential/public"), "it is inside the confidential folder"),
        ("the confidential folder given", at("secret", "--confidential", "ROOT/secret"), "it is the confidential folder"),
        ("inside the confidential folder given", at("secret/x", "--confidential", "ROOT/secret"), "it is inside the confidential folder"),
        ("a folder holding the confidential folder", at("x", "--confidential", "ROOT/x/secret"), "it holds the confidential folder"),
        ("the output folder", at("outputs"), "it is the output folder of generate and batch"),
        ("inside the output folder", at("outputs/public"), "it is inside the output folder of generate and batch"),
        ("a folder holding both", at("."), "it holds the confidential folder"),
        ("a link to the confidential folder", link_to("outputs-confidential"), "it is the confidential folder"),
        ("a link to a folder of its own", link_to("elsewhere"), "it is a symbolic link: name the folder itself"),
        ("the inputs", at("inputs"), "it is the inputs"),
        (
            "a file of someone else's in it",
            in_public(published, lambda p: write(p / "notes.txt", b"mine")),
            "{out}/notes.txt is not a document",
        ),
        (
            "a published document edited since",
            in_public(published, lambda p: write(p / "pcd-1284" / "pcd-1284-decision-form.docx", b"edited")),
            "{out}/pcd-1284/pcd-1284-decision-form.docx is not a document grantdocs published there (or was changed since)",
        ),
        (
            "files but no record",
            in_public(published, lambda p: (p / RECORD).unlink()),
            "{out}/pcd-1284/pcd-1284-decision-form.docx is not a document",
        ),
        (
            "a link in it",
            in_public(published, lambda p: (p / "pcd-1284" / "x").symlink_to(p.parent)),
            "{out}/pcd-1284/x is not a document grantdocs published",
        ),
    ]


CASES = _cases()


@pytest.mark.parametrize("case", range(len(CASES)), ids=[c[0] for c in CASES])
def test_a_publish_folder_in_or_beside_the_confidential_outputs_is_refused(ws: dict[str, Path], case: int) -> None:
    _, make, why = CASES[case]
    (ws["outputs"] / "pcd-1760-shared-endeavour-fund").mkdir(parents=True)
    (ws["outputs"] / "pcd-1760-shared-endeavour-fund" / "pcd-1760-shared-endeavour-fund-part-2.docx").write_bytes(b"an older run's Part 2")
    out, options = make(ws)
    before = tree(ws["root"])
    code, stdout, stderr = publish(ws, *options, out=out)
    assert code == 1, stdout
    assert f"refusing to publish into {out}: {why.format(out=out)}" in stderr
    assert f"nothing published: {out} is as it was" in stderr
    assert tree(ws["root"]) == before, "nothing written, moved or removed anywhere"


def test_a_folder_holding_the_inputs_is_refused(tmp_path: Path) -> None:
    inputs = tmp_path / "work" / "inputs"
    shutil.copytree(PUBLISH, inputs)
    before = tree(tmp_path)
    result = runner.invoke(app, ["publish", str(inputs), "--out", str(tmp_path / "work"), "--outputs", str(tmp_path / "outputs")])
    assert result.exit_code == 1
    assert f"it holds the inputs ({inputs}), and a publish replaces the whole folder" in result.stderr
    assert tree(tmp_path) == before


# ------------------------------------------------------------------------------ all or nothing


@pytest.fixture
def earlier(ws: dict[str, Path]) -> dict[str, bytes | str]:
    """The publish folder as an earlier publish left it, and everything around it."""
    fake_publish(ws["public"], {"pcd-1284/pcd-1284-decision-form.docx": b"published", "pcd-1284/pcd-1284-decision-form.pdf": b"%PDF-"})
    return tree(ws["root"])


def test_inputs_with_problems_stop_the_publish_each_problem_said_at_once(ws: dict[str, Path], earlier: dict[str, bytes | str]) -> None:
    (ws["inputs"] / "broken.yaml").write_text("reference: PCD 1\ntitel: x\n", encoding="utf-8")
    (ws["inputs"] / "sub").mkdir()
    (ws["inputs"] / "sub" / "dates.yaml").write_text(
        (PUBLISH / "unsigned.yaml").read_text(encoding="utf-8").replace("date: 2022-10-26", "date: 2022-13-26"), encoding="utf-8"
    )
    code, stdout, stderr = publish(ws, "--today", DAY)
    assert code == 1
    assert f"{ws['inputs'] / 'broken.yaml'}:1:1: title: required field is missing" in stderr
    assert f"{ws['inputs'] / 'broken.yaml'}:2:1: titel: unknown key 'titel' (did you mean 'title'?)" in stderr
    assert f"{ws['inputs'] / 'sub' / 'dates.yaml'}:18:11: decision_form.officer_approval.date: not a date: '2022-13-26'" in stderr
    assert f"nothing published: {ws['public']} is as it was" in stderr
    assert "published: " not in stdout
    assert tree(ws["root"]) == {**earlier, "inputs/broken.yaml": (ws["inputs"] / "broken.yaml").read_bytes(), **_sub(ws)}


def _sub(ws: dict[str, Path]) -> dict[str, bytes | str]:
    return {"inputs/sub": "/", "inputs/sub/dates.yaml": (ws["inputs"] / "sub" / "dates.yaml").read_bytes()}


def test_without_libreoffice_nothing_is_published_and_it_says_what_to_install(
    ws: dict[str, Path], earlier: dict[str, bytes | str], monkeypatch: pytest.MonkeyPatch
) -> None:
    which = shutil.which
    monkeypatch.setattr(
        "generator.pdf.libreoffice.shutil.which", lambda name, *a, **k: None if name in ("soffice", "libreoffice") else which(name, *a, **k)
    )
    code, _, stderr = publish(ws, "--today", DAY)
    assert code == 1
    assert stderr.splitlines() == [INSTALL, f"nothing published: {ws['public']} is as it was"]
    assert tree(ws["root"]) == earlier


def test_a_failed_pdf_leaves_the_earlier_publish_and_no_temporary_folder(
    ws: dict[str, Path], earlier: dict[str, bytes | str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The .docx files are written (in the folder beside it) before LibreOffice fails on one."""
    written: list[Path] = []

    def failing(docs: list[Path]) -> list[Path]:
        written.extend(docs)
        assert all(p.is_file() for p in docs)
        raise PdfError("LibreOffice made no PDF of 1 of 12 documents", made=[], failed=[(docs[0], "exit code 1")])

    monkeypatch.setattr("generator.build.publish.require_libreoffice", lambda: "soffice")
    monkeypatch.setattr("generator.build.publish.convert_to_pdf", failing)
    code, _, stderr = publish(ws, "--today", DAY)
    assert code == 1 and "LibreOffice made no PDF of 1 of 12 documents" in stderr
    assert written and not any(p.exists() for p in written)
    assert tree(ws["root"]) == earlier


def test_an_earlier_publish_is_replaced_whole(ws: dict[str, Path], earlier: dict[str, bytes | str]) -> None:
    """What is no longer publishable (here a decision since withdrawn) goes with the rest."""
    need_libreoffice()
    left = ws["root"] / ".public.k1ll3d.grantdocs-tmp"  # what a publish killed mid-way left beside it
    left.mkdir()
    (left / "half.docx").write_bytes(b"PK")
    for source in ws["inputs"].glob("*.yaml"):
        if source.stem != "dmpcd-2015-148":
            source.unlink()
    code, _, stderr = publish(ws)
    assert code == 0, stderr
    assert sorted(tree(ws["public"])) == [
        RECORD,
        "dmpcd-2015-148",
        "dmpcd-2015-148/dmpcd-2015-148-decision-form.docx",
        "dmpcd-2015-148/dmpcd-2015-148-decision-form.pdf",
    ]
    assert not left.exists(), "swept up"
    assert sorted(p.name for p in ws["root"].iterdir()) == ["inputs", "public"], "the earlier publish is gone, not set aside"
