"""Zones compared side by side (issue 21, item 1): the state and its link, the comparison's
figures (ranks, index, scatter), recomputed here independently of the code under test."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cartohdf.core import StateError
from cartohdf.indicators import (
    compare_scatter,
    compare_zones,
    index_series,
    indicator_set,
    national_set,
    scatter_axes,
)
from cartohdf.state import MapState, from_query, resolve, to_cli_args

ZE2010 = ["2203", "2209", "2205", "2210", "2211", "2212", "2213", "2215"]


# -- the state and its link --------------------------------------------------------------------


@settings(max_examples=60)
@given(st.lists(st.sampled_from(ZE2010), min_size=2, max_size=6, unique=True), st.booleans())
def test_compare_round_trips_through_the_link_and_the_flags(codes, defaults):
    state = MapState(compare=tuple(codes), zone=codes[0])
    assert from_query(state.to_query(defaults=defaults)) == state
    args = to_cli_args(state)
    flags = dict(zip(args[0::2], args[1::2], strict=True))
    assert flags["--compare"] == ",".join(codes)  # the order picked is kept
    assert from_query({k.removeprefix("--"): v for k, v in flags.items()}) == state


def test_the_link_names_the_compared_zones():
    assert MapState(compare=("2203", "2209")).to_query() == {"compare": "2203,2209"}
    assert from_query({"compare": " 2203 , 2209 "}).compare == ("2203", "2209")
    assert from_query({"compare": ""}).compare == ()


@pytest.mark.parametrize(
    ("codes", "words"),
    [
        (("2203",), "1 zone(s) ; il en faut de 2 à 6"),
        (tuple(ZE2010[:7]), "7 zone(s)"),
        (("2203", "2209", "2203"), "« 2203 » est nommée deux fois"),
    ],
)
def test_the_state_refuses_a_bad_comparison(codes, words):
    with pytest.raises(StateError) as err:
        MapState(compare=codes)
    assert words in err.value.message("fr")


def test_an_unknown_code_is_named(data):
    with pytest.raises(StateError) as err:
        resolve(from_query({"compare": "2203,9999"}), data)
    assert "compare : zone « 9999 » inconnue pour ze2010" in err.value.message("fr")
    assert "zone “9999” unknown" in err.value.message("en")
    with pytest.raises(StateError, match="« 2203 » inconnue pour ze2020"):
        resolve(from_query({"zoning": "ze2020", "compare": "2203,3216"}), data)


# -- the figures -----------------------------------------------------------------------------


def test_index_is_100_at_the_first_year():
    s = index_series("X", "x", pd.Series([200.0, 150.0, 260.0], index=[2019, 2022, 2024]))
    assert s.values == (100.0, 75.0, 130.0) and s.years == (2019, 2022, 2024)
    zero = index_series("Z", "z", pd.Series([0.0, 5.0], index=[2019, 2020]))
    assert all(math.isnan(v) for v in zero.values)  # no base: no index, not infinity


def test_ranks_and_values_are_those_of_the_tables(data):
    codes = ["3216", "3222", "3213"]
    c = compare_zones(data, "ze2020", codes)
    iset, nset = indicator_set(data, "ze2020"), national_set(data, "ze2020")
    assert c.codes == tuple(codes) and c.names == ("Lille", "Valenciennes", "Dunkerque")
    assert {r.indicator.id for r in c.rows} == set(iset.indicators)  # every indicator
    share = next(r for r in c.rows if r.indicator.id == "industrial_share")
    jobs = iset.comps.xs(2024, level="year")
    by_hand = (jobs["industry"] / jobs["total"]).sort_values(ascending=False)
    assert share.values == tuple(by_hand[codes])
    assert share.rank_region == tuple(list(by_hand.index).index(c) + 1 for c in codes)  # no ties here
    assert share.n_region == 24
    france = nset.comps.xs(2024, level="year")
    france = france["industry"] / france["total"]
    assert share.rank_france == tuple(int((france > france[c]).sum()) + 1 for c in codes)
    assert share.n_france == len(france.dropna())
    change = next(r for r in c.rows if r.indicator.id == "industrial_change")
    assert (change.base_year, change.year) == (2019, 2024)


def test_france_ranks_only_with_the_builtin_data(data):
    from dataclasses import replace

    c = compare_zones(replace(data, source="mine"), "ze2010", ["2203", "2209"])
    assert not c.national_ranks
    assert all(r.rank_france == (None, None) and r.n_france == 0 for r in c.rows)
    assert all(r.rank_region[0] is not None for r in c.rows)


def test_index_series_for_the_zones_the_region_and_france(data):
    c = compare_zones(data, "ze2010", ["2203", "2209"])
    assert [s.code for s in c.index] == ["2203", "2209", "REG", "FR"]
    iset = indicator_set(data, "ze2010")
    lens = iset.jobs_series("2203")
    assert c.index[0].values[-1] == pytest.approx(100 * lens[2017] / lens[1998])
    assert all(s.values[0] == 100.0 and s.years[0] == 1998 == c.index_base for s in c.index)
    region = iset.region["industry"].xs("REG", level="zone_code")
    assert c.index[2].values[-1] == pytest.approx(100 * region[2017] / region[1998])


def test_scatter_covers_every_zone_and_flags_the_compared_ones(data):
    s = compare_scatter(data, "ze2010", ["2209", "2203"], "industrial_share", "industrial_jobs")
    assert len(s.points) == len(data.zones["ze2010"])
    assert {p.code for p in s.points if p.compared} == {"2203", "2209"}
    lens = next(p for p in s.points if p.code == "2203")
    iset = indicator_set(data, "ze2010")
    assert lens.y == iset.comps.loc[("2203", 2017), "industry"]
    assert [p.code for p in s.points] == sorted(p.code for p in s.points)


def test_scatter_axes_fall_back_to_the_defaults(data):
    iset = indicator_set(data, "ze2010")
    assert scatter_axes(iset) == ("industrial_share", "industrial_change")
    assert scatter_axes(iset, ["industrial_jobs", "nope"]) == ("industrial_jobs", "industrial_change")
    assert scatter_axes(iset, ["industrial_change", "industrial_change"])[1] != "industrial_change"


# -- the files: CLI, CSV, XLSX, PDF ----------------------------------------------------------


def _pdf_pages(path) -> list[str]:
    import subprocess

    text = subprocess.run(["pdftotext", "-enc", "UTF-8", "-layout", str(path), "-"], check=True,
                          capture_output=True).stdout.decode("utf-8")  # fmt: skip
    return [page.replace("\u202f", " ") for page in text.split("\f")[:-1]]


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_cli_writes_a_pdf_report_pdftotext_reads(tmp_path, lang):
    from click.testing import CliRunner

    from cartohdf.front.cli import main

    out = tmp_path / "comparaison.pdf"
    result = CliRunner().invoke(main, ["compare", "2203", "2209", "--lang", lang, "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert not list(tmp_path.glob("*.tmp*"))  # written whole, nothing beside it
    table, charts = _pdf_pages(out)
    words = {"fr": ("Comparaison de zones d’emploi", "Indice de spécialisation", "rang dans la région",
                    "Emplois industriels, indice base 100 en 1998", "année"),
             "en": ("Employment zones compared", "Industrial specialisation index", "rank in the région",
                    "Industrial jobs, index 1998 = 100", "year")}[lang]  # fmt: skip
    for word in words[:3]:
        assert word in " ".join(table.split()), word
    assert "La Thiérache (2203)" in table and "Abbeville" in table
    # La Thiérache (2203) ranks 2nd of the map's 28 zones on the industrial share in 2017
    assert "2/28" in table
    for word in words[3:]:
        assert word in " ".join(charts.split()), word
    assert "Source" in charts and "Estel" in charts


def test_cli_writes_csv_and_xlsx(tmp_path, data):
    from click.testing import CliRunner

    from cartohdf.front.cli import main

    csv, xlsx = tmp_path / "c.csv", tmp_path / "c.xlsx"
    for out in (csv, xlsx):
        result = CliRunner().invoke(main, ["compare", "3216,3222", "3213", "--zoning", "ze2020", "--out", str(out)])
        assert result.exit_code == 0, result.output
    table = pd.read_csv(csv, sep=";", decimal=",", encoding="utf-8-sig")
    iset = indicator_set(data, "ze2020")
    assert len(table) == len(iset.indicators) * 5  # three zones, the région and France
    assert list(table["Code"][:5]) == ["3216", "3222", "3213", "REG", "FR"]
    lille = table[(table["Code"] == "3216") & (table["Indicateur"] == "Emplois industriels")].iloc[0]
    assert lille["valeur"] == iset.comps.loc[("3216", 2024), "industry"]
    assert lille["rang région"] == 1
    sheets = pd.read_excel(xlsx, sheet_name=None)
    assert list(sheets) == ["comparaison", "indice", "nuage"]
    assert sheets["indice"].iloc[0, 1:].tolist() == [100.0] * 5
    assert len(sheets["nuage"]) == len(data.zones["ze2020"])


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["2203", "--out", "x.pdf"], "il en faut de 2 à 6"),
        (["2203", "2203", "--out", "x.pdf"], "« 2203 » est nommée deux fois"),
        (["2203", "9999", "--out", "x.pdf"], "« 9999 » inconnue pour ze2010"),
        (["2203", "2209", "--out", "x.docx"], "une des valeurs .pdf, .csv, .xlsx"),
    ],
)
def test_cli_says_what_is_wrong_in_one_line(tmp_path, args, words):
    from click.testing import CliRunner

    from cartohdf.front.cli import main

    args = [str(tmp_path / a) if a.startswith("x.") else a for a in args]
    result = CliRunner().invoke(main, ["compare", *args])
    assert result.exit_code == 2
    assert words in result.output and "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) == 1
    assert not list(tmp_path.iterdir())


def test_the_report_is_the_same_twice(data):
    from cartohdf.export import compared_view, comparison_pdf

    view = compared_view(data, "ze2010", ("2203", "2209"), "fr")
    assert comparison_pdf(view) == comparison_pdf(view)


# -- the map follows the comparison ----------------------------------------------------------


def test_the_exported_map_names_and_outlines_the_compared_zones(data):
    from tests.conftest import export_html

    html = export_html({"compare": "2203,2209"}, data)
    assert "Zones comparées : La Thiérache (2203), Abbeville (2209)" in html
    assert html.count('"layer":"compared"') == 1  # one layer of outlines, drawn by the page
    assert "<script src=" not in html  # still self-contained
    assert export_html({"compare": "2203,2209"}, data) == html  # the same bytes twice
    plain = export_html({}, data)
    assert '"layer":"compared"' not in plain and "Zones comparées" not in plain


def test_the_static_map_outlines_the_compared_zones(data):
    from cartohdf.compose import plan
    from cartohdf.export import static_map
    from tests.conftest import DAY

    svg = static_map(plan(from_query({"compare": "2203,2209", "lang": "en"}), data), "svg", DAY).decode()
    assert 'id="compared-2203"' in svg and 'id="compared-2209"' in svg
    assert "Zones compared: La Thiérache (2203), Abbeville (2209)" in svg


def test_the_app_page_is_the_same_whatever_is_compared(data):
    from cartohdf.compose import plan
    from cartohdf.front._mappage import page_state, view_message

    state = from_query({"compare": "2203,2209"})
    assert page_state(state) == page_state(MapState())
    assert view_message(plan(state, data))["compare"] == ["2203", "2209"]


def test_the_map_pdf_of_a_comparison_has_its_pages_after_the_map(tmp_path):
    from click.testing import CliRunner

    from cartohdf.front.cli import main

    out, plain = tmp_path / "carte.pdf", tmp_path / "seule.pdf"
    for path, extra in ((out, ["--compare", "2203,2209"]), (plain, [])):
        result = CliRunner().invoke(main, ["export", "--out", str(path), "--date", "2026-11-26", *extra])
        assert result.exit_code == 0, result.output
    the_map, table, charts = _pdf_pages(out)
    assert "Zones comparées : La Thiérache (2203), Abbeville (2209)" in " ".join(the_map.split())
    assert "Comparaison de zones d’emploi" in table and "2/28" in table
    assert "Emplois industriels, indice base 100 en 1998" in " ".join(charts.split())
    assert "1/2" not in table  # numbered as the report's own pages only
    assert len(_pdf_pages(plain)) == 1
    again = tmp_path / "encore.pdf"
    CliRunner().invoke(main, ["export", "--out", str(again), "--date", "2026-11-26", "--compare", "2203,2209"])
    assert again.read_bytes() == out.read_bytes()  # the same bytes twice
