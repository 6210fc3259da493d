"""Time and size of the atlas, of one static map and of one zone portrait, against one HTML
export measured in the same run (in-process, the dataset loaded, each figure the median of
--repeat runs after one warm-up). Prints one figure per line.

Targets: the ze2010 atlas (28 zones) under 5 MB; one portrait page in less time than one
HTML export (both counted from the state: plan, then the file).

    python bench/atlas.py [--repeat 5]
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import time
from collections.abc import Callable

from cartohdf.compose import plan
from cartohdf.data import load_dataset
from cartohdf.export import atlas_pdf, map_html, portrait_pdf, static_map
from cartohdf.state import from_query

DAY = dt.date(2026, 1, 1)
QUERY = {"layers": "s3,employers,ti2018,departements,labels", "zone": "2203"}


def timed(fn: Callable[[], object], repeat: int) -> tuple[float, object]:
    out = fn()  # warm-up: lazy imports, caches
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    data = load_dataset()
    state = from_query(QUERY)
    html_s, html = timed(lambda: map_html(plan(state, data), DAY), args.repeat)
    portrait_s, portrait = timed(
        lambda: portrait_pdf(data, "ze2010", "2203", "fr", DAY), args.repeat
    )
    results = {
        "html_export": (html_s, len(str(html).encode())),
        "portrait_pdf": (portrait_s, len(portrait)),
    }  # type: ignore[arg-type]
    for fmt in ("svg", "pdf", "png"):
        s, body = timed(lambda fmt=fmt: static_map(plan(state, data), fmt, DAY), args.repeat)
        results[f"static_map_{fmt}"] = (s, len(body))  # type: ignore[arg-type]
    start = time.perf_counter()
    atlas = atlas_pdf(data, "ze2010", "fr", DAY)
    atlas_s = time.perf_counter() - start
    pages = len(data.zones["ze2010"]) + 3
    for name, (s, size) in results.items():
        print(f"{name}_seconds {s:.3f}")
        print(f"{name}_bytes {size}")
    print(f"atlas_ze2010_seconds {atlas_s:.2f}")
    print(f"atlas_ze2010_bytes {len(atlas)}")
    print(f"atlas_ze2010_pages {pages}")
    print(f"atlas_seconds_per_page {atlas_s / pages:.3f}")
    print(f"atlas_under_5MB {len(atlas) < 5 * 1024 * 1024}")
    print(f"portrait_to_html_export_time_ratio {portrait_s / html_s:.2f}")
    print(f"atlas_page_to_html_export_time_ratio {atlas_s / pages / html_s:.2f}")
    print(f"portrait_faster_than_html_export {portrait_s < html_s}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
