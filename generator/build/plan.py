"""Which documents an input yields, each with its template and context."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from generator.build.kinds import KINDS as KINDS
from generator.build.kinds import PACK as PACK
from generator.build.kinds import PART_2 as PART_2
from generator.docx.package import Properties
from generator.domain.agreement import view as agreement_view
from generator.domain.agreement.standard_wording import AgreementWording
from generator.domain.agreement.view import compose_agreement
from generator.domain.decision.model import Decision
from generator.domain.decision_form.standard_wording import FormWording
from generator.domain.decision_form.view import compose_decision_form
from generator.domain.issued_agreement import view as issued_view
from generator.domain.issued_agreement.view import compose_issued, issued
from generator.domain.lifecycle.status import status_of
from generator.domain.part_2 import view as part_2_view
from generator.domain.part_2.view import compose_part_2, part_2_marking
from generator.domain.report import view as report_view
from generator.domain.report.standard_wording import ReportWording
from generator.domain.report.view import compose_report
from generator.inputs.load import load_agreement_wording, load_form_wordings, load_issued_agreement_wording, load_report_wording


@dataclass(frozen=True)
class Document:
    """One document to render: `<stem>-<kind>.docx` from `templates` (several are composed
    in order into one, as for the decision pack) with `context`; a kind that comes once per
    recipient adds the recipient's key: `<stem>-grant-agreement-<key>.docx`."""

    kind: str
    templates: tuple[Path, ...]
    context: Mapping[str, Any]
    properties: Properties
    recipient: str | None = None

    @property
    def slug(self) -> str:
        """What names this document among its input's: its kind, and the recipient's key for one per recipient."""
        return f"{self.kind}-{self.recipient}" if self.recipient else self.kind

    def filename(self, stem: str) -> str:
        return f"{stem}-{self.slug}.docx"

    @property
    def confidential(self) -> bool:
        """Whether it goes to the confidential folder, never beside the documents to publish."""
        return self.kind == PART_2


@lru_cache(maxsize=64)
def _template(templates: Path, name: str) -> Path:
    """The template `name` in the folder `templates`: one Path for every document that uses it,
    made once (a Path is parsed as it is made, and every document of a batch names one)."""
    return templates / name


def plan_documents(
    decision: Decision,
    *,
    forms: Mapping[str, FormWording],
    report_wording: ReportWording,
    templates: Path,
    agreement_wording: AgreementWording | None = None,
    part_2: bool = True,
) -> list[Document]:
    """The documents `decision` has content for, in publication order, Part 2 last (with
    `part_2` false, never Part 2: what a publish renders).

    Every context has `marking`, the protective marking its page headers and footers print (the
    input's classification for the published (Part 1) documents, the report's Part 2 marking for
    Part 2), and `draft`, whether they print DRAFT beside it (until the Deputy Mayor signs). The Part 1 documents are composed from the decision without its
    Part 2, so no Part 1 context can hold confidential content.
    """
    public = decision.model_copy(update={"part_2": None})
    marking = decision.classification

    # Until the Deputy Mayor has signed, every document is a draft: its pages and properties say so.
    draft = status_of(decision).draft

    def properties(*, title: str, subject: str) -> Properties:
        return Properties(
            title=("Draft: " if draft else "") + title,
            subject=subject,
            author=decision.author or "",
            company=decision.company or "",
            status="Draft" if draft else "",
        )

    documents = []
    if public.decision_form is not None:
        version = forms[public.decision_form.form]
        form = compose_decision_form(public, version)
        documents.append(
            Document(
                kind="decision-form",
                templates=(_template(templates, version.template),),
                context={"form": form, "marking": marking, "draft": draft},
                properties=properties(title=f"{form.form_title}: {decision.title}", subject="DMPC decision form"),
            )
        )
    if public.report is not None:
        report = compose_report(public, report_wording)
        documents.append(
            Document(
                kind="supporting-report",
                templates=(_template(templates, report_view.TEMPLATE),),
                context={"report": report, "marking": marking, "draft": draft},
                properties=properties(title=f"{decision.reference} supporting report: {report.title}", subject="MPS report"),
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
                properties=properties(
                    title=f"{form_doc.properties.title} (with Appendix 1, the supporting report)",
                    subject="DMPC decision pack",
                ),
            )
        )
    if public.agreement is not None:
        agreement = compose_agreement(public, agreement_wording or load_agreement_wording())
        documents.append(
            Document(
                kind="grant-agreement",
                templates=(_template(templates, agreement_view.TEMPLATE),),
                context={"agreement": agreement, "marking": marking, "draft": draft},
                properties=properties(
                    title=f"Grant funding agreement {agreement.reference}: {agreement.grant_name}",
                    subject="Grant funding agreement",
                ),
            )
        )
    issued_wording = load_issued_agreement_wording()
    for grant in issued(public):
        issued_agreement = compose_issued(public, grant, issued_wording)
        documents.append(
            Document(
                kind="grant-agreement",
                templates=(_template(templates, issued_view.TEMPLATE),),
                context={"agreement": issued_agreement, "marking": marking, "draft": draft},
                properties=properties(
                    title=f"Grant agreement {issued_agreement.reference}: {issued_agreement.grant_name} ({grant.recipient})",
                    subject="Grant agreement",
                ),
                recipient=grant.key,
            )
        )
    if part_2 and decision.part_2 is not None:
        part2 = compose_part_2(decision, report_wording, forms)
        part2_marking = part_2_marking(decision)
        documents.append(
            Document(
                kind=PART_2,
                templates=(_template(templates, part_2_view.TEMPLATE),),
                context={"part2": part2, "marking": part2_marking, "draft": draft},
                properties=properties(
                    title=f"{decision.reference} Part 2: {part2.title}",
                    subject=f"Part 2 – confidential facts and advice ({part2_marking})",
                ),
            )
        )
    return documents


def planned_documents(decision: Decision) -> list[Document]:
    """The documents `decision` yields with the standard wording as shipped, for naming and listing
    them (their templates' folder left unsaid: nothing is rendered from these)."""
    return plan_documents(decision, forms=load_form_wordings(), report_wording=load_report_wording(), templates=Path("."))
