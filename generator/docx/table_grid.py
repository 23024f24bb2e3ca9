"""The column grid of rendered tables, put right after a column loop (`{%tc for %}`).

A Word table declares its columns in w:tblGrid; a `{%tc for %}` loop renders as many cells as its
data has, so the grid must then gain or lose columns. This is docxtpl's `fix_tables`, rule for
rule and with the same arithmetic (tests/docx/test_render.py holds the two to the same bytes), done on
the part's tree: docxtpl's takes the part's text and parses it again, and re-serialising a part
whose grids were already right was a third of the time a report with many cost tables took.
Only each table's own text is parsed, within the part's root (which declares the prefixes), and
written back only if its grid changed: the rest of the part, most of it, is never parsed. A part
whose tables cannot be cut out exactly so (a comment or CDATA section, a table written `<w:tbl/>`,
a table whose prefixes an element inside the part declares) is parsed whole, as before.

Only a table holding a block tag can come out of a render with other rows or cells than its
template's: a printed value is escaped, so it cannot add a cell. So when a part is compiled, each
table with a block tag is marked (`mark_tables`), and after each render only the marked tables
are fixed (`fix_marked`), where fix_grids looked through every table of a 100 KB part: the
others' grids were checked once, in the template, and left as they are by every render.
"""

from __future__ import annotations

import re

from lxml import etree

from generator.docx.ooxml import W, first_child

_DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_PARSER = etree.XMLParser(recover=True)  # as docxtpl's fix_tables parses
_STRICT = etree.XMLParser()  # a table cut out of a part: anything it cannot read sends the part to _PARSER whole
_TABLE_TAG = re.compile(r"""<(/?)w:tbl(?=[\s/>])((?:[^>"']|"[^"]*"|'[^']*')*)>""")
# A grid, its columns, a row's and a cell's start, a span, as Word writes them.
_GRID = re.compile(r'<w:tblGrid>((?:<w:gridCol w:w="\d+"/>)*)</w:tblGrid>')
_GRID_COLUMN = re.compile(r'<w:gridCol w:w="(\d+)"/>')
_UNUSUAL = ("<w:sdt", "<w:customXml", "tcPrChange")  # a cell in a content control, a tracked change of a span
_TABLE_START = re.compile(r"<w:tbl(?=[\s/>])")
_ROW = re.compile(r"<w:tr(?=[\s/>])")
_CELL = re.compile(r"<w:tc(?=[\s/>])")
_SPAN = re.compile(r'<w:gridSpan w:val="(-?\d+)"/>')
_ROOT = re.compile(r"""\s*(?:<\?xml(?:[^?]|\?(?!>))*\?>\s*)?<([\w.-]+:)?([\w.-]+)(?=[\s/>])(?:[^>"']|"[^"]*"|'[^']*')*>""")


class MissingGrid(ValueError):
    """A table without the column grid Word writes for every table (w:tblGrid)."""

    @classmethod
    def of(cls, number: int) -> MissingGrid:
        return cls(
            f"table {number} has no column grid (w:tblGrid, which Word writes for every table): "
            "was the template edited outside Word? Recreate the table in Word"
        )


def fix_grids(xml: str) -> str:
    """`xml` with every table's grid matching its widest row, as docxtpl's fix_tables leaves it;
    `xml` itself when no grid needed a change. MissingGrid for a table without a grid."""
    found = _tables(xml)
    if found is None:
        return _fix_whole(xml)
    opening, closing, spans = found
    pieces: list[str] = []
    done = number = 0
    for start, end in spans:
        table = xml[start:end]
        fixed = _fixed_as_written(table, number + 1)
        if fixed is not None:
            number += 1
        else:  # a table too unusual to fix as text: as a tree
            try:
                root = etree.fromstring((opening + table + closing).encode("utf-8"), _STRICT)
            except etree.XMLSyntaxError:  # a prefix declared inside the part, not on its root
                return _fix_whole(xml)
            changed, number = _fix_tables_in(root, number)
            if not changed:
                continue
            written = etree.tostring(root, encoding="unicode")
            fixed = written[written.index(">") + 1 : written.rindex("</")]  # the table, not the root around it
        if fixed != table:
            pieces += [xml[done:start], fixed]
            done = end
    return "".join(pieces) + xml[done:] if pieces else xml


