"""The exported HTML in a real browser with no network: zones draw, legend, hover, layer toggle."""

from __future__ import annotations

import datetime as dt

import pytest

from cartohdf.state import from_query
from tests.conftest import artifact, export_html, loaded, settle

pytestmark = pytest.mark.browser
EVIL = "</script><img src=x onerror=alert(1)>"


@pytest.fixture(scope="module")
def exported(data, tmp_path_factory):
    path = tmp_path_factory.mktemp("export") / "carte.html"
    state = from_query({"layers": "s3,employers,departements,labels"})
    path.write_text(export_html(state, data, dt.date(2026, 11, 26)), encoding="utf-8")
    return path


def test_exported_map_draws_offline(page, exported):
    page.goto(exported.as_uri())
    page.wait_for_selector("path.cartohdf-zone", state="attached")
    page.wait_for_selector(".cartohdf-legend")
    assert page.locator("path.cartohdf-zone").count() == 28
    assert page.locator(".cartohdf-legend").is_visible()
    assert "Part de l" in page.locator(".cartohdf-legend").inner_text()
    assert page.locator(".leaflet-control-layers").is_visible()
    assert page.locator(".cartohdf-s3").count() == 14 + 7  # 14 map markers + 7 legend discs
    assert page.locator("path.cartohdf-employer").count() == 21
    page.screenshot(path=artifact("export_default.png"))
    assert page.external_requests == [] and page.errors == []


def test_hover_shows_tooltip_and_highlight(page, exported, data):
    page.goto(exported.as_uri())
    page.wait_for_selector("path.cartohdf-zone", state="attached")
    page.wait_for_selector(".cartohdf-legend")
    # the zone's name is anchored on a point inside its polygon: hover there, once framed
    anchor = settle(page, page.locator(".cartohdf-label", has_text="La Thiérache"))
    page.mouse.move(anchor["x"], anchor["y"])
    tip = page.locator(".leaflet-tooltip", has_text="La Thiérache")
    tip.wait_for(timeout=5000)
    assert "26,8" in tip.inner_text()


def test_unticking_a_domain_removes_its_markers(page, exported):
    page.goto(exported.as_uri())
    page.wait_for_selector(".leaflet-marker-pane .cartohdf-s3")
    before = page.locator(".leaflet-marker-pane .cartohdf-s3").count()
    page.locator(".leaflet-control-layers label", has_text="6. Énergie").locator("input").uncheck()
    assert page.locator(".leaflet-marker-pane .cartohdf-s3").count() == before - 2
    assert page.locator(".leaflet-marker-pane .cartohdf-s3", has_text="6").count() == 0
    page.locator(".leaflet-control-layers label", has_text="6. Énergie").locator("input").check()
    assert page.locator(".leaflet-marker-pane .cartohdf-s3").count() == before


def test_click_opens_popup_with_rank(page, exported):
    page.goto(exported.as_uri())
    page.wait_for_selector("path.cartohdf-zone", state="attached")
    page.wait_for_selector(".cartohdf-legend")
    anchor = settle(page, page.locator(".cartohdf-label", has_text="Laon"))
    page.mouse.click(anchor["x"], anchor["y"])
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for()
    assert "Laon (2204)" in popup.inner_text() and "sur 28 zones" in popup.inner_text()


def test_malicious_names_show_as_text_and_run_nothing(page, data, tmp_path):
    from dataclasses import replace

    zones = data.zones["ze2010"].copy()
    zones.loc[zones["code"] == "2203", "name"] = EVIL
    evil = replace(data, zones={**data.zones, "ze2010": zones})
    path = tmp_path / "evil.html"
    path.write_text(
        export_html(from_query({"layers": "labels"}), evil, dt.date(2026, 11, 26)), encoding="utf-8"
    )
    page.goto(path.as_uri())
    page.wait_for_selector("path.cartohdf-zone", state="attached")
    page.wait_for_selector(".cartohdf-legend")
    assert page.locator("path.cartohdf-zone").count() == 28  # the script was not cut short
    assert (
        page.locator(".cartohdf-label", has_text="onerror=alert(1)").count() == 1
    )  # shown as text
    assert page.locator("img[src=x]").count() == 0
    loaded(page)  # any handler the text could have smuggled in would have run by now
    assert page.dialogs == [] and page.errors == []


