"""The viewer's flows with Streamlit's AppTest (no browser)."""

from __future__ import annotations

import html as html_lib
import io
import json
from html.parser import HTMLParser

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1 import app_test as app_test_module

from cartohdf.core import number as fmt_number
from cartohdf.core import paths, percent
from cartohdf.indicators import indicator_set
from cartohdf.state import from_query
from tests.conftest import component_data, export_html, zone_picker

APP = str(paths.ROOT / "streamlit_app.py")


@pytest.fixture()
def media(monkeypatch):
    """Keep the media managers AppTest creates, to run the deferred HTML download."""
    managers = []

    class Recording(app_test_module.MediaFileManager):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            managers.append(self)

    monkeypatch.setattr(app_test_module, "MediaFileManager", Recording)
    return managers


def downloaded_file(at: AppTest, managers, key: str) -> bytes:
    """The bytes a download button hands to the browser (a deferred one made as a click does)."""
    button = next(b for b in at.get("download_button") if b.proto.id.endswith(key))
    url = button.proto.url
    if button.proto.HasField("deferred_file_id"):
        deferred = button.proto.deferred_file_id
        url = next(m.execute_deferred(deferred) for m in reversed(managers) if deferred in m._deferred_callables)
    file_id = url.rsplit("/", 1)[-1].split(".")[0]
    return next(
        m._storage.get_file(file_id)
        for m in reversed(managers)
        if file_id in m._storage._files_by_id
    ).content


def downloaded_html(at: AppTest, managers) -> str:
    """The map file the HTML download button hands to the browser."""
    return downloaded_file(at, managers, "dl_html").decode("utf-8")


class _Tables(HTMLParser):
    """The tables of the panel's HTML as lists of rows of cell texts (header row first)."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: list[list[list[str]]] = []
        self.cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.tables.append([])
        elif tag == "tr":
            self.tables[-1].append([])
        elif tag in ("td", "th"):
            self.cell = []

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self.cell is not None:
            self.tables[-1][-1].append("".join(self.cell))
            self.cell = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell.append(data)


def panel_page(at: AppTest) -> dict[str, str]:
    """The side panel's page as the run leaves it: the selected zone's, or the overview."""
    selected, pages = component_data(at, "side")["selected"], component_data(at, "pages")
    return pages["zones"][selected] if selected else pages["overview"]


def panel_html(at: AppTest) -> str:
    """The HTML of the side panel (profile or overview)."""
    return panel_page(at)["html"]


def panel_heading(at: AppTest) -> str:
    return html_lib.unescape(panel_page(at)["heading"])


def layers_shown(at: AppTest) -> set[str]:
    """The boxes ticked in the layer panel."""
    return set(component_data(at, "layers")["shown"])


def panel_tables(at: AppTest) -> list[pd.DataFrame]:
    """The side panel's tables, as the page shows them."""
    parser = _Tables()
    parser.feed(panel_html(at))
    return [pd.DataFrame(rows[1:], columns=rows[0]) for rows in parser.tables]


def shown(markdown: str) -> str:
    """Markdown as the page shows it: user text is escaped (``\\_``) so that it stays text."""
    return markdown.replace("\\", "")


