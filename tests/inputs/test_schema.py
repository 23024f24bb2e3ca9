"""The JSON schema editors use (`grantdocs schema`): a valid 2020-12 schema in standard keywords,
committed where editors find it, accepting every input `grantdocs validate` accepts and refusing
what validate refuses for its shape. Inputs are read as an editor reads them: yaml.safe_load."""

from __future__ import annotations

import copy
import re
import tempfile
import typing
from collections.abc import Iterator
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from hypothesis import event, given
from hypothesis import strategies as st
from pydantic import BaseModel, ValidationError, create_model
from typer.testing import CliRunner

from cli import app
from generator.checks.template_types import alternatives
from generator.domain.common.base import InputModel, Reference, Text, UKDate
from generator.domain.common.deadline import Deadline
from generator.domain.common.markings import Part1Marking
from generator.domain.common.money import Money
from generator.domain.common.shapes import shapes_read_by
from generator.domain.costs.lines import Fte
from generator.domain.decision.model import Decision
from generator.domain.part_2.statement import FOIA_SECTIONS
from generator.errors import InputError
from generator.inputs.load import load_agreement_wording, load_decision, load_form_wordings, load_report_wording
from generator.inputs.schema import SCHEMA_FILE, SCHEMA_ID, InputSchema, decision_schema, schema_text
from tests.conftest import EXAMPLES, FIXTURES, MINIMAL
from tests.support.strategies import examples, paragraphs, texts
from tests.support.yaml_inputs import dump, fixture

SCHEMA = decision_schema()
DEFS = SCHEMA["$defs"]
VALIDATOR = jsonschema.Draft202012Validator(SCHEMA)
COST_TABLES = jsonschema.Draft202012Validator({"$ref": "#/$defs/CostTables", "$defs": DEFS})
INPUTS = FIXTURES / "inputs"
DECISIONS = sorted(EXAMPLES.glob("*.yaml")) + sorted(p for p in INPUTS.glob("*.yaml") if p.name != "ocs-costs.yaml")
REPORT, AGREEMENT, PART_2 = INPUTS / "report.yaml", INPUTS / "agreement.yaml", INPUTS / "part-2.yaml"
OCS = EXAMPLES / "ocs-grant-2023-24.yaml"
DMPCD = EXAMPLES / "dmpcd-2015-148.yaml"
runner = CliRunner()


def editor_view(text: str) -> Any:
    """YAML text as an editor checks it against a JSON schema: yaml.safe_load, then JSON's types
    (a date is the text it was written as; keys are text)."""
    return _jsonable(yaml.safe_load(text))


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return value


def schema_problems(text: str, validator: jsonschema.protocols.Validator = VALIDATOR) -> list[str]:
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message[:200]}" for e in validator.iter_errors(editor_view(text))]


