"""Decision inputs as data: read from a fixture, changed by a test, written back as YAML."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml


def fixture(path: Path) -> dict[str, Any]:
    """The input at `path` as plain data (dates as dates, numbers as numbers)."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def dump(data: dict[str, Any]) -> str:
    """`data` as YAML text, checked to read back as the same data (so a test tests grantdocs,
    not PyYAML). Lines are not wrapped: PyYAML may wrap plain text right before a ' - ', and a
    line starting '- ' inside a value is what grantdocs refuses as a list item out of line."""
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1 << 20)
    assert yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)) == data, "PyYAML must read back what it wrote"
    return text


def write_yaml(path: Path, data: dict[str, Any]) -> Path:
    path.write_text(dump(data), encoding="utf-8")
    return path