def _overlap(a, b) -> bool:
    return not (a["x"] + a["width"] <= b["x"] or b["x"] + b["width"] <= a["x"]
                or a["y"] + a["height"] <= b["y"] or b["y"] + b["height"] <= a["y"])  # fmt: skip


@pytest.mark.parametrize("size", [(1400, 900), (1920, 1080), (390, 844)])
def test_a_selected_zone_is_framed_with_its_neighbours_clear_of_the_controls(
    page, data, tmp_path, size
):
    path = tmp_path / "zone.html"
    path.write_text(
        export_html({"zone": "2203", "layers": "s3,employers,labels"}, data), encoding="utf-8"
    )
    page.set_viewport_size({"width": size[0], "height": size[1]})
    page.goto(path.as_uri())
    zone = settle(page, page.locator("path.cartohdf-selected"))
    page.screenshot(path=artifact(f"export_zone_2203_{size[0]}.png"))
    assert zone["x"] >= 0 and zone["y"] >= 0
    assert zone["x"] + zone["width"] <= size[0] and zone["y"] + zone["height"] <= size[1]
    screen = {"x": 0, "y": 0, "width": size[0], "height": size[1]}
    names = [
        page.locator(".cartohdf-label > span", has_text=n).bounding_box()
        for n in ("Laon", "Maubeuge", "Saint-Quentin")
    ]
    assert sum(_overlap(b, screen) for b in names if b) >= 2  # its neighbours are on screen too
    if size[0] >= 1000:  # on a phone the controls are wider than half the map: they are not avoided
        for control in (".cartohdf-legend", ".leaflet-control-layers", ".cartohdf-title"):
            assert not _overlap(zone, page.locator(control).bounding_box()), control


def test_the_legend_lists_only_what_is_on_the_map_and_fits_in_it(page, data, tmp_path):
    path = tmp_path / "labels.html"
    path.write_text(export_html({"layers": "labels"}, data), encoding="utf-8")
    page.set_viewport_size({"width": 1440, "height": 600})
    page.goto(path.as_uri())
    page.locator(".cartohdf-legend").wait_for()
    heading = page.locator(".cartohdf-legend")
    assert not page.get_by_text(
        "Domaines S3 : binômes"
    ).is_visible()  # no S3 layer on: no S3 heading
    page.locator(".leaflet-control-layers label", has_text="6. Énergie").locator("input").check()
    page.get_by_text("Domaines S3 : binômes").wait_for()  # one domain on: the group shows
    for name in (
        "Grands employeurs",
        "Territoires d’industrie 2018-2022",
        "Départements et région",
    ):
        page.locator(".leaflet-control-layers label", has_text=name).locator("input").check()
    # the longest legend there is (the S3 domains are in it, not in a fold of their own)
    box = heading.bounding_box()
    assert box["y"] >= 0 and box["y"] + box["height"] <= 600  # within the map: it scrolls instead


def test_a_popup_opens_clear_of_the_title(page, exported):
    page.goto(exported.as_uri())
    page.wait_for_selector(".cartohdf-legend")
    anchor = settle(page, page.locator(".cartohdf-label", has_text="Dunkerque"))  # under the title
    page.mouse.click(anchor["x"], anchor["y"])
    popup = page.locator(".leaflet-popup")
    popup.wait_for()
    box = settle(page, popup)
    title = page.locator(".cartohdf-title").bounding_box()
    overlap = box["y"] < title["y"] + title["height"] and box["x"] < title["x"] + title["width"]
    assert not overlap, (box, title)


def test_on_a_phone_the_legend_and_layer_list_start_folded(browser, exported):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(exported.as_uri())
    page.wait_for_selector(".cartohdf-legend")
    assert page.locator(".cartohdf-legend .lg-body").is_hidden()
    assert not page.locator(".leaflet-control-layers-expanded").count()
    toggle = page.get_by_role("button", name="Légende")
    assert toggle.get_attribute("aria-expanded") == "false"
    toggle.click()
    assert page.locator(".cartohdf-legend .lg-body").is_visible()
    assert "Part de l" in page.locator(".cartohdf-legend").inner_text()
    context.close()


def test_a_keyboard_user_opens_a_zone_popup_with_enter(page, exported):
    page.goto(exported.as_uri())
    page.wait_for_selector(".cartohdf-legend")
    zone = page.get_by_role("button", name="La Thiérache (2203) : afficher le profil")
    zone.focus()
    zone.press("Enter")
    page.locator(".leaflet-popup-content", has_text="La Thiérache (2203)").wait_for()