def validate_problems(text: str) -> list[str]:
    """What `grantdocs validate` says about `text` ([] when it accepts it)."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "input.yaml"
        path.write_text(text, encoding="utf-8")
        try:
            load_decision(path)
        except InputError as error:
            return [str(p) for p in error.problems]
    return []


# ------------------------------------------------------------------------- the schema itself

# The keywords of JSON Schema 2020-12's vocabularies.
STANDARD_KEYWORDS = {
    "$schema", "$id", "$ref", "$anchor", "$dynamicRef", "$dynamicAnchor", "$vocabulary", "$comment", "$defs",  # core
    "prefixItems", "items", "contains", "additionalProperties", "properties", "patternProperties", "dependentSchemas",  # applicator
    "propertyNames", "if", "then", "else", "allOf", "anyOf", "oneOf", "not", "unevaluatedItems", "unevaluatedProperties",
    "type", "const", "enum", "multipleOf", "maximum", "exclusiveMaximum", "minimum", "exclusiveMinimum", "maxLength",  # validation
    "minLength", "pattern", "maxItems", "minItems", "uniqueItems", "maxContains", "minContains", "maxProperties",
    "minProperties", "required", "dependentRequired",
    "title", "description", "default", "deprecated", "readOnly", "writeOnly", "examples",  # meta-data
    "format", "contentEncoding", "contentMediaType", "contentSchema",  # format annotation, content
}  # fmt: skip
_ONE = {"items", "contains", "additionalProperties", "propertyNames", "if", "then", "else", "not"}
_ONE |= {"unevaluatedItems", "unevaluatedProperties", "contentSchema"}
_MANY = {"prefixItems", "allOf", "anyOf", "oneOf"}
_NAMED = {"properties", "patternProperties", "$defs", "dependentSchemas"}


def subschemas(schema: Any, where: str = "#") -> Iterator[tuple[str, dict[str, Any]]]:
    """Every schema object inside `schema`, with where it is; values of enum, default … are not schemas."""
    if not isinstance(schema, dict):
        return
    yield where, schema
    for key, value in schema.items():
        if key in _ONE:
            yield from subschemas(value, f"{where}/{key}")
        elif key in _MANY:
            for i, item in enumerate(value):
                yield from subschemas(item, f"{where}/{key}/{i}")
        elif key in _NAMED:
            for name, item in value.items():
                yield from subschemas(item, f"{where}/{key}/{name}")


def test_schema_is_json_schema_2020_12_with_an_id() -> None:
    assert SCHEMA["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert SCHEMA["$id"] == SCHEMA_ID
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    assert SCHEMA["title"] == "Decision" and SCHEMA["additionalProperties"] is False


def test_schema_uses_standard_keywords_only() -> None:
    strange = {f"{where}: {key}" for where, schema in subschemas(SCHEMA) for key in schema if key not in STANDARD_KEYWORDS}
    assert not strange
    assert not any("format" in schema for _, schema in subschemas(SCHEMA)), "editors check formats: a UK date is no format: date"


def test_patterns_are_portable_to_editors() -> None:
    """Patterns compile, and use nothing ECMA-262 (what editors run them with) lacks."""
    patterns = [schema["pattern"] for _, schema in subschemas(SCHEMA) if "pattern" in schema]
    assert patterns
    for pattern in patterns:
        re.compile(pattern)
        assert not re.search(r"\(\?P|\(\?[aiLmsux]|\\[AZ]|\(\?#", pattern), pattern


def test_every_mapping_refuses_unknown_keys() -> None:
    assert SCHEMA["additionalProperties"] is False
    assert [name for name in DEFS if mapping_of(name).get("additionalProperties") is not False] == []


def models_in(model: type[BaseModel]) -> Iterator[type[BaseModel]]:
    """`model` and every model its fields hold, each once."""
    seen: dict[type[BaseModel], None] = {}
    todo = [model]
    while todo:
        current = todo.pop()
        if current in seen:
            continue
        seen[current] = None
        for field in current.model_fields.values():
            todo += [t for t in _types_in(field.annotation) if isinstance(t, type) and issubclass(t, BaseModel)]
    yield from seen


def _types_in(annotation: Any) -> Iterator[Any]:
    for t in alternatives(annotation):
        yield t
        for arg in typing.get_args(t):
            yield from _types_in(arg)


def mapping_of(name: str) -> dict[str, Any]:
    """The mapping shape of the model defined as `name` (its def, or the alternative with properties)."""
    definition: dict[str, Any] = SCHEMA if name == "Decision" else DEFS[name]
    if "properties" in definition:
        return definition
    mappings: list[dict[str, Any]] = [shape for shape in definition["anyOf"] if "properties" in shape]
    (mapping,) = mappings
    return mapping


def test_field_descriptions_survive() -> None:
    for model in models_in(Decision):
        properties = mapping_of(model.__name__)["properties"]
        for name, field in model.model_fields.items():
            if field.description:
                assert properties[name].get("description") == field.description, f"{model.__name__}.{name}"
        if model.__doc__:
            assert (SCHEMA if model is Decision else DEFS[model.__name__]).get("description"), model.__name__


def test_each_before_validator_offers_what_it_reads_as_an_alternative() -> None:
    readers = []
    for model in models_in(Decision):
        before = [d for d in model.__pydantic_decorators__.model_validators.values() if d.info.mode == "before"]
        if before:
            readers.append(model.__name__)
            assert all(shapes_read_by(d.func) for d in before), model.__name__
            definition = DEFS[model.__name__]
            assert "anyOf" in definition or "oneOf" in definition, model.__name__
    assert {"Paragraph", "Recommendation", "Block", "SubItem", "CostLine", "FundingRow", "SpendRow", "StaffingTable"} <= set(readers)


def test_an_unmarked_before_validator_stops_the_schema() -> None:
    from pydantic import model_validator

    class Loose(InputModel):
        text: str

        @model_validator(mode="before")
        @classmethod
        def _anything(cls, data: Any) -> Any:
            return data

    with pytest.raises(TypeError, match=r"Loose\._anything .* @reads"):
        Loose.model_json_schema()


def enum_at(schema: dict[str, Any]) -> list[Any]:
    """The enum a field's schema holds (directly or as a non-null alternative)."""
    found: list[list[Any]] = [s["enum"] for _, s in subschemas(schema) if "enum" in s and s["enum"] != [0, 1]]
    assert len(found) == 1, schema
    return found[0]


