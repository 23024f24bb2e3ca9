"""Word-level similarity of each example's documents, as LibreOffice reads them, to the published text.

    .venv/bin/python benchmarks/fidelity.py

Needs LibreOffice (apt-get install libreoffice-writer-nogui). The tests assert the same
figures at >= 0.93; this prints them.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator.build.generate import generate  # noqa: E402
from tests.support.fidelity import libreoffice_text, reference_between, word_similarity  # noqa: E402

PCD = "pcd-1284-cpd-personal-robbery.txt"
CASES = [
    ("pcd-1284", "decision-form", PCD, None, "NPCC Personal Robbery Portfolio"),
    ("pcd-1284", "supporting-report", PCD, "NPCC Personal Robbery Portfolio – Device Crime, Continuous", None),
    ("pcd-1284", "decision-pack", PCD, None, None),
    ("dmpcd-2015-148", "decision-form", "dmpcd-2015-148-innovation-fund-bids.txt", None, None),
    ("ocs-grant-2023-24", "supporting-report", "ocs-grant-2023-27-report.txt", None, None),
]


def main() -> None:
    with tempfile.TemporaryDirectory() as out:
        for stem, kind, reference, start, end in CASES:
            (path,) = generate(ROOT / "inputs" / "examples" / f"{stem}.yaml", out_dir=Path(out), only=kind).outputs
            similarity = word_similarity(libreoffice_text(path), reference_between(reference, start, end))
            print(f"{stem:18} {kind:18} {similarity:.3f}")


if __name__ == "__main__":
    main()
