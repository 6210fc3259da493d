"""Pure layer builders: (data, state) -> folium elements. No I/O, no Streamlit."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import folium
import geopandas as gpd
import numpy as np
import pandas as pd

from cartohdf import fmt
from cartohdf.classify import Classes
from cartohdf.dataset import Dataset
from cartohdf.elements import DataLayer
from cartohdf.i18n import t
from cartohdf.indicators import Indicator
from cartohdf.popups import esc, popup
from cartohdf.topo import build_topology

# Okabe-Ito: distinguishable with the common colour-vision deficiencies
DOMAIN_COLORS = ("#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7")
DARK_DOMAIN_COLORS = frozenset({"#009E73", "#0072B2", "#D55E00"})
EMPLOYER_COLOR = "#b2182b"
SELECTED_STYLE = {"color": "#000000", "weight": 4.5}
MAX_CIRCLE_PX = 30.0
RING_SOUTH_KM = 7.0


@dataclass(frozen=True)
class ZoneValues:
    """The indicator of one view, per zone, with what popups need."""

    indicator: Indicator
    year_label: str
    values: pd.Series  # index zone code
    region: float
    reference: float
    reference_label: str
    n_regional: int


def label_points(zones: gpd.GeoDataFrame) -> dict[str, tuple[float, float]]:
    """A point inside each zone, (lat, lng), computed in Lambert-93 for stability."""
    pts = zones.to_crs(2154).geometry.representative_point().to_crs(4326)
    return {
        code: (round(p.y, 5), round(p.x, 5)) for code, p in zip(zones["code"], pts, strict=True)
    }


def ranks(values: pd.Series) -> pd.Series:
    """1 = highest value; ties share the best rank."""
    return values.rank(ascending=False, method="min")


def zone_popup(code: str, name: str, interregional: bool, zv: ZoneValues, lang: str) -> str:
    """Value, rank, regional and national references of one zone."""
    kind = zv.indicator.kind
    value = zv.values.get(code, np.nan)
    rank = ranks(zv.values.dropna()).get(code)
    n = int(zv.values.notna().sum())
    rows = [
        (esc(f"{zv.indicator.label(lang)} ({zv.year_label})"), esc(fmt.value(value, kind, lang))),
        (
            esc(t("rank", lang)),
            esc(t("rank_of", lang, rank=int(rank), n=n)) if rank is not None else "—",
        ),
        (esc(t("region_ref", lang, n=zv.n_regional)), esc(fmt.value(zv.region, kind, lang))),
        (esc(zv.reference_label), esc(fmt.value(zv.reference, kind, lang))),
    ]
    notes = [t("interregional_note", lang)] if interregional else []
    return popup(f"{name} ({code})", rows, notes)


def polygon_payload(
    zones: gpd.GeoDataFrame,
    styles: dict[str, dict[str, Any]],
    tooltips: dict[str, str],
    popups: dict[str, str],
    highlight: dict[str, Any] | None,
    key: str = "code",
) -> dict[str, Any]:
    """The compact payload `cartohdf.addPolygons` draws (shared arcs, escaped texts)."""
    topo = build_topology(list(zones.geometry))
    features = []
    for i, code in enumerate(zones[key]):
        feat: dict[str, Any] = {
            "shape": topo.shapes[i],
            "style": styles[code],
            "props": {"code": code},
        }
        if code in tooltips:
            feat["tooltip"] = tooltips[code]
        if code in popups:
            feat["popup"] = popups[code]
        features.append(feat)
    return {"arcs": topo.arcs, "features": features, "highlight": highlight}


def zone_layer(
    data: Dataset, zoning: str, zv: ZoneValues, classes: Classes | None, lang: str
) -> folium.FeatureGroup:
    """Choropleth (or neutral zones under proportional circles) with tooltip, highlight, popup."""
    zones = data.zones[zoning]
    styles, tooltips, popups = {}, {}, {}
    for _, z in zones.iterrows():
        code = z["code"]
        fill = classes.color_of(code) if classes is not None else "#ffffff"
        styles[code] = {
            "color": "#4d4d4d",
            "weight": 0.8,
            "fillColor": fill,
            "fillOpacity": 0.85,
            "className": f"cartohdf-zone zone-{code}",
        }
        value = fmt.value(zv.values.get(code, np.nan), zv.indicator.kind, lang)
        tooltips[code] = f"<b>{esc(z['name'])}</b><br>{esc(value)}"
        popups[code] = zone_popup(code, z["name"], bool(z["interregional"]), zv, lang)
    group = folium.FeatureGroup(name=t("zones_layer", lang), overlay=True, control=False)
    DataLayer(
        "addPolygons",
        polygon_payload(zones, styles, tooltips, popups, {"weight": 3, "color": "#000"}),
    ).add_to(group)
    return group


def selection_layer(data: Dataset, zoning: str, selected: str, lang: str) -> folium.FeatureGroup:
    """A thick outline over the selected zone, drawn above every other polygon layer."""
    zone = data.zones[zoning]
    zone = zone[zone["code"] == selected]
    style = {
        **SELECTED_STYLE,
        "fill": False,
        "interactive": False,
        "className": "cartohdf-selected",
    }
    group = folium.FeatureGroup(name=t("selected", lang), overlay=True, control=False)
    DataLayer("addPolygons", polygon_payload(zone, {selected: style}, {}, {}, None)).add_to(group)
    return group


def circle_layer(data: Dataset, zoning: str, zv: ZoneValues, lang: str) -> folium.FeatureGroup:
    """Proportional circles for counts: area proportional to the value."""
    zones = data.zones[zoning]
    points = label_points(zones)
    vmax = float(zv.values.max())
    markers = []
    for _, z in zones.sort_values("code").iterrows():
        v = zv.values.get(z["code"], np.nan)
        if pd.isna(v) or vmax <= 0:
            continue
        lat, lng = points[z["code"]]
        radius = round(MAX_CIRCLE_PX * math.sqrt(float(v) / vmax), 2)
        markers.append({
            "lat": lat, "lng": lng,
            "style": {"radius": radius, "color": "#08519c", "weight": 1, "fillColor": "#3182bd",
                      "fillOpacity": 0.55, "className": "cartohdf-circle"},
            "tooltip": f"<b>{esc(z['name'])}</b><br>{esc(fmt.value(v, 'count', lang))} {esc(zv.indicator.unit(lang))}",
            "popup": zone_popup(z["code"], z["name"], bool(z["interregional"]), zv, lang),
        })  # fmt: skip
    group = folium.FeatureGroup(name=t("circles_layer", lang), overlay=True, control=False)
    DataLayer("addMarkers", {"markers": markers}).add_to(group)
    return group


def label_layer(data: Dataset, zoning: str, lang: str, show: bool) -> folium.FeatureGroup:
    """Zone names, drawn by us (readable with no basemap)."""
    zones = data.zones[zoning]
    points = label_points(zones)
    markers = [
        {
            "lat": points[c][0],
            "lng": points[c][1],
            "label": f"<span>{esc(n)}</span>",
            "className": "cartohdf-label",
        }
        for c, n in zip(zones["code"], zones["name"], strict=True)
    ]
    group = folium.FeatureGroup(name=t("labels_layer", lang), show=show)
    DataLayer("addMarkers", {"markers": markers}).add_to(group)
    return group


def outline_layer(data: Dataset, lang: str, show: bool) -> folium.FeatureGroup:
    """Départements (thin) and région (thick) outlines, not interactive."""
    deps = data.departements.copy()
    region = data.region.copy()
    group = folium.FeatureGroup(name=t("departements_layer", lang), show=show)
    for frame, weight in ((deps, 1.6), (region, 2.6)):
        styles = {
            c: {"color": "#252525", "weight": weight, "fill": False, "interactive": False}
            for c in frame["code"]
        }
        DataLayer("addPolygons", polygon_payload(frame, styles, {}, {}, None)).add_to(group)
    return group


def _ring_offsets(n: int, radius_km: float, lat: float) -> list[tuple[float, float]]:
    """n offsets (dlat, dlng) on a circle, so co-located markers do not hide each other."""
    if n == 1:
        return [(0.0, 0.0)]
    out = []
    for i in range(n):
        a = 2 * math.pi * i / n - math.pi / 2
        out.append(
            (
                radius_km * math.sin(-a) / 111.0,
                radius_km * math.cos(a) / (111.0 * math.cos(math.radians(lat))),
            )
        )
    return out


def s3_icon(order: int, size_class: str = "cartohdf-s3") -> str:
    """A numbered disc in the domain's colour (text colour chosen for contrast)."""
    color = DOMAIN_COLORS[(order - 1) % len(DOMAIN_COLORS)]
    text = "#fff" if color in DARK_DOMAIN_COLORS else "#111"
    return f"<div class='{size_class}' style='background:{color};color:{text}'>{order}</div>"


