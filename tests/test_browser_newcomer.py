"""What a newcomer meets in the first minute, in a real browser: the language switch on the
default view, the uploader's words, a click on the map of France outside the région."""

from __future__ import annotations

import pytest

from tests.conftest import idle

pytestmark = pytest.mark.browser
FRAME = "iframe.cartohdf-map"  # the app's own map component (front/static/map.js)
ALERTS = '[data-testid="stAlertContentError"], [data-testid="stException"]'


def open_app(page, url: str):
    page.goto(url)
    frame = page.frame_locator(FRAME).last
    frame.locator("path.cartohdf-zone").first.wait_for(state="attached", timeout=60_000)
    idle(page)
    return frame


def test_switching_the_language_on_the_default_view_shows_no_error(page, app_url):
    open_app(page, app_url)
    for lang, word in (("EN", "Zoning"), ("FR", "Zonage"), ("EN", "Zoning")):
        page.get_by_text(lang, exact=True).click()
        page.get_by_text(word, exact=True).wait_for(timeout=30_000)
        idle(page)
        assert page.locator(ALERTS).count() == 0, page.locator(ALERTS).all_inner_texts()
    assert "zone" not in page.url


def after_text(page, selector: str) -> str:
    return page.locator(selector).first.evaluate(
        "el => getComputedStyle(el, '::after').content"
    )


def test_the_uploader_speaks_the_interface_language(page, app_url):
    open_app(page, app_url)
    button = '[data-testid="stFileUploaderDropzone"] span[data-has-shortcut]'
    limits = '[data-testid="stFileUploaderDropzoneInstructions"] > div'
    assert after_text(page, button).startswith('"Choisir un fichier"')
    assert after_text(page, limits) == '"5 Mo au plus · CSV, TXT, XLSX"'
    word = page.get_by_text("Upload", exact=True).bounding_box()  # kept for screen readers only
    assert word is None or word["width"] <= 1  # clipped to nothing
    assert not page.get_by_text("5MB per file", exact=False).is_visible()
    page.get_by_text("EN", exact=True).click()
    page.get_by_text("Zoning", exact=True).wait_for(timeout=30_000)
    idle(page)
    assert after_text(page, button).startswith('"Choose a file"')


def test_a_click_outside_the_region_on_the_map_of_france_says_why(page, app_url):
    frame = open_app(page, app_url + "/?scope=france")
    frame_box = page.locator(FRAME).last.bounding_box()
    point = frame.locator("body").evaluate(
        "() => { const p = cartohdf.hostedMap().latLngToContainerPoint([47.35, -1.2]); return [p.x, p.y]; }"
    )  # near Nantes: a zone of the Pays de la Loire
    page.mouse.click(frame_box["x"] + point[0], frame_box["y"] + point[1])
    message = page.locator('[data-testid="stAlertContentInfo"]', has_text="hors des Hauts-de-France")
    message.wait_for(timeout=30_000)
    assert "Pays de la Loire" in message.inner_text()


def test_typing_in_a_text_box_shows_french_words(page, app_url):
    open_app(page, app_url)
    box = page.get_by_role("textbox", name="Rechercher une zone (nom ou code)")
    box.click()
    box.press_sequentially("arr")
    hint = page.locator('[data-testid="InputInstructions"]').first
    hint.wait_for()
    assert hint.evaluate("el => getComputedStyle(el, '::after').content") == '"Entrée pour valider"'
    assert not page.get_by_text("Press Enter to apply").is_visible()
