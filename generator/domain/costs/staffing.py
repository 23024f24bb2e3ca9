"""A staffing cost breakdown: roles costed as annual cost × FTE, grouped by team, plus
non-staff lines, totalled against the grant (e.g. the OCS report's ROCU table)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from pydantic import Field, GetJsonSchemaHandler, model_validator
from pydantic.json_schema import JsonSchemaValue

from generator.domain.common.base import InputModel, Text
from generator.domain.common.money import Money
from generator.domain.common.shapes import reads, without_required
from generator.domain.costs.lines import CostLine, Fte
from generator.domain.costs.view import (
    Column,
    Grid,
    TableView,
    Unit,
    prose_amount,
    unit_suffix,
)

# Columns after the role: the last two only when something is match funded.
ANNUAL, FTE, TOTAL, MATCH, GRAND = range(5)


class Role(InputModel):
    """One role: its annual cost, the FTE the table funds, and any FTE match funded at the same cost."""

    role: Text = Field(description="The role as printed, e.g. 'Detective Constable', 'Band D (CoLP)'.")
    annual_cost: Money = Field(description="Exact annual cost of one FTE in pounds, e.g. 66230.")
    fte: Fte = Field(description="Full-time equivalents costed in the Total cost column, e.g. 3 or 0.5.")
    match_fte: Fte | None = Field(
        default=None,
        description="FTE funded from MPS budgets at the same annual cost (the match-funded column); "
        "leave out when the group is `match_funded` or there is none.",
    )

    @model_validator(mode="after")
    def _costs_something(self) -> Role:
        if self.fte == 0 and not self.match_fte:
            raise ValueError("a role needs an FTE above 0 (in `fte` or `match_fte`)")
        return self


class StaffGroup(InputModel):
    """A team of roles; a named group gets a heading and a TOTAL row."""

    name: Text | None = Field(default=None, description="Team heading, e.g. 'RART (Frontline Officers)'.")
    match_funded: bool = Field(default=False, description="Every role in the team is matched FTE for FTE from MPS budgets.")
    roles: list[Role] = Field(min_length=1, description="The team's roles, in print order.")
    total_label: Text = Field(default="TOTAL", description="Label of the team's subtotal row.")

    @model_validator(mode="after")
    def _one_source_of_match(self) -> StaffGroup:
        if self.match_funded and any(r.match_fte is not None for r in self.roles):
            raise ValueError("the group is `match_funded` (match FTE = FTE), so leave out each role's `match_fte`")
        return self

    def match_fte(self, role: Role) -> Decimal:
        """FTE of `role` paid by match funding."""
        return role.fte if self.match_funded else (role.match_fte or Decimal(0))


def _roles_alone_shapes(mapping: JsonSchemaValue, handler: GetJsonSchemaHandler) -> JsonSchemaValue:
    """What StaffingTable._roles_alone reads: `groups`, or instead `roles`, a group's roles written directly."""
    group = handler.resolve_ref_schema(mapping["properties"]["groups"]["items"])
    roles = {**group["properties"]["roles"], "description": "The roles of a table with one unnamed team, written instead of `groups`."}
    return {
        **without_required(mapping, "groups"),
        "properties": {**mapping["properties"], "roles": roles},
        "oneOf": [{"required": ["groups"]}, {"required": ["roles"]}],
    }


