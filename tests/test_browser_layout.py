"""The app's layout at three window sizes, in both languages: nothing wider than its column,
no sideways scrolling, and a page of bounded height (the side panel's table once made the page
36 screens tall). One app server, one page resized in place: the figures of every case are
gathered first, then checked, so that a failure shows all of them."""

from __future__ import annotations

import json

import pytest

from tests.conftest import artifact, idle

pytestmark = pytest.mark.browser
FRAME = "iframe[title='streamlit_folium.st_folium']"
SIZES = ((1440, 900), (1280, 720), (390, 844))
VIEWS = {"default": "", "zone": "zone=2203", "france": "scope=france"}
# screens a view may take: the overview under the map on a phone included
MAX_SCREENS = {"default": 3, "zone": 5, "france": 3}

# How far anything sticks out: of the document and of Streamlit's scrolling main block, and
# of the side panel's column (every element in it, and any element scrolling inside it);
# the page's height (the main block scrolls, not the document).
MEASURE = """() => new Promise(resolve => requestAnimationFrame(() => requestAnimationFrame(() => {
  const main = document.querySelector('[data-testid="stMain"]');
  const side = document.querySelector('.cartohdf-side');
  const column = side && side.closest('[data-testid="stColumn"]');
  if (!main || !column) return resolve(null);
  const box = column.getBoundingClientRect();
  let widest = 0, culprit = '';
  for (const el of column.querySelectorAll('*')) {
    const r = el.getBoundingClientRect();
    if (r.width < 2 || el.closest('[hidden]')) continue;
    const out = Math.max(r.right - box.right, box.left - r.left, el.scrollWidth - el.clientWidth);
    if (out > widest) { widest = out; culprit = el.tagName.toLowerCase() + '.' + el.className; }
  }
  const doc = document.documentElement;
  resolve({
    doc: Math.max(doc.scrollWidth - doc.clientWidth, main.scrollWidth - main.clientWidth),
    panel: Math.round(widest), culprit: culprit.slice(0, 60),
    height: main.scrollHeight, screens: Math.round(100 * main.scrollHeight / window.innerHeight) / 100,
    texts: side.innerText.length,
  });
})))"""


def measure(page, timeout_ms: int = 30_000) -> dict:
    """The layout's figures once they hold still (the same in three reads one frame apart:
    Streamlit and the map settle after a resize)."""
    last, same = None, 0
    page.wait_for_function("() => !!document.querySelector('.cartohdf-side h2')", timeout=timeout_ms)
    for _ in range(600):  # a bound on reads, not a time: each read waits two frames
        now = page.evaluate(MEASURE)
        same = same + 1 if now is not None and now == last else 0
        if same >= 2:
            return now
        last = now
    raise AssertionError(f"the layout kept changing: {last}")


FOLDS = "open => document.querySelectorAll('.cartohdf-side details').forEach(d => { d.open = open; })"


def folded_and_open(page) -> dict:
    """The figures as the page opens (its folds closed), the overflow also with every fold of
    the side panel open (what is folded must fit too)."""
    folded = measure(page)
    page.evaluate(FOLDS, True)
    unfolded = measure(page)
    page.evaluate(FOLDS, False)
    if unfolded["panel"] > folded["panel"]:
        folded["panel"], folded["culprit"] = unfolded["panel"], unfolded["culprit"]
    folded["doc"] = max(folded["doc"], unfolded["doc"])
    folded["open_height"] = unfolded["height"]
    return folded


def open_view(page, url: str) -> None:
    page.goto(url)
    frame = page.frame_locator(FRAME).last
    frame.locator("path.cartohdf-zone").first.wait_for(state="attached", timeout=90_000)
    frame.locator(".cartohdf-legend").wait_for(state="attached", timeout=60_000)
    idle(page)


def test_nothing_sticks_out_and_the_page_stays_short(browser, app_url):
    context = browser.new_context(viewport={"width": SIZES[0][0], "height": SIZES[0][1]})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    figures = {}
    try:
        for lang in ("fr", "en"):
            for view, params in VIEWS.items():
                page.set_viewport_size({"width": SIZES[0][0], "height": SIZES[0][1]})
                query = "&".join(p for p in (params, "lang=en" if lang == "en" else "") if p)
                open_view(page, f"{app_url}/?{query}")
                for width, height in SIZES:
                    page.set_viewport_size({"width": width, "height": height})
                    figures[f"{view} {lang} {width}x{height}"] = folded_and_open(page)
    finally:
        context.close()
        artifact("layout_figures.json").write_text(json.dumps(figures, indent=1), encoding="utf-8")
    problems = []
    for case, f in figures.items():
        view = case.split()[0]
        if f["doc"] > 0 or f["panel"] > 1:
            problems.append(f"{case}: sticks out {f['doc']} px (page), {f['panel']} px ({f['culprit']})")
        if f["screens"] > MAX_SCREENS[view]:
            problems.append(f"{case}: {f['height']} px tall, {f['screens']} screens")
    assert problems == [], "\n".join(problems)
    assert errors == []
