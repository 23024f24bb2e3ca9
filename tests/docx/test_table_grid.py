"""Grids fixed on each table's text (generator.docx.table_grid) give the XML the whole part's
tree gives, on every part grantdocs renders with a column loop."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from generator.build.generate import render_input
from generator.docx import render as render_module
from generator.docx import table_grid
from tests.conftest import EXAMPLES


def _canonical(xml: str) -> bytes:
    return etree.tostring(etree.fromstring(xml.encode("utf-8")), method="c14n")


def test_grids_fixed_as_text_are_the_grids_the_tree_fixes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    looped: list[str] = []
    fix = table_grid.fix_grids

    def recorded(xml: str) -> str:
        looped.append(xml)
        return fix(xml)

    monkeypatch.setattr(render_module, "fix_grids", recorded)
    as_text = []
    monkeypatch.setattr(table_grid, "_fix_whole", lambda xml: pytest.fail("a rendered part was fixed whole"))
    for source in sorted(EXAMPLES.glob("*.yaml")):
        render_input(source, out_dir=tmp_path)
    assert len(looped) >= 5
    monkeypatch.undo()
    for xml in looped:
        fixed = table_grid.fix_grids(xml)
        as_text.append(fixed != xml)
        assert _canonical(fixed) == _canonical(table_grid._fix_whole(xml))
    assert any(as_text)  # some grids changed, each as the tree changes it
