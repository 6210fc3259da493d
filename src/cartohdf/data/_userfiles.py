"""User indicator files: one value per employment zone, as French users actually write them.

Accepted: CSV with ``;``, ``,`` or tab separators, decimal commas, UTF-8 (with or without BOM)
or Windows-1252, spaces as thousands separators, a trailing « % », codes that lost their leading
zero (``55`` for ``0055``), a French header row; or the first sheet of an XLSX workbook.
Anything else is a :class:`~cartohdf.errors.InputError` naming what to fix; parsing never
changes anything already loaded (it only returns a new object).
"""

from __future__ import annotations

import csv
import io
import itertools
import math
import re
import unicodedata
import zipfile
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import NoReturn

import pandas as pd

from cartohdf.core import (
    MAX_ABS_VALUE,
    MAX_UPLOAD_BYTES,
    MAX_UPLOAD_COLUMNS,
    MAX_UPLOAD_ROWS,
    MAX_XLSX_EXPANDED_BYTES,
    InputError,
    parse_number,
)
from cartohdf.data._xlsxsheet import sheet_rows

CODE_HEADERS = ("code", "code ze", "code zone", "code zone d'emploi", "code_ze", "codgeo", "ze", "zone",
                "zone d'emploi", "ze2010", "ze2020", "code_zone")  # fmt: skip


@dataclass(frozen=True)
class UserIndicator:
    """A parsed indicator file: values by zone code of one zoning."""

    zoning: str
    label: str
    unit: str
    values: pd.Series  # index zone code (4 characters), float
    file_name: str


