"""`grantdocs serve`: officers write, check and download decisions in a browser.

Flask, for three reasons: its templates are Jinja, which the GOV.UK Frontend macros are ported
to (govuk-frontend-jinja) and grantdocs already uses; its test client exercises every route
without a server; and it is small enough to read whole, with nothing (no ORM, no admin) that a
folder of YAML files does not need. Each page is built from the same models, validation and
rendering as the command line: the web app adds no second implementation of any rule.

Secure by default: it binds to localhost unless told otherwise, checks the Host header, puts a
CSRF token in every form, limits request sizes, sends a Content-Security-Policy that allows only
its own scripts and styles (no external resource of any kind), and names inputs by key, never by
a path taken from the request.
"""

from __future__ import annotations

import atexit
import copy
import io
import re
import secrets
import signal
import sys
import tempfile
import zipfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from flask import Flask, Response, abort, g, redirect, render_template, request, send_file, url_for
from flask_wtf.csrf import CSRFError, CSRFProtect
from jinja2 import ChoiceLoader, FileSystemLoader, PackageLoader, PrefixLoader
from pydantic import ValidationError
from werkzeug.wrappers.response import Response as WerkzeugResponse

from generator.build.generate import DEFAULT_TEMPLATES, render_input
from generator.build.plan import PART_2
from generator.domain.common.dates import short_date
from generator.domain.common.money import pounds
from generator.domain.costs.model import CostTables, check_costs
from generator.domain.costs.view import TableView
from generator.domain.decision_form.model import CURRENT_FORM
from generator.errors import GeneratorError, Problem
from generator.inputs.load import load_form_wordings
from generator.inputs.source import MAX_BYTES
from generator.inputs.validation import field_value, value_at
from generator.pdf import Office, convert_to_pdf, pdf_path
from generator.web import fields as form_fields
from generator.web.folder import Conflict, InputsFolder, Judged
from generator.web.preview import docx_to_html
from generator.web.tasks import BY_SLUG, PART_2_TASK, Task, status, task_for, visible

HERE = Path(__file__).resolve().parent
LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1", "[::1]")


