"""Levels below the zone in the view: communes, EPCI and départements of an URSSAF import on
the map, in the link and flags, the side panel, every export, and the app (built-in data: the
command to run instead).

The import is built in code: the national file's layout (« Code commune », « Secteur NA38 »,
« Nombre d'établissements AAAA », « Effectifs salariés AAAA ») with every commune of the
région, some with industrial jobs, some with a withheld cell (an establishment, no published
jobs), the rest with no industrial job.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from cartohdf.compose import plan
from cartohdf.core import StateError
from cartohdf.data import dataset_for, import_urssaf
from cartohdf.export import map_html, static_map
from cartohdf.indicators import indicator_set, level_set, unit_codes, unit_values
from cartohdf.state import MapState, from_query, resolve, to_cli_args
from cartohdf.view import Drawing

DAY = dt.date(2026, 11, 26)
ZONE = "3203"  # Arras (ZE2020)
YEARS = (2019, 2022)


def national_file(path: Path, communes: list[str]) -> None:
    """Every commune has trade jobs; one in 3 industrial jobs, one in 11 a withheld industrial
    cell beside them (its figure is then a lower bound), one in 13 an industrial establishment
    with no published job at all."""
    header = ["Code département", "Code commune", "Grand secteur d'activité", "Secteur NA38"]
    for y in YEARS:
        header += [f"Nombre d'établissements {y}", f"Effectifs salariés {y}"]
    lines = [header]
    for i, code in enumerate(communes):
        lines.append([code[:2], code, "GS3 Commerce", "GZ Commerce", "2", str(10 + i % 50), "2", str(12 + i % 40)])
        if i % 3 == 0:
            lines.append([code[:2], code, "GS1 Industrie", "CH Métallurgie", "1", str(5 + i % 300), "1", str(7 + i % 280)])
        if i % 11 == 0:
            lines.append([code[:2], code, "GS1 Industrie", "CA Industries alimentaires", "1", "", "1", ""])
        if i % 13 == 1:
            lines.append([code[:2], code, "GS1 Industrie", "CB Textile", "1", "", "1", ""])
    text = "\r\n".join(";".join(r) for r in lines) + "\r\n"
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))


def levels_import(folder: Path, data, name: str = "essai") -> Path:
    """`folder` as an imports folder holding the import `name` of a national file with every
    commune of the région (`national_file`)."""
    source = folder.parent / f"{folder.name}_national.csv"
    national_file(source, list(data.communes_2024["commune_code"]))
    import_urssaf(source, data.communes, folder, name=name)
    return folder


@pytest.fixture(scope="module")
def imports(tmp_path_factory, data):
    """An imports folder with the import « essai », the app's and the CLI's for this module."""
    folder = levels_import(tmp_path_factory.mktemp("level_imports"), data)
    with pytest.MonkeyPatch.context() as env:
        env.setenv("CARTOHDF_IMPORTS_DIR", str(folder))
        yield folder


@pytest.fixture(scope="module")
def view_data(imports):
    return dataset_for("essai", "")


def commune_state(**kw) -> MapState:
    return MapState(**{"zoning": "ze2020", "source": "essai", "level": "commune", **kw})


# -- state, link and flags -------------------------------------------------------------------


def test_the_level_and_a_zones_communes_travel_in_the_link_and_the_flags():
    state = from_query({"zoning": "ze2020", "source": "essai", "level": "commune", "within": ZONE, "zone": "62041"})
    assert (state.level, state.within, state.zone) == ("commune", ZONE, "62041")
    query = state.to_query()
    assert query["level"] == "commune" and query["within"] == ZONE
    assert from_query(query) == state
    args = to_cli_args(state)
    assert args[args.index("--level") + 1] == "commune" and args[args.index("--within") + 1] == ZONE
    assert "level" not in MapState().to_query()  # the zones: the default, not in the link


def test_a_map_download_is_named_after_its_level():
    from cartohdf.front.app import map_file_name

    state = MapState(zoning="ze2020", source="essai", level="commune", within=ZONE, zone="62041", year=2022)
    assert map_file_name(state, "html") == "cartohdf_ze2020_industrial_share_2022_essai_communes-3203_zone-62041.html"
    assert "_epci" in map_file_name(MapState(source="essai", level="epci"), "pdf")


def test_a_level_below_the_zone_needs_an_import_and_says_the_command():
    with pytest.raises(StateError) as err:
        MapState(level="commune")
    assert "cartohdf import-urssaf" in err.value.message("fr") and "--source" in err.value.message("en")
    with pytest.raises(StateError, match="within"):
        MapState(source="essai", level="epci", within=ZONE)
    with pytest.raises(StateError):
        MapState(source="essai", level="canton")


def test_the_built_in_data_have_no_level_below_the_zone(data):
    from cartohdf.indicators import area_employment

    with pytest.raises(StateError) as err:
        area_employment(data, "commune")
    assert "import-urssaf" in err.value.message("fr")


def test_a_unit_or_zone_the_level_does_not_have_is_refused(view_data):
    with pytest.raises(StateError, match="59350"):  # Lille: not in Arras' zone
        resolve(commune_state(within=ZONE, zone="59350"), view_data)
    with pytest.raises(StateError, match="9999"):
        resolve(commune_state(within="9999"), view_data)
    assert resolve(commune_state(zone="59350"), view_data).zone == "59350"


# -- figures ---------------------------------------------------------------------------------


def test_commune_figures_add_up_to_the_zone_figures(view_data):
    """Industrial jobs of the communes, summed by zone, are the zones' (every zone, both years)."""
    communes = level_set(view_data, "commune", "ze2020")
    zones = indicator_set(view_data, "ze2020")
    units = view_data.communes_2024.set_index("commune_code")["ze2020"]
    for year in YEARS:
        jobs = communes.values("industrial_jobs", year)
        summed = jobs.groupby(units.reindex(jobs.index)).sum()
        by_zone = zones.values("industrial_jobs", year)
        assert summed.reindex(by_zone.index).tolist() == by_zone.tolist()
    assert len(communes.values("industrial_jobs", 2022)) == 3788  # every commune, zeros included