def s3_layers(data: Dataset, visible: set[str], lang: str) -> dict[str, folium.FeatureGroup]:
    """One layer per S3 domain: its two têtes de réseau (numbered discs) and the line between them.

    Territories heading several domains (Métropole lilloise heads four) get their discs on a
    small ring around the anchor commune, so none hides another.
    """
    s3 = data.study.s3_domains
    communes = data.communes.set_index("commune_code")
    per_anchor: dict[str, list[str]] = {}
    for _, r in s3.iterrows():
        per_anchor.setdefault(r["anchor_commune_code"], []).append(r["domain_id"])
    layers: dict[str, folium.FeatureGroup] = {}
    for order in sorted(int(o) for o in s3["domain_order"].unique()):
        rows = s3[s3["domain_order"] == order].sort_values("territory_order")
        first = rows.iloc[0]
        color = DOMAIN_COLORS[(int(order) - 1) % len(DOMAIN_COLORS)]
        domain = first["domain_en"] if lang == "en" else first["domain_fr"]
        pair = " / ".join(rows["territory"])
        markers, latlngs = [], []
        for _, r in rows.iterrows():
            c = communes.loc[r["anchor_commune_code"]]
            sharing = per_anchor[r["anchor_commune_code"]]
            lat0, lng0 = float(c["lat"]), float(c["lon"])
            dlat, dlng = _ring_offsets(len(sharing), 7.0 if len(sharing) > 2 else 5.0, lat0)[
                sharing.index(r["domain_id"])
            ]
            lat, lng = round(lat0 + dlat, 5), round(lng0 + dlng, 5)
            latlngs.append([lat, lng])
            pop = popup(
                f"{r['territory']}",
                [
                    (esc(t("domain", lang)), esc(f"{int(order)}. {domain}")),
                    (esc(t("head_network", lang)), esc(pair)),
                    (
                        esc(t("zone", lang)),
                        esc(f"{data.zone_name('ze2010', r['ze2010_code'])} ({r['ze2010_code']})"),
                    ),
                    (
                        esc(t("anchor", lang)),
                        esc(f"{r['anchor_commune_name']} ({r['anchor_commune_code']})"),
                    ),
                    (esc(t("source", lang)), esc(r["source"])),
                ],
            )
            tip = f"<b>{int(order)}. {esc(domain)}</b><br>{esc(t('head_network', lang))} : {esc(r['territory'])}"
            markers.append(
                {
                    "lat": lat,
                    "lng": lng,
                    "tooltip": tip,
                    "popup": pop,
                    "cls": f"s3-{r['domain_id']}",
                    "icon": s3_icon(int(order)),
                }
            )
        lines = [
            {
                "latlngs": latlngs,
                "style": {
                    "color": color,
                    "weight": 3,
                    "opacity": 0.9,
                    "dashArray": "6 4",
                    "interactive": False,
                },
            }
        ]
        group = folium.FeatureGroup(
            name=f"S3 · {int(order)}. {domain}", show=f"s3_{first['domain_id']}" in visible
        )
        DataLayer("addMarkers", {"markers": markers, "lines": lines}).add_to(group)
        layers[f"s3_{first['domain_id']}"] = group
    return layers


