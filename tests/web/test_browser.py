"""The web app in a real browser: Debian's Chromium driven by Playwright, with axe-core checking
every page it reaches against WCAG 2.2 AA. Needs /usr/bin/chromium (.ci/run installs it): skipped
without it on a developer's machine, failed without it in CI."""

from __future__ import annotations

import io
import os
import shutil
import threading
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from docx import Document
from werkzeug.serving import make_server

from generator.build.register import COLUMNS, read_register
from generator.build.register_files import write_register
from generator.inputs.load import read_decision
from generator.web.app import create_app
from tests.conftest import EXAMPLES

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]

if not Path(CHROMIUM).exists():
    if os.environ.get("CI"):
        raise RuntimeError("the browser tests need Chromium: .ci/run installs the chromium package")
    pytest.skip("no Chromium here (apt-get install chromium)", allow_module_level=True)

from axe_playwright_python.sync_playwright import Axe  # noqa: E402
from playwright.sync_api import Page, expect, sync_playwright  # noqa: E402


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    folder = tmp_path_factory.mktemp("web") / "inputs"
    shutil.copytree(EXAMPLES, folder)
    httpd = make_server("127.0.0.1", 0, create_app(folder), threaded=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}", folder
    httpd.shutdown()


@pytest.fixture(scope="module")
def browser_page() -> Iterator[Page]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        context = browser.new_context(accept_downloads=True)
        yield context.new_page()
        browser.close()


def accessible(page: Page) -> None:
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG}})
    violations = [f"{v['id']}: {v['help']} ({len(v['nodes'])})" for v in results.response["violations"]]
    assert violations == [], f"{page.url}: {violations}"


def table_of(page: Page) -> dict[str, dict[str, str]]:
    """The page's first table as a reader meets it: each row, named by the first line of its first
    cell (the reference), as its cells by their column headers."""
    rows: dict[str, dict[str, str]] = page.evaluate(
        """() => {
          const table = document.querySelector('table');
          const headers = [...table.querySelectorAll('thead th')].map(th => th.innerText.trim());
          const rows = {};
          for (const tr of table.querySelectorAll('tbody tr')) {
            const cells = [...tr.children].map(cell => cell.innerText.trim());
            rows[cells[0].split('\\n')[0]] = Object.fromEntries(headers.map((h, i) => [h, cells[i]]));
          }
          return rows;
        }"""
    )
    return rows


def test_the_decisions_page_shows_each_decision_s_status_dates_and_money(server: tuple[str, Path], browser_page: Page) -> None:
    """The columns the decision register has, worked out by the same code (grantdocs register)."""
    browser_page.goto(server[0] + "/")
    rows = table_of(browser_page)
    shown = ("Status", "Officer approval", "DMPC signature", "Publication", "Part 2", "Money in", "Money out")
    assert tuple(rows["PCD 1284"][h] for h in shown) == (
        "Signed, awaiting publication",
        "26/10/2022",
        "03/11/2022",
        "–",
        "No",
        "£450,000.00",
        "–",
    )
    assert tuple(rows["PCD 1760"][h] for h in shown) == ("Draft", "–", "–", "–", "Yes, review 31/05/2028", "£935,000.00", "£930,117.00")
    assert (rows["PCD 421"]["Money in"], rows["PCD 421"]["Money out"]) == ("£26,210,370.00", "£26,210,370.00")
    assert rows["PCD 421"]["Documents"].splitlines()[-1] == "pcd-421-lcpf-grant-agreement-croydon.docx"
    accessible(browser_page)


