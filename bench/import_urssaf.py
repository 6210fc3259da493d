"""URSSAF import against DuckDB, as whole processes (launch to exit), in one run on the same files.

Generates files in the real "commune x APE" layout (header of the format sample, `;`, UTF-8
with BOM, CRLF, 17 years, establishments and jobs) of --rows rows and of a quarter of that. On
each, in fresh processes and interleaved: `cartohdf import-urssaf FILE` (the console script's
code, launch to exit: start-up, read, aggregation, writing the tables, the commune ones
included) and `bench/import_urssaf_duckdb.py` (DuckDB, launch to exit: the same join and
grouping with the commune tables, and the file's SHA-256; `pip install duckdb`: a benchmark
extra). Wall time, CPU time and peak resident memory of each child come from GNU time
(`/usr/bin/time`). Prints one figure per line: medians of --repeat, their ratio (target <=
1.25), peak resident memory (target <= 300 MB, not growing with the file), whether both give
the same numbers and SHA-256.

--before-src DIR (a copy of an earlier `src/`, with `geo/` and `data/` beside it) times that
code's command in the same run, against DuckDB doing only what it did (zones, no communes).
The start-up alone (what the command imports, the communes table read) is timed too.

    git archive <commit> src geo data | tar -x -C /tmp/old   # an earlier version, to compare
    PYTHONPATH=src python bench/import_urssaf.py [--rows 1500000] [--repeat 3] [--only-big]
        [--before-src /tmp/old/src]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from cartohdf import data as sources
from cartohdf.core import HDF_DEPS, INDUSTRIAL_A38, URSSAF_GRAND_SECTOR_A5, paths

SAMPLE = (
    paths.DEFAULT_RAW_DIR / "emploi" / "format_sample" / "urssaf_commune_x_ape_rouen_extract.csv"
)
SECTORS = [("GS1 Industrie", "CH Métallurgie"), ("GS2 Construction", "FZ Construction"),
           ("GS3 Commerce", "GZ Commerce"), ("GS5 Autres services marchands hors intérim", "MA Activités juridiques"),
           ("GS7 Services non marchands", "QA Santé humaine")]  # fmt: skip


def generate(path: Path, rows: int, header: list[str], seed: int = 0) -> None:
    """Write `rows` rows: 1 in 25 in the région (communes of 2024), the rest elsewhere in
    France; 30 % of the years without establishment, 2 % of the others withheld (secret)."""
    rng = np.random.default_rng(seed)
    hdf = sources.load_communes_2024()["commune_code"].to_numpy()
    other = np.array([f"{d:02d}{i:03d}" for d in (1, 13, 33, 69, 75, 76) for i in range(1, 400)])
    jobs = [h for h in header if h.startswith("Effectifs salariés")]
    est = [h.replace("Effectifs salariés", "Nombre d'établissements") for h in jobs]
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
            none = rng.random((n, len(jobs))) < 0.3  # no establishment that year
            withheld = ~none & (rng.random((n, len(jobs))) < 0.02)
            counts = rng.integers(1, 6, (n, len(jobs))).astype(str)
            counts[none] = ""
            values = rng.integers(0, 200, (n, len(jobs))).astype(str)
            values[none | withheld] = ""
            frame[est] = counts
            frame[jobs] = values
            fh.write(
                frame.to_csv(sep=";", index=False, header=False, lineterminator="\r\n").encode(
                    "utf-8"
                )
            )


def measure(cmd: list[str], env: dict[str, str]) -> tuple[float, float, float]:
    """Wall time (s), peak resident memory (MB) and CPU time (user + system, s) of one
    process, launch to exit.

    Launched by GNU time (`/usr/bin/time -f`, a small C program): a child forked from this
    Python process would count this process's pages in its own peak (ru_maxrss)."""
    start = time.perf_counter()
    done = subprocess.run(["/usr/bin/time", "-f", "PEAK_KB %M %U %S", *cmd], env=env, stdout=subprocess.DEVNULL,
                          stderr=subprocess.PIPE, text=True, check=False)  # fmt: skip
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"{cmd[:4]} failed: {done.stderr[-2000:]}")
    _, peak, user, system = next(line for line in done.stderr.splitlines() if line.startswith("PEAK_KB ")).split()
    return seconds, int(peak) / 1024, float(user) + float(system)


CLI = "import sys; from cartohdf.front.cli import main; sys.exit(main())"  # the console script
STARTUP = ("from cartohdf.front.cli import main; import cartohdf.data._imports_arrow;"
           " from cartohdf.data import load_communes; load_communes()")  # fmt: skip


def commands(path: Path, out: Path) -> dict[str, list[str]]:
    """The command, and its start-up alone (run with the code to time on PYTHONPATH)."""
    return {
        "import": [sys.executable, "-c", CLI, "import-urssaf", str(path), "--out", str(out), "--name", "bench"],
        "startup": [sys.executable, "-c", STARTUP],
    }


def env_for(src: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("CARTOHDF_ROOT", "PYTHONPATH")}
    return {**env, "PYTHONPATH": str(src)}


