"""The app in a real browser as a new user tries it: clicks at every window size, a rejected
file after a good one, the language switch, the keyboard, a phone, and axe-core."""

from __future__ import annotations

import re

import pytest

from tests.conftest import artifact, downloads_menu, idle, query, settle

pytestmark = pytest.mark.browser
FRAME = "iframe.cartohdf-map"  # the app's own map component (front/static/map.js)
SIZES = {"1440x900": (1440, 900), "1280x720": (1280, 720), "390x844": (390, 844)}
SEVERE = ("serious", "critical")


@pytest.fixture()
def sized(browser, request):
    """A page at the window size the test is parametrised with."""
    width, height = SIZES[request.param]
    context = browser.new_context(
        viewport={"width": width, "height": height}, accept_downloads=True
    )
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    yield page
    context.close()


def open_app(page, url: str):
    page.goto(url)
    frame = page.frame_locator(FRAME).last
    frame.locator("path.cartohdf-zone").first.wait_for(state="attached", timeout=60_000)
    frame.locator(".cartohdf-legend").wait_for(state="attached", timeout=60_000)
    idle(page)
    return frame


def on_screen_label(page, frame, names: tuple[str, ...]):
    """The first zone label among `names` whose centre is in the window, with its centre."""
    height = page.viewport_size["height"]
    for name in names:
        box = settle(page, frame.locator(".cartohdf-label", has_text=name))
        x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
        if 0 < y < height - 4:
            return name, x, y
    return None


ZONES_TO_CLICK = ("Amiens", "Saint-Quentin", "Arras", "Abbeville", "Beauvais", "Compiègne")


@pytest.mark.parametrize("sized", list(SIZES), indirect=True)
def test_the_first_click_selects_the_zone_at_every_size(sized, app_url):
    page = sized
    frame = open_app(page, app_url + "/?layers=labels")
    found = on_screen_label(page, frame, ZONES_TO_CLICK)
    if found is None:  # a phone: the map starts below the fold; bring its top into the window
        page.locator(FRAME).last.evaluate("el => el.scrollIntoView({block: 'start'})")
        found = on_screen_label(page, frame, ZONES_TO_CLICK)
    assert found is not None, "no zone label on screen"
    name, x, y = found
    page.mouse.click(x, y)  # one click, not two
    heading = page.get_by_role("heading", name=re.compile(rf"^{name} \(\d{{4}}\)"))
    heading.wait_for(timeout=30_000)
    page.wait_for_url(re.compile(r"zone=\d{4}"))  # the server follows
    code = query(page)["zone"][0]
    frame.locator("path.cartohdf-selected").wait_for(state="attached", timeout=30_000)
    idle(page)
    # clicking the selected zone again keeps it
    box = settle(page, frame.locator(".cartohdf-label", has_text=name))
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    idle(page)
    assert query(page)["zone"] == [code] and heading.is_visible()
    # a visible control goes back to the région
    page.get_by_role("button", name="Vue régionale").click()
    page.get_by_role("heading", name=re.compile("chiffres clés")).wait_for(timeout=30_000)
    page.wait_for_url(lambda url: "zone=" not in url)
    frame.locator("path.cartohdf-selected").wait_for(state="detached", timeout=30_000)
    assert page.errors == []


def test_a_rejected_file_after_a_good_one_changes_nothing(page, app_url, tmp_path):
    frame = open_app(page, app_url)
    good = tmp_path / "mon indicateur.csv"
    good.write_bytes(b"Code zone;Mon taux (%)\n2203;7\n3111;3,25\n55;12,5\n")
    page.locator("input[type=file]").set_input_files(str(good))
    page.get_by_text("chargé").wait_for(timeout=60_000)
    frame.locator(".cartohdf-legend", has_text="Mon taux").wait_for(timeout=60_000)
    idle(page)
    before = (page.url, page.get_by_role("combobox", name="Indicateur").input_value(),
              frame.locator(".cartohdf-legend").inner_text())  # fmt: skip
    bad = tmp_path / "faux.csv"
    bad.write_bytes(b"Code zone;valeur\n55;12,5\n9999;7\n")
    page.locator("input[type=file]").set_input_files(str(bad))
    page.get_by_text("rien n’a changé").wait_for(timeout=60_000)
    idle(page)
    after = (page.url, page.get_by_role("combobox", name="Indicateur").input_value(),
             frame.locator(".cartohdf-legend").inner_text())  # fmt: skip
    assert after == before
    assert before[1] == "Mon taux"


