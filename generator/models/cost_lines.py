"""Small inputs shared by the cost tables: a labelled amount, an FTE figure, and the
`Label: value` shorthand that lets a YAML author write one line instead of a mapping."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Annotated, Any

from pydantic import BeforeValidator, Field, model_validator

from generator.models.base import InputModel, Text
from generator.models.money import Money


def labelled(data: Any, *, fields: set[str], value_key: str) -> Any:
    """`{"Support Costs": 210000}` → `{"label": "Support Costs", value_key: 210000}`.

    Only a one-key mapping whose key is not a field name is rewritten, so a mistyped
    field still gets the usual 'unknown key' error.
    """
    if isinstance(data, dict) and len(data) == 1:
        ((key, value),) = data.items()
        if key not in fields and not isinstance(value, dict):
            return {"label": key, value_key: value}
    return data


def _parse_fte(value: Any) -> Any:
    if isinstance(value, float):
        # ValueError, not TypeError: pydantic reports only ValueErrors as validation errors.
        raise ValueError("FTE must be written exactly, e.g. 1 or 0.5 (as text), not as a binary fraction")
    if isinstance(value, str):
        try:
            return Decimal(value.strip())
        except InvalidOperation as exc:
            raise ValueError(f"not a number of full-time equivalents: {value!r} (write e.g. 3 or 0.5)") from exc
    return value


Fte = Annotated[
    Decimal,
    BeforeValidator(_parse_fte),
    Field(ge=0, le=10_000, decimal_places=3, allow_inf_nan=False),
]
"""Full-time equivalents, exact and non-negative, to at most 3 decimal places (e.g. 3, 0.5)."""


class CostLine(InputModel):
    """A labelled exact amount: a non-staff cost line, or one funding source of a bid.

    Written as a mapping or as one line, `Support Costs: 210000`.
    """

    label: Text = Field(description="What the amount is, as printed: 'Support Costs', 'PIF Funding'.")
    amount: Money = Field(description="The exact amount in pounds, e.g. 210000 or £210,000.00.")

    @model_validator(mode="before")
    @classmethod
    def _one_line(cls, data: Any) -> Any:
        return labelled(data, fields={"label", "amount"}, value_key="amount")
