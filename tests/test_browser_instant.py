"""What the browser answers on its own, before the server: with every message from the
server held back, a click on a zone shows its profile and outline, a layer box shows or
hides its layer, « Vue régionale » goes back to the overview. Then the server catches up:
the link, the zone picker and the downloads follow."""

from __future__ import annotations

import re

import pytest

from tests.conftest import idle, query, settle, show_layers

pytestmark = pytest.mark.browser
FRAME = "iframe.cartohdf-map"  # the app's own map component (front/static/map.js)
STREAM = re.compile(r".*/_stcore/stream")


class Server:
    """The app's websocket, with the server's messages held back while `held` is on."""

    def __init__(self, page) -> None:
        self.holding = False
        self.held: list[object] = []
        self.page = page
        page.route_web_socket(STREAM, self._route)

    def _route(self, ws) -> None:
        self.ws = ws
        server = ws.connect_to_server()  # the page's messages go through as they are

        def from_server(message) -> None:
            if self.holding:
                self.held.append(message)
            else:
                ws.send(message)

        server.on_message(from_server)

    def hold(self) -> None:
        self.holding = True

    def release(self) -> None:
        self.holding = False
        for message in self.held:
            self.ws.send(message)
        self.held.clear()

    def finished_runs(self) -> int:
        """How many script runs the held messages hold the end of."""
        return sum(_finishes(m) for m in self.held)

    def wait_for_runs(self, page, n: int, timeout_s: float = 60.0) -> None:
        """Until the held messages hold the end of `n` runs: each animation frame of the page
        lets Playwright hand over the server's messages, and the count is read again."""
        import time

        deadline = time.monotonic() + timeout_s
        while self.finished_runs() < n:
            assert time.monotonic() < deadline, f"the server ended {self.finished_runs()} runs"
            page.evaluate("() => new Promise(r => requestAnimationFrame(r))")

    def release_one_run(self) -> None:
        """Pass the held messages up to the end of the first run held; keep holding the rest."""
        while self.held:
            message = self.held.pop(0)
            self.ws.send(message)
            if _finishes(message):
                return


def _finishes(message) -> bool:
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    if isinstance(message, str):
        return False
    msg = ForwardMsg()
    msg.ParseFromString(message)
    return msg.WhichOneof("type") == "script_finished"


def open_map(page, url: str):
    """Open the app and wait until its map is drawn, the script idle and every zone's page in
    the browser (sent last, read by a module loaded on its own); the map's frame."""
    page.goto(url)
    frame = page.frame_locator(FRAME).last
    frame.locator("path.cartohdf-zone").first.wait_for(state="attached", timeout=60_000)
    idle(page)
    page.locator(".cartohdf-side[data-pages]").wait_for(state="attached")
    return frame


def test_the_browser_answers_a_click_and_a_layer_box_before_the_server(page, app_url):
    server = Server(page)
    frame = open_map(page, app_url + "/?layers=labels")
    show_layers(page)
    box = settle(page, frame.locator(".cartohdf-label", has_text="Arras"))

    server.hold()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.get_by_role("heading", name="Arras (3121)").wait_for(timeout=10_000)
    assert frame.locator("path.cartohdf-selected").count() == 1
    page.get_by_text("6. Énergie").click()
    markers = frame.locator(".leaflet-marker-pane .cartohdf-s3")
    markers.first.wait_for(timeout=10_000)
    assert markers.count() == 2
    # the legend follows: the domain's entry is no longer hidden
    frame.locator(".cartohdf-legend [data-layer='s3_energy']:not([hidden])").wait_for(
        state="attached", timeout=10_000
    )
    page.get_by_text("Noms des zones").click()  # off
    frame.locator(".cartohdf-label").first.wait_for(state="detached", timeout=10_000)
    # all of it without a word from the server: the link is as it was
    assert "zone" not in query(page) and query(page)["layers"] == ["labels"]

    server.release()
    page.wait_for_url(re.compile("zone=3121"))
    page.wait_for_function("() => location.search.includes('layers=s3_energy')")
    idle(page)
    assert page.get_by_role("combobox", name="Zone d’emploi").input_value() == "Arras (3121)"
    assert markers.count() == 2 and frame.locator(".cartohdf-label").count() == 0
    assert frame.locator("path.cartohdf-selected").count() == 1  # the server's, not two

    server.hold()
    page.get_by_role("button", name="Vue régionale").click()
    page.get_by_role("heading", name=re.compile("chiffres clés")).wait_for(timeout=10_000)
    frame.locator("path.cartohdf-selected").wait_for(state="detached", timeout=10_000)
    assert query(page)["zone"] == ["3121"]  # the server has not answered yet
    server.release()
    page.wait_for_url(lambda url: "zone=" not in url)
    idle(page)
    assert page.get_by_role("combobox", name="Zone d’emploi").input_value().startswith("—")
    assert page.errors == []