def s3_legend(data: Dataset, lang: str) -> str:
    """Legend block (collapsible): numbered discs and domain names; pairs are in the tooltips."""
    rows = []
    s3 = data.study.s3_domains
    for order in sorted(int(o) for o in s3["domain_order"].unique()):
        g = s3[s3["domain_order"] == order].sort_values("territory_order")
        domain = g.iloc[0]["domain_en"] if lang == "en" else g.iloc[0]["domain_fr"]
        pair = " / ".join(g["territory"])
        rows.append(
            f"<div class='s3row' title='{esc(pair)}'>{s3_icon(order)}<span>{esc(domain)}</span></div>"
        )
    return (
        f"<details><summary><b>{esc(t('s3_legend', lang))}</b></summary>{''.join(rows)}</details>"
    )


def employer_radius(size_min: int) -> float:
    """Marker radius (px) by size band: area roughly follows the band's lower bound."""
    return 8.0 if size_min >= 2000 else 5.5


def employer_bands(data: Dataset) -> list[tuple[str, float]]:
    """The size bands of the study's employers (largest first) with their marker radius."""
    bands = data.study.employers.drop_duplicates("size_band").sort_values(
        "size_min", ascending=False
    )
    return [(str(b["size_band"]), employer_radius(int(b["size_min"]))) for _, b in bands.iterrows()]


