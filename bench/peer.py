"""cartohdf's app beside its conventional peer (bench/peer_app.py: streamlit + streamlit-folium
on the same data), measured the same way in the same run, interleaved app by app.

Both apps run under `streamlit run` (headless, loopback, no file watcher); Playwright drives
Debian's Chromium headless. For --repeat rounds, each app in turn (the order alternates):

- open: a new page (the browser's cache warm), from navigation start to the first zone shape
  drawn on the Leaflet map (page clock); its websocket bytes until the server is done, and
  the JS heap then (after a garbage collection);
- click: a click on a zone (Abbeville, then Amiens) to its profile's heading in the page: on
  the page's clock (click event -> MutationObserver seeing the heading), and on Playwright's
  (until its locator finds the heading); websocket bytes until the server is done;
- tick: tick the « 6. Énergie » layer (cartohdf: its layer panel; peer: Leaflet's layer
  control, in the browser) to its markers in the map (page clock, and Playwright's);
- cold: a new server process and a new browser context, from the launch of the process to
  the first zone shape drawn (both apps' warm servers still running).

Then --cold rounds of cold starts alone (each app in turn, no other server running): the same
measure, without the other servers' share of the two cores.

Then, for each N in --sessions: N pages (one browser context each) open the app, and click a
zone at the same moment; p50 and p95 of click -> heading on the page clock, over --rounds.
Sixteen Chromium pages fit in memory here, but share the machine's cores with the server:
the figures at N = 16 are those of one machine serving and browsing at once.

Prints a Markdown table (measure | cartohdf | peer | ratio, medians), and with --json writes
every sample. A bench, not a test (not in CI):

    PYTHONPATH=src python bench/peer.py [--repeat 12] [--sessions 1,4,8,16] [--cold 8] [--json out.json]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _browser import (
    MARKER,
    PROBE,
    ROOT,
    Traffic,
    heap_mb,
    launch,
    map_frame,
    screen_point,
    settled,
    start_server,
    stop_server,
)

VIEWPORT = {"width": 1600, "height": 1150}
ZONES = ("Abbeville", "Amiens")  # clicked in turn
LAYER = "6. Énergie"  # the layer ticked


@dataclass(frozen=True)
class App:
    """How one app is opened and probed: every selector of the bench is here.

    The map is found as the frame holding `.leaflet-container` with a `path.leaflet-interactive`
    (any frame: a component's iframe, a `srcdoc` iframe); a zone is clicked where Leaflet
    puts its inside point (`latLngToContainerPoint` of the frame's global `L.Map`, as folium's
    `map_<id>` is); markers are `.leaflet-marker-icon`s in the marker pane (bench/_browser.py).
    The heading is looked for in the page's own document (not in a frame or shadow root)."""

    name: str
    script: str  # run by `streamlit run`, from the project's folder
    query: str  # the view opened: the région, no layer shown
    heading: str  # the clicked zone's profile heading (its text starts with « name (code) »)
    layers_in_map: bool  # the layer boxes are in the map's frame (Leaflet's control)
    layers_open: str  # what reveals the layer boxes: clicked (in the page) or hovered (map)


CARTOHDF = App("cartohdf", "streamlit_app.py", "?layers=none", ".cartohdf-side-title", False,
               "summary:has-text('Couches de la carte')")  # fmt: skip
PEER = App("peer", "bench/peer_app.py", "", "h3", True, ".leaflet-control-layers")
APPS = (CARTOHDF, PEER)


def zone_points() -> dict[str, tuple[float, float]]:
    """Each clicked zone's inside point (lat, lng), from cartohdf's data."""
    from cartohdf.data import load_dataset
    from cartohdf.render import label_points

    zones = load_dataset().zones["ze2010"]
    points = label_points(zones)
    names = dict(zip(zones["name"], zones["code"], strict=True))
    return {name: points[names[name]] for name in ZONES}


async def open_page(browser: Any, context: Any, url: str, app: App) -> tuple[Any, Traffic, float]:
    """A new page of `app`; (page, its traffic, seconds from navigation start to map drawn)."""
    page = await context.new_page()
    traffic = Traffic()
    traffic.attach(page)
    await page.goto(url + "/" + app.query, wait_until="commit")
    frame = await map_frame(page)
    drawn, by = await frame.evaluate("() => [window.__probe.drawn, window.__probe.drawnBy]")
    if by != "observer":  # the time is then a frame late ('frame') or a poll late ('late')
        print(f"# {app.name}: map drawn seen by {by}", file=sys.stderr)
    start = await page.evaluate("() => performance.timeOrigin")
    return page, traffic, (drawn - start) / 1000


async def new_context(browser: Any) -> Any:
    context = await browser.new_context(viewport=VIEWPORT)
    await context.add_init_script(PROBE)
    return context


async def click_zone(page: Any, app: App, traffic: Traffic, name: str,
                     point: tuple[float, float]) -> dict[str, float]:  # fmt: skip
    """Click `name` on the map; page-clock and Playwright times to its profile heading, and
    the websocket bytes of the click (until the server is done)."""
    frame = await map_frame(page)
    x, y = await screen_point(page, frame, *point)
    if not await page.evaluate("([s, t]) => window.__probe.watch('heading', s, t)",
                               [app.heading, f"{name} ("]):  # fmt: skip
        raise RuntimeError(f"{app.name}: {name}'s heading shown before the click")
    await frame.evaluate("() => window.__probe.arm()")
    received, sent = traffic.snapshot()
    since = time.monotonic()
    await page.mouse.click(x, y)
    await page.locator(app.heading, has_text=f"{name} (").first.wait_for(timeout=120_000)
    wall = time.monotonic() - since
    seen = await page.wait_for_function("() => window.__probe.seen.heading", timeout=120_000)
    clicked = await frame.evaluate("() => window.__probe.click")
    await settled(page, traffic, since)
    return {
        "click_s": (await seen.json_value() - clicked) / 1000,
        "click_wall_s": wall,
        "click_synced_s": traffic.last_finished - since if traffic.last_finished > since else wall,
        "click_ws_received_kb": (traffic.received - received) / 1000,
        "click_ws_sent_kb": (traffic.sent - sent) / 1000,
    }


async def tick_layer(page: Any, app: App, traffic: Traffic) -> dict[str, float]:
    """Tick LAYER; page-clock and Playwright times to its markers on the map."""
    frame = await map_frame(page)
    where = frame if app.layers_in_map else page
    label = where.get_by_text(LAYER, exact=False).first
    if not await label.is_visible():  # reveal the boxes (not timed)
        reveal = where.locator(app.layers_open).first
        await (reveal.hover() if app.layers_in_map else reveal.click())
        await label.wait_for()
    before = await frame.evaluate("(s) => window.__probe.count(s)", MARKER)
    if not await frame.evaluate("([s, n]) => window.__probe.watch('markers', s, '', n)",
                                [MARKER, before + 1]):  # fmt: skip
        raise RuntimeError(f"{app.name}: markers before the tick")
    owner = frame if app.layers_in_map else page.main_frame
    await owner.evaluate("() => window.__probe.arm()")
    received, sent = traffic.snapshot()
    since = time.monotonic()
    await label.click()
    await frame.wait_for_function("([s, n]) => window.__probe.count(s) >= n",
                                  arg=[MARKER, before + 1], timeout=120_000)  # fmt: skip
    wall = time.monotonic() - since
    seen = await frame.wait_for_function("() => window.__probe.seen.markers", timeout=120_000)
    clicked = await owner.evaluate("() => window.__probe.click")
    await settled(page, traffic, since)
    return {
        "tick_s": (await seen.json_value() - clicked) / 1000,
        "tick_wall_s": wall,
        "tick_ws_received_kb": (traffic.received - received) / 1000,
        "tick_ws_sent_kb": (traffic.sent - sent) / 1000,
    }


async def warm_round(browser: Any, context: Any, url: str, app: App, i: int,
                     points: dict[str, tuple[float, float]]) -> dict[str, float]:  # fmt: skip
    """One page of `app`: open, heap, click a zone, tick a layer."""
    page, traffic, opened = await open_page(browser, context, url, app)
    since = time.monotonic()
    await settled(page, traffic, since)
    out = {"open_s": opened, "open_ws_received_kb": traffic.received / 1000,
           "open_ws_sent_kb": traffic.sent / 1000, "heap_mb": await heap_mb(context, page)}  # fmt: skip
    name = ZONES[i % 2]
    out |= await click_zone(page, app, traffic, name, points[name])
    out |= await tick_layer(page, app, traffic)
    await page.close()
    return out


async def cold_start(browser: Any, app: App) -> float:
    """Seconds from the launch of a new server to the first zone drawn in a new context."""
    process, url, launched = start_server(ROOT / app.script)
    try:
        context = await new_context(browser)
        page = await context.new_page()
        await page.goto(url + "/" + app.query, wait_until="commit")
        frame = await map_frame(page)
        drawn = await frame.evaluate("() => window.__probe.drawn")
        await context.close()
    finally:
        stop_server(process)
    return drawn / 1000 - launched


async def concurrent_clicks(browser: Any, url: str, app: App, n: int, rounds: int,
                            points: dict[str, tuple[float, float]]) -> list[float]:  # fmt: skip
    """N sessions click a zone at the same moment; page-clock seconds, N per round. The pages
    open the région again between rounds (a clicked zone moves the map), not timed."""
    contexts = [await new_context(browser) for _ in range(n)]
    opened = await asyncio.gather(*(open_page(browser, c, url, app) for c in contexts))
    pages = [p for p, _, _ in opened]
    traffic = [t for _, t, _ in opened]
    out: list[float] = []
    try:
        for r in range(rounds):
            if r:  # back to the région (a reload would keep the zone cartohdf put in the link)
                await asyncio.gather(
                    *(p.goto(url + "/" + app.query, wait_until="commit") for p in pages)
                )
                await asyncio.gather(*(map_frame(p) for p in pages))
            start = time.monotonic()
            await asyncio.gather(
                *(settled(p, t, start) for p, t in zip(pages, traffic, strict=True))
            )
            aims = []
            for j, page in enumerate(pages):
                name = ZONES[(j + r) % 2]
                frame = await map_frame(page)
                aims.append((page, frame, name, await screen_point(page, frame, *points[name])))
                await page.evaluate("([s, t]) => window.__probe.watch('heading', s, t)",
                                    [app.heading, f"{name} ("])  # fmt: skip
                await frame.evaluate("() => window.__probe.arm()")
            await asyncio.gather(*(p.mouse.click(*xy) for p, _, _, xy in aims))
            for page, frame, _, _ in aims:
                seen = await page.wait_for_function("() => window.__probe.seen.heading",
                                                    timeout=300_000)  # fmt: skip
                clicked = await frame.evaluate("() => window.__probe.click")
                out.append((await seen.json_value() - clicked) / 1000)
    finally:
        for c in contexts:
            await c.close()
    return out


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


ROWS = (  # key, label, unit scale, unit
    ("click_s", "click → profile seen (page clock)", 1000, "ms"),
    ("click_wall_s", "click → profile found (Playwright)", 1000, "ms"),
    ("click_synced_s", "click → server done", 1000, "ms"),
    ("tick_s", "layer tick → markers seen (page clock)", 1000, "ms"),
    ("tick_wall_s", "layer tick → markers found (Playwright)", 1000, "ms"),
    ("open_s", "page open → map drawn", 1, "s"),
    ("cold_s", "cold start → first map", 1, "s"),
    ("cold_alone_s", "cold start → first map, no other server running", 1, "s"),
    ("click_ws_received_kb", "websocket bytes received per click", 1, "kB"),
    ("click_ws_sent_kb", "websocket bytes sent per click", 1, "kB"),
    ("tick_ws_received_kb", "websocket bytes received per tick", 1, "kB"),
    ("open_ws_received_kb", "websocket bytes received per page open", 1, "kB"),
    ("open_ws_sent_kb", "websocket bytes sent per page open", 1, "kB"),
    ("heap_mb", "JS heap after open (after GC)", 1, "MB"),
)


def fmt(value: float, unit: str) -> str:
    digits = 0 if unit in ("ms",) or value >= 100 else 2 if unit == "s" else 1
    return f"{value:,.{digits}f} {unit}"


def table(samples: dict[str, dict[str, list[float]]], sessions: list[int]) -> str:
    lines = ["| measure | cartohdf | peer | ratio |", "|---|---|---|---|"]
    medians: dict[str, dict[str, float]] = {a: {} for a in samples}
    for key, label, scale, unit in ROWS:
        if not all(samples[x.name].get(key) for x in APPS):
            continue
        a, b = (statistics.median(samples[x.name][key]) * scale for x in APPS)
        medians["cartohdf"][key], medians["peer"][key] = a, b
        ratio = f"{a / b:.2f}" if b else "—"
        lines.append(f"| {label} | {fmt(a, unit)} | {fmt(b, unit)} | {ratio} |")
    for n in sessions:
        for q, tag in ((0.5, "p50"), (0.95, "p95")):
            a, b = (pct(samples[x.name][f"n{n}_click_s"], q) * 1000 for x in APPS)
            lines.append(f"| click {tag}, {n} sessions (page clock) | {fmt(a, 'ms')} | "
                         f"{fmt(b, 'ms')} | {a / b:.2f} |")  # fmt: skip
    return "\n".join(lines)


async def run(args: argparse.Namespace) -> dict[str, dict[str, list[float]]]:
    from playwright.async_api import async_playwright

    sessions = [int(x) for x in args.sessions.split(",") if x]
    points = zone_points()
    samples: dict[str, dict[str, list[float]]] = {a.name: {} for a in APPS}
    servers = {a.name: start_server(ROOT / a.script) for a in APPS}
    try:
        async with async_playwright() as p:
            browser = await launch(p)
            contexts = {a.name: await new_context(browser) for a in APPS}
            for a in APPS:  # the first page of each: data loaded, caches filled (not timed)
                await warm_round(browser, contexts[a.name], servers[a.name][1], a, 0, points)
            for i in range(args.repeat):
                for a in APPS if i % 2 == 0 else APPS[::-1]:
                    got = await warm_round(browser, contexts[a.name], servers[a.name][1], a, i,
                                           points)  # fmt: skip
                    got["cold_s"] = await cold_start(browser, a)
                    for key, value in got.items():
                        samples[a.name].setdefault(key, []).append(value)
                    print(f"# {a.name} round {i + 1}: " + " ".join(
                        f"{k}={v:.3f}" for k, v in got.items()), file=sys.stderr, flush=True)  # fmt: skip
            for c in contexts.values():
                await c.close()
            for k, n in enumerate(sessions):
                for a in APPS if k % 2 == 0 else APPS[::-1]:
                    got_n = await concurrent_clicks(browser, servers[a.name][1], a, n, args.rounds,
                                                    points)  # fmt: skip
                    samples[a.name][f"n{n}_click_s"] = got_n
                    print(f"# {a.name} {n} sessions: p50={pct(got_n, 0.5):.3f}",
                          file=sys.stderr, flush=True)  # fmt: skip
            for process, _, _ in servers.values():  # the cold starts alone: no other server running
                stop_server(process)
            for i in range(args.cold):
                for a in APPS if i % 2 == 0 else APPS[::-1]:
                    cold = await cold_start(browser, a)
                    samples[a.name].setdefault("cold_alone_s", []).append(cold)
                    print(f"# {a.name} cold start alone {i + 1}: {cold:.3f}", file=sys.stderr, flush=True)
            await browser.close()
    finally:
        for process, _, _ in servers.values():
            stop_server(process)
    return samples


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)  # fmt: skip
    parser.add_argument("--repeat", type=int, default=12, help="rounds of open/click/tick/cold")
    parser.add_argument("--sessions", default="1,4,8,16", help="concurrent sessions (comma list)")
    parser.add_argument("--rounds", type=int, default=3, help="simultaneous clicks per N")
    parser.add_argument("--cold", type=int, default=8,
                        help="then cold starts alone, alternated, once the other servers are stopped")  # fmt: skip
    parser.add_argument("--json", type=Path, help="write every sample to this file")
    args = parser.parse_args()
    samples = asyncio.run(run(args))
    sessions = [int(x) for x in args.sessions.split(",") if x]
    print(f"medians of {args.repeat} (click pNN: {args.rounds} rounds of N simultaneous clicks); "
          f"viewport {VIEWPORT['width']}x{VIEWPORT['height']}\n")  # fmt: skip
    print(table(samples, sessions))
    if args.json:
        from cartohdf.core import write_atomic

        meta = {"repeat": args.repeat, "rounds": args.rounds, "sessions": sessions}
        write_atomic(args.json, json.dumps({"meta": meta, "samples": samples}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
