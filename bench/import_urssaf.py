"""URSSAF import against DuckDB, measured in one run on the same generated files.

Generates files in the real "commune x APE" layout (header of the format sample, `;`, UTF-8
with BOM, CRLF, 17 years) of --rows rows and of a quarter of that. On each, in fresh processes
and interleaved: `import_urssaf` (what `cartohdf import-urssaf` runs) and DuckDB's `read_csv` +
`GROUP BY` of the same aggregation with the file's SHA-256 (`pip install duckdb`: a benchmark
extra). Prints one figure per line: medians of --repeat, their ratio (target <= 1.25), peak
resident memory (target <= 300 MB, not growing with the file), whether both give the same
numbers and the same SHA-256, and the former pandas engine on the big file.

    python bench/import_urssaf.py [--rows 1500000] [--repeat 3] [--skip-pandas]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import numpy as np
import pandas as pd

from cartohdf import data as sources
from cartohdf.core import HDF_DEPS, URSSAF_GRAND_SECTOR_A5, paths

SAMPLE = (
    paths.DEFAULT_RAW_DIR / "emploi" / "format_sample" / "urssaf_commune_x_ape_rouen_extract.csv"
)
SECTORS = [("GS1 Industrie", "CH Métallurgie"), ("GS2 Construction", "FZ Construction"),
           ("GS3 Commerce", "GZ Commerce"), ("GS5 Autres services marchands hors intérim", "MA Activités juridiques"),
           ("GS7 Services non marchands", "QA Santé humaine")]  # fmt: skip


def peak_mb() -> float:
    """This process's own peak resident memory (VmHWM)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def generate(path: Path, rows: int, header: list[str], seed: int = 0) -> None:
    """Write `rows` rows: 1 in 25 in the région, the rest elsewhere in France."""
    rng = np.random.default_rng(seed)
    hdf = sources.load_communes()["commune_code"].to_numpy()
    other = np.array([f"{d:02d}{i:03d}" for d in (1, 13, 33, 69, 75, 76) for i in range(1, 400)])
    years = [
        h
        for h in header
        if h.startswith("Effectifs salariés") or h.startswith("Nombre d'établissements")
    ]
    with path.open("wb") as fh:
        fh.write(b"\xef\xbb\xbf" + (";".join(header) + "\r\n").encode("utf-8"))
        for start in range(0, rows, 100_000):
            n = min(100_000, rows - start)
            in_region = rng.random(n) < 0.04
            codes = np.where(in_region, rng.choice(hdf, n), rng.choice(other, n))
            sector = rng.integers(0, len(SECTORS), n)
            frame = pd.DataFrame({h: "" for h in header}, index=range(n))
            frame["Code commune"] = codes
            frame["Code département"] = pd.Series(codes).str[:2]
            frame["Code zone d'emploi"] = "0000"
            frame["Grand secteur d'activité"] = [SECTORS[s][0] for s in sector]
            frame["Secteur NA38"] = [SECTORS[s][1] for s in sector]
            values = rng.integers(0, 200, (n, len(years))).astype(str)
            values[rng.random((n, len(years))) < 0.3] = ""  # empty = none or secret
            frame[years] = values
            fh.write(
                frame.to_csv(sep=";", index=False, header=False, lineterminator="\r\n").encode(
                    "utf-8"
                )
            )


def child_ours(path: str, out: str) -> dict[str, object]:
    from cartohdf.data import import_urssaf, load_communes

    communes = load_communes()
    start = time.perf_counter()
    target, summary = import_urssaf(Path(path), communes, Path(out), name="bench")
    return {"rows": summary.rows, "seconds": time.perf_counter() - start, "out": str(target)}


def child_pandas(path: str) -> dict[str, object]:
    from cartohdf.data import load_communes
    from cartohdf.data._imports import aggregate_pandas, read_header

    communes = load_communes()
    start = time.perf_counter()
    _, summary = aggregate_pandas(Path(path), read_header(Path(path)), communes)
    return {"rows": summary.rows, "seconds": time.perf_counter() - start}


