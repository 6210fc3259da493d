"""Zones compared in a real browser (issue 21, item 1): three zones picked — two in the
multi-select, one with Shift+click on the map — and the comparison read in the side panel;
axe-core on the comparison."""

from __future__ import annotations

import re

import pytest

from tests.conftest import artifact, idle, open_map, settle
from tests.test_browser_polish import SEVERE

pytestmark = pytest.mark.browser
FRAME = "iframe.cartohdf-map"
SIDE = ".cartohdf-side"




def _pick(page, name: str) -> None:
    """A zone chosen in the « Comparer des zones » multi-select, by typing its name."""
    box = page.get_by_test_id("stMultiSelect").locator("input")
    box.click()
    box.fill(name)
    page.get_by_role("option", name=re.compile(name)).first.click()
    page.keyboard.press("Escape")  # the list closed: the page is read again as a whole
    idle(page)


def _click_zone(page, frame, name: str, shift: bool = False) -> None:
    """A click (Shift+click) on a zone of the map, at its label's anchor — its inside point —
    with the map scrolled into the window first (the label lets clicks through)."""
    page.locator(FRAME).last.evaluate("el => el.scrollIntoView({block: 'center'})")
    anchor = settle(page, frame.locator(".cartohdf-label", has_text=name))
    if shift:
        page.keyboard.down("Shift")
    page.mouse.click(anchor["x"] + anchor["width"] / 2, anchor["y"] + anchor["height"] / 2)
    if shift:
        page.keyboard.up("Shift")


def axe_on_panel(page) -> list[str]:
    """axe-core's serious and critical findings in the side panel (the comparison)."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, context=SIDE)
    assert results.response["testEngine"]["name"] == "axe-core"
    passed = results.response.get("passes")
    assert passed is None or passed  # (only violations are asked for)
    return [f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
            for v in results.response["violations"] if v["impact"] in SEVERE]  # fmt: skip


def _row(page, indicator: str, zone: str) -> list[str]:
    """The cells of a zone's row in an indicator's group of the comparison table."""
    group = page.locator(f"{SIDE} table.cmp tbody", has=page.locator("tr.ind", has_text=indicator)).first
    row = group.locator("tr", has=page.locator("th[scope='row']", has_text=zone))
    return [c.strip() for c in row.locator("td").all_inner_texts()]


def test_three_zones_picked_and_the_comparison_read(page, app_url):
    page.set_viewport_size({"width": 1440, "height": 900})
    frame = open_map(page, app_url + "/?layers=labels")
    _pick(page, "Thiérache")
    page.get_by_text("Choisissez au moins une autre zone pour comparer.").wait_for()
    _pick(page, "Abbeville")
    page.get_by_role("heading", name="Comparaison de zones").wait_for(timeout=30_000)
    page.wait_for_url(re.compile("compare=2203%2C2209|compare=2203,2209"))
    _click_zone(page, frame, "Amiens", shift=True)
    page.wait_for_url(re.compile("compare=2203(%2C|,)2209(%2C|,)2210"), timeout=30_000)
    page.locator(f"{SIDE} .cmp-zones", has_text="Amiens (2210)").wait_for(timeout=30_000)
    idle(page)
    assert page.locator(f"{SIDE} .cmp-zones .zn").all_inner_texts() == [
        "La Thiérache (2203)", "Abbeville (2209)", "Amiens (2210)"]
    assert "zone=" not in page.url  # the Shift+click selected no zone
    frame.locator("path.cartohdf-compared").nth(2).wait_for(state="attached")
    assert frame.locator("path.cartohdf-compared").count() == 3  # the map outlines them
    side = page.locator(SIDE)
    # La Thiérache ranks 2nd of the map's 28 zones on the industrial share in 2017 (36th in France)
    assert _row(page, "Part de l’industrie dans l’emploi salarié, 2017", "La Thiérache") == ["26,8\u202f%", "2/28", "36/304"]
    assert _row(page, "Part de l’industrie dans l’emploi salarié, 2017", "Région")[0] == "14,1\u202f%"
    index = side.locator("svg.cmp-chart").nth(0)
    assert index.get_attribute("role") == "img"
    assert "Emplois industriels, indice base 100 en 1998" in index.locator("title").text_content()
    assert "Amiens (2210)" in index.locator("desc").text_content()
    assert index.locator("polyline").count() == 5  # three zones, the région, France
    scatter = side.locator("svg.cmp-chart").nth(1)
    assert scatter.locator("circle").count() == 28
    assert "Amiens" in scatter.locator("text").all_text_contents()
    page.screenshot(path=artifact("app_compare_desktop.png"), full_page=True)
    # the scatter's pickers: another indicator up, drawn by the server
    side.get_by_label("Ordonnée du nuage").select_option("industrial_jobs")
    page.get_by_role("heading", name=re.compile("Emplois industriels selon Part de l’industrie")).wait_for(timeout=30_000)
    idle(page)
    problems = axe_on_panel(page)
    assert problems == []
    # the check reads the panel: an image without a text alternative put there is reported
    page.evaluate("() => document.querySelector('.cmp-page').appendChild(document.createElement('img'))")
    assert any(p.startswith("image-alt") for p in axe_on_panel(page))
    assert page.errors == []
    # leave the comparison: the overview, and the link no longer names the zones
    side.get_by_role("button", name="Quitter la comparaison").click()
    page.get_by_text("chiffres clés de l’étude").wait_for()
    page.wait_for_url(lambda url: "compare=" not in url, timeout=30_000)


def test_the_profile_s_compare_button_and_the_way_back(page, app_url):
    page.set_viewport_size({"width": 1440, "height": 900})
    frame = open_map(page, app_url + "/?zone=2203&layers=labels&lang=en")
    side = page.locator(SIDE)
    page.get_by_role("heading", name="La Thiérache (2203)").wait_for()
    side.get_by_role("button", name="Compare", exact=True).click()
    page.get_by_text("Pick at least one more zone to compare.").wait_for(timeout=30_000)
    idle(page)
    page.get_by_role("heading", name="La Thiérache (2203)").wait_for()  # one zone: the profile stays
    _click_zone(page, frame, "Laon")  # a neighbour, in view
    page.get_by_role("heading", name="Laon (2204)").wait_for(timeout=30_000)
    idle(page)
    side.get_by_role("button", name="Compare", exact=True).click()
    page.get_by_role("heading", name="Zones compared").wait_for(timeout=30_000)
    page.wait_for_url(re.compile("compare=2203(%2C|,)2204"))
    idle(page)
    assert page.locator(f"{SIDE} .cmp-zones .zn").all_inner_texts() == ["La Thiérache (2203)", "Laon (2204)"]
    assert "Industrial jobs, index 1998 = 100" in side.locator("svg.cmp-chart title").first.text_content()
    # a plain click while comparing opens the zone's profile; « Back to the comparison » returns
    _click_zone(page, frame, "Amiens")
    page.get_by_role("heading", name="Amiens (2210)").wait_for(timeout=30_000)
    side.get_by_role("button", name="Back to the comparison").click()
    page.get_by_role("heading", name="Zones compared").wait_for(timeout=30_000)
    assert page.errors == []