def test_closed_sets_are_the_defaults() -> None:
    forms = load_form_wordings()
    library = load_agreement_wording()
    form = mapping_of("DecisionForm")["properties"]
    assert enum_at(form["form"]) == list(forms)
    assert set(enum_at(mapping_of("Section")["properties"]["key"])) == {k for f in forms.values() for k in f.sections}
    assert set(enum_at(mapping_of("DeclarationRow")["properties"]["key"])) == {d.key for f in forms.values() for d in f.declarations}
    assert enum_at(mapping_of("ReportSection")["properties"]["key"]) == list(load_report_wording().sections)
    assert enum_at(mapping_of("ExtraClause")["properties"]["after"]) == [c.key for c in library.clauses]
    assert enum_at(mapping_of("ClauseChoices")["properties"]["omit"]) == [c.key for c in library.clauses if c.optional]
    assert enum_at(mapping_of("Part2Statement")["properties"]["foia_sections"]) == list(FOIA_SECTIONS)
    described = mapping_of("Section")["properties"]["key"]["anyOf"][0]["description"]
    assert "commercial: Commercial Issues (dmpc-2022)" in described


# ----------------------------------------------------------------- committed, printed, pointed to


def test_committed_schema_is_what_grantdocs_schema_prints() -> None:
    printed = runner.invoke(app, ["schema"])
    assert printed.exit_code == 0
    assert printed.stdout == schema_text()
    assert SCHEMA_FILE.read_text(encoding="utf-8") == printed.stdout, "run: grantdocs schema > schema/decision.schema.json"


def test_a_new_decision_points_its_editor_at_the_committed_schema(tmp_path: Path) -> None:
    path = tmp_path / "drafts" / "pcd-1301.yaml"
    assert runner.invoke(app, ["new", "decision", str(path)]).exit_code == 0
    first = path.read_text(encoding="utf-8").splitlines()[0]
    match = re.fullmatch(r"# yaml-language-server: \$schema=(\S+)", first)
    assert match, first
    assert (path.parent / match.group(1)).resolve() == SCHEMA_FILE


# ------------------------------------------------------------------ what validate accepts, it accepts


