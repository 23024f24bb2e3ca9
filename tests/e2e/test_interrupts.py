"""Ctrl-C and SIGTERM during a parallel batch: it ends within seconds, without a traceback, leaves
whole documents only (an input's set never half replaced), and releases the output folder.

Real signals, sent to a real batch in its own process, at random moments, many times over:
to the whole process group as a terminal's Ctrl-C does, or to the batch alone as `kill` does.
"""

from __future__ import annotations

import contextlib
import os
import random
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from generator.build import interrupts
from generator.build.batch import run_batch
from generator.build.files import TEMP_SUFFIX
from generator.build.interrupts import interrupt
from tests.conftest import EXAMPLES, ROOT
from tests.support.fidelity import need_libreoffice

PROMPT_S = 5.0  # "within a few seconds" of the signal
COPIES = 60


@pytest.fixture(scope="module")
def many(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Enough inputs that a batch at 2 jobs runs for seconds (240 documents)."""
    inputs = tmp_path_factory.mktemp("many")
    text = (EXAMPLES / "pcd-1284.yaml").read_text(encoding="utf-8")
    for i in range(COPIES):
        (inputs / f"pcd-{i:03}.yaml").write_text(text.replace("reference: PCD 1284", f"reference: PCD {2000 + i}"), encoding="utf-8")
    return inputs


def _start(inputs: Path, out: Path, *extra: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "cli", "batch", str(inputs), "--out", str(out), "--jobs", "2", *extra],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )


def _stop(process: subprocess.Popen[str], how: str) -> tuple[float, str]:
    """Send the signal; the seconds until the batch ended, and what it said on stderr."""
    sent = time.monotonic()
    if how == "ctrl-c":
        os.killpg(process.pid, signal.SIGINT)  # a terminal sends it to every process in the group
    else:
        os.kill(process.pid, signal.SIGTERM)
    try:
        _, stderr = process.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        pytest.fail(f"the batch did not end within 30 s of {how}")
    return time.monotonic() - sent, stderr


def _assert_whole(out: Path) -> None:
    for docx in out.rglob("*.docx"):
        with zipfile.ZipFile(docx) as package:
            assert package.testzip() is None, docx
    sets: dict[str, set[str]] = {}
    for docx in out.rglob("*.docx"):
        with zipfile.ZipFile(docx) as package:
            sets.setdefault(docx.parent.name, set()).add(package.read("docProps/custom.xml").decode().split("input_sha256")[1][:120])
    assert all(len(found) == 1 for found in sets.values()), "an input's documents all come from the same render"


def _after_renders(process: subprocess.Popen[str], inputs: int) -> str:
    """Wait until the batch has rendered `inputs` inputs (it says so on stderr, one line each), so
    that the signal lands mid-run however fast this machine is; what it said so far. With 0, wait
    a moment only: the signal lands while the program starts."""
    if inputs == 0:
        _wait_for_python(process.pid)
        time.sleep(0.15)
        return ""
    assert process.stderr is not None
    said: list[str] = []
    while sum(line.startswith("rendered: ") for line in said) < inputs:
        line = process.stderr.readline()
        assert line, "the batch ended before it was stopped: " + "".join(said[-3:])
        said.append(line)
    return "".join(said)


def _wait_for_python(pid: int) -> None:
    """Until the interpreter catches Ctrl-C (its own handler, from its first milliseconds): before
    that a signal ends any program, grantdocs' first line not yet run. On a loaded machine a new
    interpreter can take longer than the 0.15 s the test waits after it."""
    mask = 1 << (signal.SIGINT - 1)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except OSError:
            return
        caught = next((line.split()[1] for line in status.splitlines() if line.startswith("SigCgt:")), "0")
        if int(caught, 16) & mask:
            return
        time.sleep(0.005)


def _no_process_of(pid: int) -> bool:
    found = subprocess.run(["pgrep", "-g", str(pid)], capture_output=True, text=True, check=False).stdout.split()
    return not found


@pytest.mark.parametrize("round_", range(6))
def test_a_stopped_batch_ends_promptly_and_leaves_whole_documents(tmp_path: Path, many: Path, round_: int) -> None:
    rng = random.Random(f"interrupt-{round_}")
    how = "ctrl-c" if round_ % 2 == 0 else "sigterm"
    out = tmp_path / "out"
    inputs = many
    if round_ >= 4:  # a rerun after every input changed: the stop lands while documents are being replaced
        inputs = tmp_path / "inputs"
        shutil.copytree(many, inputs)
        run_batch(inputs, out_dir=out, jobs=2)
        for source in inputs.glob("*.yaml"):
            source.write_text(
                source.read_text(encoding="utf-8").replace("title: Home Office Grant", "title: Home Office Award"), encoding="utf-8"
            )
    process = _start(inputs, out)
    said = _after_renders(process, 0 if round_ == 0 else rng.randint(1, COPIES // 2))  # round 0: while it starts up
    took, stderr = _stop(process, how)
    stderr = said + stderr
    assert took < PROMPT_S, f"ended {took:.1f} s after {how}"
    assert "Traceback" not in stderr, stderr
    if round_ == 0:  # before the batch began: a quiet exit
        assert process.returncode == 130, stderr[-300:]
    else:
        assert process.returncode == (130 if how == "ctrl-c" else 143), (process.returncode, stderr[-300:])
        assert f"interrupted ({'SIGINT' if how == 'ctrl-c' else 'SIGTERM'})" in stderr
        assert "inputs not started; every document written is whole: run the same command again to finish" in stderr
    assert _no_process_of(process.pid), "no worker is left behind"
    _assert_whole(out)
    finish = run_batch(inputs, out_dir=out, jobs=2)  # the lock was released, and the next run completes the work
    assert not finish.failed
    assert len(list(out.rglob("*.docx"))) == COPIES * 4
    assert not list(out.rglob(f"*{TEMP_SUFFIX}"))


def test_a_stop_during_pdf_conversion_ends_libreoffice_too(tmp_path: Path) -> None:
    need_libreoffice()
    inputs, out = tmp_path / "inputs", tmp_path / "out"
    shutil.copytree(EXAMPLES, inputs)
    run_batch(inputs, out_dir=out, jobs=1)
    process = _start(inputs, out, "--pdf")
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not _libreoffice_of(process.pid):
        time.sleep(0.05)
    time.sleep(0.3)
    converting = _libreoffice_of(process.pid)
    assert converting, "the batch started converting"
    took, stderr = _stop(process, "ctrl-c")
    assert took < PROMPT_S and "Traceback" not in stderr, stderr
    assert process.returncode == 130, stderr
    time.sleep(0.2)
    alive = [pid for pid in converting if _running(pid)]
    assert not alive, "LibreOffice (in a session of its own, out of Ctrl-C's reach) was ended by the batch"
    assert not list(out.rglob("*.pdf")) or all(p.read_bytes().rstrip().endswith(b"%%EOF") for p in out.rglob("*.pdf"))


def _libreoffice_of(batch: int) -> list[int]:
    """The LibreOffice processes a batch started (its children and theirs): another suite's
    conversions on the same machine are not this batch's."""
    found, todo = [], [batch]
    while todo:
        children = subprocess.run(["pgrep", "-P", str(todo.pop())], capture_output=True, text=True, check=False).stdout.split()
        todo += [int(c) for c in children]
        found += [int(c) for c in children]
    return [pid for pid in found if "soffice" in _command_line(pid)]


def _command_line(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace")
    except OSError:  # it ended between pgrep and here (fc-match, say)
        return ""


def _running(pid: int) -> bool:
    """Whether `pid` still runs: a killed process whose parent is gone stays a zombie until init reaps it."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return False


def test_a_ctrl_c_that_code_swallowed_before_the_batch_began_still_stops_it(tmp_path: Path) -> None:
    """lxml's module set-up swallows a KeyboardInterrupt raised while it runs: the Ctrl-C the
    command line's handler took is still the batch's stop request, honoured before any input."""
    inputs, out = tmp_path / "inputs", tmp_path / "out"
    shutil.copytree(EXAMPLES, inputs)
    with contextlib.suppress(KeyboardInterrupt):  # as lxml's set-up does
        interrupt(signal.SIGINT, None)
    stopped = run_batch(inputs, out_dir=out, jobs=2)
    assert stopped.interrupted == "SIGINT" and not stopped.rendered and stopped.not_started == len(list(inputs.glob("*.yaml")))
    assert not list(out.rglob("*.docx"))
    assert not run_batch(inputs, out_dir=out, jobs=2).interrupted, "the Ctrl-C stopped one batch, not the next"


class _RaisesWhenFinalised:
    """Something whose finalizer raises: Python cannot pass that on, and hands it to sys.unraisablehook."""

    def __init__(self, raised: Callable[[], None]) -> None:
        self.raised = raised

    def __del__(self) -> None:
        self.raised()


def _bad_value() -> None:
    raise ValueError("a finalizer's own fault")


def test_a_ctrl_c_landing_where_python_cannot_raise_it_prints_nothing(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A Ctrl-C in a batch's first moments fell in pydantic compiling a field's pattern, where
    Python could not raise it: "Exception ignored in …" and a traceback on the user's screen. The
    command line's hook keeps that quiet (the pending Ctrl-C still stops the batch, test above) and
    leaves any other such exception to Python's own report."""
    monkeypatch.setattr(interrupts._Pending, "signal", None)  # what this test's Ctrl-C leaves pending, cleared after it
    monkeypatch.setattr(sys, "unraisablehook", interrupts.unraisable)
    _RaisesWhenFinalised(lambda: interrupt(signal.SIGINT, None))
    assert capsys.readouterr().err == ""
    assert interrupts._Pending.signal == signal.SIGINT
    _RaisesWhenFinalised(_bad_value)
    printed = capsys.readouterr().err
    assert "Exception ignored in" in printed and "ValueError: a finalizer's own fault" in printed


def _wrapping_a_ctrl_c() -> None:
    """As pydantic-core does when a Ctrl-C lands while it builds a model's validator: it raises
    a SchemaError of its own, the Interrupted only named at the end of its message."""
    try:
        interrupt(signal.SIGINT, None)
    except KeyboardInterrupt as landed:
        raise RuntimeError(f'Error building "function-after" validator:\n  {type(landed).__name__}:') from None


def test_a_ctrl_c_that_code_turned_into_another_error_still_ends_the_command_as_interrupted(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Seen in CI: a Ctrl-C in a batch's first moments ended in pydantic-core's SchemaError and its
    traceback. While that Ctrl-C is pending, the error ending the command is its Interrupted; with
    none pending, an error is left as it is."""
    monkeypatch.setattr(interrupts._Pending, "signal", None)
    handler = signal.getsignal(signal.SIGINT)
    with pytest.raises(interrupts.Interrupted), interrupts.ctrl_c_taken():
        _wrapping_a_ctrl_c()
    assert signal.getsignal(signal.SIGINT) is handler, "the block's end gives Ctrl-C back"
    interrupts._Pending.signal = None
    with pytest.raises(ValueError, match="own fault"), interrupts.ctrl_c_taken():
        _bad_value()


def test_the_command_line_ends_a_wrapped_ctrl_c_quietly_with_130(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import cli

    monkeypatch.setattr(interrupts._Pending, "signal", None)
    monkeypatch.setattr(cli, "app", _wrapping_a_ctrl_c)
    with pytest.raises(SystemExit) as ended:
        cli.main()
    assert ended.value.code == 130
    assert capsys.readouterr().err == "interrupted\n"