def create_app(inputs: Path, *, allowed_hosts: Iterable[str] = LOCAL_HOSTS, templates: Path = DEFAULT_TEMPLATES) -> Flask:
    app = Flask(__name__, static_folder=str(HERE / "static"), template_folder=str(HERE / "templates"))
    app.config.update(
        SECRET_KEY=secrets.token_bytes(32),  # per process: a restart only asks for the page again
        MAX_CONTENT_LENGTH=MAX_BYTES + 64 * 1024,  # an input's limit, and room for the form around it
        MAX_FORM_MEMORY_SIZE=MAX_BYTES,
        MAX_FORM_PARTS=5000,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Strict",
        WTF_CSRF_TIME_LIMIT=None,
    )
    app.jinja_loader = ChoiceLoader(
        [FileSystemLoader(str(HERE / "templates")), PrefixLoader({"govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja")})]
    )
    app.jinja_env.globals["tag_for"] = _tag_for
    app.jinja_env.globals["input_tag"] = _input_tag
    app.jinja_env.globals["PART_2"] = PART_2
    app.jinja_env.filters["zip_choice"] = lambda pair, current: {"value": pair[0], "text": pair[1], "selected": pair[0] == current}
    app.jinja_env.filters["error_link"] = lambda item: {"text": item[0], "href": item[1]}
    app.jinja_env.filters["day"] = short_date
    app.jinja_env.filters["pounds"] = pounds
    app.config["GRANTDOCS_FOLDER"] = str(inputs)
    CSRFProtect(app)
    folder = InputsFolder(inputs)
    hosts = {h.lower() for h in allowed_hosts}

    @app.before_request
    def _checks() -> None:
        host = (request.host or "").lower()
        name = host.rsplit(":", 1)[0] if not host.startswith("[") else host.split("]")[0] + "]"
        if name not in hosts:
            abort(400, description="this address is not one grantdocs serves")
        g.nonce = secrets.token_urlsafe(16)

    @app.after_request
    def _headers(response: Response) -> Response:
        nonce = getattr(g, "nonce", "")
        response.headers["Content-Security-Policy"] = (
            f"default-src 'none'; script-src 'self' 'nonce-{nonce}'; style-src 'self'; img-src 'self' data:; "
            "font-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; connect-src 'self'"
        )
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["X-Frame-Options"] = "DENY"
        if response.mimetype == "text/html":
            response.headers["Cache-Control"] = "no-store"
        return response

    @app.errorhandler(CSRFError)
    def _csrf(error: CSRFError) -> tuple[str, int]:
        return render_template("error.html", title="The page had expired", message="Go back, reload the page and try again."), 400

    @app.errorhandler(404)
    def _missing(error: Any) -> tuple[str, int]:
        return render_template("error.html", title="Page not found", message="There is no such decision or page."), 404

    @app.errorhandler(400)
    def _bad(error: Any) -> tuple[str, int]:
        return render_template("error.html", title="Bad request", message=getattr(error, "description", "")), 400

    @app.errorhandler(413)
    def _large(error: Any) -> tuple[str, int]:
        return render_template("error.html", title="Too large", message="What was sent is larger than an input may be."), 413

    def judged(key: str) -> Judged:
        try:
            return folder.judge(key)
        except KeyError:
            abort(404)

    # ---------------------------------------------------------------- decisions

    @app.get("/")
    def decisions() -> str:
        return render_template("decisions.html", rows=folder.judge_all(), title="Decisions")

    @app.route("/new", methods=["GET", "POST"])
    def new_decision() -> str | WerkzeugResponse:
        forms = load_form_wordings()
        values = {"reference": "", "title": "", "form": CURRENT_FORM}
        errors: dict[str, str] = {}
        if request.method == "POST":
            values = {name: request.form.get(name, "").strip() for name in values}
            if not values["reference"]:
                errors["reference"] = "Enter the decision's reference, for example PCD 1301"
            if not values["title"]:
                errors["title"] = "Enter the decision's title"
            if values["form"] not in forms:
                errors["form"] = "Select the form version"
            if not errors:
                try:
                    key = folder.create(reference=values["reference"], title=values["title"], form=values["form"])
                except FileExistsError as exc:
                    errors["reference"] = f"There is already an input named {exc.args[0]}: choose another reference"
                else:
                    return redirect(url_for("decision", key=key))
        items = [{"value": name, "text": f.label, "checked": name == values["form"]} for name, f in forms.items()]
        error_list = [{"text": message, "href": f"#{name}"} for name, message in errors.items()]
        return render_template(
            "new.html", values=values, errors=errors, error_list=error_list, choices_items=items, title="Start a new decision"
        )

    @app.get("/d/<path:key>")
    def decision(key: str) -> str:
        input_ = judged(key)
        tasks = [(t, status(t, input_.data, input_.problems)) for t in visible(input_.data)]
        groups: dict[str, list[tuple[Task, str]]] = {}
        for task, state in tasks:
            groups.setdefault(task.group, []).append((task, state))
        part_2 = status(PART_2_TASK, input_.data, input_.problems)
        general = [p for p in input_.problems if not any(t.owns(p.field) for t, _ in tasks) and not PART_2_TASK.owns(p.field)]
        return render_template(
            "decision.html",
            input=input_,
            groups=groups,
            part_2=part_2,
            general=general,
            editable=folder.editable(input_),
            title=input_.reference or key,
        )

    @app.post("/d/<path:key>/add-report")
    def add_report(key: str) -> WerkzeugResponse:
        input_ = judged(key)
        if folder.editable(input_) and not (input_.data or {}).get("report"):
            folder.save(key, {"report": {"title": input_.title or "Supporting report"}}, expected_sha256=request.form.get("sha256", ""))
        return redirect(url_for("decision", key=key))

    # ---------------------------------------------------------------- task pages

    @app.route("/d/<path:key>/task/<slug>", methods=["GET", "POST"])
    def task(key: str, slug: str) -> str | WerkzeugResponse:
        input_ = judged(key)
        spec = task_for(slug, input_.data)
        if spec is None:
            abort(404)
        section = _section(input_.data, spec)
        editable = folder.editable(input_) and _representable(spec, section)
        conflict = False
        problems = [p for p in input_.problems if spec.owns(p.field)]
        if request.method == "POST":
            if not editable:
                abort(409)
            action = request.form.get("action", "save")
            adding = action.startswith(("add:", "remove:"))
            posted = form_fields.read_fields(spec.model, list(spec.names), request.form, spec.loc, keep_empty=adding)
            if adding:
                section = posted
                _apply(action, spec, section)
            else:
                try:
                    saved = folder.save(key, _changes(input_.data or {}, spec, posted), expected_sha256=request.form.get("sha256", ""))
                except Conflict:
                    conflict, section = True, posted
                else:
                    problems = [p for p in saved.problems if spec.owns(p.field)]
                    if not problems:
                        return redirect(url_for("decision", key=key, saved=slug))
                    input_, section = saved, _section(saved.data, spec)
        controls = form_fields.controls(spec.model, list(spec.names), section, spec.loc)
        summary = _attach(controls, problems, key=key)
        tables = _tables(spec, section) if not problems else []
        return render_template(
            "task.html",
            input=input_,
            task=spec,
            controls=controls,
            summary=summary,
            conflict=conflict,
            editable=editable,
            part_2=spec is PART_2_TASK,
            tables=tables,
            has_tables=any(n in _COSTS for n in spec.names),
            title=f"{spec.title} – {input_.reference or key}",
        )

    @app.post("/d/<path:key>/task/<slug>/tables")
    def task_tables(key: str, slug: str) -> str:
        """The page's cost tables from what is typed, not saved: fetched as the officer types."""
        spec = task_for(slug, judged(key).data)
        if spec is None:
            abort(404)
        posted = form_fields.read_fields(spec.model, list(spec.names), request.form, spec.loc)
        return render_template("_tables.html", tables=_tables(spec, posted), has_tables=True)

    # ---------------------------------------------------------------- preview and download

    @app.get("/d/<path:key>/preview/<slug>")
    def preview(key: str, slug: str) -> str:
        input_ = judged(key)
        document = _rendered(input_, slug, templates)
        return render_template(
            "preview.html",
            input=input_,
            slug=slug,
            name=document.path.name,
            html=docx_to_html(document.data),
            part_2=document.kind == PART_2,
            title=f"Preview: {document.path.name}",
        )

    @app.get("/d/<path:key>/download/<slug>.docx")
    def download(key: str, slug: str) -> Response:
        document = _rendered(judged(key), slug, templates)
        return send_file(io.BytesIO(document.data), download_name=document.path.name, as_attachment=True, mimetype=DOCX)

    office = Office()  # the server's own LibreOffice, kept running: a PDF costs its conversion alone
    app.extensions["grantdocs.office"] = office
    atexit.register(office.close)

    @app.get("/d/<path:key>/download/<slug>.pdf")
    def download_pdf(key: str, slug: str) -> Response:
        """The document as PDF, from the LibreOffice kept running for the server."""
        document = _rendered(judged(key), slug, templates)
        with tempfile.TemporaryDirectory(prefix="grantdocs-serve-pdf-") as tmp:
            docx = Path(tmp) / document.path.name
            docx.write_bytes(document.data)
            try:
                (made,) = convert_to_pdf([docx], office=office)
            except GeneratorError as error:
                return Response(render_template("error.html", title="No PDF", message=str(error)), status=503)
            data = made.read_bytes()
        return send_file(io.BytesIO(data), download_name=pdf_path(document.path).name, as_attachment=True, mimetype="application/pdf")

    @app.get("/d/<path:key>/download/pack.zip")
    def download_pack(key: str) -> Response:
        """Every published document of the input in one zip: Part 2 never goes in it."""
        input_ = judged(key)
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as pack:
            for document in _renders(input_, templates):
                if document.kind != PART_2:
                    pack.writestr(document.path.name, document.data)
        buffer.seek(0)
        return send_file(buffer, download_name=f"{input_.path.stem}-published.zip", as_attachment=True, mimetype="application/zip")

    return app


DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def serve(inputs: Path, *, host: str = "127.0.0.1", port: int = 8000) -> None:
    """Run the web app until interrupted: one process, a thread a request, no debugger and no
    reloader. It answers only to the address it was started on (and localhost's names)."""
    from werkzeug.serving import run_simple

    hosts = {*LOCAL_HOSTS, host.lower()}
    app = create_app(inputs, allowed_hosts=hosts)
    office = app.extensions["grantdocs.office"]
    # Stopped by SIGTERM as by Ctrl+C: the spare LibreOffice and its profile go with the server.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    office.start()  # warm before the first PDF is asked for
    try:
        run_simple(host, port, app, threaded=True, use_debugger=False, use_reloader=False)
    finally:
        office.close()


def _section(data: dict[str, Any] | None, task: Task) -> dict[str, Any]:
    section = value_at(data, task.loc)
    if isinstance(section, str) and "text" in task.names:  # an item written as its text alone
        return {"text": section}
    return section if isinstance(section, dict) else {}


_COSTS = ("costs", "appendix_costs")


def _tables(task: Task, section: dict[str, Any]) -> list[TableView]:
    """The page's cost tables as they will print, totals, subtotals and variances computed by the
    documents' own code from what was saved: nothing is computed a second way in the browser."""
    tables: list[TableView] = []
    for name in task.names:
        if name not in _COSTS or not section.get(name):
            continue
        try:
            costs = field_value(task.model, name, section[name])
        except ValidationError:
            continue
        if isinstance(costs, CostTables) and not check_costs(costs):
            tables += costs.views().values()
    return tables


