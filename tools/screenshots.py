"""Take the README's screenshots of the web app (docs/screenshots/*.png) in Debian's Chromium.

    .venv/bin/python tools/screenshots.py

Serves a copy of inputs/examples/ on a free local port, then photographs the task list of a
decision, an error summary (a recommendation whose sum disagrees with its text) and a preview.
"""

from __future__ import annotations

import shutil
import tempfile
import threading
from pathlib import Path

from playwright.sync_api import sync_playwright
from werkzeug.serving import make_server

from generator.web.app import create_app

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "screenshots"


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "inputs"
        shutil.copytree(ROOT / "inputs" / "examples", folder)
        httpd = make_server("127.0.0.1", 0, create_app(folder), threaded=True)
        threading.Thread(target=httpd.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{httpd.server_port}"
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=shutil.which("chromium") or "/usr/bin/chromium", args=["--no-sandbox"])
            page = browser.new_page(viewport={"width": 1100, "height": 900})
            page.goto(f"{base}/d/pcd-421-lcpf.yaml")
            page.screenshot(path=str(OUT / "task-list.png"))
            page.goto(f"{base}/d/pcd-1284.yaml/task/form-recommendations")
            page.get_by_label("Amount").first.fill("460000.00")
            page.get_by_role("button", name="Save and check").click()
            page.screenshot(path=str(OUT / "error-summary.png"))
            page.goto(f"{base}/d/pcd-1760-shared-endeavour-fund.yaml/preview/decision-form")
            page.screenshot(path=str(OUT / "preview.png"))
            browser.close()
        httpd.shutdown()
    print(f"screenshots written to {OUT}")


if __name__ == "__main__":
    main()
