"""Import URSSAF's national "établissements et effectifs salariés … par commune x APE" file.

The file (hundreds of MB, `;`-separated, UTF-8 with BOM, CRLF, one `Effectifs salariés YYYY`
column per year, empty cells = no employee or statistical secret) is read in chunks, so memory
stays bounded whatever its size. The region's communes are placed in both zonings through
`data/communes.csv` (commune codes of the COG vintages 2018-2024 all exist there); every row,
placed or not, counts in the reference totals ("France" = the whole file). Output tables have
the layout of `data/urssaf_ze2020.csv` and are written to a new folder only once complete.

Only a file that can be true is imported: every row has the header's field count, every count
is a whole number of jobs from 0 to MAX_JOBS_PER_CELL (or empty), every year header names a
year of URSSAF_YEARS. Otherwise the error names the file, row, column and value, and nothing is
written. Both engines (Arrow, pandas) apply these rules alike (tested, and by a property test).
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import re
import unicodedata
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

import pandas as pd

from cartohdf.core import (
    FRANCE,
    HDF_DEPS,
    MAX_IMPORT_FILE_BYTES,
    MAX_JOBS_PER_CELL,
    URSSAF_GRAND_SECTOR_A5,
    URSSAF_YEARS,
    ZONINGS,
    InputError,
    WriteError,
    first_true,
    parse_numbers,
    write_atomic,
)
from cartohdf.data._imports_store import (
    IMPORT_NAME,
    discard,
    import_digest,
    list_imports,
    load_import,
    locked,
    marked_workdir,
    remove_abandoned,
    swap_into_place,
)

__all__ = ["IMPORT_NAME", "ImportSummary", "import_digest", "import_urssaf", "list_imports",
           "load_import"]  # fmt: skip

CODE, DEP, GS, NA38 = "Code commune", "Code département", "Grand secteur d'activité", "Secteur NA38"
FILE_ZONE = "Code zone d'emploi"  # the publisher's own (current, ZE2020) zone of each row, optional
YEAR_COLUMN = re.compile(r"^Effectifs salariés ([0-9]{4})$")
ESTABLISHMENTS = "Nombre d'établissements {year}"  # beside each year's jobs in the national file
CHUNK_ROWS = 100_000
REFERENCE = FRANCE

Progress = Callable[[int, int], None]  # (bytes read, total bytes)


@dataclass
class ImportSummary:
    """What an import read, placed and could not place."""

    source_file: str
    sha256: str
    years: list[int]
    rows: int = 0
    rows_region: int = 0
    rows_unplaced: int = 0
    unplaced_communes: list[str] = field(default_factory=list)
    empty_cells_region: int = 0
    zones: dict[str, int] = field(default_factory=dict)
    withheld_cells_region: int = 0
    communes_carried_forward: dict[str, str] = field(default_factory=dict)


def establishment_columns(header: list[str], year_cols: dict[str, int]) -> dict[str, str]:
    """Each year column -> its « Nombre d'établissements » column ("" if the file has none)."""
    present = set(header)
    return {col: (name if (name := ESTABLISHMENTS.format(year=y)) in present else "")
            for col, y in year_cols.items()}  # fmt: skip


def read_header(path: Path) -> list[str]:
    """The column names, checked; raises naming the first missing column."""
    # the first line, whatever its end (CR only too: as the engines read it)
    with path.open("rb") as fh:
        first = re.split(rb"\r\n|\r|\n", fh.read(1_000_000), maxsplit=1)[0]
    if not first.strip():
        raise InputError("err.empty_file", file=path, expected="exp.urssaf_file")
    if b"\x00" in first:
        raise InputError("err.binary_file", file=path, expected="exp.urssaf_file")
    try:
        header = first.decode("utf-8-sig").rstrip("\r\n").split(";")
    except UnicodeDecodeError:
        raise InputError("err.header_not_utf8", file=path, expected="exp.urssaf_file") from None
    header = [h.strip().strip('"') for h in header]
    for col in (CODE, DEP, GS, NA38):
        if col not in header:
            raise InputError(
                "err.missing_column", file=path, column=col, expected="exp.urssaf_file"
            )
    if not any(YEAR_COLUMN.match(h) for h in header):
        raise InputError("err.no_year_column", file=path, expected="exp.urssaf_file")
    since, until = URSSAF_YEARS
    for h in header:
        if (m := YEAR_COLUMN.match(h)) and not since <= int(m.group(1)) <= until:
            raise InputError("err.year_out_of_range", file=path, column=h, expected="exp.year_range",
                             first=since, last=until)  # fmt: skip
    used = [h for h in header if h in (CODE, DEP, GS, NA38, FILE_ZONE) or YEAR_COLUMN.match(h)]
    if len(set(used)) < len(used):
        twice = next(h for h in used if used.count(h) > 1)
        raise InputError(
            "err.duplicate_column", file=path, column=twice, expected="exp.urssaf_file"
        )
    return header


