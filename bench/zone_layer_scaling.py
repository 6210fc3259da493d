"""The zone layer at the scale of communes: encoding time against the number of features.

Builds the zone layer (shared-arc encoding, tooltips, popups with ranks) with the project's own
code for the first 287, 1,000 and all 3,808 communes of the région (raw polygons of
../shared/data-raw/communes/, unsimplified). Prints one figure per line: the median time of
--repeat builds for each size, the time per feature, and the growth from 287 to 3,808 features
against the growth in features (linear: about 1). Target: all communes under 1 s.

    python bench/zone_layer_scaling.py [--raw ../shared/data-raw] [--repeat 3]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from dataclasses import replace
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from cartohdf.core import memo, paths
from cartohdf.data import load_dataset
from cartohdf.indicators import Indicator, ZoneValues, classify, ranks
from cartohdf.render._zones import zone_areas, zone_layer


def build(data, zones: gpd.GeoDataFrame) -> float:
    values = pd.Series(np.random.default_rng(0).random(len(zones)), index=zones["code"].to_numpy())
    zv = ZoneValues(
        Indicator("industrial_share", "share"),
        2017,
        None,
        values,
        ranks(values),
        0.1,
        0.1,
        "estel",
        26,
    )
    classes = classify(values, "quantiles", 5, (), "auto", "share")
    d = replace(data, zones={**data.zones, "ze2010": zones})
    memo.clear()  # encode for real every time
    start = time.perf_counter()
    zone_layer(zone_areas(d, "ze2010", zv, classes, "fr"), "fr")
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--raw", type=Path, default=paths.DEFAULT_RAW_DIR)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    communes = gpd.read_file(
        args.raw / "communes" / "communes-hauts-de-france.geojson"
    ).sort_values("code")
    communes = (
        communes.rename(columns={"nom": "name"}).assign(interregional=False).reset_index(drop=True)
    )
    data = load_dataset()
    times = {}
    for n in (287, 1000, len(communes)):
        times[n] = statistics.median(build(data, communes.iloc[:n]) for _ in range(args.repeat))
        print(f"zone_layer_{n}_features_s {times[n]:.3f}")
        print(f"zone_layer_{n}_ms_per_feature {1000 * times[n] / n:.3f}")
    small, big = min(times), max(times)
    print(f"time_growth_over_feature_growth {(times[big] / times[small]) / (big / small):.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
