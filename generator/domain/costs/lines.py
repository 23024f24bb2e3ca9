"""Small inputs shared by the cost tables: a labelled amount, an FTE figure, and the
`Label: value` shorthand that lets a YAML author write one line instead of a mapping."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any

from pydantic import BeforeValidator, Field, GetJsonSchemaHandler, WithJsonSchema, model_validator
from pydantic.json_schema import JsonSchemaValue

from generator.domain.common.base import InputModel, Text
from generator.domain.common.money import Money
from generator.domain.common.shapes import Shapes, any_shape, not_null, reads


def one_line(*, value_key: str) -> Shapes:
    """The shapes `labelled` reads: the mapping, or one line `<label>: <value_key>` whose key is
    not a field name and whose value is what `value_key` takes."""

    def shapes(mapping: JsonSchemaValue, handler: GetJsonSchemaHandler) -> JsonSchemaValue:
        fields = mapping["properties"]
        label = {key: value for key, value in not_null(fields["label"]).items() if key != "description"}
        line = {
            "type": "object",
            "description": f"Written on one line: the label as the key, the {value_key} as its value.",
            "minProperties": 1,
            "maxProperties": 1,
            "propertyNames": {"allOf": [label, {"not": {"enum": sorted(fields)}}]},
            "additionalProperties": not_null(fields[value_key]),
        }
        return any_shape(mapping, line)

    return shapes


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
        # Digits and a point only: Decimal would also read "1_0" as 10, "1e1", and ٣ as 3.
        if not re.match(_FTE_TEXT, value, re.ASCII):
            if re.match(_FTE_TEXT, value.strip().removeprefix("-"), re.ASCII):
                raise ValueError(f"FTE must not be negative (got {value.strip()})")
            raise ValueError(f"not a number of full-time equivalents: {value!r} (write e.g. 3 or 0.5)")
        try:
            return Decimal(value.strip())
        except InvalidOperation as exc:  # pragma: no cover - the pattern admits only numbers
            raise ValueError(f"not a number of full-time equivalents: {value!r} (write e.g. 3 or 0.5)") from exc
    return value


_FTE_TEXT = r"^\s*\d+(?:\.\d+)?\s*$"

Fte = Annotated[
    Decimal,
    BeforeValidator(_parse_fte),
    Field(ge=0, le=10_000, decimal_places=3, allow_inf_nan=False),
    WithJsonSchema(
        {
            "anyOf": [{"type": "number", "minimum": 0, "maximum": 10_000}, {"type": "string", "pattern": _FTE_TEXT}],
            "description": "Full-time equivalents, e.g. 3 or 0.5, to at most 3 decimal places.",
        }
    ),
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
    @reads(one_line(value_key="amount"))
    def _one_line(cls, data: Any) -> Any:
        return labelled(data, fields={"label", "amount"}, value_key="amount")
