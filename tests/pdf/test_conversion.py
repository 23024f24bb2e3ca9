"""PDFs through LibreOffice: tagged, PDF/UA-flagged, titled, en-GB, every font embedded; the pack
as one PDF; batches converted incrementally; a clear message when LibreOffice is missing.

The conversions are real. Without LibreOffice or poppler-utils these tests skip locally and
fail in CI (CI is set), where .ci/run installs them.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import zipfile
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from pypdf import PdfReader
from pypdf.generic import DictionaryObject, StreamObject
from typer.testing import CliRunner

from cli import app
from generator.build.batch import run_batch
from generator.build.batch_results import BatchReport
from generator.build.manifest import Manifest
from generator.pdf import (
    INSTALL,
    MIN_PER_PROCESS,
    PdfError,
    PdfUnavailable,
    convert_many,
    convert_to_pdf,
    filter_spec,
    pdf_path,
    require_libreoffice,
)
from generator.pdf import conversion as conversion_module
from generator.pdf import libreoffice as libreoffice_module
from generator.pdf.office import Office
from tests.conftest import EXAMPLES, MINIMAL, ROOT, example_documents
from tests.support.fidelity import need_libreoffice, reference_between, word_similarity

runner = CliRunner()
POPPLER = ("pdfinfo", "pdffonts", "pdftotext")
MESSAGE = "apt-get install libreoffice-writer-nogui fonts-liberation2"


def _tool(*args: str) -> str:
    return subprocess.run(args, check=True, capture_output=True, text=True, timeout=120).stdout


def pdfinfo(path: Path) -> dict[str, str]:
    return {k.strip(): v.strip() for k, _, v in (line.partition(":") for line in _tool("pdfinfo", str(path)).splitlines())}


def pdffonts(path: Path) -> list[tuple[str, str]]:
    """(font name, emb) per font; the columns are read from the right, as a type may have spaces."""
    lines = _tool("pdffonts", str(path)).splitlines()
    rows = lines[lines.index(next(line for line in lines if line.startswith("---"))) + 1 :]
    return [(row.split()[0], row.split()[-5]) for row in rows if row.strip()]


def pdftext(path: Path, first: int | None = None, last: int | None = None) -> str:
    pages = [*(["-f", str(first)] if first else []), *(["-l", str(last)] if last else [])]
    return _tool("pdftotext", *pages, str(path), "-")


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Every example through `grantdocs generate --pdf` (one LibreOffice run): .docx name → its path."""
    need_libreoffice(*POPPLER)
    out = tmp_path_factory.mktemp("out")
    confidential = out.with_name(f"{out.name}-confidential")  # where Part 2 goes by default
    result = runner.invoke(app, ["generate", *map(str, sorted(EXAMPLES.glob("*.yaml"))), "--out", str(out), "--pdf"])
    assert result.exit_code == 0, result.stderr
    docs = {p.name: p for folder in (out, confidential) for p in folder.rglob("*.docx")}
    assert sorted(docs) == sorted(example_documents())
    assert result.stdout.count("pdf -> ") == len(docs)
    return docs


@pytest.fixture(
    params=[
        "pcd-1284-decision-form.docx",
        "pcd-1284-supporting-report.docx",
        "pcd-1284-decision-pack.docx",
        "pcd-1284-grant-agreement.docx",
        "dmpcd-2015-148-decision-form.docx",
        "ocs-grant-2023-24-supporting-report.docx",
        "ocs-grant-2023-24-grant-agreement.docx",
    ]
)
def document(request: pytest.FixtureRequest, generated: dict[str, Path]) -> Path:
    return generated[request.param]


def test_part_2_and_its_pdf_go_to_the_confidential_folder(generated: dict[str, Path]) -> None:
    part_2 = generated["pcd-1760-shared-endeavour-fund-part-2.docx"]
    assert part_2.parents[1].name.endswith("-confidential")
    assert pdf_path(part_2).read_bytes().startswith(b"%PDF-")
    assert not [p for p in generated.values() if p != part_2 and p.parents[1] == part_2.parents[1]], "nothing else goes there"


