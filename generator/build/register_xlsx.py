"""The register as a spreadsheet (register.xlsx): dates as date cells, sums as numbers shown in
pounds, so that a grants manager sorts, filters and adds them up as they are. The only openpyxl
user: writing SpreadsheetML by hand would mean its styles, shared strings and workbook parts too.
"""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.cell.cell import Cell as SheetCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from generator.build.register import COLUMNS, Cell, RegisterEntry

DATE_FORMAT = "DD/MM/YYYY"
MONEY_FORMAT = '"£"#,##0.00'
_WIDTHS = {"Title": 60, "Input file": 36, "Status": 30, "Documents": 60}
_TOP = Alignment(vertical="top", wrap_text=True)


def register_xlsx(entries: list[RegisterEntry], *, title: str) -> bytes:
    """One sheet: a header row (frozen, with filters), one row per input."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None  # a new workbook has its one sheet
    sheet.title = "Register"
    book.properties.title = title
    book.properties.creator = "grantdocs"
    book.properties.language = "en-GB"
    for n, column in enumerate(COLUMNS, start=1):
        header = sheet.cell(row=1, column=n, value=column.header)
        header.font = Font(bold=True)
        header.alignment = _TOP
        sheet.column_dimensions[get_column_letter(n)].width = _WIDTHS.get(column.header, 16)
    for r, entry in enumerate(entries, start=2):
        for n, column in enumerate(COLUMNS, start=1):
            cell = sheet.cell(row=r, column=n)
            assert isinstance(cell, SheetCell)  # never a MergedCell: nothing is merged
            _set(cell, column.cell(entry))
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(COLUMNS))}{len(entries) + 1}"
    data = io.BytesIO()
    book.save(data)
    return data.getvalue()


def _set(cell: SheetCell, value: Cell) -> None:
    cell.alignment = _TOP
    if value is None:
        return
    if isinstance(value, date):
        cell.value = value
        cell.number_format = DATE_FORMAT
    elif isinstance(value, Decimal):
        cell.value = value
        cell.number_format = MONEY_FORMAT
    elif isinstance(value, int):
        cell.value = value
    else:
        cell.value = "\n".join(value) if isinstance(value, tuple) else value
        # Text is text: openpyxl would take a value starting with "=" for a formula.
        cell.data_type = "s"
