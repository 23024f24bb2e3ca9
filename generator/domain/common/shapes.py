"""What the JSON schema of an input must say beyond a model's fields, declared beside the models.

Two things: the other shapes a mode="before" validator reads (a paragraph written as a plain
string, a cost line written `Support Costs: 30800`), marked on the validator with `reads`; and
the closed sets a field's value must come from (form versions, standard section keys …), marked
on the field's type with `Standard`. generator/schema.py turns both into JSON Schema.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal, TypeVar, cast

from pydantic import GetCoreSchemaHandler, GetJsonSchemaHandler
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema

Shapes = Callable[[JsonSchemaValue, GetJsonSchemaHandler], JsonSchemaValue]
"""Given the JSON schema of a model's mapping, the JSON schema of everything its validator reads."""

F = TypeVar("F", bound=Callable[..., Any])
_SHAPES = "__grantdocs_shapes__"
_STANDARD = "grantdocs_standard"
_ABOUT = ("title", "description")

StandardKind = Literal["form version", "form section", "declaration row", "report section", "clause", "optional clause", "FOIA section"]


def reads(shapes: Shapes) -> Callable[[F], F]:
    """Mark a mode="before" model validator with the shapes it reads, so the JSON schema offers
    each of them; InputModel refuses to describe a model whose before-validator is unmarked."""

    def mark(validator: F) -> F:
        setattr(validator, _SHAPES, shapes)
        return validator

    return mark


def shapes_read_by(validator: Any) -> Shapes | None:
    """The shapes `validator` was marked with (it may be a bound classmethod), or None."""
    return cast("Shapes | None", getattr(validator, _SHAPES, None))


def any_shape(mapping: JsonSchemaValue, *others: JsonSchemaValue) -> JsonSchemaValue:
    """`mapping` or any of `others`, the model's title and description kept on top, where editors show them."""
    about = {key: mapping[key] for key in _ABOUT if key in mapping}
    rest = {key: value for key, value in mapping.items() if key not in _ABOUT}
    return {**about, "anyOf": [*others, rest]}


def not_null(schema: JsonSchemaValue) -> JsonSchemaValue:
    """A field's schema without its title and default, and without the `null` an optional field allows."""
    kept = {key: value for key, value in schema.items() if key not in ("title", "default")}
    alternatives = [a for a in kept.pop("anyOf", []) if a != {"type": "null"}]
    if len(alternatives) == 1:
        return {**alternatives[0], **kept}
    return {**kept, "anyOf": alternatives} if alternatives else kept


def without_required(mapping: JsonSchemaValue, name: str) -> JsonSchemaValue:
    """`mapping` with `name` no longer required (a shorthand supplies it)."""
    required = [r for r in mapping.get("required", []) if r != name]
    rest = {key: value for key, value in mapping.items() if key != "required"}
    return {**rest, "required": required} if required else rest


@dataclass(frozen=True)
class Standard:
    """Marks a value that must be one of a closed set the defaults define (a form version, a
    standard section's key …): the input schema lists the set as an enum, with what each means."""

    kind: StandardKind

    def __get_pydantic_core_schema__(self, source: Any, handler: GetCoreSchemaHandler) -> CoreSchema:
        schema = handler(source)
        return cast("CoreSchema", {**schema, "metadata": {**schema.get("metadata", {}), _STANDARD: self.kind}})


def standard_kind(schema: CoreSchema) -> StandardKind | None:
    """The closed set a core schema was marked with by `Standard`, if any."""
    return cast("StandardKind | None", schema.get("metadata", {}).get(_STANDARD))
