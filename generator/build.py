"""Input file → validated model → rendered documents → files on disk."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from generator.documents import plan_documents
from generator.errors import InputError, Problem
from generator.files import write_atomic
from generator.inputs import load_decision, load_forms, load_report_defaults
from generator.render import render_docx

DEFAULT_TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


@dataclass(frozen=True)
class Built:
    """The files written for one input."""

    source: Path
    outputs: list[Path]


def generate(source: Path, *, out_dir: Path, templates: Path = DEFAULT_TEMPLATES, only: str | None = None) -> Built:
    """Render every document `source` has content for into `out_dir/<stem>/`.

    All documents are rendered before any is written, so a failing template leaves
    the previous set of outputs untouched rather than half replaced.
    """
    decision = load_decision(source)
    documents = plan_documents(decision, forms=load_forms(), report_defaults=load_report_defaults(), templates=templates)
    if not documents:
        raise InputError([Problem(source, 1, 1, "(file)", "nothing to generate: add a decision_form or report section")])
    stem = source.stem
    if only is not None:
        documents = [d for d in documents if d.kind == only]
        if not documents:
            raise InputError([Problem(source, 1, 1, "(file)", f"this input has no {only}")])
    rendered = {
        out_dir / stem / doc.filename(stem): render_docx(doc.templates, doc.context, properties=doc.properties)
        for doc in documents
    }
    for path, data in rendered.items():
        write_atomic(path, data)
    return Built(source=source, outputs=list(rendered))