def duckdb_command(path: Path, communes_csv: Path, out: Path, with_communes: bool) -> list[str]:
    spec = {"deps": list(HDF_DEPS), "a5": URSSAF_GRAND_SECTOR_A5, "industrial_a38": list(INDUSTRIAL_A38)}
    cmd = [sys.executable, str(Path(__file__).with_name("import_urssaf_duckdb.py")), str(path),
           str(communes_csv), str(out), json.dumps(spec)]  # fmt: skip
    return [*cmd, "--communes"] if with_communes else cmd


def ours_as_keys(folder: Path) -> dict[str, int]:
    """Our import's tables in the DuckDB result's shape, to compare them value by value: zone
    tables whole; the commune table's (commune, sector, year) with jobs or withheld cells."""
    out: dict[str, int] = {}
    for zoning in ("ze2010", "ze2020"):
        table = pd.read_csv(folder / f"employment_{zoning}.csv", dtype={"zone_code": str, "sector": str},
                            keep_default_na=False)  # fmt: skip
        for r in table.itertuples():
            out[f"{zoning}|{r.zone_code}|{r.level}|{r.sector}|{r.year}"] = int(r.jobs)
    table = pd.read_csv(folder / "employment_communes.csv", dtype=str, keep_default_na=False)
    years = [c for c in table.columns if c.isdigit()]
    cells: dict[str, dict[str, int]] = {}
    for r in table.to_dict("records"):
        for y in years:
            key = f"commune|{r['code']}|{r['level']}|{r['sector']}|{y}"
            cells.setdefault(key, {"jobs": 0, "secret": 0})[r["measure"]] = int(r[y])
    out.update({k: c["jobs"] for k, c in cells.items() if c["jobs"] or c["secret"]})
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=1_500_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--before-src", type=Path, default=None,
                        help="an earlier src/ to time in the same run (geo/, data/ beside it)")  # fmt: skip
    parser.add_argument("--only-big", action="store_true", help="skip the quarter-size file")
    args = parser.parse_args()
    header = SAMPLE.read_text(encoding="utf-8-sig").splitlines()[0].split(";")
    after_src = Path(__file__).resolve().parents[1] / "src"
    variants = {"after": after_src, **({"before": args.before_src} if args.before_src else {})}
    with tempfile.TemporaryDirectory() as tmp:
        communes_csv = Path(tmp) / "communes.csv"
        communes = sources.load_communes()
        passage = sources.load_commune_codes()
        communes.merge(passage, left_on="commune_code", right_on="code", validate="one_to_one").rename(
            columns={"commune_code_y": "commune", "commune_code_x": "commune_code"}
        )[["commune_code", "ze2010", "ze2020", "commune"]].to_csv(communes_csv, index=False)  # fmt: skip
        peaks: dict[str, float] = {}
        sizes = (("big", args.rows),) if args.only_big else (("small", args.rows // 4), ("big", args.rows))
        for label, rows in sizes:
            path = Path(tmp) / f"{label}.csv"
            t0 = time.perf_counter()
            generate(path, rows, header)
            print(f"{label}_file_rows {rows}")
            print(f"{label}_file_mb {path.stat().st_size / 1e6:.0f}")
            print(f"{label}_generation_s {time.perf_counter() - t0:.1f}")
            runs: dict[str, list[tuple[float, float, float]]] = {}
            jobs = {f"duckdb_{w}": (duckdb_command(path, communes_csv, Path(tmp) / f"duck_{w}.json", w == "communes"), os.environ.copy())
                    for w in ("zones", "communes")}  # fmt: skip
            for name, src in variants.items():
                for kind, cmd in commands(path, Path(tmp) / f"imports_{name}").items():
                    jobs[f"cartohdf_{name}_{kind}"] = (cmd, env_for(src))
            for _ in range(args.repeat):  # interleaved: each round runs every variant once
                for name, (cmd, env) in jobs.items():
                    runs.setdefault(name, []).append(measure(cmd, env))
            median = {name: statistics.median(s for s, _, _ in r) for name, r in runs.items()}
            for name, r in runs.items():
                print(f"{label}_{name}_s {median[name]:.2f}")
                print(f"{label}_{name}_cpu_s {statistics.median(c for _, _, c in r):.2f}")
                print(f"{label}_{name}_peak_rss_mb {max(m for _, m, _ in r):.0f}")
            d_new, d_old = median["duckdb_communes"], median["duckdb_zones"]
            print(f"{label}_cartohdf_after_over_duckdb_communes {median['cartohdf_after_import'] / d_new:.2f}")
            if "before" in variants:
                print(f"{label}_cartohdf_before_over_duckdb_zones {median['cartohdf_before_import'] / d_old:.2f}")
                print(f"{label}_cartohdf_before_over_duckdb_communes {median['cartohdf_before_import'] / d_new:.2f}")
            peaks[label] = max(m for _, m, _ in runs["cartohdf_after_import"])
            folder = Path(tmp) / "imports_after" / "bench"
            theirs = json.loads((Path(tmp) / "duck_communes.json").read_text())
            print(f"{label}_results_identical {ours_as_keys(folder) == theirs['jobs']}")
            meta = json.loads((folder / "meta.json").read_text())
            print(f"{label}_sha256_identical {meta['sha256'] == theirs['sha256']}")
            path.unlink()
    if "small" in peaks:
        print(f"peak_rss_ratio_big_vs_small {peaks['big'] / peaks['small']:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
