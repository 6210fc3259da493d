"""Start-up times in fresh processes, measured in one run against the floor every such tool pays.

The floor is `python -c "import geopandas, folium"`. Then `cartohdf --help`, `cartohdf export`
(the dataset cache warm, as after a first use; and cold, the cache emptied before each run),
and the app's first script run under Streamlit's AppTest (the whole process, and the run
alone). Each figure is the median of --repeat fresh processes; ratios are to the floor.
Targets: help <= 0.5x, export <= 1.5x.

    python bench/cold_start.py [--repeat 7]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
APP = (
    "import time; from streamlit.testing.v1 import AppTest; t = time.perf_counter();"
    f"at = AppTest.from_file({str(ROOT / 'streamlit_app.py')!r}, default_timeout=300); at.run();"
    "assert not at.exception; print(time.perf_counter() - t)"
)


def timed(cmd: list[str], env: dict[str, str], before=None) -> tuple[float, str]:
    if before:
        before()
    start = time.perf_counter()
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, check=True, cwd=ROOT)
    return time.perf_counter() - start, done.stdout


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    cache = Path(tempfile.mkdtemp(prefix="cartohdf-cache-"))
    env = {**os.environ, "CARTOHDF_CACHE_DIR": str(cache)}
    out = str(cache / "carte.html")
    py = sys.executable
    cases = {
        "floor_import_geopandas_folium": ([py, "-c", "import geopandas, folium"], None),
        "cartohdf_help": ([py, "-m", "cartohdf.front.cli", "--help"], None),
        "cartohdf_export_warm": ([py, "-m", "cartohdf.front.cli", "export", "--out", out], None),
        "cartohdf_export_cold": ([py, "-m", "cartohdf.front.cli", "export", "--out", out],
                                 lambda: shutil.rmtree(cache / "dataset", ignore_errors=True)),
        "app_first_run_process": ([py, "-c", APP], None),
    }  # fmt: skip
    timed(cases["cartohdf_export_warm"][0], env)  # fill the dataset cache, warm the disk
    results: dict[str, list[float]] = {name: [] for name in cases}
    app_runs: list[float] = []
    for _ in range(args.repeat):  # interleaved: a slow moment of the machine hits every case alike
        for name, (cmd, before) in cases.items():
            seconds, stdout = timed(cmd, env, before)
            results[name].append(seconds)
            if name == "app_first_run_process":
                app_runs.append(float(stdout.strip().splitlines()[-1]))
    shutil.rmtree(cache, ignore_errors=True)
    floor = statistics.median(results["floor_import_geopandas_folium"])
    for name, values in results.items():
        print(f"{name}_s {statistics.median(values):.3f}")
    print(f"app_first_run_alone_s {statistics.median(app_runs):.3f}")
    for name in (
        "cartohdf_help",
        "cartohdf_export_warm",
        "cartohdf_export_cold",
        "app_first_run_process",
    ):
        print(f"{name}_ratio_to_floor {statistics.median(results[name]) / floor:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
