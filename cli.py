"""grantdocs command line: parse options, call the generator, turn its errors into exit codes.

Exit codes: 0 success, 1 invalid input or failed render, 2 usage error.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Optional

import typer

from generator import __version__
from generator.build import DEFAULT_TEMPLATES, generate
from generator.documents import KINDS
from generator.errors import GeneratorError, InputError
from generator.inputs import load_decision, load_forms
from generator.models.decision import Decision
from generator.skeleton import decision_skeleton

app = typer.Typer(
    help="Submission-ready MOPAC/MPS decision documents from validated YAML inputs.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
new_app = typer.Typer(help="Start a new input from a commented skeleton.", no_args_is_help=True)
app.add_typer(new_app, name="new")

Inputs = Annotated[list[Path], typer.Argument(help="Decision input files (YAML).", show_default=False)]


def _report(error: GeneratorError) -> None:
    typer.echo(str(error), err=True)


@app.command()
def validate(paths: Inputs) -> None:
    """Check inputs and list every problem as file:line:col: field: message."""
    failed = False
    for path in paths:
        try:
            load_decision(path)
        except GeneratorError as error:
            _report(error)
            failed = True
        else:
            typer.echo(f"{path}: ok")
    if failed:
        raise typer.Exit(1)


@app.command("generate")
def generate_command(
    paths: Inputs,
    out: Annotated[Path, typer.Option("--out", help="Output folder; each input gets OUT/<stem>/.")] = Path("outputs"),
    templates: Annotated[
        Path, typer.Option("--templates", help="Folder of Word templates.", file_okay=False)
    ] = DEFAULT_TEMPLATES,
    only: Annotated[
        Optional[str], typer.Option("--only", help=f"Only this document: {', '.join(KINDS)}.")
    ] = None,
) -> None:
    """Render each input's documents into OUT/<input stem>/<input stem>-<document>.docx."""
    if only is not None and only not in KINDS:
        raise typer.BadParameter(f"must be one of: {', '.join(KINDS)}", param_hint="--only")
    failed = False
    for path in paths:
        try:
            built = generate(path, out_dir=out, templates=templates, only=only)
        except GeneratorError as error:
            _report(error)
            failed = True
            continue
        for output in built.outputs:
            typer.echo(f"{path} -> {output}")
    if failed:
        raise typer.Exit(1)


@app.command()
def schema() -> None:
    """Print the JSON Schema of an input file (for editor completion and checks)."""
    typer.echo(json.dumps(Decision.model_json_schema(), indent=2, ensure_ascii=False))


@new_app.command("decision")
def new_decision(
    path: Annotated[Path, typer.Argument(help="Where to write the new input (must not exist).")],
    form: Annotated[str, typer.Option("--form", help="Form version.")] = "dmpc-2022",
) -> None:
    """Write a commented skeleton input that validates once its blanks are filled."""
    forms = load_forms()
    if form not in forms:
        raise typer.BadParameter(f"unknown form version; known: {', '.join(sorted(forms))}", param_hint="--form")
    if path.exists():
        typer.echo(f"{path}: already exists; not overwritten", err=True)
        raise typer.Exit(1)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(decision_skeleton(forms[form]), encoding="utf-8")
    typer.echo(f"{path}: written; fill the blanks, then run: grantdocs validate {path}")


def _version(value: bool) -> None:
    if value:
        typer.echo(f"grantdocs {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")
    ] = False,
) -> None:
    """Submission-ready MOPAC/MPS decision documents from validated YAML inputs."""


def main() -> None:
    app()


if __name__ == "__main__":
    main()
