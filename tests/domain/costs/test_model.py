"""Cost tables: totals computed from exact figures, the OCS tables as published, rounding notes, rules."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel, ValidationError

from generator.domain.costs.model import (
    Bid,
    BidTable,
    CostTables,
    MultiYearSummary,
    Role,
    StaffingTable,
    TableView,
    check_costs,
)
from generator.domain.costs.view import CellLine
from generator.errors import InputError
from generator.inputs.validation import raise_findings, validate
from generator.inputs.yaml_reader import read_source
from tests.conftest import FIXTURES

OCS = FIXTURES / "inputs" / "ocs-costs.yaml"
OCS_REPORT = FIXTURES / "reference" / "ocs-grant-2023-27-report.txt"
WriteInput = Callable[[str], Path]


def load(path: Path) -> CostTables:
    return validate(CostTables, read_source(path))


@pytest.fixture(scope="module")
def ocs() -> CostTables:
    return load(OCS)


def printed(view: TableView) -> list[list[str]]:
    return [list(view.header)] + [[row.label, *row.cells] for row in view.rows]


def published(first_cell: str) -> list[list[str]]:
    """The published table whose header starts with `first_cell`, as rows of cells (bold marks removed)."""
    lines = OCS_REPORT.read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(first_cell + "\t"))
    rows = []
    for line in lines[start:]:
        if "\t" not in line:
            break
        rows.append([cell.replace("<b>", "").replace("</b>", "").strip() for cell in line.split("\t")])
    width = len(rows[0])
    return [row + [""] * (width - len(row)) for row in rows]


# Where the generated table knowingly differs from the published one: (row, column) → generated cell.
OCS_TABLES = [
    ("BAU Revenue", "BAU Revenue", {}),
    ("ACE", "ACE (Grant Amount £0.220m)", {}),
    (
        "ROCU",
        "ROCU (Grant Amount £1.000m)",
        {
            (11, 4): "0.084",  # OCR read the match-funded cells as FTE "1" and "4"
            (12, 4): "0.265",
            (15, 2): "20",  # the FTE of the staff total and grand total lines, blank in print
            (20, 2): "20",
        },
    ),
    ("ROCTA", "ROCTA (Grant Amount £0.231m)", {}),
    ("Drugs Strategy", "Drugs Strategy (Grant Amount £0.150m)", {(0, 2): "FTE"}),  # printed "FT E"
    ("Digital Forensics", "Digital Forensics (Grant Amount £0.100m)", {(0, 2): "FTE"}),
]


@pytest.mark.parametrize(("title", "header", "deviations"), OCS_TABLES)
def test_ocs_tables_print_as_published(ocs: CostTables, title: str, header: str, deviations: dict[tuple[int, int], str]) -> None:
    expected = published(header)
    for (row, col), cell in deviations.items():
        expected[row][col] = cell
    assert printed(ocs.view(title)) == expected


@pytest.mark.parametrize(
    ("title", "label", "cells"),
    [
        ("ROCU", "Total Police Officer and Police Staff costs", ["", "20", "", "", "2.599"]),
        ("ROCU", "GRAND TOTAL EXPENDITURE AGAINST £1.000m", ["", "20", "", "", "2.851"]),
        ("ACE", "GRAND TOTAL EXPENDITURE AGAINST £0.220m", ["", "3", "0.247"]),
        ("ROCTA", "GRAND TOTAL EXPENDITURE AGAINST £0.231m", ["", "6", "0.398"]),
        ("Drugs Strategy", "GRAND TOTAL EXPENDITURE AGAINST £0.150m", ["", "3", "0.151"]),
        ("Digital Forensics", "GRAND TOTAL EXPENDITURE AGAINST £0.100m", ["", "1", "0.101"]),
        ("BAU Revenue", "Grant Funding", ["1.701", "0.000", "0.000", "0.000", "0.000", "1.701"]),
        ("BAU Revenue", "MPS Funding", ["2.047", "0.000", "0.000", "0.000", "0.000", "2.047"]),
        ("BAU Revenue", "Total Budget", ["3.748", "0.000", "0.000", "0.000", "0.000", "3.748"]),
        ("BAU Revenue", "Planned Spend Total", ["3.748", "0.000", "0.000", "0.000", "0.000", "3.748"]),
        ("BAU Revenue", "Variance to Budget (-ve Saving)", ["0.000"] * 6),
    ],
)
def test_ocs_key_figures(ocs: CostTables, title: str, label: str, cells: list[str]) -> None:
    rows = {row.label: row for row in ocs.view(title).rows}
    assert list(rows[label].cells) == cells


@pytest.mark.parametrize(
    ("title", "subtotals"),
    [("ROCU", [["", "12", "0.839", "0.839", "1.678"], ["", "8", "0.572", "0.349", "0.921"]])],
)
def test_ocs_team_subtotals(ocs: CostTables, title: str, subtotals: list[list[str]]) -> None:
    assert [list(r.cells) for r in ocs.view(title).rows if r.kind == "subtotal" and r.label == "TOTAL"] == subtotals


def test_ocs_exact_totals_and_no_findings(ocs: CostTables) -> None:
    tables = ocs.staffing_by_title
    assert check_costs(ocs) == []
    assert tables["ROCU"].grand_total == Decimal(2850690)
    assert sum(t.grand_total for t in ocs.staffing) == Decimal(3747850)
    assert tables["ROCU"].fte == 20


@pytest.mark.parametrize(
    ("title", "notes"),
    [
        (
            "ROCU",
            (
                (
                    "In the ROCU table, figures are rounded to the nearest £0.001m and every total is calculated from the "
                    "exact amounts, so some rounded figures do not add up to the totals shown in the “Grand Total £m” column."
                ),
                (
                    "In the ROCU table, annual costs are rounded to the nearest £0.001m; each total cost is the exact annual "
                    "cost × FTE, so it can differ from the rounded annual cost × FTE."
                ),
            ),
        ),
        ("ACE", ()),
        ("ROCTA", ()),
        ("Drugs Strategy", ()),
        ("Digital Forensics", ()),
        ("BAU Revenue", ()),
    ],
)
def test_ocs_rounding_notes(ocs: CostTables, title: str, notes: tuple[str, ...]) -> None:
    assert ocs.view(title).notes == notes


def test_match_columns_only_when_something_is_match_funded(ocs: CostTables) -> None:
    assert len(ocs.view("ACE").header) == 4
    assert ocs.view("ROCU").header[-2:] == ("Match Funded total cost £m", "Grand Total £m")


def test_row_kinds_mark_headings_and_totals(ocs: CostTables) -> None:
    kinds = [(r.kind, r.bold) for r in ocs.view("ROCU").rows]
    assert kinds[0] == ("heading", True) and kinds[1] == ("item", False) and kinds[-1] == ("total", True)
    assert all(len(r.cells) == 5 for r in ocs.view("ROCU").rows)


def staffing(roles: list[tuple[str, str, str]], *, unit: str = "£m", other: dict[str, str] | None = None) -> StaffingTable:
    return StaffingTable.model_validate(
        {
            "title": "Team",
            "grant": "100000",
            "unit": unit,
            "roles": [{"role": r, "annual_cost": a, "fte": f} for r, a, f in roles],
            "other_costs": [{k: v} for k, v in (other or {}).items()],
        }
    )


# (roles (role, annual £, FTE), other costs, exact grand total, its cell, rounding notes expected)
STAFFING_CASES = [
    ([("A", "1400", "1"), ("B", "1400", "1"), ("C", "1400", "1")], {}, "4200", "0.004", 1),
    ([("A", "1000", "1"), ("B", "1000", "1"), ("C", "1000", "1")], {}, "3000", "0.003", 0),
    ([("A", "1400", "3")], {}, "4200", "0.004", 1),  # 0.001 × 3 shown as 0.004: the product note
    ([("A", "66230", "0.5"), ("B", "50000", "2.25")], {"Overtime": "450"}, "146065", "0.146", 0),
    ([("A", "500", "1")], {"Support": "500"}, "1000", "0.001", 1),
    ([("A", "500", "1")], {"Support": "499.99"}, "999.99", "0.001", 0),
]


@pytest.mark.parametrize(("roles", "other", "exact", "cell", "notes"), STAFFING_CASES)
def test_staffing_totals_come_from_exact_figures(
    roles: list[tuple[str, str, str]], other: dict[str, str], exact: str, cell: str, notes: int
) -> None:
    table = staffing(roles, other=other)
    assert table.grand_total == Decimal(exact)
    assert table.view().rows[-1].cells[-1] == cell
    assert len(table.view().notes) == notes


def test_role_total_is_annual_times_fte_exactly() -> None:
    view = staffing([("Half post", "33333.33", "0.5")], unit="£").view()
    assert list(view.rows[0].cells) == ["£33,333.33", "0.5", "£16,666.67"]
    assert view.notes == ()


def test_pound_tables_print_pounds_and_pence() -> None:
    view = staffing([("Detective Constable", "66230", "2")], unit="£", other={"Support Costs": "30800"}).view()
    assert view.header == ("Team (Grant Amount £100,000.00)", "Annual cost", "FTE", "Total cost")
    assert printed(view)[1:] == [
        ["Detective Constable", "£66,230.00", "2", "£132,460.00"],
        ["Support Costs", "", "", "£30,800.00"],
        ["GRAND TOTAL EXPENDITURE AGAINST £100,000.00", "", "2", "£163,260.00"],
    ]


def summary(funding: dict[str, list[str]], spend: dict[str, list[str]], *, unit: str = "£m") -> MultiYearSummary:
    return MultiYearSummary.model_validate(
        {
            "title": "Revenue",
            "unit": unit,
            "first_year": "2023",
            "years": str(len(next(iter(funding.values())))),
            "funding": [{k: v} for k, v in funding.items()],
            "spend": [{k: v} for k, v in spend.items()],
        }
    )


# (funding, spend, unit, row label → its cells, columns named by the rounding note)
SUMMARY_CASES = [
    ({"G": ["1000", "2000"]}, {"S": ["1000", "2000"]}, "£m", ("Total Budget", ["0.001", "0.002", "0.003"]), []),
    (
        {"G": ["1400", "0"], "M": ["1400", "0"], "N": ["1400", "0"]},
        {"S": ["4200", "0"]},
        "£m",
        ("Total Budget", ["0.004", "0.000", "0.004"]),
        ["2023/24 £m", "Total £m"],
    ),
    ({"G": ["1400", "1400", "1400"]}, {"S": ["4200", "0", "0"]}, "£m", ("G", ["0.001", "0.001", "0.001", "0.004"]), ["Total £m"]),
    ({"G": ["10400"]}, {"S": ["9600"]}, "£m", ("Variance to Budget (-ve Saving)", ["-0.001", "-0.001"]), ["2023/24 £m", "Total £m"]),
    ({"G": ["10000"]}, {"S": ["9400"]}, "£m", ("Variance to Budget (-ve Saving)", ["-0.001", "-0.001"]), []),
    ({"G": ["20000"]}, {"S": ["8000"]}, "£m", ("Variance to Budget (-ve Saving)", ["-0.012", "-0.012"]), []),
    ({"G": ["20000"]}, {"S": ["19999.9"]}, "£m", ("Variance to Budget (-ve Saving)", ["0.000", "0.000"]), []),
    ({"G": ["20000", "5"]}, {"S": ["21000.50", "5"]}, "£", ("Variance to Budget (-ve Saving)", ["£1,000.50", "£0.00", "£1,000.50"]), []),
    ({"G": ["20000"]}, {"S": ["19000"]}, "£", ("Variance to Budget (-ve Saving)", ["-£1,000.00", "-£1,000.00"]), []),
]


@pytest.mark.parametrize(("funding", "spend", "unit", "row", "columns"), SUMMARY_CASES)
def test_summary_totals_variance_and_notes(
    funding: dict[str, list[str]], spend: dict[str, list[str]], unit: str, row: tuple[str, list[str]], columns: list[str]
) -> None:
    view = summary(funding, spend, unit=unit).view({})
    label, cells = row
    assert list({r.label: r for r in view.rows}[label].cells) == cells
    if columns:
        quoted = " and ".join(f"“{c}”" for c in columns)
        column = "columns" if len(columns) > 1 else "column"
        assert view.notes == (
            (
                "In the Revenue table, figures are rounded to the nearest £0.001m and every total is calculated from the "
                f"exact amounts, so some rounded figures do not add up to the totals shown in the {quoted} {column}."
            ),
        )
    else:
        assert view.notes == ()


def test_summary_year_labels() -> None:
    table = MultiYearSummary.model_validate(
        {"title": "R", "year_labels": ["2022/23", "2023/24"], "funding": [{"G": ["1", "2"]}], "spend": [{"S": ["1", "2"]}]}
    )
    assert table.view({}).header == ("R", "2022/23 £m", "2023/24 £m", "Total £m")


BIDS = """\
bids:
  - title: "Appendix A: Bid tables"
    total_heading: Total Cost 2016-2018
    bids:
      - title: CSE
        proposal: A coordinated partnership response to CSE across London.
        funding:
          - PIF Funding: £1,526,000
          - PCC Match Funding: £506,000
        nature: Proof of concept
      - title: Youth Justice
        proposal: Testing an integrated policing approach to prolific youth offenders.
        funding: [PIF Funding: 700000, PCC Match Funding: 200000]
        nature: Proof of concept
      - title: Gripping the Offender – transition extension
        proposal: A whole system approach.
        funding: [PIF Funding: 1450000, PCC Match Funding: 1550000]
        nature: Implementation Ready & Proof of concept
      - title: Hate Crime
        proposal: A coordinated response to online hate crime.
        funding: [PIF Funding: 478900, PCC Match Funding: 635923]
        nature: Proof of concept
      - title: Compulsory Pilot
        proposal: To test different approaches to mandatory sobriety.
        funding: [PIF Funding: 1000000, PCC Match Funding: 1350000]
        nature: Proof of concept & Implementation Ready
      - title: Gangs and Community Engagement
        proposal: Community-led involvement in addressing gangs and youth violence.
        funding: [PIF Funding: 1000000, PCC Match Funding: 360000]
        nature: Proof of concept
      - title: Transforming recruit training
        proposal: Recruit training produced with academic experts.
        amount: 803000
        nature: Proof of concept
      - title: Developing CCTV technology and practice for improved crime
        proposal: London working closer together on CCTV technology.
        amount_text: £500k over two years
        nature: Proof of concept