def _norm(text: str) -> str:
    """Header comparison key: lower case, no accents, single spaces, no quotes/underscores."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[\s_]+", " ", text.replace("’", "'").strip().lower())


def _decode(raw: bytes, name: str) -> str:
    if b"\x00" in raw[:4096]:
        raise InputError("err.binary_file", file=name, expected="exp.csv_or_xlsx")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        if exc.reason == "unexpected end of data":  # UTF-8 up to a sequence cut at the very end
            raise InputError("err.truncated", file=name, expected="exp.complete_file") from None
    try:
        return raw.decode("cp1252")
    except UnicodeDecodeError:
        raise InputError("err.encoding", file=name, expected="exp.encoding") from None


def _counted_lines(text: str, name: str) -> Iterator[str]:
    """The file's lines, whatever their ends (LF, CRLF or CR alone), refused past the bound as
    they are read: blank lines count, a file cannot hide rows behind another line end."""
    for count, line in enumerate(io.StringIO(text, newline=""), start=1):
        if count > MAX_UPLOAD_ROWS + 1:
            raise InputError(
                "err.too_many_rows", file=name, expected="exp.max_rows", max=MAX_UPLOAD_ROWS
            )
        yield line


def _too_wide(line: str, sep: str, name: str) -> str:
    """`line`, refused before csv splits it when it has more fields than the bound allows
    (a quoted separator is not a field: a line with quotes is left to csv, bounded by size)."""
    if line.count(sep) >= MAX_UPLOAD_COLUMNS and '"' not in line:
        raise InputError(
            "err.too_many_columns", file=name, expected="exp.max_columns", max=MAX_UPLOAD_COLUMNS
        )
    return line


def _rows_from_csv(text: str, name: str) -> list[list[str]]:
    lines = _counted_lines(text, name)
    header = next((line for line in lines if line.strip()), None)
    if header is None:
        raise InputError("err.empty_file", file=name, expected="exp.header_then_rows")
    sep = max((";", "\t", ","), key=header.count)
    if header.count(sep) == 0:
        raise InputError("err.one_column", file=name, row=1, value=header.strip()[:60],
                         expected="exp.two_columns")  # fmt: skip
    checked = (_too_wide(line, sep, name) for line in itertools.chain([header], lines))
    rows: list[list[str]] = []
    try:
        for row in csv.reader(checked, delimiter=sep, strict=True):
            if not row or (len(row) == 1 and not row[0].strip()):
                continue  # a blank line
            if not rows and len(row) > MAX_UPLOAD_COLUMNS:
                raise InputError("err.too_many_columns", file=name, expected="exp.max_columns",
                                 max=MAX_UPLOAD_COLUMNS)  # fmt: skip
            if rows and len(row) != len(rows[0]):
                raise InputError("err.column_count", file=name, row=len(rows) + 1,
                                 value=sep.join(row)[:60], n=len(row), width=len(rows[0]))  # fmt: skip
            rows.append(row)
    except csv.Error as exc:
        problem = (
            "err.truncated_quote"
            if "end of data" in str(exc) or "EOF" in str(exc)
            else "err.csv_unreadable"
        )
        raise InputError(problem, file=name, expected="exp.complete_file") from None
    if not text.endswith(("\n", "\r")):
        # every spreadsheet and script ends a CSV with a line break: a file without one was cut
        raise InputError(
            "err.truncated_no_newline", file=name, row=len(rows), expected="exp.complete_file"
        )
    return rows


def _check_xlsx_size(raw: bytes, name: str) -> None:
    """Refuse a workbook whose parts say they expand beyond the bound, before reading any of
    them (the reader counts the bytes it actually unzips too: the sizes stated may lie)."""
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as z:
            expanded = sum(i.file_size for i in z.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        raise InputError("err.xlsx_unreadable", file=name) from None
    if expanded > MAX_XLSX_EXPANDED_BYTES:
        raise InputError("err.xlsx_too_big", file=name, expected="exp.max_expanded",
                         size_mb=round(expanded / 1e6), max_mb=MAX_XLSX_EXPANDED_BYTES // 1_000_000)  # fmt: skip


def _rows_from_xlsx(raw: bytes, name: str) -> list[list[str]]:
    _check_xlsx_size(raw, name)
    rows = sheet_rows(raw, name)
    if not rows:
        raise InputError("err.empty_workbook", file=name, expected="exp.header_then_rows")
    width = max(len(r) for r in rows)
    return [r + [""] * (width - len(r)) for r in rows]


_PLAIN_DECIMAL = re.compile(r"-?\d{1,15}(?:\.\d{1,15})?")
_NUMERAL = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")


def _overflows(text: str) -> bool:
    """Whether `text` is a numeral too large for any float (« 1e400 », 400 digits)."""
    numeral = re.sub(r"[\s\u00a0\u202f]+", "", text).replace(",", ".").replace("−", "-")
    return bool(_NUMERAL.fullmatch(numeral)) and math.isinf(float(numeral))


def _find_code_column(header: list[str], name: str) -> int:
    keys = [_norm(h) for h in header]
    for candidate in CODE_HEADERS:
        if candidate in keys:
            return keys.index(candidate)
    for i, k in enumerate(keys):
        if "code" in k:
            return i
    raise InputError(
        "err.no_code_column", file=name, row=1, value=header, expected="exp.code_column"
    )


def _label_and_unit(header: str) -> tuple[str, str]:
    m = re.match(r"^(.*?)\s*\(([^)]{1,20})\)\s*$", header)
    return (m.group(1).strip(), m.group(2).strip()) if m else (header.strip(), "")


def parse_indicator(
    raw: bytes,
    name: str,
    zones: Mapping[str, Sequence[str]],
    column: str | None = None,
    zoning: str | None = None,
    label: str | None = None,
    unit: str | None = None,
) -> UserIndicator:
    """Parse an indicator file's bytes. `zones` maps each zoning to its zone codes."""
    if len(raw) > MAX_UPLOAD_BYTES:
        raise InputError("err.too_big", file=name, expected="exp.max_mb",
                         size_mb=round(len(raw) / 1e6, 1), max_mb=MAX_UPLOAD_BYTES // 1_000_000)  # fmt: skip
    if not raw.strip():
        raise InputError("err.empty_file", file=name, expected="exp.header_then_rows")
    rows = (
        _rows_from_xlsx(raw, name)
        if raw[:4] == b"PK\x03\x04"
        else _rows_from_csv(_decode(raw, name), name)
    )
    header, body = [h.strip() for h in rows[0]], rows[1:]
    if not body:
        raise InputError("err.no_data_rows", file=name, expected="exp.header_then_rows")
    code_col = _find_code_column(header, name)
    value_col = _find_value_column(header, body, code_col, column, name)
    codes, values = [], []
    for i, row in enumerate(body, start=2):
        code = (
            row[code_col].strip().split(" ")[0].split(".")[0]
        )  # "55", "0055", "2203 La Thiérache", "55.0"
        if code.isdigit() and len(code) < 4:
            code = code.zfill(4)
        try:
            v = parse_number(row[value_col])
        except ValueError:
            if _overflows(row[value_col]):
                v = float("inf")  # a number, but beyond any float: refused as out of bounds below
            else:
                raise InputError("err.not_a_number", file=name, row=i, column=header[value_col],
                                 value=row[value_col], expected="exp.number_example") from None  # fmt: skip
        if v is not None and abs(v) > MAX_ABS_VALUE:
            raise InputError("err.value_too_large", file=name, row=i, column=header[value_col],
                             value=row[value_col], expected="exp.max_abs_value", max=MAX_ABS_VALUE)  # fmt: skip
        values.append(v)
        codes.append((i, code))
    chosen = _check_codes(codes, zones, zoning, name, header[code_col])
    auto_label, auto_unit = _label_and_unit(header[value_col])
    series = pd.Series(
        [v if v is not None else float("nan") for v in values],
        index=[c for _, c in codes],
        dtype=float,
    )
    if series.isna().all():
        raise InputError(
            "err.no_values", file=name, column=header[value_col], expected="exp.numbers"
        )
    return UserIndicator(
        zoning=chosen,
        label=(label or auto_label or name.rsplit(".", 1)[0] or name)[:120],
        unit=(unit if unit is not None else auto_unit)[:20],
        values=series.sort_index(),
        file_name=name,
    )


def _find_value_column(
    header: list[str], body: list[list[str]], code_col: int, column: str | None, name: str
) -> int:
    if column is not None:
        keys = [_norm(h) for h in header]
        if _norm(column) not in keys:
            raise InputError("err.asked_column_missing", file=name, column=column,
                             expected="exp.one_of_columns", columns=header)  # fmt: skip
        return keys.index(_norm(column))

    def numeric(i: int) -> bool:
        cells = [r[i] for r in body if r[i].strip()]
        try:
            # plain decimals (what spreadsheets write) skip the full grammar: same answer
            return bool(cells) and all(
                _PLAIN_DECIMAL.fullmatch(c) or parse_number(c) is not None for c in cells
            )
        except ValueError:
            return False

    candidates = [i for i in range(len(header)) if i != code_col and numeric(i)]
    if len(candidates) == 1:
        return candidates[0]
    others = [h for i, h in enumerate(header) if i != code_col]
    if not candidates and len(others) == 1:
        return header.index(others[0])  # one value column with a bad cell: report that cell
    raise InputError("err.several_value_columns" if candidates else "err.no_numeric_column",
                     file=name, value=[header[i] for i in candidates] or others,
                     expected="exp.choose_column")  # fmt: skip


def _check_codes(
    codes: list[tuple[int, str]],
    zones: Mapping[str, Sequence[str]],
    zoning: str | None,
    name: str,
    column: str,
) -> str:
    seen: dict[str, int] = {}
    for row, code in codes:
        if code in seen:
            raise InputError("err.duplicate_code", file=name, column=column, expected="exp.one_row_per_zone",
                             code=code, first=seen[code], second=row)  # fmt: skip
        seen[code] = row
    present = {code for _, code in codes}
    matching = {z: present <= set(c) for z, c in zones.items()}
    if zoning is not None:
        if zoning not in zones:
            raise InputError(
                "err.unknown_zoning", value=zoning, expected="exp.one_of", allowed=list(zones)
            )
        if not matching[zoning]:
            others = [z for z, ok in matching.items() if ok and z != zoning]
            if others:
                raise InputError("err.other_zoning", file=name, column=column, expected="exp.choose_zoning",
                                 found=others[0], asked=zoning)  # fmt: skip
            _unknown_codes(codes, set(zones[zoning]), name, column)
        return zoning
    fits = [z for z, ok in matching.items() if ok]
    if fits:
        return fits[0]
    best = max(zones, key=lambda z: len(present & set(zones[z])))
    _unknown_codes(codes, set(zones[best]), name, column)


def _unknown_codes(
    codes: list[tuple[int, str]], known: set[str], name: str, column: str
) -> NoReturn:
    bad = [(r, c) for r, c in codes if c not in known]
    raise InputError("err.unknown_zone_codes", file=name, column=column, expected="exp.region_zone_codes",
                     codes=[c for _, c in bad[:10]], lines=[r for r, _ in bad[:10]])  # fmt: skip