def sha256_of(path: Path) -> str:
    """The file's SHA-256, read in 4 MB blocks."""
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 22), b""):
            h.update(block)
    return h.hexdigest()


def _numeric(chunk: pd.DataFrame, col: str, offset: int, path: Path) -> pd.Series:
    """A year column's counts: numbers, each a whole count of jobs from 0 to MAX_JOBS_PER_CELL."""
    nums, bad = parse_numbers(chunk[col])
    if bad.any():
        i = first_true(bad)
        raise InputError("err.jobs_not_numeric", file=path, row=offset + i + 2, column=col,
                         value=chunk[col].iloc[i], expected="exp.number_or_empty")  # fmt: skip
    impossible = nums.notna() & ((nums < 0) | (nums > MAX_JOBS_PER_CELL) | (nums % 1 != 0))
    if impossible.any():
        i = first_true(impossible)
        raise InputError("err.jobs_impossible", file=path, row=offset + i + 2, column=col,
                         value=chunk[col].iloc[i], expected="exp.job_count",
                         max_jobs=MAX_JOBS_PER_CELL)  # fmt: skip
    return nums


def check_field_counts(path: Path, width: int) -> None:
    """Every row has the header's `width` fields (a row cut short is not a row of empty cells).

    Python's csv reader splits as pandas does (« ; », double quotes, any line end); blank lines
    are skipped, as both engines skip them, so rows are numbered as the engines number them.
    """
    row = 1
    try:
        with path.open("r", encoding="utf-8-sig", newline="") as fh:
            reader = csv.reader(fh, delimiter=";", quotechar='"', strict=False)
            next(reader, None)
            for fields in reader:
                if not fields:
                    continue
                row += 1
                if len(fields) != width:
                    if next(reader, None) is None and any("\n" in f or "\r" in f for f in fields):
                        # a quote opened in the last row runs to the end of the file
                        raise InputError(
                            "err.truncated_quote", file=path, expected="exp.complete_file"
                        )
                    raise InputError("err.row_field_count", file=path, row=row, n=len(fields),
                                     width=width, expected="exp.complete_rows")  # fmt: skip
    except (csv.Error, UnicodeDecodeError):
        raise InputError("err.csv_unreadable_near", file=path, line=row + 1) from None


def _check_complete(path: Path) -> None:
    """The national file ends with a line break: one that does not was cut while copied."""
    with path.open("rb") as fh:
        fh.seek(0, os.SEEK_END)
        size = fh.tell()
        fh.seek(max(size - 1, 0))
        last = fh.read(1)
    if last not in (b"\n", b"\r"):
        raise InputError("err.truncated_no_newline", file=path, expected="exp.complete_file")


def aggregate(path: Path, communes: pd.DataFrame, progress: Progress | None = None,
              chunk_rows: int = CHUNK_ROWS) -> tuple[dict[str, pd.DataFrame], ImportSummary]:  # fmt: skip
    """Stream the file and sum jobs by zone x (A5, A38) x year for both zonings, plus file totals.

    Arrow's multi-threaded CSV reader does the work when every count is a plain number (the
    published file); a file with other spellings (« 12,5 ») or a bad cell goes through the
    pandas reader and the one number parser, which accept the same numbers and name the bad
    cell. Both give the same tables (tested).
    """
    header = read_header(path)
    _check_complete(path)
    from cartohdf.data._imports_arrow import aggregate_arrow  # pyarrow: loaded for imports only

    done = aggregate_arrow(path, header, communes, progress)
    if done is not None:
        return done
    return aggregate_pandas(path, header, communes, progress, chunk_rows)