def test_a_zones_communes_are_ranked_among_themselves(view_data):
    codes = unit_codes(view_data, "commune", "ze2020", ZONE)
    inside = view_data.communes_2024.loc[view_data.communes_2024["ze2020"] == ZONE, "commune_code"]
    assert codes == sorted(inside) and 50 < len(codes) < 500
    zv = unit_values(level_set(view_data, "commune", "ze2020"), "industrial_share", 2022, None, codes)
    assert list(zv.values.index) == codes and zv.n_regional == len(codes)
    assert zv.ranks.min() == 1 and zv.ranks.max() <= len(codes)


# -- the drawing -----------------------------------------------------------------------------


def test_the_communes_drawing_shows_secrecy_and_zero_job_communes_as_such(view_data):
    p = plan(commune_state(), view_data)
    d = p.drawing
    assert d.units is not None and len(d.units.areas) == 3788 and d.units.layer == "units"
    table = view_data.areas["commune"]
    status = table.status("a5", "BE", 2022)
    assert set(d.units.hatched) == set(status[status == "secret"].index) != set()
    zero = {a.code for a in d.units.areas if a.fill == "#ffffff"}
    assert zero == set(status[status == "zero"].index) != set()
    assert all(a.klass is None for a in d.units.areas if a.code in zero)
    assert all(a.klass is not None for a in d.units.areas if a.code in set(d.units.hatched))
    secret = d.units.hatched[0]
    tip = next(a.tip for a in d.units.areas if a.code == secret)
    assert "au moins" in tip[-1] and "Secret statistique" in tip[-1]
    rows = [r.text for r in d.legend[0].rows]
    assert "Secret statistique (effectifs non publiés)" in rows and "Aucun emploi industriel" in rows
    assert next(r.swatch for r in d.legend[0].rows if r.text.startswith("Secret")).hatch
    assert all(a.fill is None for a in d.zones.areas)  # the zones: outlines over the communes
    assert d.title.subtitle == "Communes · Hauts-de-France"
    assert Drawing.from_json(d.to_json()) == d


