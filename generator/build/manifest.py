"""What each output was built from (content hashes), so a batch renders only what is stale.

Staleness is decided by hashes of the input, each template, and the generator (its version,
code and standard wording) — never by modification times, which miss template edits and
change on a mere checkout. Beside each hash of a file is its stamp (stamps.py), so that a file
whose stamp is unchanged need not be read again to be hashed: a rerun over 10,000 inputs looks
at each file instead of reading 400 MB.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from generator import __version__
from generator.build.files import append, read_regular, unsafe_name, write_atomic
from generator.build.manifest_entry import Entry, EntryReader, Shared, encoded
from generator.build.output_folders import CONFIDENTIAL, OutputFolders
from generator.build.stamps import settled_stamp, stamp

MANIFEST = ".grantdocs-manifest.json"
# What a batch has recorded since the manifest was last written: a line per result, appended as
# it arrives, folded into the manifest when the batch ends (and by the next batch, after a kill).
JOURNAL = ".grantdocs-manifest.journal"
_FORMAT = 1


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sha256_output(path: Path | None) -> str | None:
    """The hash of a file in the output folder, or None if it is missing (or unnamed), not a regular
    file (a link is not followed), or too large to be one of grantdocs' documents."""
    data = None if path is None else read_regular(path)
    return None if data is None else sha256_bytes(data)


# Layers that use the build and never feed it (imports point one way): editing them changes no document.
_ABOVE_BUILD = frozenset({"web"})


@cache
def generator_fingerprint() -> str:
    """The version plus a hash of the package's code and standard wording: any change to what
    turns an input into a document makes every output stale. Computed once per process, which
    runs the code it loaded, whatever is on disk later."""
    digest = hashlib.sha256()
    for name, path in fingerprinted():
        digest.update(name.encode())
        digest.update(path.read_bytes())
    return f"{__version__}+{digest.hexdigest()[:16]}"


def fingerprinted() -> list[tuple[str, Path]]:
    """The package's code and wording that can change a document, each with its name in the package."""
    root = Path(__file__).resolve().parents[1]  # the whole generator package
    named = ((path.relative_to(root).as_posix(), path) for path in [*root.rglob("*.py"), *root.rglob("*.yaml")])
    return sorted((name, path) for name, path in named if name.split("/")[0] not in _ABOVE_BUILD)


