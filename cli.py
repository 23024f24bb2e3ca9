"""grantdocs command line: parse options, call the generator, turn its errors into exit codes.

Exit codes: 0 success, 1 invalid input or failed render, 2 usage error, 130 stopped by Ctrl-C,
143 stopped by SIGTERM.
"""

from __future__ import annotations

import signal
import sys

# A Ctrl-C while the modules below load (a third of a second) ends the run quietly, as one later
# does; main() hands Ctrl-C back to Python once they are loaded. Only when grantdocs is the program
# being run: a test suite importing this module keeps its own Ctrl-C.
if sys.argv and sys.argv[0].rsplit("/", 1)[-1] in ("grantdocs", "cli.py"):
    signal.signal(signal.SIGINT, lambda *_: sys.exit(130))

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from typer.core import TyperGroup

# Only what the commands' signatures name is loaded here; each command loads the generator
# modules it uses when it runs, so `grantdocs --help` (and a usage error) does not wait for
# pydantic, docxtpl, lxml and the rest.
from generator.build.interrupts import ctrl_c_taken
from generator.build.kinds import KINDS
from generator.build.locations import DEFAULT_OUTPUTS, DEFAULT_TEMPLATES
from generator.domain.decision_form.versions import CURRENT_FORM
from generator.errors import GeneratorError

if TYPE_CHECKING:
    from generator.build.batch_results import InputResult


class _Commands(TyperGroup):
    """The one handler: an error from the generator (GeneratorError, the one root) that ends a
    command is printed as it is, on stderr, and the command exits 1; never a traceback."""

    def invoke(self, ctx: Any) -> Any:  # a click Context, of the click typer carries inside it
        try:
            return super().invoke(ctx)
        except GeneratorError as error:
            _report(error)
            raise typer.Exit(1) from None


