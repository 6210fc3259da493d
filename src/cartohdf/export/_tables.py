"""The zone table behind the map, as CSV or GeoJSON: one row per zone, every indicator and year."""

from __future__ import annotations

import contextlib
import gc
import io
import json
import sys
from collections.abc import Iterator
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from cartohdf.core import (
    INDUSTRY,
    INTERREGIONAL,
    InputError,
    WriteError,
    os_reason,
    t,
    write_atomic,
)
from cartohdf.data import (
    STATUS_SECRET,
    STATUS_ZERO,
    Dataset,
    feature_collection,
    load_level_outlines,
)
from cartohdf.indicators import (
    IndicatorSet,
    area_employment,
    export_frame,
    indicator_set,
    level_set,
    national_set,
    unit_codes,
)
from cartohdf.render import unit_names

DECIMALS = 6
FORMATS = ("csv", "csv-fr", "xlsx", "geojson")
SCOPES = ("region", "france")
BOM = "\ufeff"


def zone_table(
    data: Dataset, zoning: str, change_years: tuple[int, int] | None = None
) -> gpd.GeoDataFrame:
    """One row per zone: code, name, inter-regional flag, every indicator and year, geometry."""
    zones = data.zones[zoning][["code", "name", "interregional", "geometry"]]
    values = export_frame(indicator_set(data, zoning), change_years)
    table = zones.merge(values, left_on="code", right_index=True, how="left", validate="one_to_one")
    return gpd.GeoDataFrame(table, geometry="geometry", crs=data.zones[zoning].crs)


def national_zone_table(
    data: Dataset, zoning: str, change_years: tuple[int, int] | None = None
) -> pd.DataFrame:
    """One row per metropolitan zone: code, name, inter-regional flag, region (INSEE code, INT
    for a zone spanning regions), then the regional table's indicator columns (no geometry)."""
    zones = _france_zones(data, zoning)
    values = export_frame(national_set(data, zoning), change_years)
    return zones.merge(values, left_on="code", right_index=True, how="left", validate="one_to_one")


def _france_zones(data: Dataset, zoning: str) -> pd.DataFrame:
    """Every metropolitan zone: code, name, inter-regional flag, region."""
    if data.national is None:
        raise InputError(
            "err.file_not_found", file="zones_france.csv", expected="exp.run_build_data"
        )
    zones = data.national.zones
    zones = zones[zones["zoning"] == zoning][["code", "name", "region"]].reset_index(drop=True)
    zones.insert(2, "interregional", zones["region"] == INTERREGIONAL)
    return zones


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")  # what a spreadsheet may run as a formula


def neutralise(cell: object) -> object:
    """A text cell a spreadsheet would read as a formula gets a leading apostrophe (OWASP
    « CSV injection »); numbers and other text are left as they are."""
    return "'" + cell if isinstance(cell, str) and cell.startswith(FORMULA_START) else cell


def _flat_table(data: Dataset, zoning: str, scope: str = "region") -> pd.DataFrame:
    """The zone table without geometry, rounded, every text cell neutralised; `scope`
    ``france``: every metropolitan zone, with its region."""
    if scope == "france":
        table = national_zone_table(data, zoning).round(DECIMALS)
    else:
        table = zone_table(data, zoning).drop(columns="geometry").round(DECIMALS)
    for column in table.columns:
        if not pd.api.types.is_numeric_dtype(table[column]) and not pd.api.types.is_bool_dtype(
            table[column]
        ):
            table[column] = table[column].map(neutralise)
    table.columns = [neutralise(str(c)) for c in table.columns]
    return pd.DataFrame(table)


PERCENT_KINDS = ("share", "change")


def _people_columns(iset: IndicatorSet, lang: str) -> dict[str, pd.Series]:
    """Every indicator of `iset` as a spreadsheet user reads it: headers in `lang` with the
    year and unit, shares and changes in percent, job counts as whole numbers."""
    y0, y1 = iset.default_change
    columns: dict[str, pd.Series] = {}
    for ind in iset.indicators.values():
        if ind.id in iset.user_values:
            unit = ind.unit(lang)
            columns[f"{ind.label(lang)} ({unit})" if unit else ind.label(lang)] = iset.values(ind.id, iset.years[-1])
            continue
        periods = [(y1, y0)] if ind.kind == "change" else [(y, None) for y in iset.years]
        for year, base in periods:
            values = iset.values(ind.id, year, base)
            when = f"{base}–{year}" if base else str(year)
            if ind.kind in PERCENT_KINDS:
                columns[f"{ind.label(lang)} {when} (%)"] = (values * 100).round(DECIMALS - 2)
            elif ind.kind == "count":
                columns[f"{ind.label(lang)} {when}"] = values.round().astype("Int64")
            else:
                columns[f"{ind.label(lang)} {when}"] = values.round(DECIMALS)
    return columns


