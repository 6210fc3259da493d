"""What a user waits for in a real browser: the app under Playwright + Debian Chromium.

Starts the real app (streamlit run, loopback), drives headless Chromium and reports medians
over --repeat runs of:

- cold: a fresh server and a fresh browser context, first map drawn (zones and legend);
- reload: a full page reload of the same view, map drawn again (the baseline);
- click: click a zone on the map -> its profile heading and its outline painted;
- toggle: tick an S3 domain -> its markers painted;
- indicator: choose another indicator in the list -> the legend painted with its title;
- download: click "Carte (HTML)" -> file received.

click, toggle and indicator are read on the page's own clock: from the mousedown to the first
animation frame holding the result (what the user sees). The same actions timed from
Playwright's side (`*_wall`: until Playwright has found the result, which it polls for in a
page that may be busy with the server's answer) and until the server has caught up
(`*_synced`: the link updated and the script idle) are printed too.

Each figure is printed in seconds and as a ratio to the page reload measured in the same run
(targets: click <= 0.10, toggle <= 0.10, indicator <= 0.25). One figure per line.

    python bench/app_latency.py [--repeat 10] [--cold 3] [--width 1600 --height 1150]
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.conftest import CHROMIUM, CHROMIUM_ARGS, downloads_menu, idle, show_layers
from tests.st_client import start_app

FRAME = "iframe.cartohdf-map"  # the app's own map component (front/static/map.js)
ZONES = ("Abbeville", "Amiens")  # clicked in turn, back to the région between clicks


def timed(action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def map_drawn(page) -> None:
    frame = page.frame_locator(FRAME).last
    frame.locator("path.cartohdf-zone").first.wait_for(state="attached", timeout=120_000)
    frame.locator(".cartohdf-legend").wait_for(timeout=120_000)


def settled_point(page, name: str) -> tuple[float, float]:
    """The on-screen centre of a zone's name label, once it stops moving."""
    label = page.frame_locator(FRAME).last.locator(".cartohdf-label", has_text=name)
    last = None
    for _ in range(200):
        label.wait_for(state="attached", timeout=60_000)
        box = label.bounding_box()
        if box is not None and box == last:
            return box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
        last = box
        page.evaluate(
            "() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))"
        )
    raise RuntimeError(f"label {name} kept moving")


def cold_render(browser, repeat: int, size: dict) -> list[float]:
    out = []
    for _ in range(repeat):
        process, url = start_app("--server.fileWatcherType", "none")
        try:
            context = browser.new_context(viewport=size)
            page = context.new_page()
            out.append(timed(lambda p=page, u=url: (p.goto(u), map_drawn(p))))
            context.close()
        finally:
            process.terminate()
            process.wait(timeout=20)
    return out


# In-page timing: what the user sees, read from the page's own clock (epoch milliseconds, the
# same in the page and in the map's frame). `DOWN` notes the next mousedown in a document;
# `SEEN` notes the first animation frame at which an element is in the document (and, with
# `text`, holds it): that frame paints it.
DOWN = """() => { window.__down = null; document.addEventListener('mousedown',
  e => { window.__down = performance.timeOrigin + e.timeStamp; }, {capture: true, once: true}); }"""
SEEN = """([name, selector, text]) => {
  window.__seen = window.__seen || {};
  delete window.__seen[name];
  const tick = (ts) => {
    const hit = Array.from(document.querySelectorAll(selector))
      .some(e => !text || e.textContent.includes(text));
    if (hit) { window.__seen[name] = performance.timeOrigin + ts; return; }
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
}"""


def seen(target, name: str) -> float:
    """When `SEEN` saw `name` (its animation frame may come after Playwright found it)."""
    return target.wait_for_function(
        f"() => window.__seen && window.__seen[{name!r}]", timeout=60_000
    ).json_value()


def map_frame(page):
    return page.locator(FRAME).last.element_handle().content_frame()


