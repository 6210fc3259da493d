"""The fast engine of the URSSAF import: Arrow's CSV reader, counts read as numbers, codes
taken in C++ (split, lookup, take), sums by Arrow's group-by.

Each batch's text columns are dictionary-encoded and its rows given text keys; every row is
summed by sector and file zone every EVERY_BATCHES batches, the région's rows (a few per cent)
by commune x sector every REGROUP_BATCHES batches, with the cells withheld (an establishment,
no jobs published), and the running sums are summed again: memory stays bounded (a few
batches of a few MB, sums by group). The file's SHA-256 is computed in a thread meanwhile.
Counts are read as 64-bit integers: when one is not a plain whole number (« 12,5 », « 1e19 »,
a typo), is negative or above MAX_JOBS_PER_CELL, or a row has not the header's field count,
it gives way (returns None): the pandas engine then reads the file with the one number
parser and names the cell or the row.
"""

from __future__ import annotations

import codecs
import contextlib
import hashlib
import queue
import threading
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pcsv

from cartohdf.core import (
    HDF_DEPS,
    INDUSTRIAL_A38,
    MAX_JOBS_PER_CELL,
    URSSAF_GRAND_SECTOR_A5,
    ZONINGS,
    InputError,
)
from cartohdf.data._imports import (
    CODE,
    DEP,
    FILE_ZONE,
    GS,
    NA38,
    REFERENCE,
    YEAR_COLUMN,
    ImportSummary,
    Progress,
    establishment_columns,
    finish_areas,
    finish_tables,
)
from cartohdf.data._levels import load_commune_codes

BLOCK_BYTES = 1 << 20  # measured: larger blocks read ahead more (memory) and sum no faster
REGROUP_BATCHES = 32  # the région's rows of this many batches are summed at once
EVERY_BATCHES = 8  # every row of this many batches summed at once (~60,000 rows, ~8 MB)


def aggregate_arrow(path: Path, header: list[str], communes: pd.DataFrame,
                    progress: Progress | None = None) -> tuple[dict[str, pd.DataFrame], ImportSummary] | None:  # fmt: skip
    """The sums of the pandas engine, faster; None when a count needs the one number parser.

    Each batch's text columns are dictionary-encoded: the few distinct sector labels and the
    communes are read once per batch (token, A5, zone) and taken back as text; the group-bys
    run every few batches (all rows by sector and file zone; the région's rows by commune), the
    zones, communes, EPCI and départements being derived from those small results.
    """
    year_cols = {h: int(m.group(1)) for h in header if (m := YEAR_COLUMN.match(h))}
    est_cols = establishment_columns(header, year_cols)
    text_cols = [CODE, DEP, GS, NA38, *([FILE_ZONE] if FILE_ZONE in header else [])]
    counts = [*year_cols, *(c for c in est_cols.values() if c)]
    convert = pcsv.ConvertOptions(
        include_columns=[*text_cols, *counts],
        column_types={**{c: pa.string() for c in text_cols}, **{c: pa.int64() for c in counts}},
        null_values=[""], strings_can_be_null=True, quoted_strings_can_be_null=True,
    )  # fmt: skip
    summary = ImportSummary(source_file=path.name, sha256="", years=sorted(year_cols.values()))
    digest: dict[str, object] = {}
    hasher = threading.Thread(target=lambda: digest.update(_digest_utf8(path)), daemon=True)
    hasher.start()
    zone_of = {z: dict(zip(communes["commune_code"], communes[z], strict=True)) for z in ZONINGS}
    lookup = {"communes": pa.array(communes["commune_code"].tolist(), pa.string()),
              "hdf": pa.array(list(HDF_DEPS), pa.string())}  # fmt: skip
    years = [f"y{y}" for y in year_cols.values()]
    everything: list[pa.Table] = []
    in_region: list[pa.Table] = []
    pending: list[pa.Table] = []
    pending_every: list[pa.Table] = []
    unplaced: set[str] = set()
    total = path.stat().st_size
    stream = pa.OSFile(str(path))
    batches: queue.Queue[object] = queue.Queue(maxsize=2)  # bounded: memory stays a few batches
    stop = threading.Event()

    def read() -> None:  # Arrow parses here (without the GIL) while the other thread sums
        try:
            reader = pcsv.open_csv(stream, read_options=pcsv.ReadOptions(block_size=BLOCK_BYTES, use_threads=True),
                                   parse_options=pcsv.ParseOptions(delimiter=";"), convert_options=convert)  # fmt: skip
            for batch in reader:
                if stop.is_set():
                    return
                batches.put(batch)
            batches.put(None)
        except Exception as exc:  # whatever Arrow refuses, the pandas engine names
            batches.put(exc)

    reading = threading.Thread(target=read, daemon=True)
    reading.start()
    try:
        while (item := batches.get()) is not None:
            if isinstance(item, Exception):
                return None  # a count that is not a plain number, or a row Arrow cannot split: pandas says which
            batch = item
            assert isinstance(batch, pa.RecordBatch)
            if not _counts_possible(batch, year_cols):
                return None  # a negative or too large count: pandas names it
            every, rows = _batch_sums(batch, summary, path, year_cols, est_cols, lookup, unplaced)
            pending_every.append(every)
            pending.append(rows)
            if len(pending_every) == EVERY_BATCHES:
                everything = [_regroup([*everything, _every_sums(pending_every, years)])]
                pending_every = []
            if len(pending) == REGROUP_BATCHES:  # a running sum: memory stays one table by group
                in_region = [_regroup([*in_region, _region_sums(pending, years)])]
                pending = []
            summary.rows += batch.num_rows
            if progress:
                progress(min(stream.tell(), total), total)
    finally:
        stop.set()
        while reading.is_alive():  # let the reader see the stop, however full the queue
            with contextlib.suppress(queue.Empty):
                batches.get(timeout=0.05)
        stream.close()
        hasher.join()
    if not digest["utf8"]:
        return None  # bytes that are not UTF-8, in a column Arrow does not read: pandas says where
    if summary.rows == 0:
        raise InputError("err.no_data_rows", file=path, expected="exp.urssaf_rows")
    summary.unplaced_communes = sorted(unplaced)
    summary.sha256 = str(digest["sha256"])
    if pending or not in_region:
        in_region.append(_region_sums(pending, years))
    if pending_every or not everything:
        everything.append(_every_sums(pending_every, years))
    sums, (by_commune, carried) = _sums(everything, in_region, years, zone_of, FILE_ZONE in header)
    areas = finish_areas(by_commune, carried, summary)
    return finish_tables(sums, summary, areas), summary


