"""cartohdf viewer: widgets -> MapState -> map (st_folium), zone profile, downloads.

All logic lives in src/cartohdf; this file only wires Streamlit widgets to it.
"""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
from pathlib import Path

import streamlit as st
from streamlit_folium import st_folium

from cartohdf import mapstate, sources, viewer
from cartohdf.dataset import (
    Dataset,
    load_dataset,
    user_zones,
    with_employment_import,
    with_user_indicator,
)
from cartohdf.errors import CartohdfError
from cartohdf.export import zone_table_csv, zone_table_geojson
from cartohdf.i18n import t
from cartohdf.layers import selection_layer
from cartohdf.mapview import base_map, map_html, overlay_layers, resolve
from cartohdf.profile import key_figures, zone_profile
from cartohdf.study import compare
from cartohdf.userdata import USER_ID, UserIndicator, parse_indicator

st.set_page_config(page_title="cartohdf · industrie Hauts-de-France", layout="wide")
ss = st.session_state
MAP_HEIGHT = 700


@st.cache_resource
def data() -> Dataset:
    return load_dataset()


USER_FILES: dict[str, UserIndicator] = {}  # parsed uploads by content hash (process-wide)


@st.cache_resource(max_entries=8)
def dataset_for(employment: str, user_key: str) -> Dataset:
    """The built-in data, or with an URSSAF import and/or an uploaded indicator applied."""
    d = data()
    if employment:
        d = with_employment_import(d, sources.IMPORTS_DIR / employment)
    if user_key:
        d = with_user_indicator(d, USER_FILES[user_key])
    return d


def dkey() -> tuple[str, str]:
    return ss.get("w_employment", ""), ss.get("user_key", "")


def current() -> Dataset:
    return dataset_for(*dkey())


@st.cache_resource
def script_urls() -> list[str]:
    return viewer.write_static_scripts(Path(__file__).parent / "static")


@st.cache_resource(max_entries=24)
def cached_base(query: str, day: dt.date, key: tuple[str, str]):
    return base_map(
        mapstate.from_query(dict(q.split("=", 1) for q in query.split("&") if q)),
        dataset_for(*key),
        day,
        script_urls(),
    )


@st.cache_resource(max_entries=8)
def cached_overlays(zoning: str, lang: str):
    return overlay_layers(mapstate.MapState(zoning=zoning, lang=lang), data())


@st.cache_resource(max_entries=64)
def cached_selection(zoning: str, zone: str, lang: str):
    return selection_layer(data(), zoning, zone, lang)


@st.cache_data(max_entries=16)
def cached_html(query: str, day: dt.date, key: tuple[str, str]) -> str:
    return map_html(
        mapstate.from_query(dict(q.split("=", 1) for q in query.split("&") if q)),
        dataset_for(*key),
        day,
    )


@st.cache_data(max_entries=64)
def cached_profile(zoning: str, code: str, lang: str, key: tuple[str, str]):
    return zone_profile(dataset_for(*key), zoning, code, lang)


@st.cache_data
def cached_overview():
    return key_figures(data()), compare(data())


@st.cache_data
def cached_table(zoning: str, kind: str, key: tuple[str, str]) -> str:
    d = dataset_for(*key)
    return zone_table_csv(d, zoning) if kind == "csv" else zone_table_geojson(d, zoning)


def as_query(state: mapstate.MapState, keys: tuple[str, ...] = mapstate.PARAMS) -> str:
    q = state.to_query(defaults=True)
    return "&".join(f"{k}={q[k]}" for k in keys if k in q)


BASE_KEYS = ("zoning", "indicator", "year", "scheme", "k", "breaks", "palette", "basemap", "lang")


def apply_state(state: mapstate.MapState) -> None:
    """Put a (resolved) state into the widgets."""
    for key, value in viewer.controls_from_state(state, current().indicators[state.zoning]).items():
        ss[key] = value


def on_zoning_change() -> None:
    iset = current().indicators[ss.w_zoning]
    if ss.w_indicator not in iset.indicators:
        ss.w_indicator = mapstate.DEFAULT_INDICATOR
    ss.w_year, ss.w_period, ss.w_zone = iset.years[-1], iset.default_change, ""


def reseed_years() -> None:
    """Streamlit forgets a widget not drawn in the last run: give the year widgets a value back."""
    iset = current().indicators[ss.w_zoning]
    if ss.get("w_year") not in iset.years:
        ss.w_year = iset.years[-1]
    period = ss.get("w_period")
    if not (
        isinstance(period, tuple | list)
        and len(period) == 2
        and all(y in iset.years for y in period)
    ):
        ss.w_period = iset.default_change


def set_all_s3(visible: bool) -> None:
    for layer in mapstate.S3_LAYERS:
        ss[f"w_{layer}"] = visible


def on_map_click() -> None:
    clicked = (ss.get("map") or {}).get("last_object_clicked")
    if clicked:
        code = viewer.zone_at(data(), ss.w_zoning, clicked["lat"], clicked["lng"])
        if code:
            ss.w_zone = code