def test_jobs_at_the_commune_level_are_circles_and_a_zones_communes_are_framed(view_data):
    p = plan(commune_state(indicator="industrial_jobs", within=ZONE), view_data)
    d = p.drawing
    assert p.classes is None and d.circles is not None
    assert {c.code for c in d.circles.discs} == {a.code for a in d.units.areas if a.value}
    assert len(d.units.areas) == len(unit_codes(view_data, "commune", "ze2020", ZONE))
    assert d.title.subtitle == "Communes de la zone d’emploi Arras (3203)"
    (s, w), (n, e) = d.bounds
    zone = view_data.zones["ze2020"].set_index("code").loc[ZONE, "geometry"].bounds
    assert w < zone[0] and e > zone[2] and s < zone[1] and n > zone[3]
    assert e - w < 2.5  # the zone and its neighbours, not the région (about 3 degrees wide)


@pytest.mark.parametrize("area", ["epci", "departement"])
def test_epci_and_departement_maps(view_data, area):
    d = plan(MapState(zoning="ze2020", source="essai", level=area, indicator="industrial_change"), view_data).drawing
    assert d.units is not None and {a.code for a in d.units.areas} == set(view_data.area_units(area)["code"])


def test_the_selected_commune_is_outlined(view_data):
    d = plan(commune_state(zone="59350"), view_data).drawing
    assert d.selection is not None and d.selection.name == "Lille" and d.selection.outline.areas[0].code == "59350"


# -- exports ---------------------------------------------------------------------------------


def test_the_html_export_follows_the_level_offline_and_within_three_times_the_zone_export(view_data):
    zone = map_html(plan(MapState(zoning="ze2020", source="essai"), view_data), DAY)
    communes = map_html(plan(commune_state(), view_data), DAY)
    assert "cartohdf.addUnits(" in communes and "cartohdf.addUnits(" not in zone
    assert not re.search(r"<script src=.https?://", communes)
    assert len(communes.encode()) <= 3 * len(zone.encode())
    payload = json.loads(re.search(r"cartohdf\.addUnits\(\w+, (\{.*\})\);", communes).group(1))
    assert len(payload["codes"]) == 3788 and len(payload["hatched"]) > 0
    assert communes == map_html(plan(commune_state(), view_data), DAY)  # the same bytes


def test_static_maps_follow_the_level(view_data):
    svg = static_map(plan(commune_state(within=ZONE), view_data), "svg", DAY).decode()
    codes = unit_codes(view_data, "commune", "ze2020", ZONE)
    assert all(f'id="units-{c}"' in svg for c in codes)
    assert "Communes de la zone d’emploi Arras (3203)" in svg and "Secret statistique" in svg
    assert "<pattern" in svg  # the hatching of a secret commune


def test_cli_exports_a_zones_communes_from_an_import(imports, tmp_path):
    from cartohdf.front.cli import main

    out = tmp_path / "communes.html"
    result = CliRunner().invoke(main, ["export", "--out", str(out), "--source", "essai", "--zoning", "ze2020",
                                       "--level", "commune", "--within", ZONE, "--date", "2026-11-26"])  # fmt: skip
    assert result.exit_code == 0, result.output
    html = out.read_text()
    assert "cartohdf.addUnits(" in html and "Communes de la zone d’emploi Arras (3203)" in html
    refused = CliRunner().invoke(main, ["export", "--out", str(tmp_path / "x.html"), "--level", "commune"])
    assert refused.exit_code != 0 and "cartohdf import-urssaf" in refused.output
    assert "Traceback" not in refused.output and not (tmp_path / "x.html").exists()


# -- the side panel --------------------------------------------------------------------------


