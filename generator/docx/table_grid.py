"""The column grid of rendered tables, put right after a column loop (`{%tc for %}`).

A Word table declares its columns in w:tblGrid; a `{%tc for %}` loop renders as many cells as its
data has, so the grid must then gain or lose columns. This is docxtpl's `fix_tables`, rule for
rule and with the same arithmetic (tests/docx/test_render.py holds the two to the same bytes), done on
the part's tree: docxtpl's takes the part's text and parses it again, and re-serialising a part
whose grids were already right was a third of the time a report with many cost tables took.
"""

from __future__ import annotations

from lxml import etree

from generator.docx.ooxml import W, first_child

_DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_PARSER = etree.XMLParser(recover=True)  # as docxtpl's fix_tables parses


class MissingGrid(ValueError):
    """A table without the column grid Word writes for every table (w:tblGrid)."""


def fix_grids(xml: str) -> str:
    """`xml` with every table's grid matching its widest row, as docxtpl's fix_tables leaves it;
    `xml` itself when no grid needed a change. MissingGrid for a table without a grid."""
    root = etree.fromstring(xml.encode("utf-8"), _PARSER)
    w = "{%s}" % (root.nsmap.get("w") or W)
    changed = False
    for number, table in enumerate(root.iter(f"{w}tbl"), start=1):
        grid = first_child(table, f"{w}tblGrid")
        if grid is None:
            raise MissingGrid(
                f"table {number} has no column grid (w:tblGrid, which Word writes for every table): "
                "was the template edited outside Word? Recreate the table in Word"
            )
        changed |= _fix_grid(table, grid, w)
    return _DECLARATION + etree.tostring(root, encoding="unicode") if changed else xml


def _fix_grid(table: etree._Element, grid: etree._Element, w: str) -> bool:
    """docxtpl's two passes over one table: widen the grid to the row with most cells (scaling
    the widths to the same total), then drop the columns no row spans (sharing out their width).
    Rows of nested tables count too, as in docxtpl. Whether the grid changed."""
    columns = list(grid.iterchildren(f"{w}gridCol"))
    tc = f"{w}tc"
    rows = [list(row.iterchildren(tc)) for row in table.iter(f"{w}tr")]
    changed = False
    to_add = max((len(cells) for cells in rows), default=0) - len(columns)
    if to_add > 0:
        width = sum(float(value) for value in (c.get(f"{w}w") for c in columns) if value is not None)
        if width > 0:
            old_average = width / len(columns)
            new_average = width / (len(columns) + to_add)
            for c in columns:
                c.set(f"{w}w", str(int(float(_attribute(c, f"{w}w")) * new_average / old_average)))
            for _ in range(to_add):
                etree.SubElement(grid, f"{w}gridCol", {f"{w}w": str(int(new_average))})
            changed = True
    columns = list(grid.iterchildren(f"{w}gridCol"))
    tags = f"{w}tcPr", f"{w}gridSpan", f"{w}val"
    to_remove = len(columns) - max((sum(_span(cell, *tags) for cell in cells) for cells in rows), default=0)
    if to_remove > 0:
        removed = 0.0
        for c in columns[-to_remove:]:
            removed += float(_attribute(c, f"{w}w"))
            grid.remove(c)
        left = list(grid.iterchildren(f"{w}gridCol"))
        extra = int(removed / len(left)) if left else 0
        for c in left:
            c.set(f"{w}w", str(int(float(_attribute(c, f"{w}w")) + extra)))
        changed = True
    return changed


def _span(cell: etree._Element, tc_pr: str, grid_span: str, val: str) -> int:
    properties = first_child(cell, tc_pr)
    span = first_child(properties, grid_span) if properties is not None else None
    return int(_attribute(span, val)) if span is not None else 1


def _attribute(element: etree._Element, attribute: str) -> str:
    """`attribute` of `element`, which the arithmetic needs. Missing, it fails with the TypeError
    docxtpl's fix_tables meets there (float(None), int(None)), saying which attribute it is."""
    value = element.get(attribute)
    if value is None:
        raise TypeError(f"w:{etree.QName(element).localname} has no w:{etree.QName(attribute).localname} attribute")
    return value
