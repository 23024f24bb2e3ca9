"""The LibreOffice profile prepared once, in the cache folder, and copied for every run."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.pdf import profile as profile_module
from generator.pdf.libreoffice import run
from generator.pdf.profile import MARKER, new_profile, prepared
from tests.support.fidelity import need_libreoffice


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return tmp_path / "cache" / "grantdocs"


def test_prepared_once_then_copied_for_each_run(cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The first run prepares the profile (one LibreOffice start); the next ones copy it, complete,
    without starting LibreOffice or touching the prepared one."""
    exe = need_libreoffice()
    starts: list[list[str]] = []

    def counted(args: list[str], *, timeout: float) -> tuple[int | None, str]:
        starts.append(args)
        return run(args, timeout=timeout)

    monkeypatch.setattr("generator.pdf.profile.run", counted)
    first = new_profile(exe, tmp_path / "a")
    (source,) = cache.iterdir()
    made = (source / MARKER).stat()
    second = new_profile(exe, tmp_path / "b")
    assert len(starts) == 1, "LibreOffice started once, to prepare it"
    assert (source / MARKER).stat().st_ino == made.st_ino and (source / MARKER).stat().st_mtime_ns == made.st_mtime_ns
    for copy in (first, second):
        assert (copy / MARKER).read_bytes() == (source / MARKER).read_bytes()
        assert sorted(p.relative_to(copy) for p in copy.rglob("*")) == sorted(p.relative_to(source) for p in source.rglob("*"))
    assert not [p for p in cache.iterdir() if p.name.startswith(".preparing-")], "nothing half made is left"


def test_a_cache_folder_that_cannot_be_written_leaves_each_run_a_fresh_profile(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    assert prepared("soffice") is None
    assert not new_profile("soffice", tmp_path / "profile").exists(), "left for LibreOffice to make"


def test_each_installation_has_a_profile_of_its_own(tmp_path: Path) -> None:
    one, other = tmp_path / "one" / "soffice", tmp_path / "other" / "soffice"
    for path in (one, other):
        path.parent.mkdir()
        path.write_text("#!/bin/sh\n")
    assert profile_module._installation(str(one)) != profile_module._installation(str(other))
    assert profile_module._installation(str(one)) == profile_module._installation(str(one))
