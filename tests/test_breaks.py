"""Custom class bounds typed in the unit the legend shows, checked with plain messages."""

from __future__ import annotations

import ast
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from streamlit.testing.v1 import AppTest

from cartohdf.compose import plan
from cartohdf.core import StateError, paths
from cartohdf.front.app import one_class_warning
from cartohdf.state import MapState, format_breaks, from_query, parse_breaks_text
from tests.conftest import app_map

APP = str(paths.ROOT / "streamlit_app.py")


@pytest.mark.parametrize(
    ("kind", "typed", "stored"),
    [("share", "15 ; 20 ; 25", (0.15, 0.2, 0.25)), ("change", "−20 ; 0 ; 12,5", (-0.2, 0.0, 0.125)),
     ("count", "2 000 ; 5 000", (2000.0, 5000.0)), ("index", "0,8 ; 1 ; 1,2", (0.8, 1.0, 1.2)),
     ("value", "10 ; 20", (10.0, 20.0))],
)  # fmt: skip
def test_bounds_are_typed_in_the_legend_unit(kind, typed, stored):
    assert parse_breaks_text(typed, kind) == pytest.approx(stored)
    assert parse_breaks_text(format_breaks(stored, kind), kind) == pytest.approx(stored)


@given(st.lists(st.integers(0, 1000), min_size=1, max_size=12, unique=True))
def test_shown_bounds_read_back_as_the_same_state(tenths):
    stored = tuple(sorted(v / 1000 for v in tenths))  # shares with up to one decimal in %
    assert parse_breaks_text(format_breaks(stored, "share"), "share") == stored


@pytest.mark.parametrize(
    ("typed", "kind", "fr", "en"),
    [("abc", "share", "« abc » n’est pas un nombre ; tapez des bornes en % séparées par « ; » (ex. 15 ; 20 ; 25)",
      "“abc” is not a number; type bounds in % separated by “;” (e.g. 15; 20; 25)"),
     ("15 ; 1 500", "share", "« 1 500 » sort de 0 à 100", "“1 500” is outside 0 to 100"),
     ("20 ; 15", "share", "« 15 » suit « 20 » : les bornes doivent aller en croissant",
      "“15” comes after “20”: bounds must increase"),
     ("1 ; 1", "index", "« 1 » suit « 1 »", "(e.g. 0.8; 1; 1.2)"),
     (" ; ", "count", "tapez au moins une borne en emplois (ex. 2 000 ; 5 000 ; 10 000)", "type at least one bound in jobs"),
     ("; ".join(str(i) for i in range(13)), "count", "13 bornes : 12 au plus", "13 bounds: 12 at most")],
)  # fmt: skip
def test_a_bad_bound_is_named_with_the_reason_and_an_example(typed, kind, fr, en):
    with pytest.raises(StateError) as err:
        parse_breaks_text(typed, kind)
    assert fr in err.value.message("fr")
    assert en in err.value.message("en")
    assert "float" not in err.value.message("en")


def test_bounds_below_every_value_warn_that_all_zones_share_one_class(data):
    # fractions typed where percent is expected: 0,15 % ... every zone above the last bound
    state = MapState(scheme="user", breaks=parse_breaks_text("0,15 ; 0,2 ; 0,25", "share"))
    p = plan(state, data)
    warning = one_class_warning(p.classes, p.values.values, "share", "fr")
    assert warning is not None and "même classe" in warning and "%" in warning
    good = plan(MapState(scheme="user", breaks=parse_breaks_text("15 ; 20 ; 25", "share")), data)
    assert one_class_warning(good.classes, good.values.values, "share", "fr") is None


def test_the_app_reads_percent_and_shows_the_legend_in_percent():
    at = AppTest.from_file(APP, default_timeout=120).run()
    at.selectbox(key="w_scheme").select("user").run()
    box = at.text_input(key="w_breaks")
    assert "en %" in box.label and "15 ; 20 ; 25" in box.label
    box.input("15 ; 20 ; 25").run()
    assert not at.error and not at.warning
    assert at.query_params["breaks"] == "0.15,0.2,0.25"
    script, _ = app_map(at)  # the legend is in the theme layer
    assert re.search("20,0\u202f% – 25,0\u202f%|20\u202f% – 25\u202f%", script), "legend in percent"
    assert "2\u202f500" not in script  # not 2 500 %
    at.text_input(key="w_breaks").input("abc").run()
    assert len(at.error) == 1 and "« abc » n’est pas un nombre" in at.error[0].value
    assert "could not convert" not in at.error[0].value
    at.text_input(key="w_breaks").input("0,15 ; 0,2").run()
    assert len(at.warning) == 1 and "même classe" in at.warning[0].value


def _legend_rows(p) -> list[str]:
    html = p.legend[0].html
    return [re.sub(r"<[^>]+>", "", row) for row in re.findall(r"<div class='row'>(.*?)</div>", html)]


def test_bounds_below_the_data_give_ordered_classes_shown_as_typed(data):
    state = MapState(scheme="user", breaks=parse_breaks_text("0,15 ; 0,2 ; 0,25", "share"))
    p = plan(state, data)
    lows, highs = zip(*p.classes.bounds(), strict=True)
    assert all(lo <= hi for lo, hi in p.classes.bounds())  # never « 6,5 % – 0,1 % »
    assert list(highs) == sorted(highs) and list(lows) == sorted(lows)
    rows = _legend_rows(p)
    assert rows[0] == "0,15\u202f% ou moins"  # typed 0,15: not rounded to « 0,1 % »
    assert rows[1] == "0,15\u202f% – 0,20\u202f%" and rows[2] == "0,20\u202f% – 0,25\u202f%"
    top = max(p.values.values.dropna())
    assert rows[3].startswith("0,25\u202f% – ") and rows[3].endswith(f"{round(top * 100, 2):.2f}\u202f%".replace(".", ","))


def test_computed_bounds_keep_the_usual_decimals(data):
    rows = _legend_rows(plan(MapState(), data))
    assert all(re.fullmatch(r"\d+,\d\u202f% – \d+,\d\u202f%", r) for r in rows[:5]), rows



@settings(deadline=None)
@given(st.lists(st.integers(-10**6, 10**6), min_size=1, max_size=12, unique=True))
def test_the_link_and_the_app_read_bounds_alike(values):
    numbers = sorted(v / 100 for v in values)
    linked = from_query({"breaks": ",".join(str(n) for n in numbers)}).breaks
    assert parse_breaks_text(" ; ".join(str(n) for n in numbers), "value") == linked


def test_one_reader_of_class_bounds_for_the_link_and_the_app():
    """The link's ``breaks`` and the app's box read their numbers with one function, so a
    bound cannot read one way in a link and another in the app."""
    folder = paths.ROOT / "src" / "cartohdf" / "state"
    calls = [node for path in sorted(folder.glob("*.py"))
             for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
             if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "parse_number"]  # fmt: skip
    assert len(calls) == 1
