"""Input file → validated model → rendered documents → files on disk."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from generator.build.files import inside, write_together
from generator.build.manifest import generator_fingerprint, sha256_bytes
from generator.build.plan import plan_documents
from generator.checks.accessibility import require_accessible
from generator.docx.package_check import read_file
from generator.docx.render import render_package
from generator.errors import InputError, PackageError, Problem
from generator.inputs.load import load_form_wordings, load_report_wording, read_decision
from generator.inputs.source import read_input_bytes

DEFAULT_TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
# An input's name becomes a folder and the start of each document's name (`<stem>-supporting-report.docx`,
# its PDF, a temp file beside it): bounded well inside a file system's 255 bytes.
MAX_STEM_CHARS = 100


def name_problem(name: str) -> str | None:
    """Why an input's name (or a folder of inputs) cannot name its outputs, or None if it can."""
    if name.strip(".") == "":
        return f"the name {name!r} is only dots: rename the file"
    if any(ord(c) < 0x20 or ord(c) == 0x7F for c in name):
        return f"the name {name!r} holds a line break or control character: rename the file"
    if "\\" in name:
        return f"the name {name!r} holds a backslash, a folder separator on Windows: rename the file"
    if len(name) > MAX_STEM_CHARS:
        return f"the name is {len(name)} characters long, more than the {MAX_STEM_CHARS} its documents' names allow: shorten it"
    return None


@dataclass(frozen=True)
class Rendered:
    """One document rendered in memory, with what it was made from."""

    kind: str  # as planned (generator.build.plan.KINDS): what it is, never guessed from its name
    slug: str  # its kind, and the recipient's key for one per recipient
    path: Path
    data: bytes
    parts: Mapping[str, bytes]  # as zipped into `data`: checked without unzipping it again
    templates: dict[str, str]
    input_sha256: str


@dataclass(frozen=True)
class Renders:
    """An input's documents rendered in memory, and the warnings its checks left."""

    documents: list[Rendered]
    warnings: list[Problem]


@dataclass(frozen=True)
class Built:
    """The files written for one input, and the warnings its checks left."""

    source: Path
    outputs: list[Path]
    warnings: list[Problem]


def render_input(
    source: Path,
    *,
    out_dir: Path,
    templates: Path = DEFAULT_TEMPLATES,
    only: str | None = None,
    generator: str | None = None,
    template_digests: Mapping[str, str] | None = None,
) -> Renders:
    """Every document `source` has content for, rendered in memory, destined for `out_dir/<stem>/`.

    Each carries its provenance (input hash, templates and their hashes, generator) in its
    custom properties.
    """
    problem = name_problem(source.stem)
    if problem is not None:
        raise InputError([Problem(source, 1, 1, "(file)", problem)])
    input_bytes = read_input_bytes(source)  # once: parsed and hashed from the same bytes
    loaded = read_decision(source, input_bytes)
    decision = loaded.decision
    documents = plan_documents(decision, forms=load_form_wordings(), report_wording=load_report_wording(), templates=templates)
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
            if name not in digests and (sha := template_sha256(path)) is not None:
                digests[name] = sha
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
                kind=doc.kind,
                slug=doc.slug,
                path=out_dir / source.stem / doc.filename(source.stem),
                data=package.data,
                parts=package.parts,
                templates=used,
                input_sha256=input_sha256,
            )
        )
    return Renders(rendered, loaded.warnings)


def generate(source: Path, *, out_dir: Path, templates: Path = DEFAULT_TEMPLATES, only: str | None = None) -> Built:
    """Render every document `source` has content for into `out_dir/<stem>/`.

    All documents are rendered before any is written, so a failing template leaves
    the previous set of outputs untouched rather than half replaced. Written documents are then
    checked for accessibility (DOMAIN.md §6): AccessibilityError lists every problem, in files
    left on disk so that they can be looked at.
    """
    renders = render_input(source, out_dir=out_dir, templates=templates, only=only)
    rendered = renders.documents
    # Not through a link on the way to the input's folder, nor to a document in it.
    write_together([(inside(out_dir, output.path.relative_to(out_dir).as_posix()), output.data) for output in rendered])
    require_accessible((r.path, r.parts) for r in rendered)
    return Built(source=source, outputs=[r.path for r in rendered], warnings=renders.warnings)


def template_sha256(path: Path) -> str | None:
    """A template's hash, read within its bounds; None if unreadable (rendering with it says why)."""
    try:
        return sha256_bytes(read_file(path))
    except (OSError, PackageError):
        return None


def _template_name(path: Path, templates: Path) -> str:
    try:
        return path.relative_to(templates).as_posix()
    except ValueError:
        return path.name
