"""Which documents an input yields, each with its template and context."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.inputs import load_agreement_library
from generator.models.agreement_document import compose_agreement
from generator.models.agreement_library import AgreementLibrary
from generator.models.decision import Decision
from generator.package import Properties
from generator.models.decision_form_document import compose_decision_form
from generator.models.form_version import FormVersion
from generator.models.report_defaults import ReportDefaults
from generator.models.report_document import compose_report

KINDS = ("decision-form", "supporting-report", "decision-pack", "grant-agreement")
PACK = "decision-pack"
REPORT_TEMPLATE = "mps-report.docx"
AGREEMENT_TEMPLATE = "grant-agreement.docx"


@dataclass(frozen=True)
class Document:
    """One document to render: `<stem>-<kind>.docx` from `templates` (several are composed
    in order into one, as for the decision pack) with `context`."""

    kind: str
    templates: tuple[Path, ...]
    context: Mapping[str, Any]
    properties: Properties

    def filename(self, stem: str) -> str:
        return f"{stem}-{self.kind}.docx"


def plan_documents(
    decision: Decision,
    *,
    forms: Mapping[str, FormVersion],
    report_defaults: ReportDefaults,
    templates: Path,
    agreement_library: AgreementLibrary | None = None,
) -> list[Document]:
    """The documents `decision` has content for, in publication order."""
    documents = []
    if decision.decision_form is not None:
        version = forms[decision.decision_form.form]
        form = compose_decision_form(decision, version)
        documents.append(
            Document(
                kind="decision-form",
                templates=(templates / version.template,),
                context={"form": form},
                properties=Properties(title=f"{form.form_title}: {decision.title}", subject="DMPC decision form"),
            )
        )
    if decision.report is not None:
        report = compose_report(decision, report_defaults)
        documents.append(
            Document(
                kind="supporting-report",
                templates=(templates / REPORT_TEMPLATE,),
                context={"report": report},
                properties=Properties(title=f"{decision.reference} supporting report: {report.title}", subject="MPS report"),
            )
        )
    by_kind = {d.kind: d for d in documents}
    if "decision-form" in by_kind and "supporting-report" in by_kind:
        # MOPAC publishes the form with its report as the appendix, in one document.
        form_doc, report_doc = by_kind["decision-form"], by_kind["supporting-report"]
        documents.append(
            Document(
                kind=PACK,
                templates=form_doc.templates + report_doc.templates,
                context={**form_doc.context, **report_doc.context},
                properties=Properties(
                    title=f"{form_doc.properties.title} (with Appendix 1, the supporting report)",
                    subject="DMPC decision pack",
                ),
            )
        )
    if decision.agreement is not None:
        agreement = compose_agreement(decision, agreement_library or load_agreement_library())
        documents.append(
            Document(
                kind="grant-agreement",
                templates=(templates / AGREEMENT_TEMPLATE,),
                context={"agreement": agreement},
                properties=Properties(
                    title=f"Grant funding agreement {agreement.reference}: {agreement.grant_name}",
                    subject="Grant funding agreement",
                ),
            )
        )
    return documents
