"""S3 domains: per domain, its two têtes de réseau (numbered discs) and the line between them."""

from __future__ import annotations

import math

import folium
import pandas as pd

from cartohdf.core import memo, t
from cartohdf.data import Dataset
from cartohdf.render._elements import DataLayer, Pane, layer_group
from cartohdf.render._html import card_html, esc, tip_html
from cartohdf.view import Card, Head, Line, Pair

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


def text_color(color: str) -> str:
    """The colour of a number on a disc of `color` (chosen for contrast)."""
    return "#fff" if color in DARK_DOMAIN_COLORS else "#111"


def s3_icon(number: str, color: str, text: str) -> str:
    """A numbered disc in the domain's colour."""
    return f"<div class='cartohdf-s3' style='background:{esc(color)};color:{esc(text)}'>{esc(number)}</div>"


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


def s3_pair(data: Dataset, domain_id: str, lang: str) -> Pair:
    """One domain: its two lead territories (numbered discs, with hover text and card) and
    the dashed link between them."""
    order, _, rows = next(d for d in domains(data) if d[1] == domain_id)
    positions = _positions(data)
    domain = domain_name(rows.iloc[0], lang)
    pair = " / ".join(rows["territory"])
    heads = []
    for _, r in rows.iterrows():
        card = Card(str(r["territory"]), (
            (t("domain", lang), f"{order}. {domain}"),
            (t("head_network", lang), pair),
            (t("zone", lang), f"{data.zone_name('ze2010', r['ze2010_code'])} ({r['ze2010_code']})"),
            (t("anchor", lang), f"{r['anchor_commune_name']} ({r['anchor_commune_code']})"),
            (t("source", lang), str(r["source"])),
        ))  # fmt: skip
        tip = (f"{order}. {domain}", t("head_network_tip", lang, territory=r["territory"]))
        heads.append(Head(str(r["territory"]), positions[(domain_id, str(r["anchor_commune_code"]))],
                          tip, card))  # fmt: skip
    color = domain_color(order)
    return Pair(domain_id, order, domain, tuple(heads), color, text_color(color),
                Line(color, 3, "6 4", 0.9))  # fmt: skip


def s3_layer(pair: Pair, lang: str, show: bool, pane: Pane) -> folium.FeatureGroup:
    """One domain's layer: two discs, a dashed line, tooltips and popups."""
    icon = s3_icon(str(pair.order), pair.color, pair.text_color)
    markers = [{"lat": h.at[0], "lng": h.at[1], "tooltip": tip_html(h.tip),
                "popup": card_html(h.card) if h.card else "", "cls": f"s3-{pair.domain}",
                "icon": icon} for h in pair.heads]  # fmt: skip
    link = pair.link
    line = {"latlngs": [list(h.at) for h in pair.heads],
            "style": {"color": link.color, "weight": link.weight, "opacity": link.opacity,
                      "dashArray": link.dash, "interactive": False}}  # fmt: skip
    group = layer_group(pair.layer, t("s3_layer_name", lang, order=pair.order, domain=pair.name),
                        show=show)  # fmt: skip
    DataLayer(
        "addMarkers", {"markers": markers, "lines": [line]}, layer=pair.layer, pane=pane
    ).add_to(group)
    return group
