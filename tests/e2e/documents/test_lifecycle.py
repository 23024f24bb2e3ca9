"""A decision's documents say where it is in its life: DRAFT beside the protective marking on
every page and in the properties until the Deputy Mayor signs, and the agreement speaks of the
approval as asked for until then, as given after."""

from __future__ import annotations

from pathlib import Path

import pytest
from docx import Document

from generator.build.generate import generate
from generator.docx.read import document_lines
from generator.domain.lifecycle.status import Stage, status_of
from generator.inputs.load import load_decision
from tests.conftest import FIXTURES, WriteInput

AGREEMENT = (FIXTURES / "inputs" / "agreement.yaml").read_text(encoding="utf-8")
SIGNED = "  dmpc:\n    date: 2023-05-10\n"
APPROVED = "  officer_approval:\n    date: 2023-05-01\n"
PUBLISHED = "  publication:\n    defer_part_1: no\n    published: 2023-05-11\n"
DEFERRED = "  publication:\n    defer_part_1: yes\n    deferral_reason: The contract is not yet let.\n    deferred_until: 2023-09-01\n"


CASES = {
    Stage.DRAFT: AGREEMENT.replace(SIGNED, "").replace(APPROVED, ""),
    Stage.APPROVED: AGREEMENT.replace(SIGNED, ""),
    Stage.PUBLISHED: AGREEMENT.replace(APPROVED, APPROVED + PUBLISHED),
    Stage.DEFERRED: AGREEMENT.replace(APPROVED, APPROVED + DEFERRED),
}


@pytest.mark.parametrize("stage", list(CASES))
def test_each_stage_renders_with_its_markings(stage: Stage, write_input: WriteInput, tmp_path: Path) -> None:
    assert SIGNED in AGREEMENT and APPROVED in AGREEMENT
    source = write_input(CASES[stage])
    assert status_of(load_decision(source)).stage is stage
    outputs = generate(source, out_dir=tmp_path).outputs
    kinds = ("decision-form", "decision-pack", "grant-agreement", "supporting-report")
    assert sorted(p.name.removeprefix("decision-").removesuffix(".docx") for p in outputs) == list(kinds)
    draft = stage in (Stage.DRAFT, Stage.APPROVED)
    for path in outputs:
        lines = document_lines(path)
        markings = [line for line in lines if line.startswith(("<header", "<footer")) and "PUBLIC" in line]
        assert markings, path.name
        expected = "DRAFT – OFFICIAL – PUBLIC" if draft else "OFFICIAL – PUBLIC"
        assert {line.split("> ", 1)[1] for line in markings} == {expected}, path.name
        # Read by python-docx after docxcompose has composed the pack (see generator/docx/compose.py).
        properties = Document(str(path)).core_properties
        assert properties.content_status == ("Draft" if draft else ""), path.name
        assert properties.title.startswith("Draft: ") is draft, path.name
    (agreement,) = [p for p in outputs if p.name.endswith("grant-agreement.docx")]
    text = "\n".join(document_lines(agreement))
    if draft:
        assert "Deputy Mayor for Policing and Crime is asked to approve its acceptance by decision PCD 1300." in text
        assert "| For approval by | Deputy Mayor for Policing and Crime decision PCD 1300 |" in text
        assert "has approved" not in text
    else:
        assert "Deputy Mayor for Policing and Crime has approved its acceptance by decision PCD 1300." in text
        assert "| Approved by | Deputy Mayor for Policing and Crime decision PCD 1300 |" in text