def test_the_register_page_meets_wcag_2_2_aa(browser_page: Page, tmp_path: Path) -> None:
    """register.html as grantdocs register writes it, an invalid input among the examples, opened from the disk."""
    inputs = tmp_path / "inputs"
    shutil.copytree(EXAMPLES, inputs)
    (inputs / "broken.yaml").write_text("reference: PCD 1399\ntitle: [unclosed\n", encoding="utf-8")
    write_register(read_register(inputs), out_dir=tmp_path / "out", made=date(2023, 2, 1))
    page = browser_page
    page.goto((tmp_path / "out" / "register.html").as_uri())
    expect(page).to_have_title("Decision register")
    table = page.get_by_role("table", name="6 decision inputs, 1 invalid")
    expect(table.get_by_role("columnheader")).to_have_count(len(COLUMNS))
    expect(table.get_by_role("rowheader", name="PCD 1284")).to_be_visible()
    rows = table_of(page)
    assert (rows["PCD 1284"]["DMPC signature"], rows["PCD 1284"]["Money in (£)"]) == ("03/11/2022", "£450,000.00")
    assert (rows["broken.yaml"]["Status"], rows["broken.yaml"]["Problems"]) == ("Invalid", "1")
    page.keyboard.press("Tab")  # the table scrolls sideways on a narrow window: by keyboard too
    assert page.evaluate("document.activeElement.getAttribute('aria-labelledby')") == "register-caption"
    accessible(page)