@pytest.mark.parametrize("path", DECISIONS, ids=lambda p: p.name)
def test_every_example_and_fixture_is_accepted(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert validate_problems(text) == []
    assert schema_problems(text) == []


def test_the_cost_tables_fixture_is_accepted_as_cost_tables() -> None:
    assert schema_problems((INPUTS / "ocs-costs.yaml").read_text(encoding="utf-8"), COST_TABLES) == []


def put(data: dict[str, Any], path: tuple[str | int, ...], value: Any) -> dict[str, Any]:
    """A copy of `data` with `value` at `path`."""
    data = copy.deepcopy(data)
    parent: Any = data
    for part in path[:-1]:
        parent = parent[part]
    parent[path[-1]] = value
    return data


SECTION = ("decision_form", "part_1", 0)
STAFF = ("report", "costs", "staffing", 0)
ROLE_A = {"role": "Detective Constable", "annual_cost": 66230, "fte": 3}

# (fixture, place, value, raw YAML replacing the whole file or None): each accepted by validate.
ACCEPTED = {
    "paragraph as a string": (MINIMAL, (*SECTION, "paragraphs", 0), "Some text."),
    "paragraph as a mapping": (MINIMAL, (*SECTION, "paragraphs", 0), {"text": "Some text.", "bullets": ["one", "two"]}),
    "recommendation as a mapping": (MINIMAL, ("decision_form", "recommendations", 0), {"text": "accept £10,000.00 of grant."}),
    "sub-items as text and with their own sums": (
        MINIMAL,
        ("decision_form", "recommendations", 0),
        {
            "text": "award £20,000 in grants:",
            "amount": 20000,
            "sub_items": [{"text": "£10,000 to A;", "amount": 10000}, {"text": "£10,000 to B.", "amount": "£10,000"}, "Note this."],
        },
    ),
    "sums by financial year": (
        MINIMAL,
        ("decision_form", "recommendations", 0),
        {"text": "approve £3,000: 23/24: £1,000, 24/25: £2,000", "amount": 3000, "by_year": {"2023/24": 1000, "2024/25": "£2,000"}},
    ),
    "text that YAML reads as a number": (MINIMAL, ("title",), 2022),
    "text that YAML reads as a boolean": (MINIMAL, ("title",), True),
    "text that YAML reads as a date": (MINIMAL, ("title",), date(2022, 11, 3)),
    "money as money text": (REPORT, ("report", "grant", "amount"), "£300,000.00"),
    "money as a whole number": (REPORT, ("report", "grant", "amount"), 300000),
    "money as a number with pence": (REPORT, ("report", "grant", "amount"), 300000.0),
    "money as plain text": (REPORT, ("report", "grant", "amount"), "300000"),
    "a UK date": (MINIMAL, ("decision_form", "dmpc", "date"), "03/11/2022"),
    "a UK date with one-digit day and month": (MINIMAL, ("decision_form", "dmpc", "date"), "3/1/2023"),
    "an ISO date as text": (MINIMAL, ("decision_form", "dmpc", "date"), "2022-11-03"),
    "a deadline to the month": (REPORT, ("report", "time_sensitivity", "required_by"), "2023-04"),
    "yes and no as booleans": (MINIMAL, ("decision_form", "publication", "defer_part_1"), False),
    "yes and no as words": (MINIMAL, ("decision_form", "publication", "defer_part_1"), "No"),
    "yes and no as 0 and 1": (MINIMAL, ("decision_form", "publication", "defer_part_1"), 0),
    "a year as text": (REPORT, ("report", "costs", "summaries", 0, "first_year"), "2023"),
    "an FTE as a fraction": (REPORT, (*STAFF, "roles", 0, "fte"), 2.5),
    "an FTE as text": (REPORT, (*STAFF, "roles", 0, "fte"), "3.000"),
    "staffing as groups": (REPORT, STAFF, {"title": "Team A", "grant": 200000, "groups": [{"roles": [ROLE_A]}]}),
    "a cost line as a mapping": (REPORT, (*STAFF, "other_costs", 0), {"label": "Support Costs", "amount": "20000"}),
    "funding as a mapping": (REPORT, ("report", "costs", "summaries", 0, "funding", 0), {"label": "Grant Funding", "amounts": [300000, 0]}),
    "spend as amounts on one line": (
        REPORT,
        ("report", "costs", "summaries", 0, "spend", 0),
        {"Team A": [221230, 0]},
    ),
    "spend from a table, labelled": (REPORT, ("report", "costs", "summaries", 0, "spend", 0), {"label": "A", "from_table": "Team A"}),
    "a report block as a string": (REPORT, ("report", "sections", 0, "content", 0), "The teams tackle organised crime."),
    "classification with another dash": (MINIMAL, ("classification",), "OFFICIAL - PUBLIC"),
    "a reference with extra spaces": (MINIMAL, ("reference",), "PCD  1300"),
    "a section key of the 2014 form": (DMPCD, ("decision_form", "part_1", 0, "key"), "introduction"),
    "a FOIA section as text": (PART_2, ("report", "part_2", "foia_sections", 0), "31"),
    "an optional clause omitted": (AGREEMENT, ("agreement", "clauses"), {"omit": ["general"]}),
}


@pytest.mark.parametrize("case", sorted(ACCEPTED))
def test_what_validate_accepts_the_schema_accepts(case: str) -> None:
    base, place, value = ACCEPTED[case]
    text = dump(put(fixture(base), place, value))
    assert validate_problems(text) == []
    assert schema_problems(text) == []


RAW = {
    "unquoted no and off": (MINIMAL, "defer_part_1: no", "defer_part_1: NO\n    part_2: Off"),
    "unquoted yes": (OCS, "match_funded: yes", "match_funded: Yes"),
    "unquoted y and on": (OCS, "match_funded: yes", "match_funded: y"),
    "unquoted on": (OCS, "match_funded: yes", "match_funded: on"),
    "money with a pound sign, quoted": (REPORT, "amount: 300000.00", 'amount: "£300,000"'),
    "money as a YAML float": (REPORT, "amount: 300000.00", "amount: 300000.0"),
    "a date with a space after it, quoted": (REPORT, "date: 2023-05-10", 'date: "2023-05-10 "'),
}


@pytest.mark.parametrize("case", sorted(RAW))
def test_what_validate_accepts_as_typed_the_schema_accepts(case: str) -> None:
    base, old, new = RAW[case]
    text = base.read_text(encoding="utf-8")
    assert old in text
    text = text.replace(old, new, 1)
    assert validate_problems(text) == []
    assert schema_problems(text) == []


# ------------------------------------------------------------- what validate refuses for shape, it refuses

ROW = ("decision_form", "declarations", 0)
REFUSED = {
    "unknown key at the top": (MINIMAL, ("colour",), "blue"),
    "unknown key in the form": (MINIMAL, ("decision_form", "colour"), "blue"),
    "unknown key in a paragraph": (MINIMAL, (*SECTION, "paragraphs", 0), {"text": "Text.", "colour": "blue"}),
    "unknown key in a role": (REPORT, (*STAFF, "roles", 0, "colour"), "blue"),
    "unknown key in a cost line": (REPORT, (*STAFF, "other_costs", 0), {"label": "Support", "amount": 5, "colour": "blue"}),
    "unknown key in a footnote": (REPORT, ("report", "footnotes", "plan", "colour"), "blue"),
    "unknown key in an agreement contact": (AGREEMENT, ("agreement", "contacts", 0, "colour"), "blue"),
    "a cost line of two labels": (REPORT, (*STAFF, "other_costs", 0), {"Support": 5, "Overtime": 6}),
    "roles and groups both": (REPORT, (*STAFF, "groups"), [{"roles": [ROLE_A]}]),
    "a spend row with neither label nor table": (REPORT, ("report", "costs", "summaries", 0, "spend", 0), {"amounts": [1, 2]}),
    "a list for text": (MINIMAL, ("title",), ["a", "b"]),
    "a mapping for text": (MINIMAL, ("title",), {"a": "b"}),
    "text for a list": (MINIMAL, ("decision_form", "executive_summary"), "One paragraph."),
    "text for a mapping": (MINIMAL, ("decision_form", "dmpc"), "today"),
    "nothing for a paragraph": (MINIMAL, (*SECTION, "paragraphs", 0), None),
    "a blank paragraph": (MINIMAL, (*SECTION, "paragraphs", 0), "   "),
    "a typed bullet": (MINIMAL, (*SECTION, "paragraphs", 0), "• A bullet typed by hand."),
    "not yes or no": (MINIMAL, ("decision_form", "publication", "defer_part_1"), "perhaps"),
    "a financial year written short": (
        MINIMAL,
        ("decision_form", "recommendations", 0),
        {"text": "approve £1,000: 23/24: £1,000", "amount": 1000, "by_year": {"23/24": 1000}},
    ),
    "an ISO basic date, a number to YAML": (MINIMAL, ("decision_form", "dmpc", "date"), 20221103),
    "an ISO week date": (MINIMAL, ("decision_form", "dmpc", "date"), "2022-W44-4"),
    "a date in another script's digits": (MINIMAL, ("decision_form", "dmpc", "date"), "٢٠٢٢-١١-٠٣"),
    "ten characters read by their first eight": (MINIMAL, ("decision_form", "dmpc", "date"), "2022110300"),
    "2 for yes": (MINIMAL, ("decision_form", "publication", "defer_part_1"), 2),
    "a year in words": (REPORT, ("report", "costs", "summaries", 0, "first_year"), "twenty"),
    "an FTE in words": (REPORT, (*STAFF, "roles", 0, "fte"), "three"),
    "an FTE with underscores": (REPORT, (*STAFF, "roles", 0, "fte"), "1_0"),
    "an FTE with an exponent": (REPORT, (*STAFF, "roles", 0, "fte"), "1e1"),
    "a form version that is not one": (MINIMAL, ("decision_form", "form"), "dmpc-1999"),
    "a section key no form has": (MINIMAL, (*SECTION, "key"), "background"),
    "a section key of the other form": (DMPCD, ("decision_form", "part_1", 0, "key"), "commercial"),
    "a declaration row no form has": (MINIMAL, ("decision_form", "declarations"), [{"key": "estates"}]),
    "a declaration row of the other form": (DMPCD, (*ROW, "key"), "gdpr"),
    "a report section that is not one": (REPORT, ("report", "sections", 0, "key"), "conclusion"),
    "a clause that is not one": (AGREEMENT, ("agreement", "clauses"), {"omit": ["appendix"]}),
    "a required clause omitted": (AGREEMENT, ("agreement", "clauses"), {"omit": ["definitions"]}),
    "a FOIA section that is not one": (PART_2, ("report", "part_2", "foia_sections", 0), 99),
    "a unit that is not one": (REPORT, (*STAFF, "unit"), "$"),
    "a party that is not one": (AGREEMENT, ("agreement", "contacts", 0, "party"), "funder"),
    "a reference that is not one": (MINIMAL, ("reference",), "PCD twelve"),
    "a Part 1 marking that is not publishable": (MINIMAL, ("classification",), "OFFICIAL-SENSITIVE"),
    "a Part 2 marking in lower case": (PART_2, ("report", "part_2", "marking"), "official-sensitive"),
    "money with a letter in it": (REPORT, ("report", "grant", "amount"), "£30O,000"),
    "money with misplaced commas": (REPORT, ("report", "grant", "amount"), "300,00"),
    "money in fractions of a penny, as text": (REPORT, ("report", "grant", "amount"), "300000.005"),
    "negative money": (REPORT, ("report", "grant", "amount"), -300000),
    "negative money as text": (REPORT, ("report", "grant", "amount"), "-£300,000.00"),
    "money in brackets": (REPORT, ("report", "grant", "amount"), "(£300,000.00)"),
    "money in words": (REPORT, ("report", "grant", "amount"), "three hundred thousand pounds"),
    "a month that is not one": (MINIMAL, ("decision_form", "dmpc", "date"), "2022-13-03"),
    "a day that is not one": (MINIMAL, ("decision_form", "dmpc", "date"), "32/11/2022"),
    "a date with dashes, UK order": (MINIMAL, ("decision_form", "dmpc", "date"), "03-11-2022"),
    "a date with slashes, ISO order": (MINIMAL, ("decision_form", "dmpc", "date"), "2022/11/03"),
    "a date in words": (MINIMAL, ("decision_form", "dmpc", "date"), "yesterday"),
    "a deadline month that is not one": (REPORT, ("report", "time_sensitivity", "required_by"), "2023-13"),
    "a url that is not one": (REPORT, ("report", "footnotes", "plan", "url"), "www.london.gov.uk"),
}


@pytest.mark.parametrize("case", sorted(REFUSED))
def test_what_validate_refuses_for_shape_the_schema_refuses(case: str) -> None:
    base, place, value = REFUSED[case]
    text = dump(put(fixture(base), place, value))
    assert validate_problems(text), "validate accepts it"
    assert schema_problems(text), "the schema accepts it"


# ------------------------------------------------------------- generated inputs (hypothesis)


@examples(1)
@given(title=texts, summary=paragraphs, recommendation=texts, part_1=paragraphs, heading=texts, officer=texts)
def test_generated_decision_forms_that_validate_accepts_the_schema_accepts(
    title: str, summary: list[str], recommendation: str, part_1: list[str], heading: str, officer: str
) -> None:
    """The property tests' valid text (tests/e2e/test_properties.py), in a form."""
    data = fixture(MINIMAL)
    data["title"] = title
    form = data["decision_form"]
    form.update(executive_summary=summary, recommendations=[recommendation], drafting_officer=officer)
    form["part_1"][0]["paragraphs"] = part_1
    form["part_1"].append({"heading": heading, "paragraphs": [{"text": recommendation, "bullets": summary}]})
    assert_agree(dump(data))


@examples(1)
@given(title=texts, by=texts, summary=paragraphs, reason=texts, content=paragraphs, note=texts)
def test_generated_reports_that_validate_accepts_the_schema_accepts(
    title: str, by: str, summary: list[str], reason: str, content: list[str], note: str
) -> None:
    """The property tests' valid text, in a report."""
    data = fixture(REPORT)
    report = data["report"]
    report.update(title=title, report_by=by, executive_summary=summary)
    report["time_sensitivity"]["reason"] = reason
    report["sections"][0]["content"] = [*content, {"text": note, "sub_items": summary}]
    report["footnotes"]["plan"]["text"] = note
    assert_agree(dump(data))


def assert_agree(text: str) -> None:
    """Whatever validate accepts, the schema accepts."""
    if validate_problems(text):
        event("refused by validate")
        return
    event("accepted by validate")
    assert schema_problems(text) == [], text


def _leaves(node: Any, path: tuple[str | int, ...] = ()) -> Iterator[tuple[tuple[str | int, ...], Any]]:
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _leaves(value, (*path, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _leaves(value, (*path, i))
    else:
        yield path, node


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "yes or no"
    if isinstance(value, date):
        return "date"
    if isinstance(value, (int, float)):
        return "number"
    return "text"


_FIGURES = st.one_of(
    st.integers(0, 10**7),
    st.decimals(0, 10**7, places=2).map(float),
    st.decimals(0, 10**7, places=2).map(str),
    st.decimals(0, 10**7, places=2).map(lambda d: f"£{d:,}"),
    st.sampled_from(["£ 1,000", "1,000.50", "-0", "-£0.00", "0.500", "1_000", "1e3", "+3", " 7 ", "2023.0", "2_023", "0.5", ".5"]),
)
_DATES = st.one_of(
    st.dates(date(1990, 1, 1), date(2040, 12, 31)),
    st.dates(date(1990, 1, 1), date(2040, 12, 31)).map(lambda d: f"{d.day}/{d.month:02d}/{d.year}"),
    st.dates(date(1990, 1, 1), date(2040, 12, 31)).map(lambda d: d.strftime("%Y%m%d")),
    st.dates(date(1990, 1, 1), date(2040, 12, 31)).map(lambda d: int(d.strftime("%Y%m%d"))),
    st.dates(date(1990, 1, 1), date(2040, 12, 31)).map(lambda d: d.isocalendar()).map(lambda c: f"{c.year}-W{c.week:02d}-{c.weekday}"),
    st.sampled_from(["2023-04", "2023-4", "2022-13-45", "31/02/2023", "00/00/0000", "2023/05/10"]),
)
_WORDS = st.sampled_from([True, False, 0, 1, 2, "yes", "No", "ON", "off", "y", "N", "t", "F", "TRUE", "1", "0", "perhaps", "yes "])
_CHOSEN = st.sampled_from([
    *load_form_wordings(), *(k for f in load_form_wordings().values() for k in f.sections), *(d.key for f in load_form_wordings().values() for d in f.declarations),
    *load_report_wording().sections, *(c.key for c in load_agreement_wording().clauses), "authority", "recipient", "£m", "£",
    "OFFICIAL", "OFFICIAL - PUBLIC", "OFFICIAL-SENSITIVE [OPERATIONAL]", "PCD 1301", "DMPCD 2015 148", "https://example.org/a",
])  # fmt: skip
POOLS = {
    "yes or no": _WORDS,
    "date": _DATES,
    "number": st.one_of(_FIGURES, st.integers(-3, 2100), st.sampled_from(list(FOIA_SECTIONS))),
    "text": st.one_of(texts, _CHOSEN, _FIGURES, _DATES, _WORDS, st.none()),
}


def spellings(value: Any) -> st.SearchStrategy[Any]:
    """Other ways to write `value` that mean the same to validate (most of them, for most fields)."""
    if isinstance(value, bool):
        words = [
            ["no", "No", "NO", "n", "N", "off", "Off", "false", "f", "0", 0],
            ["yes", "Yes", "y", "Y", "on", "ON", "true", "t", "1", 1],
        ]
        return st.sampled_from(words[value])
    if isinstance(value, date):
        week = value.isocalendar()
        return st.sampled_from([
            value.isoformat(), value.strftime("%d/%m/%Y"), f"{value.day}/{value.month}/{value.year}", value.strftime("%Y%m%d"),
            int(value.strftime("%Y%m%d")), f"{week.year}-W{week.week:02d}-{week.weekday}", f"{week.year}W{week.week:02d}{week.weekday}",
        ])  # fmt: skip
    number = Decimal(str(value))
    forms = [str(number), f"{number:.2f}", f"£{number:,.2f}", f"£{number:,}", f" {number} ", f"+{number}", f"{number}.000", float(number)]
    if number == number.to_integral_value():
        forms += [int(number), f"{int(number):_}", f"{int(number)}.0"]
    return st.sampled_from(forms)


BASES = {path: fixture(path) for path in DECISIONS}
PLACES = {(path, kind): [place for place, value in _leaves(BASES[path]) if _kind(value) == kind] for path in DECISIONS for kind in POOLS}


@pytest.mark.parametrize("kind", sorted(POOLS))
@examples(1)
@given(data=st.data())
def test_any_value_validate_accepts_the_schema_accepts(kind: str, data: st.DataObject) -> None:
    """One to three values of a kind (text, number, date, yes or no) replaced anywhere in an
    example or fixture by what an editor may type there: when validate accepts it, so does the schema."""
    base_path = data.draw(st.sampled_from([p for p in DECISIONS if PLACES[p, kind]]), label="input")
    base, places = BASES[base_path], PLACES[base_path, kind]
    edited = base
    for path in data.draw(st.lists(st.sampled_from(places), min_size=1, max_size=3, unique=True), label="places"):
        original = _at(base, path)
        written = st.one_of(spellings(original), POOLS[kind]) if kind != "text" else POOLS[kind]
        edited = put(edited, path, data.draw(written, label=str(path)))
    assert_agree(dump(edited))


def _at(data: Any, path: tuple[str | int, ...]) -> Any:
    for part in path:
        data = data[part]
    return data


def _rewrites(node: Any) -> Iterator[tuple[tuple[str | int, ...], Any]]:
    """Every shorthand an input could be written in instead, and the long form of each shorthand it uses."""
    for path, value in _walk(node):
        if _text_or_mapping(path) and isinstance(value, str):
            yield path, {"text": value}
        elif _text_or_mapping(path) and isinstance(value, dict) and set(value) == {"text"}:
            yield path, value["text"]
        elif isinstance(value, dict):
            keys = set(value)
            if keys == {"from_table"}:
                yield path, {"label": value["from_table"], "from_table": value["from_table"]}
            elif keys in ({"label", "amount"}, {"label", "amounts"}):
                yield path, {value["label"]: value["amount" if "amount" in keys else "amounts"]}
            elif len(value) == 1 and path[-2:-1] in (("other_costs",), ("funding",), ("spend",)):
                ((label, amount),) = value.items()
                yield path, {"label": label, ("amounts" if isinstance(amount, list) else "amount"): amount}
            elif "roles" in keys and "title" in keys:
                yield path, {**{k: v for k, v in value.items() if k != "roles"}, "groups": [{"roles": value["roles"]}]}


def _text_or_mapping(path: tuple[str | int, ...]) -> bool:
    """Whether the item at `path` is read by text_or_mapping (a paragraph, block or recommendation)."""
    if len(path) < 2 or not isinstance(path[-1], int):
        return False
    parent = path[-2]
    if parent in ("paragraphs", "executive_summary", "content"):
        return True
    return (path[0], parent) in (("decision_form", "recommendations"), ("report", "items"))


def _walk(node: Any, path: tuple[str | int, ...] = ()) -> Iterator[tuple[tuple[str | int, ...], Any]]:
    yield path, node
    items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else []
    for key, value in items:
        yield from _walk(value, (*path, key))


@examples(1)
@given(data=st.data())
def test_any_mix_of_shorthands_and_long_forms_is_accepted(data: st.DataObject) -> None:
    base = BASES[data.draw(st.sampled_from(DECISIONS), label="input")]
    rewrites = list(_rewrites(base))
    chosen = data.draw(st.lists(st.sampled_from(rewrites), max_size=8, unique_by=lambda r: r[0]), label="rewrites")
    edited = base
    for path, value in sorted(chosen, key=lambda r: len(r[0]), reverse=True):  # deepest first: outer rewrites keep inner ones
        edited = put(edited, path, value)
    text = dump(edited)
    assert validate_problems(text) == []
    assert schema_problems(text) == []


def _one(annotation: Any) -> tuple[type[InputModel], jsonschema.Draft202012Validator]:
    """An input model of one field `value` of type `annotation`, and the input schema's validator for it."""
    model = create_model("One", __base__=InputModel, value=(annotation, ...))
    return model, jsonschema.Draft202012Validator(model.model_json_schema(schema_generator=InputSchema))


_SCALAR = st.one_of(st.text(max_size=3), st.integers(-(10**9), 10**9), st.floats(allow_nan=False, allow_infinity=False), st.booleans())
WRITTEN: dict[str, tuple[Any, st.SearchStrategy[Any]]] = {
    "money": (Money, st.one_of(_FIGURES, st.text("0123456789£,.-+ _e", max_size=12), _SCALAR)),
    "date": (UKDate, st.one_of(_DATES, st.text("0123456789/-W ", max_size=11), _SCALAR)),
    "deadline": (Deadline, st.one_of(_DATES, st.text("0123456789/-W ", max_size=11), _SCALAR)),
    "FTE": (Fte, st.one_of(_FIGURES, st.text("0123456789.+-_eE ", max_size=8), _SCALAR)),
    "yes or no": (bool, st.one_of(_WORDS, st.text("yesnoftrualYESNOFTRUAL01 ", max_size=5), _SCALAR)),
    "whole number": (int, st.one_of(st.text("0123456789+-_. ", max_size=8), _SCALAR)),
    "text": (Text, st.one_of(texts, st.text(max_size=5), st.from_regex(r"\A\s*(?:[-•*]|\d\.|[a-z]\)|iv\.)\s*\w*\s*\Z"), _SCALAR)),
    "reference": (Reference, st.one_of(st.from_regex(r"\A\s*(?:PCD|DMPCD|pcd)\s+\d{1,6}(?:\s+\d{1,5})?\s*\Z"), _SCALAR)),
    "Part 1 marking": (
        Part1Marking,
        st.one_of(st.from_regex(r"\A\s*(?:OFFICIAL|official|SECRET)(?:\s*[-–—]?\s*(?:PUBLIC|public|SENSITIVE))?\s*\Z"), _SCALAR),
    ),
}


# What a model accepts only through a quirk of a library, which the schema does not copy.
QUIRKS = {
    "whole number": [r"\s*[+-]?0[0_]*(?:-|__).*"],  # pydantic reads "0-1" as -1, "00-0" and "0__0" as 0
}


@pytest.mark.parametrize("kind", sorted(WRITTEN))
@examples(2)
@given(data=st.data())
def test_each_written_form_validate_accepts_the_schema_accepts(kind: str, data: st.DataObject) -> None:
    """Every way of writing a money figure, a date, a yes or no … that the models accept, the schema accepts."""
    annotation, written = WRITTEN[kind]
    model, validator = _one(annotation)
    value = data.draw(written, label="value")
    if isinstance(value, str) and any(re.fullmatch(quirk, value) for quirk in QUIRKS.get(kind, [])):
        return
    try:
        model.model_validate({"value": str(value) if not isinstance(value, str) else value})
    except ValidationError:
        event("refused by the model")
        return
    event("accepted by the model")
    assert list(validator.iter_errors({"value": _jsonable(value)})) == []
