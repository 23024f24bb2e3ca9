"""What a Word template prints for a cost table: formatted rows, headings and rounding notes.

A `Grid` holds each cell's exact value, computes every total from the exact values of the rows
it adds up, and only then rounds for display; where the rounded figures shown do not add up to
the rounded totals shown, the table carries a note saying so instead of a false sum.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal

from generator.domain.common.money import PENNY, millions, pounds, to_millions
from generator.domain.common.text import TextTable

Unit = Literal["£m", "£"]
RowKind = Literal["heading", "item", "subtotal", "total"]
Cells = tuple[Decimal | None, ...]

_STEP = {"£m": "£0.001m", "£": "penny"}


def rounded(value: Decimal, unit: Unit) -> Decimal:
    """The figure as displayed, half up: £m to 3 places, or pounds to the penny; never -0."""
    shown = to_millions(value) if unit == "£m" else value.quantize(PENNY, rounding=ROUND_HALF_UP)
    return abs(shown) if shown == 0 else shown


def table_amount(value: Decimal, unit: Unit) -> str:
    """A table cell: '0.199' in a £m table (the heading carries the unit), '£450,000.00' in a £ one."""
    return shown_amount(rounded(value, unit), unit)


def shown_amount(shown: Decimal, unit: Unit) -> str:
    """A table cell for a figure already rounded as displayed (`rounded`)."""
    if unit == "£m":
        return f"{shown:,f}"
    return f"-{pounds(-shown)}" if shown < 0 else pounds(shown)


def prose_amount(value: Decimal, unit: Unit) -> str:
    """An amount named in text: '£1.000m' or '£220,000.00'."""
    return millions(value) if unit == "£m" else pounds(value)


def unit_suffix(unit: Unit) -> str:
    """What a column heading adds for the unit: ' £m', or nothing when cells carry the £ sign."""
    return " £m" if unit == "£m" else ""


def format_fte(value: Decimal) -> str:
    """FTE exactly as given, without trailing zeros: 3, 0.5, 2.25."""
    return format(value.normalize(), "f")


def rounding_step(unit: Unit) -> str:
    """How finely a unit's figures are shown, for notes: '£0.001m' or 'penny'."""
    return _STEP[unit]


def list_columns(headings: list[str]) -> str:
    """“A”, “A” and “B”, “A”, “B” and “C”: column names for a note."""
    quoted = [f"“{h}”" for h in headings]
    return quoted[0] if len(quoted) == 1 else f"{', '.join(quoted[:-1])} and {quoted[-1]}"


def rounding_note(*, title: str, unit: Unit, headings: list[str]) -> str:
    """The note for a table whose rounded figures do not add up to the totals shown."""
    column = "column" if len(headings) == 1 else "columns"
    return (
        f"In the {title} table, figures are rounded to the nearest {rounding_step(unit)} and every total "
        f"is calculated from the exact amounts, so some rounded figures do not add up to the totals shown "
        f"in the {list_columns(headings)} {column}."
    )


@dataclass(frozen=True, kw_only=True)
class DisplayRow:
    """One table row: its first-column label, the other cells formatted, and its kind."""

    label: str
    cells: tuple[str, ...]
    kind: RowKind

    @property
    def bold(self) -> bool:
        """Headings and totals are set in bold."""
        return self.kind != "item"

    @property
    def cell_lines(self) -> tuple[tuple[CellLine, ...], ...]:
        """Each cell split into its lines, for cells listing several items (funding sources)."""
        return tuple(tuple(CellLine(line) for line in cell.split("\n")) for cell in self.cells)


@dataclass(frozen=True)
class CellLine:
    """One line of a table cell, as its own paragraph: a figure is set right-aligned."""

    text: str

    @property
    def figure(self) -> bool:
        """An amount or a count: only digits once "£", "-", "," and "." are set aside ("-£1,234.50", "0.199", "4")."""
        return self.text.replace(",", "").replace(".", "").lstrip("-£").isdigit()


@dataclass(frozen=True, kw_only=True)
class TableView:
    """A table ready for a template: `header` names every column, each row has one cell per column after the label."""

    title: str
    header: tuple[str, ...]
    rows: tuple[DisplayRow, ...]
    notes: tuple[str, ...] = ()
    caption: str | None = None


@dataclass(frozen=True)
class Column:
    """A column after the label column; money columns are rounded for display, FTE columns are exact."""

    heading: str
    money: bool = True


@dataclass
class _Row:
    label: str
    kind: RowKind
    values: Cells
    parts: tuple[tuple[int, int], ...] = ()


