"""Reruns and memory of `grantdocs batch` at scale (not a test): prints figures measured in one run.

    .venv/bin/python benchmarks/bench_rerun.py [--small 1000] [--large 10000] [--edit-n 1000] [--rounds 3] [--vs DIR]

Inputs are the examples copied under names and references of their own (bench_batch.make_inputs).
Each batch runs the command line's `batch` (its progress lines and report included, sent to
/dev/null) in a process of its own; the figures are the command's own time, start-up (imports)
left out: start-up is measured apart.
  - noop_s: a second `grantdocs batch --jobs 2` over N inputs with nothing changed (best of --rounds).
  - peak_mb_1k, peak_mb_10k: the peak memory of the whole process tree of a first `grantdocs batch
    --jobs 2` (the batch and its workers), sampled every 10 ms and summed at each sample: resident
    memory (RSS, which counts pages the workers share with the batch once per process: the
    larger figure) and, printed beside it, proportional (PSS, each shared page divided among its
    sharers), and the sum of each process's own peak RSS (VmHWM).
  - template_edit_over_force: after one style changed in templates/mps-report.docx (the space
    before Report Paragraph, 6 pt <-> 12 pt), the rerun over all inputs, which renders again only
    the documents of inputs that use that template and prints each change's summary, against
    `grantdocs batch --force` over just those inputs (their documents already current). The two
    take turns, --rounds times; the ratio of the best of each, and the median of the pairs' ratios.
With --vs DIR (a checkout of another version of grantdocs), each figure is measured for both,
taking turns, and printed side by side. bench_batch.py measures the same figures with
workspace, first_batch, noop_figures and template_edit_figures from here.
Last line: noop_s=… peak_mb_1k=… peak_mb_10k=… template_edit_over_force=…
Targets: noop_s <= 1.0 at 10,000 inputs; peak_mb_10k <= 250, growing < 5 MB per 1,000 inputs;
template_edit_over_force <= 1.1.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

_PAGE_KB = os.sysconf("SC_PAGE_SIZE") // 1024
_DIR: str | None = None  # where workspaces are made (--dir); None: the system's temp folder
_REPORT_TEMPLATE = "mps-report.docx"
_SPACING = re.compile(r'(<w:style w:type="paragraph" w:styleId="ReportParagraph">.*?<w:spacing w:before=")(\d+)(")', re.S)


@dataclass
class BatchRun:
    """One batch's own time, what it rendered, and the memory of its process tree."""

    seconds: float
    rendered: list[str]
    cpu: float = 0.0  # the batch's CPU time (user + system), its workers' included
    wall: float = 0.0  # the whole process, start-up included
    peak_rss_mb: float = 0.0  # the largest sum of the tree's RSS at one sample
    peak_pss_mb: float = 0.0  # the largest sum of the tree's PSS at one sample
    hwm_sum_mb: float = 0.0  # the sum of each process's own peak RSS
    processes: int = 0


@dataclass
class _Sampler:
    """Samples the memory of a process and its descendants until stopped."""

    pid: int
    interval: float = 0.01
    peak_rss_kb: int = 0
    peak_pss_kb: int = 0
    hwm_kb: dict[int, int] = field(default_factory=dict)
    _stop: threading.Event = field(default_factory=threading.Event)

    def run(self) -> None:
        samples = 0
        while not self._stop.is_set():
            # PSS every tenth sample: the kernel walks a process's page tables for it, which at
            # every sample would take a fifth of a core from the batch being measured.
            rss, pss, with_pss = 0, 0, samples % 10 == 0
            for pid in _tree(self.pid):
                status = _read(f"/proc/{pid}/status")
                rollup = _read(f"/proc/{pid}/smaps_rollup") if with_pss else ""
                if status is None or rollup is None:
                    continue
                rss += _field_kb(status, "VmRSS:")
                pss += _field_kb(rollup, "Pss:") if with_pss else 0
                self.hwm_kb[pid] = max(self.hwm_kb.get(pid, 0), _field_kb(status, "VmHWM:"))
            self.peak_rss_kb = max(self.peak_rss_kb, rss)
            self.peak_pss_kb = max(self.peak_pss_kb, pss)
            samples += 1
            self._stop.wait(self.interval)

    def stop(self) -> None:
        self._stop.set()