def _digest_utf8(path: Path) -> dict[str, object]:
    """The file's SHA-256, and whether all of it is UTF-8 (Arrow checks only the columns it
    reads), in one pass of 4 MB blocks."""
    h = hashlib.sha256()
    decoder = codecs.getincrementaldecoder("utf-8")()
    utf8 = True
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 22), b""):
            h.update(block)
            if utf8:
                try:
                    decoder.decode(block)
                except UnicodeDecodeError:
                    utf8 = False
    try:
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        utf8 = False
    return {"sha256": h.hexdigest(), "utf8": utf8}


def _counts_possible(batch: pa.RecordBatch, year_cols: dict[str, int]) -> bool:
    """Every count of the batch is a number of jobs that can exist (0 to MAX_JOBS_PER_CELL)."""
    for col in year_cols:
        low, high = pc.min_max(batch.column(col)).values()
        if low.is_valid and (low.as_py() < 0 or high.as_py() > MAX_JOBS_PER_CELL):
            return False
    return True


def _encode(values: pa.Array) -> tuple[pa.Array, pa.Array]:
    """Dictionary-encode a text column: (row indices, the distinct values)."""
    encoded = pc.dictionary_encode(pc.fill_null(values, ""))
    return encoded.indices, encoded.dictionary


def _first_tokens(entries: pa.Array) -> list[str]:
    """Each distinct label's text before its first space (« GS1 Industrie » -> « GS1 »)."""
    return [e.split(" ", 1)[0] for e in entries.to_pylist()]


