"""What each output was built from (content hashes), so a batch renders only what is stale.

Staleness is decided by hashes of the input, each template, and the generator (its version,
code and standard wording) — never by modification times, which miss template edits and
change on a mere checkout.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from functools import cache
from pathlib import Path

from generator import __version__
from generator.files import write_atomic

MANIFEST = ".grantdocs-manifest.json"
_FORMAT = 1


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sha256_file(path: Path) -> str:
    return sha256_bytes(path.read_bytes())


@cache
def generator_fingerprint() -> str:
    """The version plus a hash of the package's code and standard wording: any change to what
    turns an input into a document makes every output stale. Computed once per process, which
    runs the code it loaded, whatever is on disk later."""
    root = Path(__file__).resolve().parent
    digest = hashlib.sha256()
    for path in sorted([*root.rglob("*.py"), *root.rglob("*.yaml")]):
        digest.update(path.relative_to(root).as_posix().encode())
        digest.update(path.read_bytes())
    return f"{__version__}+{digest.hexdigest()[:16]}"


@dataclass(frozen=True)
class Entry:
    """One output: the input and templates it was made from, and its own hash."""

    input: str
    input_sha256: str
    templates: dict[str, str]
    generator: str
    sha256: str
    siblings: list[str] = field(default_factory=list)  # every output of the same input, this one included


@dataclass
class Manifest:
    """The manifest of one output folder: output path (relative to it) → Entry."""

    folder: Path
    entries: dict[str, Entry] = field(default_factory=dict)
    # output .docx → the sha256 of the .docx its PDF (`<name>.pdf`) was made from. PDFs are not
    # byte-reproducible (LibreOffice stamps dates), so a PDF is stale when its .docx changed.
    pdfs: dict[str, str] = field(default_factory=dict)
    # name → (entry, its JSON): a batch saves the manifest every second or so, and encoding
    # thousands of unchanged entries each time cost more than rendering a document.
    _encoded: dict[str, tuple[Entry, str]] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def load(cls, folder: Path) -> Manifest:
        """The folder's manifest; an unreadable one counts as empty (everything is rebuilt)."""
        try:
            raw = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
            if raw.get("format") != _FORMAT:
                return cls(folder)
            pdfs = {str(k): str(v) for k, v in raw.get("pdfs", {}).items()}
            return cls(folder, {name: Entry(**entry) for name, entry in raw["outputs"].items()}, pdfs)
        except (OSError, ValueError, TypeError, KeyError, AttributeError):
            return cls(folder)

    def save(self) -> None:
        """Write the manifest: one line per output, in name order, so that it diffs well."""
        outputs = ",\n".join(f"  {json.dumps(name)}: {self._json(name, e)}" for name, e in sorted(self.entries.items()))
        pdfs = {name: sha for name, sha in sorted(self.pdfs.items()) if name in self.entries}
        text = f'{{\n "format": {_FORMAT},\n "outputs": {{\n{outputs}\n }}'
        if pdfs:
            text += ',\n "pdfs": ' + json.dumps(pdfs, indent=1).replace("\n", "\n ")
        write_atomic(self.folder / MANIFEST, (text + "\n}\n").encode("utf-8"))

    def _json(self, name: str, entry: Entry) -> str:
        cached = self._encoded.get(name)
        if cached is None or cached[0] is not entry:
            cached = self._encoded[name] = (entry, json.dumps(asdict(entry), sort_keys=True))
        return cached[1]

    def by_input(self) -> dict[str, dict[str, Entry]]:
        """Input → its outputs (name → Entry), all at once: asking input by input would read
        every entry for each."""
        grouped: dict[str, dict[str, Entry]] = {}
        for name, entry in self.entries.items():
            grouped.setdefault(entry.input, {})[name] = entry
        return grouped

    def is_current(self, outputs: dict[str, Entry], *, input_sha256: str, templates: dict[str, str], generator: str) -> bool:
        """Whether the `outputs` recorded for an input (from `by_input`) were all made from exactly
        these and are intact on disk."""
        if not outputs or any(set(e.siblings) != outputs.keys() for e in outputs.values()):
            return False
        for name, entry in outputs.items():
            if entry.input_sha256 != input_sha256 or entry.generator != generator:
                return False
            if any(templates.get(t) != sha for t, sha in entry.templates.items()):
                return False
            path = self.folder / name
            try:
                if sha256_file(path) != entry.sha256:
                    return False
            except OSError:
                return False
        return True
