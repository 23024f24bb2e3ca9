"""The decision register's three files, read back as a grants manager's tools read them: the CSV
with csv, the spreadsheet with openpyxl (dates as date cells, sums as numbers), the page as HTML."""

from __future__ import annotations

import csv
import os
import shutil
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

from generator.build.files import TEMP_SUFFIX
from generator.build.register import COLUMNS, read_register
from generator.build.register_files import NAMES, write_register
from generator.build.register_xlsx import DATE_FORMAT, MONEY_FORMAT
from generator.errors import OutputError, Problem
from tests.conftest import EXAMPLES, FIXTURES, example_documents

REGISTER_FIXTURES = FIXTURES / "inputs" / "register"
HEADERS = [c.header for c in COLUMNS]
MADE = date(2023, 2, 1)

# What the shipped examples say of themselves, read from the inputs by hand: the DMPC's and the
# officer's dates, the Part 2 statement's review, money in (money.funding, or the report's grant
# where no money in is typed) and money out (grants, allocations and contracts at their value).
EXAMPLE_ROWS = {
    "dmpcd-2015-148.yaml": (
        "DMPCD 2015 148",
        "dmpcd-v5-2014",
        "Signed, awaiting publication",
        "10/12/2015",
        "10/12/2015",
        "No",
        "",
        "",
        "",
    ),
    "ocs-grant-2023-24.yaml": ("PCD 1600", "", "Draft", "", "", "No", "", "1701000.00", ""),
    "pcd-1284.yaml": ("PCD 1284", "dmpc-2022", "Signed, awaiting publication", "26/10/2022", "03/11/2022", "No", "", "450000.00", ""),
    "pcd-1760-shared-endeavour-fund.yaml": ("PCD 1760", "dmpc-2022", "Draft", "", "", "Yes", "31/05/2028", "935000.00", "930117.00"),
    "pcd-421-lcpf.yaml": (
        "PCD 421",
        "dmpc-2022",
        "Signed, awaiting publication",
        "16/10/2018",
        "18/10/2018",
        "No",
        "",
        "26210370.00",
        "26210370.00",
    ),
}
CHECKED = [
    "Reference",
    "Form version",
    "Status",
    "Officer approval",
    "DMPC signature",
    "Part 2",
    "Part 2 review",
    "Money in (£)",
    "Money out (£)",
]


def written(input_dir: Path, out: Path) -> tuple[list[Path], list[Problem]]:
    problems: list[Problem] = []
    entries = read_register(input_dir, on_problem=problems.append)
    return write_register(entries, out_dir=out, made=MADE), problems


def csv_rows(out: Path) -> list[dict[str, str]]:
    with (out / "register.csv").open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        assert reader.fieldnames == HEADERS
        return list(reader)


