"""Sector maps (issue 21, item 2): one industrial A38 sector's jobs (circles), change, share of
the zone's industrial jobs and specialisation (choropleths) for the ZE2020 zones, in the state,
the link, the CLI, every output; figures traceable to data/urssaf_a38_industry_ze2020.csv."""

from __future__ import annotations

import csv
import json
import math
import re

import pandas as pd
import pytest
from click.testing import CliRunner

from cartohdf.compose import plan
from cartohdf.core import INDUSTRIAL_A38, StateError, paths
from cartohdf.front.cli import main
from cartohdf.indicators import indicator_set, sector_measure, sector_of
from cartohdf.state import MapState, controls_from_state, from_query, resolve, state_from_controls
from cartohdf.view import Drawing

SECTOR_FILE = paths.ROOT / "data" / "urssaf_a38_industry_ze2020.csv"
MEASURE_IDS = {"jobs": "sector_jobs_", "change": "sector_change_", "industry_share": "sector_share_",
               "specialisation": "specialisation_"}  # fmt: skip


def _file_rows() -> dict[tuple[str, str, int], dict[str, str]]:
    """The committed sector file, read with the csv module (nothing shared with the app)."""
    with open(SECTOR_FILE, encoding="utf-8") as fh:
        return {(r["zone_code"], r["sector"], int(r["year"])): r for r in csv.DictReader(fh)}


def test_every_sector_map_value_is_the_sector_file_s(data):
    """Jobs, change and specialisation as written in the file; the share of industrial jobs
    recomputed from its jobs, for every zone, sector and year (région and France too)."""
    rows = _file_rows()
    iset = indicator_set(data, "ze2020")
    industry: dict[tuple[str, int], float] = {}
    for (area, _, year), r in rows.items():
        industry[(area, year)] = industry.get((area, year), 0.0) + float(r["jobs"])
    for code in INDUSTRIAL_A38:
        for year in iset.years:
            jobs = iset.values(f"sector_jobs_{code.lower()}", year)
            share = iset.values(f"sector_share_{code.lower()}", year)
            spec = iset.values(f"specialisation_{code.lower()}", year)
            for zone in jobs.index:
                r = rows[(zone, code, year)]
                assert jobs[zone] == float(r["jobs"])
                assert spec[zone] == float(r["specialisation"])
                assert share[zone] == pytest.approx(float(r["jobs"]) / industry[(zone, year)], abs=1e-12)
            assert iset.region_value(f"sector_jobs_{code.lower()}", year) == float(rows[("REG", code, year)]["jobs"])
            assert iset.reference_value(f"sector_jobs_{code.lower()}", year) == float(rows[("FR", code, year)]["jobs"])
        change = iset.values(f"sector_change_{code.lower()}", 2024, 2019)
        for zone in change.index:
            written = rows[(zone, code, 2024)]["change"]
            assert (math.isnan(change[zone]) and written == "") or change[zone] == float(written)


def test_the_share_of_industrial_jobs_adds_up_to_one_in_every_area(data):
    shares = sum(sector_measure(data.sectors, code, "industry_share", 2024) for code in INDUSTRIAL_A38)
    assert shares.round(12).eq(1.0).all() and {"REG", "FR"} <= set(shares.index)


@pytest.mark.parametrize("measure", list(MEASURE_IDS))
def test_sector_ids_name_their_sector_and_measure(measure):
    assert sector_of(f"{MEASURE_IDS[measure]}cl") == ("CL", measure)
    assert sector_of("industrial_share") is None and sector_of("sector_jobs_") is None


def test_a_sector_map_round_trips_through_the_link_and_the_cli_flags(data):
    state = resolve(from_query({"zoning": "ze2020", "indicator": "sector_change_cl", "zone": "3205"}), data)
    assert (state.year, state.base_year) == (2024, 2019)
    query = state.to_query()
    assert query["indicator"] == "sector_change_cl" and query["year"] == "2019-2024"
    assert from_query(query) == state
    args = state.to_cli_args()
    assert args[args.index("--indicator") + 1] == "sector_change_cl"


@pytest.mark.parametrize(
    ("params", "said"),
    [
        ({"zoning": "ze2020", "indicator": "sector_jobs_zz"}, ["« ZZ »", "sector_jobs_zz", "BZ, CA"]),
        ({"zoning": "ze2010", "indicator": "sector_jobs_ch"}, ["sector_jobs_ch", "zoning=ze2020"]),
        ({"zoning": "ze2020", "indicator": "sector_share_ch", "scope": "france"}, ["scope=region"]),
    ],
)
def test_a_sector_map_elsewhere_is_refused_saying_what_it_needs(data, params, said):
    with pytest.raises(StateError) as err:
        resolve(from_query(params), data)
    assert all(s in err.value.message("fr") for s in said), err.value.message("fr")


