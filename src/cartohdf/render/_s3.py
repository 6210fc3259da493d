"""S3 domains: per domain, its two têtes de réseau (numbered discs) and the line between them."""

from __future__ import annotations

import math

import folium
import pandas as pd

from cartohdf.core import memo, t
from cartohdf.data import Dataset
from cartohdf.render._elements import DataLayer, Pane, layer_group
from cartohdf.render._html import esc, popup

# Okabe-Ito: distinguishable with the common colour-vision deficiencies
DOMAIN_COLORS = ("#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7")
DARK_DOMAIN_COLORS = frozenset({"#009E73", "#0072B2", "#D55E00"})


def ring_offsets(n: int, radius_km: float, lat: float) -> list[tuple[float, float]]:
    """n offsets (dlat, dlng) on a circle, so co-located markers do not hide each other."""
    if n == 1:
        return [(0.0, 0.0)]
    out = []
    for i in range(n):
        a = 2 * math.pi * i / n - math.pi / 2
        out.append((radius_km * math.sin(-a) / 111.0,
                    radius_km * math.cos(a) / (111.0 * math.cos(math.radians(lat)))))  # fmt: skip
    return out


def domain_color(order: int) -> str:
    return DOMAIN_COLORS[(order - 1) % len(DOMAIN_COLORS)]


def s3_icon(order: int, size_class: str = "cartohdf-s3") -> str:
    """A numbered disc in the domain's colour (text colour chosen for contrast)."""
    color = domain_color(order)
    text = "#fff" if color in DARK_DOMAIN_COLORS else "#111"
    return f"<div class='{size_class}' style='background:{color};color:{text}'>{order}</div>"


def domain_name(row: pd.Series, lang: str) -> str:
    """A domain's name as the study gives it (our English translation in ``domain_en``)."""
    return str(row["domain_en"] if lang == "en" else row["domain_fr"])


def domains(data: Dataset) -> list[tuple[int, str, pd.DataFrame]]:
    """(order, domain id, its two rows) for every domain, in the study's order."""
    return memo.remember(data, "s3_domains", lambda: _domains(data))


def _domains(data: Dataset) -> list[tuple[int, str, pd.DataFrame]]:
    s3 = data.study.s3_domains
    out = []
    for order in sorted(int(o) for o in s3["domain_order"].unique()):
        rows = s3[s3["domain_order"] == order].sort_values("territory_order")
        out.append((order, str(rows.iloc[0]["domain_id"]), rows))
    return out


def layer_name(order: int, rows: pd.DataFrame, lang: str) -> str:
    return t("s3_layer_name", lang, order=order, domain=domain_name(rows.iloc[0], lang))


def _positions(data: Dataset) -> dict[tuple[str, str], tuple[float, float]]:
    """Marker position of each (domain, anchor commune): territories heading several domains
    (Métropole lilloise heads four) get their discs on a small ring around the anchor."""
    return memo.remember(data, "s3_positions", lambda: _ring_positions(data))


def _ring_positions(data: Dataset) -> dict[tuple[str, str], tuple[float, float]]:
    s3 = data.study.s3_domains
    communes = data.communes.set_index("commune_code")
    out = {}
    for anchor, rows in s3.groupby("anchor_commune_code", sort=True):
        c = communes.loc[anchor]
        lat0, lng0 = float(str(c["lat"])), float(str(c["lon"]))
        sharing = list(rows["domain_id"])
        offsets = ring_offsets(len(sharing), 7.0 if len(sharing) > 2 else 5.0, lat0)
        for domain_id, (dlat, dlng) in zip(sharing, offsets, strict=True):
            out[(str(domain_id), str(anchor))] = (round(lat0 + dlat, 5), round(lng0 + dlng, 5))
    return out


def s3_layer(
    data: Dataset, domain_id: str, lang: str, show: bool, pane: Pane
) -> folium.FeatureGroup:
    """One domain's layer: two discs, a dashed line, tooltips and popups."""
    order, _, rows = next(d for d in domains(data) if d[1] == domain_id)
    positions = _positions(data)
    domain = domain_name(rows.iloc[0], lang)
    pair = " / ".join(rows["territory"])
    markers, latlngs = [], []
    for _, r in rows.iterrows():
        lat, lng = positions[(domain_id, str(r["anchor_commune_code"]))]
        latlngs.append([lat, lng])
        pop = popup(str(r["territory"]), [
            (esc(t("domain", lang)), esc(f"{order}. {domain}")),
            (esc(t("head_network", lang)), esc(pair)),
            (esc(t("zone", lang)), esc(f"{data.zone_name('ze2010', r['ze2010_code'])} ({r['ze2010_code']})")),
            (esc(t("anchor", lang)), esc(f"{r['anchor_commune_name']} ({r['anchor_commune_code']})")),
            (esc(t("source", lang)), esc(r["source"])),
        ])  # fmt: skip
        tip = f"<b>{order}. {esc(domain)}</b><br>{esc(t('head_network_tip', lang, territory=r['territory']))}"
        markers.append({"lat": lat, "lng": lng, "tooltip": tip, "popup": pop,
                        "cls": f"s3-{domain_id}", "icon": s3_icon(order)})  # fmt: skip
    line = {"latlngs": latlngs, "style": {"color": domain_color(order), "weight": 3, "opacity": 0.9,
                                          "dashArray": "6 4", "interactive": False}}  # fmt: skip
    layer_id = f"s3_{domain_id}"
    group = layer_group(layer_id, layer_name(order, rows, lang), show=show)
    DataLayer(
        "addMarkers", {"markers": markers, "lines": [line]}, layer=layer_id, pane=pane
    ).add_to(group)
    return group