def _read(path: str) -> str | None:
    try:
        with open(path) as handle:
            return handle.read()
    except OSError:
        return None


def _field_kb(text: str, name: str) -> int:
    for line in text.splitlines():
        if line.startswith(name):
            return int(line.split()[1])
    return 0


def _tree(pid: int) -> list[int]:
    """The process and every descendant, through /proc/<pid>/task/<tid>/children."""
    pids, i = [pid], 0
    while i < len(pids):
        p, i = pids[i], i + 1
        try:
            tasks = os.listdir(f"/proc/{p}/task")
        except OSError:
            continue
        for task in tasks:
            children = _read(f"/proc/{p}/task/{task}/children")
            pids += [int(c) for c in (children or "").split()]
    return pids


def run_batch_command(
    inputs: Path, out: Path, templates: Path, *, jobs: int = 2, force: bool = False, root: Path = ROOT, sample: bool = False
) -> BatchRun:
    """`grantdocs batch` (the command line's, in a process of its own, from the grantdocs in `root`),
    with `sample` its memory sampled (which takes a little of the machine: not for timings)."""
    with tempfile.NamedTemporaryFile(suffix=".json") as result:
        args = [str(inputs), "--out", str(out), "--templates", str(templates), "--jobs", str(jobs), *(["--force"] if force else [])]
        started = time.perf_counter()
        child = subprocess.Popen(
            [sys.executable, __file__, "--child", str(root), result.name, *args],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        sampler = _Sampler(child.pid)
        thread = threading.Thread(target=sampler.run, daemon=True)
        if sample:
            thread.start()
        _, err = child.communicate()
        wall = time.perf_counter() - started
        if sample:
            sampler.stop()
            thread.join()
        if child.returncode != 0:
            raise SystemExit(f"batch failed ({child.returncode}): {err.decode()[-2000:]}")
        found = json.loads(Path(result.name).read_text(encoding="utf-8"))
    return BatchRun(
        seconds=found["seconds"],
        rendered=found["rendered"],
        cpu=found["cpu"],
        wall=wall,
        peak_rss_mb=sampler.peak_rss_kb / 1024,
        peak_pss_mb=sampler.peak_pss_kb / 1024,
        hwm_sum_mb=sum(sampler.hwm_kb.values()) / 1024,
        processes=len(sampler.hwm_kb),
    )


def child(root: str, result: str, args: list[str]) -> None:
    """In the child: the command line's batch, timed from the call (imports done), its report kept."""
    sys.path.insert(0, root)
    import cli
    import generator.build.batch as batch  # what the command imports when it runs: imported before the timer

    reports = []
    real = batch.run_batch

    def kept(*a: object, **k: object) -> object:
        reports.append(real(*a, **k))
        return reports[-1]

    # The command takes run_batch from generator.build.batch when it runs (an older grantdocs,
    # measured with --vs, from its own module, imported at its top): its report is kept.
    batch.__dict__["run_batch"] = kept
    if "run_batch" in cli.__dict__:
        cli.__dict__["run_batch"] = kept
    started, cpu = time.perf_counter(), _cpu()
    try:
        cli.app(["batch", *args], standalone_mode=False)
    except SystemExit as stop:
        if stop.code:
            raise
    seconds, cpu = time.perf_counter() - started, _cpu() - cpu
    (report,) = reports
    if report.failed:
        raise SystemExit(f"benchmark inputs failed: {report.failed[0].error}")
    rendered = [r.key for r in report.rendered]
    Path(result).write_text(json.dumps({"seconds": seconds, "cpu": cpu, "rendered": rendered}), encoding="utf-8")


def _cpu() -> float:
    """CPU seconds of this process and of its children that have ended (the batch's workers, once
    it has shut them down): less swayed than wall time by what else the machine runs."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


@dataclass
class Workspace:
    """N inputs, a copy of the templates, and the output folder of a first batch over them."""

    folder: Path
    n: int
    first: BatchRun | None = None

    @property
    def inputs(self) -> Path:
        return self.folder / "inputs"

    @property
    def templates(self) -> Path:
        return self.folder / "templates"

    def out(self, name: str = "out") -> Path:
        return self.folder / name


def workspace(folder: Path, n: int) -> Workspace:
    """N inputs and a copy of the templates in `folder`."""
    # Imported here, not at the top: bench_batch imports grantdocs from this checkout, and a child
    # measuring another (--vs) must import only that one.
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from bench_batch import make_inputs

    ws = Workspace(folder, n)
    ws.inputs.mkdir(parents=True)
    make_inputs(ws.inputs, n)
    shutil.copytree(ROOT / "templates", ws.templates)
    return ws


def measure_peak_mb(n: int, *, ws: Workspace | None = None, root: Path = ROOT, out: str = "out") -> float:
    """The peak memory (MB, RSS summed over the process tree) of a first `grantdocs batch --jobs 2` over N inputs."""
    with _workspace(ws, n) as ws:
        shutil.rmtree(ws.out(out), ignore_errors=True)
        shutil.rmtree(ws.out(out + "-confidential"), ignore_errors=True)
        ws.first = run_batch_command(ws.inputs, ws.out(out), ws.templates, root=root, sample=True)
        return ws.first.peak_rss_mb


def measure_noop(n: int, *, ws: Workspace | None = None, root: Path = ROOT, out: str = "out", rounds: int = 3) -> float:
    """The best time of a second `grantdocs batch --jobs 2` over N inputs with nothing changed."""
    return min(noop_runs(n, ws=ws, root=root, out=out, rounds=rounds))


def noop_runs(n: int, *, ws: Workspace | None = None, root: Path = ROOT, out: str = "out", rounds: int = 3) -> list[float]:
    with _workspace(ws, n) as ws:
        if not (ws.out(out) / ".grantdocs-manifest.json").exists():
            measure_peak_mb(n, ws=ws, root=root, out=out)
        times = []
        for _ in range(rounds):
            run = run_batch_command(ws.inputs, ws.out(out), ws.templates, root=root)
            if run.rendered:
                raise SystemExit(f"a rerun with nothing changed rendered {len(run.rendered)} inputs")
            times.append(run.seconds)
        return times


def toggle_report_style(templates: Path) -> None:
    """A template owner's style-only edit: the space before Report Paragraph, 6 pt <-> 12 pt."""
    path = templates / _REPORT_TEMPLATE
    with zipfile.ZipFile(path) as src:
        members = [(info, src.read(info)) for info in src.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for info, data in members:
            if info.filename == "word/styles.xml":
                xml = data.decode("utf-8")
                edited = _SPACING.sub(lambda m: m[1] + ("240" if m[2] == "120" else "120") + m[3], xml, count=1)
                assert edited != xml, "the style to edit is not in the template"
                data = edited.encode("utf-8")
            dst.writestr(info, data)


def measure_template_edit(n: int, *, ws: Workspace | None = None, root: Path = ROOT, rounds: int = 1) -> tuple[float, float]:
    """(edit_rerun_s, force_s), each the best of `rounds`: the rerun over N inputs after one
    template's style edit, and `batch --force` over just the inputs that rerun rendered."""
    edits, forces = template_edit_runs(n, ws=ws, root=root, rounds=rounds)
    return min(edits), min(forces)


def template_edit_runs(n: int, *, ws: Workspace | None = None, root: Path = ROOT, rounds: int = 3) -> tuple[list[float], list[float]]:
    """(edit_rerun_s, force_s) of each of `rounds` turns (see measure_template_edit)."""
    with _workspace(ws, n) as ws:
        edit = TemplateEdit(ws, root)
        turns = [edit.turn() for _ in range(rounds)]
        return [e for e, _ in turns], [f for _, f in turns]


class TemplateEdit:
    """A workspace's inputs rendered by the grantdocs in `root`, ready for template edits: each
    turn edits the style, times the rerun over every input, then --force over just the inputs
    that rerun rendered (brought up to date first, untimed)."""

    def __init__(self, ws: Workspace, root: Path) -> None:
        self.ws, self.root = ws, root
        self.templates = ws.folder / f"templates-edit-{root.name}"
        self.every, self.some = ws.out(f"edit-{root.name}"), ws.out(f"force-{root.name}")
        self.subset = ws.folder / f"some-{root.name}"
        self.cpu: list[tuple[float, float]] = []
        for folder in (self.templates, self.every, self.some, self.subset):
            shutil.rmtree(folder, ignore_errors=True)
            shutil.rmtree(folder.with_name(folder.name + "-confidential"), ignore_errors=True)
        shutil.copytree(ws.templates, self.templates)
        run_batch_command(ws.inputs, self.every, self.templates, root=root)

    def turn(self) -> tuple[float, float]:
        """(rerun, --force) in wall seconds; their CPU seconds are kept in `cpu`."""
        toggle_report_style(self.templates)
        edit = run_batch_command(self.ws.inputs, self.every, self.templates, root=self.root)
        if not self.subset.exists():
            self.subset.mkdir()
            for key in edit.rendered:
                shutil.copy(self.ws.inputs / key, self.subset / key)
        elif sorted(edit.rendered) != sorted(p.name for p in self.subset.iterdir()):
            raise SystemExit("the template edit rendered other inputs than the first time")
        run_batch_command(self.subset, self.some, self.templates, root=self.root)
        force = run_batch_command(self.subset, self.some, self.templates, force=True, root=self.root)
        self.cpu.append((edit.cpu, force.cpu))
        return edit.seconds, force.seconds


class _workspace:
    """The workspace given, or a temporary one of N inputs."""

    def __init__(self, ws: Workspace | None, n: int) -> None:
        self.given, self.n = ws, n
        self.tmp: tempfile.TemporaryDirectory[str] | None = None

    def __enter__(self) -> Workspace:
        if self.given is not None:
            return self.given
        self.tmp = tempfile.TemporaryDirectory(dir=_DIR)
        return workspace(Path(self.tmp.name), self.n)

    def __exit__(self, *_: object) -> None:
        if self.tmp is not None:
            self.tmp.cleanup()


def first_batch(ws: Workspace, root: Path = ROOT, *, name: str = "this") -> BatchRun:
    """A first `grantdocs batch --jobs 2` over the workspace's inputs (measure_peak_mb), its time
    and the memory of its process tree printed; returns the run."""
    measure_peak_mb(ws.n, ws=ws, root=root, out=f"out-{root.name}")
    run = ws.first
    assert run is not None
    print(
        f"{name}: first batch of {ws.n}: {run.seconds:.1f} s; peak RSS {run.peak_rss_mb:.1f} MB, "
        f"PSS {run.peak_pss_mb:.1f} MB (summed over the tree at one sample), "
        f"sum of each process's peak RSS {run.hwm_sum_mb:.1f} MB over {run.processes} processes",
        flush=True,
    )
    return run


def noop_figures(ws: Workspace, names: dict[Path, str], *, rounds: int = 3) -> dict[Path, list[float]]:
    """The no-op reruns over the workspace's inputs of each grantdocs in `names` (root: name),
    round by round in turns, each printed; every root's first batch is made first if missing."""
    runs: dict[Path, list[float]] = {root: [] for root in names}
    for _ in range(rounds):
        for root in names:
            runs[root] += noop_runs(ws.n, ws=ws, root=root, out=f"out-{root.name}", rounds=1)
    for root, times in runs.items():
        print(f"{names[root]}: no-op rerun of {ws.n}: min {min(times):.3f} s, median {statistics.median(times):.3f} s", flush=True)
    return runs


def template_edit_figures(ws: Workspace, names: dict[Path, str], *, rounds: int = 3) -> dict[Path, float]:
    """template_edit_over_force of each grantdocs in `names` (root: name) over the workspace's
    inputs: the checkouts take turns, round by round; the ratio of the bests, the times and the
    CPU printed."""
    edits = {root: TemplateEdit(ws, root) for root in names}
    turns: dict[Path, list[tuple[float, float]]] = {root: [] for root in names}
    for _ in range(rounds):
        for root in names:
            turns[root].append(edits[root].turn())
    figures = {}
    for root in names:
        reruns, forces = [e for e, _ in turns[root]], [f for _, f in turns[root]]
        ratios = [e / f for e, f in turns[root]]
        figures[root] = min(reruns) / min(forces)
        cpu = edits[root].cpu
        cpu_ratios = [e / f for e, f in cpu]
        print(
            f"{names[root]}: template edit CPU (batch and workers): rerun min {min(e for e, _ in cpu):.3f} s, "
            f"--force min {min(f for _, f in cpu):.3f} s; ratio of the bests {min(e for e, _ in cpu) / min(f for _, f in cpu):.3f}, "
            f"median of the pairs {statistics.median(cpu_ratios):.3f}",
            flush=True,
        )
        print(
            f"{names[root]}: template edit over {ws.n} inputs: rerun min {min(reruns):.3f} s median "
            f"{statistics.median(reruns):.3f} s; --force over the same inputs min {min(forces):.3f} s median "
            f"{statistics.median(forces):.3f} s; ratio of the bests {min(reruns) / min(forces):.3f}, "
            f"median of the pairs {statistics.median(ratios):.3f}",
            flush=True,
        )
    return figures


def uptime() -> str:
    return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()


def main() -> None:
    if sys.argv[1:2] == ["--child"]:
        child(sys.argv[2], sys.argv[3], sys.argv[4:])
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", type=int, default=1000, help="inputs for the smaller memory figure (default 1000)")
    parser.add_argument("--large", type=int, default=10000, help="inputs for the no-op rerun and the larger memory figure (default 10000)")
    parser.add_argument("--edit-n", type=int, default=1000, help="inputs for the template-edit rerun (default 1000)")
    parser.add_argument("--rounds", type=int, default=3, help="turns of each timed run (default 3)")
    parser.add_argument("--vs", type=Path, help="another grantdocs checkout, measured in turn with this one")
    parser.add_argument("--skip", default="", help="comma-separated figures to skip: peak, noop, edit")
    parser.add_argument(
        "--dir",
        type=Path,
        help="where to make the inputs and outputs (default: the system's temp folder). Creating a file in this "
        "machine's /tmp takes ~1 ms, 70 times as long as elsewhere on the same disk, which only a rerun that writes pays",
    )
    args = parser.parse_args()
    roots = [ROOT, *([args.vs.resolve()] if args.vs else [])]
    names = {root: ("this" if root == ROOT else str(root)) for root in roots}
    skip = set(filter(None, args.skip.split(",")))
    print(f"start: {uptime()}", flush=True)
    figures: dict[Path, dict[str, float]] = {root: {} for root in roots}
    global _DIR
    _DIR = str(args.dir) if args.dir else None
    if args.dir:
        args.dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=_DIR) as tmp:
        small, large = workspace(Path(tmp) / "small", args.small), workspace(Path(tmp) / "large", args.large)
        if "peak" not in skip or "noop" not in skip:
            for ws in (small, large):
                for root in roots:
                    run = first_batch(ws, root, name=names[root])
                    figures[root][f"peak_{ws.n}"] = run.peak_rss_mb
                    figures[root][f"pss_{ws.n}"] = run.peak_pss_mb
        if "noop" not in skip:
            for root, times in noop_figures(large, names, rounds=args.rounds).items():
                figures[root]["noop"] = min(times)
        if "edit" not in skip:
            edit_ws = small if args.edit_n == small.n else workspace(Path(tmp) / "edit", args.edit_n)
            for root, ratio in template_edit_figures(edit_ws, names, rounds=args.rounds).items():
                figures[root]["edit"] = ratio
    print(f"end: {uptime()}")
    for root in reversed(roots):
        f = figures[root]
        growth = (f.get(f"peak_{args.large}", 0) - f.get(f"peak_{args.small}", 0)) / max(1, (args.large - args.small) / 1000)
        print(
            (f"[{names[root]}] " if root != ROOT else "")
            + f"noop_s={f.get('noop', float('nan')):.3f} peak_mb_1k={f.get(f'peak_{args.small}', float('nan')):.1f} "
            f"peak_mb_10k={f.get(f'peak_{args.large}', float('nan')):.1f} mb_per_1k={growth:.2f} "
            f"template_edit_over_force={f.get('edit', float('nan')):.3f}"
        )


if __name__ == "__main__":
    main()
