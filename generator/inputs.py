"""Read decision inputs and form-version defaults from YAML into validated models."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from generator.models.agreement_library import AgreementLibrary
from generator.models.agreement_rules import check_agreement
from generator.models.decision import Decision
from generator.models.decision_rules import check_decision
from generator.models.form_version import FormVersion
from generator.models.part_2_rules import check_part_2
from generator.models.report_defaults import ReportDefaults
from generator.models.report_rules import check_report
from generator.source import read_source
from generator.validation import raise_findings, validate

DEFAULTS_DIR = Path(__file__).parent / "defaults"
FORMS_DIR = DEFAULTS_DIR / "decision-forms"


@cache
def load_forms(directory: Path = FORMS_DIR) -> dict[str, FormVersion]:
    """Every form version's defaults file, by name."""
    forms = {}
    for path in sorted(directory.glob("*.yaml")):
        form = validate(FormVersion, read_source(path))
        forms[form.name] = form
    return forms


@cache
def load_report_defaults(path: Path = DEFAULTS_DIR / "mps-report.yaml") -> ReportDefaults:
    """Standard wording of the MPS supporting report."""
    return validate(ReportDefaults, read_source(path))


@cache
def load_agreement_library(path: Path = DEFAULTS_DIR / "grant-agreement.yaml") -> AgreementLibrary:
    """Standard clauses and wording of the grant agreement."""
    return validate(AgreementLibrary, read_source(path))


def load_decision(path: Path, raw: bytes | None = None) -> Decision:
    """Read (unless its bytes are given), validate and check one input file; InputError lists
    every problem in it."""
    source = read_source(path, raw)
    decision = validate(Decision, source)
    raise_findings(
        source,
        [
            *check_decision(decision, load_forms()),
            *check_report(decision, load_report_defaults()),
            *check_agreement(decision, load_agreement_library()),
            *check_part_2(decision, load_report_defaults()),
        ],
    )
    return decision
