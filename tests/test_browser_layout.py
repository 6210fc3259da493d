"""The app's layout at three window sizes, in both languages: nothing wider than its column,
no sideways scrolling, and a page of bounded height (the side panel's table once made the page
36 screens tall). One app server, one page resized in place: the figures of every case are
gathered first, then checked, so that a failure shows all of them."""

from __future__ import annotations

import json
import re

import pytest

from tests.conftest import artifact, idle, settle

pytestmark = pytest.mark.browser
FRAME = "iframe.cartohdf-map"  # the app's own map component (front/static/map.js)
SIZES = ((1440, 900), (1280, 720), (390, 844))
VIEWS = {"default": "", "zone": "zone=2203", "france": "scope=france", "sectors": "zoning=ze2020&indicator=sector_jobs_ch&zone=3205"}
# screens a view may take: the overview under the map on a phone included
MAX_SCREENS = {"default": 3, "zone": 5, "france": 3, "sectors": 6.5}  # sectors: a ZE2020 profile with its sector chart

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


@pytest.fixture()
def window(browser, request):
    """A page at the window size the test is parametrised with ("1440x900" by default)."""
    width, height = (int(n) for n in getattr(request, "param", "1440x900").split("x"))
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    yield page
    context.close()


def test_the_hint_leaves_with_a_zone_shown_and_one_tooltip_at_a_time(window, app_url):
    page = window
    open_view(page, app_url + "/?layers=labels")
    frame = page.frame_locator(FRAME).last
    hint = page.get_by_text("Cliquez sur une zone de la carte")
    assert hint.is_visible()
    # two zones hovered in turn, the first one's mouseout missed: one tooltip, the second's
    frame.get_by_role("button", name=re.compile(r"^Amiens \(")).dispatch_event("mouseover")
    frame.locator(".leaflet-tooltip", has_text="Amiens").wait_for()
    frame.get_by_role("button", name=re.compile(r"^Arras \(")).dispatch_event("mouseover")
    frame.locator(".leaflet-tooltip", has_text="Arras").wait_for()
    map_frame = page.locator(FRAME).element_handle().content_frame()
    # (Leaflet fades a closed tooltip out before it leaves the page: a wait, not a count)
    map_frame.wait_for_function("() => document.querySelectorAll('.leaflet-tooltip').length === 1",
                                timeout=5_000)  # fmt: skip
    frame.get_by_role("button", name=re.compile(r"^Arras \(")).dispatch_event("mouseout")
    # a zone chosen: the hint goes with the profile's first paint, and stays away
    frame.get_by_role("button", name=re.compile(r"^Arras \(")).press("Enter")
    page.get_by_role("heading", name=re.compile(r"^Arras \(\d{4}\)")).wait_for()
    assert page.evaluate("() => document.body.classList.contains('cartohdf-zone-shown')")
    page.wait_for_url(re.compile(r"[?&]zone=\d{4}"), timeout=60_000)  # the server's answer
    idle(page)
    assert not hint.is_visible()
    # back to the région: the hint again
    page.get_by_role("button", name="Vue régionale").click()
    hint.wait_for()
    assert page.errors == []


@pytest.mark.parametrize(("lang", "zoom_in", "zoom_out", "s3"), [
    ("fr", "Zoom avant", "Zoom arrière", "Domaines S3"), ("en", "Zoom in", "Zoom out", "S3 domains"),
])  # fmt: skip
def test_the_legend_is_open_in_one_piece_and_the_controls_speak_the_language(
    window, app_url, lang, zoom_in, zoom_out, s3
):
    page = window
    open_view(page, f"{app_url}/?lang={lang}")
    frame = page.frame_locator(FRAME).last
    legend = frame.locator(".cartohdf-legend")
    legend.locator(".lg-body").wait_for()  # open at first sight, beside the side panel
    assert legend.locator("details").count() == 0  # the S3 key is not a second fold
    assert legend.get_by_role("heading", name=s3).is_visible()
    assert frame.locator(".leaflet-control-zoom-in").get_attribute("title") == zoom_in
    assert frame.locator(".leaflet-control-zoom-out").get_attribute("title") == zoom_out
    scale = frame.locator(".leaflet-control-scale-line")
    assert scale.count() == 1 and re.fullmatch(r"\d+ k?m", scale.inner_text().strip())
    page.screenshot(path=artifact(f"after_legend_{lang}_1440x900.png"))
    assert page.errors == []