def test_jobs_are_circles_and_the_other_measures_choropleths(data):
    jobs = plan(MapState(zoning="ze2020", indicator="sector_jobs_ch"), data)
    assert jobs.classes is None and jobs.drawing.circles is not None
    circles = {d.code: d.radius for d in jobs.drawing.circles.discs}
    biggest = jobs.values.values.idxmax()
    assert circles[biggest] == max(circles.values())
    legend = jobs.drawing.legend[0]
    assert legend.title == "Emplois : Métallurgie" and legend.unit == "emplois · 2024"
    assert "secteurs industriels A38" in legend.source
    change = plan(MapState(zoning="ze2020", indicator="sector_change_ch"), data)
    assert change.classes is not None and change.drawing.circles is None
    assert change.drawing.legend[0].unit == "% · 2019–2024"
    assert len({a.fill for a in change.drawing.zones.areas if a.fill}) > 2  # diverging classes
    # the typed view carries the sector map whole: what folium and matplotlib draw alike
    assert Drawing.from_json(change.drawing.to_json()) == change.drawing


def test_the_widgets_show_a_sector_map_as_sector_and_measure(data):
    iset = indicator_set(data, "ze2020")
    state = resolve(MapState(zoning="ze2020", indicator="sector_share_cg"), data)
    controls = controls_from_state(state, iset)
    assert (controls["w_indicator"], controls["w_sector"], controls["w_sector_measure"]) == (
        "sector", "CG", "industry_share")  # fmt: skip
    again, problem = state_from_controls(controls, iset)
    assert problem is None and again.indicator == "sector_share_cg"


def test_cli_exports_a_sector_map_as_html_and_svg(tmp_path):
    for ext in ("html", "svg"):
        out = tmp_path / f"metal.{ext}"
        result = CliRunner().invoke(main, ["export", "--zoning", "ze2020", "--indicator", "sector_jobs_ch",
                                           "--date", "2026-01-01", "--out", str(out)])  # fmt: skip
        assert result.exit_code == 0, result.output
        text = out.read_text(encoding="utf-8")
        assert "Emplois : Métallurgie" in text and "secteurs industriels A38" in text
    html = (tmp_path / "metal.html").read_text(encoding="utf-8")  # self-contained, offline
    assert not re.search(r"<script[^>]+src=", html) and not re.search(r"<link[^>]+href=", html)


def test_cli_export_of_a_sector_map_in_ze2010_is_one_line(tmp_path):
    out = tmp_path / "x.html"
    result = CliRunner().invoke(main, ["export", "--indicator", "sector_jobs_ch", "--out", str(out)])
    assert result.exit_code != 0 and "zoning=ze2020" in result.output
    assert "Traceback" not in result.output and not out.exists()


def test_the_zone_tables_carry_every_sector_measure(data):
    from cartohdf.export import zone_table_bytes

    table = pd.read_csv(pd.io.common.BytesIO(zone_table_bytes(data, "ze2020", "csv")), dtype={"code": str})
    row = table.set_index("code").loc["3205"]
    rows = _file_rows()
    assert row["sector_jobs_ch_2024"] == float(rows[("3205", "CH", 2024)]["jobs"])
    assert row["sector_change_ch_2019_2024"] == pytest.approx(float(rows[("3205", "CH", 2024)]["change"]), abs=1e-6)
    assert "sector_share_ch_2024" in row and "specialisation_ch_2024" in row
    geo = json.loads(zone_table_bytes(data, "ze2020", "geojson"))
    assert "sector_jobs_cl_2019" in geo["features"][0]["properties"]


def test_the_app_draws_the_sector_chosen_with_its_legend():
    """Choose « a sector », then a sector and a measure: the map page the app sends is that
    sector's (legend and title), the link names it; back in ZE2010 the sector map is not
    offered, and said so."""
    from streamlit.testing.v1 import AppTest

    from tests.conftest import app_map

    at = AppTest.from_file(str(paths.ROOT / "streamlit_app.py"), default_timeout=120)
    at.query_params["zoning"] = "ze2020"
    at.run()
    at.selectbox(key="w_indicator").select("sector").run()
    at.selectbox(key="w_sector").select("CL").run()
    at.radio(key="w_sector_measure").set_value("jobs").run()
    assert not at.exception and not at.error
    assert at.query_params["indicator"] == "sector_jobs_cl"
    page, _ = app_map(at)
    assert "Emplois : Matériels transport" in page and "secteurs industriels A38" in page
    assert "cartohdf-circle circle-3205" in page  # proportional circles, one per zone
    at.radio(key="w_sector_measure").set_value("change").run()
    page, _ = app_map(at)
    assert "cartohdf-circle circle-3205" not in page
    assert at.query_params["indicator"] == "sector_change_cl" and "Évolution des emplois : Matériels transport" in page
    at.radio(key="w_scope").set_value("france").run()  # France: refused, saying why
    assert at.error and "(zoning=ze2020)" in at.error[0].value.replace("\\", "")


