"""The one exception root the CLI turns into exit codes, and the problem lines it prints."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with an input file, located as precisely as the file allows."""

    path: Path
    line: int
    column: int
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}: {self.field}: {self.message}"


class GeneratorError(Exception):
    """Root of every error grantdocs reports to a user (exit code 1)."""


class InputError(GeneratorError):
    """An input file is unreadable or invalid; carries every problem found in it."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class TemplateError(GeneratorError):
    """A template is missing, malformed, or failed to render."""

    def __init__(self, template: Path | str, message: str, *, context: str | None = None) -> None:
        self.template = template
        self.context = context
        text = f"{template}: {message}"
        if context:
            text += f"\n  near: {context}"
        super().__init__(text)


class OutputError(GeneratorError):
    """An output cannot be written: a read-only or full disk, a file where a folder should be,
    or another batch writing to the same folder."""
