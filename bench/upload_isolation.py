"""Does one user's upload stall the others? Measured in one run on a real server and browser.

Session A uploads the worst file the bounds allow (an XLSX near the unzipped-size bound, every
cell numeric: the slowest to read); while the server reads it, session B opens the app again and
again. Prints one figure per line: B's page-open time on an idle server (median of --repeat),
the same while A's file is read, their ratio (target <= 1.5), and how A's upload ended.

    python bench/upload_isolation.py [--repeat 5]
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from openpyxl import Workbook
from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tests.st_client import start_app

FRAME = "iframe.cartohdf-map"  # the app's own map component (front/static/map.js)
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
]


def worst_xlsx(rows: int = 8_500, columns: int = 150) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(["code", *[f"v{i}" for i in range(columns - 1)]])
    for r in range(rows):
        sheet.append([f"{r:04d}", *[(r * 7 + c) % 1000 for c in range(columns - 1)]])
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def open_time(browser, url: str) -> float:
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    start = time.perf_counter()
    page.goto(url)
    frame = page.frame_locator(FRAME).last
    frame.locator("path.cartohdf-zone").first.wait_for(state="attached", timeout=120_000)
    frame.locator(".cartohdf-legend").wait_for(timeout=120_000)
    elapsed = time.perf_counter() - start
    context.close()
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    raw = worst_xlsx()
    proc, url = start_app()
    try:
        with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
            path = Path(tmp) / "pire.xlsx"
            path.write_bytes(raw)
            browser = p.chromium.launch(
                executable_path="/usr/bin/chromium", headless=True, args=ARGS
            )
            open_time(browser, url)  # warm: data loaded, caches filled
            idle = [open_time(browser, url) for _ in range(args.repeat)]
            uploader = browser.new_page()
            uploader.goto(url)
            uploader.frame_locator(FRAME).last.locator(".cartohdf-legend").wait_for(timeout=120_000)
            uploader.locator("input[type=file]").set_input_files(str(path))
            started = time.perf_counter()
            uploader.get_by_text("Votre indicateur").first.wait_for()
            # while A's file is being read: B opens the app, again and again
            loaded = [open_time(browser, url) for _ in range(args.repeat)]
            outcome = uploader.locator(
                "[data-testid='stAlertContentError'], [data-testid='stAlertContentSuccess']"
            )
            outcome.first.wait_for(timeout=180_000)
            upload_s = time.perf_counter() - started
            answer = outcome.first.inner_text()
            browser.close()
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    print(f"worst_upload_bytes {len(raw)}")
    print(f"idle_page_open_s {statistics.median(idle):.2f}")
    print(f"during_upload_page_open_s {statistics.median(loaded):.2f}")
    print(f"page_open_ratio {statistics.median(loaded) / statistics.median(idle):.2f}")
    print(f"upload_answered_s {upload_s:.1f}")
    print(f"upload_answer {answer[:140]!r}")
    return 0


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    sys.exit(main())
