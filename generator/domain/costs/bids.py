"""A table of funding bids: title, proposal, funding sources and their total, nature of bid
(e.g. Appendix A of DMPCD 2015 148)."""

from __future__ import annotations

from decimal import Decimal

from pydantic import Field, model_validator

from generator.domain.common.base import InputModel, Text
from generator.domain.common.money import Money
from generator.domain.costs.lines import CostLine
from generator.domain.costs.view import (
    DisplayRow,
    TableView,
    Unit,
    prose_amount,
    rounded,
    rounding_note,
)


class Bid(InputModel):
    """One bid. Its total is the sum of its funding sources; a bid that names only one sum gives
    `amount`, and one that gives only an approximate figure gives `amount_text`."""

    title: Text = Field(description="Title of the bid, e.g. 'CSE'.")
    proposal: Text = Field(description="What the bid proposes.")
    funding: list[CostLine] = Field(
        default_factory=list,
        description="Funding sources with exact amounts, e.g. 'PIF Funding: 1526000', 'PCC Match Funding: 506000'.",
    )
    amount: Money | None = Field(default=None, description="The bid's single sum when it has no breakdown, e.g. 803000.")
    amount_text: Text | None = Field(
        default=None, description="An approximate figure as written, when no exact sum is known: '£500k over two years'."
    )
    nature: Text = Field(description="Nature of bid, e.g. 'Proof of concept'.")

    @model_validator(mode="after")
    def _one_kind_of_sum(self) -> Bid:
        given = [name for name in ("funding", "amount", "amount_text") if getattr(self, name)]
        if len(given) != 1:
            raise ValueError(
                "give exactly one of `funding` (sources with amounts), `amount` (a single exact sum) "
                f"or `amount_text` (an approximate figure); got {', '.join(given) or 'none'}"
            )
        return self

    @property
    def total(self) -> Decimal | None:
        """Exact total of the bid; None when only an approximate figure is known."""
        if self.funding:
            return sum((f.amount for f in self.funding), Decimal(0))
        return self.amount


class BidTable(InputModel):
    """Bids in print order; amounts are shown in the table's unit (£ to the penny, or £m)."""

    title: Text = Field(description="Name of the table, e.g. 'Appendix A: Bid tables'; used to refer to it.")
    unit: Unit = Field(default="£", description="Display unit: '£' (to the penny) or '£m' (3 decimal places).")
    total_heading: Text = Field(default="Total", description="Heading of the total column, e.g. 'Total Cost 2016-2018'.")
    bids: list[Bid] = Field(min_length=1, description="The bids, in print order.")
    caption: Text | None = Field(default=None, description="Caption under the table.")

    def view(self) -> TableView:
        """Columns Title, Proposal, Funding (one source per line), total, Nature of Bid; no Funding
        column when no bid names its sources (each a single sum), where it would be empty."""
        columns = [  # after the title: each column's heading, then its cell for each bid
            ("Proposal", [bid.proposal for bid in self.bids]),
            ("Funding", ["\n".join(f"{f.label}: {prose_amount(f.amount, self.unit)}" for f in bid.funding) for bid in self.bids]),
            (
                self.total_heading,
                [prose_amount(bid.total, self.unit) if bid.total is not None else (bid.amount_text or "") for bid in self.bids],
            ),
            ("Nature of Bid", [bid.nature for bid in self.bids]),
        ]
        if not any(bid.funding for bid in self.bids):
            del columns[1]  # Funding: empty in every row
        rows = tuple(
            DisplayRow(label=bid.title, cells=tuple(cells[i] for _, cells in columns), kind="item") for i, bid in enumerate(self.bids)
        )
        return TableView(
            title=self.title,
            header=("Title", *(heading for heading, _ in columns)),
            rows=rows,
            notes=(rounding_note(title=self.title, unit=self.unit, headings=[self.total_heading]),) if self._unequal() else (),
            caption=self.caption,
        )

    def _unequal(self) -> bool:
        """Whether some bid's rounded sources do not add up to its rounded total (possible only in £m)."""
        return any(
            bid.total is not None
            and bid.funding
            and sum((rounded(f.amount, self.unit) for f in bid.funding), Decimal(0)) != rounded(bid.total, self.unit)
            for bid in self.bids
        )
