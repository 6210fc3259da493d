"""Layer builders on a tiny dataset built in code: three square zones, one département."""

from __future__ import annotations

import json
import re

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import Polygon, box

from cartohdf.compose import plan
from cartohdf.data import Dataset, EmploymentTable, StudyTables
from cartohdf.indicators import classify, indicator_set, zone_values
from cartohdf.render import (
    Pane,
    employer_discs,
    employer_layer,
    label_layer,
    outline_areas,
    outline_layer,
    s3_layer,
    s3_pair,
    selection_areas,
    selection_layer,
    territoire_areas,
    territoire_layer,
    zone_areas,
    zone_labels,
)
from cartohdf.render._zones import zone_layer
from cartohdf.state import MapState

EVIL = "</script><img src=x onerror=alert(1)>"
PANE = Pane("cartohdf-test", 433)


def _frame(rows: list[dict], geoms: list) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(pd.DataFrame(rows), geometry=geoms, crs=4326)


def _jobs(codes: list[str], ref: str) -> pd.DataFrame:
    rows = []
    for i, code in enumerate([*codes, ref]):
        for year in (2007, 2017):
            for sector, jobs in (
                ("BE", 100 * (i + 1) + year % 10),
                ("FZ", 50),
                ("GU", 300),
                ("OQ", 200),
                ("AZ", 5),
            ):
                rows.append(
                    {"zone_code": code, "level": "a5", "sector": sector, "year": year, "jobs": jobs}
                )
    return pd.DataFrame(rows)


@pytest.fixture(scope="module")
def tiny() -> Dataset:
    codes = ["0001", "0002", "0003"]
    # a coverage, noded as geo/ is: the top zone has a vertex where the two below meet
    top = Polygon([(2.0, 50.1), (2.1, 50.1), (2.2, 50.1), (2.2, 50.2), (2.0, 50.2)])
    squares = [box(2.0, 50.0, 2.1, 50.1), box(2.1, 50.0, 2.2, 50.1), top]
    zones = _frame([{"code": c, "name": n, "interregional": False, "n_communes_region": 1, "n_communes_zone": 1,
                     "area_km2_region": 80.0} for c, n in zip(codes, ["Ouest", EVIL, "Nord"], strict=True)], squares)  # fmt: skip
    whole = box(2.0, 50.0, 2.2, 50.2)
    jobs = _jobs(codes, "FRM")
    employment = {z: EmploymentTable(z, jobs[jobs["zone_code"] != "FRM"], jobs[jobs["zone_code"] == "FRM"], "estel")
                  for z in ("ze2010", "ze2020")}  # fmt: skip
    communes = pd.DataFrame({"commune_code": ["00001", "00002"], "commune_name": ["A", "B"], "dep": ["59", "59"],
                             "epci": ["x", "x"], "ze2010": ["0001", "0003"], "commune_code_2019": ["00001", "00002"],
                             "ze2020": ["0001", "0003"], "lon": [2.05, 2.15], "lat": [50.05, 50.15]})  # fmt: skip
    s3 = pd.DataFrame({"domain_id": ["energy", "energy"], "domain_order": [6, 6], "domain_fr": ["Énergie"] * 2,
                       "domain_en": ["Energy"] * 2, "territory_order": [1, 2], "territory": ["A", EVIL],
                       "anchor_commune_code": ["00001", "00002"], "anchor_commune_name": ["A", "B"],
                       "ze2010_code": ["0001", "0003"], "ze2020_code": ["0001", "0003"], "anchor_note": ["", ""],
                       "source": ["étude", "étude"]})  # fmt: skip
    employers = pd.DataFrame({"rank": [1, 2, 3], "name": ["Usine 1", EVIL, "Usine 3"], "zone_study": ["x"] * 3,
                              "ze2010_code": ["0002", "0002", "0003"], "naf_code": ["2910Z"] * 3,
                              "naf_label": ["Automobile"] * 3, "size_band": ["2 000 à 4 999", "1 000 à 1 999", "1 000 à 1 999"],
                              "size_min": [2000, 1000, 1000], "size_max": [4999, 1999, 1999], "source": ["étude"] * 3})  # fmt: skip
    empty = pd.DataFrame()
    study = StudyTables(
        s3, employers, pd.DataFrame(columns=["ze2010_code", "fact"]), empty, empty, empty
    )
    territoires = {p: _frame([{"id": f"ti-{p}", "name": f"TI {p}", "programme": p, "epci_names": ["CC X", "CA Y"]}],
                             [box(2.0, 50.0, 2.1, 50.2)]) for p in ("2018", "2023")}  # fmt: skip
    return Dataset(
        zones={"ze2010": zones, "ze2020": zones}, employment=employment, sector_labels=empty,
        departements=_frame([{"code": "59", "name": "Nord"}], [whole]),
        region=_frame([{"code": "32", "name": "Hauts-de-France"}], [whole]),
        territoires=territoires, zone_territoires=empty, communes=communes, study=study,
    )  # fmt: skip