def warm_rounds(browser, url: str, repeat: int, size: dict) -> dict[str, list[float]]:
    context = browser.new_context(viewport=size, accept_downloads=True)
    page = context.new_page()
    page.goto(url + "/?layers=labels")
    map_drawn(page)
    frame = page.frame_locator(FRAME).last
    times: dict[str, list[float]] = {
        k: []
        for k in ("reload", "click", "click_wall", "click_synced", "toggle", "toggle_wall",
                  "toggle_synced", "indicator", "indicator_wall", "download")
    }  # fmt: skip
    for i in range(repeat):
        times["reload"].append(timed(lambda: (page.reload(), map_drawn(page))))
        idle(page)
        name = ZONES[i % 2]
        x, y = settled_point(page, name)
        inner = map_frame(page)
        inner.evaluate(DOWN)
        inner.evaluate(SEEN, ["outline", "path.cartohdf-selected", ""])
        page.evaluate(SEEN, ["heading", "h2", f"{name} ("])

        def click(name=name, x=x, y=y) -> None:
            page.mouse.click(x, y)
            page.get_by_role("heading", name=f"{name} (", exact=False).first.wait_for(
                timeout=60_000
            )
            frame.locator("path.cartohdf-selected").wait_for(state="attached", timeout=60_000)

        start = time.perf_counter()
        click()
        times["click_wall"].append(time.perf_counter() - start)
        shown = max(seen(page, "heading"), seen(inner, "outline"))
        times["click"].append((shown - inner.evaluate("() => window.__down")) / 1000)
        page.wait_for_url(re.compile(r"zone=\d{4}"), timeout=60_000)
        idle(page)
        times["click_synced"].append(time.perf_counter() - start)
        page.goto(url + "/?layers=labels")  # back to the région (not timed)
        map_drawn(page)
        idle(page)
        show_layers(page)  # the layer panel opened (not timed)

        energy = page.get_by_role("checkbox", name="6. Énergie")
        inner = map_frame(page)
        page.evaluate(DOWN)
        inner.evaluate(SEEN, ["markers", ".leaflet-marker-pane .cartohdf-s3", ""])

        def toggle() -> None:
            page.get_by_text("6. Énergie").click()
            frame.locator(".leaflet-marker-pane .cartohdf-s3").first.wait_for(timeout=60_000)

        try:
            start = time.perf_counter()
            toggle()
            times["toggle_wall"].append(time.perf_counter() - start)
            times["toggle"].append(
                (seen(inner, "markers") - page.evaluate("() => window.__down")) / 1000
            )
            page.wait_for_function("() => location.search.includes('s3_energy')", timeout=60_000)
            idle(page)
            times["toggle_synced"].append(time.perf_counter() - start)
        except Exception:
            page.screenshot(path="/tmp/toggle_fail.png")
            print(
                f"# toggle lost: box checked={energy.is_checked()} url={page.url}", file=sys.stderr
            )
            raise
        page.get_by_text("6. Énergie").click()
        frame.locator(".leaflet-marker-pane .cartohdf-s3").first.wait_for(
            state="detached", timeout=60_000
        )
        page.wait_for_function("() => !location.search.includes('s3_energy')", timeout=60_000)
        idle(page)  # the server caught up before the next measure

        target = ("Emplois industriels", "Indice de spécialisation industrielle")[i % 2]
        box = page.get_by_role("combobox", name="Indicateur")
        box.click()
        box.fill(target)  # typing filters the list: the option is on screen, not scrolled off
        option = page.get_by_role("option", name=target, exact=False).first
        option.wait_for()
        page.evaluate(DOWN)
        inner.evaluate(SEEN, ["legend", ".cartohdf-legend", target])

        def indicator(option=option, target=target) -> None:
            option.click()
            frame.locator(".cartohdf-legend", has_text=target).wait_for(timeout=60_000)

        times["indicator_wall"].append(timed(indicator))
        times["indicator"].append(
            (seen(inner, "legend") - page.evaluate("() => window.__down")) / 1000
        )
        idle(page)

        def download() -> None:
            with page.expect_download(timeout=60_000) as dl:
                page.get_by_role("button", name="Carte (HTML", exact=False).click()
            dl.value.path()

        downloads_menu(page)  # the menu opened (not timed)
        times["download"].append(timed(download))
    context.close()
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--cold", type=int, default=3, help="fresh-server runs for 'cold'")
    parser.add_argument("--width", type=int, default=1600)
    parser.add_argument("--height", type=int, default=1150)
    parser.add_argument("--samples", action="store_true", help="print every sample too")
    args = parser.parse_args()
    size = {"width": args.width, "height": args.height}
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        cold = cold_render(browser, args.cold, size)
        process, url = start_app("--server.fileWatcherType", "none")
        try:
            times = warm_rounds(browser, url, args.repeat, size)
        finally:
            process.terminate()
            process.wait(timeout=20)
        browser.close()
    medians = {"cold": statistics.median(cold)} | {
        k: statistics.median(v) for k, v in times.items()
    }
    reload = medians["reload"]
    if args.samples:
        for name, values in times.items():
            print(f"# {name}: " + " ".join(f"{v:.3f}" for v in values))
    print(f"# viewport {args.width}x{args.height}, medians of {args.repeat} (cold: {args.cold})")
    for name, value in medians.items():
        print(f"{name}_s {value:.3f}")
    for name, value in medians.items():
        if name != "reload":
            print(f"{name}_to_reload {value / reload:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