def employer_layer(data: Dataset, lang: str, show: bool) -> folium.FeatureGroup:
    """The study's 21 largest industrial establishments, placed in their zone on a ring."""
    emp = data.study.employers
    zones = data.zones["ze2010"]
    points = label_points(zones)
    markers = []
    for code in sorted(str(c) for c in emp["ze2010_code"].unique()):
        rows = emp[emp["ze2010_code"] == code]
        lat0, lng0 = points[code]
        lat0 -= RING_SOUTH_KM / 111.0  # below the zone's name, which sits on the label point
        offsets = _ring_offsets(len(rows), 2.5 + 0.6 * len(rows), lat0)
        for (_, r), (dlat, dlng) in zip(rows.sort_values("rank").iterrows(), offsets, strict=True):
            radius = employer_radius(int(r["size_min"]))
            zone = f"{data.zone_name('ze2010', code)} ({code})"
            pop = popup(
                str(r["name"]),
                [
                    (esc(t("activity", lang)), esc(f"{r['naf_code']} · {r['naf_label']}")),
                    (esc(t("size_band", lang)), esc(r["size_band"])),
                    (esc(t("zone", lang)), esc(zone)),
                    (
                        esc(t("source", lang)),
                        esc("Insee, Sirène 2018, via l'étude régionale (2019)"),
                    ),
                ],
                [t("employer_note", lang)],
            )
            markers.append({
                "lat": round(lat0 + dlat, 5), "lng": round(lng0 + dlng, 5),
                "style": {"radius": radius, "color": "#fff", "weight": 1.2,
                          "fillColor": EMPLOYER_COLOR, "fillOpacity": 0.95, "className": "cartohdf-employer"},
                "tooltip": f"<b>{esc(r['name'])}</b><br>{esc(r['naf_label'])}<br>{esc(r['size_band'])}",
                "popup": pop, "cls": "employer",
            })  # fmt: skip
    group = folium.FeatureGroup(name=t("employers_layer", lang), show=show)
    DataLayer("addMarkers", {"markers": markers}).add_to(group)
    return group


def territoire_layer(data: Dataset, programme: str, lang: str, show: bool) -> folium.FeatureGroup:
    """Territoires d'industrie of one programme: dashed outlines with names and members."""
    ti = data.territoires[programme].rename(columns={"id": "code"})
    color = "#7b3294" if programme == "2018" else "#008837"
    styles, tips, pops = {}, {}, {}
    for _, r in ti.iterrows():
        styles[r["code"]] = {
            "color": color,
            "weight": 2.2,
            "dashArray": "5 4",
            "fillColor": color,
            "fillOpacity": 0.06,
            "className": f"cartohdf-ti{programme}",
        }
        tips[r["code"]] = f"<b>{esc(r['name'])}</b><br>{esc(t(f'ti{programme}_layer', lang))}"
        members = ", ".join(str(m) for m in r["epci_names"])
        pops[r["code"]] = popup(
            str(r["name"]),
            [
                (esc(t("programme", lang)), esc(t(f"ti{programme}_layer", lang))),
                (esc(t("members", lang)), esc(members)),
            ],
        )
    group = folium.FeatureGroup(name=t(f"ti{programme}_layer", lang), show=show)
    DataLayer("addPolygons", polygon_payload(ti, styles, tips, pops, {"weight": 3.5})).add_to(group)
    return group