def payload(group) -> dict:
    """The JSON the layer's script hands to cartohdf.js."""
    script = next(iter(group._children.values())).script_text()
    return json.loads(re.match(r"cartohdf\.\w+\(\w+, (.*)\);$", script).group(1))


def test_zones_share_their_borders_and_carry_class_colours(tiny):
    zv = zone_values(indicator_set(tiny, "ze2010"), "industrial_share", 2017)
    classes = classify(zv.values, "quantiles", 3, (), "auto", "share")
    p = payload(zone_layer(zone_areas(tiny, "ze2010", zv, classes, "fr"), "fr"))
    assert [f["props"]["code"] for f in p["features"]] == ["0001", "0002", "0003"]
    # three inner borders and three outer ones: six arcs, each inner border stored once
    assert len(p["arcs"]) == 6
    refs = [
        r if r >= 0 else ~r
        for f in p["features"]
        for poly in f["shape"]
        for ring in poly
        for r in ring
    ]
    assert sorted(refs.count(i) for i in range(6)) == [1, 1, 1, 2, 2, 2]
    assert {f["style"]["fillColor"] for f in p["features"]} == set(classes.colors)
    assert (
        "1e sur 3 zones" in p["features"][2]["popup"]
        or "1e sur 3 zones" in p["features"][1]["popup"]
    )
    assert all(EVIL not in f["tooltip"] for f in p["features"])
    assert "&lt;/script&gt;" in p["features"][1]["tooltip"]
    assert p["layer"] == "zones" and "pane" not in p  # the zones stay in Leaflet's overlay pane


def test_the_selection_is_an_outline_that_lets_clicks_through(tiny):
    p = payload(selection_layer(selection_areas(tiny, "ze2010", "0002"), "fr", PANE))
    (feature,) = p["features"]
    assert feature["style"]["fill"] is False and feature["style"]["interactive"] is False
    assert feature["style"]["weight"] > 3 and p["pane"] == {"name": "cartohdf-test", "z": 433}


def test_outlines_territoires_labels_in_their_panes(tiny):
    outlines = outline_layer(outline_areas(tiny), "fr", True, PANE)
    assert [payload_of["layer"] for payload_of in map(lambda c: json.loads(re.match(r"cartohdf\.\w+\(\w+, (.*)\);$", c.script_text()).group(1)), outlines._children.values())] == ["departements", "departements"]  # fmt: skip
    ti = payload(territoire_layer(territoire_areas(tiny, "2018", "en"), "en", False, PANE))
    assert ti["layer"] == "ti2018" and "CC X, CA Y" in ti["features"][0]["popup"]
    assert "Member EPCIs" in ti["features"][0]["popup"]
    labels = payload(label_layer(zone_labels(tiny, "ze2010"), "fr", True, PANE))
    assert len(labels["markers"]) == 3
    assert all(EVIL not in m["label"] for m in labels["markers"])


def test_s3_pair_and_employers_do_not_overlap(tiny):
    s3 = payload(s3_layer(s3_pair(tiny, "energy", "en"), "en", True, PANE))
    assert len(s3["markers"]) == 2 and len(s3["lines"]) == 1
    assert "Energy" in s3["markers"][0]["tooltip"] and EVIL not in s3["markers"][1]["popup"]
    emp = payload(employer_layer(employer_discs(tiny, "en"), "en", True, PANE))
    positions = [(m["lat"], m["lng"]) for m in emp["markers"]]
    assert len(positions) == len(set(positions)) == 3  # two in zone 0002: on a ring
    radii = [m["style"]["radius"] for m in emp["markers"]]
    assert radii[0] > radii[1]  # 2,000+ employees: the larger disc
    assert "2,000 to 4,999 employees" not in emp["markers"][0]["popup"]  # the band is in its row
    assert "2,000 to 4,999" in emp["markers"][0]["popup"]


def test_the_plan_of_a_tiny_dataset(tiny):
    p = plan(MapState(zone="0002", layers=frozenset({"employers", "s3_energy", "labels"})), tiny)
    assert [o.id for o in p.shown] == ["theme", "selection", "labels", "employers", "s3_energy"]
    (south, west), (north, east) = p.view.bounds
    assert (south, west, north, east) == (
        49.95,
        2.05,
        50.15,
        2.25,
    )  # the zone and half its size around
    assert [e.layer for e in p.legend_shown] == [None, "employers", "s3_energy"]
