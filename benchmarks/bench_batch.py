"""Batch benchmark (not a test): every figure issue 23 asks for, measured in one run.

    .venv/bin/python benchmarks/bench_batch.py [--n 1000] [--small 1000] [--large 10000] [--pdf-docs 40] [--rounds 3] [--quick]

Inputs are the examples copied under references and titles of their own (make_inputs). Over N
of them (--n), in turns, --rounds times, the best of each, per document:
  (b) grantdocs batch with 1 job   (c) grantdocs batch with 2 jobs
  (d) floor: the least any generator must do to make these files from these inputs: parse each
      input with libyaml, deflate the rendered parts at level 1 (the template's other members
      copied still compressed), write each output to a temporary file and rename it into place
      (its input's folder, in an output folder empty at the start, as a first batch finds it)
  (e) bare: what is left of grantdocs without its checks: libyaml's own reader (no positions),
      pydantic, the documents' contexts, grantdocs' own render (render_package: sandboxed
      Jinja, the fix-ups after it, the zip) and the write; no cross-field rules, accessibility
      check, output hashes or manifest, and the templates compiled beforehand. Printed as
      `bare_over_floor=B checks_over_floor=C`, where B + C = grantdocs_over_floor: B is what this
      design costs before any check, C what the checks add, each against the floor.
Each round's (b) over (d) is printed too, beside that round's floor and its writing, and their median.
and, once, (a) the naive loop DocxTemplate(path).render(context); save() over the same
templates and contexts. Then, with bench_rerun.py's functions (each batch the command line's,
in a process of its own): the peak memory of a first `grantdocs batch --jobs 2` over --small and
over --large inputs (resident memory summed over the batch and its workers, sampled; PSS
beside it) and its growth per 1,000 inputs; the no-op rerun over the --large inputs, whose
first batch is that one (made once: about 4 minutes at 10,000 inputs on 2 cores); and
template_edit_over_force over the --small inputs. With bench_pdf.py's: grantdocs' PDF
conversion with 2 jobs of K documents from the examples (--pdf-docs, 0 to skip) against one
plain soffice call over the same K. Last, `grantdocs --help` from a process of its own, best of 7.
--quick is a smoke run (--n 100 --small 500 --large 2000 --pdf-docs 10 --rounds 1), its figures
not the issue's; options given beside it still apply.

Last line (peak_mb_10k is over the --large inputs):
    grantdocs_over_floor=… template_edit_over_force=… pdf_over_one_soffice=… noop_s=… peak_mb_10k=… help_s=…
Targets (issue 23): grantdocs_over_floor <= 3.0 at 1 job; template_edit_over_force <= 1.1;
pdf_over_one_soffice <= 0.6; noop_s <= 1.0 at 10,000 inputs; peak_mb_10k <= 250, growing
< 5 MB per 1,000 inputs; help_s <= 0.2.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import bench_pdf  # noqa: E402
import bench_rerun  # noqa: E402
from docxtpl import DocxTemplate  # noqa: E402

from generator.build.batch import run_batch  # noqa: E402
from generator.build.files import write_atomic  # noqa: E402
from generator.build.generate import DEFAULT_TEMPLATES  # noqa: E402
from generator.build.output_folders import default_confidential  # noqa: E402
from generator.build.plan import plan_documents  # noqa: E402
from generator.docx.compose import compose_pack  # noqa: E402
from generator.docx.package import RENDERED_LEVEL, Member, zip_members  # noqa: E402
from generator.docx.render import render_package  # noqa: E402
from generator.docx.sandbox import make_environment  # noqa: E402
from generator.domain.decision.model import Decision  # noqa: E402
from generator.inputs.load import load_decision, load_form_wordings, load_report_wording  # noqa: E402
from generator.pdf import soffice  # noqa: E402

DEFAULTS = {"n": 1000, "small": 1000, "large": 10000, "pdf_docs": 40, "rounds": 3}
QUICK = {"n": 100, "small": 500, "large": 2000, "pdf_docs": 10, "rounds": 1}


def make_inputs(folder: Path, n: int) -> list[Path]:
    """N inputs: the examples in turn, each with a reference and title of its own."""
    examples = sorted((ROOT / "inputs" / "examples").glob("*.yaml"))
    paths = []
    for i in range(n):
        text = examples[i % len(examples)].read_text(encoding="utf-8")
        text = re.sub(r"^reference: .*$", f"reference: PCD {2000 + i}", text, count=1, flags=re.M)
        text = re.sub(r"^title: (.*)$", rf"title: \1 (synthetic {i})", text, count=1, flags=re.M)
        path = folder / f"bench-{i:05d}.yaml"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def naive_jobs(inputs: list[Path], scratch: Path) -> list[tuple[Path, dict]]:
    """(template file, context) for every document, as a hand-written docxtpl loop would have them."""
    composed: dict[tuple[Path, ...], Path] = {}
    jobs = []
    for source in inputs:
        decision = load_decision(source)
        for doc in plan_documents(decision, forms=load_form_wordings(), report_wording=load_report_wording(), templates=DEFAULT_TEMPLATES):
            if doc.templates not in composed:
                if len(doc.templates) == 1:
                    composed[doc.templates] = doc.templates[0]
                else:
                    path = scratch / f"composed-{len(composed)}.docx"
                    path.write_bytes(compose_pack([t.read_bytes() for t in doc.templates]))
                    composed[doc.templates] = path
            jobs.append((composed[doc.templates], dict(doc.context)))
    return jobs


def time_naive(jobs: list[tuple[Path, dict]]) -> float:
    env = make_environment()
    started = time.perf_counter()
    for template, context in jobs:
        doc = DocxTemplate(str(template))
        doc.render(context, jinja_env=env)
        doc.save(io.BytesIO())
    return time.perf_counter() - started


# The parts a render writes (grantdocs' RENDERED_PARTS and the properties it writes itself): the
# floor deflates these; every other member it copies still compressed, as grantdocs does.
_RENDERED = re.compile(r"word/(document|header\d*|footer\d*|footnotes|numbering)\.xml|docProps/(core|app|custom)\.xml")


def floor_jobs(inputs: list[Path], out: Path) -> list[tuple[bytes, list[tuple[str, list[tuple[str, bytes | Member]]]]]]:
    """For each input: its bytes, and for each of its outputs (those a batch wrote to `out`) the
    members as the floor finds them ready (the rendered parts uncompressed, the template's
    members already compressed)."""
    outputs_of: dict[str, list[Path]] = {}
    for output in batch_outputs(out):
        outputs_of.setdefault(output.parent.name, []).append(output)
    compressed: dict[tuple[str, bytes], Member] = {}
    jobs = []
    for source in inputs:
        documents = []
        for path in outputs_of[source.stem]:
            with zipfile.ZipFile(path) as package:
                members: list[tuple[str, bytes | Member]] = []
                for info in package.infolist():
                    data = package.read(info)
                    if _RENDERED.fullmatch(info.filename):
                        members.append((info.filename, data))
                    else:
                        members.append((info.filename, compressed.setdefault((info.filename, data), Member.of(info.filename, data))))
            documents.append((f"{source.stem}/{path.name}", members))  # in the input's folder, as a batch lays them out
        jobs.append((source.read_bytes(), documents))
    return jobs


def time_floor(jobs: list[tuple[bytes, list[tuple[str, list[tuple[str, bytes | Member]]]]]], scratch: Path) -> tuple[float, float]:
    """The least any generator must do to produce these files from these inputs: parse each input
    with libyaml, deflate the rendered parts at level 1 (the template's other members copied
    compressed), write each output to a temporary file and rename it into place: in its input's
    folder, made as the first output goes there, under a `scratch` that does not exist yet, as a
    first batch finds its output folder. Returns (seconds, of which writing): the writing is what
    moves most between runs (the file system's cost of a new file swings several times over here)."""
    fresh(scratch)
    scratch.mkdir(parents=True)
    writing = 0.0
    started = time.perf_counter()
    for raw, documents in jobs:
        yaml.load(raw, Loader=yaml.CBaseLoader)
        for name, members in documents:
            zipped = zip_members([m if isinstance(m, Member) else Member.of(n, m, level=RENDERED_LEVEL) for n, m in members])
            writes = time.perf_counter()
            write_atomic(scratch / name, zipped)
            writing += time.perf_counter() - writes
    return time.perf_counter() - started, writing


def fresh(*folders: Path) -> None:
    """Check that nothing is at `folders` (each timed run writes where nothing was, as a first batch
    does), then have the file system finish what earlier runs left it to do (os.sync), so that it
    does not fall on the run timed next. Each round writes into folders of its own and nothing is
    deleted until every round is timed (`removed`): on this machine (ext4 mounted with discard),
    creating files after thousands were deleted took up to ten times as long, even synced (when
    each round emptied the folder of the round before, the floor's writing went 0.07-0.2, then
    0.4-0.6, then 0.7-0.95 ms a document over the three rounds of a run)."""
    for folder in folders:
        if folder.exists():
            raise SystemExit(f"{folder} exists: every timed run writes into a folder of its own")
    os.sync()


def removed(*folders: Path) -> None:
    """Remove what the timed runs wrote, once they are all timed, and let the file system finish."""
    for folder in folders:
        shutil.rmtree(folder, ignore_errors=True)
    os.sync()


def time_bare(inputs_dir: Path, folder: Path) -> float:
    """The bare pipeline (e), in a process of its own like the batch (see time_batch)."""
    fresh(folder)
    folder.mkdir(parents=True)
    child = subprocess.run([sys.executable, __file__, "--bare", str(inputs_dir), str(folder)], check=True, capture_output=True, text=True)
    return float(child.stdout)


def run_bare(inputs_dir: str, out: str) -> None:
    """The bare pipeline (e): every step a render cannot do without, none of the checks."""
    inputs, folder = sorted(Path(inputs_dir).glob("*.yaml")), Path(out)
    forms, defaults = load_form_wordings(), load_report_wording()
    digests: dict[Path, str] = {}  # each template hashed once, as a batch does: a render then finds it compiled

    def render(source: Path, into: Path) -> None:
        data = source.read_bytes()
        decision = Decision.model_validate(yaml.load(data, Loader=yaml.CBaseLoader))
        for n, doc in enumerate(plan_documents(decision, forms=forms, report_wording=defaults, templates=DEFAULT_TEMPLATES)):
            package = render_package(
                doc.templates,
                doc.context,
                properties=doc.properties,
                provenance={"grantdocs.input_sha256": hashlib.sha256(data).hexdigest()},
                digests=tuple(digests.setdefault(t, hashlib.sha256(t.read_bytes()).hexdigest()) for t in doc.templates),
            )
            write_atomic(into / source.stem / f"{n}.docx", package.data)  # in the input's folder, as a batch lays them out

    examples = len(list((ROOT / "inputs" / "examples").glob("*.yaml")))
    for source in inputs[:examples]:  # one of each example compiles every template: not part of the figure
        render(source, folder / "compiling")
    started = time.perf_counter()
    for source in inputs:
        render(source, folder)
    print(f"{time.perf_counter() - started:.6f}")


def time_batch(inputs_dir: Path, out: Path, jobs: int) -> float:
    """A first `grantdocs batch` in a process of its own, as a user runs it (this process holds
    the floor's members); returns the batch's own time."""
    fresh(out, default_confidential(out))  # Part 2 too: a Part 2 found as it would be written is not written again
    child = subprocess.run(
        [sys.executable, __file__, "--child", str(inputs_dir), str(out), str(jobs)],
        check=True,
        capture_output=True,
        text=True,
    )
    return float(child.stdout)


def batch_outputs(out: Path) -> list[Path]:
    """Every document a batch into `out` wrote: Part 2 goes to the confidential folder beside it."""
    return sorted([*out.rglob("*.docx"), *default_confidential(out).rglob("*.docx")])


def child(inputs_dir: str, out: str, jobs: str) -> None:
    started = time.perf_counter()
    report = run_batch(Path(inputs_dir), out_dir=Path(out), jobs=int(jobs))
    elapsed = time.perf_counter() - started
    if report.failed:
        raise SystemExit(f"benchmark inputs failed: {report.failed[0].error}")
    print(f"{elapsed:.6f}")


def time_help(runs: int = 7) -> float:
    """`grantdocs --help` as a user runs it (the installed command, a process of its own), best of `runs`."""
    command = [str(Path(sys.executable).parent / "grantdocs"), "--help"]
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True)
        times.append(time.perf_counter() - started)
    return min(times)


