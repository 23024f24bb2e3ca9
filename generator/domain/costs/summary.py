"""A multi-year revenue summary: funding against planned spend by financial year, with the
variance to budget (e.g. the OCS report's 'BAU Revenue' table)."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from decimal import Decimal
from typing import Any

from pydantic import Field, GetJsonSchemaHandler, model_validator
from pydantic.json_schema import JsonSchemaValue

from generator.domain.common.base import InputModel, Text
from generator.domain.common.dates import financial_year
from generator.domain.common.findings import Finding, suggestion
from generator.domain.common.money import Money
from generator.domain.common.shapes import reads, without_required
from generator.domain.costs.lines import labelled, one_line
from generator.domain.costs.staffing import StaffingTable
from generator.domain.costs.view import Column, Grid, TableView, Unit, unit_suffix


class FundingRow(InputModel):
    """A source of funding with one exact amount per year; written `Grant Funding: [1701000, 0, …]`."""

    label: Text = Field(description="Row label, e.g. 'Grant Funding', 'MPS Funding'.")
    amounts: list[Money] = Field(min_length=1, description="Exact pounds for each year column, in order.")

    @model_validator(mode="before")
    @classmethod
    @reads(one_line(value_key="amounts"))
    def _one_line(cls, data: Any) -> Any:
        return labelled(data, fields={"label", "amounts"}, value_key="amounts")


def _spend_shapes(mapping: JsonSchemaValue, handler: GetJsonSchemaHandler) -> JsonSchemaValue:
    """What SpendRow._shorthand reads: one line, `ACE: [amounts]`, or a mapping whose label may be
    left out when it gives `from_table`."""
    named = [{"required": ["label"]}, {"required": ["from_table"], "properties": {"from_table": {"not": {"type": "null"}}}}]
    return one_line(value_key="amounts")({**without_required(mapping, "label"), "anyOf": named}, handler)


class SpendRow(InputModel):
    """A planned-spend line: amounts per year, or `from_table:` a staffing table whose computed
    grand total is the spend of the first year (so no figure is typed twice)."""

    label: Text = Field(description="Row label, e.g. 'ACE'; defaults to the `from_table` title.")
    amounts: list[Money] | None = Field(default=None, description="Exact pounds for each year column, in order.")
    from_table: Text | None = Field(default=None, description="Title of a staffing table whose grand total is this row's first-year spend.")

    @model_validator(mode="before")
    @classmethod
    @reads(_spend_shapes)
    def _shorthand(cls, data: Any) -> Any:
        data = labelled(data, fields={"label", "amounts", "from_table"}, value_key="amounts")
        if isinstance(data, dict) and data.get("from_table") is not None and "label" not in data:
            data = data | {"label": data["from_table"]}
        return data

    @model_validator(mode="after")
    def _one_source(self) -> SpendRow:
        if (self.amounts is None) == (self.from_table is None):
            raise ValueError("give either `amounts` (one per year) or `from_table` (a staffing table's title)")
        return self


class MultiYearSummary(InputModel):
    """Funding rows, Total Budget, planned-spend rows, Planned Spend Total and the variance, per
    financial year with a Total column. Variance = planned spend − budget (negative is a saving)."""

    title: Text = Field(description="Heading of the label column, e.g. 'BAU Revenue'.")
    unit: Unit = Field(default="£m", description="Display unit: '£m' (3 decimal places) or '£' (to the penny).")
    first_year: int | None = Field(default=None, ge=2000, le=2099, description="First financial year, e.g. 2023 for 2023/24.")
    years: int | None = Field(default=None, ge=1, le=20, description="Number of financial-year columns from `first_year`.")
    year_labels: list[Text] | None = Field(
        default=None, min_length=1, description="Explicit column labels instead of `first_year`/`years`."
    )
    funding: list[FundingRow] = Field(min_length=1, description="Funding rows, e.g. Grant Funding, MPS Funding.")
    spend: list[SpendRow] = Field(min_length=1, description="Planned-spend rows, in print order.")
    budget_label: Text = Field(default="Total Budget", description="Label of the funding total row.")
    spend_heading: Text = Field(default="Planned spend", description="Heading row above the spend rows.")
    spend_total_label: Text = Field(default="Planned Spend Total", description="Label of the spend total row.")
    variance_label: Text = Field(default="Variance to Budget (-ve Saving)", description="Label of the variance row (spend − budget).")
    caption: Text | None = Field(default=None, description="Caption under the table.")

    @model_validator(mode="after")
    def _year_columns(self) -> MultiYearSummary:
        if self.year_labels is not None:
            if self.first_year is not None or self.years is not None:
                raise ValueError("give the year columns as `first_year` and `years`, or as `year_labels`, not both")
        elif self.first_year is None or self.years is None:
            raise ValueError("give the year columns: `first_year` (e.g. 2023) and `years` (e.g. 5), or `year_labels`")
        return self

    @property
    def year_columns(self) -> list[str]:
        """Financial-year labels: 2023/24, 2024/25 …"""
        if self.year_labels is not None:
            return list(self.year_labels)
        assert self.first_year is not None and self.years is not None
        return [financial_year(self.first_year + i) for i in range(self.years)]

    def findings(self, staffing_titles: Collection[str]) -> list[Finding]:
        """Rules the summary breaks, located relative to the summary."""
        years = self.year_columns
        width = len(years)
        span = f"{years[0]} to {years[-1]}" if width > 1 else years[0]
        found: list[Finding] = []
        rows: list[tuple[str, int, list[Decimal] | None]] = [("funding", i, r.amounts) for i, r in enumerate(self.funding)]
        rows += [("spend", i, r.amounts) for i, r in enumerate(self.spend)]
        for part, i, amounts in rows:
            if amounts is not None and len(amounts) != width:
                found.append(
                    Finding(
                        (part, i, "amounts"),
                        f"gives {len(amounts)} amount{'s' * (len(amounts) != 1)} but the table has {width} "
                        f"year column{'s' * (width != 1)} ({span}): give one amount per year",
                    )
                )
        first_use: dict[str, int] = {}
        for i, row in enumerate(self.spend):
            if row.from_table is None:
                continue
            loc = ("spend", i, "from_table")
            if row.from_table not in staffing_titles:
                found.append(
                    Finding(loc, f"no staffing table is titled {row.from_table!r}{suggestion(row.from_table, sorted(staffing_titles))}")
                )
            elif row.from_table in first_use:
                found.append(
                    Finding(
                        loc,
                        f"the {row.from_table} table is already counted in this summary",
                        related=("spend", first_use[row.from_table], "from_table"),
                    )
                )
            first_use.setdefault(row.from_table, i)
        return found

    def spend_amounts(self, row: SpendRow, staffing: Mapping[str, StaffingTable]) -> list[Decimal]:
        """A spend row's exact amounts per year; a `from_table` row spends its table's grand total in the first year."""
        if row.amounts is not None:
            return list(row.amounts)
        assert row.from_table is not None
        return [staffing[row.from_table].grand_total] + [Decimal(0)] * (len(self.year_columns) - 1)

    def view(self, staffing: Mapping[str, StaffingTable]) -> TableView:
        """The table as printed; raises ValueError if `findings` would report anything."""
        broken = self.findings(list(staffing))
        if broken:
            raise ValueError(f"the {self.title} summary cannot be shown: {broken[0].message}")
        years = self.year_columns
        suffix = unit_suffix(self.unit)
        columns = [Column(f"{y}{suffix}") for y in years] + [Column(f"Total{suffix}")]
        total_col = len(years)
        grid = Grid(
            title=self.title,
            unit=self.unit,
            label_heading=self.title,
            columns=columns,
            across=(total_col, tuple(range(total_col))),
        )
        every = list(range(len(columns)))
        funding = [grid.item(r.label, (*r.amounts, None)) for r in self.funding]
        budget = grid.total(self.budget_label, kind="total", parts=[(f, 1) for f in funding], columns=every)
        grid.heading(self.spend_heading)
        spend = [grid.item(r.label, (*self.spend_amounts(r, staffing), None)) for r in self.spend]
        spent = grid.total(self.spend_total_label, kind="total", parts=[(s, 1) for s in spend], columns=every)
        grid.total(self.variance_label, kind="total", parts=[(spent, 1), (budget, -1)], columns=every)
        return grid.view(caption=self.caption)
