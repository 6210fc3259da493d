"""URSSAF import throughput and memory, measured in one run on generated files.

Generates files in the real "commune x APE" layout (header of the format sample, `;`, UTF-8
with BOM, CRLF, 17 years) of --rows rows and of a quarter of that, imports each in a fresh
process, and prints one figure per line: rows/s, peak resident memory of each import, and the
peak-memory ratio big/small (streaming: close to 1, i.e. independent of file size).

    python bench/import_urssaf.py [--rows 1500000]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from cartohdf import data as sources
from cartohdf.core import paths

SAMPLE = (
    paths.DEFAULT_RAW_DIR / "emploi" / "format_sample" / "urssaf_commune_x_ape_rouen_extract.csv"
)
SECTORS = [("GS1 Industrie", "CH Métallurgie"), ("GS2 Construction", "FZ Construction"),
           ("GS3 Commerce", "GZ Commerce"), ("GS5 Autres services marchands hors intérim", "MA Activités juridiques"),
           ("GS7 Services non marchands", "QA Santé humaine")]  # fmt: skip
# VmHWM: this process's own peak resident memory (ru_maxrss would include the forked parent's)
PEAK = """
def peak_mb():
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
"""
CHILD = (
    PEAK
    + """
import json, sys, time
from pathlib import Path
from cartohdf.data import import_urssaf, load_communes
communes = load_communes()
start = time.perf_counter()
_, summary = import_urssaf(Path(sys.argv[1]), communes, Path(sys.argv[2]))
elapsed = time.perf_counter() - start
print(json.dumps({"rows": summary.rows, "seconds": elapsed, "peak_mb": peak_mb()}))
"""
)
BASELINE = (
    PEAK
    + """
import json
from cartohdf.data import load_communes
load_communes()
print(json.dumps({"peak_mb": peak_mb()}))
"""
)


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


def run(code: str, *args: str) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, "-c", code, *args], check=True, capture_output=True, text=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=1_500_000)
    args = parser.parse_args()
    header = SAMPLE.read_text(encoding="utf-8-sig").splitlines()[0].split(";")
    with tempfile.TemporaryDirectory() as tmp:
        results = {}
        for label, rows in (("small", args.rows // 4), ("big", args.rows)):
            path = Path(tmp) / f"{label}.csv"
            t0 = time.perf_counter()
            generate(path, rows, header)
            print(f"{label}_file_rows {rows}")
            print(f"{label}_file_mb {path.stat().st_size / 1e6:.0f}")
            print(f"{label}_generation_s {time.perf_counter() - t0:.1f}")
            results[label] = run(CHILD, str(path), str(Path(tmp) / "imports"))
            path.unlink()
        base = run(BASELINE)
    for label, r in results.items():
        print(f"{label}_rows_per_s {r['rows'] / r['seconds']:.0f}")
        print(f"{label}_peak_rss_mb {r['peak_mb']:.0f}")
    print(f"baseline_rss_mb {base['peak_mb']:.0f}")
    print(
        f"peak_rss_ratio_big_vs_small {results['big']['peak_mb'] / results['small']['peak_mb']:.2f}"
    )
    growth = (results["big"]["peak_mb"] - base["peak_mb"]) / max(
        results["small"]["peak_mb"] - base["peak_mb"], 1
    )
    print(f"import_memory_ratio_big_vs_small_above_baseline {growth:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