class StaffingTable(InputModel):
    """A staffing breakdown against a grant; write `roles:` directly for a table of one unnamed group."""

    title: Text = Field(description="Table title, e.g. 'ROCU'; also the name a summary's `from_table` uses.")
    grant: Money = Field(description="The grant amount the expenditure is set against, e.g. 1000000.")
    unit: Unit = Field(default="£m", description="Display unit: '£m' (3 decimal places) or '£' (to the penny).")
    groups: list[StaffGroup] = Field(min_length=1, description="Teams of roles, in print order.")
    other_costs: list[CostLine] = Field(
        default_factory=list,
        description="Non-staff lines after the staff costs, e.g. 'Support Costs: 210000', 'Overtime: 8000'.",
    )
    staff_total_label: Text = Field(
        default="Total Police Officer and Police Staff costs",
        description="Label of the row totalling all teams (printed when there is more than one team).",
    )
    caption: Text | None = Field(default=None, description="Caption under the table, e.g. 'Table 1: …'.")

    @model_validator(mode="before")
    @classmethod
    @reads(_roles_alone_shapes)
    def _roles_alone(cls, data: Any) -> Any:
        if isinstance(data, dict) and "roles" in data and "groups" not in data:
            data = {k: v for k, v in data.items() if k != "roles"} | {"groups": [{"roles": data["roles"]}]}
        return data

    @property
    def has_match_funding(self) -> bool:
        """Whether the table prints the match-funded and grand total columns."""
        return any(g.match_fte(r) > 0 for g in self.groups for r in g.roles)

    @property
    def fte(self) -> Decimal:
        """All FTE in the FTE column (match-funded FTE is not counted twice)."""
        return sum((r.fte for g in self.groups for r in g.roles), Decimal(0))

    @property
    def staff_cost(self) -> Decimal:
        """Exact cost of all roles, grant- and match-funded."""
        return sum((r.annual_cost * (r.fte + g.match_fte(r)) for g in self.groups for r in g.roles), Decimal(0))

    @property
    def grand_total(self) -> Decimal:
        """Exact total expenditure: every role plus every other cost."""
        return self.staff_cost + sum((c.amount for c in self.other_costs), Decimal(0))

    def view(self) -> TableView:
        """The table as printed: header, rows with subtotals and grand total, and rounding notes."""
        suffix = unit_suffix(self.unit)
        columns = [Column(f"Annual cost{suffix}"), Column("FTE", money=False), Column(f"Total cost{suffix}")]
        match = self.has_match_funding
        if match:
            columns += [Column(f"Match Funded total cost{suffix}"), Column(f"Grand Total{suffix}")]
        last = GRAND if match else TOTAL
        grid = Grid(
            title=self.title,
            unit=self.unit,
            label_heading=f"{self.title} (Grant Amount {prose_amount(self.grant, self.unit)})",
            columns=columns,
            across=(GRAND, (TOTAL, MATCH)) if match else None,
            product=(TOTAL, ANNUAL, FTE),
        )
        staff_rows = [self._add_group(grid, group, match=match) for group in self.groups]
        staff_parts = [row for rows in staff_rows for row in rows]
        if len(self.groups) > 1:
            staff_parts = [grid.total(self.staff_total_label, kind="subtotal", parts=_plus(staff_parts), columns=[FTE, last])]
        extras = [grid.item(c.label, _only(len(columns), last, c.amount)) for c in self.other_costs]
        grid.total(
            f"GRAND TOTAL EXPENDITURE AGAINST {prose_amount(self.grant, self.unit)}",
            kind="total",
            parts=_plus(staff_parts + extras),
            columns=[FTE, last],
        )
        return grid.view(caption=self.caption)

    def _add_group(self, grid: Grid, group: StaffGroup, *, match: bool) -> list[int]:
        """Rows of one team; returns the rows later totals add up (its subtotal, or its roles)."""
        if group.name:
            grid.heading(group.name)
        roles = []
        for role in group.roles:
            match_cost = role.annual_cost * group.match_fte(role)
            values: list[Decimal | None] = [role.annual_cost, role.fte, role.annual_cost * role.fte]
            if match:
                values += [match_cost if group.match_fte(role) else None, None]
            roles.append(grid.item(role.role, tuple(values)))
        if not group.name:
            return roles
        columns = [FTE, TOTAL, MATCH, GRAND] if match else [FTE, TOTAL]
        return [grid.total(group.total_label, kind="subtotal", parts=_plus(roles), columns=columns)]


def _plus(rows: list[int]) -> list[tuple[int, int]]:
    return [(row, 1) for row in rows]


def _only(width: int, col: int, value: Decimal) -> tuple[Decimal | None, ...]:
    return tuple(value if i == col else None for i in range(width))