def test_a_communes_page_gives_its_figures_zone_departement_epci_and_territoire(view_data):
    from cartohdf.front.app import unpacked
    from cartohdf.front.session import pages

    got = unpacked(pages("ze2020", "fr", "essai", "", (), (2022, None), "commune", "")[1])
    assert len(got["zones"]) == 3788
    lille = got["zones"]["59350"]
    assert lille["heading"] == "Lille (59350)"
    for text in ("Emplois industriels (2022)", "Lille (3216)", "Nord (59)", "Métropole Européenne de Lille",
                 "Territoire d’industrie"):  # fmt: skip
        assert text in lille["html"], text
    status = view_data.areas["commune"].status("a5", "BE", 2022)
    secret = status[status == "secret"].index[0]
    zero = status[status == "zero"].index[0]
    assert "au moins" in got["zones"][secret]["html"] and "minimum" in got["zones"][secret]["html"]
    assert "zéro, pas une donnée manquante" in got["zones"][zero]["html"]
    assert "data-cartohdf-within=''" in got["overview"]["html"]  # the way back to the zones


def test_a_zone_profile_offers_its_communes_only_with_an_import(view_data):
    from cartohdf.front.session import profile

    with_import = profile("ze2020", ZONE, "fr", "essai", "", (), (2022, None))[1]
    built_in = profile("ze2020", ZONE, "fr", "", "", (), (None, None))[1]
    assert f"data-cartohdf-within='{ZONE}'" in with_import and "Voir les communes" in with_import
    assert "data-cartohdf-within" not in built_in


def test_see_the_communes_and_back_in_the_session(imports):
    from cartohdf.front import session as s

    ss = {"w_zoning": "ze2020", "w_source": "essai", "w_level": "zone", "w_zone": ZONE, "w_lang": "fr",
          "side_panel": {"within": ZONE}, "level_drawn": "zone"}  # fmt: skip
    s.on_within(ss)
    assert (ss["w_level"], ss["w_within"], ss["w_zone"]) == ("commune", ZONE, "")
    assert s.sidebar_stale(ss)  # the sidebar's level choice is drawn again (a full run)
    ss["map"] = {"zone": "62041"}  # a commune of the zone, clicked on the map
    s.on_map_zone(ss)
    assert ss["w_zone"] == "62041"
    ss["map"] = {"zone": "59350"}  # not one of the communes drawn: nothing
    s.on_map_zone(ss)
    assert ss["w_zone"] == "62041"
    ss["side_panel"] = {"within": ""}
    s.on_within(ss)
    assert (ss["w_level"], ss["w_within"], ss["w_zone"]) == ("zone", "", ZONE)
    builtin = {"w_zoning": "ze2020", "w_source": "", "w_level": "commune", "w_within": ZONE, "w_zone": "62041"}
    assert not s.has_levels(builtin) and builtin["w_level"] == "zone" and builtin["w_zone"] == ""
    assert "cartohdf import-urssaf" in (s.level_note(builtin, "fr") or "")


# -- the app ---------------------------------------------------------------------------------


def test_the_app_with_built_in_data_gives_the_command_for_the_levels():
    from streamlit.testing.v1 import AppTest

    from cartohdf.core import paths

    at = AppTest.from_file(str(paths.ROOT / "streamlit_app.py"), default_timeout=120).run()
    assert not at.exception
    level = next(r for r in at.radio if r.key == "w_level")
    assert level.disabled and level.value == "zone"
    assert any("cartohdf import-urssaf" in c.value and "Données d’emploi" in c.value for c in at.caption)


def test_the_app_with_an_import_draws_the_communes(imports):
    from streamlit.testing.v1 import AppTest

    from cartohdf.core import paths
    from tests.conftest import app_map, component_data

    at = AppTest.from_file(str(paths.ROOT / "streamlit_app.py"), default_timeout=120)
    for k, v in {"source": "essai", "zoning": "ze2020", "level": "commune", "within": ZONE}.items():
        at.query_params[k] = v
    at.run()
    assert not at.exception and not at.error
    level = next(r for r in at.radio if r.key == "w_level")
    assert not level.disabled and level.value == "commune"
    page, view = app_map(at)
    assert "cartohdf.addUnits(" in page and "Communes de la zone d’emploi Arras (3203)" in page
    pages = component_data(at, "pages")
    assert sorted(pages["zones"]) == unit_codes(dataset_for("essai", ""), "commune", "ze2020", ZONE)
    assert pages["overview"]["heading"] == "Communes de la zone d’emploi Arras (3203)"
    assert view["zone"] == ""