def _representable(task: Task, section: dict[str, Any]) -> bool:
    """Whether the task's page holds everything the input says there: its own values, posted
    back unchanged, read as the same data. Otherwise the page is read-only, never lossy."""
    controls = form_fields.controls(task.model, list(task.names), section, task.loc)
    again = form_fields.read_fields(task.model, list(task.names), form_fields.posted(controls), task.loc)
    return all(form_fields.means_the_same(task.model, n, section.get(n), again.get(n)) for n in task.names)


def _changes(data: dict[str, Any], task: Task, posted: dict[str, Any]) -> dict[str, Any]:
    """The top-level sections to write: the task's fields replaced by what was posted, except
    those that mean what they meant, which keep the officer's own writing of them."""
    section = _section(data, task)
    posted = {
        n: section.get(n) if form_fields.means_the_same(task.model, n, section.get(n), posted.get(n)) else posted.get(n) for n in task.names
    }
    posted = {n: v for n, v in posted.items() if v is not None}
    if not task.loc:
        current = {n: data.get(n) for n in task.names}
        return {n: posted.get(n) for n in current}
    top = str(task.loc[0])
    section = copy.deepcopy(data.get(top) or {})
    target: Any = section
    for i, part in enumerate(task.loc[1:], start=1):
        after = task.loc[i + 1] if i + 1 < len(task.loc) else None
        if isinstance(part, int):
            if isinstance(target[part], str):  # an item written as its text alone, now a mapping
                target[part] = {"text": target[part]}
            target = target[part]
        else:
            target = target.setdefault(part, [] if isinstance(after, int) else {})
    for name in task.names:
        if name in posted:
            target[name] = posted[name]
        else:
            target.pop(name, None)
    return {top: section or None}  # a section left with nothing in it is no section


