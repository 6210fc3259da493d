"""The side panel's HTML: tables that wrap, the jobs series scaled to its own range."""

from __future__ import annotations

import re

import pandas as pd

from cartohdf.render import profile_html, sparkline_svg, table_html, zone_profile
from cartohdf.render._profile import jobs_chart, national_strip

EVIL = "<img src=x onerror=alert(1)>"


def _points(svg: str) -> list[tuple[float, float]]:
    text = re.search(r"points='([^']+)'", svg).group(1)
    return [tuple(float(v) for v in p.split(",")) for p in text.split()]


def test_the_series_spans_its_own_range_with_first_and_last_values_written():
    series = pd.Series(
        [10_000.0, 9_800.0, 9_900.0, 9_500.0], index=["1998", "1999", "2000", "2001"]
    )
    svg = sparkline_svg(jobs_chart(series, "Emplois industriels", "fr"), "fr")
    ys = [y for _, y in _points(svg)]
    # the lowest value on the bottom line, the highest on the top line: not a flat line near 10 000
    assert max(ys) - min(ys) > 40
    assert ys.index(max(ys)) == 3 and ys.index(min(ys)) == 0
    assert "1998 : 10\u202f000" in svg and "2001 : 9\u202f500" in svg
    assert "role='img'" in svg and "aria-label='Emplois industriels : 10\u202f000 en 1998" in svg
    assert jobs_chart(pd.Series([], dtype=float), "x") is None
    assert sparkline_svg(None) == ""


def test_tables_escape_every_cell_and_align_numbers():
    frame = pd.DataFrame({"Nom": [EVIL], "Valeur": ["12,5\u202f%"]})
    html = table_html(frame, numeric=(1,))
    assert EVIL not in html and "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "<td class='n'>12,5\u202f%</td>" in html and "<th scope='col'>Nom</th>" in html


def test_the_profile_names_the_national_reference_and_holds_the_data_values(data):
    p = zone_profile(data, "ze2010", "2203", "fr")
    html = profile_html(p, "fr")
    assert "France : France métropolitaine." in html
    assert "<th scope='col' class='n'>France</th>" in html
    for value in p.indicators.iloc[:, 1]:
        assert f">{value}<" in html
    assert "La Thiérache" in html or "Thiérache" in html
    inter = profile_html(zone_profile(data, "ze2010", "0056", "en"), "en")
    assert "class='warn'" in inter and "lang='en'" in inter


def test_the_strip_draws_every_zone_of_france_the_region_and_the_map_breaks(data):
    from cartohdf.render import strip_svg

    ctx = zone_profile(data, "ze2010", "2203", "fr").context
    assert ctx is not None and ctx.n_france == 304
    svg = strip_svg(national_strip(ctx, "fr"), breaks=(0.12, 0.2, 0.9))  # 0.9: beyond every zone
    paths = dict(re.findall(r"<path class='(region|france)' d='([^']+)'", svg))
    ticks = {k: re.findall(r"M[\d.]+ [\d.]+v(\d+)", d) for k, d in paths.items()}
    assert len(ticks["region"]) + len(ticks["france"]) == 304
    assert len(ticks["region"]) == int(ctx.distribution["in_region"].sum()) == 28
    assert set(ticks["region"]) == {"18"} and set(ticks["france"]) == {"8"}  # the région's taller
    assert len(svg) < 8000  # one path per colour, not an element per zone
    assert svg.count("stroke-dasharray='2 2'") == 2
    assert ">26,8\u202f%</text>" in svg  # the zone's value over its mark
    html = profile_html(zone_profile(data, "ze2010", "2203", "fr"), "fr")
    assert "36 / 304" in html or f"{ctx.rank_france} / 304" in html
    assert "<img class='chart' alt='Part de l’industrie" in html
    for name in ctx.similar["name"]:
        assert name in html


def test_a_ze2020_profile_names_both_references(data):
    p = zone_profile(data, "ze2020", "3216", "fr")
    html = profile_html(p, "fr")
    ctx = p.context
    assert ctx is not None and ctx.reference_code == "FR"
    assert "France : France (y compris outre-mer)." in html
    metro = ctx.metro_reference
    assert f"France métropolitaine {percent_fr(metro)}" in html and "y compris outre-mer," in html


def percent_fr(v: float) -> str:
    from cartohdf.core import value

    return value(v, "share", "fr")
