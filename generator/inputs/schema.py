"""The JSON Schema of a decision input, for editors that complete and check YAML (`grantdocs schema`).

It accepts every input `grantdocs validate` accepts, shorthands included, and refuses what validate
refuses for its shape: unknown keys, wrong types, names outside the closed sets the defaults
define, money and dates not written as money and dates. Rules across values (totals, dates in
order, exactly one of two keys) stay with validate. The models say what each field is; this module
says how YAML reaches them, and what the closed sets hold.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from pydantic.json_schema import GenerateJsonSchema, JsonSchemaMode, JsonSchemaValue
from pydantic_core import CoreSchema, core_schema

from generator.domain.common.shapes import StandardKind, standard_kind
from generator.domain.decision.model import Decision
from generator.domain.decision_form.model import DecisionForm
from generator.domain.part_2.statement import FOIA_SECTIONS
from generator.inputs.load import load_agreement_wording, load_form_wordings, load_report_wording

SCHEMA_FILE = Path(__file__).resolve().parents[2] / "schema" / "decision.schema.json"
"""The schema as committed, where editors find it (kept equal to `grantdocs schema` by a test)."""
SCHEMA_ID = "urn:grantdocs:schema:decision"

# The reader keeps every scalar as the text written; an editor types `450000.00`, `true` or `2023`
# as a number or a boolean first. Where the models take text, those are text too.
SCALARS = ["string", "number", "boolean"]
# The words pydantic reads as a bool, in any case; an editor reading YAML 1.1 sees yes/no/on/off as booleans.
BOOL_WORDS = ("0", "1", "f", "t", "n", "y", "no", "yes", "on", "off", "false", "true")
BOOL_TEXT = "^(?:" + "|".join("".join(f"[{c.upper()}{c}]" if c.isalpha() else c for c in word) for word in BOOL_WORDS) + ")$"
# pydantic's int from text: spaces around, a sign, underscores between digits, a zero fraction.
INT_TEXT = r"^\s*[+-]?[0-9]+(?:_[0-9]+)*(?:\.0+)?\s*$"


def decision_schema() -> JsonSchemaValue:
    """The JSON Schema 2020-12 of a decision input file."""
    return Decision.model_json_schema(schema_generator=InputSchema)


def schema_text() -> str:
    """The schema as `grantdocs schema` prints it and SCHEMA_FILE holds it."""
    return json.dumps(decision_schema(), indent=2, ensure_ascii=False) + "\n"


class InputSchema(GenerateJsonSchema):
    """pydantic's JSON Schema of the models, as YAML reaches them: scalars typed by the editor but
    read as text, closed sets as enums, and each form version's own section and declaration keys."""

    def generate(self, schema: CoreSchema, mode: JsonSchemaMode = "validation") -> JsonSchemaValue:
        generated = super().generate(schema, mode=mode)
        definitions = generated.pop("$defs", {})
        return {"$schema": self.schema_dialect, "$id": SCHEMA_ID, **generated, "$defs": definitions}

    def str_schema(self, schema: core_schema.StringSchema) -> JsonSchemaValue:
        """Text from a closed set is an enum; free text (no pattern to match) is any YAML scalar."""
        kind = standard_kind(schema)
        if kind is not None:
            return _enum(kind)
        json_schema = super().str_schema(schema)
        return json_schema if "pattern" in json_schema else {**json_schema, "type": SCALARS}

    def bool_schema(self, schema: core_schema.BoolSchema) -> JsonSchemaValue:
        """true/false, 0/1, or a word pydantic reads as yes or no (the reader hands it `yes` as text)."""
        return {"anyOf": [{"type": "boolean"}, {"enum": [0, 1]}, {"type": "string", "pattern": BOOL_TEXT}]}

    def int_schema(self, schema: core_schema.IntSchema) -> JsonSchemaValue:
        """A whole number, or one written as text ("2023"), as the reader hands it over."""
        kind = standard_kind(schema)
        number = _enum(kind) if kind is not None else super().int_schema(schema)
        return {"anyOf": [number, {"type": "string", "pattern": INT_TEXT}]}

    def dict_schema(self, schema: core_schema.DictSchema) -> JsonSchemaValue:
        """A mapping whose keys follow a pattern (financial years) takes no other key, as validate refuses them."""
        json_schema = super().dict_schema(schema)
        if "patternProperties" in json_schema and "additionalProperties" not in json_schema:
            json_schema["additionalProperties"] = False
        return json_schema

    def model_schema(self, schema: core_schema.ModelSchema) -> JsonSchemaValue:
        json_schema = super().model_schema(schema)
        if schema["cls"] is DecisionForm:
            json_schema["allOf"] = _each_form_own_keys()
        return json_schema


def _enum(kind: StandardKind) -> JsonSchemaValue:
    """A closed set as an enum, described value by value."""
    choices = standard_sets()[kind]
    meanings = "; ".join(f"{value}: {meaning}" for value, meaning in choices.items())
    return {"enum": list(choices), "description": f"One of the {kind}s. {meanings}."}


def _each_form_own_keys() -> list[JsonSchemaValue]:
    """For each form version, when `form` names it: its own section keys in part_1, its own declaration rows."""
    rules = []
    for name, form in load_form_wordings().items():
        sections = {"enum": [*form.sections, None]}
        rows = {"enum": [*(d.key for d in form.declarations), None]}
        rules.append(
            {
                "if": {"properties": {"form": {"const": name}}, "required": ["form"]},
                "then": {
                    "properties": {
                        "part_1": {"items": {"properties": {"key": sections}}},
                        "declarations": {"items": {"properties": {"key": rows}}},
                    }
                },
            }
        )
    return rules


@cache
def standard_sets() -> dict[StandardKind, dict[Any, str]]:
    """Every closed set a `Standard` field draws from, value → what it means, from the defaults files."""
    forms = load_form_wordings()
    library = load_agreement_wording()
    sections: dict[str, list[str]] = {}
    rows: dict[str, list[str]] = {}
    for name, form in forms.items():
        for key, heading in form.sections.items():
            sections.setdefault(f"{key}\0{heading}", []).append(name)
        for row in form.declarations:
            rows.setdefault(f"{row.key}\0{row.heading}", []).append(name)
    return {
        "form version": {name: form.label for name, form in forms.items()},
        "form section": _by_form(sections),
        "declaration row": _by_form(rows),
        "report section": dict(load_report_wording().sections),
        "clause": {c.key: c.heading + (" (optional)" if c.optional else "") for c in library.clauses},
        "optional clause": {c.key: c.heading for c in library.clauses if c.optional},
        "FOIA section": {n: f"section {n}, {why}" for n, why in FOIA_SECTIONS.items()},
    }


def _by_form(found: dict[str, list[str]]) -> dict[str, str]:
    """key → 'heading (form versions)', each key once even where form versions head it differently."""
    meanings: dict[str, list[str]] = {}
    for key_heading, names in found.items():
        key, heading = key_heading.split("\0")
        meanings.setdefault(key, []).append(f"{heading} ({', '.join(names)})")
    return {key: " or ".join(headings) for key, headings in meanings.items()}
