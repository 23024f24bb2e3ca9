"""The web app through Flask's test client: every route, every error path, and the promise that
saving never loses work (nothing rewritten that the officer did not change, no silent overwrite,
no lossy page)."""

from __future__ import annotations

import html
import io
import re
import shutil
import zipfile
from pathlib import Path

import pytest
from docx import Document
from flask import Flask
from flask.testing import FlaskClient
from pypdf import PdfReader

from generator.build.generate import generate
from generator.errors import InputError
from generator.inputs.load import read_decision
from generator.inputs.yaml_reader import read_source
from generator.web.app import create_app
from generator.web.tasks import BY_SLUG
from tests.conftest import EXAMPLE_INPUTS, EXAMPLES, FIXTURES
from tests.support.fidelity import need_libreoffice


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    shutil.copytree(EXAMPLES, tmp_path / "inputs")
    return tmp_path / "inputs"


@pytest.fixture
def app(folder: Path) -> Flask:
    app = create_app(folder)
    app.config["WTF_CSRF_ENABLED"] = False  # the CSRF test turns it back on
    return app


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


def page(client: FlaskClient, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.get_data(as_text=True)


def form_of(text: str) -> dict[str, str]:
    """What a browser would post from the page's form as it stands."""
    data: dict[str, str] = {}
    for tag in re.findall(r"<input[^>]*>", text):
        name, value, kind = (re.search(rf'{a}="([^"]*)"', tag) for a in ("name", "value", "type"))
        if name is None:
            continue
        if kind is not None and kind.group(1) == "radio":
            if "checked" in tag and value is not None:
                data[name.group(1)] = html.unescape(value.group(1))
            continue
        data[name.group(1)] = html.unescape(value.group(1)) if value else ""
    for name, value in re.findall(r'<textarea[^>]*name="([^"]*)"[^>]*>(.*?)</textarea>', text, re.S):
        data[name] = html.unescape(value).removeprefix("\n")
    for name, options in re.findall(r'<select[^>]*name="([^"]*)"[^>]*>(.*?)</select>', text, re.S):
        chosen = re.search(r'<option value="([^"]*)" selected', options)
        data[name] = html.unescape(chosen.group(1)) if chosen else ""
    return data


def editable(text: str) -> bool:
    return 'data-module="govuk-button">\n  Save and check' in text


# --------------------------------------------------------------------------- pages


def test_the_decisions_page_lists_every_input_with_its_state(client: FlaskClient) -> None:
    text = page(client, "/")
    for source in sorted(EXAMPLES.glob("*.yaml")):
        assert f'href="/d/{source.name}"' in text
    assert "pcd-421-lcpf-grant-agreement-croydon.docx" in text, "the documents each input yields"
    assert text.count(">\n  Valid\n</strong>") == EXAMPLE_INPUTS, "every example is valid"


def test_the_decisions_page_lists_an_invalid_input_as_the_register_does(client: FlaskClient, folder: Path) -> None:
    (folder / "broken.yaml").write_text("reference: PCD 1399\ntitle: Half written\ndecision_form: {form: dmpc-2022}\n", encoding="utf-8")
    rows = re.findall(r"<tr class=\"govuk-table__row\">(.*?)</tr>", page(client, "/"), re.S)
    row = next(r for r in rows if 'href="/d/broken.yaml"' in r)
    cells = [" ".join(html.unescape(re.sub(r"<[^>]+>", " ", c)).split()) for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
    assert cells[:3] == ["PCD 1399 broken.yaml", "Half written", "dmpc-2022"]
    assert cells[3:10] == ["Invalid", "–", "–", "–", "–", "–", "–"], "status, approval, signature, publication, Part 2, money in and out"
    assert cells[-1] == "3 problems"


def test_every_task_page_of_every_example_renders(client: FlaskClient) -> None:
    for source in sorted(EXAMPLES.glob("*.yaml")):
        tasks = page(client, f"/d/{source.name}")
        for slug in re.findall(rf'href="/d/{re.escape(source.name)}/task/([a-z0-9-]+)"', tasks):
            assert "<h1" in page(client, f"/d/{source.name}/task/{slug}")


def test_saving_a_page_unchanged_rewrites_nothing(client: FlaskClient, folder: Path) -> None:
    """Every page of the examples (each PART I section, report section and cost table its own),
    posted back as it is: the file stays byte for byte (comments, folded paragraphs, `money: key`
    written short). None of them is read-only: each holds what the input says there."""
    for name in ("pcd-1284.yaml", "ocs-grant-2023-24.yaml", "pcd-421-lcpf.yaml", "pcd-1760-shared-endeavour-fund.yaml"):
        before = (folder / name).read_bytes()
        slugs = re.findall(rf'href="/d/{re.escape(name)}/task/([a-z0-9-]+)"', page(client, f"/d/{name}"))
        assert len(slugs) > len(set(BY_SLUG) - {"report-details"}), "a task per section and table"
        for slug in slugs:
            text = page(client, f"/d/{name}/task/{slug}")
            assert editable(text), f"{name}: {slug} is read-only"
            response = client.post(f"/d/{name}/task/{slug}", data={**form_of(text), "action": "save"})
            assert response.status_code in (200, 302)
            assert (folder / name).read_bytes() == before, f"{name}: saving {slug} unchanged rewrote the file"


def test_a_page_that_cannot_hold_the_input_is_read_only(client: FlaskClient, folder: Path) -> None:
    """A key of the officer's own inside a recommendation: no field holds it, so the page does not
    offer to save (which would drop it); the input is still shown, with the problem named."""
    path = folder / "pcd-1284.yaml"
    amount = "      amount: 450000.00   # the sum approved, exactly; checked against the text above\n"
    text = path.read_text(encoding="utf-8")
    assert amount in text
    path.write_text(text.replace(amount, amount + "      colour: red\n", 1), encoding="utf-8")
    assert read_source(path).data is not None, "the file reads"
    before = path.read_bytes()
    page_text = page(client, "/d/pcd-1284.yaml/task/form-recommendations")
    assert not editable(page_text)
    assert "unknown key 'colour'" in html.unescape(page_text), "the problem, named on the page"
    assert client.post("/d/pcd-1284.yaml/task/form-recommendations", data={**form_of(page_text), "action": "save"}).status_code == 409
    assert path.read_bytes() == before


def test_an_input_whose_layout_cannot_be_kept_keeps_its_data(client: FlaskClient, folder: Path) -> None:
    """The 2015 example's lists of lists are re-indented by a save; what they say is not changed."""
    path = folder / "dmpcd-2015-148.yaml"
    before = read_source(path).data
    text = page(client, "/d/dmpcd-2015-148.yaml/task/form-summary")
    client.post("/d/dmpcd-2015-148.yaml/task/form-summary", data={**form_of(text), "action": "save"})
    assert read_source(path).data == before
    assert "# Two sums in the published text" in path.read_text(encoding="utf-8"), "comments kept"


def test_a_problem_is_shown_at_its_field_and_the_work_is_saved(client: FlaskClient, folder: Path) -> None:
    url = "/d/pcd-1284.yaml/task/form-recommendations"
    form = form_of(page(client, url))
    form["f-decision_form-recommendations-0-amount"] = "460000.00"
    response = client.post(url, data={**form, "action": "save"})
    text = response.get_data(as_text=True)
    assert response.status_code == 200
    assert '<div class="govuk-error-summary"' in text and "There is a problem" in text
    message = "names £450,000.00 but the amount is £460,000.00 (see Recommendation 1, Amount)"
    assert f'href="#f-decision_form-recommendations-0-text">Recommendation 1, Text: {message}' in html.unescape(text)
    assert 'href="#f-decision_form-recommendations-0-amount">Recommendation 1, Amount: the other place' in html.unescape(text)
    assert (
        'href="/d/pcd-1284.yaml/task/report-grant#f-report-grant-amount">report.grant.amount, on the page Grant accepted'
        in html.unescape(text)
    ), "the other place, on another page, is linked there"
    assert 'id="f-decision_form-recommendations-0-text-error"' in text, "the message is also at the field"
    assert "amount: 460000.00" in (folder / "pcd-1284.yaml").read_text(encoding="utf-8"), "the officer's work is saved"
    assert "<title>Error: " in text


def test_the_same_problems_as_validate(client: FlaskClient, folder: Path) -> None:
    """The page and `grantdocs validate` say the same, from the same checks."""
    url = "/d/pcd-1284.yaml/task/form-approvals"
    form = form_of(page(client, url))
    form.update({"f-decision_form-officer_approval-date-day": "30", "f-decision_form-officer_approval-date-month": "2"})
    text = html.unescape(client.post(url, data={**form, "action": "save"}).get_data(as_text=True))
    with pytest.raises(InputError) as caught:
        read_decision(folder / "pcd-1284.yaml")
    problems = caught.value.problems
    assert problems and all(p.message in text for p in problems)


def test_add_another_and_remove_change_the_page_not_the_file(client: FlaskClient, folder: Path) -> None:
    url = "/d/pcd-1284.yaml/task/form-summary"
    before = (folder / "pcd-1284.yaml").read_bytes()
    form = form_of(page(client, url))
    added = client.post(url, data={**form, "action": "add:decision_form/executive_summary"}).get_data(as_text=True)
    assert 'name="f-decision_form-executive_summary-1-text"' in added
    assert (folder / "pcd-1284.yaml").read_bytes() == before
    removed = client.post(url, data={**form_of(added), "action": "remove:decision_form/executive_summary/0"}).get_data(as_text=True)
    assert 'name="f-decision_form-executive_summary-1-text"' not in removed
    assert client.post(url, data={**form, "action": "add:title"}).status_code == 400, "only the page's own lists"


def test_a_year_is_added_to_and_removed_from_a_grant(client: FlaskClient) -> None:
    """Sums by year are a mapping: a year added is a row to fill, and a row removed by its place
    (its key, 2019/20, holds a '/')."""
    url = "/d/pcd-421-lcpf.yaml/task/money"
    form = form_of(page(client, url))
    by_year = "f-money-grants-0-by_year"
    assert form[f"{by_year}-count"] == "2"
    added = client.post(url, data={**form, "action": "add:money/grants/0/by_year"}).get_data(as_text=True)
    again = form_of(added)
    assert again[f"{by_year}-count"] == "3" and again[f"{by_year}-2-key"] == "" and again[f"{by_year}-2"] == ""
    removed = form_of(client.post(url, data={**form, "action": "remove:money/grants/0/by_year/0"}).get_data(as_text=True))
    assert removed[f"{by_year}-count"] == "1" and removed[f"{by_year}-0-key"] == "2020/21"


def test_a_file_changed_on_disk_is_never_overwritten(client: FlaskClient, folder: Path) -> None:
    url = "/d/pcd-1284.yaml/task/details"
    form = form_of(page(client, url))
    path = folder / "pcd-1284.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("title: Home Office Grant", "title: Edited elsewhere –"), encoding="utf-8")
    edited = path.read_bytes()
    form["f-title"] = "My title"
    text = client.post(url, data={**form, "action": "save"}).get_data(as_text=True)
    assert "was changed on disk since this page was loaded" in text
    assert 'value="My title"' in text, "the officer's changes are still on the page"
    assert path.read_bytes() == edited


STANDARD_ROWS = ("financial", "legal", "equalities", "commercial", "gdpr", "drafting_officer", "head_of_service")


def test_new_decision(client: FlaskClient, folder: Path) -> None:
    text = client.post("/new", data={"reference": "", "title": "", "form": "dmpc-2022"}).get_data(as_text=True)
    assert 'href="#reference">Enter the decision' in text and 'href="#title">' in text
    response = client.post("/new", data={"reference": "PCD 1301", "title": "A new grant", "form": "dmpc-2022"})
    assert response.status_code == 302 and response.headers["Location"].endswith("/d/pcd-1301.yaml")
    rows = "".join(f"    - key: {key}\n      confirmed: no\n" for key in STANDARD_ROWS)
    assert (folder / "pcd-1301.yaml").read_text(encoding="utf-8") == (
        f"reference: PCD 1301\ntitle: A new grant\ndecision_form:\n  form: dmpc-2022\n  declarations:\n{rows}"
    ), "the standard declaration rows, none confirmed"
    again = client.post("/new", data={"reference": "PCD 1301", "title": "Again", "form": "dmpc-2022"}).get_data(as_text=True)
    assert "There is already an input named pcd-1301.yaml" in again


def test_a_decision_made_in_the_app_validates_and_renders_as_generate_does(client: FlaskClient, folder: Path, tmp_path: Path) -> None:
    client.post("/new", data={"reference": "PCD 1302", "title": "Youth diversion grant", "form": "dmpc-2022"})
    base = "/d/pcd-1302.yaml/task/"

    def save(slug: str, values: dict[str, str]) -> None:
        form = form_of(page(client, base + slug))
        form.update(values)
        client.post(base + slug, data={**form, "action": "save"})

    save(
        "form-summary",
        {
            "f-decision_form-executive_summary-count": "1",
            "f-decision_form-executive_summary-0-text": "This paper seeks approval to accept £30,000 of grant.",
        },
    )
    save(
        "form-recommendations",
        {
            "f-decision_form-recommendations-count": "1",
            "f-decision_form-recommendations-0-text": "accept grant funding of £30,000.00 from the Youth Endowment Fund.",
            "f-decision_form-recommendations-0-amount": "30000.00",
        },
    )
    save(
        "form-part-1",
        {
            "f-decision_form-part_1-count": "1",
            "f-decision_form-part_1-0-key": "introduction",
            "f-decision_form-part_1-0-paragraphs-count": "1",
            "f-decision_form-part_1-0-paragraphs-0-text": "The Youth Endowment Fund has offered a grant.",
        },
    )
    save("form-declarations", {"f-decision_form-drafting_officer": "A N Officer"})
    path = folder / "pcd-1302.yaml"
    assert read_decision(path).decision.decision_form is not None
    download = client.get("/d/pcd-1302.yaml/download/decision-form.docx")
    assert download.status_code == 200
    (generated,) = generate(path, out_dir=tmp_path / "out").outputs
    assert download.data == generated.read_bytes(), "the download is the document generate writes"


# --------------------------------------------------------------------------- previews and Part 2


def test_preview_shows_the_document(client: FlaskClient) -> None:
    text = page(client, "/d/pcd-1284.yaml/preview/decision-form")
    assert "accept grant funding of £450,000.00 from Homeland Security Group" in html.unescape(text)
    assert "<table" in text


def test_part_2_is_only_on_its_own_pages(client: FlaskClient) -> None:
    secret = "Quality 55.8 of 70"
    name = "pcd-1760-shared-endeavour-fund.yaml"
    for url in (f"/d/{name}", f"/d/{name}/preview/decision-form", f"/d/{name}/task/form-publication", "/"):
        assert secret not in page(client, url), url
    assert secret in page(client, f"/d/{name}/preview/part-2")
    assert "Part 2: confidential, never published" in page(client, f"/d/{name}/preview/part-2")
    pack = client.get(f"/d/{name}/download/pack.zip")
    assert zipfile.ZipFile(io.BytesIO(pack.data)).namelist() == ["pcd-1760-shared-endeavour-fund-decision-form.docx"]


def test_pdf_downloads_come_from_one_libreoffice_kept_running(app: Flask, client: FlaskClient) -> None:
    """Each PDF is converted by the LibreOffice the server keeps: the second is not a start of its own."""
    need_libreoffice()
    office = app.extensions["grantdocs.office"]
    try:
        for slug, text in (("decision-form", "PCD 1284"), ("grant-agreement", "GRANT FUNDING AGREEMENT")):
            response = client.get(f"/d/pcd-1284.yaml/download/{slug}.pdf")
            assert response.status_code == 200 and response.mimetype == "application/pdf"
            assert response.headers["Content-Disposition"] == f"attachment; filename=pcd-1284-{slug}.pdf"
            assert text in PdfReader(io.BytesIO(response.data)).pages[0].extract_text()
        assert office.running and office.starts == 1
    finally:
        office.close()


def test_cost_tables_are_computed_on_their_page(client: FlaskClient) -> None:
    """Totals as the document prints them, from the same code: the ROCU table's grand total row
    on the page is the row in the report's .docx."""
    text = html.unescape(page(client, "/d/ocs-grant-2023-24.yaml/task/report-costs"))
    assert "The tables as they will print" in text
    label = "GRAND TOTAL EXPENDITURE AGAINST £1.000m"
    row = re.search(rf"{re.escape(label)}</th>(.*?)</tr>", text, re.S)
    assert row is not None
    shown = [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", row.group(1), re.S)]
    report = Document(io.BytesIO(client.get("/d/ocs-grant-2023-24.yaml/download/supporting-report.docx").data))
    printed = next([c.text for c in r.cells] for t in report.tables for r in t.rows if r.cells[0].text == label)
    assert shown == printed[1:] and shown[-1] == "2.851"


def test_cost_tables_from_what_is_typed_before_it_is_saved(client: FlaskClient, folder: Path) -> None:
    url = "/d/ocs-grant-2023-24.yaml/task/report-costs"
    form = form_of(page(client, url))
    before = (folder / "ocs-grant-2023-24.yaml").read_bytes()
    role = "f-report-costs-staffing-0-groups-0-roles-0-fte"
    assert form[role] == "2"
    text = html.unescape(client.post(url + "/tables", data={**form, role: "3"}).get_data(as_text=True))
    assert "GRAND TOTAL EXPENDITURE AGAINST £0.220m" in text and "<html" not in text, "a fragment, with the totals of 3 FTE"
    assert "0.199" in text and "0.314" in text, "3 × £66,230 = £198,690, and £313,590 in all"
    assert (folder / "ocs-grant-2023-24.yaml").read_bytes() == before, "nothing saved"


# --------------------------------------------------------------------------- secure by default


def test_security_headers(client: FlaskClient) -> None:
    response = client.get("/")
    policy = response.headers["Content-Security-Policy"]
    assert "default-src 'none'" in policy and "script-src 'self' 'nonce-" in policy and "http" not in policy
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "no-referrer"
    nonce = re.search(r"'nonce-([^']+)'", policy)
    assert nonce is not None and f'nonce="{nonce.group(1)}"' in response.get_data(as_text=True)


def test_other_hosts_are_refused(client: FlaskClient) -> None:
    assert client.get("/", headers={"Host": "attacker.example"}).status_code == 400
    assert client.get("/", headers={"Host": "localhost:8000"}).status_code == 200


def test_a_form_without_its_token_is_refused(folder: Path) -> None:
    client = create_app(folder).test_client()
    before = (folder / "pcd-1284.yaml").read_bytes()
    response = client.post("/d/pcd-1284.yaml/task/details", data={"action": "save", "f-title": "Forged"})
    assert response.status_code == 400 and "The page had expired" in response.get_data(as_text=True)
    assert (folder / "pcd-1284.yaml").read_bytes() == before
    text = page(client, "/d/pcd-1284.yaml/task/details")
    assert re.search(r'name="csrf_token" value="[^"]+"', text)
    cookie = client.get_cookie("session")
    assert cookie is not None and cookie.http_only and cookie.same_site == "Strict"


@pytest.mark.parametrize(
    "url", ["/d/../pyproject.toml", "/d/%2e%2e/pyproject.toml", "/d/nothing.yaml", "/d/pcd-1284.yaml/task/nothing", "/d//etc/passwd"]
)
def test_no_path_from_a_request_reaches_the_file_system(client: FlaskClient, url: str) -> None:
    assert client.get(url, follow_redirects=True).status_code == 404


def test_a_request_larger_than_an_input_is_refused(client: FlaskClient) -> None:
    response = client.post("/d/pcd-1284.yaml/task/details", data={"f-title": "x" * 3_000_000, "action": "save"})
    assert response.status_code == 413


def test_cannot_be_read_is_shown_read_only(client: FlaskClient, folder: Path) -> None:
    (folder / "broken.yaml").write_text("reference: [unclosed\n", encoding="utf-8")
    text = page(client, "/d/broken.yaml")
    assert "read-only" in text and "problem" in text
    assert client.post("/d/broken.yaml/task/details", data={"action": "save"}).status_code == 409


def test_a_decision_using_every_structure_option_is_edited_like_any_other(client: FlaskClient, folder: Path) -> None:
    """Opening paragraphs, restarts, subheadings, a PART I table with money, date styles: every
    page renders, holds what the input says (none read-only) and saves back unchanged."""
    name = "structure.yaml"
    shutil.copy(FIXTURES / "inputs" / name, folder / name)
    before = (folder / name).read_bytes()
    slugs = re.findall(rf'href="/d/{re.escape(name)}/task/([a-z0-9-]+)"', page(client, f"/d/{name}"))
    assert slugs
    for slug in slugs:
        text = page(client, f"/d/{name}/task/{slug}")
        assert editable(text), f"{slug} is read-only"
        response = client.post(f"/d/{name}/task/{slug}", data={**form_of(text), "action": "save"})
        assert response.status_code in (200, 302)
        assert (folder / name).read_bytes() == before, f"saving {slug} unchanged rewrote the file"


def test_a_document_is_known_by_its_kind_not_its_name(client: FlaskClient, folder: Path) -> None:
    """A recipient keyed `part-2` gets an agreement named …-grant-agreement-part-2.docx: published
    like any agreement (listed, previewed, zipped), never taken for the decision's Part 2."""
    name = "pcd-421-lcpf.yaml"
    text = re.sub(r"(key: |money: |, )barnet\b", r"\1part-2", (folder / name).read_text(encoding="utf-8"))
    (folder / name).write_text(text, encoding="utf-8")
    text = page(client, f"/d/{name}")
    assert 'href="/d/pcd-421-lcpf.yaml/preview/grant-agreement-part-2"' in text
    assert "Preview Part 2" not in text, "this decision has no Part 2"
    assert "pcd-421-lcpf-grant-agreement-part-2.docx" in page(client, f"/d/{name}/preview/grant-agreement-part-2")
    names = zipfile.ZipFile(io.BytesIO(client.get(f"/d/{name}/download/pack.zip").data)).namelist()
    assert "pcd-421-lcpf-grant-agreement-part-2.docx" in names
    assert client.get(f"/d/{name}/preview/part-2").status_code == 404