def _neutralised(table: pd.DataFrame) -> pd.DataFrame:
    """Every text cell and header of a table for people, neutralised (see `neutralise`)."""
    for column in table.columns:
        if table[column].dtype == object:
            table[column] = table[column].map(neutralise)
    table.columns = [neutralise(str(c)) for c in table.columns]
    return table


def people_table(data: Dataset, zoning: str, scope: str = "region", lang: str = "fr") -> pd.DataFrame:
    """The zone table for a spreadsheet user (CSV for Excel, XLSX): headers in `lang`, « oui »
    / « non », shares and changes in percent, job counts whole; every text cell neutralised."""
    if scope == "france":
        zones, iset = _france_zones(data, zoning), national_set(data, zoning)
    else:
        zones = data.zones[zoning][["code", "name", "interregional"]].reset_index(drop=True)
        iset = indicator_set(data, zoning)
    yes, no = t("yes", lang), t("no", lang)
    table = pd.DataFrame({
        t("col.code", lang): zones["code"],
        t("col.zone_name", lang): zones["name"],
        t("col.interregional", lang): zones["interregional"].map({True: yes, False: no}),
    })  # fmt: skip
    if scope == "france":
        table[t("col.region_code", lang)] = zones["region"]
    values = pd.DataFrame(_people_columns(iset, lang)).reindex(zones["code"]).reset_index(drop=True)
    return _neutralised(pd.concat([table, values], axis=1))


def zone_table_csv(data: Dataset, zoning: str, scope: str = "region") -> str:
    """The zone table as CSV text for programs: « , » separator, decimal point, no BOM
    (shares and changes as fractions: 0.195 = 19.5 %)."""
    return _flat_table(data, zoning, scope).to_csv(index=False, lineterminator="\n")


def zone_table_csv_fr(data: Dataset, zoning: str, scope: str = "region", lang: str = "fr") -> bytes:
    """The zone table as French Excel opens it with a double click: UTF-8 with a BOM (so
    accents read right), « ; » separator, decimal comma, Windows line ends; headers and
    values as a person reads them (:func:`people_table`)."""
    return _csv_fr(people_table(data, zoning, scope, lang))


def _csv_fr(table: pd.DataFrame) -> bytes:
    """A table for people as CSV for French Excel: BOM, « ; », decimal comma, CRLF."""
    text = table.to_csv(index=False, sep=";", decimal=",", lineterminator="\r\n")
    return (BOM + text).encode("utf-8")


def _xlsx(sheets: dict[str, pd.DataFrame]) -> bytes:
    """Tables for people as a workbook, one sheet each (by name), numbers as numbers, header
    frozen."""
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        for sheet, table in sheets.items():
            table.to_excel(writer, index=False, sheet_name=sheet, freeze_panes=(1, 0))
    return buffer.getvalue()


def zone_table_xlsx(data: Dataset, zoning: str, scope: str = "region", lang: str = "fr") -> bytes:
    """The zone table as an Excel workbook (one sheet, numbers as numbers, header frozen;
    headers and values as a person reads them: :func:`people_table`)."""
    return _xlsx({zoning: people_table(data, zoning, scope, lang)})


def zone_table_geojson(data: Dataset, zoning: str) -> str:
    """The zone table as GeoJSON (EPSG:4326), one feature per zone, sorted by code."""
    table = zone_table(data, zoning)
    feats = []
    for _, row in table.iterrows():
        props = {}
        for k, v in row.drop("geometry").items():
            if isinstance(v, float | np.floating):
                props[str(k)] = None if np.isnan(v) else round(float(v), DECIMALS)
            elif isinstance(v, np.bool_ | bool):
                props[str(k)] = bool(v)
            else:
                props[str(k)] = v
        feats.append((props, row["geometry"]))
    return json.dumps(
        feature_collection(feats), ensure_ascii=False, sort_keys=True, separators=(",", ":")
    )


def write_zone_table(
    data: Dataset, zoning: str, fmt: str, out: Path, scope: str = "region", lang: str = "fr"
) -> None:
    """Write the zone table whole or not at all; nothing is written when the format or scope
    is unknown, and a failed write (WriteError) leaves `out` as it was."""
    with _quiet_library_cleanup():
        try:
            body = zone_table_bytes(data, zoning, fmt, scope, lang)
        except OSError as exc:  # openpyxl writes a workbook's sheets to temporary files first
            reason = os_reason(exc)
            body = None
    if body is None:
        raise WriteError(out, reason)
    write_atomic(out, body)


@contextlib.contextmanager
def _quiet_library_cleanup() -> Iterator[None]:
    """openpyxl's sheet writers are generators over temporary files: after a failed write
    (full disk), closing them fails again when they are collected, and Python would print that
    under the one-line message. Collect them here, with that report silenced."""
    previous = sys.unraisablehook
    sys.unraisablehook = lambda _report: None
    try:
        yield
    finally:
        gc.collect()
        sys.unraisablehook = previous


