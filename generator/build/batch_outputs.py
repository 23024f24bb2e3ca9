"""Which outputs a batch may write, and which it may remove: inputs whose names cannot name
their outputs are refused, and orphaned outputs are pruned only if still as grantdocs wrote them.
"""

from __future__ import annotations

import os
from pathlib import Path

from generator.build.batch_results import BatchReport
from generator.build.files import cannot_write
from generator.build.generate import name_problem
from generator.build.manifest import Manifest, sha256_output
from generator.build.output_folders import CONFIDENTIAL
from generator.errors import OutputError, quoted_path
from generator.pdf import pdf_path


def refused_names(keys: dict[Path, str]) -> dict[Path, str]:
    """Inputs whose names cannot name their outputs, or that would write the same outputs as
    another (`x.yaml` and `x.yml`), each with why."""
    refused: dict[Path, str] = {}
    by_outputs: dict[str, list[Path]] = {}
    for source, key in keys.items():
        folder, _, _ = key.rpartition("/")
        stem = source.stem
        problem = next((p for p in map(name_problem, [*folder.split("/"), stem] if folder else [stem]) if p is not None), None)
        if key.startswith(CONFIDENTIAL):  # the manifest would take its outputs for Part 2s in the confidential folder
            problem = f"its path starts with {CONFIDENTIAL!r}, which the manifest keeps for Part 2 documents in the confidential folder: rename it"
        if problem is not None:
            refused[source] = problem
        else:
            by_outputs.setdefault(f"{folder}/{stem}", []).append(source)
    for same in by_outputs.values():
        for source in same if len(same) > 1 else ():
            others = " and ".join(quoted_path(o) for o in same if o != source)
            refused[source] = f"{others} would write the same documents ({source.stem}/…): rename one of them"
    return refused


def prune_orphan(manifest: Manifest, name: str, report: BatchReport) -> None:
    """Remove an orphaned output and its PDF, only if each is still as grantdocs wrote it (same
    hash), inside its folder (output or confidential), not through a link; anything else is kept
    and reported."""
    entry = manifest.entries[name]
    kept = []
    for rel, sha in ((name, entry.sha256), (pdf_path(Path(name)).as_posix(), manifest.pdf_sha256.get(name))):
        try:
            path = manifest.folders.inside(rel)
        except OutputError:
            continue  # a link on the way: nothing of ours is behind it
        found = sha256_output(path)
        if found != sha:
            if found is not None or os.path.lexists(path):  # changed, or something else in its place
                kept.append(rel)
            continue
        try:
            path.unlink()
        except FileNotFoundError:
            pass
        except OSError as exc:
            raise cannot_write(path, exc) from None
    manifest.forget(name)
    report.removed.append(name)
    report.kept.extend(kept)
