"""The conventional peer of cartohdf's app, for bench/peer.py: streamlit + streamlit-folium on
the same data, written the way the usual tutorials show.

The zones and the indicator come from cartohdf's public functions (the same classes and
colours as cartohdf's default view); the map is a folium map with a GeoJson choropleth, the
seven S3 domains and the employers as FeatureGroups in Leaflet's LayerControl; `st_folium`
returns the last click, whose zone's profile is shown beside the map. Only the data are
cached (st.cache_resource); a click reruns the script, as in any such app.

    streamlit run bench/peer_app.py
"""

from __future__ import annotations

from importlib import resources

import folium
import geopandas as gpd
import streamlit as st
from shapely.geometry import Point
from streamlit_folium import st_folium

from cartohdf.compose import Plan, plan
from cartohdf.data import Dataset, load_dataset
from cartohdf.render import PANEL_CSS, domains, label_points, profile_html, zone_profile
from cartohdf.state import MapState

ZONING = "ze2010"
LANG = "fr"
# Okabe-Ito, the colours cartohdf gives the seven domains
DOMAIN_COLORS = ("#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7")

st.set_page_config(page_title="Industrie Hauts-de-France (peer)", layout="wide")


@st.cache_resource(show_spinner=False)
def dataset() -> Dataset:
    return load_dataset()


@st.cache_resource(show_spinner=False)
def view() -> Plan:
    """cartohdf's default view with no layer shown: its values, classes and colours."""
    return plan(MapState(zoning=ZONING, lang=LANG, layers=frozenset()), dataset())


@st.cache_resource(show_spinner=False)
def zones() -> gpd.GeoDataFrame:
    """The région's zones with the indicator's value, its text and its fill colour."""
    data, p = dataset(), view()
    frame = data.zones[ZONING][["code", "name", "geometry"]].copy()
    values = p.values.values
    frame["value"] = [
        f"{values[c] * 100:.1f} %" if c in values.index else "—" for c in frame["code"]
    ]
    assert p.classes is not None  # a share is classified (not drawn as circles)
    frame["fill"] = [p.classes.color_of(c) for c in frame["code"]]
    return frame


def s3_group(order: int, rows, data: Dataset) -> folium.FeatureGroup:
    """One S3 domain: its two têtes de réseau as numbered discs, joined by a dashed line."""
    color = DOMAIN_COLORS[(order - 1) % len(DOMAIN_COLORS)]
    communes = data.communes.set_index("commune_code")
    group = folium.FeatureGroup(name=f"{order}. {rows.iloc[0]['domain_fr']}", show=False)
    points = []
    for _, r in rows.iterrows():
        c = communes.loc[r["anchor_commune_code"]]
        at = [float(c["lat"]), float(c["lon"])]
        points.append(at)
        disc = (
            f"<div style='background:{color};border-radius:50%;width:22px;height:22px;"
            f"text-align:center;line-height:22px;font-weight:bold'>{order}</div>"
        )
        folium.Marker(
            at,
            icon=folium.DivIcon(html=disc, icon_size=(22, 22), icon_anchor=(11, 11)),
            tooltip=f"{order}. {r['domain_fr']} — {r['territory']}",
        ).add_to(group)
    folium.PolyLine(points, color=color, weight=3, dash_array="6 4").add_to(group)
    return group


def employers_group(data: Dataset) -> folium.FeatureGroup:
    """The study's largest employers, each at its zone's inside point."""
    points = label_points(data.zones["ze2010"])
    group = folium.FeatureGroup(name="Principaux employeurs", show=False)
    for _, r in data.study.employers.iterrows():
        folium.CircleMarker(
            points[str(r["ze2010_code"])],
            radius=6,
            color="#fff",
            weight=1,
            fill=True,
            fill_color="#b2182b",
            fill_opacity=0.95,
            tooltip=f"{r['name']} · {r['naf_label']}",
        ).add_to(group)
    return group


@st.cache_resource(show_spinner=False)
def leaflet_folder() -> str:
    """Where Streamlit serves Leaflet 1.9.4 from the installed `django-js-lib-leaflet` (the
    machine is offline: this stands in for folium's CDN, which a browser would have cached)."""
    path = resources.files("js_lib_leaflet") / "static" / "js_lib_leaflet"
    component = st.components.v1.declare_component("peer_leaflet", path=str(path))
    return f"/component/{component.name}"


def build_map() -> folium.Map:
    """A new map each run: st_folium renders the map it is given, and a cached map rendered
    again carries its scripts twice (Leaflet then refuses the second map: a blank frame)."""
    data, frame = dataset(), zones()
    west, south, east, north = frame.total_bounds
    m = folium.Map(tiles=None)  # cartohdf's default view has no basemap either
    # only Leaflet: this map uses none of folium's other default scripts and styles
    m.default_js = [("leaflet", f"{leaflet_folder()}/leaflet.js")]
    m.default_css = [("leaflet_css", f"{leaflet_folder()}/leaflet.css")]
    m.fit_bounds([[south, west], [north, east]])
    folium.GeoJson(
        frame,
        name=view().values.indicator.label(LANG),
        style_function=lambda f: {
            "fillColor": f["properties"]["fill"],
            "color": "#4d4d4d",
            "weight": 0.8,
            "fillOpacity": 0.85,
        },
        highlight_function=lambda f: {"weight": 3, "color": "#000"},
        tooltip=folium.GeoJsonTooltip(fields=["name", "value"], aliases=["Zone", "Part"]),
    ).add_to(m)
    for order, _, rows in domains(data):
        s3_group(order, rows, data).add_to(m)
    employers_group(data).add_to(m)
    folium.LayerControl().add_to(m)
    return m


def clicked_zone(clicked: dict | None) -> str | None:
    """The code of the zone under the last click, if any."""
    if not clicked:
        return None
    frame = zones()
    hit = frame[frame.contains(Point(clicked["lng"], clicked["lat"]))]
    return str(hit["code"].iloc[0]) if len(hit) else None


st.title("Industrie dans les Hauts-de-France")
left, right = st.columns([5, 3])
with left:
    st.caption(f"{view().values.indicator.label(LANG)}, {view().state.year}")
    out = st_folium(build_map(), height=700, use_container_width=True,
                    returned_objects=["last_object_clicked"])  # fmt: skip
with right:
    code = clicked_zone(out.get("last_object_clicked") if out else None)
    if code is None:
        st.info("Cliquez sur une zone de la carte pour voir son profil.")
    else:
        profile = zone_profile(dataset(), ZONING, code, LANG, view().state.year)
        st.subheader(f"{profile.name} ({profile.code})")
        st.html(f"<style>{PANEL_CSS}</style>{profile_html(profile, LANG)}")
