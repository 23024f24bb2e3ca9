"""A template owner saves a template in an office suite and regenerates: whatever the suite did to
the tags' text (entities for quotes, tags split across runs with proofing marks, bookmarks and
revision ids between the pieces, smart quotes typed into a tag), the template checks clean and
renders the same documents. The LibreOffice round trip is real; Word's habits are reproduced in
the XML, as Word writes them."""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from generator.build.generate import DEFAULT_TEMPLATES, generate
from generator.checks.templates import check_templates
from generator.docx.office_saves import entities_in_tags, repaired
from generator.docx.package_check import read_members
from generator.docx.read import document_lines
from generator.docx.render import patched_sources
from tests.conftest import EXAMPLES
from tests.support.fidelity import need_libreoffice

# A page-number field keeps the result LibreOffice computed for the template itself (page 7);
# every viewer computes it again, so it is left out of the comparison.
_PAGE_FIELD = re.compile(r"\t(Page )?\d+$")


def _text(path: Path) -> list[str]:
    return [_PAGE_FIELD.sub("\t#", line) if line.startswith(("<header", "<footer")) else line for line in document_lines(path)]


@pytest.fixture(scope="module")
def saved_by_libreoffice(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every template opened and saved as .docx by LibreOffice, as a template owner would."""
    need_libreoffice()
    work = tmp_path_factory.mktemp("office")
    originals = sorted(DEFAULT_TEMPLATES.glob("*.docx"))
    (work / "in").mkdir()
    for template in originals:
        shutil.copy(template, work / "in" / template.name)
    command = [
        shutil.which("soffice") or "soffice",
        f"-env:UserInstallation={(work / 'profile').as_uri()}",
        "--headless",
        "--convert-to",
        "docx:MS Word 2007 XML",
        "--outdir",
        str(work / "out"),
        *(str(work / "in" / t.name) for t in originals),
    ]
    subprocess.run(command, check=True, capture_output=True, timeout=300)
    saved = sorted(p.name for p in (work / "out").glob("*.docx"))
    assert saved == [t.name for t in originals]
    return work / "out"


def test_libreoffice_writes_entities_into_the_tags(saved_by_libreoffice: Path) -> None:
    """What the repair is for: the saved templates' tags hold &quot; (so the test tests something)."""
    sources = [source for _, source in patched_sources(_members(saved_by_libreoffice / "mps-report.docx"))]
    assert not any(entities_in_tags(s) for s in sources), "repaired as they are read"
    raw = "\n".join(xml.decode("utf-8") for name, xml in _members(saved_by_libreoffice / "mps-report.docx") if name == "word/document.xml")
    assert "&quot;" in raw


def test_every_template_saved_by_libreoffice_checks_clean(saved_by_libreoffice: Path) -> None:
    report = check_templates(saved_by_libreoffice)
    assert not report.problems, [str(p) for p in report.problems]
    assert len(report.checked) == len(list(DEFAULT_TEMPLATES.glob("*.docx")))


def test_every_example_renders_the_same_through_them(saved_by_libreoffice: Path, tmp_path: Path) -> None:
    for source in sorted(EXAMPLES.glob("*.yaml")):
        before = generate(source, out_dir=tmp_path / "before").outputs
        after = generate(source, out_dir=tmp_path / "after", templates=saved_by_libreoffice).outputs
        assert [p.name for p in before] == [p.name for p in after]
        for old, new in zip(before, after, strict=True):
            assert _text(old) == _text(new), new.name


def _members(path: Path) -> list[tuple[str, bytes]]:
    from generator.docx.render import template_members

    return template_members(path.name, path.read_bytes())


# --------------------------------------------------------------------------- Word's habits, in XML


def _source(body: str) -> str:
    xml = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
        f"{body}</w:body></w:document>"
    )
    ((_, source),) = patched_sources([("word/document.xml", xml.encode("utf-8"))])
    return source


