"""Where grantdocs reads and writes unless told otherwise: the templates shipped with it and the
output folder. Apart from the modules that use them, so that the command line can name its
defaults without loading the generator (`grantdocs --help` stays quick)."""

from __future__ import annotations

from pathlib import Path

DEFAULT_TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
DEFAULT_OUTPUTS = Path("outputs")