app = typer.Typer(
    cls=_Commands,
    help="Submission-ready MOPAC/MPS decision documents from validated YAML inputs.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
new_app = typer.Typer(help="Start a new input from a commented skeleton.", no_args_is_help=True)
app.add_typer(new_app, name="new")

# Short names for --only: the grants manager reissues "the agreement".
ONLY_ALIASES = {"agreement": "grant-agreement"}

Inputs = Annotated[list[Path], typer.Argument(help="Decision input files (YAML).", metavar="FILE...", show_default=False)]
Confidential = Annotated[
    Path | None,
    typer.Option(
        "--confidential",
        help="Folder for Part 2 documents, kept apart from the output folder (default: beside it, OUT-confidential).",
        file_okay=False,
        show_default=False,
    ),
]
Pdf = Annotated[
    bool, typer.Option("--pdf", help="Also write each .docx as a tagged PDF (PDF/UA, en-GB, fonts embedded), through LibreOffice.")
]


@contextmanager
def progress_reporter(*, enabled: bool) -> Iterator[tuple[Callable[[int], None] | None, Callable[[InputResult], None] | None]]:
    """A progress bar on a terminal; plain lines (on stderr) when not; nothing for --json."""
    if not enabled:
        yield None, None
    elif sys.stderr.isatty():
        from rich.console import Console
        from rich.progress import Progress

        with Progress(console=Console(stderr=True), transient=True) as progress:
            task = progress.add_task("Rendering", total=None)
            yield (lambda total: progress.update(task, total=total)), (lambda _: progress.advance(task))
    else:
        yield None, (lambda result: typer.echo(f"{result.status}: {result.source}", err=True))


def _report(error: GeneratorError) -> None:
    typer.echo(str(error), err=True)


@app.command()
def validate(paths: Inputs) -> None:
    """Check inputs and list every problem as file:line:col: field: message."""
    from generator.inputs.load import read_decision

    failed = False
    for path in paths:
        try:
            loaded = read_decision(path)
        except GeneratorError as error:
            _report(error)
            failed = True
        else:
            for warning in loaded.warnings:
                typer.echo(str(warning), err=True)
            count = len(loaded.warnings)
            typer.echo(f"{path}: ok" + (f" ({count} warning{'s' if count > 1 else ''})" if count else ""))
    if failed:
        raise typer.Exit(1)


@app.command("generate")
def generate_command(
    paths: Inputs,
    out: Annotated[Path, typer.Option("--out", help="Output folder; each input gets OUT/<stem>/.")] = Path("outputs"),
    confidential: Confidential = None,
    templates: Annotated[Path, typer.Option("--templates", help="Folder of Word templates.", file_okay=False)] = DEFAULT_TEMPLATES,
    only: Annotated[
        str | None,
        typer.Option("--only", help=f"Only this document: {', '.join(KINDS)} ('agreement' for short)."),
    ] = None,
    pdf: Pdf = False,
) -> None:
    """Render each input's documents into OUT/<input stem>/<input stem>-<document>.docx, its Part 2
    into the confidential folder."""
    from generator.build.generate import generate
    from generator.build.output_folders import OutputFolders
    from generator.pdf import PdfError, convert_to_pdf

    only = ONLY_ALIASES.get(only, only) if only is not None else None
    if only is not None and only not in KINDS:
        raise typer.BadParameter(f"must be one of: {', '.join(KINDS)}", param_hint="--only")
    folders = OutputFolders.of(out, confidential)  # refused before any input is written
    failed = False
    written: list[Path] = []
    for path in paths:
        try:
            built = generate(path, out_dir=folders.out, confidential_dir=folders.confidential, templates=templates, only=only)
        except GeneratorError as error:
            _report(error)
            failed = True
            continue
        for warning in built.warnings:
            typer.echo(str(warning), err=True)
        for output in built.outputs:
            typer.echo(f"{path} -> {output}")
        written += built.outputs
    if pdf and written:
        # Every input's documents through one LibreOffice process; the .docx files stay written either way.
        try:
            made = convert_to_pdf(written)
        except GeneratorError as error:
            made = error.made if isinstance(error, PdfError) else []
            _report(error)
            failed = True
        for output in made:
            typer.echo(f"pdf -> {output}")
    if failed:
        raise typer.Exit(1)


@app.command("batch")
def batch_command(
    input_dir: Annotated[Path, typer.Argument(help="Folder of inputs (searched recursively).", file_okay=False)] = Path("inputs"),
    out: Annotated[Path, typer.Option("--out", help="Output folder; mirrors the input folders.")] = Path("outputs"),
    confidential: Confidential = None,
    templates: Annotated[Path, typer.Option("--templates", help="Folder of Word templates.", file_okay=False)] = DEFAULT_TEMPLATES,
    jobs: Annotated[int | None, typer.Option("--jobs", min=1, help="Parallel workers (default: CPU count).")] = None,
    force: Annotated[bool, typer.Option("--force", help="Render everything, stale or not.")] = False,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Render in memory and say what would change; write nothing.")] = False,
    prune: Annotated[bool, typer.Option("--prune", help="Remove outputs whose input was deleted.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print a machine-readable summary instead.")] = False,
    pdf: Pdf = False,
) -> None:
    """Regenerate every input under INPUT_DIR whose input, templates or generator changed."""
    from generator.build.batch import run_batch

    if not input_dir.is_dir():
        raise typer.BadParameter(f"{input_dir} is not a folder", param_hint="INPUT_DIR")
    with progress_reporter(enabled=not as_json) as (on_plan, on_result):
        report = run_batch(
            input_dir,
            out_dir=out,
            confidential_dir=confidential,
            templates=templates,
            jobs=jobs,
            force=force,
            dry_run=dry_run,
            prune=prune,
            pdf=pdf,
            on_plan=on_plan,
            on_result=on_result,
        )
    if as_json:
        typer.echo(json.dumps(report.as_dict(), indent=2, ensure_ascii=False))
        notes = [line for line in report.lines(dry_run=dry_run, pdf=pdf) if line.error and not line.per_output]
    else:
        notes = report.lines(dry_run=dry_run, pdf=pdf)
    for line in notes:  # with --json too, what went wrong beyond the outputs is said on stderr
        typer.echo(line.text, err=line.error)
    if report.interrupted:
        raise typer.Exit(130 if report.interrupted == "SIGINT" else 143)
    if report.failed or report.pdf_failed or report.pdf_error or report.manifest_error:
        raise typer.Exit(1)


@app.command("register")
def register_command(
    input_dir: Annotated[Path, typer.Argument(help="Folder of inputs (searched recursively).", file_okay=False)] = Path("inputs"),
    out: Annotated[Path, typer.Option("--out", help="Folder to write register.csv, register.xlsx and register.html into.")] = Path(
        "outputs"
    ),
    due: Annotated[
        int | None,
        typer.Option(
            "--due",
            min=0,
            metavar="DAYS",
            help="Also list what needs action within DAYS: signatures awaited, deferrals ending, Part 2 reviews due.",
        ),
    ] = None,
    today: Annotated[
        datetime | None, typer.Option("--today", formats=["%Y-%m-%d"], metavar="YYYY-MM-DD", help="The day to count from (default: today).")
    ] = None,
) -> None:
    """List every decision under INPUT_DIR with its status, dates, money and documents, as
    register.csv, register.xlsx and register.html. An invalid input is listed as invalid and its
    problems printed; the register is still written, and the command exits 1."""
    from generator.build.register import due_report, read_register
    from generator.build.register_files import write_register

    if not input_dir.is_dir():
        raise typer.BadParameter(f"{input_dir} is not a folder", param_hint="INPUT_DIR")
    day = today.date() if today is not None else date.today()
    entries = read_register(input_dir, on_problem=lambda problem: typer.echo(str(problem), err=True))
    written = write_register(entries, out_dir=out, made=day)
    invalid = sum(1 for e in entries if not e.valid)
    counted = f"{len(entries)} decision{'s' if len(entries) != 1 else ''}" + (f", {invalid} invalid" if invalid else "")
    typer.echo(f"register: {counted} -> {', '.join(str(p) for p in written)}")
    if due is not None:
        for line in due_report(entries, today=day, days=due):
            typer.echo(line)
    if invalid:
        raise typer.Exit(1)


@app.command("publish")
def publish_command(
    input_dir: Annotated[Path, typer.Argument(help="Folder of inputs (searched recursively).", file_okay=False)],
    out: Annotated[
        Path, typer.Option("--out", help="The folder to publish: replaced by the documents published today.", show_default=False)
    ],
    confidential: Annotated[
        Path | None,
        typer.Option(
            "--confidential",
            help="The confidential folder (default: beside --outputs, outputs-confidential): never published into.",
            file_okay=False,
            show_default=False,
        ),
    ] = None,
    outputs: Annotated[
        Path,
        typer.Option(
            "--outputs",
            help="The output folder of generate and batch, where older runs may have left Part 2: never published into.",
            file_okay=False,
        ),
    ] = DEFAULT_OUTPUTS,
    today: Annotated[
        datetime | None,
        typer.Option("--today", formats=["%Y-%m-%d"], help="Publish as on this day, YYYY-MM-DD (default: today).", show_default=False),
    ] = None,
    templates: Annotated[Path, typer.Option("--templates", help="Folder of Word templates.", file_okay=False)] = DEFAULT_TEMPLATES,
) -> None:
    """Put the Part 1 documents (.docx and PDF) of every decision publishable today (signed, any
    deferral over) into OUT, and nothing else: never a Part 2. Says what it left out and why."""
    from generator.build.publish import publish
    from generator.domain.common.dates import short_date

    if not input_dir.is_dir():
        raise typer.BadParameter(f"{input_dir} is not a folder", param_hint="INPUT_DIR")
    try:
        report = publish(
            input_dir,
            out=out,
            confidential=confidential,
            outputs=outputs,
            today=today.date() if today is not None else date.today(),
            templates=templates,
        )
    except GeneratorError as error:
        _report(error)
        typer.echo(f"nothing published: {out} is as it was", err=True)
        raise typer.Exit(1) from None
    for warning in report.warnings:
        typer.echo(str(warning), err=True)
    for files in report.published.values():
        for path in files:
            typer.echo(f"published: {path}")
    for key, why in report.left_out:
        typer.echo(f"left out: {key}: {why}")
    typer.echo(f"{out}: {len(report.published)} published, {len(report.left_out)} left out, as on {short_date(report.today)}")


@app.command()
def diff(
    old: Annotated[Path, typer.Argument(help="The earlier .docx.", exists=True, dir_okay=False)],
    new: Annotated[Path, typer.Argument(help="The later .docx.", exists=True, dir_okay=False)],
    formatting: Annotated[bool, typer.Option("--formatting", help="Also list each style, numbering and page setup change.")] = False,
) -> None:
    """Show how two documents differ: text (paragraphs with their styles, table rows) and,
    with --formatting, each formatting change. Exits 1 when they differ, 0 when they do not."""
    from generator.build.changes import document_diff

    lines, changes = document_diff(old, new)
    for line in lines:
        typer.echo(line)
    if formatting:
        for change in changes:
            typer.echo(f"formatting: {change}")
    elif changes:
        typer.echo(f"{len(changes)} formatting change{'s' if len(changes) != 1 else ''} (--formatting lists them)")
    if not lines and not changes:
        typer.echo("no difference")
        return
    raise typer.Exit(1)


@app.command()
def check(
    paths: Annotated[
        list[Path],
        typer.Argument(help="Word (.docx) or PDF (.pdf) files.", metavar="FILE", exists=True, dir_okay=False, show_default=False),
    ],
) -> None:
    """Check documents for accessibility: title, language, headings, lists, tables, spacing, alt text;
    for a PDF its tagging, title, language and fonts. Prints `file: problem` lines, or `file: ok`."""
    from generator.checks.accessibility import SUFFIXES, check_file

    for path in paths:
        if path.suffix.lower() not in SUFFIXES:
            raise typer.BadParameter(f"{path} is not a .docx or .pdf", param_hint="FILE")
    failed = False
    for path in paths:
        problems = check_file(path)
        for problem in problems:
            typer.echo(str(problem))
        if not problems:
            typer.echo(f"{path}: ok")
        failed = failed or bool(problems)
    if failed:
        raise typer.Exit(1)


@app.command()
def serve(
    folder: Annotated[Path, typer.Argument(help="Folder of decision inputs to serve.", file_okay=False)] = Path("inputs"),
    host: Annotated[str, typer.Option("--host", help="Address to listen on; anything but localhost must be asked for.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="Port to listen on.")] = 8000,
) -> None:
    """Write, check, preview and download decisions in a browser (http://HOST:PORT/)."""
    from generator.web.app import serve as run_server  # Flask only when serving

    typer.echo(f"grantdocs: serving {folder} at http://{host}:{port}/ (Ctrl+C to stop)", err=True)
    run_server(folder, host=host, port=port)


@app.command()
def schema() -> None:
    """Print the JSON Schema (2020-12) of an input file, for editors that complete and check YAML."""
    from generator.inputs.schema import schema_text

    typer.echo(schema_text(), nl=False)


@new_app.command("decision")
def new_decision(
    path: Annotated[Path, typer.Argument(help="Where to write the new input (must not exist).")],
    form: Annotated[str, typer.Option("--form", help="Form version.")] = CURRENT_FORM,
) -> None:
    """Write a commented skeleton input that validates once its blanks are filled."""
    from generator.inputs.load import load_form_wordings
    from generator.inputs.skeleton import decision_skeleton, schema_location

    forms = load_form_wordings()
    if form not in forms:
        raise typer.BadParameter(f"unknown form version; known: {', '.join(sorted(forms))}", param_hint="--form")
    if path.exists():
        typer.echo(f"{path}: already exists; not overwritten", err=True)
        raise typer.Exit(1)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(decision_skeleton(forms[form], schema=schema_location(path)), encoding="utf-8")
    typer.echo(f"{path}: written; fill the blanks, then run: grantdocs validate {path}")


templates_app = typer.Typer(help="Check the Word templates against the models.", no_args_is_help=True)
app.add_typer(templates_app, name="templates")


@templates_app.command("guide")
def templates_guide() -> None:
    """Print the template owner's guide (Markdown): every tag each template may use, how loops are
    written, and the routine from an edit to a batch; docs/templates.md holds it."""
    from generator.checks.template_guide import guide

    typer.echo(guide(), nl=False)


@templates_app.command("check")
def templates_check(
    templates: Annotated[Path, typer.Option("--templates", help="Folder of Word templates.", file_okay=False)] = DEFAULT_TEMPLATES,
) -> None:
    """Parse every template; check every tag against the models; list model fields no template shows."""
    from generator.checks.templates import check_templates

    report = check_templates(templates)
    for problem in report.problems:
        typer.echo(str(problem))
    for name in report.unchecked:
        typer.echo(f"{name}: not checked: no document is rendered from it")
    for model, fields in report.unused.items():
        if fields:
            typer.echo(f"fields of {model} (and the models in it) no template shows:")
            typer.echo("".join(f"  {name}\n" for name in fields), nl=False)
    found = f"{len(report.problems)} problem{'' if len(report.problems) == 1 else 's'}" if report.problems else "no problems"
    typer.echo(f"{len(report.checked)} templates checked: {found}")
    if not report.ok:
        raise typer.Exit(1)


def _version(value: bool) -> None:
    if value:
        from generator import __version__

        typer.echo(f"grantdocs {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")] = False,
) -> None:
    """Submission-ready MOPAC/MPS decision documents from validated YAML inputs."""


def main() -> None:
    try:
        with ctrl_c_taken():  # see Interrupted: the exit code stays 130
            app()
    except KeyboardInterrupt:  # a second Ctrl-C in a batch, or one in any other command
        typer.echo("interrupted", err=True)
        sys.exit(130)


if __name__ == "__main__":
    main()
