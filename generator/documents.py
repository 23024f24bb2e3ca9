"""Which documents an input yields, each with its template and context."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.models.decision import Decision
from generator.models.decision_form_document import compose_decision_form
from generator.models.form_version import FormVersion
from generator.models.report_defaults import ReportDefaults
from generator.models.report_document import compose_report

KINDS = ("decision-form", "supporting-report", "decision-pack")
PACK = "decision-pack"
REPORT_TEMPLATE = "mps-report.docx"


@dataclass(frozen=True)
class Document:
    """One document to render: `<stem>-<kind>.docx` from `template` with `context`."""

    kind: str
    template: Path
    context: Mapping[str, Any]
    properties: Mapping[str, str]


def plan_documents(
    decision: Decision, *, forms: Mapping[str, FormVersion], report_defaults: ReportDefaults, templates: Path
) -> list[Document]:
    """The documents `decision` has content for, in publication order."""
    documents = []
    if decision.decision_form is not None:
        version = forms[decision.decision_form.form]
        form = compose_decision_form(decision, version)
        documents.append(
            Document(
                kind="decision-form",
                template=templates / version.template,
                context={"form": form},
                properties={"title": f"{form.form_title}: {decision.title}", "subject": "DMPC decision form"},
            )
        )
    if decision.report is not None:
        report = compose_report(decision, report_defaults)
        documents.append(
            Document(
                kind="supporting-report",
                template=templates / REPORT_TEMPLATE,
                context={"report": report},
                properties={"title": f"{decision.reference} supporting report: {report.title}", "subject": "MPS report"},
            )
        )
    return documents
