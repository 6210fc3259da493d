"""The Streamlit viewer in a real browser, no network: map draws, click, layers, download."""

from __future__ import annotations

import re
from urllib.parse import quote

import pytest

from cartohdf.data import import_urssaf
from tests.conftest import (
    artifact,
    downloads_menu,
    loaded,
    open_map,
    serve_app,
    settle,
    show_layers,
)
from tests.test_urssaf_import import _tiny_urssaf

pytestmark = pytest.mark.browser
FRAME = "iframe.cartohdf-map"  # the app's own map component (front/static/map.js)


@pytest.fixture(scope="module")
def imports_dir(tmp_path_factory, data):
    """An imports folder holding one URSSAF import, « essai », for the app under test."""
    folder = tmp_path_factory.mktemp("imports")
    source = folder.parent / "urssaf.csv"
    _tiny_urssaf(source)
    import_urssaf(source, data.communes, folder, name="essai")
    return folder


@pytest.fixture(scope="module")
def app_url(imports_dir):
    yield from serve_app({"CARTOHDF_IMPORTS_DIR": str(imports_dir)})




def test_map_draws_with_no_network(page, app_url):
    frame = open_map(page, app_url)
    assert frame.locator("path.cartohdf-zone").count() == 28
    assert frame.locator(".cartohdf-legend").is_visible()
    page.get_by_text("chiffres clés de l’étude").wait_for()
    page.screenshot(path=artifact("app_default.png"), full_page=True)
    assert page.external_requests == []


def test_the_map_draws_when_its_scripts_could_not_be_fetched_ahead(page, app_url):
    """The session's start fetches the map page's scripts ahead; should that fail, the page
    takes them from the server itself."""
    asked: list[str] = []

    def first_fails(route):
        asked.append(route.request.url)
        route.abort() if len(asked) == 1 else route.continue_()

    page.route("**/component/**/leaflet.js", first_fails)
    frame = open_map(page, app_url)
    assert frame.locator("path.cartohdf-zone").count() == 28
    assert len(asked) == 2  # the fetch ahead (failed), then the page's own
    inner = page.locator("iframe.cartohdf-map").last.element_handle().content_frame()
    assert inner.evaluate("() => [...document.scripts].filter(s => s.src).map(s => s.src.slice(0, 5))") == [
        "http:", "blob:"]  # fmt: skip


def test_click_on_a_zone_opens_its_profile(page, app_url):
    frame = open_map(page, app_url)
    # the zone's inside point, once the component has its height and the view is framed
    anchor = settle(page, frame.locator(".cartohdf-label", has_text="Abbeville"))
    page.mouse.click(anchor["x"], anchor["y"])
    page.get_by_role("heading", name="Abbeville (2209)").wait_for(timeout=30_000)
    page.wait_for_url(re.compile("zone=2209"))  # the server follows: the link names the zone
    page.get_by_text("Ce que dit l’étude de cette zone").wait_for()
    page.screenshot(path=artifact("app_profile_abbeville.png"), full_page=True)


def test_ticking_a_domain_shows_its_markers(page, app_url):
    frame = open_map(page, app_url + "/?layers=labels")
    assert frame.locator(".leaflet-marker-pane .cartohdf-s3").count() == 0
    show_layers(page)
    page.get_by_text("6. Énergie").click()
    frame.locator(".leaflet-marker-pane .cartohdf-s3").first.wait_for(timeout=30_000)
    assert frame.locator(".leaflet-marker-pane .cartohdf-s3").count() == 2
    page.wait_for_url(re.compile("s3_energy"))  # the server follows: the link names the layer


def test_html_download_is_saved_and_draws_offline(page, app_url, tmp_path, browser):
    open_map(page, app_url + "/?zone=2203&layers=s3,employers")
    downloads_menu(page)
    with page.expect_download(timeout=60_000) as dl:
        page.get_by_role("button", name="Carte (HTML autonome, hors ligne)").click()
    path = tmp_path / "carte.html"
    dl.value.save_as(path)
    html = path.read_text(encoding="utf-8")
    assert "<script src=" not in html
    other = browser.new_page(viewport={"width": 1400, "height": 900})
    requests: list[str] = []
    other.on("request", lambda r: requests.append(r.url) if r.url.startswith("http") else None)
    other.goto(path.as_uri())
    other.wait_for_selector(
        "path.cartohdf-zone", state="attached"
    )  # zoomed in: some are off screen
    other.wait_for_selector(".cartohdf-legend")
    assert other.locator("path.cartohdf-zone").count() == 28
    assert other.locator("path.cartohdf-employer").count() == 21
    assert other.locator("path.cartohdf-selected").count() == 1
    other.screenshot(path=artifact("app_download_reopened.png"))
    assert requests == []
    other.close()