def aggregate_pandas(path: Path, header: list[str], communes: pd.DataFrame, progress: Progress | None = None,
                     chunk_rows: int = CHUNK_ROWS) -> tuple[dict[str, pd.DataFrame], ImportSummary]:  # fmt: skip
    """The reference engine: pandas chunks of text, every count through the one number parser."""
    check_field_counts(path, len(header))
    year_cols = {h: int(m.group(1)) for h in header if (m := YEAR_COLUMN.match(h))}
    est_cols = establishment_columns(header, year_cols)
    extra = [FILE_ZONE] if FILE_ZONE in header else []
    extra += [c for c in est_cols.values() if c]
    summary = ImportSummary(source_file=path.name, sha256="", years=sorted(year_cols.values()))
    to_zone = {z: dict(zip(communes["commune_code"], communes[z], strict=True)) for z in ZONINGS}
    sums: dict[str, pd.DataFrame] = {}
    unplaced: set[str] = set()
    total = path.stat().st_size
    offset = 0
    with path.open("r", encoding="utf-8-sig", newline="") as fh:
        try:
            reader = pd.read_csv(fh, sep=";", dtype=str, usecols=[CODE, DEP, GS, NA38, *extra, *year_cols],
                                 chunksize=chunk_rows, keep_default_na=False, na_values=[""])  # fmt: skip
            for chunk in reader:
                _add_chunk(chunk, offset, path, year_cols, to_zone, sums, unplaced, summary)
                _add_communes(chunk, year_cols, est_cols, to_zone["ze2010"], sums)
                offset += len(chunk)
                if progress:
                    progress(min(fh.buffer.tell(), total), total)  # type: ignore[attr-defined]
        except (pd.errors.ParserError, UnicodeDecodeError, ValueError) as exc:
            if isinstance(exc, InputError):
                raise
            if "EOF inside string" in str(exc):
                raise InputError(
                    "err.truncated_quote", file=path, expected="exp.complete_file"
                ) from None
            raise InputError("err.csv_unreadable_near", file=path, line=offset + 2) from None
    if offset == 0:
        raise InputError("err.no_data_rows", file=path, expected="exp.urssaf_rows")
    summary.rows = offset
    summary.unplaced_communes = sorted(unplaced)
    summary.sha256 = sha256_of(path)
    by_code = sums.pop(COMMUNES).reset_index() if COMMUNES in sums else pd.DataFrame(columns=["code", "gs", "a38"])
    return finish_tables(sums, summary, _area_tables(by_code, summary.years, summary)), summary


COMMUNES = "communes"  # the pandas engine's sums by commune, among its sums by key


def _add_communes(chunk: pd.DataFrame, year_cols: dict[str, int], est_cols: dict[str, str],
                  placed_in: dict[str, str], sums: dict[str, pd.DataFrame]) -> None:  # fmt: skip
    """Add a chunk's placed rows to the sums by commune x grand sector x A38 (published jobs
    ``y<year>``, withheld cells ``s<year>``), as the Arrow engine sums them."""
    codes = chunk[CODE].fillna("").str.strip()
    region = chunk[DEP].fillna("").str.strip().isin(HDF_DEPS) | codes.str[:2].isin(HDF_DEPS)
    placed = region & codes.map(placed_in).notna()
    rows = chunk[placed]
    frame = pd.DataFrame({"code": codes[placed],
                          "gs": rows[GS].fillna("").str.split(" ", n=1).str[0],
                          "a38": rows[NA38].fillna("").str.split(" ", n=1).str[0]})  # fmt: skip
    for col, year in year_cols.items():
        nums, _ = parse_numbers(rows[col])  # already checked by _add_chunk
        frame[f"y{year}"] = nums.fillna(0.0)
        withheld = nums.isna() & (rows[est_cols[col]].notna() if est_cols[col] else True)
        frame[f"s{year}"] = withheld.astype("int64")
    part = frame.groupby(["code", "gs", "a38"]).sum()
    sums[COMMUNES] = part if COMMUNES not in sums else pd.concat([sums[COMMUNES], part]).groupby(level=[0, 1, 2]).sum()


def _area_tables(by_code: pd.DataFrame, years: list[int], summary: ImportSummary) -> dict[str, pd.DataFrame]:
    """The commune, EPCI and département tables, from the pandas engine's sums by file code."""
    from cartohdf.data._levels import load_commune_codes

    codes = load_commune_codes()
    to_2024 = dict(zip(codes["code"], codes["commune_code"], strict=True))
    commune = by_code["code"].map(to_2024)
    if commune.isna().any():  # a code placed in the zones but not in commune_codes.csv
        raise InputError("err.communes_2024_mismatch", value=by_code.loc[commune.isna(), "code"].iloc[0])
    moved = by_code["code"] != commune
    carried = dict(sorted(zip(by_code.loc[moved, "code"], commune[moved], strict=True)))
    values = [f"y{y}" for y in years] + [f"s{y}" for y in years]
    frame = by_code.reindex(columns=values).fillna(0.0)
    a5 = by_code["gs"].map(URSSAF_GRAND_SECTOR_A5)
    parts = [frame.assign(commune_code=commune, level=level, sector=sector)
             for level, sector in (("a5", a5), ("a38", by_code["a38"]))]  # fmt: skip
    summed = pd.concat(parts).groupby(["commune_code", "level", "sector"], as_index=False)[values].sum()
    return finish_areas(summed, carried, summary)


