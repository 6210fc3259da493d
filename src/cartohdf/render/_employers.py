"""The study's 21 largest industrial establishments, placed in their zone on a small ring."""

from __future__ import annotations

import folium
import pandas as pd

from cartohdf.core import number, t
from cartohdf.data import Dataset
from cartohdf.render._elements import DataLayer, Pane, layer_group
from cartohdf.render._html import esc, popup
from cartohdf.render._s3 import ring_offsets
from cartohdf.render._zones import zone_points

EMPLOYER_COLOR = "#b2182b"
RING_SOUTH_KM = 7.0  # below the zone's name, which sits on the label point


def employer_radius(size_min: int) -> float:
    """Marker radius (px) by size band: area roughly follows the band's lower bound."""
    return 8.0 if size_min >= 2000 else 5.5


def size_band(row: pd.Series, lang: str) -> str:
    """The study's size band (« 2 000 à 4 999 »), worded in `lang` from its bounds."""
    return t("size_band_range", lang, low=number(int(row["size_min"]), 0, lang),
             high=number(int(row["size_max"]), 0, lang))  # fmt: skip


def employer_bands(data: Dataset, lang: str) -> list[tuple[str, float]]:
    """The size bands of the study's employers (largest first) with their marker radius."""
    bands = data.study.employers.drop_duplicates("size_band").sort_values(
        "size_min", ascending=False
    )
    return [(size_band(b, lang), employer_radius(int(b["size_min"]))) for _, b in bands.iterrows()]


def employer_layer(data: Dataset, lang: str, show: bool, pane: Pane) -> folium.FeatureGroup:
    """One marker per establishment, sized by band; the popup says where the marker is put."""
    emp = data.study.employers
    points = zone_points(data, "ze2010")
    markers = []
    for code in sorted(str(c) for c in emp["ze2010_code"].unique()):
        rows = emp[emp["ze2010_code"] == code].sort_values("rank")
        lat0, lng0 = points[code]
        lat0 -= RING_SOUTH_KM / 111.0
        offsets = ring_offsets(len(rows), 2.5 + 0.6 * len(rows), lat0)
        for (_, r), (dlat, dlng) in zip(rows.iterrows(), offsets, strict=True):
            band = size_band(r, lang)
            pop = popup(str(r["name"]), [
                (esc(t("activity", lang)), esc(f"{r['naf_code']} · {r['naf_label']}")),
                (esc(t("size_band", lang)), esc(band)),
                (esc(t("zone", lang)), esc(f"{data.zone_name('ze2010', code)} ({code})")),
                (esc(t("source", lang)), esc(t("source.employers", lang))),
            ], [t("employer_note", lang)])  # fmt: skip
            markers.append({
                "lat": round(lat0 + dlat, 5), "lng": round(lng0 + dlng, 5),
                "style": {"radius": employer_radius(int(r["size_min"])), "color": "#fff", "weight": 1.2,
                          "fillColor": EMPLOYER_COLOR, "fillOpacity": 0.95, "className": "cartohdf-employer"},
                "tooltip": f"<b>{esc(r['name'])}</b><br>{esc(r['naf_label'])}<br>{esc(band)}",
                "popup": pop, "cls": "employer",
            })  # fmt: skip
    group = layer_group("employers", t("employers_layer", lang), show=show)
    DataLayer("addMarkers", {"markers": markers}, layer="employers", pane=pane).add_to(group)
    return group
