"""The HTML the app's side panel and the map's controls are made of, for a narrow column and
in the interface's language (the browser tests check how it is drawn)."""

from __future__ import annotations

import re

import pytest

from cartohdf.render import esc, overview_html
from cartohdf.render._overview import compare, key_figures


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_overview_shows_the_comparison_as_cards_not_a_wide_table(data, lang):
    figures, comparison = key_figures(data, lang), compare(data, lang)
    html = overview_html(figures, comparison, lang)
    assert "<table" not in html  # five columns do not fit a 352 px column
    assert html.count("<dl>") == len(comparison)
    for row in comparison.itertuples(index=False):
        for cell in row:
            assert esc(str(cell)) in html
    # the usual definition is said once, not on each card
    usual = comparison.iloc[:, -1].mode().iloc[0]
    assert (comparison.iloc[:, -1] == usual).sum() > 1
    assert f"</span> {esc(usual)}</p>" not in html and f": {esc(usual)}</p>" in html
    # each source of the key figures is written once, each figure points to its own
    sources = figures.iloc[:, 3].unique()
    assert all(html.count(f"<li>{esc(str(s))}</li>") == 1 for s in sources)
    refs = [int(n) for n in re.findall(r"<sup class='ref'>(\d+)</sup>", html)]
    assert len(refs) == len(figures) and max(refs) == len(sources)


@pytest.mark.parametrize(("lang", "zoom_in", "zoom_out"),
                         [("fr", "Zoom avant", "Zoom arrière"), ("en", "Zoom in", "Zoom out")])  # fmt: skip
def test_the_map_controls_speak_the_interface_language_and_the_scale_is_metric(
    data, lang, zoom_in, zoom_out
):
    from tests.conftest import export_html

    html = export_html({"lang": lang}, data)
    assert f'zoomInTitle: "{zoom_in}"' in html and f'zoomOutTitle: "{zoom_out}"' in html
    assert "L.control.scale({imperial: false})" in html
    assert "L.control.scale()" not in html and '"zoomControl": true' not in html