def main() -> None:
    if sys.argv[1:2] == ["--child"]:
        child(*sys.argv[2:5])
        return
    if sys.argv[1:2] == ["--bare"]:
        run_bare(*sys.argv[2:4])
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, help="inputs for the floor, 1-job, 2-job, bare and naive figures (default 1000)")
    parser.add_argument("--small", type=int, help="inputs for peak_mb_1k and the template edit (default 1000)")
    parser.add_argument("--large", type=int, help="inputs for peak_mb_10k and the no-op rerun (default 10000)")
    parser.add_argument("--pdf-docs", type=int, help="documents converted to PDF (default 40; 0 skips: pdf_over_one_soffice=n/a)")
    parser.add_argument("--rounds", type=int, help="turns of each timed run, the best of each kept (default 3)")
    parser.add_argument(
        "--quick", action="store_true", help="a smoke run: " + " ".join(f"--{k.replace('_', '-')} {v}" for k, v in QUICK.items())
    )
    args = parser.parse_args()
    for key, value in (QUICK if args.quick else DEFAULTS).items():
        if getattr(args, key) is None:
            setattr(args, key, value)
    if args.large <= args.small:
        parser.error("--large must be more than --small (the growth per 1,000 inputs is measured between them)")
    names = {ROOT: "grantdocs"}
    print(f"start: {bench_rerun.uptime()}", flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "inputs").mkdir()
        inputs = make_inputs(root / "inputs", args.n)

        # Each figure is the best of a few runs: a shared machine adds noise, never speed; and the
        # runs that ratios compare take turns, so that a minute of a slower machine does not fall
        # on one side of a ratio only.
        ones, twos, floors, bares = [], [], [], []
        ready, documents = None, 0
        timed = root / "timed"  # each round's folders, removed once every round is timed (see fresh)
        for turn in range(args.rounds):
            ones.append(time_batch(root / "inputs", timed / f"1-job-{turn}", jobs=1))
            if ready is None:  # what the floor starts from, read once (not part of its time)
                ready = floor_jobs(inputs, timed / "1-job-0")
                documents = sum(len(outputs) for _, outputs in ready)
            floors.append(time_floor(ready, timed / f"floor-{turn}"))
            twos.append(time_batch(root / "inputs", timed / f"2-jobs-{turn}", jobs=2))
            bares.append(time_bare(root / "inputs", timed / f"bare-{turn}"))
        del ready
        removed(timed)
        one, two, (floor, floor_writing), bare = min(ones), min(twos), min(floors), min(bares)
        print(f"{args.n} inputs, {documents} documents: 1 job, 2 jobs, floor and bare timed, {args.rounds} round(s) in turns", flush=True)

        # Memory, no-op rerun, template edit (bench_rerun): the first batch over the large inputs
        # is made once, for its memory, and the no-op reruns go over its outputs.
        small = bench_rerun.workspace(root / "small", args.small)
        large = bench_rerun.workspace(root / "large", args.large)
        small_run = bench_rerun.first_batch(small, name=names[ROOT])
        large_run = bench_rerun.first_batch(large, name=names[ROOT])
        noop_s = min(bench_rerun.noop_figures(large, names, rounds=args.rounds)[ROOT])
        shutil.rmtree(large.folder)
        edit_over_force = bench_rerun.template_edit_figures(small, names, rounds=args.rounds)[ROOT]

        # The naive loop last but the PDFs: its contexts, built here, make this process large.
        jobs = naive_jobs(inputs, root)
        assert len(jobs) == documents, (len(jobs), documents)
        naive = time_naive(jobs)
        del jobs

        pdf: tuple[float, float, int] | None = None
        if args.pdf_docs <= 0:
            print("PDF: skipped (--pdf-docs 0)", flush=True)
        elif soffice() is None:
            print("PDF: skipped (LibreOffice, soffice, is not installed)", flush=True)
        else:
            docs = bench_pdf.make_documents(root / "pdf-docs", args.pdf_docs)
            pdf = (*bench_pdf.measure_pdf(docs, root / "pdf", rounds=args.rounds), len(docs))
            print(bench_pdf.busy_summary(), flush=True)
    help_s = time_help()
    print(f"end: {bench_rerun.uptime()}")

    per = lambda seconds: seconds / documents * 1000  # noqa: E731
    print(f"(a) naive docxtpl loop   {per(naive):7.2f} ms/doc")
    print(f"(b) grantdocs, 1 job     {per(one):7.2f} ms/doc  (validation, rendering, checks, hashing, writing)")
    print(f"(c) grantdocs, 2 jobs    {per(two):7.2f} ms/doc  ({one / two:.2f} times as fast as 1 job)")
    print(
        f"(d) floor                {per(floor):7.2f} ms/doc  (libyaml parse, rendered parts deflated at level 1, "
        f"temp file + rename: {per(floor_writing):.2f} of it)"
    )
    print(f"(e) bare pipeline        {per(bare):7.2f} ms/doc  (no checks: libyaml, pydantic, contexts, render, write)")
    # The floor is mostly what the file system spares at the moment (its writing alone swings
    # tenfold here), so each round's pair is shown beside the ratio of the bests.
    rounds = [one_round / floor_round for one_round, (floor_round, _) in zip(ones, floors, strict=True)]
    print(
        "1 job over the floor, round by round: "
        + ", ".join(f"{r:.2f} (floor {per(f):.2f}, writing {per(w):.2f})" for r, (f, w) in zip(rounds, floors, strict=True))
        + f"; median {statistics.median(rounds):.2f}"
    )
    # grantdocs_over_floor = bare_over_floor + checks_over_floor: what the design costs without
    # checks, and what the checks the issues ask for (positions, rules, accessibility, hashes,
    # manifest) add to it, each against the floor.
    print(f"bare_over_floor={bare / floor:.2f} checks_over_floor={(one - bare) / floor:.2f}")
    for run, n in ((small_run, args.small), (large_run, args.large)):
        print(
            f"peak memory, {n:5d} inputs {run.peak_rss_mb:7.1f} MB RSS, {run.peak_pss_mb:.1f} MB PSS  (first batch --jobs 2 and its workers)"
        )
    per_1k = (args.large - args.small) / 1000
    print(
        f"growth per 1,000 inputs  {(large_run.peak_rss_mb - small_run.peak_rss_mb) / per_1k:7.1f} MB RSS, "
        f"{(large_run.peak_pss_mb - small_run.peak_pss_mb) / per_1k:.1f} MB PSS"
    )
    print(f"no-op rerun              {noop_s:7.3f} s  ({args.large} inputs)")
    print(f"template edit            {edit_over_force:7.2f} × --force over the same inputs  ({args.small} inputs)")
    if pdf is not None:
        print(f"PDF, {pdf[2]} documents       {pdf[0]:7.2f} s grantdocs (2 jobs), {pdf[1]:.2f} s one plain soffice call")
    print(f"grantdocs --help         {help_s:7.3f} s")
    pdf_ratio = f"{pdf[0] / pdf[1]:.2f}" if pdf is not None else "n/a"
    print(
        f"grantdocs_over_floor={one / floor:.2f} template_edit_over_force={edit_over_force:.2f} pdf_over_one_soffice={pdf_ratio} "
        f"noop_s={noop_s:.3f} peak_mb_10k={large_run.peak_rss_mb:.0f} help_s={help_s:.3f}"
    )


if __name__ == "__main__":
    main()