@dataclass(kw_only=True)
class Grid:
    """Rows of exact values; totals are signed sums of earlier rows, computed here and nowhere else.

    `across` makes one column of every row the sum of others in that row (Grand Total = Total cost
    + Match funded; Total = the years); `product` is (total, annual, FTE) columns for a note when the
    rounded annual cost × FTE differs from the total shown.
    """

    title: str
    unit: Unit
    label_heading: str
    columns: list[Column]
    across: tuple[int, tuple[int, ...]] | None = None
    product: tuple[int, int, int] | None = None
    rows: list[_Row] = field(default_factory=list)

    def heading(self, label: str) -> int:
        """A heading row (a team name): label only, every cell blank."""
        return self._add(_Row(label, "heading", (None,) * len(self.columns)))

    def item(self, label: str, values: Cells) -> int:
        """A row of given values; the `across` cell is computed when the row has any of its sources."""
        if len(values) != len(self.columns):
            raise ValueError(f"{label!r}: {len(values)} values for {len(self.columns)} columns")
        return self._add(_Row(label, "item", self._with_across(values)))

    def total(self, label: str, *, kind: RowKind, parts: list[tuple[int, int]], columns: list[int]) -> int:
        """A row whose `columns` are the signed sum of `parts` (row index, +1 or -1), exactly."""
        values: list[Decimal | None] = [None] * len(self.columns)
        for col in columns:
            values[col] = sum((sign * (self.rows[i].values[col] or Decimal(0)) for i, sign in parts), Decimal(0))
        return self._add(_Row(label, kind, tuple(values), tuple(parts)))

    def view(self, *, caption: str | None = None) -> TableView:
        """The rows formatted in the grid's unit, with a note for every kind of rounding mismatch."""
        # Every cell rounded once, as displayed (blank as 0): the cells print it, and the notes add
        # it up, where each row's figure is used again by every total that counts it.
        unit, zero = self.unit, Decimal(0)
        shown = [tuple(zero if v is None else rounded(v, unit) for v in r.values) for r in self.rows]
        return TableView(
            title=self.title,
            header=(self.label_heading, *(c.heading for c in self.columns)),
            rows=tuple(
                DisplayRow(label=r.label, cells=self._cells(r.values, row), kind=r.kind) for r, row in zip(self.rows, shown, strict=True)
            ),
            notes=tuple(self._notes(shown)),
            caption=caption,
        )

    def _add(self, row: _Row) -> int:
        self.rows.append(row)
        return len(self.rows) - 1

    def _with_across(self, values: Cells) -> Cells:
        if self.across is None:
            return values
        target, sources = self.across
        given = [v for v in (values[s] for s in sources) if v is not None]
        if values[target] is not None or not given:
            return values
        return tuple(sum(given, Decimal(0)) if i == target else v for i, v in enumerate(values))

    def _cells(self, values: Cells, shown: tuple[Decimal, ...]) -> tuple[str, ...]:
        """A row's cells as printed: money as rounded (`shown`), FTE exactly, a blank as nothing."""
        unit = self.unit
        return tuple(
            "" if value is None else shown_amount(figure, unit) if column.money else format_fte(value)
            for value, figure, column in zip(values, shown, self.columns, strict=False)
        )

    def _unequal_columns(self, shown: list[tuple[Decimal, ...]]) -> set[int]:
        """Money columns where a total shown differs from the sum of the rounded figures it adds up
        (`shown`: each row's cells rounded as displayed)."""
        unequal: set[int] = set()
        for r, row in enumerate(self.rows):
            for col, value in enumerate(row.values):
                if value is None or not self.columns[col].money or col in unequal:  # a column is noted once
                    continue
                if row.parts:
                    total = sum((sign * shown[i][col] for i, sign in row.parts), Decimal(0))
                    if total != shown[r][col]:
                        unequal.add(col)
                if self.across is not None and col == self.across[0]:
                    sources = self.across[1]
                    if any(row.values[s] is not None for s in sources) and sum((shown[r][s] for s in sources), Decimal(0)) != shown[r][col]:
                        unequal.add(col)
        return unequal

    def _product_differs(self, shown: list[tuple[Decimal, ...]]) -> bool:
        if self.product is None:
            return False
        total, annual, fte = self.product
        places = Decimal("0.001") if self.unit == "£m" else PENNY
        for row, rounded_row in zip(self.rows, shown, strict=True):
            t, a, f = row.values[total], row.values[annual], row.values[fte]
            if row.kind != "item" or t is None or a is None or f is None:
                continue
            if (rounded_row[annual] * f).quantize(places, rounding=ROUND_HALF_UP) != rounded_row[total]:
                return True
        return False

    def _notes(self, shown: list[tuple[Decimal, ...]]) -> list[str]:
        notes = []
        unequal = self._unequal_columns(shown)
        if unequal:
            headings = [self.columns[c].heading for c in sorted(unequal)]
            notes.append(rounding_note(title=self.title, unit=self.unit, headings=headings))
        if self._product_differs(shown):
            notes.append(
                f"In the {self.title} table, annual costs are rounded to the nearest {rounding_step(self.unit)}; "
                "each total cost is the exact annual cost × FTE, so it can differ from the rounded annual cost × FTE."
            )
        return notes


def words_table(table: TextTable) -> TableView:
    """A table of words printed as a cost table is: header row, then each row's label and cells,
    its money cells in the cost tables' style (£300,000.00) and its total row, added up, in bold."""

    def cell(r: int, c: int, text: str) -> str:
        value = table.sums.get((r, c))
        return text if value is None else table_amount(value, "£")

    rows = [
        DisplayRow(label=row[0], cells=tuple(cell(r, c, t) for c, t in enumerate(row) if c), kind="item")
        for r, row in enumerate(table.rows)
    ]
    if table.total is not None:
        totals = table.totals()
        shown = tuple(table_amount(totals[c], "£") if c in totals else "" for c in range(1, len(table.header)))
        rows.append(DisplayRow(label=table.total, cells=shown, kind="total"))
    return TableView(title=table.title, header=(*table.header,), rows=tuple(rows))
