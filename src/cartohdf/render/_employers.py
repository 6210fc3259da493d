"""The study's 21 largest industrial establishments, placed in their zone on a small ring."""

from __future__ import annotations

import folium
import pandas as pd

from cartohdf.core import number, t
from cartohdf.data import Dataset
from cartohdf.render._circles import disc_markers
from cartohdf.render._elements import DataLayer, Pane, layer_group
from cartohdf.render._s3 import ring_offsets
from cartohdf.render._zones import zone_points
from cartohdf.view import Card, Disc, Discs, Line

EMPLOYER_COLOR = "#b2182b"
EMPLOYER_LINE, EMPLOYER_FILL_OPACITY = Line("#fff", 1.2), 0.95
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


def employer_discs(data: Dataset, lang: str) -> Discs:
    """One disc per establishment, sized by band, on a small ring below its zone's name; the
    card says where the disc is put."""
    emp = data.study.employers
    points = zone_points(data, "ze2010")
    discs = []
    for code in sorted(str(c) for c in emp["ze2010_code"].unique()):
        rows = emp[emp["ze2010_code"] == code].sort_values("rank")
        lat0, lng0 = points[code]
        lat0 -= RING_SOUTH_KM / 111.0
        offsets = ring_offsets(len(rows), 2.5 + 0.6 * len(rows), lat0)
        for (_, r), (dlat, dlng) in zip(rows.iterrows(), offsets, strict=True):
            band = size_band(r, lang)
            card = Card(str(r["name"]), (
                (t("activity", lang), f"{r['naf_code']} · {r['naf_label']}"),
                (t("size_band", lang), band),
                (t("zone", lang), f"{data.zone_name('ze2010', code)} ({code})"),
                (t("source", lang), t("source.employers", lang)),
            ), (t("employer_note", lang),))  # fmt: skip
            discs.append(Disc((round(lat0 + dlat, 5), round(lng0 + dlng, 5)),
                              employer_radius(int(r["size_min"])),
                              tip=(str(r["name"]), str(r["naf_label"]), band), card=card))  # fmt: skip
    return Discs("employers", tuple(discs), EMPLOYER_LINE, EMPLOYER_COLOR, EMPLOYER_FILL_OPACITY)


def employer_layer(employers: Discs, lang: str, show: bool, pane: Pane) -> folium.FeatureGroup:
    """The establishments' layer (in the layer control)."""
    markers = disc_markers(employers, "cartohdf-employer", "employer")
    group = layer_group("employers", t("employers_layer", lang), show=show)
    DataLayer("addMarkers", {"markers": markers}, layer="employers", pane=pane).add_to(group)
    return group
