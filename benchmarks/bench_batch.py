"""Batch rendering benchmark (not a test): prints figures and ratios measured in one run.

    .venv/bin/python benchmarks/bench_batch.py [--n 1000] [--pdf-docs 20]

Builds N synthetic inputs from inputs/examples/ (each example with its own reference and
title), then measures, per document:
  (a) naive: DocxTemplate(path).render(context); save() over the same templates and contexts
  (b) grantdocs batch with 1 job   (c) grantdocs batch with 2 jobs
  (d) floor: reading each output's zip and writing it again as a file (temp file + rename)
  (e) bare: what is left of grantdocs without its checks: libyaml's own reader (no positions),
      pydantic, the documents' contexts, grantdocs' own render (render_package: sandboxed
      Jinja, the fix-ups after it, the zip) and the write; no cross-field rules, accessibility
      check, output hashes or manifest, and the templates compiled beforehand. Printed as
      `bare_over_floor=B checks_over_floor=C`, where B + C = grantdocs_over_floor: B is what this
      design costs before any check, C what the checks add, each against the floor.
plus the time of a no-op rerun over all N inputs and the peak memory (largest process).
With LibreOffice installed, also the PDF conversion of K of those documents (--pdf-docs, 0 to
skip): one `soffice --convert-to pdf` per document (warm profile, same export options) against
grantdocs' conversion of the same K as `batch --pdf` does it (one LibreOffice process per job,
jobs = CPU count), and in one single process; the first ratio is printed as
`pdf_batch_speedup=R` (target R >= 4) on the line before the last.
Last line: naive_over_grantdocs=X grantdocs_over_floor=Y jobs2_speedup=Z noop_s=S peak_mb=M
Targets: X >= 4, Y <= 1.3, Z >= 1.7, S <= 1, M <= 250.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

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
from generator.pdf import convert_many, convert_to_pdf, filter_spec, soffice  # noqa: E402


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


def floor_jobs(
    inputs: list[Path], outputs_of: dict[str, list[Path]]
) -> list[tuple[bytes, list[tuple[str, list[tuple[str, bytes | Member]]]]]]:
    """For each input: its bytes, and for each of its outputs the members as the floor finds them
    ready (the rendered parts uncompressed, the template's members already compressed)."""
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
            documents.append((path.name, members))
        jobs.append((source.read_bytes(), documents))
    return jobs


def time_floor(jobs: list[tuple[bytes, list[tuple[str, list[tuple[str, bytes | Member]]]]]], scratch: Path) -> float:
    """The least any generator must do to produce these files from these inputs: parse each input
    with libyaml, deflate the rendered parts at level 1 (the template's other members copied
    compressed), write each output to a temporary file and rename it into place."""
    started = time.perf_counter()
    for raw, documents in jobs:
        yaml.load(raw, Loader=yaml.CBaseLoader)
        for name, members in documents:
            zipped = zip_members([m if isinstance(m, Member) else Member.of(n, m, level=RENDERED_LEVEL) for n, m in members])
            write_atomic(scratch / name, zipped)
    return time.perf_counter() - started


def time_bare(inputs_dir: Path, folder: Path) -> float:
    """The bare pipeline (e), in a process of its own like the batch (see time_batch)."""
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir()
    child = subprocess.run([sys.executable, __file__, "--bare", str(inputs_dir), str(folder)], check=True, capture_output=True, text=True)
    return float(child.stdout)


def run_bare(inputs_dir: str, out: str) -> None:
    """The bare pipeline (e): every step a render cannot do without, none of the checks."""
    inputs, folder = sorted(Path(inputs_dir).glob("*.yaml")), Path(out)
    forms, defaults = load_form_wordings(), load_report_wording()

    def render(i: int, source: Path) -> None:
        data = source.read_bytes()
        decision = Decision.model_validate(yaml.load(data, Loader=yaml.CBaseLoader))
        for n, doc in enumerate(plan_documents(decision, forms=forms, report_wording=defaults, templates=DEFAULT_TEMPLATES)):
            package = render_package(
                doc.templates,
                doc.context,
                properties=doc.properties,
                provenance={"grantdocs.input_sha256": hashlib.sha256(data).hexdigest()},
            )
            write_atomic(folder / f"{i:05d}-{n}.docx", package.data)

    for i, source in enumerate(inputs[:3]):  # one of each example compiles every template: not part of the figure
        render(i, source)
    started = time.perf_counter()
    for i, source in enumerate(inputs):
        render(i, source)
    print(f"{time.perf_counter() - started:.6f}")


_PEAKS: list[float] = []


def time_batch(inputs_dir: Path, out: Path, jobs: int, *, fresh: bool = True) -> float:
    """One `grantdocs batch` in a process of its own, so its peak memory is its own (this
    process holds every naive context); returns the batch's own time."""
    if fresh:
        shutil.rmtree(out, ignore_errors=True)
    child = subprocess.run(
        [sys.executable, __file__, "--child", str(inputs_dir), str(out), str(jobs)],
        check=True,
        capture_output=True,
        text=True,
    )
    seconds, peak, rendered = child.stdout.split()
    _PEAKS.append(float(peak))
    if not fresh and int(rendered):
        raise SystemExit("a rerun with nothing changed rendered something")
    return float(seconds)


def batch_outputs(out: Path) -> list[Path]:
    """Every document a batch into `out` wrote: Part 2 goes to the confidential folder beside it."""
    return sorted([*out.rglob("*.docx"), *default_confidential(out).rglob("*.docx")])


def child(inputs_dir: str, out: str, jobs: str) -> None:
    started = time.perf_counter()
    report = run_batch(Path(inputs_dir), out_dir=Path(out), jobs=int(jobs))
    elapsed = time.perf_counter() - started
    if report.failed:
        raise SystemExit(f"benchmark inputs failed: {report.failed[0].error}")
    print(f"{elapsed:.6f} {peak_mb():.1f} {len(report.rendered)}")


def time_pdf(outputs: list[Path], scratch: Path, k: int) -> tuple[float, float, float, int] | None:
    """(one soffice per document, grantdocs in one process, grantdocs as a batch does it: a
    process per job) in s/doc over the same K documents, with K; None without LibreOffice."""
    exe = soffice()
    if exe is None or k <= 0:
        return None
    docs = outputs[:k]
    profile = (scratch / "naive-profile").as_uri()

    def one_by_one(folder: Path) -> float:
        folder.mkdir(parents=True)
        started = time.perf_counter()
        for doc in docs:
            subprocess.run(
                [exe, f"-env:UserInstallation={profile}", "--headless", "--convert-to", filter_spec(), "--outdir", str(folder), str(doc)],
                check=True,
                capture_output=True,
                timeout=600,
            )
        elapsed = time.perf_counter() - started
        assert len(list(folder.glob("*.pdf"))) == len(docs)
        return elapsed / len(docs)

    def grantdocs(folder: Path, jobs: int) -> float:
        folder.mkdir(parents=True)
        copies = [Path(shutil.copy(doc, folder / doc.name)) for doc in docs]
        started = time.perf_counter()
        if jobs == 1:
            made = convert_to_pdf(copies)
        else:
            report = convert_many(copies, jobs=jobs)
            assert not report.failed, report.failed
            made = report.made
        elapsed = time.perf_counter() - started
        assert len(made) == len(docs)
        return elapsed / len(docs)

    one_by_one(scratch / "pdf-warmup")  # the naive loop gets a warm profile: its best case
    shutil.rmtree(scratch / "pdf-warmup")
    naive = min(one_by_one(scratch / f"pdf-naive-{i}") for i in range(2))
    batch = min(grantdocs(scratch / f"pdf-batch-{i}", 1) for i in range(2))
    batch_jobs = min(grantdocs(scratch / f"pdf-batch-jobs-{i}", os.cpu_count() or 1) for i in range(2))
    return naive, batch, batch_jobs, len(docs)


def time_help(runs: int = 7) -> float:
    """`grantdocs --help` as a user runs it (the installed command, a process of its own), best of `runs`."""
    command = [str(Path(sys.executable).parent / "grantdocs"), "--help"]
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True)
        times.append(time.perf_counter() - started)
    return min(times)