def test_the_atlas_has_the_levels_map_after_its_cover(view_data):
    from matplotlib.figure import Figure

    from cartohdf.export._atlas import A4_PORTRAIT, atlas_context, level_page

    atlas = atlas_context(view_data, "ze2020", "fr", DAY)
    fig = Figure(figsize=A4_PORTRAIT)
    level_page(fig, atlas, plan(commune_state(within=ZONE, layers=frozenset({"departements"})), view_data))
    texts = [t.get_text() for t in fig.texts]
    assert "Communes de la zone d’emploi Arras (3203)" in texts
    assert "Secret statistique (effectifs non publiés)" in texts and "Aucun emploi industriel" in texts
    ids = {p.get_gid() for ax in fig.axes for p in ax.patches}
    assert {f"units-{c}" for c in unit_codes(view_data, "commune", "ze2020", ZONE)} <= ids


def test_the_table_behind_a_level_map_is_its_units(view_data):
    """At a level below the zone the downloads' tables are the units the map draws (a zone's
    communes here): their figures add up to the zone's, the secrecy of each year is said in
    words, and the GeoJSON carries each unit's outline and status."""
    import io

    import pandas as pd

    from cartohdf.export import unit_table_bytes
    from cartohdf.front import session
    from cartohdf.front.app import table_file_name

    codes = unit_codes(view_data, "commune", "ze2020", ZONE)
    raw = unit_table_bytes(view_data, "commune", "ze2020", "csv-fr", ZONE, "fr")
    table = pd.read_csv(io.BytesIO(raw), sep=";", decimal=",", dtype={"Code": str}, encoding="utf-8-sig")
    assert list(table["Code"]) == codes and table.columns[1] == "Commune"
    jobs = next(c for c in table.columns if c.startswith("Emplois industriels") and c.endswith("2022"))
    zones = indicator_set(view_data, "ze2020").values("industrial_jobs", 2022)
    assert table[jobs].sum() == zones[ZONE]  # the communes add up to their zone
    status = table["Emplois industriels 2022 : secret ou aucun"].fillna("")
    secret = set(status[status == "Secret statistique (effectifs non publiés)"].index)
    assert secret and set(status.unique()) <= {"", "Secret statistique (effectifs non publiés)", "Aucun emploi industriel"}
    book = pd.read_excel(io.BytesIO(unit_table_bytes(view_data, "commune", "ze2020", "xlsx", ZONE, "en")), dtype={"Code": str})
    assert list(book["Code"]) == codes and book.columns[1] == "Municipality"
    geo = json.loads(unit_table_bytes(view_data, "epci", "ze2020", "geojson"))
    assert [f["properties"]["code"] for f in geo["features"]] == unit_codes(view_data, "epci", "ze2020")
    assert {f["properties"]["status_2022"] for f in geo["features"]} <= {"secret", "zero", "value"}
    assert all(f["geometry"]["type"] in ("Polygon", "MultiPolygon") for f in geo["features"])
    # the app's downloads at that level: these tables, named after the level
    state = commune_state(within=ZONE, year=2022)
    groups = dict(session.other_downloads(state, DAY, "fr"))
    _, make, name = groups["dl_group_table"][0]
    assert name == table_file_name(state, "csv") == "cartohdf_ze2020_communes-3203_essai.csv"
    assert make() == raw


def test_built_in_data_put_the_view_back_at_the_zone_level_before_the_map():
    """A view at a level below the zone whose data no longer have it (the built-in source
    chosen again): the zone level, with no unit selected, before the map is drawn; the
    sidebar then shows what the map drew (no extra rerun)."""
    from cartohdf.front import session as s

    ss: dict = {}
    s.open_link(ss, {"zoning": "ze2020"})
    s.restore_choices(ss)
    ss.update({"w_source": "", "w_level": "commune", "w_within": ZONE, "w_zone": "62041"})  # what was left
    own_data, _, levels = s.view_controls(ss)
    assert not own_data and not levels
    assert (ss["w_level"], ss["w_within"], ss["w_zone"], ss["level_drawn"]) == ("zone", "", "", "zone")
    assert s.view_state(ss)[1] is None  # no unknown zone
