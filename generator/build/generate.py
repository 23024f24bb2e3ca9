"""Input file → validated model → rendered documents → files on disk."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from generator.build.files import CONTROL_CHARACTER, write_together
from generator.build.locations import DEFAULT_TEMPLATES as DEFAULT_TEMPLATES
from generator.build.manifest import generator_fingerprint, sha256_bytes
from generator.build.output_folders import OutputFolders, default_confidential
from generator.build.plan import Document, plan_documents
from generator.checks.accessibility import require_accessible
from generator.docx.package_check import read_file
from generator.docx.render import render_package
from generator.errors import InputError, OutputError, PackageError, Problem
from generator.inputs.load import Loaded, load_form_wordings, load_report_wording, read_decision
from generator.inputs.source import read_input_bytes

# An input's name becomes a folder and the start of each document's name (`<stem>-supporting-report.docx`,
# its PDF, a temp file beside it): bounded well inside a file system's 255 bytes.
MAX_STEM_CHARS = 100


def name_problem(name: str) -> str | None:
    """Why an input's name (or a folder of inputs) cannot name its outputs, or None if it can."""
    if name.strip(".") == "":
        return f"the name {name!r} is only dots: rename the file"
    if CONTROL_CHARACTER.search(name):
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
    confidential: bool = False  # a Part 2: written to the confidential folder, never the output folder
    stored: Mapping[str, tuple[int, int, bytes]] = field(default_factory=dict)  # each part as zipped (docx.package.Package)


@dataclass(frozen=True)
class Kept:
    """A document not rendered again: the one on disk is what a render would make (render_decision's
    `keep`), with the stamp `keep` found it by."""

    path: Path
    confidential: bool
    stamp: str


# For the document destined for a path (and whether confidential), made from these templates
# (name → hash) and an input hashing so: the stamp of the file on disk if it is what a render
# would make, so that it need not be rendered; None to render it.
Keep = Callable[[Path, bool, Mapping[str, str], str], str | None]


@dataclass(frozen=True)
class Renders:
    """An input's documents, each rendered in memory or kept as it is on disk, in the order
    planned; and the warnings its checks left."""

    outputs: list[Rendered | Kept]
    warnings: list[Problem]

    @property
    def documents(self) -> list[Rendered]:
        """The documents rendered."""
        return [output for output in self.outputs if isinstance(output, Rendered)]


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
    confidential_dir: Path | None = None,
    templates: Path = DEFAULT_TEMPLATES,
    only: str | None = None,
    generator: str | None = None,
    template_digests: Mapping[str, str] | None = None,
    keep: Keep | None = None,
) -> Renders:
    """Every document `source` has content for, rendered in memory, destined for `out_dir/<stem>/`,
    or for Part 2 `confidential_dir/<stem>/` (by default beside `out_dir`, see output_folders);
    each that `keep` says is already on disk as a render would make it, kept instead.

    Each carries its provenance (input hash, templates and their hashes, generator) in its
    custom properties.
    """
    problem = name_problem(source.stem)
    if problem is not None:
        raise InputError([Problem(source, 1, 1, "(file)", problem)])
    input_bytes = read_input_bytes(source)  # once: parsed and hashed from the same bytes
    loaded = read_decision(source, input_bytes)
    return render_decision(
        source,
        loaded,
        input_sha256=sha256_bytes(input_bytes),
        out_dir=out_dir,
        confidential_dir=default_confidential(out_dir) if confidential_dir is None else confidential_dir,
        templates=templates,
        only=only,
        generator=generator,
        template_digests=template_digests,
        keep=keep,
    )