# Put before each table `mark_tables` marks, and taken out again by `fix_marked`. A rendered part
# cannot hold it otherwise: XML has no place for the character, and the reader refuses every value
# that holds one (generator.domain.common.base.unholdable); fix_marked checks each all the same.
MARK = "\x00"
_TABLE_IN_TAG = re.compile(r"\{[{%#](?:(?![}%#]\}).)*</?w:tbl", re.DOTALL)  # a tag naming a table: the text cannot be cut by tables


def mark_tables(source: str) -> str | None:
    """The template `source` of a part with each table that holds a block tag (`{% %}`) marked
    for `fix_marked`, when every other table's grid is right as the template writes it (what
    _fixed_as_written finds there); None when not, or when the part's tables cannot be cut out
    (then fix_grids fixes every render's part whole)."""
    found = _tables(source) if _TABLE_IN_TAG.search(source) is None else None
    if found is None:
        return None
    pieces: list[str] = []
    done = 0
    for number, (start, end) in enumerate(found[2], start=1):
        table = source[start:end]
        if "{%" in table:
            pieces += [source[done:start], MARK]
            done = start
            continue
        try:
            if _fixed_as_written(table, number) != table:  # a grid every render would fix, or not as written
                return None
        except MissingGrid:  # said by fix_grids as the part renders, naming the table by its place
            return None
    return "".join(pieces) + source[done:]


def fix_marked(xml: str) -> str:
    """A part rendered from `mark_tables`' source, its marks taken out and each marked table's
    grid fixed as fix_grids fixes it; a table it cannot fix on its own text (a table inside it,
    a grid written otherwise, none at all) has the whole part fixed by fix_grids, as before."""
    pieces: list[str] = []
    done = 0
    at = xml.find(MARK)
    while at != -1:
        start = at + 1
        end = _table_end(xml, start)
        try:
            fixed = _fixed_as_written(xml[start:end], 0) if end != -1 else None
        except MissingGrid:
            fixed = None
        if fixed is None:
            # Only the marks are taken out: any other such character is left for the checks of
            # the part to refuse, as they would without marks.
            return fix_grids(xml.replace(MARK + "<w:tbl", "<w:tbl"))
        pieces += [xml[done:at], fixed]
        done = end
        at = xml.find(MARK, end)
    return "".join(pieces) + xml[done:] if pieces else xml


def _table_end(xml: str, start: int) -> int:
    """Where the table starting at `start` with `<w:tbl>` ends, after the first table end tag: the
    table's own unless another is inside it (which _fixed_as_written then finds in its text); -1
    if no table starts there."""
    end = xml.find("</w:tbl>", start) if xml.startswith("<w:tbl>", start) else -1
    return end + len("</w:tbl>") if end != -1 else -1


def _tables(xml: str) -> tuple[str, str, list[tuple[int, int]]] | None:
    """The part's root start tag, its end tag, and where each outermost table is (tables inside
    it are fixed with it); None when the part is not written plainly enough to cut them out."""
    root = _ROOT.match(xml)
    if root is None or "<!" in xml:
        return None
    # Tags found by str.find, several times faster over a long part than a regex: most "<w:tbl"
    # are w:tblPr, w:tblW and the like, told apart by the character after the name.
    events: list[tuple[int, int]] = []  # (where, +1 for a table's start tag, -1 for its end tag)
    at = xml.find("<w:tbl", root.end())
    while at != -1:
        after = xml[at + 6 : at + 7]
        if after == ">":
            events.append((at, 1))
        elif after.isspace() or after == "/":  # attributes, or <w:tbl/>: read the whole tag
            tag = _TABLE_TAG.match(xml, at)
            if tag is None or tag.group(2).endswith("/"):  # <w:tbl/>: no grid, which the whole part's fix says
                return None
            events.append((at, 1))
        at = xml.find("<w:tbl", at + 6)
    at = xml.find("</w:tbl>", root.end())
    while at != -1:
        events.append((at, -1))
        at = xml.find("</w:tbl>", at + 8)
    spans: list[tuple[int, int]] = []
    depth = start = 0
    for at, step in sorted(events):
        if depth == 0:
            if step < 0:
                return None
            start = at
        depth += step
        if depth == 0:
            spans.append((start, at + 8))
    return (xml[: root.end()], f"</{root.group(1) or ''}{root.group(2)}>", spans) if depth == 0 else None