def child_baseline() -> dict[str, object]:
    sources.load_communes()
    return {}


def child_duckdb(path: str, communes_csv: str, out: str) -> dict[str, object]:
    """The same aggregation in DuckDB: the région's rows by zone and sector, every row as the
    reference, 17 years, and the file's SHA-256 in a thread."""
    import duckdb

    start = time.perf_counter()
    digest: dict[str, str] = {}

    def sha() -> None:
        h = hashlib.sha256()
        with open(path, "rb") as fh:
            for block in iter(lambda: fh.read(1 << 22), b""):
                h.update(block)
        digest["sha256"] = h.hexdigest()

    hasher = threading.Thread(target=sha)
    hasher.start()
    with open(path, encoding="utf-8-sig") as fh:
        header = fh.readline().rstrip("\r\n").split(";")
    years = [h for h in header if h.startswith("Effectifs salariés ")]
    con = duckdb.connect()
    con.execute("SET threads TO 2")
    con.execute(f"CREATE TABLE c AS SELECT * FROM read_csv('{communes_csv}', all_varchar=true)")
    types = {h: ("DOUBLE" if h in years else "VARCHAR") for h in header}
    deps = ", ".join(f"'{d}'" for d in HDF_DEPS)
    a5 = " ".join(f"WHEN '{gs}' THEN '{a}'" for gs, a in URSSAF_GRAND_SECTOR_A5.items())
    region = f"(r.dep IN ({deps}) OR left(r.code, 2) IN ({deps}))"
    cols = ", ".join(f'"{y}"' for y in years)
    sums = ", ".join(f'SUM("{y}") AS "{y[-4:]}"' for y in years)
    query = (
        "WITH r AS (SELECT trim(coalesce(\"Code commune\", '')) AS code,"
        " trim(coalesce(\"Code département\", '')) AS dep,"
        f" CASE split_part(coalesce(\"Grand secteur d'activité\", ''), ' ', 1) {a5} END AS a5,"
        f" split_part(coalesce(\"Secteur NA38\", ''), ' ', 1) AS a38, {cols}"
        f" FROM read_csv('{path}', delim=';', header=true, types={types!r})),"
        f" z AS (SELECT r.*, CASE WHEN {region} THEN c.ze2010 END AS ze2010,"
        f" CASE WHEN {region} THEN c.ze2020 END AS ze2020 FROM r LEFT JOIN c ON r.code = c.commune_code)"
        f" SELECT ze2010, ze2020, a5, a38, GROUPING(ze2010) AS g10, GROUPING(ze2020) AS g20,"
        f" GROUPING(a5) AS ga5, {sums} FROM z GROUP BY GROUPING SETS"
        " ((ze2010, a5), (ze2010, a38), (ze2020, a5), (ze2020, a38), (a5), (a38))"
    )
    rows = con.execute(query).fetchall()
    names = [d[0] for d in con.description]
    hasher.join()
    elapsed = time.perf_counter() - start
    result: dict[str, dict[str, int]] = {"ze2010": {}, "ze2020": {}}
    for row in rows:
        rec = dict(zip(names, row, strict=True))
        level, sector = ("a5", rec["a5"]) if rec["ga5"] == 0 else ("a38", rec["a38"])
        if rec["g10"] == 0 and rec["g20"] == 1:
            targets, zone = ["ze2010"], rec["ze2010"]
        elif rec["g20"] == 0 and rec["g10"] == 1:
            targets, zone = ["ze2020"], rec["ze2020"]
        else:
            targets, zone = ["ze2010", "ze2020"], "FR"
        if zone is None:
            continue  # rows outside the région
        for t in targets:
            for y in years:
                v = rec[y[-4:]]
                result[t][f"{zone}|{level}|{sector}|{y[-4:]}"] = round(v) if v is not None else 0
    Path(out).write_text(json.dumps(result, sort_keys=True))
    return {"seconds": elapsed, "sha256": digest["sha256"]}