def render_decision(
    source: Path,
    loaded: Loaded,
    *,
    input_sha256: str,
    out_dir: Path,
    confidential_dir: Path | None,
    templates: Path = DEFAULT_TEMPLATES,
    only: str | None = None,
    generator: str | None = None,
    template_digests: Mapping[str, str] | None = None,
    keep: Keep | None = None,
) -> Renders:
    """The documents of an input already read (`loaded`, from bytes hashing to `input_sha256`),
    rendered in memory, destined for `out_dir/<stem>/` and a Part 2 for `confidential_dir/<stem>/`;
    with no confidential folder (a publish) its Part 2 is not even planned.

    A document `keep` accepts is not rendered: a batch keeps each whose input, templates and
    generator are those its output on disk was made from (after a template edit, the documents
    of the other templates)."""
    documents = plan_documents(
        loaded.decision,
        forms=load_form_wordings(),
        report_wording=load_report_wording(),
        templates=templates,
        part_2=confidential_dir is not None,
    )
    if not documents:
        raise InputError([Problem(source, 1, 1, "(file)", "nothing to generate: add a decision_form or report section")])
    if only is not None:
        documents = [d for d in documents if d.kind == only]
        if not documents:
            raise InputError([Problem(source, 1, 1, "(file)", f"this input has no {only}")])
    generator = generator or generator_fingerprint()
    outputs: list[Rendered | Kept] = []
    digests = dict(template_digests or {})
    for doc in documents:
        names = [_template_name(t, templates) for t in doc.templates]
        for name, path in zip(names, doc.templates, strict=True):
            if name not in digests and (sha := template_sha256(path)) is not None:
                digests[name] = sha
        used = {name: digests[name] for name in names if name in digests}
        path = _folder(doc, out_dir, confidential_dir) / source.stem / doc.filename(source.stem)
        if keep is not None and (found := keep(path, doc.confidential, used, input_sha256)) is not None:
            outputs.append(Kept(path, doc.confidential, found))
            continue
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
        outputs.append(
            Rendered(
                kind=doc.kind,
                slug=doc.slug,
                path=path,
                data=package.data,
                parts=package.parts,
                templates=used,
                input_sha256=input_sha256,
                confidential=doc.confidential,
                stored=package.stored,
            )
        )
    return Renders(outputs, loaded.warnings)


def generate(
    source: Path, *, out_dir: Path, confidential_dir: Path | None = None, templates: Path = DEFAULT_TEMPLATES, only: str | None = None
) -> Built:
    """Render every document `source` has content for into `out_dir/<stem>/`, and its Part 2
    into `confidential_dir/<stem>/` (by default `<out_dir>-confidential`, beside it).

    All documents are rendered before any is written, so a failing template leaves
    the previous set of outputs untouched rather than half replaced. Written documents are then
    checked for accessibility (DOMAIN.md §6): AccessibilityError lists every problem, in files
    left on disk so that they can be looked at. A confidential folder overlapping the output
    folder is refused (OutputError) before anything is read.
    """
    folders = OutputFolders.of(out_dir, confidential_dir)
    renders = render_input(source, out_dir=folders.out, confidential_dir=folders.confidential, templates=templates, only=only)
    rendered = renders.documents
    # Not through a link on the way to the input's folder, nor to a document in it.
    write_together([(folders.inside(folders.name(r.path, confidential=r.confidential)), r.data) for r in rendered])
    require_accessible((r.path, r.parts) for r in rendered)
    return Built(source=source, outputs=[r.path for r in rendered], warnings=renders.warnings)


def _folder(doc: Document, out_dir: Path, confidential_dir: Path | None) -> Path:
    """Where `doc` goes: a Part 2 to the confidential folder, never anywhere else."""
    if not doc.confidential:
        return out_dir
    if confidential_dir is None:  # plan_documents plans no Part 2 then: a bug, never a Part 2 among the others
        raise OutputError("grantdocs planned a Part 2 with no confidential folder to write it to; nothing was written: please report it")
    return confidential_dir


def template_sha256(path: Path) -> str | None:
    """A template's hash, read within its bounds; None if unreadable (rendering with it says why)."""
    try:
        return sha256_bytes(read_file(path))
    except (OSError, PackageError):
        return None


@lru_cache(maxsize=64)
def _template_name(path: Path, templates: Path) -> str:
    """How the manifest and the provenance name a template: its path in the templates folder
    (worked out once per template: every document asks)."""
    try:
        return path.relative_to(templates).as_posix()
    except ValueError:
        return path.name
