"""The temp files a killed run leaves: swept up at any depth, and nothing else with them."""

from __future__ import annotations

from pathlib import Path

from generator.build.files import TEMP_SUFFIX, sweep_temporaries


def test_sweep_removes_temporaries_at_every_depth_and_nothing_else(tmp_path: Path) -> None:
    out, elsewhere = tmp_path / "out", tmp_path / "elsewhere"
    for folder in (out / "a" / "b", elsewhere):
        folder.mkdir(parents=True)
    temps = [out / f".grantdocs-manifest.json.x1{TEMP_SUFFIX}", out / "a" / "b" / f".y.docx.old{TEMP_SUFFIX}"]
    kept = [out / "a" / "b" / "y.docx", out / "a" / "grantdocs-tmp.docx", elsewhere / f".z.docx.x2{TEMP_SUFFIX}"]
    for path in temps + kept:
        path.write_bytes(b"")
    (out / "a" / f"odd{TEMP_SUFFIX}").mkdir()
    (out / "link").symlink_to(elsewhere)  # never followed: what it leads to is not the batch's
    sweep_temporaries(out)
    assert [p for p in temps if p.exists()] == []
    assert [p for p in kept if not p.exists()] == []
    assert (out / "a" / f"odd{TEMP_SUFFIX}").is_dir()
