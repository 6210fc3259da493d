"""Whatever a link, a widget, a folder or a file holds: a drawn view or a clear message, never a
traceback; and values at the bounds of what is accepted go through every output."""

from __future__ import annotations

import io
import json
import math
import shutil

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from streamlit.testing.v1 import AppTest

from cartohdf.core import MAX_ABS_VALUE, InputError, paths
from cartohdf.data import import_urssaf, parse_indicator
from cartohdf.state import PARAMS
from tests.conftest import DAY, app_map
from tests.test_urssaf_import import _tiny_urssaf

APP = str(paths.ROOT / "streamlit_app.py")
ODD = ["", " ", "none", "s3", "user", "0", "-1", "1e999", "nan", "inf", "2203", "0055", "ze2020", "2007-2017", "2017-2007",
       "9" * 40, ",".join(str(i) for i in range(300)), "é", "ü\u202e\u200b", "<script>alert(1)</script>", "![x](http://h/p.png)",
       "[t](javascript:alert(1))", "$x^2$", "..", "../data", "0123456789abcdef", "ZE2010", "a" * 3000, "%00", "\x00"]  # fmt: skip
values = st.one_of(st.sampled_from(ODD), st.text(max_size=30))
queries = st.dictionaries(
    st.one_of(st.sampled_from(PARAMS), st.sampled_from(["colour", "", "ZONE"])),
    st.one_of(values, st.lists(values, min_size=2, max_size=3)),  # a list: a repeated key
    max_size=6,
)


def _run(params: dict) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    for k, v in params.items():
        at.query_params[k] = v
    return at.run()


@settings(
    max_examples=40, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow]
)
@given(queries)
def test_any_link_draws_a_view_or_says_why(params):
    at = _run(params)
    assert not at.exception, (params, [e.message for e in at.exception])
    page, view = app_map(at)  # a map is drawn, whatever the link
    assert "cartohdf.host(" in page and view["bounds"]
    for e in at.error:  # what the link held is shown as text, never as markup
        assert "](" not in e.value.replace("\\](", "") and "<script>" not in e.value


def test_a_damaged_import_is_refused_when_chosen_and_changes_nothing(tmp_path, monkeypatch, data):
    imports = tmp_path / "imports"
    monkeypatch.setenv("CARTOHDF_IMPORTS_DIR", str(imports))
    source = tmp_path / "u.csv"
    _tiny_urssaf(source)
    good, _ = import_urssaf(source, data.communes, imports, name="bon")
    shutil.copytree(good, imports / "abime")
    (imports / "abime" / "employment_ze2020.csv").write_text(
        "zone_code,level\n3216,a5\n", encoding="utf-8"
    )
    at = _run({"zoning": "ze2020"})
    at.selectbox(key="w_source").select("abime").run()
    assert not at.exception
    assert len(at.error) == 1 and "rien n’a changé" in at.error[0].value
    assert at.selectbox(key="w_source").value == ""
    assert "source" not in dict(at.query_params.items())
    linked = _run({"source": "abime"})  # the same folder named by a link
    assert (
        not linked.exception and len(linked.error) == 1 and "Lien invalide" in linked.error[0].value
    )


ZONES = {"ze2010": ["0055", "2203", "3111", "3115"], "ze2020": ["3201"]}


@pytest.mark.parametrize(
    "text", ["inf", "-inf", "Infinity", "NaN", "nan", "1e999", "-1e309", "1e16"]
)
def test_values_no_output_can_carry_are_refused(text):
    with pytest.raises(InputError) as err:
        parse_indicator(f"code;v\n55;1\n2203;{text}\n".encode(), "x.csv", ZONES)
    assert err.value.row == 3 and err.value.value == text


