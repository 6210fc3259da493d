"""cartohdf viewer (minimal until the full viewer lands): the zones d'emploi of the région."""

import folium
import streamlit as st
from streamlit_folium import st_folium

from cartohdf.dataset import load_dataset

st.set_page_config(page_title="cartohdf", layout="wide")
st.title("L'industrie en Hauts-de-France par zone d'emploi")
data = load_dataset()
zones = data.zones["ze2010"]
m = folium.Map(location=[50.0, 2.8], zoom_start=8, tiles=None)
folium.GeoJson(
    zones[["code", "name", "geometry"]].to_json(), tooltip=folium.GeoJsonTooltip(["name"])
).add_to(m)
st_folium(m, height=600, returned_objects=[])