def test_a_tag_split_by_word_across_runs_marks_and_bookmarks_is_one_tag_again() -> None:
    body = (
        '<w:p><w:r w:rsidR="00A1B2C3"><w:t>Title: {{ form.</w:t></w:r>'
        '<w:proofErr w:type="spellStart"/><w:bookmarkStart w:id="0" w:name="_GoBack"/>'
        '<w:r w:rsidR="00D4E5F6" w:rsidRPr="00D4E5F6"><w:rPr><w:lang w:val="en-GB"/></w:rPr><w:t>title|default(\u201cnone\u201d)</w:t></w:r>'
        '<w:bookmarkEnd w:id="0"/><w:proofErr w:type="spellEnd"/><w:r><w:t xml:space="preserve"> }}</w:t></w:r></w:p>'
    )
    assert '{{ form.title|default("none") }}' in _source(body)


def test_entities_are_undone_inside_tags_only() -> None:
    body = "<w:p><w:r><w:t>&quot;Quoted&quot; &amp; {{ x|default(&quot;a &amp; b&quot;) ~ &apos;!&apos; ~ &#34;?&#34; }}</w:t></w:r></w:p>"
    source = _source(body)
    assert """{{ x|default("a & b") ~ '!' ~ "?" }}""" in source
    assert "&quot;Quoted&quot; &amp; " in source, "the document's own text stays XML"
    assert repaired("&quot;{% if a == &quot;b&quot; %}&quot;") == '&quot;{% if a == "b" %}&quot;'


def test_what_cannot_be_repaired_is_named_with_the_tag_and_what_to_type(tmp_path: Path) -> None:
    """AutoCorrect's en dash and ellipsis inside a tag: the check names the paragraph, the tag and
    what the office suite typed, and what to type instead."""
    templates = tmp_path / "templates"
    shutil.copytree(DEFAULT_TEMPLATES, templates)
    path = templates / "part-2.docx"
    with zipfile.ZipFile(path) as package:
        members = {name: package.read(name) for name in package.namelist()}
    xml = members["word/document.xml"].decode("utf-8")
    assert "{{ part2.title }}" in xml
    members["word/document.xml"] = xml.replace("{{ part2.title }}", "{{ part2.title \u2013 1 }}", 1).encode("utf-8")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as package:
        for name, data in members.items():
            package.writestr(name, data)
    report = check_templates(templates)
    (problem,) = report.problems
    assert "syntax error: unexpected char '–'" in str(problem)
    assert "the tag holds an en dash (–), which Word's AutoCorrect types for a hyphen: type '-'" in str(problem)
    assert "{{ part2.title – 1 }}" in str(problem), "the paragraph, with the tag"


def test_a_link_to_a_tag_keeps_its_address(saved_by_libreoffice: Path, tmp_path: Path) -> None:
    """LibreOffice saves the note's HYPERLINK "{{ n.url }}" field as a hyperlink to a relationship,
    which is not rendered: it is made a field again, so each note links to its own address."""
    raw = dict(read_members((saved_by_libreoffice / "mps-report.docx").read_bytes()))
    assert b"%7B%7B%20n.url%20%7D%7D" in raw["word/_rels/document.xml.rels"], "what the repair is for"
    assert b"%7B" not in dict(_members(saved_by_libreoffice / "mps-report.docx"))["word/_rels/document.xml.rels"]
    (report,) = [
        p for p in generate(EXAMPLES / "pcd-1284.yaml", out_dir=tmp_path, templates=saved_by_libreoffice).outputs if "report" in p.name
    ]
    with zipfile.ZipFile(report) as package:
        notes = package.read("word/footnotes.xml").decode("utf-8")
        rels = package.read("word/_rels/document.xml.rels").decode("utf-8")
    assert re.findall(r'HYPERLINK "([^"]+)"', notes) == [
        "https://www.london.gov.uk/programmes-strategies/mayors-office-policing-and-crime/police-and-crime-plan-safer-city-all-londoners",
        "https://www.london.gov.uk/coronavirus/londons-recovery-coronavirus-crisis/anchor-institutions-charter",
    ]
    assert "%7B" not in rels and "n.url" not in rels