def test_a_pdf_beside_each_docx_tagged_with_the_documents_title(document: Path) -> None:
    pdf = pdf_path(document)
    assert pdf.read_bytes().startswith(b"%PDF-")
    info = pdfinfo(pdf)
    assert info["Tagged"] == "yes"
    assert info["Title"] == Document(str(document)).core_properties.title != ""
    assert int(info["Pages"]) >= 1


def test_every_font_embedded_and_arial_set_in_liberation_sans(document: Path) -> None:
    fonts = pdffonts(pdf_path(document))
    assert fonts, "no fonts listed"
    assert [name for name, emb in fonts if emb != "yes"] == []
    names = [name.split("+")[-1] for name, _ in fonts]
    assert "LiberationSans" in names and "LiberationSans-Bold" in names, names
    assert not [n for n in names if n.startswith("Arial")], "Arial must come out as the metric-compatible Liberation Sans"


def test_language_ua_flag_display_title_and_structure(document: Path) -> None:
    reader = PdfReader(pdf_path(document))
    catalog = reader.root_object
    lang = catalog["/Lang"]
    assert isinstance(lang, str) and lang == "en-GB"
    mark_info, viewer = catalog["/MarkInfo"], catalog["/ViewerPreferences"]
    assert isinstance(mark_info, DictionaryObject) and isinstance(viewer, DictionaryObject)
    assert bool(mark_info["/Marked"])
    assert "/StructTreeRoot" in catalog
    assert bool(viewer["/DisplayDocTitle"])
    metadata = catalog["/Metadata"].get_object()
    assert isinstance(metadata, StreamObject)
    xmp = metadata.get_data().decode("utf-8")
    assert "<pdfuaid:part>1</pdfuaid:part>" in xmp.replace(" ", "").replace("\n", "") or 'pdfuaid:part="1"' in xmp


def test_the_pack_pdf_is_the_form_then_the_report(generated: dict[str, Path]) -> None:
    form, report, pack = (pdf_path(generated[f"pcd-1284-{k}.docx"]) for k in ("decision-form", "supporting-report", "decision-pack"))
    form_pages, report_pages = int(pdfinfo(form)["Pages"]), int(pdfinfo(report)["Pages"])
    assert int(pdfinfo(pack)["Pages"]) == form_pages + report_pages
    assert "DMPC Decision – PCD 1284" in pdftext(pack, 1, 1)
    assert "NPCC Personal Robbery Portfolio" in pdftext(pack, form_pages + 1, form_pages + 1)
    assert word_similarity(pdftext(pack, 1, form_pages), pdftext(form)) > 0.98
    assert word_similarity(pdftext(pack, form_pages + 1), pdftext(report)) > 0.98  # only page numbers differ


def test_an_agreements_reference_is_printed_whole_in_the_header_of_every_page(generated: dict[str, Path]) -> None:
    """The page header sets the title at the left and the reference at the right margin. With a
    long reference (a borough's name in it, MOPAC-LCPF-2019-21-BARKING-AND-DAGENHAM) a tab to the
    centre stop first left it half a line, and it broke across two."""
    agreements = [path for name, path in generated.items() if "grant-agreement" in name]
    assert len(agreements) == 6
    longest = 0
    for docx in agreements:
        reference = Document(str(docx)).sections[0].header.paragraphs[1].text.split("\t")[-1]
        longest = max(longest, len(reference))
        pages = pdftext(pdf_path(docx)).split("\f")[:-1]  # pdftotext ends every page with a form feed
        assert pages and all(reference in page for page in pages), (docx.name, reference)
    assert longest >= len("MOPAC-LCPF-2019-21-BARKING-AND-DAGENHAM")


