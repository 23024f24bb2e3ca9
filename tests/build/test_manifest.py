"""The manifest's journal: each finished input recorded as it arrives, folded into the manifest
when the batch ends, or by the next batch after a kill; read as untrusted as the manifest."""

from __future__ import annotations

import json
import shutil
from dataclasses import asdict
from pathlib import Path

import pytest

from generator.build.batch import run_batch
from generator.build.batch_results import BatchReport
from generator.build.manifest import JOURNAL, MANIFEST, Manifest
from tests.conftest import EXAMPLE_INPUTS, EXAMPLES, example_documents

_FORM = "pcd-1284/pcd-1284-decision-form.docx"


def _batch(inputs: Path, out: Path) -> BatchReport:
    return run_batch(inputs, out_dir=out, jobs=1)


def test_a_batch_killed_before_its_manifest_is_saved_has_journalled_each_finished_input(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"

    def killed(self: Manifest) -> None:
        raise KeyboardInterrupt

    with monkeypatch.context() as patch:
        patch.setattr(Manifest, "save", killed)
        with pytest.raises(KeyboardInterrupt):
            _batch(EXAMPLES, out)
    assert not (out / MANIFEST).exists()
    lines = (out / JOURNAL).read_bytes().splitlines()
    assert len(lines) == EXAMPLE_INPUTS, "a line per input"
    assert len(Manifest.load(out).entries) == len(example_documents())
    report = _batch(EXAMPLES, out)
    assert (len(report.rendered), len(report.unchanged)) == (0, EXAMPLE_INPUTS), "nothing to render again"
    assert not (out / JOURNAL).exists(), "folded into the manifest"
    assert json.loads((out / MANIFEST).read_text(encoding="utf-8"))["outputs"].keys() == Manifest.load(out).entries.keys()


def test_a_journal_line_cut_short_is_no_record(tmp_path: Path) -> None:
    out = tmp_path / "out"
    _batch(EXAMPLES, out)
    entry = Manifest.load(out).entries[_FORM]
    changed = {**asdict(entry), "sha256": "0" * 64, "stamp": ""}  # an output written since by another render
    whole = json.dumps({_FORM: changed}) + "\n"
    (out / JOURNAL).write_text(whole + json.dumps({_FORM: None})[:-3], encoding="utf-8")
    assert Manifest.load(out).entries[_FORM].sha256 == "0" * 64, "the whole line is applied, the cut one not"
    report = _batch(EXAMPLES, out)
    assert [r.key for r in report.rendered] == ["pcd-1284.yaml"], "the input whose output the journal says is other"
    assert Manifest.load(out).entries[_FORM].sha256 == entry.sha256
    assert not (out / JOURNAL).exists()


@pytest.mark.parametrize(
    "line",
    [
        {"../outside.docx": None},
        {"../../etc/x.docx": {"input": "x", "input_sha256": "x", "generator": "x", "sha256": "x"}},
        {_FORM: {"input": "pcd-1284.yaml", "sha256": ["not", "text"]}},
        ["not", "a", "record"],
    ],
)
def test_a_journal_is_read_as_untrusted_as_the_manifest(tmp_path: Path, line: object) -> None:
    """A name out of the folder is never recorded; an entry not in grantdocs' shape is forgotten,
    so its output is checked again."""
    out = tmp_path / "out"
    _batch(EXAMPLES, out)
    before = Manifest.load(out).entries
    (out / JOURNAL).write_text(json.dumps(line) + "\n", encoding="utf-8")
    after = Manifest.load(out).entries
    assert not [n for n in after if ".." in n]
    assert {n: e for n, e in before.items() if n != _FORM} == {n: e for n, e in after.items() if n != _FORM}
    assert _FORM not in after if isinstance(line, dict) and _FORM in line else after == before


def test_a_journal_that_is_a_link_is_neither_read_nor_written_through(tmp_path: Path) -> None:
    out, elsewhere = tmp_path / "out", tmp_path / "elsewhere.txt"
    _batch(EXAMPLES, out)
    elsewhere.write_text(json.dumps({_FORM: None}) + "\n", encoding="utf-8")
    (out / JOURNAL).symlink_to(elsewhere)
    assert _FORM in Manifest.load(out).entries, "not read through the link"
    inputs = tmp_path / "inputs"
    shutil.copytree(EXAMPLES, inputs)
    with (inputs / "dmpcd-2015-148.yaml").open("a", encoding="utf-8") as source:
        source.write("# edited: its documents are recorded again\n")
    report = _batch(inputs, out)
    assert report.manifest_error is not None and "symbolic link" in report.manifest_error
    assert elsewhere.read_text(encoding="utf-8") == json.dumps({_FORM: None}) + "\n", "nothing written through it"