CHILDREN = {
    "ours": child_ours,
    "pandas": child_pandas,
    "baseline": child_baseline,
    "duckdb": child_duckdb,
}


def run(kind: str, *args: str) -> dict[str, object]:
    """One measurement in a fresh process: its result and its peak memory."""
    out = subprocess.run([sys.executable, __file__, "--child", kind, *args], check=True,
                         capture_output=True, text=True)  # fmt: skip
    return json.loads(out.stdout.strip().splitlines()[-1])


def ours_as_keys(folder: Path) -> dict[str, dict[str, int]]:
    """Our import's tables in the DuckDB result's shape, to compare them value by value."""
    out: dict[str, dict[str, int]] = {}
    for zoning in ("ze2010", "ze2020"):
        table = pd.read_csv(folder / f"employment_{zoning}.csv", dtype={"zone_code": str, "sector": str},
                            keep_default_na=False)  # fmt: skip
        out[zoning] = {
            f"{r.zone_code}|{r.level}|{r.sector}|{r.year}": int(r.jobs) for r in table.itertuples()
        }
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=1_500_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--skip-pandas", action="store_true", help="skip the (slow) pandas engine baseline"
    )
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        result = CHILDREN[args.child[0]](*args.child[1:])
        print(json.dumps({**result, "peak_mb": peak_mb()}))
        return 0
    header = SAMPLE.read_text(encoding="utf-8-sig").splitlines()[0].split(";")
    with tempfile.TemporaryDirectory() as tmp:
        communes_csv = Path(tmp) / "communes.csv"
        sources.load_communes().to_csv(communes_csv, index=False)
        peaks = {}
        for label, rows in (("small", args.rows // 4), ("big", args.rows)):
            path = Path(tmp) / f"{label}.csv"
            t0 = time.perf_counter()
            generate(path, rows, header)
            print(f"{label}_file_rows {rows}")
            print(f"{label}_file_mb {path.stat().st_size / 1e6:.0f}")
            print(f"{label}_generation_s {time.perf_counter() - t0:.1f}")
            ours, duck = [], []
            for _ in range(args.repeat):  # paired, interleaved runs
                ours.append(run("ours", str(path), str(Path(tmp) / "imports")))
                duck.append(
                    run("duckdb", str(path), str(communes_csv), str(Path(tmp) / "duck.json"))
                )
            o = statistics.median(float(str(r["seconds"])) for r in ours)
            d = statistics.median(float(str(r["seconds"])) for r in duck)
            peaks[label] = max(float(str(r["peak_mb"])) for r in ours)
            print(f"{label}_cartohdf_import_s {o:.2f}")
            print(f"{label}_duckdb_s {d:.2f}")
            print(f"{label}_cartohdf_over_duckdb {o / d:.2f}")
            print(f"{label}_cartohdf_peak_rss_mb {peaks[label]:.0f}")
            print(f"{label}_duckdb_peak_rss_mb {max(float(str(r['peak_mb'])) for r in duck):.0f}")
            folder = Path(str(ours[-1]["out"]))
            theirs = json.loads((Path(tmp) / "duck.json").read_text())
            print(f"{label}_results_identical {ours_as_keys(folder) == theirs}")
            meta = json.loads((folder / "meta.json").read_text())
            print(f"{label}_sha256_identical {meta['sha256'] == duck[-1]['sha256']}")
            if label == "big" and not args.skip_pandas:
                slow = run("pandas", str(path))
                print(f"big_pandas_engine_s {float(str(slow['seconds'])):.2f}")
                print(f"big_pandas_engine_over_duckdb {float(str(slow['seconds'])) / d:.2f}")
                print(f"big_pandas_engine_peak_rss_mb {float(str(slow['peak_mb'])):.0f}")
            path.unlink()
        base = run("baseline")
    print(f"baseline_rss_mb {float(str(base['peak_mb'])):.0f}")
    print(f"peak_rss_ratio_big_vs_small {peaks['big'] / peaks['small']:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
