"""The form version a new decision is written on. Apart from the model, so that the command
line can name its default without loading pydantic (`grantdocs --help`)."""

from __future__ import annotations

CURRENT_FORM = "dmpc-2022"
"""The form version a new decision is written on: the one MOPAC uses today."""