def test_the_extremes_of_what_is_accepted_go_through_every_output(data, tmp_path, page):
    from cartohdf.compose import plan
    from cartohdf.data import store_upload
    from cartohdf.export import map_html, zone_table_csv, zone_table_geojson
    from cartohdf.state import MapState, data_for

    raw = (
        f"code;v\n55;{MAX_ABS_VALUE:.0f}\n2203;-{MAX_ABS_VALUE:.0f}\n3111;5e-324\n3115;0\n".encode()
    )
    key = store_upload(raw, "extremes.csv")
    for scheme in ("quantiles", "equal_interval", "fisher_jenks"):
        state = MapState(indicator="user", upload=key, scheme=scheme)
        d = data_for(state)
        html = map_html(plan(state, d), DAY)
        geo = json.loads(
            zone_table_geojson(d, "ze2010"), parse_constant=lambda c: pytest.fail(f"JSON {c}")
        )
        got = {f["properties"]["code"]: f["properties"]["user"] for f in geo["features"]}
        assert got["0055"] == MAX_ABS_VALUE and got["2203"] == -MAX_ABS_VALUE
        table = pd.read_csv(
            io.StringIO(zone_table_csv(d, "ze2010")), dtype={"code": str}
        ).set_index("code")
        assert table.loc["0055", "user"] == MAX_ABS_VALUE and math.isfinite(
            table["user"].abs().max()
        )
        path = tmp_path / f"{scheme}.html"
        path.write_text(html, encoding="utf-8")
        page.goto(path.as_uri())
        page.wait_for_selector("path.cartohdf-zone", state="attached")
        assert page.locator("path.cartohdf-zone").count() == 28 and page.errors == []


def test_csv_cells_a_spreadsheet_would_run_are_neutralised(data):
    from dataclasses import replace

    from cartohdf.export import zone_table_csv

    zones = data.zones["ze2010"].copy()
    for code, name in (
        ("2203", '=HYPERLINK("http://x")'),
        ("0055", "+1+1"),
        ("3111", "@SUM(A1)"),
        ("2209", "-2"),
    ):
        zones.loc[zones["code"] == code, "name"] = name
    text = zone_table_csv(replace(data, zones={**data.zones, "ze2010": zones}), "ze2010")
    table = pd.read_csv(io.StringIO(text), dtype={"code": str}).set_index("code")
    assert (
        table.loc["2203", "name"] == '\'=HYPERLINK("http://x")'
        and table.loc["0055", "name"] == "'+1+1"
    )
    assert table.loc["3111", "name"] == "'@SUM(A1)" and table.loc["2209", "name"] == "'-2"
    assert table["industrial_change_2007_2017"].lt(0).any()  # negative numbers stay numbers


def test_markup_in_user_text_is_shown_as_text():
    from cartohdf.front.app import md_escape

    shown = md_escape(
        "[clic](javascript:alert(1)) ![i](http://host/p.png) http://host.example www.x.org a@b.fr $x$ <b>"
    )
    for live in ("](", "![", "http://", "www.", "a@b", "$x$", "<b>"):
        assert live not in shown, live  # each is escaped or broken by an invisible joiner
    assert "http\\:\u2060//host" in shown and "a@\u2060b" in shown


def test_uploads_are_read_in_a_child_process_with_a_time_bound():
    from cartohdf.front.app import parse_upload_isolated

    zones = {"ze2010": ["0055", "2203"], "ze2020": ["3201"]}
    ok = parse_upload_isolated(b"code;v\n55;1,5\n2203;2\n", "a.csv", zones)
    assert ok.values.to_dict() == {"0055": 1.5, "2203": 2.0}
    with pytest.raises(InputError) as err:  # the child's refusal reaches the app whole
        parse_upload_isolated(b"code;v\n55;1\n9999;2\n", "a.csv", zones)
    assert err.value.message("en").startswith("a.csv, column “code”: unknown zone codes: 9999")
    with pytest.raises(InputError, match="lecture trop longue"):
        parse_upload_isolated(b"code;v\n55;1\n", "a.csv", zones, timeout_s=0.01)
