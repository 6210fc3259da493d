"""Import URSSAF's national "établissements et effectifs salariés … par commune x APE" file.

The file (hundreds of MB, `;`-separated, UTF-8 with BOM, CRLF, one `Effectifs salariés YYYY`
column per year, empty cells = no employee or statistical secret) is read in chunks, so memory
stays bounded whatever its size. The region's communes are placed in both zonings through
`data/communes.csv` (commune codes of the COG vintages 2018-2024 all exist there); every row,
placed or not, counts in the reference totals ("France" = the whole file). Output tables have
the layout of `data/urssaf_ze2020.csv` and are written to a new folder only once complete.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import tempfile
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path

import pandas as pd

from cartohdf.core import (
    FRANCE,
    HDF_DEPS,
    URSSAF_GRAND_SECTOR_A5,
    ZONINGS,
    InputError,
    first_true,
    parse_numbers,
    paths,
)
from cartohdf.data._files import URSSAF_SCHEMA, EmploymentTable, employment_table
from cartohdf.data._schema import check_codes, read_csv_table

CODE, DEP, GS, NA38 = "Code commune", "Code département", "Grand secteur d'activité", "Secteur NA38"
FILE_ZONE = "Code zone d'emploi"  # the publisher's own (current, ZE2020) zone of each row, optional
YEAR_COLUMN = re.compile(r"^Effectifs salariés (\d{4})$")
CHUNK_ROWS = 100_000
REFERENCE = FRANCE
IMPORT_NAME = re.compile(r"^[A-Za-z0-9_-][A-Za-z0-9_.-]{0,63}$")

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


def read_header(path: Path) -> list[str]:
    """The column names, checked; raises naming the first missing column."""
    with path.open("rb") as fh:
        first = fh.readline(1_000_000)
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
    return header


def sha256_of(path: Path) -> str:
    """The file's SHA-256, read in 4 MB blocks."""
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 22), b""):
            h.update(block)
    return h.hexdigest()


def _numeric(chunk: pd.DataFrame, col: str, offset: int, path: Path) -> pd.Series:
    nums, bad = parse_numbers(chunk[col])
    if bad.any():
        i = first_true(bad)
        raise InputError("err.jobs_not_numeric", file=path, row=offset + i + 2, column=col,
                         value=chunk[col].iloc[i], expected="exp.number_or_empty")  # fmt: skip
    return nums


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
    year_cols = {h: int(m.group(1)) for h in header if (m := YEAR_COLUMN.match(h))}
    extra = [FILE_ZONE] if FILE_ZONE in header else []
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
    summary.rows = offset
    summary.unplaced_communes = sorted(unplaced)
    summary.sha256 = sha256_of(path)
    return finish_tables(sums, summary), summary


def finish_tables(sums: dict[str, pd.DataFrame], summary: ImportSummary) -> dict[str, pd.DataFrame]:
    """The output tables (layout of urssaf_ze2020.csv) from the sums by key and level."""
    tables = {}
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


@contextmanager
def _locked(lock_path: Path) -> Iterator[None]:
    """An exclusive lock (POSIX) on the imports folder: imports swap their folders one at a time."""
    with lock_path.open("a") as fh:
        try:
            import fcntl
        except ImportError:  # Windows: no lock; each import still uses its own temporary folder
            yield
            return
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


_TEMPORARY = re.compile(r"^\.(?P<name>.+)-(?P<pid>\d+)-(?:old-)?[^-]+$")


def _remove_abandoned(out_dir: Path) -> None:
    """Temporary folders of imports whose process is gone (killed mid-write), whatever their name."""
    for folder in out_dir.glob(".*-*"):
        m = _TEMPORARY.match(folder.name)
        if m and folder.is_dir() and not _alive(int(m.group("pid"))):
            shutil.rmtree(folder, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process: alive
        return True
    return True


def import_urssaf(path: Path, communes: pd.DataFrame, out_dir: Path, name: str | None = None,
                  progress: Progress | None = None, chunk_rows: int = CHUNK_ROWS) -> tuple[Path, ImportSummary]:  # fmt: skip
    """Import `path` into `out_dir/<name>/`; nothing is written unless the whole file is read.

    The name (given, or derived from the file name) may only name a folder directly inside
    `out_dir`. The new folder is written under a temporary name and renamed into place when
    complete; only then is a previous import of the same name removed.
    """
    if not path.is_file():
        raise InputError("err.file_not_found", file=path)
    out_dir.mkdir(parents=True, exist_ok=True)
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
    tmp = Path(tempfile.mkdtemp(prefix=f".{name}-{os.getpid()}-", dir=out_dir))
    try:
        for zoning, table in tables.items():
            name_csv = (
                "file_zones_totals.csv" if zoning == "file_zones" else f"employment_{zoning}.csv"
            )
            table.to_csv(tmp / name_csv, index=False, lineterminator="\n")
        (tmp / "meta.json").write_text(
            json.dumps(asdict(summary), ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
        )
        with _locked(out_dir / ".lock"):
            _remove_abandoned(out_dir)
            target = import_target(out_dir, name)
            old = None
            if target.exists():
                old = Path(tempfile.mkdtemp(prefix=f".{name}-{os.getpid()}-old-", dir=out_dir))
                os.replace(target, old / "previous")
            os.replace(tmp, target)
            if old is not None:
                shutil.rmtree(old, ignore_errors=True)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
    return target, summary


def list_imports(base: Path | None = None) -> list[str]:
    """Names of the imports available (folders holding a meta.json), sorted."""
    root = base or paths.imports_dir()
    if not root.is_dir():
        return []
    # temporary folders of an import in progress (or killed) start with a dot: never listed
    return sorted(
        p.parent.name for p in root.glob("*/meta.json") if IMPORT_NAME.fullmatch(p.parent.name)
    )


def load_import(import_dir: Path, zoning: str, zone_codes: Sequence[str]) -> EmploymentTable:
    """Employment tables written by `cartohdf import-urssaf` (same layout as urssaf_ze2020.csv)."""
    meta_path = import_dir / "meta.json"
    if not meta_path.is_file():
        raise InputError("err.import_incomplete", file=import_dir, expected="exp.run_import")
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError):
        raise InputError("err.import_meta", file=meta_path, expected="exp.run_import") from None
    path = import_dir / f"employment_{zoning}.csv"
    df = read_csv_table(path, URSSAF_SCHEMA)
    check_codes(df, "zone_code", set(zone_codes) | {FRANCE}, path)
    if (df["zone_code"] != FRANCE).sum() == 0:
        raise InputError("err.import_no_region", file=import_dir, expected="exp.urssaf_with_region")
    source_file = meta.get("source_file") if isinstance(meta, dict) else None
    return employment_table(df, zoning, "import", str(source_file or import_dir.name))
