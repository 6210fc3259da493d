"""Schemas and the one generic checker every committed table goes through.

A loader reads a file as text, then :func:`validate_frame` checks it against its schema
(columns present, codes as strings of the right shape, numbers numeric, keys unique) and
returns it typed. Errors name the file, line, column, value and what was expected.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from cartohdf.core import InputError, first_true, parse_numbers

if TYPE_CHECKING:  # geopandas is imported where a GeoJSON is read, not with the tables
    import geopandas as gpd


@dataclass(frozen=True)
class Column:
    """One expected column: its kind and, optionally, the values it may take."""

    name: str
    kind: str = "str"  # str | code4 | zone_or_ref | code5 | naf | region | int | float | bool
    allowed: frozenset[str] | None = None
    required: bool = True  # False: empty cells allowed


@dataclass(frozen=True)
class Schema:
    """The columns of a table and its key (unique per row)."""

    columns: tuple[Column, ...]
    key: tuple[str, ...] = ()

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.columns]


_PATTERNS = {
    "code4": re.compile(r"^[0-9]{4}$"),
    "zone_or_ref": re.compile(r"^(?:[0-9]{4}|FRM|FR)$"),
    "code5": re.compile(r"^[0-9][0-9AB][0-9]{3}$"),
    "naf": re.compile(r"^[0-9]{4}[A-Z]$"),
    "region": re.compile(r"^(?:[0-9]{2}|INT)$"),
}
_EXPECT = {
    kind: f"exp.{kind}"
    for kind in ("code4", "zone_or_ref", "code5", "naf", "region", "int", "float", "bool")
}


def _line(i: int) -> int:
    """File line of data row i (0-based), counting the header as line 1."""
    return i + 2


def validate_frame(df: pd.DataFrame, schema: Schema, file: Path | str) -> pd.DataFrame:
    """Check and convert a frame read as text; return it with typed columns.

    Cells are checked as plain Python strings (a few thousand per table: faster than pandas'
    string methods, whose per-call cost dominates at this size); numbers go through the one
    number parser.
    """
    for col in schema.columns:
        if col.name not in df.columns:
            raise InputError("err.missing_column", file=file, column=col.name,
                             expected="exp.columns", columns=schema.names)  # fmt: skip
    out = df.copy()
    for col in schema.columns:
        values = ["" if v is None or v != v else str(v).strip() for v in out[col.name].tolist()]
        empty = [v == "" for v in values]
        if col.required and any(empty):
            raise InputError("err.empty_cell", file=file, row=_line(empty.index(True)),
                             column=col.name, expected=_EXPECT.get(col.kind, "exp.a_value"))  # fmt: skip
        if col.kind in _PATTERNS:
            match = _PATTERNS[col.kind].fullmatch
            _raise_first([not e and not match(v) for v, e in zip(values, empty, strict=True)],
                         values, file, col, _EXPECT[col.kind])  # fmt: skip
        if col.allowed is not None:
            _raise_first([not e and v not in col.allowed for v, e in zip(values, empty, strict=True)],
                         values, file, col, "exp.one_of", allowed=sorted(col.allowed))  # fmt: skip
        if col.kind in ("int", "float"):
            nums, bad = parse_numbers(pd.Series(values, index=out.index, dtype=object))
            _raise_first(bad.tolist(), values, file, col, _EXPECT[col.kind])
            if col.kind == "int":
                whole = (nums % 1 == 0) | nums.isna()
                _raise_first((~whole).tolist(), values, file, col, _EXPECT["int"])
                out[col.name] = nums.astype("Int64")
            else:
                out[col.name] = nums.astype("float64")
        elif col.kind == "bool":
            low = [v.lower() for v in values]
            _raise_first([not e and v not in ("true", "false") for v, e in zip(low, empty, strict=True)],
                         values, file, col, _EXPECT["bool"])  # fmt: skip
            out[col.name] = pd.Series([v == "true" for v in low], index=out.index, dtype=bool)
        else:
            out[col.name] = pd.Series(values, index=out.index, dtype=object)
    if schema.key:
        dup = out.duplicated(list(schema.key), keep="first")
        if dup.any():
            i = first_true(dup)
            raise InputError("err.duplicate_key", file=file, row=_line(i), column="+".join(schema.key),
                             value=" / ".join(str(out[k].iloc[i]) for k in schema.key),
                             expected="exp.one_row_per_key")  # fmt: skip
    return out


def _raise_first(mask: list[bool], values: list[str], file: Path | str, col: Column,
                 expected: str, **params: object) -> None:  # fmt: skip
    if any(mask):
        i = mask.index(True)
        raise InputError("err.invalid_value", file=file, row=_line(i), column=col.name,
                         value=values[i], expected=expected, **params)  # fmt: skip


def check_codes(
    df: pd.DataFrame, column: str, known: Iterable[str], file: Path | str, what: str = "zone"
) -> None:
    """Every code of `column` must be one of `known` (`what`: ``zone`` or ``commune``)."""
    known_set = set(known)
    bad = ~df[column].isin(known_set)
    if bad.any():
        i = first_true(bad)
        raise InputError(f"err.unknown_{what}_code", file=file, row=_line(i), column=column,
                         value=df[column].iloc[i], expected="exp.known_codes", n=len(known_set))  # fmt: skip


def read_csv_table(path: Path, schema: Schema) -> pd.DataFrame:
    """Read a committed CSV as text, then validate it."""
    if not path.is_file():
        raise InputError("err.file_not_found", file=path, expected="exp.run_build_data")
    df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    return validate_frame(df, schema, path)


def read_geo(path: Path, schema: Schema) -> gpd.GeoDataFrame:
    """Read a committed GeoJSON; its CRS must be EPSG:4326 and its polygons valid."""
    import geopandas as gpd

    if not path.is_file():
        raise InputError("err.file_not_found", file=path, expected="exp.run_build_data")
    gdf = gpd.read_file(path)
    if gdf.crs is None:
        raise InputError("err.no_crs", file=path, expected="exp.epsg4326")
    if gdf.crs.to_epsg() != 4326:
        raise InputError(
            "err.unexpected_crs", file=path, value=str(gdf.crs), expected="exp.epsg4326"
        )
    invalid = ~gdf.geometry.is_valid
    if invalid.any():
        raise InputError("err.invalid_geometry", file=path, row=first_true(invalid) + 1,
                         column="geometry", expected="exp.valid_polygon")  # fmt: skip
    text_cols = [c for c in gdf.columns if c != "geometry"]
    as_text = pd.DataFrame(
        {
            c: gdf[c].map(
                lambda v: "" if v is None else str(v).lower() if isinstance(v, bool) else str(v)
            )
            for c in text_cols
        }
    )
    checked = validate_frame(as_text, schema, path)
    for c in schema.names:
        gdf[c] = checked[c].values
    return gdf
