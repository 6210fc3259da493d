"""MapState: URL and CLI round trips, clear errors listing allowed values."""

from __future__ import annotations

from dataclasses import replace

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from cartohdf.core import BASEMAPS, LANGS, LAYERS, PALETTES, S3_LAYERS, ZONINGS, StateError
from cartohdf.state import MapState, from_query

states = st.builds(
    MapState,
    zoning=st.sampled_from(ZONINGS),
    indicator=st.sampled_from(
        ["industrial_share", "industrial_jobs", "specialisation", "industrial_change"]
    ),
    year=st.one_of(st.none(), st.integers(1998, 2024)),
    scheme=st.sampled_from(["quantiles", "fisher_jenks", "equal_interval"]),
    k=st.integers(3, 7),
    palette=st.sampled_from(PALETTES),
    layers=st.frozensets(st.sampled_from(LAYERS)),
    zone=st.one_of(st.none(), st.sampled_from(["2203", "0055", "3216"])),
    basemap=st.sampled_from(BASEMAPS),
    lang=st.sampled_from(LANGS),
)


@settings(max_examples=200)
@given(states, st.one_of(st.none(), st.integers(1998, 2016)))
def test_url_round_trip(state, base):
    if state.year is not None and base is not None:
        state = replace(state, base_year=base)
    assert from_query(state.to_query()) == state
    assert from_query(state.to_query(defaults=True)) == state


@settings(max_examples=100)
@given(states)
def test_cli_round_trip(state):
    args = state.to_cli_args()
    flags = dict(zip(args[0::2], args[1::2], strict=True))
    assert from_query({k.removeprefix("--"): v for k, v in flags.items()}) == state


def test_user_breaks_round_trip():
    state = MapState(scheme="user", breaks=(0.1, 0.2, 0.35))
    assert from_query(state.to_query()) == state
    assert state.to_query()["breaks"] == "0.1,0.2,0.35"


def test_example_link():
    state = from_query({"zone": "2203", "layers": "s3,employers"})
    assert state.zone == "2203"
    assert state.layers == frozenset({*S3_LAYERS, "employers"})
    assert state.to_query() == {"layers": "s3,employers", "zone": "2203"}


def test_default_state_has_empty_query():
    assert MapState().to_query() == {}


@pytest.mark.parametrize(
    ("params", "allowed"),
    [
        ({"zoning": "ze1990"}, "ze2010, ze2020"),
        ({"scheme": "jenks"}, "quantiles, fisher_jenks, equal_interval, user"),
        ({"basemap": "google"}, "none, osm, light"),
        ({"lang": "de"}, "fr, en"),
        ({"layers": "s3,roads"}, "employers"),
        ({"k": "12"}, "3, 4, 5, 6, 7"),
        ({"k": "cinq"}, "entre 3 et 7"),
        ({"year": "2017a"}, "2007-2017"),
        ({"colour": "red"}, "zoning, indicator"),
    ],
)
def test_invalid_values_list_the_allowed_ones(params, allowed):
    with pytest.raises(StateError) as err:
        from_query(params)
    assert allowed in str(err.value)


def test_data_dependent_checks(data):
    from cartohdf.state import resolve

    with pytest.raises(StateError, match="1998–2017"):
        resolve(from_query({"year": "2030"}), data)
    with pytest.raises(StateError, match="sector_jobs_<a38>, sector_change_<a38>, sector_share_<a38>, specialisation_<a38>"):
        resolve(from_query({"indicator": "nope", "zoning": "ze2020"}), data)
    with pytest.raises(StateError, match="2203"):
        resolve(from_query({"zone": "9999"}), data)
    resolved = resolve(from_query({"indicator": "industrial_change"}), data)
    assert (resolved.base_year, resolved.year) == (2007, 2017)
    assert resolve(MapState(zoning="ze2020"), data).year == 2024


def test_export_flags_mirror_the_state():
    from cartohdf.front.cli import main
    from cartohdf.state import PARAMS

    flags = {p.name for p in main.commands["export"].params}
    assert set(PARAMS) <= flags
    result = CliRunner().invoke(main, ["export", "--out", "/dev/null", "--basemap", "google"])
    assert result.exit_code == 2 and "none, osm, light" in result.output