"""

BID_TOTALS = [
    ("CSE", "2032000", "PIF Funding: £1,526,000.00\nPCC Match Funding: £506,000.00", "£2,032,000.00"),
    ("Youth Justice", "900000", "PIF Funding: £700,000.00\nPCC Match Funding: £200,000.00", "£900,000.00"),
    # Published as "£1.45 Million" + "£1.55 million" = "Total £3,050,000": a slip; the sources add up to £3,000,000.
    (
        "Gripping the Offender – transition extension",
        "3000000",
        "PIF Funding: £1,450,000.00\nPCC Match Funding: £1,550,000.00",
        "£3,000,000.00",
    ),
    ("Hate Crime", "1114823", "PIF Funding: £478,900.00\nPCC Match Funding: £635,923.00", "£1,114,823.00"),
    ("Compulsory Pilot", "2350000", "PIF Funding: £1,000,000.00\nPCC Match Funding: £1,350,000.00", "£2,350,000.00"),
    ("Gangs and Community Engagement", "1360000", "PIF Funding: £1,000,000.00\nPCC Match Funding: £360,000.00", "£1,360,000.00"),
    ("Transforming recruit training", "803000", "", "£803,000.00"),
    ("Developing CCTV technology and practice for improved crime", None, "", "£500k over two years"),
]


@pytest.fixture
def bids(write_input: WriteInput) -> CostTables:
    return load(write_input(BIDS))


@pytest.mark.parametrize(("title", "exact", "funding_cell", "total_cell"), BID_TOTALS)
def test_bid_totals(bids: CostTables, title: str, exact: str | None, funding_cell: str, total_cell: str) -> None:
    bid = next(b for b in bids.bids[0].bids if b.title == title)
    row = next(r for r in bids.view("Appendix A: Bid tables").rows if r.label == title)
    assert bid.total == (Decimal(exact) if exact else None)
    assert row.cells[1:3] == (funding_cell, total_cell)


def test_bid_table_header_and_lines(bids: CostTables) -> None:
    view = bids.view("Appendix A: Bid tables")
    assert view.header == ("Title", "Proposal", "Funding", "Total Cost 2016-2018", "Nature of Bid")
    assert view.rows[0].cell_lines[1] == (CellLine("PIF Funding: £1,526,000.00"), CellLine("PCC Match Funding: £506,000.00"))
    assert view.notes == ()


@pytest.mark.parametrize(
    ("text", "figure"),
    [
        ("£1,234.50", True),
        ("-£0.50", True),
        ("0.199", True),
        ("-0.084", True),
        ("4", True),
        ("PIF Funding: £1,526,000.00", False),
        ("2023/24", False),
        ("n/a", False),
        ("", False),
        ("£", False),
    ],
)
def test_a_cell_line_is_a_figure_when_it_is_an_amount_or_a_count(text: str, figure: bool) -> None:
    """Figures are set right-aligned (ReportTableNumber), words left (ReportTableText)."""
    assert CellLine(text).figure is figure


@pytest.mark.parametrize(
    ("amounts", "cells", "noted"),
    [(["1526400", "506400"], ("£1.526m\nP: £0.506m", "£2.033m"), True), (["1526000", "506000"], ("£1.526m\nP: £0.506m", "£2.032m"), False)],
)
def test_bid_table_in_millions_notes_rounding(amounts: list[str], cells: tuple[str, str], noted: bool) -> None:
    table = BidTable.model_validate(
        {
            "title": "Bids",
            "unit": "£m",
            "bids": [{"title": "X", "proposal": "Y", "nature": "Z", "funding": [{"PIF Funding": amounts[0]}, {"P": amounts[1]}]}],
        }
    )
    view = table.view()
    assert view.rows[0].cells[1:3] == (f"PIF Funding: {cells[0]}", cells[1])
    assert bool(view.notes) is noted and all("“Total”" in n for n in view.notes)


# (replace this text of the OCS fixture, with this, expected "line:col: field: message" problems)
FINDING_CASES = [
    (
        "      - from_table: ROCTA\n",
        "      - from_table: ROCAT\n",
        ["32:21: summaries[0].spend[2].from_table: no staffing table is titled 'ROCAT' (did you mean 'ROCTA'?)"],
    ),
    (
        "      - MPS Funding: [2046850, 0, 0, 0, 0]",
        "      - MPS Funding: [2046850, 0, 0, 0]",
        [
            "28:9: summaries[0].funding[1].amounts: gives 4 amounts but the table has 5 year columns (2023/24 to 2027/28): give one amount per year"
        ],
    ),
    (
        "      - from_table: Drugs Strategy\n",
        "      - from_table: ACE\n",
        [
            "33:21: summaries[0].spend[3].from_table: the ACE table is already counted in this summary (see summaries[0].spend[0].from_table at {path}:30)"
        ],
    ),
    (
        "  - title: Digital Forensics",
        "  - title: ACE",
        [
            (
                "34:21: summaries[0].spend[4].from_table: no staffing table is titled 'Digital Forensics' "
                "(expected one of: ACE, Drugs Strategy, ROCTA, ROCU)"
            ),
            "92:12: staffing[4].title: another cost table is already titled 'ACE' (see staffing[0].title at {path}:37)",
        ],
    ),
    ("      - MPS Funding: [2046850, 0, 0, 0, 0]", "      - MPS Funding: [1046850, 0, 0, 0, 0]", []),  # a shortfall is shown, not a rule
]


@pytest.mark.parametrize(("old", "new", "expected"), FINDING_CASES)
def test_rules_are_reported_at_their_lines(write_input: WriteInput, old: str, new: str, expected: list[str]) -> None:
    text = OCS.read_text(encoding="utf-8")
    assert old in text
    path = write_input(text.replace(old, new))
    source = read_source(path)
    findings = check_costs(validate(CostTables, source))
    if not expected:
        assert findings == []
        return
    with pytest.raises(InputError) as caught:
        raise_findings(source, findings)
    assert [str(p).removeprefix(f"{path}:") for p in caught.value.problems] == [e.format(path=path) for e in expected]


def test_a_summary_with_a_broken_rule_is_not_shown(ocs: CostTables) -> None:
    with pytest.raises(ValueError, match="no staffing table is titled 'ACE'"):
        ocs.summaries[0].view({})


def test_shortfall_shows_as_positive_variance(write_input: WriteInput) -> None:
    text = OCS.read_text(encoding="utf-8").replace("[2046850, 0", "[1046850, 0")
    rows = {r.label: r for r in load(write_input(text)).view("BAU Revenue").rows}
    assert rows["Variance to Budget (-ve Saving)"].cells[0] == "1.000"


# (model, input, part of the error message)
INVALID = [
    (Role, {"role": "DC", "annual_cost": "66230", "fte": 0.5}, "FTE must be written exactly"),
    (Role, {"role": "DC", "annual_cost": "66230", "fte": "0"}, "a role needs an FTE above 0"),
    (Role, {"role": "DC", "annual_cost": "66230", "fte": "-1"}, r"FTE must not be negative \(got -1\)"),
    (Role, {"role": "DC", "annual_cost": "66230", "fte": "three"}, "not a number of full-time equivalents"),
    (
        StaffingTable,
        {
            "title": "T",
            "grant": "1",
            "groups": [{"match_funded": "yes", "roles": [{"role": "DC", "annual_cost": "1", "fte": "1", "match_fte": "1"}]}],
        },
        "leave out each role's `match_fte`",
    ),
    (
        StaffingTable,
        {"title": "T", "grant": "1", "roles": [{"role": "DC", "annual_cost": "1", "fte": "1"}], "other_costs": [{"Support": "-5"}]},
        "must not be negative",
    ),
    (MultiYearSummary, {"title": "R", "first_year": "2023", "funding": [{"G": ["1"]}], "spend": [{"S": ["1"]}]}, "give the year columns"),
    (
        MultiYearSummary,
        {"title": "R", "first_year": "2023", "years": "1", "year_labels": ["2023/24"], "funding": [{"G": ["1"]}], "spend": [{"S": ["1"]}]},
        "not both",
    ),
    (
        MultiYearSummary,
        {"title": "R", "first_year": "2023", "years": "1", "funding": [{"G": ["1"]}], "spend": [{"label": "S"}]},
        "give either `amounts`",
    ),
    (Bid, {"title": "X", "proposal": "Y", "nature": "Z", "amount": "1", "amount_text": "£1k"}, "got amount, amount_text"),
    (Bid, {"title": "X", "proposal": "Y", "nature": "Z"}, "got none"),
]


@pytest.mark.parametrize(("model", "data", "message"), INVALID)
def test_invalid_inputs(model: type[BaseModel], data: dict[str, Any], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        model.model_validate(data)


def test_unknown_table_title() -> None:
    with pytest.raises(KeyError, match="no cost table is titled 'ROCU'"):
        CostTables().view("ROCU")


def test_a_bid_table_whose_bids_name_no_sources_has_no_funding_column(bids: CostTables) -> None:
    """A Funding column would be empty in every row (a tender's bids, each one price): it is left out."""
    table = bids.bids[0].model_copy(update={"bids": [b for b in bids.bids[0].bids if not b.funding]})
    view = table.view()
    assert view.header == ("Title", "Proposal", "Total Cost 2016-2018", "Nature of Bid")
    assert [row.cells[1] for row in view.rows] == ["£803,000.00", "£500k over two years"]
    assert all(len(row.cells) == len(view.header) - 1 for row in view.rows)