@dataclass
class Manifest:
    """The manifest of one output folder: output path (relative to it; a Part 2's to the
    confidential folder, marked as such: see output_folders) → Entry."""

    folders: OutputFolders
    entries: dict[str, Entry] = field(default_factory=dict)
    # output .docx → the sha256 of the .docx its PDF (`<name>.pdf`) was made from. PDFs are not
    # byte-reproducible (LibreOffice stamps dates), so a PDF is stale when its .docx changed.
    pdfs: dict[str, str] = field(default_factory=dict)
    # output .docx → the sha256 of the PDF itself, so that --prune removes only a PDF left as it was written.
    pdf_sha256: dict[str, str] = field(default_factory=dict)
    shared: Shared = field(default_factory=Shared, repr=False, compare=False)  # what every input's entries repeat, once
    changed: set[str] = field(default_factory=set, repr=False, compare=False)  # names changed since the journal was written
    unsaved: bool = field(default=False, repr=False, compare=False)  # the journal holds what the manifest does not

    @property
    def folder(self) -> Path:
        """The output folder, which holds the manifest."""
        return self.folders.out

    @classmethod
    def load(cls, folder: Path, confidential: Path | None = None) -> Manifest:
        """The folder's manifest, its Part 2 outputs in `confidential` (by default beside `folder`);
        an unreadable one counts as empty (everything is rebuilt).

        The file is untrusted (anyone who can write the folder can edit it): an entry whose name
        could lead out of the folder, or whose fields are not what grantdocs writes, is left out,
        so grantdocs neither reads nor removes what it names."""
        folders = OutputFolders.of(folder, confidential)
        raw: object = None
        try:
            data = read_regular(folder / MANIFEST)  # not through a link, nor past the size bound
            raw = json.loads(data.decode("utf-8")) if data is not None else None
        except (OSError, ValueError):
            pass
        if not isinstance(raw, dict) or raw.get("format") != _FORMAT or not isinstance(raw.get("outputs"), dict):
            raw = {"outputs": {}}
        shared = Shared()
        reader = EntryReader(shared)
        entries = {name: entry for name, fields in raw["outputs"].items() if _ours(name) and (entry := reader.read(fields)) is not None}
        journal = read_regular(folder / JOURNAL)
        for line in journal.split(b"\n")[:-1] if journal else ():  # the last, cut short or empty, is not a record
            _replay(line, entries, reader)
        pdfs, pdf_sha256 = (_hashes(raw.get(key), entries) for key in ("pdfs", "pdf_sha256"))
        return cls(folders, entries, pdfs, pdf_sha256, shared, unsaved=journal is not None)

    def record(self, name: str, entry: Entry) -> None:
        """Record `name` as made as `entry` says (from a worker), holding what entries share once."""
        self.entries[name] = self.shared.entry(entry)
        self.changed.add(name)

    def forget(self, name: str) -> None:
        """Record that nothing is known of `name` (removed, or about to be recorded anew)."""
        if self.entries.pop(name, None) is not None:
            self.changed.add(name)

    def journal(self) -> None:
        """Append what changed since the last call to the journal, in one line: a batch records
        each result as it arrives without writing its thousands of other entries again."""
        if not self.changed:
            return
        now = ", ".join(
            f"{json.dumps(name)}: {'null' if entry is None else encoded(entry, self.shared)}"
            for name in sorted(self.changed)
            for entry in [self.entries.get(name)]
        )
        append(self.folder / JOURNAL, f"{{{now}}}\n".encode())
        self.changed.clear()
        self.unsaved = True

    def save(self) -> None:
        """Write the manifest, what the journal holds included, and remove the journal: one line
        per output, in name order, so that it diffs well. Written as it is encoded, a line at a
        time: the whole text of 28,000 entries is 17 MB."""
        write_atomic(self.folder / MANIFEST, self._text())
        (self.folder / JOURNAL).unlink(missing_ok=True)  # a link itself, if one was put there: never what it leads to
        self.changed.clear()
        self.unsaved = False

    def _text(self) -> Iterator[bytes]:
        yield f'{{\n "format": {_FORMAT},\n "outputs": {{\n'.encode()
        separator = ""
        for name in sorted(self.entries):
            yield f"{separator}  {json.dumps(name)}: {encoded(self.entries[name], self.shared)}".encode()
            separator = ",\n"
        yield b"\n }"
        for key, hashes in (("pdfs", self.pdfs), ("pdf_sha256", self.pdf_sha256)):
            kept = {name: sha for name, sha in sorted(hashes.items()) if name in self.entries}
            if kept:
                yield (f',\n "{key}": ' + json.dumps(kept, indent=1).replace("\n", "\n ")).encode()
        yield b"\n}\n"

    def by_input(self) -> dict[str, dict[str, Entry]]:
        """Input → its outputs (name → Entry), all at once: asking input by input would read
        every entry for each."""
        grouped: dict[str, dict[str, Entry]] = {}
        for name, entry in self.entries.items():
            grouped.setdefault(entry.input, {})[name] = entry
        return grouped

    def is_current(
        self,
        outputs: dict[str, Entry],
        *,
        input_stamp: str | None,
        input_sha256: Callable[[], str | None],
        templates: dict[str, str],
        generator: str,
    ) -> bool:
        """Whether the `outputs` recorded for an input (from `by_input`) were all made from exactly
        these and are intact on disk. The input (whose stamp is `input_stamp`) is hashed, by
        calling `input_sha256`, only if its stamp is not the one recorded; likewise each output."""
        if not outputs or any(set(e.siblings) != outputs.keys() for e in outputs.values()):
            return False
        for entry in outputs.values():
            if entry.generator != generator or not entry.templates.items() <= templates.items():  # each template as it was
                return False
        if input_stamp is None or any(e.input_stamp != input_stamp for e in outputs.values()):
            found = input_sha256()
            if any(e.input_sha256 != found for e in outputs.values()):
                return False
        return all(intact(self.folders.path_text(name), entry) is not None for name, entry in outputs.items())


def intact(path: str | Path, entry: Entry) -> str | None:
    """The stamp to record for the output at `path` if it is still the file `entry` records (its
    stamp unchanged, or else its bytes hashing the same), or None if it is not: it is read only
    if its stamp changed."""
    if entry.stamp and stamp(path, follow_links=False) == entry.stamp:
        return entry.stamp
    found = settled_stamp(path, follow_links=False)  # before it is read, as any file stamped
    return found if sha256_output(Path(path)) == entry.sha256 else None


def _ours(name: object) -> bool:
    """Whether a manifest's output name is one grantdocs could have written: a .docx inside its
    folder (the output folder, or the confidential folder for a name marked so)."""
    return isinstance(name, str) and name.endswith(".docx") and unsafe_name(name.removeprefix(CONFIDENTIAL)) is None


def _replay(line: bytes, entries: dict[str, Entry], reader: EntryReader) -> None:
    """Apply one line of the journal (untrusted, as the manifest): each name to its new entry, or
    forgotten (null). An entry not in grantdocs' shape is forgotten too: its output is checked again."""
    try:
        changes = json.loads(line.decode("utf-8"))
    except ValueError:
        return
    if not isinstance(changes, dict):
        return
    for name, fields in changes.items():
        entry = reader.read(fields) if fields is not None and _ours(name) else None
        if entry is not None:
            entries[name] = entry
        else:
            entries.pop(name, None)


def _hashes(raw: object, entries: dict[str, Entry]) -> dict[str, str]:
    """A name → sha256 map of the manifest, for outputs it lists."""
    if not isinstance(raw, dict):
        return {}
    return {name: sha for name, sha in raw.items() if name in entries and isinstance(sha, str)}
