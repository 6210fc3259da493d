"""Levels below the zone in a real browser: a zone's profile draws its communes, a click on a
commune opens its profile; axe-core finds nothing serious there."""

from __future__ import annotations

import re

import pytest

from tests.conftest import artifact, idle
from tests.st_client import start_app
from tests.test_browser_polish import axe_severe
from tests.test_levels_view import ZONE, national_file

pytestmark = pytest.mark.browser
FRAME = "iframe.cartohdf-map"

# a commune path whose box centre is on the commune itself (not on a neighbour, the title or
# the legend), in the map frame's coordinates, with its code
CLICKABLE_UNIT = """() => {
  for (const path of document.querySelectorAll('path.cartohdf-unit')) {
    const r = path.getBoundingClientRect();
    if (r.width < 12 || r.height < 12) continue;
    const x = r.left + r.width / 2, y = r.top + r.height / 2;
    if (document.elementFromPoint(x, y) === path) {
      return {x, y, code: [...path.classList].find(c => c.startsWith('unit-')).slice(5)};
    }
  }
  return null;
}"""


@pytest.fixture(scope="module")
def app_url(tmp_path_factory, data):
    from cartohdf.data import import_urssaf

    folder = tmp_path_factory.mktemp("imports")
    source = folder.parent / "national.csv"
    national_file(source, list(data.communes_2024["commune_code"]))
    import_urssaf(source, data.communes, folder, name="essai")
    try:
        proc, url = start_app(env={"CARTOHDF_IMPORTS_DIR": str(folder)})
    except RuntimeError as exc:
        pytest.fail(str(exc))
    yield url
    proc.terminate()
    proc.wait(timeout=10)


def test_a_zone_profile_draws_its_communes_and_a_click_on_one_opens_its_profile(page, app_url, data):
    page.goto(f"{app_url}/?source=essai&zoning=ze2020&zone={ZONE}")
    frame = page.frame_locator(FRAME).last
    frame.locator("path.cartohdf-zone").first.wait_for(state="attached", timeout=60_000)
    page.get_by_role("heading", name=f"Arras ({ZONE})").wait_for(timeout=60_000)
    idle(page)
    page.get_by_role("button", name="Voir les communes de cette zone").click()
    page.wait_for_url(re.compile(f"level=commune.*within={ZONE}|within={ZONE}.*level=commune"), timeout=60_000)
    page.get_by_role("heading", name=f"Communes de la zone d’emploi Arras ({ZONE})").wait_for(timeout=60_000)
    frame.locator("path.cartohdf-unit").first.wait_for(state="attached", timeout=60_000)
    idle(page)
    communes = data.communes_2024
    inside = set(communes.loc[communes["ze2020"] == ZONE, "commune_code"])
    assert frame.locator("path.cartohdf-unit").count() == len(inside)
    assert frame.locator(".cartohdf-legend").get_by_text("Secret statistique").count() == 1
    map_frame = page.locator(FRAME).last.element_handle().content_frame()
    box = page.locator(FRAME).last.bounding_box()
    unit = map_frame.evaluate(CLICKABLE_UNIT)
    assert unit is not None and unit["code"] in inside
    page.mouse.click(box["x"] + unit["x"], box["y"] + unit["y"])
    name = communes.set_index("commune_code").loc[unit["code"], "commune_name"]
    page.get_by_role("heading", name=f"{name} ({unit['code']})").wait_for(timeout=30_000)
    page.get_by_text("Où elle se trouve").wait_for()
    page.wait_for_url(re.compile(f"zone={unit['code']}"), timeout=30_000)  # the server follows
    panel = page.locator(".cartohdf-side")
    assert f"Arras ({ZONE})" in panel.inner_text() and "Emplois industriels" in panel.inner_text()
    idle(page)
    page.screenshot(path=artifact("app_levels_commune.png"), full_page=True)
    problems = axe_severe(page) + axe_severe(map_frame)
    assert problems == []
    assert page.errors == [] and page.external_requests == []
    page.get_by_role("button", name="Retour aux zones d’emploi").click()
    page.get_by_role("heading", name=f"Arras ({ZONE})").wait_for(timeout=60_000)