def test_switching_language_keeps_every_widget_and_translates_it(page, app_url):
    open_app(page, app_url + "/?zoning=ze2020&indicator=specialisation&basemap=osm&palette=Purples"
             "&scheme=equal_interval&k=4&zone=3216&layers=employers")  # fmt: skip
    asked = query(page)
    page.get_by_text("EN", exact=True).click()
    page.get_by_text("Zoning", exact=True).wait_for(timeout=30_000)
    idle(page)
    assert page.get_by_role("radio", name=re.compile("2020")).is_checked()
    assert page.get_by_role("radio", name=re.compile("OpenStreetMap")).is_checked()
    assert page.get_by_role("combobox", name="Indicator").input_value() == (
        "Industrial specialisation index"
    )
    assert page.get_by_role("combobox", name="Classes").input_value() == "Equal intervals"
    assert page.get_by_role("combobox", name="Palette").input_value() == "Purples"
    assert page.get_by_role("combobox", name="Employment zone").input_value() == "Lille (3216)"
    assert page.get_by_role("heading", name="Lille (3216)").is_visible()
    now = query(page)
    assert now.pop("lang") == ["en"] and now == asked


def test_the_zone_search_ignores_accents_and_speaks_the_interface_language(page, app_url):
    open_app(page, app_url + "/?lang=en")
    search = page.get_by_role("textbox", name="Find a zone (name or code)")
    search.fill("thierache")
    search.press("Enter")
    page.get_by_role("heading", name="La Thiérache (2203)").wait_for(timeout=30_000)
    search.fill("zzz")
    search.press("Enter")
    page.get_by_text("No zone matches").wait_for(timeout=30_000)


def test_a_keyboard_user_reaches_a_zone_and_opens_it_with_enter(page, app_url):
    frame = open_app(page, app_url)
    zone = frame.get_by_role("button", name=re.compile(r"^Amiens \(\d{4}\)"))
    zone.focus()
    outline = zone.evaluate("el => getComputedStyle(el).strokeWidth")
    assert outline == "4px"  # a visible focus ring
    zone.press("Enter")
    page.get_by_role("heading", name=re.compile(r"^Amiens \(\d{4}\)")).wait_for(timeout=30_000)


def axe_severe(target) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(target)
    return [f"{v['id']} ({v['impact']}): {v['help']} — {[(n['target'], n['failureSummary']) for n in v['nodes']][:3]}"
            for v in results.response["violations"] if v["impact"] in SEVERE]  # fmt: skip


def test_axe_finds_nothing_serious_on_the_app_a_profile_and_the_export(
    page, app_url, browser, tmp_path
):
    open_app(page, app_url)
    map_frame = page.locator(FRAME).element_handle().content_frame()
    problems = axe_severe(page) + axe_severe(map_frame)
    open_app(page, app_url + "/?zone=2203")
    page.get_by_role("heading", name="La Thiérache (2203)").wait_for()
    problems += axe_severe(page)
    downloads_menu(page)
    with page.expect_download(timeout=60_000) as dl:
        page.get_by_role("button", name=re.compile("Carte \\(HTML")).click()
    path = tmp_path / dl.value.suggested_filename
    dl.value.save_as(path)
    assert dl.value.suggested_filename == "cartohdf_ze2010_industrial_share_2017_zone-2203.html"
    exported = browser.new_page()
    exported.goto(path.as_uri())
    exported.locator("path.cartohdf-zone").first.wait_for(state="attached")
    assert exported.title().startswith("Part de l’industrie")
    assert exported.locator("html").get_attribute("lang") == "fr"
    assert "user-scalable=no" not in exported.content()
    problems += axe_severe(exported)
    exported.close()
    assert problems == []


@pytest.mark.parametrize("sized", ["390x844"], indirect=True)
def test_on_a_phone_the_region_shows_whole_and_the_profile_follows_a_tap(sized, app_url):
    page = sized
    frame = open_app(page, app_url)
    legend = frame.locator(".cartohdf-legend")
    assert legend.locator(".lg-body").is_hidden()  # folded: the map is not covered
    map_box = page.locator(FRAME).last.bounding_box()
    for name in ("Boulogne-sur-Mer", "Calais", "Dunkerque", "Beauvais", "La Thiérache"):
        label = frame.locator(".cartohdf-label", has_text=name).first
        box = settle(page, label)
        assert (
            map_box["x"] <= box["x"] and box["x"] + box["width"] <= map_box["x"] + map_box["width"]
        ), name
    page.screenshot(path=artifact("app_default_390.png"), full_page=True)
    page.locator(FRAME).last.evaluate("el => el.scrollIntoView({block: 'start'})")
    found = on_screen_label(page, frame, ZONES_TO_CLICK)
    assert found is not None
    name, x, y = found
    page.mouse.click(x, y)
    heading = page.get_by_role("heading", name=re.compile(rf"^{name} \(\d{{4}}\)"))
    heading.wait_for(timeout=30_000)
    idle(page)
    heading.scroll_into_view_if_needed()
    page.screenshot(path=artifact("app_profile_390.png"))


