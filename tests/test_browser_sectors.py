"""Sector maps and a zone's sectors in a real browser (issue 21, item 2): circles for a sector's
jobs, a choropleth for another measure chosen in the sidebar, a click on a zone, its sector
bars against the région and France read in the profile, axe on the panel."""

from __future__ import annotations

import re

import pytest

from tests.conftest import artifact, idle, settle
from tests.test_browser_polish import axe_severe, open_app

pytestmark = pytest.mark.browser
FRAME = "iframe.cartohdf-map"


def test_a_sector_map_then_a_zone_s_sector_bars(page, app_url):
    frame = open_app(page, app_url + "/?zoning=ze2020&indicator=sector_jobs_ch")
    frame.locator(".cartohdf-circle").first.wait_for(state="attached", timeout=60_000)
    assert frame.locator(".cartohdf-circle").count() == 24  # one circle per zone
    assert "Emplois : Métallurgie" in frame.locator(".cartohdf-legend").inner_text()
    page.get_by_text("Part de l’emploi industriel de la zone").click()  # another measure: a choropleth
    page.wait_for_url(re.compile("indicator=sector_share_ch"))
    frame.locator(".cartohdf-legend", has_text="Part de l’emploi industriel : Métallurgie").wait_for(timeout=60_000)
    idle(page)
    assert frame.locator(".cartohdf-circle").count() == 0
    anchor = settle(page, frame.locator(".cartohdf-label", has_text="Béthune"))
    page.mouse.click(anchor["x"], anchor["y"])
    page.get_by_role("heading", name="Béthune (3205)").wait_for(timeout=30_000)
    chart = page.get_by_role("img", name=re.compile("Barres horizontales.*Béthune"))
    chart.wait_for(timeout=30_000)
    assert chart.locator("rect.s0").count() == 16 and chart.locator("rect.s1").count() == 16
    assert "Part de l’emploi industriel, en %" in chart.text_content() and "20\u202f%" in chart.text_content()
    page.get_by_text("Les chiffres du graphique", exact=True).click()
    row = page.locator("figure.cartohdf-sector-figure").get_by_role("row", name=re.compile(r"^Métallurgie \(CH\)"))
    # the zone's, the région's and France's shares of industrial jobs (data/urssaf_a38_industry_ze2020.csv)
    assert row.inner_text().split("\t")[1:] == ["18,1\u202f%", "13,4\u202f%", "11,7\u202f%"]
    page.get_by_text("Ses 5 plus fortes spécialisations (2024)").wait_for()
    top = page.get_by_role("row", name=re.compile(r"^Ind\. alimentaires \(CA\) 3,18"))
    assert top.inner_text().split("\t") == ["Ind. alimentaires (CA)", "3,18", "4\u202f701"]
    idle(page)
    page.screenshot(path=artifact("app_sector_profile.png"), full_page=True)
    assert axe_severe(page.locator(".cartohdf-side")) == [] and page.errors == []
