"""National tables: every metropolitan zone, validated, the same maths as the region's, and the
region's ranks unchanged inside France."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

from cartohdf.core import InputError, paths
from cartohdf.data import load_national
from cartohdf.front.cli import main
from cartohdf.indicators import indicator_set, national_set, ranks, sector_of

OVERSEAS_PREFIXES = ("01", "02", "03", "04", "06")


def _last(iset, indicator_id):
    y0, y1 = iset.default_change
    return (y1, y0) if indicator_id == "industrial_change" else (iset.years[-1], None)


@pytest.mark.parametrize(("zoning", "n"), [("ze2010", 304), ("ze2020", 287)])
def test_every_metropolitan_zone_once(data, zoning, n):
    codes = data.national.codes(zoning)
    assert len(codes) == len(set(codes)) == n
    assert not [c for c in codes if c.startswith(OVERSEAS_PREFIXES)]
    assert set(data.zones[zoning]["code"]) <= set(codes)
    iset = national_set(data, zoning)
    values = iset.values("industrial_share", iset.years[-1])
    assert sorted(values.index) == codes and values.notna().all()
    regions = data.national.regions(zoning)
    assert {regions[c] for c in data.regional_zones(zoning)} == {"32"}
    interregional = data.zones[zoning].set_index("code")["interregional"]
    assert all(regions[c] == "INT" for c in interregional[interregional].index)
    names = data.national.names(zoning)
    assert all(names[c] == data.zone_name(zoning, c) for c in data.zones[zoning]["code"])


@pytest.mark.parametrize("zoning", ["ze2010", "ze2020"])
def test_region_values_and_ranks_are_the_same_inside_france(data, zoning):
    regional, national = indicator_set(data, zoning), national_set(data, zoning)
    assert national.regional_zones == regional.regional_zones
    # the sector maps (jobs, change, share of a sector) are the région's only: its sector table
    region_only = set(regional.indicators) - set(national.indicators)
    assert all(sector_of(i) is not None and sector_of(i)[1] != "specialisation" for i in region_only)
    assert len(region_only) == (48 if zoning == "ze2020" else 0)
    for indicator_id in (i for i in regional.indicators if i not in region_only):
        year, base = _last(regional, indicator_id)
        mine = regional.values(indicator_id, year, base)
        inside = national.values(indicator_id, year, base)
        assert np.allclose(mine, inside.reindex(mine.index), equal_nan=True), indicator_id
        # ranking the region's zones inside the national table gives the regional ranks
        region_codes = list(data.zones[zoning]["code"])
        assert ranks(inside[inside.index.isin(region_codes)]).equals(ranks(mine)), indicator_id
        assert national.region_value(indicator_id, year, base) == pytest.approx(
            regional.region_value(indicator_id, year, base), nan_ok=True
        )
        assert national.reference_value(indicator_id, year, base) == pytest.approx(
            regional.reference_value(indicator_id, year, base), nan_ok=True
        )


def test_metropolitan_france_is_a_second_ze2020_reference(data):
    u = indicator_set(data, "ze2020")
    e = indicator_set(data, "ze2010")
    # Estel's reference is already metropolitan France
    assert e.metro_reference_value("industrial_share", 2017) == e.reference_value(
        "industrial_share", 2017
    )
    metro, whole = (u.metro_reference_value("industrial_share", 2024),
                    u.reference_value("industrial_share", 2024))  # fmt: skip
    assert 0 < metro < 1 and metro != whole
    jobs = national_set(data, "ze2020").values("industrial_jobs", 2024).sum()
    assert u.metro_reference_value("industrial_jobs", 2024) == jobs  # FRM = sum of the 287 zones


def _raw_estel(raw: Path, name: str) -> pd.DataFrame:
    df = pd.read_csv(raw / "emploi" / "estel" / name, skiprows=5, thousands=",",
                     dtype={"Zone_emploi": str, "Region": str})  # fmt: skip
    df["code"] = df["Zone_emploi"].str.split("_").str[0]
    return df[~df["Region"].str[:2].isin(["01", "02", "03", "04"])]


@pytest.mark.raw
def test_ze2010_indicators_equal_a_recomputation_from_the_raw_file(data, raw_dir):
    df = _raw_estel(raw_dir, "estel_ze2010_emploi_salarie_a5_1998_2017.csv")
    assert df["code"].nunique() == 304
    wide = df.assign(sector=df["Activite"].str[:2]).set_index(["code", "sector"])
    jobs = {y: wide[y].astype(float).unstack("sector") for y in ("2007", "2017")}
    assert (jobs["2017"]["TT"] > 0).all()
    j7, j17 = jobs["2007"], jobs["2017"]
    iset = national_set(data, "ze2010")
    share = j17["BE"] / j17["TT"]
    expected = {
        "industrial_jobs": j17["BE"],
        "industrial_share": share,
        "industrial_share_market": j17["BE"] / (j17["BE"] + j17["FZ"] + j17["GU"]),
        "specialisation": share / (j17["BE"].sum() / j17["TT"].sum()),
    }
    for indicator_id, want in expected.items():
        got = iset.values(indicator_id, 2017)
        assert np.allclose(got.reindex(want.index), want, rtol=1e-12), indicator_id
    change = iset.values("industrial_change", 2017, 2007)
    assert np.allclose(change.reindex(j7.index), j17["BE"] / j7["BE"] - 1)


@pytest.mark.raw
def test_ze2020_indicators_equal_a_recomputation_from_the_raw_files(data, raw_dir):
    import geopandas as gpd

    folder = raw_dir / "emploi" / "urssaf_ze2020"
    a5 = pd.read_csv(folder / "exdeco_pivot_urssaf_a5.csv", dtype={"code_ze": str})
    a38 = pd.read_csv(folder / "exdeco_pivot_urssaf_a38.csv", dtype={"code_ze": str})
    shp = gpd.read_file(raw_dir / "zones_emploi" / "ze2020_bdd_polygon_ze2020.shp")
    mainland = set(shp.iloc[:, 0])  # the mainland geometry: an independent list of codes
    assert len(mainland) == 287 and set(data.national.codes("ze2020")) == mainland
    total = a5.groupby("code_ze")["eff_24"].sum()
    industry = a5[a5["a5"] == "BE"].set_index("code_ze")["eff_24"]
    ch = a38[a38["a38"] == "CH"].set_index("code_ze")["eff_24"].reindex(total.index).fillna(0)
    iset = national_set(data, "ze2020")
    metro = sorted(mainland)
    share = (industry / total)[metro]
    assert np.allclose(iset.values("industrial_share", 2024)[metro], share, rtol=1e-9)
    # location quotients keep the URSSAF reference: France including overseas (all 305 zones)
    lq = (ch / total)[metro] / (ch.sum() / total.sum())
    assert np.allclose(iset.values("specialisation_ch", 2024)[metro], lq, rtol=1e-6)
    frm = industry[metro].sum() / total[metro].sum()
    assert iset.metro_reference_value("industrial_share", 2024) == pytest.approx(frm, rel=1e-9)
    y19 = a5[a5["a5"] == "BE"].set_index("code_ze")["eff_19"]
    change = iset.values("industrial_change", 2024, 2019)[metro]
    assert np.allclose(change, (industry / y19 - 1)[metro], rtol=1e-9)


def test_export_data_france_scope(tmp_path, data):
    for zoning, n in (("ze2010", 304), ("ze2020", 287)):
        region_out, france_out = tmp_path / f"{zoning}_r.csv", tmp_path / f"{zoning}_f.csv"
        for scope, out in (("region", region_out), ("france", france_out)):
            result = CliRunner().invoke(main, ["export-data", "--zoning", zoning, "--scope", scope,
                                               "--out", str(out)])  # fmt: skip
            assert result.exit_code == 0, result.output
        regional = pd.read_csv(region_out, dtype={"code": str, "region": str})
        france = pd.read_csv(france_out, dtype={"code": str, "region": str})
        assert len(france) == n and france["code"].is_unique
        # the sector maps' columns (ZE2020) are the région's only: its sector table
        shared = [c for c in regional.columns if not c.startswith(("sector_jobs_", "sector_change_", "sector_share_"))]
        assert len(shared) < len(regional.columns) if zoning == "ze2020" else len(shared) == len(regional.columns)
        assert list(france.columns) == [*shared[:3], "region", *shared[3:]]
        both = france.set_index("code").loc[regional["code"]]
        numeric = shared[3:]
        assert np.allclose(both[numeric].to_numpy(float), regional[numeric].to_numpy(float),
                           equal_nan=True)  # fmt: skip
        assert (both["interregional"].to_numpy() == regional["interregional"].to_numpy()).all()
    result = CliRunner().invoke(main, ["export-data", "--scope", "france", "--format", "geojson",
                                       "--out", str(tmp_path / "x.geojson")])  # fmt: skip
    assert result.exit_code == 2 and "GeoJSON" in result.output
    assert not (tmp_path / "x.geojson").exists()


def _copy_data(tmp_path: Path) -> Path:
    shutil.copytree(paths.DATA_DIR, tmp_path / "data")
    return tmp_path / "data"


def _edit_line(path: Path, line: int, old: str, new: str) -> None:
    lines = path.read_text(encoding="utf-8").split("\n")
    assert old in lines[line - 1]
    lines[line - 1] = lines[line - 1].replace(old, new, 1)
    path.write_text("\n".join(lines), encoding="utf-8")


def test_national_tables_are_validated_with_file_line_column_value(tmp_path, data):
    regional = {z: list(f["code"]) for z, f in data.zones.items()}
    d = _copy_data(tmp_path)
    estel = d / "estel_salaried_france_ze2010.csv"
    _edit_line(estel, 2, ",2763,", ",27x3,")  # 0050 AZ 1999
    with pytest.raises(InputError) as err:
        load_national(d, regional)
    e = err.value
    assert (e.row, e.column, e.value) == (2, "1999", "27x3")
    assert "estel_salaried_france_ze2010.csv" in str(e) and "ligne 2" in str(e)

    d = _copy_data(tmp_path / "b")
    _edit_line(d / "urssaf_france_ze2020.csv", 1, "2019", "2019b")
    with pytest.raises(InputError, match="2019b"):
        load_national(d, regional)

    d = _copy_data(tmp_path / "c")
    _edit_line(d / "urssaf_france_ze2020.csv", 2, "0051,", "0101,")  # an overseas zone
    with pytest.raises(InputError) as err:
        load_national(d, regional)
    assert (err.value.row, err.value.column, err.value.value) == (2, "zone_code", "0101")

    d = _copy_data(tmp_path / "d")
    zones = d / "zones_france.csv"
    _edit_line(zones, 2, ",INT", ",Int")
    with pytest.raises(InputError, match=r"zones_france\.csv") as err:
        load_national(d, regional)
    assert err.value.column == "region"

    d = _copy_data(tmp_path / "e")
    lines = (d / "zones_france.csv").read_text(encoding="utf-8").split("\n")
    (d / "zones_france.csv").write_text(
        "\n".join(x for x in lines if ",3117," not in x), encoding="utf-8"
    )
    with pytest.raises(InputError, match="3117"):  # a zone of the region missing
        load_national(d, regional)
