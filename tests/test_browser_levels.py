"""Levels below the zone in a real browser: a zone's profile draws its communes, a click on a
commune opens its profile; axe-core finds nothing serious there."""

from __future__ import annotations

import re

import pytest

from cartohdf.render import unit_points
from tests.conftest import artifact, idle, serve_app
from tests.test_browser_polish import axe_severe
from tests.test_levels_view import ZONE, levels_import

pytestmark = pytest.mark.browser
FRAME = "iframe.cartohdf-map"

# where a commune's inside point is in the map's frame, if a click there reaches the communes'
# canvas (not a control, a name or a marker over it)
UNIT_POINT = """([lat, lng]) => {
  const map = cartohdf.hostedMap(), p = map.latLngToContainerPoint([lat, lng]);
  const box = map.getContainer().getBoundingClientRect();
  const x = box.left + p.x, y = box.top + p.y, el = document.elementFromPoint(x, y);
  return el && el.matches('canvas') && y < window.innerHeight - 10 ? {x, y} : null;
}"""
UNITS = "() => document.querySelector('.leaflet-container').dataset.cartohdfUnits"


@pytest.fixture(scope="module")
def app_url(tmp_path_factory, data):
    folder = levels_import(tmp_path_factory.mktemp("imports"), data)
    yield from serve_app({"CARTOHDF_IMPORTS_DIR": str(folder)})


def test_a_zone_profile_draws_its_communes_and_a_click_on_one_opens_its_profile(page, app_url, data):
    page.goto(f"{app_url}/?source=essai&zoning=ze2020&zone={ZONE}")
    frame = page.frame_locator(FRAME).last
    frame.locator("path.cartohdf-zone").first.wait_for(state="attached", timeout=60_000)
    page.get_by_role("heading", name=f"Arras ({ZONE})").wait_for(timeout=60_000)
    idle(page)
    page.get_by_role("button", name="Voir les communes de cette zone").click()
    page.wait_for_url(re.compile(f"level=commune.*within={ZONE}|within={ZONE}.*level=commune"), timeout=60_000)
    page.get_by_role("heading", name=f"Communes de la zone d’emploi Arras ({ZONE})").wait_for(timeout=60_000)
    map_frame = page.locator(FRAME).last.element_handle().content_frame()
    communes = data.communes_2024
    inside = set(communes.loc[communes["ze2020"] == ZONE, "commune_code"])
    assert map_frame.wait_for_function(UNITS, timeout=60_000).json_value() == str(len(inside))
    idle(page)
    assert frame.locator(".cartohdf-legend").get_by_text("Secret statistique").count() == 1
    points = unit_points("commune")
    box = page.locator(FRAME).last.bounding_box()
    code, spot = next((c, s) for c in sorted(inside) if (s := map_frame.evaluate(UNIT_POINT, list(points[c]))))
    page.mouse.click(box["x"] + spot["x"], box["y"] + spot["y"])
    name = communes.set_index("commune_code").loc[code, "commune_name"]
    page.get_by_role("heading", name=f"{name} ({code})").wait_for(timeout=30_000)
    page.get_by_text("Où elle se trouve").wait_for()
    page.wait_for_url(re.compile(f"zone={code}"), timeout=30_000)  # the server follows
    panel = page.locator(".cartohdf-side")
    assert f"Arras ({ZONE})" in panel.inner_text() and "Emplois industriels" in panel.inner_text()
    idle(page)
    page.screenshot(path=artifact("app_levels_commune.png"), full_page=True)
    problems = axe_severe(page) + axe_severe(map_frame)
    assert problems == []
    assert page.errors == [] and page.external_requests == []
    page.get_by_role("button", name="Retour aux zones d’emploi").click()
    page.get_by_role("heading", name=f"Arras ({ZONE})").wait_for(timeout=60_000)