def test_an_officer_writes_checks_fixes_and_downloads_a_decision(server: tuple[str, Path], browser_page: Page) -> None:
    base, folder = server
    page = browser_page
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)

    page.goto(base + "/")
    expect(page.get_by_role("heading", name="Decisions")).to_be_visible()
    accessible(page)

    # Start a new decision, by keyboard alone.
    page.keyboard.press("Tab")  # the skip link
    page.get_by_role("button", name="Start a new decision").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Start a new decision")).to_be_visible()
    page.get_by_role("button", name="Start").click()
    expect(page.get_by_role("alert").get_by_text("There is a problem")).to_be_visible()
    accessible(page)
    page.get_by_label("Reference").fill("PCD 1310")
    page.get_by_label("Title").fill("Youth diversion grant")
    page.get_by_role("button", name="Start").click()
    expect(page.get_by_role("heading", name="PCD 1310: Youth diversion grant")).to_be_visible()
    accessible(page)

    # Executive summary: add a paragraph, save.
    page.get_by_role("link", name="Executive summary").click()
    page.get_by_role("button", name="Add to Executive summary").click()
    page.get_by_label("Text").fill("This paper seeks approval to accept £30,000 of grant.")
    accessible(page)
    page.get_by_role("button", name="Save and check").click()
    expect(page.get_by_text("Saved, and checked")).to_be_visible()

    # Part I and the drafting officer: the form's other required parts, so that its checks run.
    page.get_by_role("link", name="Part I facts and advice").click()
    page.get_by_role("button", name="Add to Part I").click()
    page.get_by_label("Key").select_option("introduction")
    page.get_by_role("button", name="Add to Paragraphs").click()
    page.get_by_label("Text", exact=True).fill("The Youth Endowment Fund has offered a grant.")
    page.get_by_role("button", name="Save and check").click()
    page.get_by_role("link", name="Originating officer declarations").click()
    page.get_by_label("Drafting officer").fill("A N Officer")
    page.get_by_role("button", name="Save and check").click()
    # A recommendation whose sum disagrees with its text: the error summary links to the field.
    page.get_by_role("link", name="Recommendations").click()
    page.get_by_role("button", name="Add to Recommendations").click()
    page.get_by_label("Text", exact=True).fill("accept grant funding of £30,000.00 from the Youth Endowment Fund.")
    page.get_by_label("Amount").fill("35000")
    page.get_by_role("button", name="Save and check").click()
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("names £30,000.00 but the amount is £35,000.00")
    accessible(page)
    summary.get_by_role("link").first.click()
    page.get_by_label("Amount").fill("30000.00")
    page.get_by_role("button", name="Save and check").click()
    expect(page.get_by_text("Saved, and checked")).to_be_visible()

    expect(page.get_by_text("Every check passes")).to_be_visible()

    page.get_by_role("link", name="Preview pcd-1310-decision-form.docx").click()
    expect(page.locator(".grantdocs-preview")).to_contain_text("accept grant funding of £30,000.00 from the Youth Endowment Fund.")
    accessible(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download pcd-1310-decision-form.docx").click()
    text = "\n".join(p.text for p in Document(io.BytesIO(Path(download.value.path()).read_bytes())).paragraphs)
    assert "accept grant funding of £30,000.00 from the Youth Endowment Fund." in text
    assert errors == [], "no console errors (a refused resource would show here)"
    assert (folder / "pcd-1310.yaml").is_file()


@pytest.mark.parametrize(
    "path",
    [
        "/d/pcd-421-lcpf.yaml",
        "/d/pcd-421-lcpf.yaml/task/money",
        "/d/pcd-1284.yaml/task/form-approvals",
        "/d/pcd-1284.yaml/task/report-grant",
        "/d/pcd-1760-shared-endeavour-fund.yaml/preview/part-2",
        "/d/ocs-grant-2023-24.yaml/task/report-costs",
        "/d/ocs-grant-2023-24.yaml/task/report-sections",
    ],
)
def test_pages_meet_wcag_2_2_aa(server: tuple[str, Path], browser_page: Page, path: str) -> None:
    browser_page.goto(server[0] + path)
    accessible(browser_page)


def test_pages_are_set_in_arial_not_the_gov_uk_font(server: tuple[str, Path], browser_page: Page) -> None:
    """MOPAC is not a GOV.UK service: no element asks for GDS Transport, even where it is installed."""
    browser_page.goto(server[0] + "/d/pcd-1284.yaml/task/form-approvals")
    families = browser_page.evaluate("[...document.querySelectorAll('body *')].map(e => getComputedStyle(e).fontFamily)")
    assert families and not [f for f in families if "GDS Transport" in f]
    assert browser_page.evaluate("getComputedStyle(document.querySelector('h1')).fontFamily") == "arial, sans-serif"
    browser_page.goto(server[0] + "/d/pcd-1284.yaml/preview/decision-form")
    assert browser_page.evaluate("getComputedStyle(document.querySelector('.grantdocs-preview p')).fontFamily") == "arial, sans-serif", (
        "a document's preview too"
    )


def test_a_grant_acceptance_with_a_staffing_table_and_five_kinds_of_error(server: tuple[str, Path], browser_page: Page) -> None:
    """Every part of a realistic form, each kind of slip an officer makes met and fixed on the way:
    a missing answer, a date that does not exist, approvals in the wrong order, a sum with a
    fraction of a penny, a role costed at no FTE, and a sum that disagrees with its text."""
    base, folder = server
    page = browser_page
    page.goto(base + "/new")
    page.get_by_label("Reference").fill("PCD 1311")
    page.get_by_label("Title").fill("Youth diversion workers")
    page.get_by_role("button", name="Start").click()

    def task(name: str) -> None:
        page.get_by_role("link", name=name, exact=True).click()
        expect(page.get_by_role("heading", level=1)).to_have_text(name)

    def save() -> None:
        page.get_by_role("button", name="Save and check").click()

    def problem(text: str) -> None:
        expect(page.get_by_role("alert")).to_contain_text(text)
        accessible(page)

    def saved() -> None:
        expect(page.get_by_text("Saved, and checked")).to_be_visible()

    task("Decision details")
    page.get_by_label("Title").fill("")
    save()
    problem("Title: required field is missing")  # 1: a missing answer
    page.get_by_label("Title").fill("Youth diversion workers")
    page.get_by_label("Author").fill("MOPAC Criminal Justice and Commissioning")
    save()
    saved()

    task("Executive summary")
    page.get_by_role("button", name="Add to Executive summary").click()
    page.get_by_label("Text").fill("This paper seeks approval to accept £30,000 of grant for a youth diversion worker in 2024/25.")
    save()
    saved()

    task("Part I facts and advice")
    page.get_by_role("button", name="Add to Part I").click()
    page.get_by_label("Key").select_option("introduction")
    page.get_by_role("button", name="Add to Paragraphs").click()
    page.get_by_label("Text", exact=True).fill("The Youth Endowment Fund has offered a grant for one youth diversion worker.")
    save()
    saved()

    task("Recommendations")
    page.get_by_role("button", name="Add to Recommendations").click()
    page.get_by_label("Text", exact=True).fill("accept grant funding of £30,000.00 from the Youth Endowment Fund in 2024/25.")
    page.get_by_label("Amount").fill("30000.005")
    save()
    problem("fractions of a penny")  # 2: a sum held to less than a penny
    page.get_by_label("Amount").fill("35000")
    save()
    problem("names £30,000.00 but the amount is £35,000.00")  # 3: a sum that disagrees with its text
    page.get_by_label("Amount").fill("30000.00")
    save()
    saved()

    task("DMPC and officer approval")
    officer = page.get_by_role("group", name="Date").first
    officer.get_by_label("Day").fill("30")
    officer.get_by_label("Month").fill("2")
    officer.get_by_label("Year").fill("2024")
    save()
    problem("Officer approval, Date: not a date")  # 4: a date that does not exist
    officer = page.get_by_role("group", name="Date").first
    officer.get_by_label("Day").fill("12")
    officer.get_by_label("Month").fill("3")
    dmpc = page.get_by_role("group", name="Date").nth(1)
    dmpc.get_by_label("Day").fill("5")
    dmpc.get_by_label("Month").fill("3")
    dmpc.get_by_label("Year").fill("2024")
    save()
    problem("the officer must approve before the DMPC")  # 5: approvals in the wrong order
    page.get_by_role("group", name="Date").first.get_by_label("Day").fill("1")
    # Not signed yet: a signed decision would need every declaration confirmed first.
    for label in ("Day", "Month", "Year"):
        page.get_by_role("group", name="Date").nth(1).get_by_label(label).fill("")
    save()
    saved()

    task("Background papers and appendices")
    page.get_by_role("button", name="Add to Staffing").click()
    page.get_by_label("Title", exact=True).fill("Youth diversion")
    page.get_by_label("Grant", exact=True).fill("30000")
    page.get_by_label("Unit").select_option("£")
    page.get_by_role("button", name="Add to Groups").click()
    page.get_by_role("button", name="Add to Roles").click()
    page.get_by_label("Role", exact=True).fill("Youth diversion worker")
    page.get_by_label("Annual cost").fill("30000")
    page.get_by_label("FTE", exact=True).fill("0")
    save()
    problem("a role needs an FTE above 0")  # 6: a role costed at no FTE
    page.get_by_label("FTE", exact=True).fill("1")
    save()
    saved()
    task("Background papers and appendices")
    expect(page.get_by_role("table").first).to_contain_text("GRAND TOTAL EXPENDITURE AGAINST £30,000.00")
    accessible(page)
    page.get_by_label("FTE", exact=True).fill("1.5")  # not saved: the server computes the table as it is typed
    expect(page.get_by_role("table").first).to_contain_text("45,000.00")
    page.get_by_label("FTE", exact=True).fill("1")
    expect(page.get_by_role("table").first).not_to_contain_text("45,000.00")
    page.get_by_role("link", name="Back to the task list").click()

    task("Originating officer declarations")
    page.get_by_label("Drafting officer").fill("A N Officer")
    # A new decision lists the standard rows, none confirmed: each is confirmed here.
    confirmed = page.get_by_role("group", name="Confirmed", exact=True)
    assert confirmed.count() == 7
    for i in range(7):
        expect(confirmed.nth(i).get_by_label("No")).to_be_checked()
        confirmed.nth(i).get_by_label("Yes").check()
    save()
    expect(page.get_by_text("Every check passes")).to_be_visible()
    page.get_by_role("link", name="Preview pcd-1311-decision-form.docx").click()
    expect(page.locator(".grantdocs-preview")).to_contain_text("Youth diversion worker")
    accessible(page)
    assert read_decision(folder / "pcd-1311.yaml").warnings == [], "what the app wrote validates on the command line too"
    page.goto(base + "/")
    row = table_of(page)["PCD 1311"]
    assert (row["Status"], row["Officer approval"], row["DMPC signature"]) == (
        "Approved by the officer, awaiting signature",
        "01/03/2024",
        "–",  # not signed yet
    )


def test_the_happy_path_by_keyboard_alone(server: tuple[str, Path], browser_page: Page) -> None:
    """No mouse: Tab to each control (by what a screen reader would announce), type, Enter or
    Space to press, arrow keys to choose."""
    base, folder = server
    page = browser_page
    page.goto(base + "/")

    def press(key: str) -> None:
        """A key that submits a form or follows a link: wait for the page it leads to."""
        with page.expect_navigation():
            page.keyboard.press(key)

    def tab_to(name: str) -> None:
        page.wait_for_load_state("load")
        for _ in range(200):
            page.keyboard.press("Tab")
            focused = page.evaluate(
                """() => { const e = document.activeElement; if (!e) return '';
                   const label = e.labels && e.labels.length ? e.labels[0].innerText : '';
                   return (e.getAttribute('aria-label') || label || e.innerText || e.value || '').trim(); }"""
            )
            if focused == name:
                return
        raise AssertionError(f"no control named {name!r} reached by Tab on {page.url}")

    tab_to("Start a new decision")
    press("Enter")
    tab_to("Reference")
    page.keyboard.type("PCD 1312")
    tab_to("Title")
    page.keyboard.type("Knife crime education grant")
    tab_to("Start")
    press("Enter")
    expect(page.get_by_role("heading", name="PCD 1312: Knife crime education grant")).to_be_visible()

    tab_to("Executive summary")
    press("Enter")
    tab_to("Add to Executive summary")
    press("Enter")
    tab_to("Text")
    page.keyboard.type("This paper seeks approval to accept £12,000 of grant.")
    tab_to("Save and check")
    press("Enter")
    expect(page.get_by_text("Saved, and checked")).to_be_visible()

    tab_to("Part I facts and advice")
    press("Enter")
    tab_to("Add to Part I")
    press("Enter")
    tab_to("Key")
    page.keyboard.press("ArrowDown")  # from "Not given" to the first standard section
    tab_to("Add to Paragraphs")
    press("Enter")
    tab_to("Text")
    page.keyboard.type("The Home Office has offered a grant for school workshops.")
    tab_to("Save and check")
    press("Enter")
    expect(page.get_by_text("Saved, and checked")).to_be_visible()

    tab_to("Recommendations")
    press("Enter")
    tab_to("Add to Recommendations")
    press("Enter")
    tab_to("Text")
    page.keyboard.type("accept grant funding of £12,000.00 from the Home Office.")
    tab_to("Amount")
    page.keyboard.type("12000.00")
    tab_to("Save and check")
    press("Enter")
    expect(page.get_by_text("Saved, and checked")).to_be_visible()

    tab_to("Originating officer declarations")
    press("Enter")
    tab_to("Drafting officer")
    page.keyboard.type("A N Officer")
    tab_to("Save and check")
    press("Enter")
    expect(page.get_by_text("Every check passes")).to_be_visible()

    tab_to("Preview pcd-1312-decision-form.docx")
    press("Enter")
    expect(page.locator(".grantdocs-preview")).to_contain_text("accept grant funding of £12,000.00 from the Home Office.")
    assert read_decision(folder / "pcd-1312.yaml").decision.decision_form is not None