@pytest.fixture(scope="module")
def examples_register(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("register")
    paths, problems = written(EXAMPLES, out)
    assert problems == []
    assert [p.name for p in paths] == list(NAMES)
    return out


def test_the_csv_lists_every_example_with_its_status_dates_and_money(examples_register: Path) -> None:
    rows = {row["Input file"]: row for row in csv_rows(examples_register)}
    assert sorted(rows) == sorted(p.name for p in EXAMPLES.glob("*.yaml"))
    for name, expected in EXAMPLE_ROWS.items():
        assert tuple(rows[name][h] for h in CHECKED) == expected, name
        assert rows[name]["Published"] == rows[name]["Deferred until"] == "", "no example is published or deferred"
        assert rows[name]["Problems"] == "0"
    documents = [d for row in rows.values() for d in row["Documents"].split("; ")]
    assert sorted(documents) == sorted(example_documents()), "the file names the planner gives, every one"


def test_the_spreadsheet_holds_dates_as_dates_and_sums_as_numbers(examples_register: Path) -> None:
    sheet = load_workbook(examples_register / "register.xlsx").active
    assert sheet is not None
    rows = list(sheet.iter_rows())
    assert [c.value for c in rows[0]] == HEADERS
    at = {h: n for n, h in enumerate(HEADERS)}
    by_file = {str(r[at["Input file"]].value): r for r in rows[1:]}
    assert sorted(by_file) == sorted(EXAMPLE_ROWS)
    pcd_1284 = by_file["pcd-1284.yaml"]
    signed = pcd_1284[at["DMPC signature"]]
    assert isinstance(signed.value, datetime) and signed.value == datetime(2022, 11, 3) and signed.number_format == DATE_FORMAT
    assert pcd_1284[at["Published"]].value is None
    for name, expected in EXAMPLE_ROWS.items():
        row = by_file[name]
        for header in ("Money in (£)", "Money out (£)"):
            cell, want = row[at[header]], expected[CHECKED.index(header)]
            if not want:
                assert cell.value is None, (name, header)
                continue
            assert cell.data_type == "n" and cell.number_format == MONEY_FORMAT, (name, header)
            assert isinstance(cell.value, int | float) and Decimal(str(cell.value)) == Decimal(want), (name, header)
        approval = row[at["Officer approval"]]
        if expected[3]:
            assert isinstance(approval.value, datetime) and approval.value.strftime("%d/%m/%Y") == expected[3]
        assert row[at["Problems"]].value == 0
    assert sheet.freeze_panes == "A2"


def test_the_page_is_a_table_with_a_caption_and_column_headers(examples_register: Path) -> None:
    page = (examples_register / "register.html").read_text(encoding="utf-8")
    assert '<html lang="en-GB">' in page and "<title>Decision register</title>" in page
    assert '<caption id="register-caption">5 decision inputs</caption>' in page
    assert page.count('<th scope="col"') == len(COLUMNS)
    assert page.count('<th scope="row">') == len(EXAMPLE_ROWS)
    assert '<time datetime="2022-11-03">03/11/2022</time>' in page
    assert "£26,210,370.00" in page and "£930,117.00" in page


def test_the_register_says_what_needs_action_by_its_fixtures(tmp_path: Path) -> None:
    """The approved, deferred and Part 2 fixtures, each in its own stage."""
    written(REGISTER_FIXTURES, tmp_path)
    rows = {row["Reference"]: row for row in csv_rows(tmp_path)}
    assert {ref: row["Status"] for ref, row in rows.items()} == {
        "PCD 1301": "Approved by the officer, awaiting signature",
        "PCD 1302": "Signed, publication deferred",
        "PCD 1303": "Signed, publication deferred",
        "PCD 1304": "Published",
        "PCD 1305": "Published",
    }
    assert rows["PCD 1302"]["Deferred until"] == "15/02/2023"
    assert rows["PCD 1302"]["Money in (£)"] == "100000.00" and rows["PCD 1302"]["Money out (£)"] == "60000.00"
    assert rows["PCD 1304"]["Published"] == "02/06/2022"
    assert (rows["PCD 1304"]["Part 2"], rows["PCD 1304"]["Part 2 review"]) == ("Yes", "20/02/2023")
    assert rows["PCD 1301"]["DMPC signature"] == "" and rows["PCD 1301"]["Officer approval"] == "10/01/2023"


def test_an_invalid_input_is_listed_as_invalid_and_stops_nothing(tmp_path: Path) -> None:
    inputs = tmp_path / "inputs"
    shutil.copytree(REGISTER_FIXTURES, inputs / "valid")
    (inputs / "broken.yaml").write_text("reference: PCD 1399\ntitle: Half written\ndecision_form:\n  form: dmpc-1999\n", encoding="utf-8")
    (inputs / "not-yaml.yaml").write_text("reference: [unclosed\n", encoding="utf-8")
    paths, problems = written(inputs, tmp_path / "out")
    assert all(p.is_file() for p in paths)
    rows = {row["Input file"]: row for row in csv_rows(tmp_path / "out")}
    assert len(rows) == 7, "five valid fixtures (found in a subfolder) and two invalid inputs"
    broken = rows["broken.yaml"]
    assert (broken["Reference"], broken["Title"], broken["Status"], broken["Documents"]) == ("PCD 1399", "Half written", "Invalid", "")
    assert int(broken["Problems"]) == len([p for p in problems if p.path.name == "broken.yaml"]) >= 1
    assert rows["not-yaml.yaml"]["Status"] == "Invalid" and rows["not-yaml.yaml"]["Problems"] == "1"
    assert rows["valid/approved.yaml"]["Status"] == "Approved by the officer, awaiting signature"
    assert f"{inputs / 'broken.yaml'}:3:1: decision_form.part_1: required field is missing" in [str(p) for p in problems]


def test_what_an_invalid_input_types_is_written_as_text(tmp_path: Path) -> None:
    """A title that looks like a formula stays text in the spreadsheet; a control character or a
    right-to-left override in an unchecked title is shown escaped, never written as it is."""
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    (inputs / "formula.yaml").write_text('reference: PCD 1\ntitle: "=HYPERLINK(\\"http://x\\")"\n', encoding="utf-8")
    (inputs / "bell.yaml").write_text('reference: PCD 2\ntitle: "ring \\a \\u202e"\n', encoding="utf-8")
    written(inputs, tmp_path / "out")
    sheet = load_workbook(tmp_path / "out" / "register.xlsx").active
    assert sheet is not None
    titles = {row[0].value: row[1] for row in sheet.iter_rows(min_row=2)}
    assert titles["PCD 1"].value == '=HYPERLINK("http://x")' and titles["PCD 1"].data_type == "s"
    assert titles["PCD 2"].value == "ring \\x07 \\u202e"
    assert "=HYPERLINK(&quot;http://x&quot;)" in (tmp_path / "out" / "register.html").read_text(encoding="utf-8")
    with (tmp_path / "out" / "register.csv").open(encoding="utf-8", newline="") as f:
        rows = {row["Reference"]: row for row in csv.DictReader(f)}
    assert rows["PCD 1"]["Title"] == '\'=HYPERLINK("http://x")', "a spreadsheet opening the CSV keeps it text"


def test_the_three_files_are_replaced_together_or_not_at_all(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out"
    written(REGISTER_FIXTURES, out)
    before = {name: (out / name).read_bytes() for name in NAMES}
    real_replace = os.replace

    def failing(src: str, dst: str | Path) -> None:
        if str(dst).endswith("register.html"):
            raise OSError(28, "No space left on device")
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", failing)
    with pytest.raises(OutputError, match=r"register\.html: No space left on device"):
        written(EXAMPLES, out)
    monkeypatch.undo()
    assert {name: (out / name).read_bytes() for name in NAMES} == before, "the old register, whole"
    assert not list(out.glob(f"*{TEMP_SUFFIX}"))


def test_no_path_outside_the_output_folder_is_touched(tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere.csv"
    elsewhere.write_text("keep me", encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    (out / "register.csv").symlink_to(elsewhere)
    with pytest.raises(OutputError, match="symbolic link"):
        written(REGISTER_FIXTURES, out)
    assert elsewhere.read_text(encoding="utf-8") == "keep me"
    assert sorted(p.name for p in out.iterdir()) == [".grantdocs-lock", "register.csv"]


def test_an_empty_folder_makes_an_empty_register(tmp_path: Path) -> None:
    (tmp_path / "inputs").mkdir()
    written(tmp_path / "inputs", tmp_path / "out")
    assert csv_rows(tmp_path / "out") == []
    assert '<caption id="register-caption">0 decision inputs</caption>' in (tmp_path / "out" / "register.html").read_text(encoding="utf-8")
    sheet = load_workbook(tmp_path / "out" / "register.xlsx").active
    assert sheet is not None and [c.value for c in next(sheet.iter_rows())] == HEADERS and sheet.max_row == 1