def zone_table_bytes(
    data: Dataset, zoning: str, fmt: str, scope: str = "region", lang: str = "fr"
) -> bytes:
    """The zone table in one of FORMATS, as the bytes of the file. `scope` ``france``: every
    metropolitan zone (CSV and XLSX only: the national geometry is not embedded). CSV and
    GeoJSON are for programs (stable column ids, fractions); CSV for Excel and XLSX for people,
    in `lang`."""
    if fmt not in FORMATS:
        raise InputError("err.unknown_format", value=fmt, expected="exp.one_of", allowed=FORMATS)
    if scope not in SCOPES:
        raise InputError("err.unknown_scope", value=scope, expected="exp.one_of", allowed=SCOPES)
    if scope == "france" and fmt == "geojson":
        raise InputError("err.france_geojson", value=fmt, expected="exp.one_of",
                         allowed=[f for f in FORMATS if f != "geojson"])  # fmt: skip
    if fmt == "csv":
        return zone_table_csv(data, zoning, scope).encode("utf-8")
    if fmt == "csv-fr":
        return zone_table_csv_fr(data, zoning, scope, lang)
    if fmt == "xlsx":
        return zone_table_xlsx(data, zoning, scope, lang)
    return zone_table_geojson(data, zoning).encode("utf-8")


# -- a level below the zone (an import's communes, EPCI, départements) ------------------------


def _unit_rows(data: Dataset, level: str, zoning: str, within: str) -> tuple[list[str], IndicatorSet]:
    """The units a map of `level` draws (every one, or the communes of zone `within`) and
    their indicators."""
    return unit_codes(data, level, zoning, within), level_set(data, level, zoning)


def _statuses(data: Dataset, level: str, codes: list[str]) -> dict[int, pd.Series]:
    """Each year's status of every unit's industrial jobs: STATUS_SECRET (some withheld: the
    figures are lower bounds), STATUS_ZERO (none published), else STATUS_VALUE."""
    table = area_employment(data, level)
    return {y: table.status("a5", INDUSTRY, y).reindex(codes) for y in table.years}


def unit_people_table(data: Dataset, level: str, zoning: str, within: str = "", lang: str = "fr") -> pd.DataFrame:
    """The table of the units a level's map draws, for a spreadsheet user (CSV for Excel,
    XLSX): code, name, each year's statistical secrecy of the industrial jobs in words, then
    every indicator as `people_table` writes them; every text cell neutralised."""
    codes, iset = _unit_rows(data, level, zoning, within)
    names = unit_names(data, level)
    table = pd.DataFrame({t("col.code", lang): codes, t(f"col.unit.{level}", lang): [names.get(c, c) for c in codes]})
    words = {STATUS_SECRET: t("unit_secret", lang), STATUS_ZERO: t("unit_zero", lang)}
    for year, status in _statuses(data, level, codes).items():
        table[t("col.unit_status", lang, year=year)] = status.map(lambda s: words.get(s, "")).to_numpy()
    values = pd.DataFrame(_people_columns(iset, lang)).reindex(codes).reset_index(drop=True)
    return _neutralised(pd.concat([table, values], axis=1))


def unit_table_geojson(data: Dataset, level: str, zoning: str, within: str = "") -> str:
    """The units a level's map draws as GeoJSON (EPSG:4326, simplified outlines), sorted by
    code: code, name, ``status_<year>`` (secret, zero, value) and every indicator and year as
    the zone table's columns (shares and changes as fractions)."""
    codes, iset = _unit_rows(data, level, zoning, within)
    names = unit_names(data, level)
    values = export_frame(iset).reindex(codes).round(DECIMALS)
    statuses = _statuses(data, level, codes)
    shapes = load_level_outlines(level).set_index("code").geometry
    feats = []
    for code in codes:
        props: dict[str, object] = {"code": code, "name": names.get(code, code)}
        props |= {f"status_{y}": str(s[code]) for y, s in statuses.items()}
        props |= {str(k): (None if pd.isna(v) else float(v)) for k, v in values.loc[code].items()}
        feats.append((props, shapes[code]))
    return json.dumps(feature_collection(feats), ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def unit_table_bytes(data: Dataset, level: str, zoning: str, fmt: str, within: str = "", lang: str = "fr") -> bytes:
    """The table of a level's units in one of the formats the app offers (``csv-fr``,
    ``xlsx``, ``geojson``)."""
    if fmt == "geojson":
        return unit_table_geojson(data, level, zoning, within).encode("utf-8")
    table = unit_people_table(data, level, zoning, within, lang)
    if fmt == "csv-fr":
        return _csv_fr(table)
    if fmt == "xlsx":
        return _xlsx({level: table})
    raise InputError("err.unknown_format", value=fmt, expected="exp.one_of", allowed=["csv-fr", "xlsx", "geojson"])