def peak_mb() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, children) / 1024


def main() -> None:
    if sys.argv[1:2] == ["--child"]:
        child(*sys.argv[2:5])
        return
    if sys.argv[1:2] == ["--bare"]:
        run_bare(*sys.argv[2:4])
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1000, help="number of synthetic inputs (default 1000)")
    parser.add_argument("--pdf-docs", type=int, default=20, help="documents converted to PDF (default 20; 0 skips)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "inputs").mkdir()
        inputs = make_inputs(root / "inputs", args.n)

        # grantdocs first, while this process is small: Linux carries a process's peak memory
        # over fork and exec, so a child started after the naive contexts are built would report
        # this process's size as its own. Each figure is the best of a few runs: a shared
        # machine adds noise, never speed; and the runs that ratios compare take turns, so that
        # a minute of a slower machine does not fall on one side of a ratio only.
        (root / "floor").mkdir()
        ones, twos, floors, bares = [], [], [], []
        ready = None
        for _ in range(3):
            ones.append(time_batch(root / "inputs", root / "out1", jobs=1))
            if ready is None:  # what the floor starts from, read once (not part of its time)
                by_input: dict[str, list[Path]] = {}
                for path in batch_outputs(root / "out1"):
                    by_input.setdefault(path.parent.name, []).append(path)
                ready = floor_jobs(inputs, by_input)
            floors.append(time_floor(ready, root / "floor"))
            twos.append(time_batch(root / "inputs", root / "out2", jobs=2))
            bares.append(time_bare(root / "inputs", root / "bare"))
        one, two, floor, bare = min(ones), min(twos), min(floors), min(bares)
        noop_s = min(time_batch(root / "inputs", root / "out2", jobs=2, fresh=False) for _ in range(3))
        outputs = batch_outputs(root / "out1")
        jobs = naive_jobs(inputs, root)
        documents = len(jobs)
        assert len(outputs) == documents, (len(outputs), documents)
        print(f"{args.n} inputs, {documents} documents")
        naive = time_naive(jobs)
        pdf = time_pdf(outputs, root, args.pdf_docs)

    per = lambda seconds: seconds / documents * 1000  # noqa: E731
    print(f"(a) naive docxtpl loop   {per(naive):7.2f} ms/doc")
    print(f"(b) grantdocs, 1 job     {per(one):7.2f} ms/doc  (validation, rendering, hashing, writing)")
    print(f"(c) grantdocs, 2 jobs    {per(two):7.2f} ms/doc")
    print(f"(d) floor                {per(floor):7.2f} ms/doc  (libyaml parse, rendered parts deflated at level 1, temp file + rename)")
    print(f"(e) bare pipeline        {per(bare):7.2f} ms/doc  (no checks: libyaml, pydantic, contexts, render, write)")
    print(f"no-op rerun              {noop_s:7.3f} s for {args.n} inputs")
    peak = max(_PEAKS)
    print(f"peak memory              {peak:7.1f} MB  (largest grantdocs process: the batch or one of its workers)")
    # grantdocs_over_floor = bare_over_floor + checks_over_floor: what the design costs without
    # checks, and what the checks the issues ask for (positions, rules, accessibility, hashes,
    # manifest) add to it, each against the floor.
    print(f"bare_over_floor={bare / floor:.2f} checks_over_floor={(one - bare) / floor:.2f}")
    if pdf is None:
        print("PDF: skipped (LibreOffice not installed, or --pdf-docs 0)")
    else:
        naive_pdf, single_pdf, batch_pdf, k = pdf
        print(f"PDF, one soffice per doc {naive_pdf * 1000:7.0f} ms/doc  ({k} documents, warm profile)")
        print(f"PDF, grantdocs batch     {batch_pdf * 1000:7.0f} ms/doc  (a LibreOffice per job, {os.cpu_count() or 1} jobs)")
        print(
            f"PDF, grantdocs 1 process {single_pdf * 1000:7.0f} ms/doc  (all {k} in one LibreOffice process; {naive_pdf / single_pdf:.2f}x)"
        )
        print(f"pdf_batch_speedup={naive_pdf / batch_pdf:.2f}")
    print(
        f"naive_over_grantdocs={naive / one:.2f} grantdocs_over_floor={one / floor:.2f} "
        f"jobs2_speedup={one / two:.2f} noop_s={noop_s:.3f} peak_mb={peak:.0f}"
    )


if __name__ == "__main__":
    main()
