from __future__ import annotations

import datetime as dt
import os

import pytest

from cartohdf.compose import plan
from cartohdf.core import paths
from cartohdf.data import Dataset, load_dataset
from cartohdf.export import map_html
from cartohdf.state import MapState, from_query

RAW = paths.DEFAULT_RAW_DIR
DAY = dt.date(2026, 11, 26)


@pytest.fixture(scope="session", autouse=True)
def _frozen_day():
    """Every date stamp of the run is DAY, whatever the calendar, the time zone or the
    process (the CLI, AppTest and the browser tests' app server all read the clock)."""
    with pytest.MonkeyPatch.context() as env:
        env.setenv("SOURCE_DATE_EPOCH", str(int(dt.datetime(*DAY.timetuple()[:3], 12, tzinfo=dt.UTC).timestamp())))
        yield DAY


@pytest.fixture(scope="session", autouse=True)
def _private_cache(tmp_path_factory):
    """Uploads go to a cache folder of this test session, never to the user's own."""
    folder = tmp_path_factory.mktemp("cache")
    with pytest.MonkeyPatch.context() as env:
        env.setenv("CARTOHDF_CACHE_DIR", str(folder))
        yield folder


def export_html(state: MapState | dict, data: Dataset, day: dt.date = DAY) -> str:
    """The exported HTML of a state (or of URL parameters), as `cartohdf export` writes it."""
    if isinstance(state, dict):
        state = from_query(state)
    return map_html(plan(state, data), day)


@pytest.fixture(scope="session")
def data() -> Dataset:
    return load_dataset()


@pytest.fixture(scope="session")
def raw_dir():
    if not (RAW / "PROVENANCE.md").is_file():
        pytest.skip(f"raw data folder not present at {RAW}")
    return RAW


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
]
ARTIFACTS = paths.ROOT / "artifacts"


