"""grantdocs publish: the Part 1 documents (.docx and PDF) of every decision publishable on a
day, into a folder no Part 2 can reach.

Nothing is copied from an output folder, where Part 2 documents are or were kept: the documents
are rendered afresh from the inputs, and a publish never plans a Part 2 (render_decision has no
confidential folder to put one in), so not one confidential byte exists to be written. Every
input is read and checked first: one with problems stops the publish, nothing written, as a
half-published set would leave a decision out without saying so.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from generator.build.batch import find_inputs
from generator.build.batch_outputs import refused_names
from generator.build.files import write_together
from generator.build.generate import DEFAULT_TEMPLATES, Rendered, render_decision
from generator.build.locations import DEFAULT_OUTPUTS as DEFAULT_OUTPUTS
from generator.build.manifest import sha256_bytes
from generator.build.output_folders import default_confidential
from generator.build.publish_folder import record, refuse_folder, staging, swap_in
from generator.checks.accessibility import require_accessible
from generator.domain.lifecycle.status import why_unpublishable
from generator.errors import InputError, Problem
from generator.inputs.load import read_decision
from generator.inputs.source import read_input_bytes
from generator.pdf import convert_to_pdf, pdf_path, require_libreoffice


@dataclass
class PublishReport:
    """What a publish put in its folder, and what it left out and why."""

    folder: Path
    today: date
    published: dict[str, list[Path]] = field(default_factory=dict)  # input (its path, no suffix) → files in the folder
    left_out: list[tuple[str, str]] = field(default_factory=list)  # (input, why)
    warnings: list[Problem] = field(default_factory=list)


def publish(
    input_dir: Path,
    *,
    out: Path,
    today: date,
    confidential: Path | None = None,
    outputs: Path = DEFAULT_OUTPUTS,
    templates: Path = DEFAULT_TEMPLATES,
) -> PublishReport:
    """Replace the folder `out` with the Part 1 documents of every input under `input_dir` whose
    decision is publishable on `today`, each as .docx and PDF, mirroring the inputs' folders.

    Refused (OutputError), before anything is read, for a folder in, around or the same as the
    confidential folder (by default beside `outputs`) or `outputs`. InputError lists every problem
    of every input; PdfUnavailable says what to install. Either way `out` is as it was.
    """
    confidential = default_confidential(outputs) if confidential is None else confidential
    refuse_folder(out, confidential=confidential, outputs=outputs, inputs=input_dir, templates=templates)
    report = PublishReport(folder=out, today=today)
    documents = _render_publishable(input_dir, templates=templates, report=report)
    require_libreoffice()  # before anything is written: a publish without its PDFs is no publish
    with staging(out) as staged:
        written = [staged / document.path for document in documents]
        write_together([(path, document.data) for path, document in zip(written, documents, strict=True)])
        pdfs = convert_to_pdf(written)
        record(staged, [*written, *pdfs])
        refuse_folder(out, confidential=confidential, outputs=outputs, inputs=input_dir, templates=templates)  # changed meanwhile?
        swap_in(staged, out)
    for document in documents:
        key = document.path.parent.as_posix()
        report.published.setdefault(key, []).extend([out / document.path, pdf_path(out / document.path)])
    return report


def _render_publishable(input_dir: Path, *, templates: Path, report: PublishReport) -> list[Rendered]:
    """The Part 1 documents of the inputs publishable on the report's day, rendered in memory and
    checked for accessibility, each at its path in the publish folder; the others noted in the
    report. InputError listing the problems of every input if any has one."""
    sources = find_inputs(input_dir)
    keys = {source: source.relative_to(input_dir).as_posix() for source in sources}
    refused = refused_names(keys)
    problems: list[Problem] = [Problem(source, 1, 1, "(file)", why) for source, why in refused.items()]
    documents: list[Rendered] = []
    for source in sources:
        if source in refused:
            continue
        try:
            data = read_input_bytes(source)
            loaded = read_decision(source, data)
        except InputError as error:
            problems += error.problems
            continue
        report.warnings += loaded.warnings
        key = Path(keys[source]).with_suffix("").as_posix()  # pcd-1284, or sub/pcd-1300: where its documents go
        why = why_unpublishable(loaded.decision, report.today)
        if why is not None:
            report.left_out.append((key, why))
            continue
        try:
            rendered = render_decision(
                source, loaded, input_sha256=sha256_bytes(data), out_dir=Path(key).parent, confidential_dir=None, templates=templates
            )
        except InputError as error:
            problems += error.problems
            continue
        documents += rendered.documents
    if problems:
        raise InputError(problems)
    require_accessible((document.path, document.parts) for document in documents)
    return documents