def _apply(action: str, task: Task, section: dict[str, Any]) -> None:
    verb, _, where = action.partition(":")
    parts: list[str | int] = [int(p) if p.isdigit() else p for p in where.split("/") if p]
    relative = tuple(parts[len(task.loc) :])
    if not relative or str(relative[0]) not in task.names:
        abort(400)
    if verb == "add":
        form_fields.with_item_added(section, relative)
    else:
        form_fields.with_item_removed(section, relative)


def _attach(controls: list[form_fields.Control], problems: list[Problem], *, key: str) -> list[tuple[str, str]]:
    """Each problem onto its control (or the nearest enclosing one), and the error summary's
    entries, worded by the controls' labels (Recommendation 1, Amount: …). A problem naming a
    second place (`see report.grant.amount`) gets a second entry linking there: on this page, or
    on the task page that holds it."""
    by_path = {c.path: c for top in controls for c in top.walk()}
    labels = {c.path: label for top in controls for c, label in _labelled(top, [])}
    summary = []
    for problem in problems:
        related = problem.related
        message = problem.message if related is None else f"{problem.message} (see {labels.get(related, related)})"
        target = _nearest(by_path, problem.field)
        if target is not None and target.error is None:
            target.error = message
        where = labels.get(target.path) if target is not None else None
        summary.append((f"{where or problem.field}: {message}", "#" + (target.name if target is not None else "main-content")))
        if related is not None:
            other = _nearest(by_path, related)
            if other is not None:
                summary.append((f"{labels.get(other.path, related)}: the other place this disagrees with", "#" + other.name))
            else:
                task = next((t for t in BY_SLUG.values() if t.owns(related)), None)  # the list's own page
                if task is not None:
                    href = url_for("task", key=key, slug=task.slug) + "#" + form_fields.html_name(_loc(related))
                    summary.append((f"{related}, on the page {task.title}: the other place this disagrees with", href))
    return summary


def _nearest(by_path: dict[str, form_fields.Control], path: str) -> form_fields.Control | None:
    target = by_path.get(path)
    while target is None and ("." in path or "[" in path):
        path = path[: max(path.rfind("."), path.rfind("["))]
        target = by_path.get(path)
    return target


def _labelled(control: form_fields.Control, trail: list[str]) -> Iterator[tuple[form_fields.Control, str]]:
    """Each control with the labels that lead to it (Officer approval, Date), a list's own label
    left out where its items are numbered (Recommendation 1, Text)."""
    here = trail if control.kind in ("list", "mapping") and control.children else [*trail, control.label]
    yield control, ", ".join(here or [control.label])
    for child in control.children:
        yield from _labelled(child, here)


def _loc(path: str) -> tuple[str | int, ...]:
    """'report.grant.amount' or 'a.b[0].c' back into its parts."""
    return tuple(int(p) if p.isdigit() else p for p in re.findall(r"[^.\[\]]+", path))


def _renders(input_: Judged, templates: Path) -> list[Any]:
    if input_.decision is None:
        abort(409)
    try:
        return render_input(input_.path, out_dir=Path("outputs"), templates=templates).documents
    except GeneratorError:
        abort(409)


def _rendered(input_: Judged, slug: str, templates: Path) -> Any:
    for document in _renders(input_, templates):
        if document.slug == slug:
            return document
    abort(404)


def _input_tag(input_: Judged) -> dict[str, str]:
    """An input's state as a tag: valid, or how many problems it has."""
    if input_.decision is not None:
        return {"text": "Valid", "classes": "govuk-tag--green"}
    count = len(input_.problems)
    return {"text": f"{count} problem{'s' if count != 1 else ''}", "classes": "govuk-tag--red"}


def _tag_for(state: str) -> dict[str, str]:
    return {
        "completed": {"text": "Completed", "classes": "govuk-tag--green"},
        "incomplete": {"text": "Incomplete", "classes": "govuk-tag--blue"},
        "problems": {"text": "Has problems", "classes": "govuk-tag--red"},
        "optional": {"text": "Optional", "classes": "govuk-tag--grey"},
    }[state]
