"""A manifest entry written as JSON exactly as json.dumps would write it, read back untrusted, and
what entries repeat held once."""

from __future__ import annotations

import json
from dataclasses import asdict, replace
from typing import Any

import pytest

from generator.build.manifest_entry import Entry, EntryReader, Shared, encoded

_SHA = "a" * 64
_FORM = Entry("pcd-1.yaml", "1" * 64, {"dmpc-decision-2022.docx": _SHA}, "0.1+abc", "2" * 64, ["pcd-1/pcd-1-decision-form.docx"])


@pytest.mark.parametrize(
    "entry",
    [
        _FORM,
        Entry("x.yaml", "", {}, "", "", []),
        Entry(
            'odd "name"\\/\t.yaml',
            "3" * 64,
            {"z.docx": "1", "a.docx": "2", "sub/ü.docx": "3"},
            "g",
            "4" * 64,
            ["odd/é 😀.docx", "confidential:odd/odd-part-2.docx"],
            input_stamp="120:1:2:3",
            stamp="5:6:7:8",
        ),
        Entry("\udcff.yaml", "5", {"t\x00.docx": "\u2028"}, "g", "6", ["\x7f"]),  # a name that is not UTF-8, control characters
    ],
)
def test_an_entry_is_written_as_json_dumps_writes_it(entry: Entry) -> None:
    assert encoded(entry) == json.dumps(asdict(entry), sort_keys=True)
    assert EntryReader(Shared()).read(json.loads(encoded(entry))) == entry


@pytest.mark.parametrize(
    "change",
    [
        {"templates": {"t.docx": ["a list"]}},
        {"templates": {"t.docx": 1}},
        {"templates": ["t.docx"]},
        {"siblings": ["a.docx", 2]},
        {"siblings": "a.docx"},
        {"stamp": 5},
        {"input_stamp": None},
        {"sha256": {"x": 1}},
        {"unknown": "x"},
    ],
)
def test_an_entry_not_in_grantdocs_shape_is_left_out(change: dict[str, Any]) -> None:
    raw = {**asdict(_FORM), **change}
    assert EntryReader(Shared()).read(raw) is None


@pytest.mark.parametrize("missing", ["input", "input_sha256", "generator", "sha256"])
def test_an_entry_without_what_it_was_made_from_is_left_out(missing: str) -> None:
    raw = asdict(_FORM)
    del raw[missing]
    assert EntryReader(Shared()).read(raw) is None


def test_what_entries_repeat_is_read_into_one_object() -> None:
    """The generator and templates of every input, and what an input's outputs share, each held once."""
    reader = EntryReader(Shared())
    siblings = ["pcd-1/pcd-1-decision-form.docx", "pcd-1/pcd-1-grant-agreement.docx"]
    a = reader.read(json.loads(json.dumps({**asdict(_FORM), "siblings": siblings, "input_stamp": "9:9:9:9"})))
    b = reader.read(json.loads(json.dumps({**asdict(_FORM), "siblings": siblings, "input_stamp": "9:9:9:9", "sha256": "7" * 64})))
    other = reader.read(json.loads(json.dumps({**asdict(_FORM), "input": "pcd-2.yaml", "siblings": ["pcd-2/pcd-2-decision-form.docx"]})))
    assert a is not None and b is not None and other is not None
    assert a.siblings is b.siblings and a.input is b.input and a.input_stamp is b.input_stamp
    assert a.templates is other.templates and a.generator is other.generator
    assert other.siblings == ["pcd-2/pcd-2-decision-form.docx"] and other.input == "pcd-2.yaml"


def test_a_workers_entry_takes_the_shared_generator_and_templates() -> None:
    shared = Shared()
    first = shared.entry(_FORM)
    copy = Entry(
        "pcd-2.yaml", "8" * 64, dict(_FORM.templates), str(_FORM.generator + " ")[:-1], "9" * 64, ["pcd-2/pcd-2-decision-form.docx"]
    )
    assert copy.generator is not first.generator and copy.templates is not first.templates
    second = shared.entry(copy)
    assert second == copy and second.generator is first.generator and second.templates is first.templates


def test_shared_templates_are_written_as_any_others() -> None:
    """Their JSON is made once and reused; a dict the manifest does not hold is written afresh."""
    shared = Shared()
    entry = shared.entry(_FORM)
    assert encoded(entry, shared) == encoded(entry, shared) == json.dumps(asdict(entry), sort_keys=True)
    other = replace(_FORM, templates={"mps-report.docx": "b" * 64})
    assert encoded(other, shared) == json.dumps(asdict(other), sort_keys=True)
    assert encoded(entry, shared) == json.dumps(asdict(entry), sort_keys=True)