def run(params: dict[str, str] | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    for k, v in (params or {}).items():
        at.query_params[k] = v
    return at.run()


def test_default_run_shows_the_region_overview():
    at = run()
    assert not at.exception
    assert at.title[0].value == "L’industrie en Hauts-de-France par zone d’emploi"
    assert "chiffres clés" in panel_heading(at)
    assert "280\u202f467" in panel_html(at)
    keys = [b.proto.id.rsplit("-", 1)[-1] for b in at.get("download_button")]
    assert keys == ["dl_html", "download_pdf", "download_png", "download_svg", "dl_csv_fr", "dl_xlsx",
                    "dl_geojson", "download_atlas"]  # fmt: skip
    zone_picker(at).select("2203").run()
    assert "download_portrait" in [b.proto.id.rsplit("-", 1)[-1] for b in at.get("download_button")]
    assert not at.error


def test_selecting_a_zone_shows_its_profile_with_the_data_values(data):
    at = run()
    zone_picker(at).select("2203").run()
    assert panel_heading(at) == "La Thiérache (2203)"
    table = panel_tables(at)[0]
    share = indicator_set(data, "ze2010").values("industrial_share", 2017)["2203"]
    row = table[
        table["Indicateur"].str.startswith("Part de l’industrie dans l’emploi salarié")
    ].iloc[0]
    assert row["Valeur"] == percent(share)  # 26,8 %
    all_shares = indicator_set(data, "ze2010").values("industrial_share", 2017)
    assert row["Rang"] == f"{int((all_shares > share).sum()) + 1} / 28" == "2 / 28"
    jobs = indicator_set(data, "ze2010").values("industrial_jobs", 2017)["2203"]
    assert table.iloc[0]["Valeur"] == fmt_number(jobs)
    assert at.query_params["zone"] == "2203"
    texts = " ".join(str(df.to_dict()) for df in panel_tables(at))
    assert "40,3" in texts  # the study's stated share for La Thiérache
    assert "Thiérache" in texts  # its Territoire d'industrie


@pytest.mark.parametrize(("params", "level_year", "period"), [
    ({"year": "2007", "zone": "2203"}, 2007, (2007, 2017)),
    ({"indicator": "industrial_change", "year": "2000-2010", "zone": "2203"}, 2010, (2000, 2010)),
    ({"zoning": "ze2020", "year": "2022", "zone": "3216"}, 2022, (2019, 2024)),
])  # fmt: skip
def test_the_profile_shows_the_map_s_years(data, params, level_year, period):
    at = run(params)
    assert not at.exception and not at.error
    table = panel_tables(at)[0]
    iset = indicator_set(data, params.get("zoning", "ze2010"))
    zone = params["zone"]
    share = table[table["Indicateur"].str.startswith("Part de l’industrie dans l’emploi salarié (")]
    assert share.iloc[0]["Indicateur"].endswith(f"({level_year})")
    assert share.iloc[0]["Valeur"] == percent(iset.values("industrial_share", level_year)[zone])
    change = table[table["Indicateur"].str.contains("–")].iloc[0]["Indicateur"]
    assert f"({period[0]}–{period[1]})" in change
    assert at.query_params["year"].endswith(str(level_year))


def test_toggling_a_domain_changes_the_state_and_the_downloaded_html(data, media):
    at = run()
    before = downloaded_html(at, media)
    at.session_state["w_s3_energy"] = False  # as the layer panel's box sets it (browser tests)
    at.run()
    assert "s3_energy" not in layers_shown(at)
    layers = at.query_params["layers"].split(",")
    assert "s3_energy" not in layers and "s3_bioeconomy" in layers
    after = downloaded_html(at, media)
    assert before != after
    state = from_query(dict(at.query_params.items()))
    assert after == export_html(state, data)  # the same bytes as `cartohdf export`


def test_a_shared_link_restores_the_view():
    at = run({"zone": "3117", "zoning": "ze2010", "indicator": "industrial_change", "year": "2008-2016",
              "layers": "employers"})  # fmt: skip
    assert not at.error
    assert zone_picker(at).value == "3117"
    assert at.selectbox(key="w_indicator").value == "industrial_change"
    assert at.select_slider(key="w_period").value == (2008, 2016)
    assert layers_shown(at) == {"employers"}
    assert panel_heading(at) == "Maubeuge (3117)"


@pytest.mark.parametrize(
    ("params", "message"),
    [({"k": "12"}, "3, 4, 5, 6, 7"), ({"zone": "9999"}, "9999"), ({"indicator": "chomage"}, "industrial_share"),
     ({"layers": "routes"}, "employers"), ({"year": "1990"}, "1998")],
)  # fmt: skip
def test_bad_link_shows_a_clear_message_and_the_default_view(params, message):
    at = run(params)
    assert not at.exception
    assert (
        len(at.error) == 1
        and message in shown(at.error[0].value)
        and "Lien invalide" in at.error[0].value
    )
    assert at.selectbox(key="w_indicator").value == "industrial_share"
    assert zone_picker(at).value == ""


def test_the_bad_link_message_stays_until_the_view_is_changed():
    at = run({"zone": "9999"})
    at.radio(key="w_lang").set_value("en").run()  # the same view, in English: still said
    assert len(at.error) == 1 and "Invalid link" in at.error[0].value
    zone_picker(at).select("2203").run()  # the user picks a zone: the link is now right
    assert not at.error and at.query_params["zone"] == "2203"
    zone_picker(at).select("").run()
    assert not at.error  # and the message does not come back


def test_switching_zoning_offers_sector_indicators_and_resets_the_zone():
    at = run({"zone": "2203"})
    assert any("Cartes par secteur industriel (A38)" in c.value for c in at.caption)  # ZE2010: said, not offered
    at.radio(key="w_zoning").set_value("ze2020").run()
    assert zone_picker(at).value == ""
    assert "Un secteur industriel (A38)…" in at.selectbox(key="w_indicator").options
    at.selectbox(key="w_indicator").select("sector").run()
    at.selectbox(key="w_sector").select("CH").run()
    at.radio(key="w_sector_measure").set_value("specialisation").run()
    assert not at.exception and at.query_params["indicator"] == "specialisation_ch"


def test_english_interface():
    at = run({"lang": "en"})
    assert at.title[0].value == "Industry in Hauts-de-France by employment zone"


def test_bad_user_breaks_are_reported_and_ignored():
    at = run()
    at.selectbox(key="w_scheme").select("user").run()
    at.text_input(key="w_breaks").input("0,1 ; abc").run()
    assert any("Bornes" in e.value for e in at.error)
    assert not at.exception


def test_a_selected_zone_is_framed_with_its_neighbours(data):
    from shapely.geometry import box

    from cartohdf.compose import ZONE_MARGIN, view_of

    zones = data.zones["ze2010"]
    for code in ("2209", "3111", "0056"):
        (south, west), (north, east) = view_of(from_query({"zone": code}), data).bounds
        framed = box(west, south, east, north)
        zone = zones.loc[zones["code"] == code].geometry.iloc[0]
        assert framed.contains(zone)
        outside = data.outside_zones["ze2010"]
        whole = zone.union(outside.loc[outside["code"] == code].geometry.union_all())  # 0056 whole
        minx, _, maxx, _ = whole.bounds
        assert east - west == pytest.approx((maxx - minx) * (1 + 2 * ZONE_MARGIN), abs=1e-3)
        neighbours = zones[zones.geometry.touches(zone) & zones.geometry.intersects(framed)]
        assert len(neighbours) >= 2  # a selected zone is seen among its neighbours


CRAFTED = [None, [], 3, True, "", "x", "../3111", "3111 ", " 3111", "3111\x00", {"code": "3111"},
           ["3111"], "5203"]  # fmt: skip (5203: Nantes, a zone of France outside the région)


@pytest.mark.parametrize("value", CRAFTED)
def test_a_crafted_map_value_chooses_no_zone(data, value):
    from cartohdf.front.app import picked_code

    assert picked_code(value, data.zone_codes()["ze2010"]) is None


def test_the_zone_the_map_names_is_chosen(data):
    from cartohdf.front.app import picked_code

    assert picked_code("3111", data.zone_codes()["ze2010"]) == "3111"
    assert picked_code("3111", data.zone_codes()["ze2020"]) is None  # not a code of that zoning


EVIL = "<img src=x onerror=alert(1)>"


def test_upload_an_indicator_maps_it_and_a_bad_file_changes_nothing(data, media):
    at = run()
    good = f"Code zone;{EVIL} (%)\n55;12,5\n2203;7\n3111;3,25\n".encode("cp1252")
    at.file_uploader(key="w_upload").set_value(("mon indicateur.csv", good, "text/csv")).run()
    assert not at.exception and not at.error
    assert at.selectbox(key="w_indicator").value == "user"
    assert any("chargé" in s.value for s in at.success)
    html = downloaded_html(at, media)
    assert EVIL not in html and "&lt;img src=x onerror=alert(1)&gt;" in html.replace("\\u003c", "<").replace(
        "\\u003e", ">").replace("\\u0026", "&")  # fmt: skip
    zone_picker(at).select("2203").run()
    table = panel_tables(at)[0]
    assert table[table["Indicateur"] == EVIL]["Valeur"].item() == "7"

    bad = b"Code zone;valeur\n55;12,5\n9999;7\n"
    at.file_uploader(key="w_upload").set_value(("faux.csv", bad, "text/csv")).run()
    assert (
        len(at.error) == 1
        and "9999 (lignes 3)" in shown(at.error[0].value)
        and "rien n’a changé" in at.error[0].value
    )
    assert at.selectbox(key="w_indicator").value == "user"  # the previous indicator is kept
    table = panel_tables(at)[0]
    assert table[table["Indicateur"] == EVIL]["Valeur"].item() == "7"


def test_csv_download_lists_the_uploaded_indicator(media):
    at = run()
    before = downloaded_file(at, media, "dl_csv_fr")
    assert before.startswith("\ufeffCode;Zone d’emploi;".encode())  # UTF-8 BOM, « ; »: French Excel
    assert "v" not in before.decode("utf-8-sig").splitlines()[0].split(";")
    at.file_uploader(key="w_upload").set_value(
        ("x.csv", b"code;v\n0055;1,5\n2203;7\n", "text/csv")
    ).run()
    assert not at.error
    raw = downloaded_file(at, media, "dl_csv_fr")
    table = pd.read_csv(io.BytesIO(raw), sep=";", decimal=",", encoding="utf-8-sig",
                        dtype={"Code": str}).set_index("Code")  # fmt: skip
    assert "1,5" in raw.decode("utf-8-sig")  # a decimal comma
    book = pd.read_excel(io.BytesIO(downloaded_file(at, media, "dl_xlsx")), dtype={"Code": str})
    assert book.set_index("Code").loc["2203", "v"] == 7.0
    assert table.loc["0055", "v"] == 1.5 and table.loc["2203", "v"] == 7.0
    assert table["v"].isna().sum() == 26  # the zones the file does not give
    geo = json.loads(downloaded_file(at, media, "dl_geojson"))
    assert {f["properties"]["code"]: f["properties"]["user"] for f in geo["features"]}[
        "2203"
    ] == 7.0


def test_switching_indicators_keeps_valid_years():
    at = run()
    at.selectbox(key="w_year").select(2010).run()
    at.selectbox(key="w_indicator").select("industrial_change").run()
    assert at.select_slider(key="w_period").value == (2007, 2017)
    at.selectbox(key="w_indicator").select("industrial_share").run()
    at.selectbox(key="w_indicator").select("industrial_change").run()
    assert not at.exception and at.select_slider(key="w_period").value == (2007, 2017)
    at.file_uploader(key="w_upload").set_value(("x.csv", b"code;v\n0055;1\n", "text/csv")).run()
    at.selectbox(key="w_indicator").select("specialisation").run()
    assert not at.exception and at.selectbox(key="w_year").value in range(1998, 2018)


@pytest.mark.parametrize(
    "params",
    [{}, {"zone": "2203", "layers": "s3,employers"}, {"indicator": "industrial_change", "year": "2008-2015"},
     {"scheme": "user", "breaks": "0.1,0.25", "palette": "Purples", "k": "4", "lang": "en"},
     {"zoning": "ze2020", "indicator": "specialisation_ch", "basemap": "osm"}],
)  # fmt: skip
def test_widgets_round_trip_the_state(data, params):
    from cartohdf.state import controls_from_state, resolve, state_from_controls

    state = resolve(from_query(params), data)
    iset = indicator_set(data, state.zoning)
    back, problem = state_from_controls(controls_from_state(state, iset), iset)
    assert problem is None and resolve(back, data) == state


@pytest.mark.parametrize(
    ("typed", "zone"),
    [("thierache", "2203"), ("BETHUNE", "3123"), ("peronne", "2211"), ("3111", "3111"),
     ("st quentin", "2205"), ("St-Quentin", "2205"), ("st. omer", "3124"), ("saintomer", "3124"),
     ("chateau thierry", "2201"), ("boulogne sur mer", "3126"), ("lens-henin", "3122")],
)  # fmt: skip
def test_the_zone_search_ignores_accents_and_case(typed, zone):
    at = run()
    at.text_input(key="w_search").input(typed).run()
    assert zone_picker(at).value == zone
    assert at.query_params["zone"] == zone and not at.warning


def test_typing_in_the_zone_picker_filters_its_zones():
    from streamlit.proto.Selectbox_pb2 import Selectbox as SelectboxProto

    mode = SelectboxProto.DESCRIPTOR.fields_by_name["filter_mode"].enum_type
    picker = zone_picker(run())
    assert mode.values_by_number[picker.proto.filter_mode].name == "FILTER_MODE_CONTAINS"


def test_the_zone_search_answers_in_the_interface_language():
    at = run({"lang": "en"})
    at.text_input(key="w_search").input("zzz").run()
    assert [w.value for w in at.warning] == ["No zone matches “zzz”"]
    at.text_input(key="w_search").input("saint").run()
    assert zone_picker(at).value == "3124"  # Saint-Omer, the first of the two
    assert any("2 zones match" in c.value for c in at.caption)


@pytest.mark.parametrize(("first", "then"), [("fr", "en"), ("en", "fr")])
def test_the_picker_label_of_the_other_language_is_no_zone(first, then):
    """A selectbox's value travels as its label: just after a language switch the browser
    sends the picker's old label (« — aucune : vue régionale — »), which is no zone code."""
    from streamlit.proto.WidgetStates_pb2 import WidgetState
    from streamlit.testing.v1.element_tree import Selectbox

    at = run({"lang": first})
    old_label = zone_picker(at).format_func("")
    at.radio(key="w_lang").set_value(then).run()

    class StaleLabel(Selectbox):
        @property
        def _widget_state(self) -> WidgetState:
            return WidgetState(id=self.id, string_value=old_label)

    zone_picker(at).__class__ = StaleLabel
    at.run()
    assert not at.exception and not at.error
    assert at.session_state["w_zone"] == "" and "zone" not in at.query_params


@pytest.mark.parametrize(("first", "then"), [("fr", "en"), ("en", "fr")])
def test_every_choice_sent_back_in_the_other_language_keeps_its_value(first, then):
    """Radios and select boxes travel as labels too: after a language switch the browser may
    send every one of them in the old language, with the next click."""
    from streamlit.proto.WidgetStates_pb2 import WidgetState
    from streamlit.testing.v1.element_tree import Radio, Selectbox

    at = run({"lang": first, "zoning": "ze2020", "zone": "3216", "scheme": "equal_interval",
              "basemap": "osm", "indicator": "specialisation"})  # fmt: skip
    widgets = [at.radio(key="w_zoning"), at.radio(key="w_scope"), at.radio(key="w_basemap"),
               at.selectbox(key="w_scheme"), at.selectbox(key="w_indicator")]  # fmt: skip
    old = {w.key: w.format_func(w.value) for w in widgets}
    before = {w.key: w.value for w in widgets}
    at.radio(key="w_lang").set_value(then).run()
    for w in [at.radio(key=k) if k in ("w_zoning", "w_scope", "w_basemap") else at.selectbox(key=k) for k in old]:
        base = Radio if isinstance(w, Radio) else Selectbox

        class StaleLabel(base):  # type: ignore[valid-type,misc]
            label_sent = old[w.key]

            @property
            def _widget_state(self) -> WidgetState:
                return WidgetState(id=self.id, string_value=self.label_sent)

        w.__class__ = StaleLabel
    at.run()
    assert not at.exception and not at.error
    assert {k: at.session_state[k] for k in before} == before
    assert at.session_state["w_zone"] == "3216" and at.query_params["zone"] == "3216"


def test_switching_language_keeps_every_widget_and_relabels_it():
    at = run()
    at.radio(key="w_zoning").set_value("ze2020").run()
    at.selectbox(key="w_indicator").select("specialisation").run()
    at.selectbox(key="w_year").select(at.selectbox(key="w_year").options[-2]).run()
    at.selectbox(key="w_scheme").select("user").run()
    at.text_input(key="w_breaks").input("0,9 ; 1,1").run()
    at.selectbox(key="w_palette").select("Purples").run()
    at.radio(key="w_basemap").set_value("osm").run()
    zone_picker(at).select("3216").run()
    at.session_state["w_s3_energy"] = False
    at.session_state["w_employers"] = True
    at.run()
    layers = layers_shown(at)
    before = {w.key: w.value for kind in ("radio", "selectbox", "checkbox", "text_input", "slider")
              for w in at.get(kind) if w.key and w.key.startswith("w_") and w.key != "w_lang"}  # fmt: skip
    query = dict(at.query_params.items())
    at.radio(key="w_lang").set_value("en").run()
    assert not at.exception and not at.error
    after = {w.key: w.value for kind in ("radio", "selectbox", "checkbox", "text_input", "slider")
             for w in at.get(kind) if w.key and w.key.startswith("w_") and w.key != "w_lang"}  # fmt: skip
    assert after == before
    assert dict(at.query_params.items()) == {**query, "lang": "en"}
    assert at.radio(key="w_zoning").label == "Zoning"
    assert (
        at.selectbox(key="w_indicator").format_func("specialisation")
        == "Industrial specialisation index"
    )
    assert at.text_input(key="w_breaks").value == "0,9 ; 1,1"  # as typed
    assert panel_heading(at) == "Lille (3216)"
    assert layers_shown(at) == layers and "employers" in layers and "s3_energy" not in layers
    assert component_data(at, "layers")["title"].startswith("Map layers")


def test_an_emptied_upload_box_keeps_the_indicator_until_it_is_removed():
    at = run()
    at.file_uploader(key="w_upload").set_value(
        ("x.csv", b"code;v\n0055;1,5\n2203;7\n", "text/csv")
    ).run()
    upload = at.query_params["upload"]
    # the browser empties the box before it sends the next file: nothing changes then
    at.file_uploader(key="w_upload").set_value(None).run()
    assert at.selectbox(key="w_indicator").value == "user" and at.query_params["upload"] == upload
    at.button(key="remove_upload").click().run()
    assert not at.exception and not at.error
    assert at.selectbox(key="w_indicator").value == "industrial_share"
    assert at.selectbox(key="w_year").value == 2017
    assert "upload" not in at.query_params and "year" not in at.query_params
