"""Shared fixtures: paths to example inputs, and a writer for inputs made up by a test."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Protocol

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "inputs" / "examples"


def example_documents() -> list[str]:
    """Every document the shipped examples make, by file name, as the planner names them: what a
    run over all of them must write (the tests count on it, not on a number kept by hand)."""
    from generator.build.generate import DEFAULT_TEMPLATES
    from generator.build.plan import plan_documents
    from generator.inputs.load import load_decision, load_form_wordings, load_report_wording

    names = []
    for source in sorted(EXAMPLES.glob("*.yaml")):
        documents = plan_documents(
            load_decision(source), forms=load_form_wordings(), report_wording=load_report_wording(), templates=DEFAULT_TEMPLATES
        )
        names += [d.filename(source.stem) for d in documents]
    return names


EXAMPLE_INPUTS = len(list(EXAMPLES.glob("*.yaml")))


def confirmed_declarations(form: str) -> str:
    """The fixtures' line confirming every standard declaration row of `form` (a signed decision
    needs each confirmed): what a test writes when it moves a fixture to another form version."""
    from generator.inputs.load import load_form_wordings

    rows = ", ".join(f"{{key: {d.key}, confirmed: yes}}" for d in load_form_wordings()[form].declarations if d.default)
    return f"  declarations: [{rows}]\n"


def on_form(text: str, form: str) -> str:
    """A fixture written on the 2022 form, moved to form version `form` with its declarations."""
    return text.replace("form: dmpc-2022", f"form: {form}").replace(confirmed_declarations("dmpc-2022"), confirmed_declarations(form))


TESTS = Path(__file__).resolve().parent
FIXTURES = TESTS / "fixtures"
MINIMAL = FIXTURES / "inputs" / "minimal.yaml"
REPORT = FIXTURES / "inputs" / "report.yaml"


@pytest.fixture(scope="session", autouse=True)
def own_cache_folder(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The suite's own cache folder (XDG_CACHE_HOME, for this process and those it starts): the
    LibreOffice profile grantdocs prepares there is the suite's, never the user's."""
    folder = tmp_path_factory.mktemp("cache")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XDG_CACHE_HOME", str(folder))
        yield folder


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


@pytest.fixture
def report_text() -> str:
    """A decision with a supporting report: its cost tables, grant, footnote and time sensitivity."""
    return REPORT.read_text(encoding="utf-8")
