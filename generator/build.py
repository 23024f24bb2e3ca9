"""Input file → validated model → rendered documents → files on disk."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from generator.accessibility import require_accessible
from generator.documents import plan_documents
from generator.errors import InputError, Problem
from generator.files import write_atomic
from generator.inputs import load_decision, load_forms, load_report_defaults
from generator.manifest import generator_fingerprint, sha256_bytes
from generator.render import render_package
from generator.source import read_input_bytes

DEFAULT_TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


@dataclass(frozen=True)
class Rendered:
    """One document rendered in memory, with what it was made from."""

    path: Path
    data: bytes
    parts: Mapping[str, bytes]  # as zipped into `data`: checked without unzipping it again
    templates: dict[str, str]
    input_sha256: str


@dataclass(frozen=True)
class Built:
    """The files written for one input."""

    source: Path
    outputs: list[Path]


def render_input(
    source: Path,
    *,
    out_dir: Path,
    templates: Path = DEFAULT_TEMPLATES,
    only: str | None = None,
    generator: str | None = None,
    template_digests: Mapping[str, str] | None = None,
) -> list[Rendered]:
    """Every document `source` has content for, rendered in memory, destined for `out_dir/<stem>/`.

    Each carries its provenance (input hash, templates and their hashes, generator) in its
    custom properties.
    """
    input_bytes = read_input_bytes(source)  # once: parsed and hashed from the same bytes
    decision = load_decision(source, input_bytes)
    documents = plan_documents(decision, forms=load_forms(), report_defaults=load_report_defaults(), templates=templates)
    if not documents:
        raise InputError([Problem(source, 1, 1, "(file)", "nothing to generate: add a decision_form or report section")])
    if only is not None:
        documents = [d for d in documents if d.kind == only]
        if not documents:
            raise InputError([Problem(source, 1, 1, "(file)", f"this input has no {only}")])
    generator = generator or generator_fingerprint()
    input_sha256 = sha256_bytes(input_bytes)
    rendered = []
    digests = dict(template_digests or {})
    for doc in documents:
        names = [_template_name(t, templates) for t in doc.templates]
        for name, path in zip(names, doc.templates, strict=True):
            if name not in digests and path.is_file():
                digests[name] = sha256_bytes(path.read_bytes())
        used = {name: digests[name] for name in names if name in digests}
        provenance = {
            "grantdocs.input_sha256": input_sha256,
            "grantdocs.templates": ", ".join(f"{name} {sha}" for name, sha in used.items()),
            "grantdocs.generator": generator,
        }
        package = render_package(
            doc.templates,
            doc.context,
            properties=doc.properties,
            provenance=provenance,
            digests=tuple(used.values()) if len(used) == len(names) else None,
        )
        rendered.append(
            Rendered(
                path=out_dir / source.stem / doc.filename(source.stem),
                data=package.data,
                parts=package.parts,
                templates=used,
                input_sha256=input_sha256,
            )
        )
    return rendered


def generate(source: Path, *, out_dir: Path, templates: Path = DEFAULT_TEMPLATES, only: str | None = None) -> Built:
    """Render every document `source` has content for into `out_dir/<stem>/`.

    All documents are rendered before any is written, so a failing template leaves
    the previous set of outputs untouched rather than half replaced. Written documents are then
    checked for accessibility (DOMAIN.md §6): AccessibilityError lists every problem, in files
    left on disk so that they can be looked at.
    """
    rendered = render_input(source, out_dir=out_dir, templates=templates, only=only)
    for output in rendered:
        write_atomic(output.path, output.data)
    require_accessible((r.path, r.parts) for r in rendered)
    return Built(source=source, outputs=[r.path for r in rendered])


def _template_name(path: Path, templates: Path) -> str:
    try:
        return path.relative_to(templates).as_posix()
    except ValueError:
        return path.name
