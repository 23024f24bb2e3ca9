"""What the design changes issue 23 names could buy at most (not a test): prints figures from one run.

    .venv/bin/python benchmarks/bench_ceiling.py [--n 1000] [--rounds 3]

Issue 23 asks for `grantdocs_over_floor <= 3.0` and names the changes to get there: the
accessibility verdict decided once per template, with only the inserted values checked per
document; table grids and drawing ids made right when a template is compiled rather than fixed
up after every render. However well such a change were made, it could not cost less than nothing.
So this times, over the same N inputs as bench_batch (make_inputs), in turns, --rounds times,
the best of each, per document:
  full      a first `grantdocs batch --jobs 1`, as bench_batch's (b);
  no-a11y   the same with the accessibility check of the outputs taking no time at all;
  no-fixups the same with docxtpl's fix-ups after each part's render (listing markers, table
            grids, part ids) and the notes moved to the foot of the page taking no time at all;
  neither   both;
  floor     bench_batch's floor (d).
Each batch runs in a process of its own (run_batch, as bench_batch's child). The documents the
stubbed variants write are wrong (grids unfixed, notes in the body, nothing checked): they are
timed, never used. The ratios to the floor are the most each change could bring
grantdocs_over_floor down to.
Last line: full_over_floor=… no_a11y_over_floor=… no_fixups_over_floor=… neither_over_floor=…
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import bench_batch  # noqa: E402

from generator.build.output_folders import default_confidential  # noqa: E402

VARIANTS = ("full", "no-a11y", "no-fixups", "neither")


def child(inputs_dir: str, out: str, variant: str) -> None:
    """One first batch with `variant`'s steps made free, timed as bench_batch's child times it."""
    import generator.build.workers as workers
    import generator.docx.render as render
    from generator.docx.footnotes import Footnotes

    if variant in ("no-a11y", "neither"):
        workers.require_accessible = lambda outputs: None
    if variant in ("no-fixups", "neither"):
        render._finish_xml = lambda xml, *, tables, ids: xml.encode("utf-8")
        Footnotes.apply = lambda self, document, footnotes: None
    bench_batch.child(inputs_dir, out, "1")


def time_variant(inputs_dir: Path, out: Path, variant: str) -> float:
    bench_batch.fresh(out, default_confidential(out))
    run = subprocess.run(
        [sys.executable, __file__, "--child", str(inputs_dir), str(out), variant], check=True, capture_output=True, text=True
    )
    return float(run.stdout)


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        child(*sys.argv[2:5])
        return
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=1000, help="inputs (default 1000)")
    parser.add_argument("--rounds", type=int, default=3, help="rounds in turns, the best of each kept (default 3)")
    args = parser.parse_args()
    times: dict[str, list[float]] = {name: [] for name in (*VARIANTS, "floor")}
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "inputs").mkdir()
        inputs = bench_batch.make_inputs(root / "inputs", args.n)
        ready = None
        documents = 0
        timed = root / "timed"  # each round's folders, removed once every round is timed (bench_batch.fresh)
        for turn in range(args.rounds):
            for variant in VARIANTS:
                times[variant].append(time_variant(root / "inputs", timed / f"{variant}-{turn}", variant))
            if ready is None:  # what the floor starts from: the full batch's outputs, read once
                ready = bench_batch.floor_jobs(inputs, timed / "full-0")
                documents = sum(len(outputs) for _, outputs in ready)
            times["floor"].append(bench_batch.time_floor(ready, timed / f"floor-{turn}")[0])  # in a folder of its own, as the batches
        bench_batch.removed(timed)
    best = {name: min(values) for name, values in times.items()}
    print(f"{args.n} inputs, {documents} documents, {args.rounds} round(s) in turns; best of each, per document:")
    for name, seconds in best.items():
        print(f"  {name:10} {seconds / documents * 1000:6.2f} ms/doc  {seconds / best['floor']:5.2f} x floor")
    print(" ".join(f"{name.replace('-', '_')}_over_floor={best[name] / best['floor']:.2f}" for name in VARIANTS))


if __name__ == "__main__":
    main()