def test_the_app_hands_out_the_static_map_the_portrait_and_the_atlas(page, app_url, tmp_path):
    import os
    import shutil
    import subprocess

    open_app(page, app_url + "/?zone=2203&layers=employers")
    page.get_by_role("heading", name="La Thiérache (2203)").wait_for()
    got = {}
    for label, name in (("Carte (PDF)", "cartohdf_ze2010_industrial_share_2017_zone-2203.pdf"),
                        ("Carte (SVG)", "cartohdf_ze2010_industrial_share_2017_zone-2203.svg"),
                        ("Portrait de la zone (PDF)", "cartohdf_ze2010_portrait_2203.pdf"),
                        ("Atlas des zones (PDF)", "cartohdf_ze2010_atlas_fr.pdf")):  # fmt: skip
        downloads_menu(page)
        with page.expect_download(timeout=120_000) as dl:  # made when clicked (the atlas: ~10 s)
            page.get_by_role("button", name=label).click()
        assert dl.value.suggested_filename == name
        path = tmp_path / name
        dl.value.save_as(path)
        got[label] = path
    assert got["Carte (SVG)"].read_text(encoding="utf-8").lstrip().startswith("<?xml")
    for label in ("Carte (PDF)", "Portrait de la zone (PDF)", "Atlas des zones (PDF)"):
        assert got[label].read_bytes().startswith(b"%PDF")
    assert shutil.which("pdftotext") or not os.environ.get("CI"), ".ci/run installs poppler-utils"
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", str(got["Portrait de la zone (PDF)"]), "-"],
                              capture_output=True, text=True, check=True).stdout  # fmt: skip
        assert "La Thiérache" in text and "2203" in text
        atlas = subprocess.run(["pdftotext", str(got["Atlas des zones (PDF)"]), "-"],
                               capture_output=True, text=True, check=True).stdout  # fmt: skip
        assert "Abbeville" in atlas and "Lille" in atlas


@pytest.mark.parametrize("sized", ["1280x720", "1440x900"], indirect=True)
def test_the_profile_tables_fit_the_panel_without_scrolling(sized, app_url):
    page = sized
    open_app(page, app_url + "/?zone=2203")
    page.get_by_role("heading", name="La Thiérache (2203)").wait_for()
    tables = page.locator(".cartohdf-panel-html table")
    assert tables.count() >= 3  # indicators, statements, S3 roles, Territoires (one empty)
    overflow = tables.evaluate_all(
        "ts => ts.map(t => [t.getBoundingClientRect().right, t.parentElement.getBoundingClientRect().right,"
        " t.scrollWidth - t.clientWidth])"
    )
    width = page.viewport_size["width"]
    for right, parent_right, scroll in overflow:
        assert right <= parent_right + 1 and right <= width and scroll <= 1, overflow
    page.screenshot(path=artifact(f"app_zone_2203_{width}.png"))


def test_the_map_of_france_and_a_zone_in_its_national_context(page, app_url):
    page.goto(app_url + "/?scope=france&zone=2203&layers=departements")
    frame = page.frame_locator(FRAME).last
    frame.locator("path.cartohdf-zone").nth(303).wait_for(state="attached", timeout=60_000)
    assert frame.locator("path.cartohdf-zone").count() == 304
    frame.locator(".cartohdf-title", has_text="France métropolitaine").wait_for()
    page.get_by_role("heading", name="La Thiérache (2203)").wait_for()
    idle(page)
    context = page.get_by_text(re.compile(r"en France métropolitaine : \d+ / 304"))
    context.wait_for()
    strip = page.locator("img.chart[alt*='des 304 zones d’emploi de France métropolitaine']")
    assert strip.count() == 1 and strip.evaluate("img => img.naturalWidth > 0")
    page.screenshot(path=artifact("app_france_2203.png"))
    context.scroll_into_view_if_needed()
    page.screenshot(path=artifact("app_2203_in_france.png"))
    assert page.errors == []
