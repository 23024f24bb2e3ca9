"""A LibreOffice kept running: one start for many conversions, ended on a timeout or a stop (and
started again by the next conversion), and never outliving grantdocs."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from generator.build.generate import generate
from generator.pdf import PdfError, convert_to_pdf, pdf_path
from generator.pdf.office import Office
from tests.conftest import MINIMAL, ROOT
from tests.support.fidelity import need_libreoffice


@pytest.fixture(scope="module")
def docx(tmp_path_factory: pytest.TempPathFactory) -> Path:
    (made,) = generate(MINIMAL, out_dir=tmp_path_factory.mktemp("out")).outputs
    return made


@pytest.fixture
def office() -> Iterator[Office]:
    need_libreoffice()
    office = Office()
    yield office
    office.close()


def _copy(docx: Path, folder: Path, name: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / name
    target.write_bytes(docx.read_bytes())
    return target


def test_one_start_for_conversion_after_conversion(office: Office, docx: Path, tmp_path: Path) -> None:
    (first,) = convert_to_pdf([_copy(docx, tmp_path, "first.docx")], office=office)
    assert office._process is not None
    pid, profile = office._process.pid, office.profile
    (second,) = convert_to_pdf([_copy(docx, tmp_path, "second.docx")], office=office)
    assert first.read_bytes().startswith(b"%PDF-") and second.read_bytes().startswith(b"%PDF-")
    assert office.starts == 1 and office._process.pid == pid and office.profile == profile, "the same LibreOffice, the same profile"


@pytest.mark.parametrize("how", ["timeout", "stop"])
def test_an_overrun_or_a_stop_ends_it_and_the_next_conversion_starts_another(how: str, office: Office, docx: Path, tmp_path: Path) -> None:
    doc = _copy(docx, tmp_path, "doc.docx")
    convert_to_pdf([doc], office=office)
    pdf_path(doc).unlink()
    busy = [_copy(docx, tmp_path / "busy", f"busy-{i}.docx") for i in range(20)]
    with pytest.raises(PdfError, match=r"did not finish within 0\.3 s" if how == "timeout" else r"stopped before LibreOffice"):
        if how == "timeout":
            convert_to_pdf(busy, office=office, timeout=0.3)
        else:
            started = time.monotonic()
            convert_to_pdf(busy, office=office, should_stop=lambda: time.monotonic() - started > 0.3)
    assert not office.running, "it was still converting: ended"
    assert convert_to_pdf([doc], office=office) == [pdf_path(doc)]
    assert office.starts == 2


def test_close_ends_it_and_removes_its_profile(office: Office) -> None:
    office.start()
    assert office.running
    profile = office.profile
    assert profile is not None and profile.is_dir()
    office.close()
    office.close()
    assert office._process is None and not profile.exists()


_CHILD = """
import sys, time
from pathlib import Path
from generator.pdf import convert_to_pdf
from generator.pdf.office import Office
office = Office()
convert_to_pdf([Path(sys.argv[1])], office=office)
print(office._work, flush=True)
time.sleep(600)
"""


def test_libreoffice_ends_when_grantdocs_is_killed(docx: Path, tmp_path: Path) -> None:
    """kill -9 runs no exit handler: the watchdog between them ends LibreOffice and removes its folder."""
    need_libreoffice()
    child = subprocess.Popen(
        [sys.executable, "-c", _CHILD, str(_copy(docx, tmp_path, "doc.docx"))], cwd=ROOT, stdout=subprocess.PIPE, text=True
    )
    try:
        assert child.stdout is not None
        work = Path(child.stdout.readline().strip())
        assert (work / "profile").is_dir() and any("soffice.bin" in line for line in _using(work)), "LibreOffice runs"
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait()
        if child.stdout is not None:
            child.stdout.close()
    deadline = time.monotonic() + 10
    while (_using(work) or work.exists()) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _using(work), "LibreOffice outlived the process that started it"
    assert not work.exists(), "its profile was removed with it"


def _using(work: Path) -> list[str]:
    """The command lines of the live processes started with `work` (LibreOffice's, its watchdog's)."""
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                state = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()[0]
                line = Path(f"/proc/{entry}/cmdline").read_bytes().decode(errors="replace").replace("\0", " ")
            except (OSError, IndexError):
                continue
            if str(work) in line and state != "Z":
                found.append(line)
    return found
