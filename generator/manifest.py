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
        data: dict[str, object] = {"format": _FORMAT, "outputs": {name: asdict(e) for name, e in sorted(self.entries.items())}}
        pdfs = {name: sha for name, sha in sorted(self.pdfs.items()) if name in self.entries}
        if pdfs:
            data["pdfs"] = pdfs
        write_atomic(self.folder / MANIFEST, (json.dumps(data, indent=1, sort_keys=True) + "\n").encode("utf-8"))

    def outputs_of(self, source: str) -> dict[str, Entry]:
        return {name: e for name, e in self.entries.items() if e.input == source}

    def is_current(self, source: str, *, input_sha256: str, templates: dict[str, str], generator: str) -> bool:
        """Whether every output recorded for `source` was made from exactly these and is intact on disk."""
        outputs = self.outputs_of(source)
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