@pytest.mark.parametrize("name", ["pcd-1284-supporting-report.docx", "pcd-1284-decision-pack.docx"])
def test_each_note_is_printed_at_the_foot_of_the_page_its_mark_is_on(name: str, generated: dict[str, Path]) -> None:
    """The report's notes are Word footnotes: each on its mark's page, below the page's text and
    above its footer, numbered as marked; no list of notes at the end."""
    pdf = pdf_path(generated[name])
    pages = [pdftext(pdf, n, n) for n in range(1, int(pdfinfo(pdf)["Pages"]) + 1)]
    notes = [
        ("Crime Plan 2022-251", "1", "Police and crime plan: a safer city for all Londoners | London City Hall"),
        ("London Anchor Institutions' Charter2", "2", "https://www.london.gov.uk/coronavirus/londons-recovery-coronavirus-crisis/anchor-"),
    ]
    for mark, number, note in notes:
        (page,) = [p for p in pages if mark in p]
        lines = [line.strip() for line in page.splitlines() if line.strip()]
        at = next(i for i, line in enumerate(lines) if line.startswith(note))
        # pdftotext sets the note's raised number on a line of its own, before or after the note.
        assert number in (lines[at - 1], lines[at + 1]), "the note has its own mark"
        assert lines.index(next(line for line in lines if mark in line)) < at - 1, "the note comes after its mark"
        footer = next(i for i, line in enumerate(lines) if line.startswith("PCD 1284 – supporting report"))
        assert at < footer and footer - at <= 3, f"the note sits just above the footer: {lines[at:]}"
    assert not any("Notes" in line.split() for p in pages for line in p.splitlines())


@pytest.mark.parametrize(
    ("name", "reference", "end", "least"),
    [
        ("pcd-1284-decision-form.docx", "pcd-1284-cpd-personal-robbery.txt", "NPCC Personal Robbery Portfolio", 0.95),
        ("dmpcd-2015-148-decision-form.docx", "dmpcd-2015-148-innovation-fund-bids.txt", None, 0.9),
    ],
)
def test_the_pdf_reads_like_the_published_decision(
    name: str, reference: str, end: str | None, least: float, generated: dict[str, Path]
) -> None:
    similarity = word_similarity(pdftext(pdf_path(generated[name])), reference_between(reference, None, end))
    assert similarity >= least, f"{name}: word-level similarity with the published PDF {similarity:.3f} < {least}"


# --------------------------------------------------------------------------- without LibreOffice


@pytest.fixture
def no_libreoffice(monkeypatch: pytest.MonkeyPatch) -> None:
    which = shutil.which
    monkeypatch.setattr(
        "generator.pdf.libreoffice.shutil.which", lambda name, *a, **k: None if name in ("soffice", "libreoffice") else which(name, *a, **k)
    )


def test_generate_without_libreoffice_writes_the_docx_and_says_what_to_install(no_libreoffice: None, tmp_path: Path) -> None:
    result = runner.invoke(app, ["generate", str(MINIMAL), "--out", str(tmp_path), "--pdf"])
    assert result.exit_code == 1
    assert MESSAGE in result.stderr and "LibreOffice" in result.stderr
    assert "Traceback" not in result.output + result.stderr
    docx = tmp_path / "minimal" / "minimal-decision-form.docx"
    assert docx.read_bytes()[:2] == b"PK" and f"-> {docx}" in result.stdout
    assert not list(tmp_path.rglob("*.pdf"))


def test_batch_without_libreoffice_writes_the_docx_and_says_what_to_install(no_libreoffice: None, tmp_path: Path) -> None:
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    shutil.copy(MINIMAL, inputs / "minimal.yaml")
    for extra in ([], ["--json"]):
        result = runner.invoke(app, ["batch", str(inputs), "--out", str(tmp_path / "out"), "--pdf", "--jobs", "1", *extra])
        assert result.exit_code == 1
        assert MESSAGE in result.stderr
    assert json.loads(result.stdout)["pdf_failures"][0]["error"].endswith(MESSAGE)
    assert (tmp_path / "out" / "minimal" / "minimal-decision-form.docx").is_file()
    assert not list(tmp_path.rglob("*.pdf"))
    assert Manifest.load(tmp_path / "out").pdfs == {}


