"""Read decision inputs and form-version defaults from YAML into validated models."""

from __future__ import annotations

from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from generator.domain.agreement.rules import check_agreement
from generator.domain.agreement.standard_wording import AgreementWording
from generator.domain.common.findings import Finding
from generator.domain.decision.model import Decision
from generator.domain.decision_form.rules import check_decision
from generator.domain.decision_form.standard_wording import FormWording
from generator.domain.issued_agreement.rules import check_issued_agreements
from generator.domain.lifecycle.rules import check_lifecycle
from generator.domain.money.rules import check_money
from generator.domain.part_2.rules import check_part_2
from generator.domain.report.rules import check_report
from generator.domain.report.standard_wording import ReportWording
from generator.errors import InputError, Problem
from generator.inputs.validation import finding_problems, validate, validate_sections
from generator.inputs.yaml_reader import read_source

# Each document kind's standard wording lives beside its models in the domain.
DOMAIN_DIR = Path(__file__).resolve().parent.parent / "domain"
FORMS_DIR = DOMAIN_DIR / "decision_form" / "wording"
REPORT_WORDING = DOMAIN_DIR / "report" / "wording.yaml"
AGREEMENT_WORDING = DOMAIN_DIR / "agreement" / "wording.yaml"
ISSUED_AGREEMENT_WORDING = DOMAIN_DIR / "issued_agreement" / "wording.yaml"


@cache
def load_form_wordings(directory: Path = FORMS_DIR) -> dict[str, FormWording]:
    """Every form version's defaults file, by name."""
    forms = {}
    for path in sorted(directory.glob("*.yaml")):
        form = validate(FormWording, read_source(path))
        forms[form.name] = form
    return forms


@cache
def load_report_wording(path: Path = REPORT_WORDING) -> ReportWording:
    """Standard wording of the MPS supporting report."""
    return validate(ReportWording, read_source(path))


@cache
def load_agreement_wording(path: Path = AGREEMENT_WORDING) -> AgreementWording:
    """Standard clauses and wording of the grant agreement."""
    return validate(AgreementWording, read_source(path))


@dataclass(frozen=True)
class Loaded:
    """A valid decision, with the warnings its checks left: things to look at that stop nothing."""

    decision: Decision
    warnings: list[Problem]


@dataclass(frozen=True)
class Judged:
    """One input read and checked, whatever it holds: its data as the reader gives it (None when
    the file is not a mapping), the decision when it has no problem, its problems and warnings."""

    data: Any
    decision: Decision | None
    problems: list[Problem]
    warnings: list[Problem]


def judge_input(path: Path, raw: bytes | None = None) -> Judged:
    """Read (unless its bytes are given), validate and check one input file, parsing it once.
    The problems are those of its shape and the broken rules of every section whose shape is valid
    (a rule over a section with problems of its own stays silent: those problems are enough).
    Warnings count once the decision is valid: while it has problems, they are what to fix.
    InputError only for a file that cannot be read as YAML at all."""
    source = read_source(path, raw, raise_problems=False)
    checked = validate_sections(Decision, source)
    problems = checked.problems
    if checked.model is not None:
        problems = problems + finding_problems(source, check_rules(checked.model, invalid=checked.invalid))
    errors = sorted(p for p in problems if not p.warning)
    if checked.model is None or errors:
        return Judged(source.data, None, errors, [])
    return Judged(source.data, checked.model, [], sorted(problems))


def read_decision(path: Path, raw: bytes | None = None) -> Loaded:
    """The valid decision in one input file, with its warnings; InputError listing every problem
    in it otherwise (see `judge_input`)."""
    judged = judge_input(path, raw)
    if judged.decision is None:
        raise InputError(judged.problems)
    return Loaded(judged.decision, judged.warnings)


@cache
def load_issued_agreement_wording(path: Path = ISSUED_AGREEMENT_WORDING) -> AgreementWording:
    """Standard clauses and wording of the grant agreements MOPAC issues, with the offer letter."""
    return validate(AgreementWording, read_source(path))


def load_decision(path: Path, raw: bytes | None = None) -> Decision:
    """The decision in one input file, valid; InputError otherwise (see `read_decision`)."""
    return read_decision(path, raw).decision


def check_rules(decision: Decision, *, invalid: AbstractSet[str] = frozenset()) -> list[Finding]:
    """Every cross-field rule `decision` breaks; `invalid` names sections left out of it for
    problems of their own, whose absence the rules must not read as a fact."""
    return [
        *check_decision(decision, load_form_wordings()),
        *check_report(decision, load_report_wording()),
        *check_agreement(decision, load_agreement_wording(), invalid=invalid),
        *check_part_2(decision, load_report_wording(), invalid=invalid),
        *check_money(decision, invalid=invalid),
        *check_issued_agreements(decision, load_issued_agreement_wording(), invalid=invalid),
        *check_lifecycle(decision, load_form_wordings().get(decision.decision_form.form) if decision.decision_form else None),
    ]