def test_a_profile_carries_the_zone_s_sector_mix_and_strongest_specialisations(data):
    from cartohdf.render import zone_profile

    p = zone_profile(data, "ze2020", "3205", "fr", 2024)
    rows = _file_rows()
    industry = sum(float(rows[("3205", c, 2024)]["jobs"]) for c in INDUSTRIAL_A38)
    metal = INDUSTRIAL_A38.index("CH")
    assert p.sector_mix is not None and p.sector_mix.year == 2024
    assert p.sector_mix.zone[metal] == pytest.approx(float(rows[("3205", "CH", 2024)]["jobs"]) / industry)
    assert sum(p.sector_mix.region) == pytest.approx(1) and sum(p.sector_mix.france) == pytest.approx(1)
    assert p.specialisations is not None and list(p.specialisations.iloc[0]) == ["Ind. alimentaires (CA)", "3,18", "4\u202f701"]
    # the indicators table keeps the zone's own indicators: the sectors have their section
    assert len(p.indicators) == 5
    assert zone_profile(data, "ze2010", "2203").sector_mix is None


def test_the_side_panel_pages_stay_compact_with_the_sector_charts():
    """Every ZE2020 profile's chart travels as figures (16 whole numbers a zone), their words
    once: the view's pages stay under what they weighed before the sectors (43,464 bytes, with
    the 16 specialisation rows per profile that the sector section replaced)."""
    from cartohdf.front import session
    from cartohdf.front.app import unpacked

    _, payload = session.pages("ze2020", "fr", "", "", (), (2024, None))
    assert len(payload) < 43_464
    pages = unpacked(payload)
    assert pages["sectors"]["codes"] == list(INDUSTRIAL_A38)
    assert pages["zones"]["3205"]["mix"] == {"name": "Béthune", "v": [1, 359, 21, 45, 0, 32, 0, 118, 181, 8, 11, 25,
                                                                      77, 45, 17, 60]}  # fmt: skip
    assert pages["sectors"]["region"][INDUSTRIAL_A38.index("CH")] == 134
    _, ze2010 = session.pages("ze2010", "fr", "", "", (), (2017, None))
    assert "sectors" not in unpacked(ze2010) and "mix" not in unpacked(ze2010)["zones"]["2203"]


def test_the_study_s_sector_losses_beside_the_open_data_in_the_overview(data):
    from cartohdf.front import session
    from cartohdf.render import sector_losses

    table = sector_losses(data, "fr")
    metal = table.set_index(table.columns[0]).loc["Métallurgie"]
    assert list(metal) == ["CH", "−15\u202f600", "−964 (−2,6\u202f%)", "−1\u202f585"]
    # the open data's change is the sector file's REG rows, 2024 minus 2019
    rows = _file_rows()
    assert float(rows[("REG", "CH", 2024)]["jobs"]) - float(rows[("REG", "CH", 2019)]["jobs"]) == -964
    assert table.iloc[5, 2] == "en hausse (sans chiffre)"  # pharmacy: the study gives no figure
    html = session.overview("fr")
    assert "Les secteurs nommés par l’étude (2007-2017)" in html and "Périodes disjointes" in html
    assert "Fabrication de matériels de transport" in html
    assert "not the same series continued" in session.overview("en")


def test_the_atlas_follows_the_sector_map_and_prints_the_study_s_sector_losses(data, tmp_path):
    import datetime as dt

    from cartohdf.export import atlas_pdf, portrait_pdf
    from tests.test_atlas import page_texts, plain

    day = dt.date(2026, 1, 1)
    view = MapState(zoning="ze2020", indicator="sector_jobs_ch")
    pages = [plain(p) for p in page_texts(atlas_pdf(data, "ze2020", "fr", day, view), tmp_path)]
    assert "Emplois : Métallurgie" in pages[0]  # the cover's map and legend: the sector's
    betune = next(p for p in pages if p.startswith("Béthune (3205)"))
    assert "Emplois : Métallurgie (2024) : 2 366 emplois" in " ".join(betune.split())  # its locator's caption
    sectors = " ".join(pages[-2].split())
    assert "Les secteurs nommés par l’étude" in sectors and "−15 600" in sectors and "−964 (−2,6 %)" in sectors
    assert "Périodes disjointes" in sectors
    portrait = plain(page_texts(portrait_pdf(data, "ze2020", "3205", "fr", day, view), tmp_path)[0])
    assert "2 366 emplois" in portrait


def test_the_session_keeps_a_sector_choice_in_ze2020_and_says_what_it_needs_elsewhere():
    from cartohdf.front import session

    ss = {"w_zoning": "ze2020", "w_indicator": "sector", "w_sector": "CL", "w_sector_measure": "change",
          "w_scope": "region", "w_year": 2024, "w_period": (2019, 2024)}  # fmt: skip
    session.reseed_years(ss)
    assert ss["w_indicator"] == "sector" and session.picked_indicator(ss) == "sector_change_cl"
    assert session.sector_hint(ss, "fr") == ""
    ss["w_scope"] = "france"  # a sector's change over France: not drawn, and said
    assert "zones d’emploi 2020" in session.sector_hint(ss, "fr")
    ss["w_sector_measure"] = "specialisation"  # the indices: France's tables have them
    assert session.sector_hint(ss, "fr") == ""
    ss["w_zoning"] = "ze2010"
    session.reseed_years(ss)
    assert ss["w_indicator"] == "industrial_share" and "2020" in session.sector_hint(ss, "en")