def _batch_sums(batch: pa.RecordBatch, summary: ImportSummary, path: Path, year_cols: dict[str, int],
                est_cols: dict[str, str], lookup: dict[str, pa.Array],
                unplaced: set[str]) -> tuple[pa.Table, pa.Table]:  # fmt: skip
    years = [f"y{y}" for y in year_cols.values()]
    gs_rows, gs_entries = _encode(batch.column(GS))
    gs_tokens = _first_tokens(gs_entries)
    unknown = [i for i, token in enumerate(gs_tokens) if token not in URSSAF_GRAND_SECTOR_A5]
    if unknown:
        i = pc.index(gs_rows, unknown[0]).as_py()
        raise InputError("err.unknown_grand_sector", file=path, row=summary.rows + i + 2, column=GS,
                         value=gs_entries[unknown[0]].as_py(), expected="exp.grand_sector")  # fmt: skip
    a38_rows, a38_entries = _encode(batch.column(NA38))
    code_rows, code_entries = _encode(batch.column(CODE))
    dep_rows, dep_entries = _encode(batch.column(DEP))
    codes = pc.utf8_trim_whitespace(code_entries)
    region = pc.or_(
        pc.take(pc.is_in(pc.utf8_trim_whitespace(dep_entries), value_set=lookup["hdf"]), dep_rows),
        pc.take(pc.is_in(pc.utf8_slice_codeunits(codes, 0, 2), value_set=lookup["hdf"]), code_rows),
    )
    placed = pc.and_(region, pc.take(pc.is_in(codes, value_set=lookup["communes"]), code_rows))
    lost = pc.and_(region, pc.invert(placed))
    summary.rows_region += pc.sum(region).as_py() or 0
    summary.rows_unplaced += pc.sum(lost).as_py() or 0
    unplaced.update(pc.take(codes, pc.unique(pc.filter(code_rows, lost))).to_pylist())
    columns: dict[str, pa.Array] = {"gs": gs_rows, "a38": a38_rows}
    if FILE_ZONE in batch.schema.names:
        file_rows, file_entries = _encode(batch.column(FILE_ZONE))
        columns["file"] = file_rows
        file_names = pc.utf8_trim_whitespace(file_entries)
    else:
        columns["file"] = pa.repeat(pa.scalar(0, pa.int32()), batch.num_rows)
        file_names = pa.array([""], pa.string())
    columns.update({y: batch.column(c) for y, c in zip(years, year_cols, strict=True)})
    table = pa.table(columns)
    gs_names, a38_names = (
        pa.array(gs_tokens, pa.string()),
        pa.array(_first_tokens(a38_entries), pa.string()),
    )
    # every row as it is, its keys as text: summed every EVERY_BATCHES batches (fewer Arrow calls)
    every = _named(table, {"gs": gs_names, "a38": a38_names, "file": file_names})
    # the région's rows as they are (a few per cent of the batch), their codes as text: they are
    # summed by commune every REGROUP_BATCHES batches (fewer, larger Arrow calls)
    local = pa.table({"code": code_rows, "gs": gs_rows, "a38": a38_rows,
                      **{y: batch.column(c) for y, c in zip(years, year_cols, strict=True)},
                      **{f"e{y[1:]}": batch.column(est_cols[c])
                         for y, c in zip(years, year_cols, strict=True) if est_cols[c]}}).filter(placed)  # fmt: skip
    summary.empty_cells_region += sum(local.column(y).null_count for y in years)
    return every, _named(local, {"code": codes, "gs": gs_names, "a38": a38_names})


def _every_sums(rows: list[pa.Table], years: list[str]) -> pa.Table:
    """Rows of several batches summed by grand sector x A38 x the file's zone (``y…_sum``)."""
    return pa.concat_tables(rows).group_by(["gs", "a38", "file"]).aggregate([(y, "sum") for y in years])


def _region_sums(rows: list[pa.Table], years: list[str]) -> pa.Table:
    """The région's rows summed by code x grand sector x A38: jobs (``y…_sum``) and withheld
    cells (``s…_sum``: an establishment, no jobs published; every empty cell when the file
    has no establishment column for that year)."""
    table = pa.concat_tables(rows)
    for y in years:
        empty = pc.is_null(table.column(y))
        if f"e{y[1:]}" in table.column_names:
            empty = pc.and_(empty, pc.is_valid(table.column(f"e{y[1:]}")))
        table = table.append_column(f"s{y[1:]}", pc.cast(empty, pa.int64()))
    values = [*years, *(f"s{y[1:]}" for y in years)]
    return table.group_by(["code", "gs", "a38"]).aggregate([(c, "sum") for c in values])


def _regroup(tables: list[pa.Table]) -> pa.Table:
    """Batch sums summed into one table of the same columns (keys, then ``…_sum`` values)."""
    table = pa.concat_tables(tables)
    keys = [c for c in table.column_names if not c.endswith("_sum")]
    values = [c for c in table.column_names if c.endswith("_sum")]
    summed = table.group_by(keys).aggregate([(c, "sum") for c in values])
    return summed.rename_columns([c.removesuffix("_sum") if c.endswith("_sum_sum") else c for c in summed.column_names])


def _named(table: pa.Table, names: dict[str, pa.Array]) -> pa.Table:
    """Replace dictionary indices by the texts they stand for."""
    for column, values in names.items():
        i = table.schema.get_field_index(column)
        table = table.set_column(i, column, pc.take(values, table.column(column)))
    return table