def state_from_widgets() -> tuple[mapstate.MapState, str | None]:
    state, problem = viewer.state_from_controls(ss, current().indicators[ss.w_zoning])
    return state, f"{t('breaks', ss.w_lang)} : {problem}" if problem else None


def upload_panel(lang: str) -> None:
    """Employment source and user indicator; a rejected file changes nothing."""
    imports = [p.name for p in sources.list_imports()]
    if imports:
        st.selectbox(t("employment_source", lang), ["", *imports], key="w_employment",
                     format_func=lambda n: n or t("builtin_source", lang), on_change=on_zoning_change)  # fmt: skip
    upload = st.file_uploader(t("upload", lang), type=["csv", "txt", "xlsx"], key="w_upload",
                              help=t("upload_help", lang))  # fmt: skip
    column = st.text_input(t("upload_column", lang), key="w_upload_column")
    if upload is None:
        if ss.get("user_key"):  # file removed: back to the built-in indicators
            ss.user_key = ""
            if ss.get("w_indicator") == USER_ID:
                ss.w_indicator = mapstate.DEFAULT_INDICATOR
        return
    raw = upload.getvalue()
    key = hashlib.sha256(raw + column.encode()).hexdigest()[:16]
    if key == ss.get("user_key") or key == ss.get("rejected_key"):
        if key == ss.get("rejected_key"):
            st.error(t("upload_error", lang, msg=viewer.md_escape(ss.rejected_msg)))
        return
    try:
        parsed = parse_indicator(raw, upload.name, user_zones(data()), column=column or None)
    except CartohdfError as exc:
        ss.rejected_key, ss.rejected_msg = key, str(exc)
        st.error(t("upload_error", lang, msg=viewer.md_escape(str(exc))))
        return
    USER_FILES[key] = parsed
    ss.user_key = key
    ss.w_zoning, ss.w_indicator, ss.w_zone = parsed.zoning, USER_ID, ""
    st.success(
        t(
            "upload_ok",
            lang,
            label=viewer.md_escape(parsed.label),
            n=int(parsed.values.notna().sum()),
            zoning=parsed.zoning,
        )
    )


# -- state: URL first, then widgets ------------------------------------------------------------
if "w_zoning" not in ss:
    url_state, ss.url_error = viewer.state_from_url(st.query_params.to_dict(), data())
    apply_state(url_state)
lang = ss.w_lang
if ss.get("url_error"):
    st.error(t("url_error", lang, msg=ss.url_error))

with st.sidebar:
    st.radio(
        t("language", lang), ["fr", "en"], key="w_lang", horizontal=True, format_func=str.upper
    )
    upload_panel(lang)
    st.header(t("sidebar_view", lang))
    st.radio(
        t("zoning", lang),
        mapstate.ZONINGS,
        key="w_zoning",
        format_func=lambda z: t(f"zoning_{z}", lang),
        on_change=on_zoning_change,
    )
    iset = current().indicators[ss.w_zoning]
    st.selectbox(
        t("indicator", lang),
        list(iset.indicators),
        key="w_indicator",
        format_func=lambda i: iset.get(i).label(lang),
    )
    reseed_years()
    kind = iset.get(ss.w_indicator).kind
    if kind == "change":
        st.select_slider(t("period", lang), options=iset.years, key="w_period")
    elif kind != "value":  # a user file has no year of ours
        st.selectbox(t("year", lang), iset.years, key="w_year")
    st.selectbox(
        t("scheme", lang),
        mapstate.SCHEMES,
        key="w_scheme",
        format_func=lambda s: t(f"scheme_{s}", lang),
    )
    if ss.w_scheme == "user":
        st.text_input(t("breaks", lang), key="w_breaks")
    st.slider(t("k", lang), *mapstate.K_RANGE, key="w_k", disabled=ss.w_scheme == "user")
    st.selectbox(
        t("palette", lang),
        mapstate.PALETTES,
        key="w_palette",
        format_func=lambda p: t("palette_auto", lang) if p == "auto" else p,
    )
    st.header(t("layers", lang))
    st.caption(t("s3_domains", lang))
    c1, c2 = st.columns(2)
    c1.button(t("all", lang), on_click=set_all_s3, args=(True,), width="stretch")
    c2.button(t("none", lang), on_click=set_all_s3, args=(False,), width="stretch")
    s3 = data().study.s3_domains.drop_duplicates("domain_id")
    for _, d in s3.iterrows():
        st.checkbox(
            f"{d['domain_order']}. {d['domain_en'] if lang == 'en' else d['domain_fr']}",
            key=f"w_s3_{d['domain_id']}",
        )
    for layer in ("employers", "ti2018", "ti2023", "departements", "labels"):
        st.checkbox(t(f"{layer}_layer", lang), key=f"w_{layer}")
    st.radio(
        t("basemap", lang),
        mapstate.BASEMAPS,
        key="w_basemap",
        format_func=lambda b: t(f"basemap_{b}", lang),
        help=t("basemap_hint", lang),
    )