@pytest.fixture(scope="session")
def browser():
    """Headless Debian Chromium driven by Playwright; required in CI, skipped elsewhere if absent."""
    from pathlib import Path

    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} missing: .ci/run must install Debian's chromium")
        pytest.skip(f"{CHROMIUM} not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture()
def page(browser):
    """A page that records every request leaving the machine and every script error."""
    context = browser.new_context(viewport={"width": 1600, "height": 1150}, accept_downloads=True)
    pg = context.new_page()
    pg.external_requests = []
    pg.errors = []
    pg.dialogs = []
    pg.on(
        "request",
        lambda r: (
            pg.external_requests.append(r.url)
            if r.url.startswith(("http://", "https://"))
            and not r.url.startswith(("http://127.0.0.1", "http://localhost"))
            else None
        ),
    )
    pg.on("pageerror", lambda e: pg.errors.append(str(e)))
    pg.on("dialog", lambda d: (pg.dialogs.append(d.message), d.dismiss()))
    yield pg
    context.close()


def artifact(name: str):
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS / name


def settle(page, locator, timeout_ms: int = 30_000) -> dict:
    """Wait until an element stops moving (same box over three animation frames); its box.

    The map's iframe grows to its height and Leaflet frames the view after the first paint:
    positions read before that are wrong. A condition, not a fixed sleep.
    """
    import time as _time

    deadline = _time.monotonic() + timeout_ms / 1000
    last, same = None, 0
    while _time.monotonic() < deadline:
        locator.wait_for(state="attached", timeout=timeout_ms)
        box = locator.bounding_box()
        same = same + 1 if box is not None and box == last else 0
        if same >= 3:
            return box
        last = box
        page.evaluate(
            "() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))"
        )
    raise AssertionError(f"{locator} kept moving for {timeout_ms} ms")


def loaded(page) -> None:
    """Wait for the page's load event: every script ran, every image loaded or failed."""
    page.wait_for_function("document.readyState === 'complete'")


def idle(page, timeout_ms: int = 60_000) -> None:
    """Wait until the app's script is not running (Streamlit's run state on its root), no
    element is stale (a fragment's rerun marks its elements stale until they are sent again)
    and no part of the app's own component is busy (a map page or the profiles being unpacked
    and drawn), three animation frames in a row."""
    # A synchronous check, polled at each animation frame: Playwright does not wait for a
    # promise returned here (a promise is truthy: the wait ended at once). Quiet three frames in
    # a row, counted on the page.
    page.wait_for_function(
        """() => {
             const app = document.querySelector('[data-testid="stApp"]');
             const quiet = !!app && app.getAttribute('data-test-script-state') === 'notRunning'
               && !document.querySelector('[data-stale="true"]')
               && !document.querySelector('[data-cartohdf-busy]');
             window.__cartohdfQuiet = quiet ? (window.__cartohdfQuiet || 0) + 1 : 0;
             return window.__cartohdfQuiet >= 3;
           }""",
        polling="raf",
        timeout=timeout_ms,
    )


def show_layers(page) -> None:
    """Open the app's layer panel (folded under the zone row) if it is not open."""
    import re

    first = page.get_by_text("6. Énergie")
    if not first.is_visible():
        page.locator("summary", has_text=re.compile("Couches de la carte|Map layers")).click()
        first.wait_for()
    settle(page, page.locator(".cartohdf-layers-body").first)


def downloads_menu(page) -> None:
    """Open the app's downloads menu (a button by the zone picker) if it is not open."""
    import re

    first = page.get_by_role("button", name=re.compile(r"^(Carte|Map) \(HTML"))
    if not first.is_visible():
        page.get_by_role("button", name=re.compile("^(Télécharger|Download)$")).click()
        first.wait_for()
    # its buttons are in the page only while it is open: wait until none is stale (a run still
    # making the view's files leaves the previous view's buttons, faded, until it sends them)
    idle(page)


def zone_picker(at):
    """The app's zone picker in an AppTest run (its key changes when the zone is set by a
    click, a search or a link)."""
    return next(s for s in at.selectbox if s.key and s.key.startswith("w_zone_pick_"))


def serve_app(env: dict[str, str] | None = None):
    """The app served on loopback while a module's fixture lasts (``yield from serve_app()``)."""
    from tests.st_client import start_app

    try:
        proc, url = start_app(env=env)
    except RuntimeError as exc:
        pytest.fail(str(exc))
    yield url
    proc.terminate()
    proc.wait(timeout=10)


@pytest.fixture(scope="module")
def app_url():
    """The app served on loopback for one test module (a module may serve its own instead)."""
    yield from serve_app()


def open_map(page, url: str):
    """Open `url` and wait until its map is drawn (zones attached: a view zoomed on one zone
    leaves the others off screen; the legend shown) and the page is idle; the map's frame."""
    page.goto(url)
    frame = page.frame_locator("iframe.cartohdf-map").last
    frame.locator("path.cartohdf-zone").first.wait_for(state="attached", timeout=60_000)
    frame.locator(".cartohdf-legend").wait_for(timeout=60_000)
    idle(page)
    return frame


def query(page) -> dict[str, list[str]]:
    """The page's link, parsed."""
    from urllib.parse import parse_qs, urlparse

    return parse_qs(urlparse(page.url).query)


def app_map(at) -> tuple[str, dict]:
    """The app's map in an AppTest run: its page (HTML) and the view it is told to show."""
    return component_data(at, "page")["html"], component_data(at, "map")["view"]


def component_data(at, kind: str) -> dict:
    """What the app gave one part of its own component in an AppTest run: "side" (the side
    panel), "layers" (the layer panel), "map" (the map's view); for a store ("pages", the side
    panel's pages; "page", the map page), the payload it holds, unpacked."""
    import json

    from cartohdf.front.app import unpacked

    parts = [json.loads(c.proto.json) for c in at.get("bidi_component") if c.proto.component_name == "cartohdf.ui"]
    if kind in ("pages", "page"):
        name = "pages" if kind == "pages" else "map"
        return unpacked(next(p["packed"] for p in parts if p["kind"] == "store" and p["name"] == name))
    return next(p for p in parts if p["kind"] == kind)