def test_without_the_metric_compatible_fonts_it_names_the_package(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(libreoffice_module, "soffice", lambda: "/usr/bin/soffice")
    monkeypatch.setattr(libreoffice_module, "_arial_substitute", lambda fc_match: "DejaVu Sans")
    with pytest.raises(PdfUnavailable, match="Liberation Sans") as raised:
        require_libreoffice()
    assert str(raised.value).endswith(INSTALL) and "fonts-liberation2" in INSTALL


def test_export_options() -> None:
    kind, _, options = filter_spec().partition(":writer_pdf_Export:")
    assert kind == "pdf"
    options = json.loads(options)
    for name in ("UseTaggedPDF", "PDFUACompliance", "DisplayPDFDocumentTitle", "EmbedStandardFonts"):
        assert options[name] == {"type": "boolean", "value": "true"}


def test_a_batch_is_shared_among_the_jobs_by_cost(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Each job gets one LibreOffice call over its share, the shares of equal cost (a pack costs
    four forms here): not every other document, which gives one job both packs when they come
    in step."""
    calls: list[list[str]] = []
    monkeypatch.setattr(conversion_module, "require_libreoffice", lambda: "soffice")
    monkeypatch.setattr(conversion_module, "running_offices", lambda: 0)
    costs = {f"pack{i}.docx": 4 for i in range(2)} | {f"form{i}.docx": 1 for i in range(8)}
    monkeypatch.setattr(conversion_module, "_inspect", lambda path: (None, costs[path.name]))

    def fake(
        exe: str, docs: list[Path], *, office: Office | None, timeout: float | None, should_stop: object
    ) -> tuple[list[Path], list[tuple[Path, str]]]:
        assert office is not None, "a batch goes through the offices kept running"
        calls.append(sorted(p.name for p in docs))
        return [pdf_path(p) for p in docs], []

    monkeypatch.setattr(conversion_module, "_convert_group", fake)
    # In step: round robin would give one job both packs and three forms (11), the other 5.
    docs = [tmp_path / name for name in ["pack0.docx", "form0.docx", "pack1.docx", *[f"form{i}.docx" for i in range(1, 8)]]]
    report = convert_many(docs, jobs=2)
    assert sorted(sum(costs[name] for name in call) for call in calls) == [8, 8], calls
    assert sorted(report.made) == sorted(pdf_path(p) for p in docs)

    calls.clear()
    convert_many(docs[: MIN_PER_PROCESS + 1], jobs=8)
    assert len(calls) == 1, "too few documents to be worth starting a second LibreOffice"
    calls.clear()
    monkeypatch.setattr(conversion_module, "running_offices", lambda: 2)
    convert_many(docs[:2], jobs=8)
    assert len(calls) == 2, "LibreOffices already running are used, however few the documents"


# --------------------------------------------------------------------------- conversions


def test_batch_converts_what_is_new_missing_or_changed_and_prunes(tmp_path: Path) -> None:
    need_libreoffice(*POPPLER)
    inputs, out = tmp_path / "inputs", tmp_path / "out"
    inputs.mkdir()
    shutil.copy(MINIMAL, inputs / "minimal.yaml")
    name = "minimal/minimal-decision-form.docx"
    docx, pdf = out / name, pdf_path(out / name)

    def batch(**options: Any) -> BatchReport:
        report = run_batch(inputs, out_dir=out, templates=ROOT / "templates", jobs=2, pdf=True, **options)
        assert not report.failed and not report.pdf_failed and report.pdf_error is None
        return report

    assert batch().pdfs == ["minimal/minimal-decision-form.pdf"]
    assert Manifest.load(out).pdfs == {name: Manifest.load(out).entries[name].sha256}
    made = pdf.read_bytes()
    assert batch().pdfs == [] and pdf.read_bytes() == made, "nothing changed: no conversion"

    pdf.unlink()
    assert batch().pdfs == ["minimal/minimal-decision-form.pdf"], "a missing PDF is made again"

    text = (inputs / "minimal.yaml").read_text(encoding="utf-8")
    (inputs / "minimal.yaml").write_text(text.replace("title: ", "title: Revised ", 1), encoding="utf-8")
    report = batch()
    assert [o.path for r in report.rendered for o in r.outputs] == [name] and report.pdfs == ["minimal/minimal-decision-form.pdf"]
    assert pdfinfo(pdf)["Title"] == Document(str(docx)).core_properties.title and "Revised" in pdfinfo(pdf)["Title"]
    assert Manifest.load(out).pdfs[name] == Manifest.load(out).entries[name].sha256

    (inputs / "minimal.yaml").unlink()
    assert batch(prune=True).removed == [name]
    assert not docx.exists() and not pdf.exists() and Manifest.load(out).pdfs == {}


def test_same_names_from_different_folders_and_a_damaged_file(generated: dict[str, Path], tmp_path: Path) -> None:
    a, b, bad = tmp_path / "a" / "x.docx", tmp_path / "b" / "x.docx", tmp_path / "a" / "bad.docx"
    for path, source in ((a, "pcd-1284-decision-form.docx"), (b, "ocs-grant-2023-24-supporting-report.docx")):
        path.parent.mkdir(exist_ok=True)
        shutil.copy(generated[source], path)
    bad.write_bytes(b"PK\x03\x04 not really a Word document " * 50)
    with pytest.raises(PdfError) as raised:
        convert_to_pdf([a, bad, b])
    assert [p for p, _ in raised.value.failed] == [bad] and str(bad) in str(raised.value)
    assert sorted(raised.value.made) == sorted([pdf_path(a), pdf_path(b)])
    assert pdfinfo(pdf_path(a))["Title"].startswith("DMPC Decision – PCD 1284")
    assert pdfinfo(pdf_path(b))["Title"].startswith("Draft: PCD 1600 supporting report")
    assert not pdf_path(bad).exists()


def test_a_conversion_that_overruns_is_killed(generated: dict[str, Path], tmp_path: Path) -> None:
    doc = Path(shutil.copy(generated["pcd-1284-grant-agreement.docx"], tmp_path / "slow.docx"))
    with pytest.raises(PdfError, match=r"did not finish within 0\.2 s"):
        convert_to_pdf([doc], timeout=0.2)
    assert not pdf_path(doc).exists()


def test_a_damaged_document_that_passes_the_checks_is_named_and_the_others_converted(generated: dict[str, Path], tmp_path: Path) -> None:
    """A package LibreOffice cannot load (its body is not XML), among good ones, through an office
    kept running: its PDF alone is missing, the reason is LibreOffice's, and the office lives on."""
    good = Path(shutil.copy(generated["pcd-1284-decision-form.docx"], tmp_path / "good.docx"))
    bad = tmp_path / "unreadable.docx"
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(bad, "w") as target:
        for info in source.infolist():
            target.writestr(info, b"<w:document" if info.filename == "word/document.xml" else source.read(info))
    office = Office()
    try:
        with pytest.raises(PdfError) as raised:
            convert_to_pdf([bad, good], office=office)
        assert raised.value.failed == [(bad, "LibreOffice could not convert it (exit code 0): Error: source file could not be loaded")]
        assert raised.value.made == [pdf_path(good)] and pdf_path(good).read_bytes().startswith(b"%PDF-")
        assert office.running and office.starts == 1
    finally:
        office.close()
