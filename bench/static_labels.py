"""Label placement of the static maps and atlas pages, counted on the drawn figures: labels
shown, overlapping label pairs, labels over a symbol, labels leaving the frame, symbols cut by
the frame, and the share of the page the map frame covers. One figure per line.

    PYTHONPATH=src python bench/static_labels.py
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # for tests.print_check

from matplotlib.figure import Figure

from cartohdf.compose import plan
from cartohdf.data import load_dataset
from cartohdf.export import _atlas, _static
from cartohdf.state import from_query
from tests.print_check import report

DAY = dt.date(2026, 11, 26)
ALL = "s3,employers,ti2018,ti2023,departements,labels"
MAPS = {
    "regional (default layers)": {},
    "regional (all layers)": {"layers": ALL},
    "zone 2203 (default layers)": {"zone": "2203"},
    "zone 2203 (all layers)": {"zone": "2203", "layers": ALL},
    "zone 0055 (all layers)": {"zone": "3112", "layers": ALL},
}


def main() -> None:
    data = load_dataset()
    for name, query in MAPS.items():
        with _static.print_style():
            fig = _static.map_figure(plan(from_query(query), data), DAY)
            r = report(fig)
            ax = fig.axes[0].get_position()
        print(r.line(name) + f", map frame {ax.width * ax.height:.0%} of the page")
    atlas = _atlas.atlas_context(data, "ze2010", "fr", DAY)
    totals = [0, 0, 0, 0, 0]
    for code in atlas.shapes.zones["code"]:
        with _static.print_style():
            fig = Figure(figsize=_atlas.A4_PORTRAIT)
            _atlas.zone_page(fig, atlas, code)
            r = report(fig, [fig.axes[0]], any_text=True)
        for i, v in enumerate((r.labels, r.label_pairs, r.label_symbol, r.outside, r.cut)):
            totals[i] += v
    print(f"atlas locator maps (28 zones): labels {totals[0]}, overlapping label pairs "
          f"{totals[1]}, labels leaving the frame {totals[3]}")  # fmt: skip


if __name__ == "__main__":
    main()