def test_after_enter_on_a_zone_the_next_tab_goes_on_from_it(window, app_url):
    page = window
    open_view(page, app_url)
    frame = page.frame_locator(FRAME).last
    names = frame.locator("path.cartohdf-zone[role=button]").evaluate_all(
        "ps => ps.map(p => p.getAttribute('aria-label'))"
    )
    at = next(i for i, n in enumerate(names) if n.startswith("Amiens ("))
    frame.get_by_role("button", name=names[at]).press("Enter")
    zone = re.match(r".*\(\d{4}\)", names[at]).group(0)  # « Amiens (2210) : afficher le profil »
    page.get_by_role("heading", name=zone).wait_for()
    page.wait_for_url(re.compile(r"zone=\d{4}"))
    idle(page)
    frame.locator("path.cartohdf-selected").wait_for(state="attached")  # the server's redraw
    focused = "() => document.activeElement && document.activeElement.getAttribute('aria-label')"
    map_frame = page.locator(FRAME).element_handle().content_frame()
    map_frame.wait_for_function(f"() => ({focused})() === {json.dumps(names[at])}", timeout=10_000)
    page.keyboard.press("Tab")
    assert map_frame.evaluate(focused) == names[at + 1]
    assert page.errors == []


@pytest.mark.parametrize("window", ["390x844"], indirect=True)
def test_on_a_phone_names_do_not_pile_up_and_a_tap_shows_the_profile(window, app_url):
    page = window
    open_view(page, app_url)
    frame = page.frame_locator(FRAME).last
    page.locator(FRAME).last.evaluate("el => el.scrollIntoView({block: 'start'})")
    labels = frame.locator(".cartohdf-label > span")
    settle(page, labels.first)
    boxes = labels.evaluate_all(
        """ss => ss.filter(s => getComputedStyle(s).visibility !== 'hidden').map(s => {
             const r = s.getBoundingClientRect();
             return [s.textContent, r.left, r.top, r.right, r.bottom];
           })"""
    )
    clashes = [(a[0], b[0]) for i, a in enumerate(boxes) for b in boxes[i + 1:]
               if a[1] < b[3] and b[1] < a[3] and a[2] < b[4] and b[2] < a[4]]  # fmt: skip
    assert clashes == [] and len(boxes) >= 8, (clashes, len(boxes))
    page.screenshot(path=artifact("after_labels_390x844.png"))
    shown = {b[0] for b in boxes}
    name = next(n for n in ("Amiens", "Arras", "Saint-Quentin", "Beauvais") if n in shown)
    box = labels.filter(has_text=name).bounding_box()
    frame_box = page.locator(FRAME).last.bounding_box()
    page.mouse.click(frame_box["x"] + box["x"] + box["width"] / 2,
                     frame_box["y"] + box["y"] + box["height"] / 2)  # fmt: skip
    heading = page.get_by_role("heading", name=re.compile(rf"^{name} \(\d{{4}}\)"))
    heading.wait_for()
    page.wait_for_function(
        """() => { const h = document.querySelector('.cartohdf-side-title');
                   const r = h && h.getBoundingClientRect();
                   return !!r && r.top >= 0 && r.bottom <= window.innerHeight; }"""
    )
    idle(page)
    page.screenshot(path=artifact("after_tap_profile_390x844.png"))
    assert page.errors == []
