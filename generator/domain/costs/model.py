"""The cost tables of an MPS supporting report, and the rules across them.

Summaries, staffing breakdowns and bid tables are listed separately; each is known by its
title, which a summary's `from_table` and a template use to find it.
"""

from __future__ import annotations

from typing import Any

from pydantic import Field, PrivateAttr

from generator.domain.common.base import InputModel
from generator.domain.common.findings import Finding, Loc
from generator.domain.costs.bids import Bid, BidTable
from generator.domain.costs.lines import CostLine
from generator.domain.costs.staffing import Role, StaffGroup, StaffingTable
from generator.domain.costs.summary import FundingRow, MultiYearSummary, SpendRow
from generator.domain.costs.view import DisplayRow, TableView, Unit

__all__ = [
    "Bid",
    "BidTable",
    "CostLine",
    "CostTables",
    "DisplayRow",
    "FundingRow",
    "MultiYearSummary",
    "Role",
    "SpendRow",
    "StaffGroup",
    "StaffingTable",
    "TableView",
    "Unit",
    "check_costs",
]


class CostTables(InputModel):
    """Every cost table of a report, each with a title unique among them."""

    summaries: list[MultiYearSummary] = Field(
        default_factory=list, description="Multi-year summaries of funding and planned spend (e.g. BAU Revenue)."
    )
    staffing: list[StaffingTable] = Field(
        default_factory=list, description="Staffing breakdowns: roles × FTE, teams, other costs, grand total."
    )
    bids: list[BidTable] = Field(default_factory=list, description="Tables of funding bids.")

    @property
    def staffing_by_title(self) -> dict[str, StaffingTable]:
        return {t.title: t for t in self.staffing}

    def titles(self) -> list[tuple[Loc, str]]:
        """Every table's title with where it is given, in file order."""
        return [
            ((part, i, "title"), table.title) for part in ("summaries", "staffing", "bids") for i, table in enumerate(getattr(self, part))
        ]

    # Every table's view, worked out once for the tables it was made from: the money check reads
    # each printed figure and the documents print them, from the same input.
    _views: tuple[tuple[Any, ...], dict[str, TableView]] | None = PrivateAttr(default=None)

    def view(self, title: str) -> TableView:
        """The table titled `title`, ready to print; KeyError naming the known titles otherwise."""
        views = self.views()
        if title in views:
            return views[title]
        raise KeyError(f"no cost table is titled {title!r}; known: {', '.join(t for _, t in self.titles())}")

    def views(self) -> dict[str, TableView]:
        """Every table by title, for a template to pick from (a view is immutable: shared by all who ask)."""
        tables = (self.summaries, self.staffing, self.bids)
        made = self._views
        if made is None or any(now is not then for now, then in zip(tables, made[0], strict=True)):  # a copy with other tables
            made = self._views = (tables, {title: self._view(title) for _, title in self.titles()})
        return made[1]

    def _view(self, title: str) -> TableView:
        for table in self.summaries:
            if table.title == title:
                return table.view(self.staffing_by_title)
        others: list[StaffingTable | BidTable] = [*self.staffing, *self.bids]
        for other in others:
            if other.title == title:
                return other.view()
        raise KeyError(title)  # titles() names only tables there are


def check_costs(costs: CostTables) -> list[Finding]:
    """Every rule the cost tables break, located relative to `costs`; empty when they can be printed."""
    found: list[Finding] = []
    first: dict[str, Loc] = {}
    for loc, title in costs.titles():
        if title in first:
            found.append(Finding(loc, f"another cost table is already titled {title!r}", related=first[title]))
        first.setdefault(title, loc)
    titles = list(costs.staffing_by_title)
    for i, summary in enumerate(costs.summaries):
        for finding in summary.findings(titles):
            related = ("summaries", i, *finding.related) if finding.related else None
            found.append(Finding(("summaries", i, *finding.loc), finding.message, related))
    return found
