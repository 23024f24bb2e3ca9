"""The folder of inputs the web app serves: what is in it, each input read and judged, and saves
that never lose work.

No path from a request reaches the file system unchecked: an input is named by its key (its
path under the folder, as `grantdocs batch` names it) and found among the inputs the folder
holds, never joined onto the folder from the request. A save replaces the file atomically, and
only if it is still the file the page was made from (its hash); otherwise it is a conflict the
officer resolves.
"""

from __future__ import annotations

import hashlib
import re
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.build.batch import find_inputs
from generator.build.files import inside, write_atomic
from generator.build.plan import Document, planned_documents
from generator.build.register import RegisterEntry, register_entry
from generator.domain.common.base import DRAFT_REFERENCE
from generator.domain.decision.model import Decision
from generator.errors import GeneratorError, InputError, Problem
from generator.inputs.load import judge_input, load_form_wordings
from generator.inputs.source import read_input_bytes
from generator.inputs.yaml_writer import dump_document, load_document, merged, plain

_NAME = re.compile(r"[^a-z0-9]+")


class Conflict(GeneratorError):
    """The file changed on disk since the page was made from it."""


@dataclass(frozen=True)
class Judged:
    """An input as read now: its text and hash, its data as the reader gives it (None when it
    cannot be read at all), the decision when valid, its problems and warnings."""

    key: str
    path: Path
    text: str
    sha256: str
    data: dict[str, Any] | None
    decision: Decision | None
    problems: list[Problem]
    warnings: list[Problem]

    @property
    def reference(self) -> str:
        return str((self.data or {}).get("reference") or "")

    @property
    def title(self) -> str:
        return str((self.data or {}).get("title") or "")

    @property
    def form_version(self) -> str:
        form = (self.data or {}).get("decision_form")
        return str(form.get("form") or "") if isinstance(form, dict) else ""

    def register_entry(self) -> RegisterEntry:
        """What the decision register says of this input: its status, dates, money and documents."""
        return register_entry(self.key, stem=self.path.stem, data=self.data, decision=self.decision, problems=self.problems)

    def documents(self) -> list[Document]:
        """The documents a valid input yields, in publication order (Part 2 last)."""
        if self.decision is None:
            return []
        return planned_documents(self.decision)


class InputsFolder:
    def __init__(self, root: Path) -> None:
        self.root = root.resolve()
        # One save at a time, so that the check of the file's hash and the write are one step.
        self._saving = threading.Lock()
        # Whether the app can rewrite a file, by the file's hash: a round trip through ruamel.yaml
        # costs more than the rest of a request, and the answer changes only with the file.
        self._rewritable: dict[str, bool] = {}

    def inputs(self) -> list[str]:
        return [p.relative_to(self.root).as_posix() for p in find_inputs(self.root)]

    def path(self, key: str) -> Path:
        """The input named `key`; KeyError unless the folder holds it."""
        if key not in self.inputs():
            raise KeyError(key)
        return inside(self.root, key)

    def judge(self, key: str) -> Judged:
        """The input named `key`, read and checked; KeyError unless the folder holds it."""
        return self._judge(key, self.path(key))

    def judge_all(self) -> list[Judged]:
        """Every input of the folder, read and checked (the folder walked once); an input that
        cannot be read is left out."""
        judged = []
        for key in self.inputs():
            try:
                judged.append(self._judge(key, inside(self.root, key)))
            except GeneratorError:
                continue
        return judged

    def _judge(self, key: str, path: Path, raw: bytes | None = None) -> Judged:
        raw = read_input_bytes(path) if raw is None else raw
        text = raw.decode("utf-8", errors="replace")
        sha = hashlib.sha256(raw).hexdigest()
        try:
            judged = judge_input(path, raw)
        except InputError as error:  # not YAML at all
            return Judged(key, path, text, sha, None, None, error.problems, [])
        data = judged.data if isinstance(judged.data, dict) else None
        return Judged(key, path, text, sha, data, judged.decision, judged.problems, judged.warnings)

    def editable(self, judged: Judged) -> bool:
        """Whether the app can rewrite the input without losing what it holds: it reads, and
        writing it back unchanged gives the same data."""
        if judged.data is None:
            return False
        known = self._rewritable.get(judged.sha256)
        if known is None:
            try:
                known = bool(plain(load_document(dump_document(load_document(judged.text)))) == judged.data)
            except Exception:  # ruamel.yaml cannot hold something the reader accepted: read-only
                known = False
            self._rewritable[judged.sha256] = known
        return known

    def save(self, key: str, changes: dict[str, Any], *, expected_sha256: str) -> Judged:
        """Write `changes` (top-level sections, whole) into the input, keeping everything else as
        it is; Conflict if the file is no longer the one the page was made from."""
        path = self.path(key)
        with self._saving:
            raw = read_input_bytes(path)
            if hashlib.sha256(raw).hexdigest() != expected_sha256:
                raise Conflict(f"{key} was changed on disk since this page was loaded")
            document = load_document(raw.decode("utf-8"))
            for name, value in changes.items():
                if value is None:
                    document.pop(name, None)
                else:
                    document[name] = merged(document.get(name), value)
            written = dump_document(document).encode("utf-8")
            write_atomic(path, written)
        judged = self._judge(key, path, written)
        # What was just written came out of ruamel.yaml: it rewrites as itself if it reads as it was meant.
        self._rewritable[judged.sha256] = judged.data is not None and plain(document) == judged.data
        return judged

    def create(self, *, reference: str, title: str, form: str) -> str:
        """A new input named for its reference (pcd-1301.yaml); its key. FileExistsError if taken."""
        # A draft not yet numbered (PCD TBC) is named for its title, so that drafts do not collide.
        named = f"draft {title}" if " ".join(reference.split()).upper() == DRAFT_REFERENCE else reference
        stem = _NAME.sub("-", named.lower()).strip("-")[:80].strip("-") or "decision"
        key = f"{stem}.yaml"
        path = inside(self.root, key)
        if path.exists() or key in self.inputs():
            raise FileExistsError(key)
        document = load_document("")
        # The form version's standard declaration rows, none confirmed: the officer confirms each (as `grantdocs new` writes them).
        rows = [{"key": d.key, "confirmed": "no"} for d in load_form_wordings()[form].declarations if d.default]
        document.update({"reference": reference, "title": title, "decision_form": merged(None, {"form": form, "declarations": rows})})
        self.root.mkdir(parents=True, exist_ok=True)
        with self._saving:
            if path.exists():
                raise FileExistsError(key)
            write_atomic(path, dump_document(document).encode("utf-8"))
        return key
