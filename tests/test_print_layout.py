"""Print cartography checked on the drawn figures: names placed clear of each other, of the
symbols and of the frame; a zone's map filling the page's map area; no symbol cut by the
frame; the selected zone named; the French elision « L’ » not kerned into the L."""

from __future__ import annotations

import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from cartohdf.compose import plan
from cartohdf.core import t
from cartohdf.export import _atlas, _static
from cartohdf.export._labels import two_lines
from cartohdf.export._typeset import elision_features
from cartohdf.state import from_query
from tests.conftest import DAY
from tests.print_check import drawn, report

ALL_LAYERS = "s3,employers,ti2018,ti2023,departements,labels"


def figure(data, query: dict[str, str]) -> Figure:
    with _static.print_style():
        return _static.map_figure(plan(from_query(query), data), DAY)


@pytest.mark.parametrize(("query", "least"), [({"layers": ALL_LAYERS}, 24),
                                              ({"layers": ALL_LAYERS, "zone": "2203"}, 6)])  # fmt: skip
def test_names_overlap_nothing_and_stay_in_the_frame(data, query, least):
    fig = figure(data, query)
    for dpi in (100, 72, 300):  # placed once, measured as PDF/SVG (72) and PNG (300) draw it
        fig.set_dpi(dpi)
        r = report(fig)
        assert (r.label_pairs, r.label_symbol, r.outside, r.cut) == (0, 0, 0, 0), (dpi, r)
        assert r.labels >= least  # names are moved before they are left out


def test_a_zone_map_fills_the_map_area_with_whole_symbols(data):
    fig = figure(data, {"layers": ALL_LAYERS, "zone": "2203"})
    renderer = drawn(fig)
    ax = fig.axes[0]
    frame = ax.get_window_extent(renderer)
    zones = [p.get_window_extent(renderer) for p in ax.patches
             if str(p.get_gid()).startswith("zones-")]  # fmt: skip
    x0, x1 = max(min(b.x0 for b in zones), frame.x0), min(max(b.x1 for b in zones), frame.x1)
    y0, y1 = max(min(b.y0 for b in zones), frame.y0), min(max(b.y1 for b in zones), frame.y1)
    width, height = _static.MAP_BOX[2:]  # the page’s room for the map
    page_w, page_h = fig.bbox.width, fig.bbox.height
    assert (x1 - x0) / (width * page_w) >= 0.8 and (y1 - y0) / (height * page_h) >= 0.8
    symbols = [line for line in ax.lines if str(line.get_gid()).startswith("employers")]
    assert symbols  # the zone's employers are drawn, and none is cut (counted above)
    assert report(fig).cut == 0


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_subtitle_names_the_selected_zone(data, lang):
    fig = figure(data, {"zone": "2203", "lang": lang})
    (subtitle,) = [x.get_text() for x in fig.texts if x.get_gid() == "subtitle"]
    name = data.zone_name("ze2010", "2203")
    expected = t("static.zone_subtitle", lang, name=name, code="2203", rest="")
    assert subtitle.startswith(expected) and name in subtitle
    svg = _static.static_map(plan(from_query({"zone": "2203", "lang": lang}), data), "svg", DAY)
    assert f"{name} (2203)" in svg.decode("utf-8")
    (regional,) = [x.get_text() for x in figure(data, {"lang": lang}).texts
                   if x.get_gid() == "subtitle"]  # fmt: skip
    assert "(2203)" not in regional


@pytest.mark.parametrize("code", ["3121", "2210"])
def test_locator_names_overlap_nothing_and_stay_in_the_frame(data, code):
    atlas = _atlas.atlas_context(data, "ze2010", "fr", DAY)
    with _static.print_style():
        fig = Figure(figsize=_atlas.A4_PORTRAIT)
        _atlas.zone_page(fig, atlas, code)
        r = report(fig, [fig.axes[0]], any_text=True)
    assert (r.label_pairs, r.outside) == (0, 0), r
    assert r.labels >= 3


def ink_columns(text: str, **kwargs) -> tuple[np.ndarray, np.ndarray]:
    """Columns inked by `text` at 100 pt bold, in its lower and upper thirds."""
    fig = Figure(figsize=(3, 1.6), dpi=100)
    canvas = FigureCanvasAgg(fig)
    fig.text(0.05, 0.2, text, fontsize=100, fontweight="bold", family="DejaVu Sans", **kwargs)
    canvas.draw()
    ink = np.asarray(canvas.buffer_rgba())[:, :, 0] < 128
    rows = np.where(ink.any(axis=1))[0]
    top, bottom = rows.min(), rows.max()
    third = (bottom - top) // 3
    low = np.where(ink[bottom - third : bottom + 1].any(axis=0))[0]
    high = np.where(ink[top : top + third].any(axis=0))[0]
    return low, high


def test_the_elision_apostrophe_stands_clear_of_the_l():
    foot = ink_columns("L")[0].max()  # the L's foot, its rightmost ink
    _, high = ink_columns("L’", **elision_features("L’"))
    apostrophe = high[high > ink_columns("L")[1].max() + 1]  # the upper third, past the stem
    assert apostrophe.min() > foot  # the apostrophe after the L, not over its foot
    _, kerned = ink_columns("L’")  # the font's own pair puts it over the foot
    assert kerned[kerned > ink_columns("L")[1].max() + 1].min() < foot
    # only the elision loses its kerning: "To" keeps the font's pair
    assert elision_features("To L’usine") == {"fontfeatures": ["kern[3:5]=0"]}


def test_the_atlas_cover_title_uses_the_elision_setting(data):
    atlas = _atlas.atlas_context(data, "ze2010", "fr", DAY)
    with _static.print_style():
        fig = Figure(figsize=_atlas.A4_PORTRAIT)
        _atlas.cover_page(fig, atlas, DAY)
    (title,) = [x for x in fig.texts if x.get_text() == t("app_title", "fr")]
    assert list(title.get_fontfeatures() or []) == ["kern[0:2]=0"]


def test_two_line_names_break_near_the_middle_never_before_a_dash():
    assert two_lines("La Vallée de la Bresle - Vimeu") == "La Vallée de la\nBresle - Vimeu"
    assert two_lines("Lens - Hénin") == "Lens -\nHénin"
    assert two_lines("Valenciennes") is None