def test_uploaded_label_with_markup_shows_as_text_and_runs_nothing(
    page, app_url, tmp_path, browser
):
    evil = "<img src=x onerror=alert(1)><script>alert(2)</script>"
    upload = tmp_path / "indicateur.csv"
    upload.write_text(f"Code zone;{evil}\n55;12,5\n2203;7\n3111;3\n", encoding="utf-8")
    frame = open_map(page, app_url)
    page.locator("input[type=file]").set_input_files(str(upload))
    page.get_by_text("chargé").first.wait_for(timeout=30_000)
    frame = page.frame_locator(FRAME).last
    frame.locator(".cartohdf-legend", has_text="alert(1)").wait_for(timeout=30_000)
    assert "<img src=x onerror=alert(1)>" in frame.locator(".cartohdf-legend h2").inner_text()
    assert page.get_by_text("chargé").count() >= 1
    page.screenshot(path=artifact("app_upload_markup.png"), full_page=True)
    downloads_menu(page)
    with page.expect_download(timeout=60_000) as dl:
        page.get_by_role("button", name="Carte (HTML autonome, hors ligne)").click()
    path = tmp_path / "carte.html"
    dl.value.save_as(path)
    assert evil not in path.read_text(encoding="utf-8")
    other = browser.new_page()
    dialogs: list[str] = []
    other.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    other.goto(path.as_uri())
    other.wait_for_selector(
        "path.cartohdf-zone", state="attached"
    )  # zoomed in: some are off screen
    other.wait_for_selector(".cartohdf-legend")
    assert "onerror=alert(1)" in other.locator(".cartohdf-legend h2").inner_text()
    loaded(other)  # any handler the label could have smuggled in would have run by now
    other.close()
    assert dialogs == [] and page.dialogs == []


def test_basemap_without_network_says_so(page, app_url):
    frame = open_map(page, app_url + "/?basemap=light")
    frame.locator(".cartohdf-note").wait_for(timeout=30_000)
    assert "pas de connexion" in frame.locator(".cartohdf-note").inner_text()
    assert frame.locator("path.cartohdf-zone").count() == 28  # the map itself still works


def test_panning_and_zooming_send_nothing_to_the_server(page, app_url):
    """A layer toggle is measured first (frames it sends); panning and zooming, then the same
    toggle back, must send exactly as many frames: the gestures themselves send none."""
    sent: list[int] = []
    page.on("websocket", lambda ws: ws.on("framesent", lambda payload: sent.append(len(payload))))
    frame = open_map(page, app_url)
    settle(page, frame.locator(".cartohdf-label", has_text="Abbeville"))
    markers = frame.locator(".leaflet-marker-pane .cartohdf-s3")
    show_layers(page)
    before = len(sent)
    page.get_by_text("6. Énergie").click()  # off: a real change reaches the server
    page.wait_for_function(
        "() => !location.search.includes('s3_energy') && location.search.includes('s3_bio')"
    )
    markers.nth(12).wait_for(state="detached", timeout=30_000)  # 12 of 14 discs left
    one_toggle = len(sent) - before
    assert one_toggle >= 1  # the probe works
    before = len(sent)
    box = page.locator(FRAME).last.bounding_box()
    cx, cy = box["x"] + box["width"] * 0.35, box["y"] + box["height"] * 0.45
    page.mouse.move(cx, cy)
    page.mouse.down()
    page.mouse.move(cx + 120, cy + 60, steps=8)
    page.mouse.up()
    page.mouse.wheel(0, -300)
    frame.locator(".leaflet-control-zoom-in").click()
    page.get_by_text("6. Énergie").click()  # back on
    page.wait_for_function(
        "() => location.search.includes('s3_energy') || !location.search.includes('layers')"
    )
    markers.nth(13).wait_for(state="attached", timeout=30_000)
    assert len(sent) - before == one_toggle  # nothing more than the toggle itself


def _copy_link_and_reopen(browser, url: str):
    """Open a copied link in a new browser context (no cookies, no session: only the link)."""
    context = browser.new_context(viewport={"width": 1600, "height": 1150})
    page = context.new_page()
    page.goto(url)
    frame = page.frame_locator(FRAME).last
    frame.locator(".cartohdf-legend").wait_for(timeout=60_000)
    return context, page, frame


def test_a_link_after_an_upload_reopens_that_view(page, app_url, tmp_path, browser):
    upload = tmp_path / "chomage.csv"
    upload.write_text(
        "Code zone;Taux de chômage (%)\n55;12,5\n2203;7\n3111;3,25\n", encoding="utf-8"
    )
    open_map(page, app_url + "/?zone=2203")
    page.locator("input[type=file]").set_input_files(str(upload))
    page.wait_for_function("() => location.search.includes('upload=')", timeout=30_000)
    link = page.url
    assert "indicator=user" in link
    context, other, frame = _copy_link_and_reopen(browser, link)
    frame.locator(".cartohdf-legend h2", has_text="Taux de chômage").wait_for(timeout=60_000)
    assert other.get_by_text("Lien invalide").count() == 0
    other.screenshot(path=artifact("app_link_after_upload.png"))
    context.close()
    # the same link once the file has left the cache: the default view and what to do
    broken = re.sub(r"upload=[0-9a-f]{16}", "upload=0123456789abcdef", link)
    context, other, frame = _copy_link_and_reopen(browser, broken)
    other.get_by_text("chargez-le à nouveau").wait_for(timeout=30_000)
    frame.locator(".cartohdf-legend h2", has_text="Part de l’industrie").wait_for(timeout=30_000)
    context.close()


