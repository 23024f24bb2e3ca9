"""Shared fixtures: paths to example inputs, and a writer for inputs made up by a test."""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "inputs" / "examples"
TESTS = Path(__file__).resolve().parent
FIXTURES = TESTS / "fixtures"
MINIMAL = FIXTURES / "inputs" / "minimal.yaml"


class WriteInput(Protocol):
    def __call__(self, text: str, name: str = "decision.yaml") -> Path: ...


@pytest.fixture
def write_input(tmp_path: Path) -> WriteInput:
    """Write YAML text to `decision.yaml` in a temporary folder and return its path."""

    def write(text: str, name: str = "decision.yaml") -> Path:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path

    return write


@pytest.fixture
def minimal_text() -> str:
    return MINIMAL.read_text(encoding="utf-8")
