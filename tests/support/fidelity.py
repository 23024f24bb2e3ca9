"""How closely a generated document's text, as LibreOffice reads it, matches a published one."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import tempfile
from difflib import SequenceMatcher
from pathlib import Path

import pytest

from generator.pdf import soffice

# Handwriting the PDF extraction turned into text: never something a generator should print.
SIGNATURE_SQUIGGLES = ("Manakuchford.", "_m", "Epue Henderson")
_WORD = re.compile(r"\w+")


def need_libreoffice(*also: str) -> str:
    """LibreOffice's command (and the other commands named): a test without them is skipped
    locally, and fails in CI (CI=true), where .ci/run installs them."""
    exe = soffice()
    missing = ([] if exe else ["soffice"]) + [tool for tool in also if shutil.which(tool) is None]
    if missing:
        packages = "libreoffice-writer-nogui poppler-utils fonts-liberation2"
        if os.environ.get("CI"):
            pytest.fail(f"{', '.join(missing)} required in CI (.ci/run installs {packages})")
        pytest.skip(f"not installed: {', '.join(missing)} (apt-get install {packages})")
    assert exe is not None
    return exe


_TEXTS: dict[str, str] = {}  # by the document's SHA-256: the same bytes read the same, and a conversion costs ~1 s


def libreoffice_text(docx: Path) -> str:
    """The document as LibreOffice exports it to plain text (list numbers included); each
    document's bytes converted once per test session."""
    key = hashlib.sha256(docx.read_bytes()).hexdigest()
    if key not in _TEXTS:
        _TEXTS[key] = _convert(docx)
    return _TEXTS[key]


def _convert(docx: Path) -> str:
    exe = soffice()
    if exe is None:
        raise RuntimeError("LibreOffice is not installed (apt-get install libreoffice-writer-nogui)")
    with tempfile.TemporaryDirectory() as tmp:
        profile = Path(tmp, "profile").as_uri()
        subprocess.run(
            [exe, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "txt:Text (encoded):UTF8", "--outdir", tmp, str(docx)],
            check=True,
            capture_output=True,
            timeout=180,
        )
        return Path(tmp, docx.with_suffix(".txt").name).read_text(encoding="utf-8-sig")


def words(text: str) -> list[str]:
    for squiggle in SIGNATURE_SQUIGGLES:
        text = text.replace(squiggle, " ")
    return [w.lower() for w in _WORD.findall(text)]


def word_similarity(generated: str, reference: str) -> float:
    """SequenceMatcher ratio over the two texts' words (case and punctuation ignored)."""
    return SequenceMatcher(None, words(generated), words(reference), autojunk=False).ratio()


def reference_between(name: str, start: str | None = None, end: str | None = None) -> str:
    """The part of a reference text from the line starting `start` up to the line starting `end`."""
    text = (Path(__file__).parent.parent / "fixtures" / "reference" / name).read_text(encoding="utf-8")
    lines = text.splitlines()
    first = next(i for i, line in enumerate(lines) if line.strip().startswith(start)) if start else 0
    last = next((i for i, line in enumerate(lines) if i > first and line.strip().startswith(end)), len(lines)) if end else len(lines)
    return "\n".join(lines[first:last])