def test_the_map_page_is_kept_for_every_click_and_tick_of_a_view(page, app_url):
    """A view's map page is given once: a click, a tick or « Vue régionale » change only its
    view (the same document, its shapes not built again); another indicator is another page.
    The pages' scripts (Leaflet, cartohdf.js) are fetched once, at the session's start: each
    page takes them from memory (blob: URLs), not from the server again."""
    fetched: list[str] = []
    page.on("request", lambda r: fetched.append(r.url.rsplit("/", 1)[-1])
            if "/component/" in r.url and r.url.endswith(".js") else None)  # fmt: skip
    frame = open_map(page, app_url + "/?layers=labels")
    inner = page.locator(FRAME).last.element_handle().content_frame()
    inner.evaluate("() => { window.cartohdfMark = 1; }")
    show_layers(page)
    box = settle(page, frame.locator(".cartohdf-label", has_text="Arras"))
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.wait_for_url(re.compile("zone=3121"))
    page.get_by_text("6. Énergie").click()
    page.wait_for_function("() => location.search.includes('s3_energy')")
    page.get_by_role("button", name="Vue régionale").click()
    page.wait_for_url(lambda url: "zone=" not in url)
    idle(page)
    assert inner.evaluate("() => window.cartohdfMark") == 1
    box = page.get_by_role("combobox", name="Indicateur")
    box.click()
    box.fill("Indice de spécialisation")
    page.get_by_role("option", name="Indice de spécialisation", exact=False).first.click()
    frame.locator(".cartohdf-legend", has_text="Indice de spécialisation").wait_for(timeout=30_000)
    inner = page.locator(FRAME).last.element_handle().content_frame()
    assert inner.evaluate("() => window.cartohdfMark") is None
    assert frame.locator(".leaflet-marker-pane .cartohdf-s3").count() == 2  # the view's layers
    assert inner.evaluate("() => [...document.scripts].filter(s => s.src).map(s => s.src.slice(0, 5))") == [
        "blob:", "blob:"]  # fmt: skip
    assert sorted(fetched) == ["cartohdf.js", "leaflet.js"]  # two pages, one fetch of each


def test_the_keyboard_keeps_its_place_in_the_layer_panel_and_the_side_panel(page, app_url):
    """A box ticked with the keyboard keeps the focus when the server answers (the panel is
    not rebuilt); « Vue régionale » hands the focus to the overview's heading."""
    page.goto(app_url + "/?zone=3121&layers=labels")
    frame = page.frame_locator(FRAME).last
    frame.locator("path.cartohdf-zone").first.wait_for(state="attached", timeout=60_000)
    idle(page)
    show_layers(page)
    energy = page.get_by_role("checkbox", name="6. Énergie")
    energy.focus()
    page.keyboard.press("Space")
    page.wait_for_function("() => location.search.includes('s3_energy')")
    idle(page)
    assert energy.is_checked()
    assert energy.evaluate("el => el === document.activeElement")
    page.keyboard.press("Space")  # and again, with no click to bring the focus back
    page.wait_for_function("() => !location.search.includes('s3_energy')")
    idle(page)
    assert not energy.is_checked()
    page.get_by_role("button", name="Vue régionale").focus()
    page.keyboard.press("Enter")
    heading = page.get_by_role("heading", name=re.compile("chiffres clés"))
    heading.wait_for(timeout=10_000)
    assert heading.evaluate("el => el === document.activeElement")


def screen_point(page, lat: float, lng: float) -> tuple[float, float]:
    """Where a point of the map is on the page."""
    inner = page.locator(FRAME).last.element_handle().content_frame()
    x, y = inner.evaluate(
        "([lat, lng]) => { const p = cartohdf.hostedMap().latLngToContainerPoint([lat, lng]);"
        " return [p.x, p.y]; }",
        [lat, lng],
    )
    box = page.locator(FRAME).last.bounding_box()
    return box["x"] + x, box["y"] + y


@pytest.mark.parametrize(
    ("query_string", "where", "heading"),
    [
        ("indicator=industrial_jobs&layers=labels", "circle", "Amiens (2210)"),  # circles
        ("layers=s3_energy", "marker", "Amiens (2210)"),  # a marker: the zone under it
        ("", "outside", "Roissy - Sud Picardie (0056)"),  # drawn whole: its part outside
    ],
)
def test_a_zone_answers_from_its_circle_a_marker_on_it_and_its_part_outside_the_region(
    page, app_url, data, query_string, where, heading
):
    server = Server(page)
    frame = open_map(page, f"{app_url}/?{query_string}")
    if where == "circle":
        box = settle(page, frame.locator("path.circle-2210"))
    elif where == "marker":  # Amiens leads the energy domain: its marker stands on the zone
        box = settle(page, frame.locator(".cartohdf-s3").first)
    if where in ("circle", "marker"):
        x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    else:
        outside = data.outside_zones["ze2010"]
        part = outside[outside["code"] == "0056"].geometry.iloc[0].representative_point()
        settle(page, frame.locator("path.cartohdf-zone").first)
        x, y = screen_point(page, part.y, part.x)
    server.hold()
    page.mouse.click(x, y)
    page.get_by_role("heading", name=heading).wait_for(timeout=10_000)
    assert frame.locator("path.cartohdf-selected").count() == 1
    # a zone's shape or circle opens no popup in the app (it selects); a marker keeps its own
    assert frame.locator(".leaflet-popup").count() == (1 if where == "marker" else 0)
    server.release()
    page.wait_for_url(re.compile("zone=" + heading[-5:-1]))  # the server agrees
    idle(page)
    assert page.get_by_role("heading", name=heading).is_visible()