def _sums(everything: list[pa.Table], in_region: list[pa.Table], years: list[str],
          zone_of: dict[str, dict[str, str]],
          file_zone: bool) -> tuple[dict[str, pd.DataFrame], tuple[pd.DataFrame, dict[str, str]]]:  # fmt: skip
    """The batch sums, summed and put in the pandas engine's long form, by key and level (the
    file's own zones only if it has their column, as pandas); and the sums by commune."""
    cols = [f"{y}_sum" for y in years]
    again = [(c, "sum") for c in cols]
    every_table = pa.concat_tables(everything).group_by(["gs", "a38", "file"]).aggregate(again)
    every = every_table.to_pandas()
    every.columns = [c.removesuffix("_sum") for c in every.columns]
    withheld = [(f"s{y[1:]}_sum", "sum") for y in years]
    region = pa.concat_tables(in_region).group_by(["code", "gs", "a38"]).aggregate(again + withheld)
    region = region.rename_columns([c.removesuffix("_sum_sum") for c in region.column_names])
    by_commune = _by_commune(region, years)
    mine = region.select(["code", "gs", "a38", *years]).to_pandas()
    mine.columns = ["code", "gs", "a38", *cols]
    for frame in (every, mine):
        frame["a5"] = frame["gs"].map(URSSAF_GRAND_SECTOR_A5)
    every["ref"] = REFERENCE
    for zoning in ZONINGS:
        mine[zoning] = mine["code"].map(zone_of[zoning])
    out = {}
    for key, frame, levels in (("ref", every, ("a5", "a38")), ("ze2010", mine, ("a5", "a38")),
                               ("ze2020", mine, ("a5", "a38")), ("file", every, ("a5",) if file_zone else ())):  # fmt: skip
        for level in levels:
            # min_count=1: a group whose every count is empty stays empty, then counts 0 (as pandas)
            wide = frame.groupby([key, level])[cols].sum(min_count=1)
            wide.columns = [int(c.removeprefix("y").removesuffix("_sum")) for c in cols]
            long = wide.stack()  # every year of every group, empty ones too (pandas 3 keeps NaN)
            long = long.rename("jobs").rename_axis(["zone_code", "sector", "year"]).reset_index()
            long["jobs"] = long["jobs"].fillna(0.0)
            out[f"{key}:{level}"] = long.assign(level=level)[
                ["zone_code", "level", "sector", "year", "jobs"]
            ]
    return out, by_commune


def _by_commune(region: pa.Table, years: list[str]) -> tuple[pd.DataFrame, dict[str, str]]:
    """The sums by file code, carried to the communes of 2024 and summed there by A5 and by
    industrial A38 sector (in Arrow: the result is a few thousand rows); and the codes carried."""
    codes = load_commune_codes()
    position = pc.index_in(region.column("code"), value_set=pa.array(codes["code"].tolist(), pa.string()))
    if position.null_count:
        missing = pc.filter(region.column("code"), pc.is_null(position))[0].as_py()
        raise InputError("err.communes_2024_mismatch", value=missing)
    commune = pc.take(pa.array(codes["commune_code"].tolist(), pa.string()), position)
    moved = pc.not_equal(region.column("code"), commune)
    carried = dict(zip(pc.filter(region.column("code"), moved).to_pylist(),
                       pc.filter(commune, moved).to_pylist(), strict=True))  # fmt: skip
    grand = list(URSSAF_GRAND_SECTOR_A5)
    a5 = pc.take(pa.array([URSSAF_GRAND_SECTOR_A5[g] for g in grand], pa.string()),
                 pc.index_in(region.column("gs"), value_set=pa.array(grand, pa.string())))  # fmt: skip
    values = [c for c in region.column_names if c[0] in "ys" and c[1:].isdigit()]
    filled = {c: pc.fill_null(region.column(c), 0) for c in values}
    parts = []
    for level, sector, keep in (("a5", a5, None),
                                ("a38", region.column("a38"), pc.is_in(region.column("a38"), value_set=pa.array(INDUSTRIAL_A38)))):  # fmt: skip
        table = pa.table({"commune_code": commune, "sector": sector, **filled})
        table = table if keep is None else table.filter(keep)
        summed = table.group_by(["commune_code", "sector"]).aggregate([(c, "sum") for c in values])
        frame = summed.to_pandas()
        frame.columns = [c.removesuffix("_sum") for c in frame.columns]
        parts.append(frame.assign(level=level))
    return pd.concat(parts, ignore_index=True), dict(sorted(carried.items()))
