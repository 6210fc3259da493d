"""The app under concurrent sessions, measured in one run on a real server (loopback only).

For N in --sessions (default 1, 4, 16): N sessions open at once and each runs the app --reruns
times over Streamlit's websocket protocol (tests/st_client.py, a client light enough for 16 on
this machine); for N <= 4 as many real browser tabs also open the page at the same time.
Prints one figure per line: errors (exception elements, must be 0), first-run and rerun times
(p50, p95), browser page-open p50, and the server's resident memory before the sessions and
after they closed (the server forgets a closed session after --ttl seconds; must come back
within 10 %).

    python bench/app_load.py [--sessions 1,4,16] [--reruns 10]
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from tests.st_client import Session, start_app  # noqa: E402

FRAME = "iframe.cartohdf-map"  # the app's own map component (front/static/map.js)
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
]
QUERIES = ["", "zone=2203", "zone=3111&layers=s3,employers", "indicator=industrial_change", "zoning=ze2020&zone=3216",
           "lang=en", "indicator=specialisation&scheme=fisher_jenks", "layers=ti2018,ti2023,labels"]  # fmt: skip


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


async def sessions(url: str, n: int, reruns: int) -> list[Session]:
    opened = [await Session(url, QUERIES[i % len(QUERIES)]).open() for i in range(n)]

    async def work(s: Session) -> None:
        for _ in range(reruns):
            await s.run()

    await asyncio.gather(*(work(s) for s in opened))
    for s in opened:
        await s.close()
    return opened


def browser_opens(url: str, n: int) -> list[float]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=ARGS)
        pages = [browser.new_page(viewport={"width": 1400, "height": 900}) for _ in range(n)]
        start = time.perf_counter()
        for i, page in enumerate(pages):
            page.goto(f"{url}/?{QUERIES[i % len(QUERIES)]}", wait_until="commit")
        times = []
        for page in pages:
            page.frame_locator(FRAME).last.locator(".cartohdf-legend").wait_for(timeout=180_000)
            times.append(time.perf_counter() - start)
        errors = sum(page.locator("[data-testid='stException']").count() for page in pages)
        browser.close()
    if errors:
        raise SystemExit(f"{errors} exception(s) shown in the browser tabs")
    return times


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sessions", default="1,4,16")
    parser.add_argument("--reruns", type=int, default=10)
    parser.add_argument("--ttl", type=int, default=5)
    args = parser.parse_args()
    proc, url = start_app("--server.disconnectedSessionTTL", str(args.ttl))
    try:
        asyncio.run(sessions(url, 1, 2))  # warm: data loaded, caches filled
        time.sleep(args.ttl + 3)
        for n in (int(x) for x in args.sessions.split(",")):
            gc.collect()
            before = rss_mb(proc.pid)
            done = asyncio.run(sessions(url, n, args.reruns))
            opens = browser_opens(url, n) if n <= 4 else []
            time.sleep(args.ttl + 3)  # the server forgets the closed sessions
            after = rss_mb(proc.pid)
            first = [s.runs[0].seconds for s in done]
            again = [r.seconds for s in done for r in s.runs[1:]]
            errors = sum(r.exceptions for s in done for r in s.runs)
            print(f"n{n}_errors {errors}")
            print(f"n{n}_first_run_p50_s {statistics.median(first):.3f}")
            print(f"n{n}_rerun_p50_s {statistics.median(again):.3f}")
            print(f"n{n}_rerun_p95_s {pct(again, 0.95):.3f}")
            if opens:
                print(f"n{n}_browser_page_open_p50_s {statistics.median(opens):.2f}")
            print(f"n{n}_server_rss_before_mb {before:.0f}")
            print(f"n{n}_server_rss_after_mb {after:.0f}")
            print(f"n{n}_server_rss_after_over_before {after / before:.2f}")
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    return 0


if __name__ == "__main__":
    sys.exit(main())
