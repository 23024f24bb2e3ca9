"""The register's files: register.csv (plain values, for other tools), register.html (a page a
screen reader reads as a table) and register.xlsx (register_xlsx.py), written together.

CSV dates are 03/11/2022 and sums plain figures to the penny (450000.00), never £ or commas, so
that a tool reads them back exactly; the page shows sums as £450,000.00.
"""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal
from html import escape
from pathlib import Path

from generator.build.files import exclusive, inside, write_together
from generator.build.register import COLUMNS, Cell, RegisterEntry
from generator.build.register_xlsx import register_xlsx
from generator.domain.common.dates import short_date
from generator.domain.common.money import PENNY, pounds

NAMES = ("register.csv", "register.xlsx", "register.html")
TITLE = "Decision register"


def write_register(entries: list[RegisterEntry], *, out_dir: Path, made: date) -> list[Path]:
    """register.csv, register.xlsx and register.html in `out_dir`, replaced together; their paths.
    OutputError (nothing replaced) if they cannot be written, or while a batch holds the folder."""
    contents = (register_csv(entries), register_xlsx(entries, title=TITLE), register_html(entries, made=made))
    with exclusive(out_dir):
        files = [(inside(out_dir, name), data) for name, data in zip(NAMES, contents, strict=True)]
        write_together(files)
    return [path for path, _ in files]


def register_csv(entries: list[RegisterEntry]) -> bytes:
    """UTF-8, a header row, one row per input."""
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(c.header for c in COLUMNS)
    for entry in entries:
        writer.writerow(_csv_cell(c.cell(entry)) for c in COLUMNS)
    return text.getvalue().encode("utf-8")


def _csv_cell(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return short_date(value)
    if isinstance(value, Decimal):
        return f"{value.quantize(PENNY):f}"
    text = "; ".join(value) if isinstance(value, tuple) else str(value)
    # A spreadsheet opening the CSV would run text starting like a formula ("=HYPERLINK(…)" typed
    # as a title): a leading apostrophe keeps it text, as the spreadsheets themselves write it.
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


_MONEY = ' class="money"'
_STYLE = """
body { font-family: arial, sans-serif; color: #0b0c0c; margin: 30px; line-height: 1.3; }
h1 { font-size: 2.25rem; margin: 0 0 20px; }
.scroll { overflow-x: auto; }
.scroll:focus { outline: 3px solid #ffdd00; }
table { border-collapse: collapse; font-size: 1rem; }
caption { text-align: left; font-weight: bold; font-size: 1.5rem; padding-bottom: 10px; }
th, td { text-align: left; vertical-align: top; padding: 10px 15px 10px 0; border-bottom: 1px solid #b1b4b6; }
.money { text-align: right; white-space: nowrap; }
td.date { white-space: nowrap; }
ul { margin: 0; padding: 0; list-style: none; }
"""


def register_html(entries: list[RegisterEntry], *, made: date) -> bytes:
    """One page: its title, a caption and a header cell per column, each row headed by its reference."""
    count = f"{len(entries)} decision input{'' if len(entries) == 1 else 's'}"
    invalid = sum(1 for e in entries if not e.valid)
    if invalid:
        count += f", {invalid} invalid"
    head = "".join(f'<th scope="col"{_MONEY if c.money else ""}>{escape(c.header)}</th>' for c in COLUMNS)
    rows = "".join(_html_row(entry) for entry in entries)
    page = (
        '<!DOCTYPE html>\n<html lang="en-GB">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{TITLE}</title>\n<style>{_STYLE}</style>\n</head>\n<body>\n<main>\n"
        f"<h1>{TITLE}</h1>\n"
        f'<p>Made on <time datetime="{made.isoformat()}">{short_date(made)}</time> by grantdocs from the decision inputs.</p>\n'
        '<div class="scroll" role="region" aria-labelledby="register-caption" tabindex="0">\n'
        f'<table>\n<caption id="register-caption">{escape(count)}</caption>\n'
        f"<thead><tr>{head}</tr></thead>\n<tbody>\n{rows}</tbody>\n</table>\n</div>\n</main>\n</body>\n</html>\n"
    )
    return page.encode("utf-8")


def _html_row(entry: RegisterEntry) -> str:
    cells = []
    for n, column in enumerate(COLUMNS):
        value = column.cell(entry)
        if n == 0:  # the reference heads its row; an invalid input's file, when it types none
            cells.append(f'<th scope="row">{escape(str(value or entry.source))}</th>')
        elif isinstance(value, date):
            cells.append(f'<td class="date"><time datetime="{value.isoformat()}">{short_date(value)}</time></td>')
        elif isinstance(value, Decimal):
            cells.append(f"<td{_MONEY}>{pounds(value)}</td>")
        elif isinstance(value, tuple):
            cells.append("<td><ul>" + "".join(f"<li>{escape(name)}</li>" for name in value) + "</ul></td>" if value else "<td></td>")
        else:
            cells.append(f"<td>{escape('' if value is None else str(value))}</td>")
    return "<tr>" + "".join(cells) + "</tr>\n"
