"""Grids fixed on each table's text (generator.docx.table_grid) give the XML the whole part's
tree gives, on every part grantdocs renders with a column loop; and fixing only the tables a
template marks gives what fixing every table gives."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from generator.build.generate import render_input
from generator.docx import render as render_module
from generator.docx import table_grid
from generator.docx.ooxml import W
from tests.conftest import EXAMPLES


def _canonical(xml: str) -> bytes:
    return etree.tostring(etree.fromstring(xml.encode("utf-8")), method="c14n")


def _looped_parts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, Any]]:
    """Every part the examples render with a column loop, as the render leaves it (marks and
    all), with what puts its grids right."""
    looped: list[tuple[str, Any]] = []
    finish = render_module._finish_xml

    def recorded(xml: str, **options: Any) -> bytes:
        if options["grids"] is not None:
            looped.append((xml, options["grids"]))
        return finish(xml, **options)

    monkeypatch.setattr(render_module, "_finish_xml", recorded)
    monkeypatch.setattr(table_grid, "_fix_whole", lambda xml: pytest.fail("a rendered part was fixed whole"))
    for source in sorted(EXAMPLES.glob("*.yaml")):
        render_input(source, out_dir=tmp_path)
    assert len(looped) >= 5
    monkeypatch.undo()
    return looped


def test_grids_fixed_as_text_are_the_grids_the_tree_fixes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    as_text = []
    for marked, _ in _looped_parts(tmp_path, monkeypatch):
        xml = marked.replace(table_grid.MARK, "")
        fixed = table_grid.fix_grids(xml)
        as_text.append(fixed != xml)
        assert _canonical(fixed) == _canonical(table_grid._fix_whole(xml))
    assert any(as_text)  # some grids changed, each as the tree changes it


def test_fixing_the_marked_tables_fixes_every_table(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    parts = _looped_parts(tmp_path, monkeypatch)
    assert all(grids is table_grid.fix_marked for _, grids in parts)  # every template's looped tables are marked
    assert sum(xml.count(table_grid.MARK) for xml, _ in parts) >= 5
    for marked, _ in parts:
        assert table_grid.fix_marked(marked) == table_grid.fix_grids(marked.replace(table_grid.MARK, ""))


_PART = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document xmlns:w="{w}"><w:body>{body}</w:body></w:document>'


def _part(*tables: str) -> str:
    return _PART.format(w=W, body="<w:p/>".join(tables))


def _table(grid: int, *rows: str) -> str:
    columns = "".join('<w:gridCol w:w="1000"/>' for _ in range(grid))
    return f"<w:tbl><w:tblPr/><w:tblGrid>{columns}</w:tblGrid>{''.join(rows)}</w:tbl>"


def _row(cells: int) -> str:
    return "<w:tr>" + "<w:tc><w:p/></w:tc>" * cells + "</w:tr>"


def test_a_table_with_a_block_tag_is_marked_and_fixed_after_the_render() -> None:
    looped = _table(2, "<w:tr>{% for c in cells %}<w:tc><w:p/></w:tc>{% endfor %}</w:tr>")
    still = _table(2, _row(2), _row(2))
    source = table_grid.mark_tables(_part(still, looped))
    assert source is not None and source.count(table_grid.MARK) == 1
    assert source.replace(table_grid.MARK, "") == _part(still, looped)
    rendered = source.replace("{% for c in cells %}<w:tc><w:p/></w:tc>{% endfor %}", "<w:tc><w:p/></w:tc>" * 4)
    fixed = table_grid.fix_marked(rendered)
    assert table_grid.MARK not in fixed
    assert fixed == table_grid.fix_grids(rendered.replace(table_grid.MARK, ""))
    assert fixed.count("<w:gridCol ") == 2 + 4  # the looped table widened to its four cells, the other as it was


@pytest.mark.parametrize(
    "tables",
    [
        (_table(3, _row(2)),),  # a grid every render would fix: fixed whole each time, as before
        ("<w:tbl><w:tblPr/><w:tr><w:tc><w:p/></w:tc></w:tr></w:tbl>",),  # no grid: fix_grids says so as it renders
        (_table(1, _row(1)), '<w:p><w:r><w:t>{{ "</w:tbl>" }}</w:t></w:r></w:p>'),  # a tag naming a table
    ],
)
def test_a_part_whose_tables_cannot_be_told_apart_is_not_marked(tables: tuple[str, ...]) -> None:
    assert table_grid.mark_tables(_part(*tables)) is None


@pytest.mark.parametrize(
    "rendered",
    [
        _part(table_grid.MARK + "<w:p/>", _table(1, _row(2))),  # a mark before no table: left for the checks to refuse
        _part(table_grid.MARK + _table(1, "<w:tr><w:tc>" + _table(1, _row(1)) + "<w:p/></w:tc></w:tr>")),  # a table inside
        _part(table_grid.MARK + "<w:tbl><w:tblPr/>" + _row(2) + "</w:tbl>"),  # no grid
    ],
)
def test_a_marked_table_not_fixed_on_its_own_has_the_part_fixed_whole(rendered: str) -> None:
    unmarked = rendered.replace(table_grid.MARK + "<w:tbl", "<w:tbl")  # the marks taken out, any other such character kept
    try:
        expected: str | type[Exception] = table_grid.fix_grids(unmarked)
    except table_grid.MissingGrid:
        expected = table_grid.MissingGrid
    if expected is table_grid.MissingGrid:
        with pytest.raises(table_grid.MissingGrid):
            table_grid.fix_marked(rendered)
    else:
        assert table_grid.fix_marked(rendered) == expected