def finish_areas(by_commune: pd.DataFrame, carried: dict[str, str], summary: ImportSummary) -> dict[str, pd.DataFrame]:
    """The commune, EPCI and département tables from the sums by 2024 commune x level x
    sector (``y<year>`` jobs, ``s<year>`` withheld cells); `carried`: file codes of former
    communes carried to their 2024 commune (kept in meta.json)."""
    from cartohdf.data._levels import area_tables, load_communes_2024

    summary.communes_carried_forward = carried
    secret = [f"s{y}" for y in summary.years]
    every_row = by_commune[by_commune["level"] == "a5"]  # each cell once (A5 covers all rows)
    summary.withheld_cells_region = int(every_row.reindex(columns=secret).fillna(0).to_numpy().sum())
    return area_tables(by_commune, summary.years, load_communes_2024())


def finish_tables(sums: dict[str, pd.DataFrame], summary: ImportSummary,
                  areas: dict[str, pd.DataFrame] | None = None) -> dict[str, pd.DataFrame]:  # fmt: skip
    """The output tables (layout of urssaf_ze2020.csv) from the sums by key and level, with
    the area tables (commune, EPCI, département) already made."""
    tables = dict(areas or {})
    for zoning in ZONINGS:
        frames = [
            sums[k] for k in (f"{zoning}:a5", f"{zoning}:a38", "ref:a5", "ref:a38") if k in sums
        ]
        frames = [f for f in frames if not f.empty]
        long = (
            pd.concat(frames)
            if frames
            else pd.DataFrame(columns=["zone_code", "level", "sector", "year", "jobs"])
        )
        long["jobs"] = long["jobs"].round().astype("int64")
        tables[zoning] = long.sort_values(["zone_code", "level", "sector", "year"]).reset_index(
            drop=True
        )
        summary.zones[zoning] = int(long.loc[long["zone_code"] != REFERENCE, "zone_code"].nunique())
    file_zones = sums.get(
        "file:a5", pd.DataFrame(columns=["zone_code", "level", "sector", "year", "jobs"])
    )
    tables["file_zones"] = file_zones.assign(jobs=file_zones["jobs"].round().astype("int64")).sort_values(
        ["zone_code", "sector", "year"]).reset_index(drop=True)  # fmt: skip
    return tables


def _add_chunk(chunk: pd.DataFrame, offset: int, path: Path, year_cols: dict[str, int],
               to_zone: dict[str, dict[str, str]], sums: dict[str, pd.DataFrame],
               unplaced: set[str], summary: ImportSummary) -> None:  # fmt: skip
    gs = chunk[GS].fillna("").str.split(" ", n=1).str[0]
    a5 = gs.map(URSSAF_GRAND_SECTOR_A5)
    if a5.isna().any():
        i = first_true(a5.isna())
        raise InputError("err.unknown_grand_sector", file=path, row=offset + i + 2, column=GS,
                         value=chunk[GS].iloc[i], expected="exp.grand_sector")  # fmt: skip
    a38 = chunk[NA38].fillna("").str.split(" ", n=1).str[0]
    jobs = pd.DataFrame(
        {year: _numeric(chunk, col, offset, path) for col, year in year_cols.items()}
    )
    codes = chunk[CODE].fillna("").str.strip()
    region = chunk[DEP].fillna("").str.strip().isin(HDF_DEPS) | codes.str[:2].isin(HDF_DEPS)
    zones = {z: codes.map(mapping) for z, mapping in to_zone.items()}
    placed = region & zones["ze2010"].notna()
    summary.rows_region += int(region.sum())
    summary.rows_unplaced += int((region & ~placed).sum())
    unplaced.update(codes[region & ~placed].tolist())
    summary.empty_cells_region += int(jobs[placed].isna().sum().sum())
    everything = pd.Series(True, index=chunk.index)
    keys = {"ref": (pd.Series(REFERENCE, index=chunk.index), everything)}
    keys.update({z: (zones[z], placed) for z in zones})
    if FILE_ZONE in chunk:
        keys["file"] = (chunk[FILE_ZONE].fillna("").str.strip(), everything)
    for key, (zone, mask) in keys.items():
        for level, sector in (("a5", a5), ("a38", a38)):
            if key == "file" and level == "a38":
                continue
            wide = jobs[mask].groupby([zone[mask], sector[mask]]).sum(min_count=1)
            part = pd.DataFrame(wide.stack()).reset_index()
            part.columns = pd.Index(["zone_code", "sector", "year", "jobs"])
            part["level"] = level
            name = f"{key}:{level}"
            merged = pd.concat([sums[name], part]) if name in sums else part
            sums[name] = pd.DataFrame(
                merged.groupby(["zone_code", "level", "sector", "year"], as_index=False)[
                    "jobs"
                ].sum()
            )