def _fixed_as_written(table: str, number: int) -> str | None:
    """The table (its text, a table with none inside it) with its grid fixed, found and written as
    the tree's fix would; None when it is not written plainly enough for that: anything but
    `<w:gridCol w:w="…"/>` in its grid, a span written otherwise, or anything that could hold a
    cell between a row and its cells."""
    if len(_TABLE_START.findall(table)) != 1 or table.count("<w:tblGrid") > 1 or any(unusual in table for unusual in _UNUSUAL):
        return None
    grid = _GRID.search(table)
    if grid is None:
        if "<w:tblGrid" in table:
            return None
        raise MissingGrid.of(number)
    cells: list[int] = []
    spans: list[int] = []
    rows = _ROW.split(table[grid.end() :])[1:]  # each row's text, up to the next row
    for row in rows:
        # A cell's properties hold one span at most (Word's schema; a tracked change's, which
        # would be a second, sends the table to the tree above).
        written = _SPAN.findall(row)
        if row.count("gridSpan") != len(written):  # a span written otherwise
            return None
        count = len(_CELL.findall(row))
        cells.append(count)
        spans.append(count - len(written) + sum(map(int, written)))
    widths = _regrid(_GRID_COLUMN.findall(grid.group(1)), cells, spans)
    if widths is None:
        return table
    columns = "".join(f'<w:gridCol w:w="{width}"/>' for width in widths)
    return f"{table[: grid.start()]}<w:tblGrid>{columns}</w:tblGrid>{table[grid.end() :]}"


def _fix_whole(xml: str) -> str:
    root = etree.fromstring(xml.encode("utf-8"), _PARSER)
    changed, _ = _fix_tables_in(root, 0)
    return _DECLARATION + etree.tostring(root, encoding="unicode") if changed else xml


def _fix_tables_in(root: etree._Element, number: int) -> tuple[bool, int]:
    """Fix the grid of each table in `root` (itself too), numbering them on from `number`:
    whether any changed, and the last number."""
    w = "{%s}" % (root.nsmap.get("w") or W)
    changed = False
    for table in root.iter(f"{w}tbl"):
        number += 1
        grid = first_child(table, f"{w}tblGrid")
        if grid is None:
            raise MissingGrid.of(number)
        changed |= _fix_grid(table, grid, w)
    return changed, number


def _fix_grid(table: etree._Element, grid: etree._Element, w: str) -> bool:
    """docxtpl's two passes over one table (see _regrid). Rows of nested tables count too, as in
    docxtpl. Whether the grid changed."""
    columns = list(grid.iterchildren(f"{w}gridCol"))
    tc, tags = f"{w}tc", (f"{w}tcPr", f"{w}gridSpan", f"{w}val")
    rows = [list(row.iterchildren(tc)) for row in table.iter(f"{w}tr")]
    widths = _regrid(
        [c.get(f"{w}w") for c in columns], [len(cells) for cells in rows], [sum(_span(c, *tags) for c in cells) for cells in rows]
    )
    if widths is None:
        return False
    for column in columns[len(widths) :]:
        grid.remove(column)
    for column, width in zip(columns, widths, strict=False):
        column.set(f"{w}w", width)
    for width in widths[len(columns) :]:
        etree.SubElement(grid, f"{w}gridCol", {f"{w}w": width})
    return True


def _regrid(widths: list[str | None], cells: list[int], spans: list[int]) -> list[str] | None:
    """The grid's column widths after docxtpl's two passes, or None if they leave it as it is:
    widen the grid to the row with most `cells` (scaling the widths to the same total), then
    drop the columns no row's `spans` reach (sharing out their width). A width missing where the
    arithmetic needs it fails as docxtpl's float(None) does, saying which."""
    columns: list[str | None] = list(widths)
    changed = False
    to_add = max(cells, default=0) - len(columns)
    if to_add > 0:
        width = sum(float(value) for value in columns if value is not None)
        if width > 0:
            old_average = width / len(columns)
            new_average = width / (len(columns) + to_add)
            columns = [*(str(int(float(_width(c)) * new_average / old_average)) for c in columns), *[str(int(new_average))] * to_add]
            changed = True
    to_remove = len(columns) - max(spans, default=0)
    if to_remove > 0:
        removed = 0.0
        for c in columns[-to_remove:]:
            removed += float(_width(c))
        left = columns[:-to_remove]
        extra = int(removed / len(left)) if left else 0
        columns = [*(str(int(float(_width(c)) + extra)) for c in left)]
        changed = True
    return [_width(c) for c in columns] if changed else None


def _width(value: str | None) -> str:
    if value is None:
        raise TypeError("w:gridCol has no w:w attribute")
    return value


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
