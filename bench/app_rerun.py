"""Viewer run times with Streamlit's AppTest, measured in one run: cold start vs reruns.

Cold: a first run with every cache empty (data loading, map building). Reruns: after choosing
a zone (what a click on the map does) and after toggling an S3 layer. Prints one figure per
line: medians over --repeat runs, and each rerun as a ratio of the cold run (target <= 0.1).

    python bench/app_rerun.py [--repeat 5]
"""

from __future__ import annotations

import argparse
import logging
import statistics
import sys
import time
import warnings

import streamlit as st
from streamlit.testing.v1 import AppTest

from cartohdf.core import memo, paths

APP = str(paths.ROOT / "streamlit_app.py")


def timed(action) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def one_round() -> tuple[float, float, float]:
    st.cache_resource.clear()
    st.cache_data.clear()
    memo.clear()
    at = AppTest.from_file(APP, default_timeout=300)
    cold = timed(at.run)
    zone = timed(lambda: at.selectbox(key="w_zone").select("2203").run())
    toggle = timed(lambda: at.checkbox(key="w_s3_energy").uncheck().run())
    assert not at.exception
    return cold, zone, toggle


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    logging.getLogger("streamlit").setLevel(logging.ERROR)
    warnings.simplefilter("ignore")
    rounds = [one_round() for _ in range(args.repeat)]
    cold, zone, toggle = (statistics.median(r[i] for r in rounds) for i in range(3))
    print(f"cold_run_s {cold:.3f}")
    print(f"rerun_zone_click_s {zone:.3f}")
    print(f"rerun_layer_toggle_s {toggle:.3f}")
    print(f"rerun_zone_click_ratio {zone / cold:.3f}")
    print(f"rerun_layer_toggle_ratio {toggle / cold:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