def check_import_name(name: str) -> str:
    """An import's name, checked: it can only ever name a folder directly inside the imports folder."""
    if not IMPORT_NAME.fullmatch(name) or ".." in name:
        raise InputError("err.import_name", value=name, expected="exp.import_name")
    return name


def derive_import_name(path: Path) -> str:
    """A valid import name made from a file name (accents dropped, other characters as « _ »)."""
    stem = unicodedata.normalize("NFKD", path.stem).encode("ascii", "ignore").decode()
    name = re.sub(r"\.{2,}", ".", re.sub(r"[^A-Za-z0-9_.-]+", "_", stem)).lstrip(".")[:64]
    if not name or not IMPORT_NAME.fullmatch(name):
        raise InputError("err.import_name_from_file", file=path, expected="exp.import_name_flag")
    return name


def import_target(out_dir: Path, name: str) -> Path:
    """The folder of import `name`, which must lie directly inside `out_dir`."""
    target = out_dir / check_import_name(name)
    if target.resolve().parent != out_dir.resolve():
        raise InputError("err.import_name", value=name, expected="exp.import_name")
    if target.is_symlink() or (target.exists() and not (target / "meta.json").is_file()):
        raise InputError("err.import_name_taken", file=target, expected="exp.other_name")
    return target


def import_urssaf(path: Path, communes: pd.DataFrame, out_dir: Path, name: str | None = None,
                  progress: Progress | None = None, chunk_rows: int = CHUNK_ROWS) -> tuple[Path, ImportSummary]:  # fmt: skip
    """Import `path` into `out_dir/<name>/`; nothing is written unless the whole file is read.

    The name (given, or derived from the file name) may only name a folder directly inside
    `out_dir`. The new folder is written in a marked temporary folder and takes the place of a
    previous import of the same name in one step when complete (see ``_imports_store``).

    Raises
    ------
    InputError
        If the file is not a complete, possible URSSAF file (the message names where).
    WriteError
        If a file cannot be written (full disk…): nothing partial is left, the previous
        import of that name is unchanged, and the message names the file.
    """
    if not path.is_file():
        raise InputError("err.file_not_found", file=path)
    name = check_import_name(name) if name is not None else derive_import_name(path)
    import_target(out_dir, name)  # refuse early, before reading a large file
    tables, summary = aggregate(path, communes, progress, chunk_rows)
    if summary.rows_region - summary.rows_unplaced == 0:
        raise InputError(
            "err.import_no_region_rows",
            file=path,
            expected="exp.urssaf_with_region",
            rows=summary.rows,
        )
    files = _import_files(tables, summary, path)
    work = marked_workdir(out_dir, name)
    try:
        for file_name, body in files.items():
            try:
                write_atomic(work / file_name, body)
            except WriteError as exc:  # name the file the user will look for, not the temporary
                raise WriteError(out_dir / name / file_name, str(exc.params["reason"])) from None
        with locked(out_dir):
            remove_abandoned(out_dir)
            target = import_target(out_dir, name)
            swap_into_place(work, target, name)
    finally:
        discard(work)
    return target, summary


def _import_files(tables: dict[str, pd.DataFrame], summary: ImportSummary,
                  path: Path) -> dict[str, bytes]:  # fmt: skip
    """The bytes of each file of an import; the app reads its tables and meta.json only within
    MAX_IMPORT_FILE_BYTES each, so an import that could not be read back is not written."""
    from cartohdf.data._levels import AREA_FILES

    names = {"file_zones": "file_zones_totals.csv", **AREA_FILES}
    files = {
        names.get(key, f"employment_{key}.csv"): table.to_csv(index=False, lineterminator="\n").encode("utf-8")
        for key, table in tables.items()
    }  # fmt: skip
    files["meta.json"] = (json.dumps(asdict(summary), ensure_ascii=False, indent=2) + "\n").encode()
    for file_name, body in files.items():
        if file_name != "file_zones_totals.csv" and len(body) > MAX_IMPORT_FILE_BYTES:
            raise InputError("err.import_file_too_large", file=path, value=file_name,
                             expected="exp.urssaf_file", max_mb=MAX_IMPORT_FILE_BYTES // 1_000_000)  # fmt: skip
    return files