state, widget_error = state_from_widgets()
if widget_error:
    st.error(widget_error)
try:
    state = resolve(state, current())
except CartohdfError as exc:
    st.error(str(exc))
    state = resolve(mapstate.MapState(zoning=state.zoning, lang=lang), current())
# the link carries what differs from the default view (years filled in as the app shows them)
link = state.to_query(base=resolve(mapstate.MapState(zoning=state.zoning), data()))
link = {"zoning": state.zoning, **link} if state.zoning != "ze2010" else link
if st.query_params.to_dict() != link:
    st.query_params.from_dict(link)

# -- page -------------------------------------------------------------------------------------
st.title(t("app_title", lang))
zones = data().zones[state.zoning]
names = dict(zip(zones["code"], zones["name"], strict=True))
map_col, panel = st.columns([5, 3], gap="medium")
with map_col:
    st.selectbox(
        t("pick_zone", lang),
        ["", *names],
        key="w_zone",
        format_func=lambda c: f"{names[c]} ({c})" if c else t("no_zone", lang),
    )
    today = dt.date.today()
    # st_folium mutates what it is given (ids, parents): hand it copies of the cached, unattached layers
    base = copy.deepcopy(cached_base(as_query(state, BASE_KEYS), today, dkey()))
    overlays = cached_overlays(state.zoning, lang)
    groups = [copy.deepcopy(overlays[layer]) for layer in overlays if layer in state.layers]
    center, zoom = None, None
    if state.zone:
        groups.insert(0, copy.deepcopy(cached_selection(state.zoning, state.zone, lang)))
        center, zoom = viewer.view_for(viewer.zone_fit(data(), state.zoning, state.zone))
    st_folium(
        base,
        key="map",
        height=MAP_HEIGHT,
        use_container_width=True,
        returned_objects=["last_object_clicked"],
        feature_group_to_add=groups,
        center=center,
        zoom=zoom,
        on_change=on_map_click,
    )
    st.caption(t("click_hint", lang))
    st.subheader(t("downloads", lang))
    query, key = as_query(state), dkey()  # evaluated now: the HTML is built when clicked
    downloads = {
        "html": (lambda: cached_html(query, today, key), "text/html"),
        "csv": (cached_table(state.zoning, "csv", key), "text/csv"),
        "geojson": (cached_table(state.zoning, "geojson", key), "application/geo+json"),
    }
    for column, (ext, (payload, mime)) in zip(st.columns(3), downloads.items(), strict=True):
        column.download_button(t(f"dl_{ext}", lang), data=payload, file_name=f"cartohdf_{state.zoning}.{ext}",
                               mime=mime, on_click="ignore", key=f"dl_{ext}")  # fmt: skip

with panel:
    if state.zone:
        p = cached_profile(state.zoning, state.zone, lang, dkey())
        st.header(f"{p.name} ({p.code})")
        st.caption(t(f"zoning_{p.zoning}", lang))
        if p.interregional:
            st.warning(t("interregional_note", lang))
        st.subheader(t("indicators_title", lang))
        st.dataframe(p.indicators, hide_index=True, width="stretch")
        st.subheader(t("jobs_chart", lang))
        # a sparkline column: no charting library to load on every click
        series = p.jobs_series.dropna()
        st.dataframe(
            {
                t("period", lang): [f"{series.index[0]}–{series.index[-1]}"],
                t("jobs_chart", lang): [list(series)],
            },
            column_config={
                t("jobs_chart", lang): st.column_config.LineChartColumn(y_min=0, width="large")
            },
            hide_index=True,
        )
        st.markdown(f"**{t('change_title', lang)}** : {p.change_text}")
        st.subheader(t("statements", lang))
        if p.zoning == "ze2020":
            st.caption(
                t(
                    "statements_ze2020",
                    lang,
                    zones=", ".join(
                        f"{data().zone_name('ze2010', z)} ({z})" for z in p.study_zones
                    ),
                )
            )
        for name, frame in (
            (None, p.statements),
            (t("employers_title", lang), p.employers),
            (t("s3_roles", lang), p.s3_roles),
            (t("ti_title", lang), p.territoires),
        ):
            if name:
                st.markdown(f"**{name}**")
            if frame.empty:
                st.caption(t("none_found", lang))
            else:
                st.dataframe(frame, hide_index=True, width="stretch")
    else:
        st.header(t("overview", lang))
        figures, comparison = cached_overview()
        for _, f in figures.iterrows():
            st.markdown(f"**{f['Valeur']}** · {f['Chiffre']} ({f['Période'] or 's.d.'})")
            st.caption(f["Source"])
        st.subheader(t("compare", lang))
        st.caption(t("study_field_note", lang))
        st.dataframe(comparison, hide_index=True, width="stretch")