def test_an_answer_to_an_earlier_click_does_not_undo_a_newer_one(page, app_url):
    """The user goes on before the server answers: the server's answer to the first click
    arrives after a second click and a box ticked. What the user did last stays on screen (the
    zone, its outline, the box and its markers) until the server's answer to it."""
    server = Server(page)
    frame = open_map(page, app_url + "/?layers=labels")
    show_layers(page)
    arras = settle(page, frame.locator(".cartohdf-label", has_text="Arras"))
    amiens = settle(page, frame.locator(".cartohdf-label", has_text="Amiens"))

    server.hold()
    page.mouse.click(arras["x"] + arras["width"] / 2, arras["y"] + arras["height"] / 2)
    page.get_by_role("heading", name="Arras (3121)").wait_for(timeout=10_000)
    server.wait_for_runs(page, 1)  # the server has answered the first click
    page.mouse.click(amiens["x"] + amiens["width"] / 2, amiens["y"] + amiens["height"] / 2)
    page.get_by_role("heading", name="Amiens (2210)").wait_for(timeout=10_000)
    page.get_by_text("6. Énergie").click()
    markers = frame.locator(".leaflet-marker-pane .cartohdf-s3")
    markers.first.wait_for(timeout=10_000)

    server.release_one_run()  # the answer to the first click only: Arras, no energy
    page.wait_for_url(re.compile("zone=3121"))
    page.locator(FRAME + "[data-server-zone='3121']").wait_for()  # the map was given that answer
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
    assert page.locator(".cartohdf-side-title").inner_text() == "Amiens (2210)"
    assert frame.locator("path.cartohdf-selected").count() == 1
    assert markers.count() == 2
    assert page.get_by_role("checkbox", name="6. Énergie").is_checked()

    server.release()
    page.wait_for_url(re.compile("zone=2210"))
    page.wait_for_function("() => location.search.includes('s3_energy')")
    idle(page)
    assert page.locator(".cartohdf-side-title").inner_text() == "Amiens (2210)"
    assert frame.locator("path.cartohdf-selected").count() == 1 and markers.count() == 2
    assert page.errors == []


FIND_OVERREACH = """() => {
  // a point of a circle that lies over another zone than the circle's own, with nothing above
  for (const circle of document.querySelectorAll('path.cartohdf-circle')) {
    const own = [...circle.classList].find(c => c.startsWith('circle-')).slice(7);
    const r = circle.getBoundingClientRect();
    for (let i = 1; i < 12; i++) for (let j = 1; j < 12; j++) {
      const x = r.left + r.width * i / 12, y = r.top + r.height * j / 12;
      const stack = document.elementsFromPoint(x, y);
      if (stack[0] !== circle) continue;
      const zone = stack.find(e => e.classList && e.classList.contains('cartohdf-zone'));
      const code = zone && [...zone.classList].find(c => /^zone-\\d{4}$/.test(c));
      if (code && code.slice(5) !== own) return [x, y, code.slice(5)];
    }
  }
  return null;
}"""


def test_a_circle_reaching_over_a_neighbour_selects_the_zone_under_the_click(page, app_url, data):
    """As the server does (the zone under the point clicked), so the browser's answer and the
    server's agree."""
    server = Server(page)
    frame = open_map(page, app_url + "/?indicator=industrial_jobs&layers=")
    settle(page, frame.locator("path.circle-3111"))
    inner = page.locator(FRAME).last.element_handle().content_frame()
    found = inner.evaluate(FIND_OVERREACH)
    assert found is not None, "no circle reaches over a neighbour on this map"
    x, y, code = found
    box = page.locator(FRAME).last.bounding_box()
    name = dict(zip(data.zones["ze2010"]["code"], data.zones["ze2010"]["name"], strict=True))[code]
    server.hold()
    page.mouse.click(box["x"] + x, box["y"] + y)
    page.get_by_role("heading", name=f"{name} ({code})").wait_for(timeout=10_000)
    server.release()
    page.wait_for_url(re.compile(f"zone={code}"))  # the server found the same zone
    idle(page)
    assert page.locator(".cartohdf-side-title").inner_text() == f"{name} ({code})"
