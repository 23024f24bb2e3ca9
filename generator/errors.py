"""The one exception root the CLI turns into exit codes, and the problem lines it prints."""

from __future__ import annotations

import re
from dataclasses import dataclass
from dataclasses import field as attribute  # `field` is a Problem's own
from pathlib import Path

_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f\u0085\u2028\u2029]")


def one_line(text: str) -> str:
    """`text` with line breaks and control characters escaped (`\\n`, `\\x00`): a problem is one line."""
    return _UNPRINTABLE.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


def quoted_path(path: Path | str) -> str:
    """A file name as a problem prints it: on one line, whatever the name holds."""
    return one_line(str(path))


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with an input file, located as precisely as the file allows."""

    path: Path
    line: int
    column: int
    field: str
    message: str
    warning: bool = False
    # The other place a broken rule disagrees with, and its line: kept apart so that the web app
    # can link to it; printed after the message.
    related: str | None = attribute(default=None, compare=False)
    related_line: int = attribute(default=0, compare=False)

    @property
    def text(self) -> str:
        """The message, naming the other place it disagrees with."""
        if self.related is None:
            return self.message
        return f"{self.message} (see {self.related} at {self.path}:{self.related_line})"

    def __str__(self) -> str:
        kind = "warning: " if self.warning else ""
        return f"{quoted_path(self.path)}:{self.line}:{self.column}: {one_line(self.field)}: {kind}{one_line(self.text)}"


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
        text = f"{quoted_path(template)}: {message}"
        if context:
            text += f"\n  near: {context}"
        super().__init__(text)


class PackageError(GeneratorError):
    """A .docx package is damaged, too large to open safely, or holds active or external content."""


class OutputError(GeneratorError):
    """An output cannot be written: a read-only or full disk, a file where a folder should be,
    or another batch writing to the same folder."""