def test_a_link_after_choosing_an_import_reopens_that_view(page, app_url, browser):
    open_map(page, app_url + "/?zoning=ze2020")
    page.locator("[data-testid='stSelectbox']", has_text="Données d’emploi").click()
    page.get_by_role("option", name="essai").click()
    page.wait_for_function("() => location.search.includes('source=essai')", timeout=30_000)
    context, other, frame = _copy_link_and_reopen(browser, page.url)
    frame.locator(".cartohdf-legend", has_text="fichier importé « urssaf.csv »").wait_for(
        timeout=60_000
    )
    assert other.get_by_text("Lien invalide").count() == 0
    context.close()
    context, other, _ = _copy_link_and_reopen(browser, app_url + "/?source=disparu")
    other.get_by_text("cartohdf import-urssaf --name disparu").wait_for(timeout=30_000)
    context.close()


@pytest.mark.parametrize("size", [(1600, 1150), (1440, 900), (390, 844)])
def test_a_selected_zone_is_framed_with_its_neighbours_clear_of_the_legend(page, app_url, size):
    page.set_viewport_size({"width": size[0], "height": size[1]})
    frame = open_map(page, app_url + "/?zone=2203")
    zone = settle(page, frame.locator("path.cartohdf-selected"))
    legend = frame.locator(".cartohdf-legend").bounding_box()
    mapbox = page.locator(FRAME).last.bounding_box()
    page.screenshot(path=artifact(f"app_zone_2203_{size[0]}.png"))
    inside = (zone["x"] >= mapbox["x"] and zone["y"] >= mapbox["y"]
              and zone["x"] + zone["width"] <= mapbox["x"] + mapbox["width"]
              and zone["y"] + zone["height"] <= mapbox["y"] + mapbox["height"])  # fmt: skip
    assert inside
    if size[0] >= 1000:  # on a phone the legend is wider than half the map: it is not avoided
        assert zone["x"] + zone["width"] <= legend["x"] or zone["y"] + zone["height"] <= legend["y"]


def test_markdown_in_a_label_or_a_link_stays_text(page, app_url, tmp_path):
    label = (
        "[clic](javascript:alert(1)) ![i](http://tracker.example/pixel.png) http://phish.example"
    )
    upload = tmp_path / "x.csv"
    upload.write_text(f"Code zone;{label}\n55;12,5\n2203;7\n", encoding="utf-8")
    open_map(page, app_url)
    page.locator("input[type=file]").set_input_files(str(upload))
    alert = page.locator("[data-testid='stAlertContentSuccess']")
    alert.wait_for(timeout=30_000)
    assert "pixel.png" in alert.inner_text() and "phish.example" in alert.inner_text()
    assert alert.locator("a").count() == 0 and alert.locator("img").count() == 0
    other = page.context.new_page()
    fetched: list[str] = []
    other.on(
        "request", lambda r: fetched.append(r.url) if ".example" in r.url.split("?")[0] else None
    )
    other.goto(
        app_url + "/?zone=" + quote("![x](http://tracker.example/p.png) [t](http://phish.example)")
    )
    error = other.locator("[data-testid='stAlertContentError']")
    error.wait_for(timeout=30_000)
    assert "tracker.example" in error.inner_text()
    assert error.locator("a").count() == 0 and error.locator("img").count() == 0
    loaded(other)
    assert (
        page.external_requests == [] and fetched == []
    )  # nothing fetched from the hosts in the text


class Rerunning:
    """Sessions rerunning the app without pause, in a thread, while a browser test acts."""

    def __init__(self, url: str, sessions: int) -> None:
        import asyncio
        import threading

        from tests.st_client import Session

        self.stop = threading.Event()
        self.runs = 0

        async def loop() -> None:
            opened = [await Session(url).open() for _ in range(sessions)]
            while not self.stop.is_set():
                await asyncio.gather(*(s.run() for s in opened))
                self.runs += len(opened)
            for s in opened:
                await s.close()

        self.thread = threading.Thread(target=lambda: asyncio.run(loop()), daemon=True)

    def __enter__(self) -> Rerunning:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        self.thread.join(timeout=120)


def test_downloads_survive_other_sessions_rerunning(page, app_url, tmp_path):
    """The map file is made before its button is drawn and stays with the session: other users'
    reruns between the drawing and the fetch cannot take it away (they did: 404)."""
    open_map(page, app_url + "/?zone=2203")
    button = page.get_by_role("button", name="Carte (HTML autonome, hors ligne)")
    with Rerunning(app_url, sessions=6) as others:
        for turn in range(8):
            downloads_menu(page)
            with page.expect_download(timeout=60_000) as dl:
                button.click()
            assert dl.value.failure() is None, (
                f"download {turn} failed after {others.runs} other runs"
            )
            path = tmp_path / f"map_{turn}.html"
            dl.value.save_as(path)
            assert path.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert others.runs >= 8  # the other sessions did rerun meanwhile
