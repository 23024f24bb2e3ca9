"""Web app benchmark (not a test): how instant `grantdocs serve` feels on the largest example.

    .venv/bin/python benchmarks/bench_web.py [--rounds 40]

Through the app itself (Flask's test client: the whole request, without a socket), on a copy of
the largest example (pcd-1284.yaml, form and report):
  - save and validate: a task page posted back with one value changed and then changed back
    (read, merge, atomic write, the whole input validated and checked), p50 and p95;
  - HTML preview of the decision pack (rendered, then converted by mammoth), p50 and p95;
  - PDF of the decision pack from the LibreOffice the server keeps running, p50, three seconds
    apart as an officer asks for them (skipped without LibreOffice).
Last line: save_p95_ms=A preview_p95_ms=B pdf_p50_ms=C. Targets: A <= 150, B <= 1000, C <= 3000.
"""

from __future__ import annotations

import argparse
import hashlib
import html
import re
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from generator.pdf import soffice
from generator.web.app import create_app

EXAMPLE = Path(__file__).resolve().parents[1] / "inputs" / "examples" / "pcd-1284.yaml"


def timed(rounds: int, action: Callable[[int], None]) -> list[float]:
    times = []
    for n in range(rounds):
        start = time.perf_counter()
        action(n)
        times.append((time.perf_counter() - start) * 1000)
    return times


def p95(times: list[float]) -> float:
    return sorted(times)[max(0, int(len(times) * 0.95) - 1)]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=40)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "inputs"
        folder.mkdir()
        shutil.copy(EXAMPLE, folder / EXAMPLE.name)
        app = create_app(folder)
        app.config["WTF_CSRF_ENABLED"] = False
        client = app.test_client()
        url = f"/d/{EXAMPLE.name}/task/form-recommendations"
        page = client.get(url).get_data(as_text=True)
        form = {n: html.unescape(v) for n, v in re.findall(r'<input[^>]*name="([^"]*)"[^>]*value="([^"]*)"', page)}
        form |= {
            n: html.unescape(v).removeprefix("\n") for n, v in re.findall(r'<textarea[^>]*name="([^"]*)"[^>]*>(.*?)</textarea>', page, re.S)
        }
        text_field = "f-decision_form-recommendations-0-text"
        original = form[text_field]

        def save(n: int) -> None:
            sha = hashlib.sha256((folder / EXAMPLE.name).read_bytes()).hexdigest()
            value = original if n % 2 else original.replace("in 2022/23", "during 2022/23")
            response = client.post(url, data={**form, text_field: value, "sha256": sha, "action": "save"})
            assert response.status_code in (200, 302), response.status_code

        saves = timed(args.rounds, save)
        previews = timed(max(5, args.rounds // 4), lambda _: client.get(f"/d/{EXAMPLE.name}/preview/decision-pack"))
        pdfs: list[float] = []
        if soffice():
            app.extensions["grantdocs.office"].start()  # as grantdocs serve does at start
            client.get(f"/d/{EXAMPLE.name}/download/decision-pack.pdf")  # the first waits for the start

            def pdf(_: int) -> None:
                time.sleep(3)  # an officer reads between two PDFs
                start = time.perf_counter()
                client.get(f"/d/{EXAMPLE.name}/download/decision-pack.pdf")
                pdfs.append((time.perf_counter() - start) * 1000)

            for n in range(5):
                pdf(n)
    print(f"save and validate: p50 {statistics.median(saves):.0f} ms, p95 {p95(saves):.0f} ms ({len(saves)} rounds)")
    print(f"HTML preview of the pack: p50 {statistics.median(previews):.0f} ms, p95 {p95(previews):.0f} ms")
    print(f"PDF of the pack: p50 {statistics.median(pdfs):.0f} ms" if pdfs else "PDF: no LibreOffice here")
    pdf = f"{statistics.median(pdfs):.0f}" if pdfs else "n/a"
    print(f"save_p95_ms={p95(saves):.0f} preview_p95_ms={p95(previews):.0f} pdf_p50_ms={pdf}")


if __name__ == "__main__":
    main()
