"""cartohdf viewer: widgets -> MapState -> plan -> map (the app's own component), profile, files.

Widgets only: what they hold, their callbacks and the caches are `cartohdf.front.session`; the map and
the panels are the project's own component (`front/static/ui.js`), all drawn from the view's plan."""

from __future__ import annotations

import gc
from functools import partial

import streamlit as st

from cartohdf.front import assets  # light: the map page's scripts, named in the first message

st.set_page_config(page_title="cartohdf · industrie Hauts-de-France", layout="wide")
ss = st.session_state


@st.cache_resource(show_spinner=False)
def ui():
    """The app's own component (map, side panel, layer panel, stores), registered once; its
    files are served from the installed package (src/cartohdf/pyproject.toml declares them)."""
    return st.components.v2.component("cartohdf.ui", js="ui.js", css="components.css", isolate_styles=False)


@st.cache_resource(show_spinner=False)
def script_urls() -> tuple[str, ...]:
    """The map page's scripts, served from their installed folders (components v1 `path`s)."""
    return tuple(assets.script_url(st.components.v1.declare_component(f"cartohdf_{folder}", path=str(path)).name,
                                   folder) for folder, path in assets.script_folders().items())  # fmt: skip


# A session's first run mounts the component first (imports and data take ~0.9 s in a new process): its
# modules and the map page's scripts (kept for every map page) are fetched now, not behind the sidebar's.
head = st.empty()  # the (hidden) boot mount in the first run, empty then: the elements keep their places
if "w_zoning" not in ss:
    with head.container(key="store_boot"):
        ui()(data={"kind": "boot", "scripts": list(script_urls())}, key="boot")
    gc.disable()  # over the imports and the data load: s.start_run turns it on again

from cartohdf import core  # noqa: E402 - after the boot mount, on purpose
from cartohdf.core import t  # noqa: E402
from cartohdf.data import list_imports, load_dataset  # noqa: E402
from cartohdf.front import app  # noqa: E402
from cartohdf.front import session as s  # noqa: E402
from cartohdf.state import breaks_unit, state_from_controls  # noqa: E402

MAP_HEIGHT = 700
UPLOAD_TYPES = ["csv", "txt", "xlsx"]


def on(callback, *args):  # a session callback bound to this session (called with no argument)
    return partial(callback, ss, *args)


def keep_in_page(name: str, key: str, payload: str) -> None:
    """A payload for the page's store (in a box of its own, not drawn)."""
    with st.container(key=f"store_{name}"):
        ui()(data={"kind": "store", "name": name, "key": key, "packed": payload}, key=f"{name}_store")


def upload_panel(lang: str) -> None:
    """Employment source and user indicator."""
    imports = list_imports() + ([ss.w_source] if ss.get("w_source") and ss.w_source not in list_imports() else [])
    if imports:
        st.selectbox(t("employment_source", lang), ["", *imports], key="w_source", on_change=on(s.on_source_change),
                     format_func=lambda n: n or t("builtin_source", lang))  # fmt: skip
    if ss.get("source_msg"):
        st.error(t("source_error", lang, msg=app.md_escape(ss.source_msg.message(lang))))
    st.file_uploader(t("upload", lang), type=UPLOAD_TYPES, key="w_upload", on_change=on(s.on_new_file),
                     help=t("upload_help", lang, max_mb=core.MAX_UPLOAD_BYTES // 1_000_000),
                     max_upload_size=core.MAX_UPLOAD_BYTES // 1_000_000)  # fmt: skip
    if ss.get("upload_columns"):  # the value columns of the file given, when it has several
        st.selectbox(t("upload_column", lang), ss.upload_columns, index=None, key="w_upload_column",
                     on_change=on(s.on_upload), placeholder=t("choose", lang))  # fmt: skip
    if ss.get("w_upload_key"):
        st.button(t("remove_upload", lang), on_click=on(s.remove_upload), key="remove_upload")
    if message := s.upload_message(ss, lang):
        getattr(st, message[0])(message[1])


lang = s.start_run(ss, st.query_params.to_dict())
st.html(app.page_style(lang, core.MAX_UPLOAD_BYTES // 1_000_000, UPLOAD_TYPES))

own_data, iset, levels = s.view_controls(ss)  # before the map's part: the map first, the sidebar after it
st.title(t("app_title", lang))


def zone_row(lang: str, names: dict[str, str]):
    """Zone picker and search; returns the (still empty) downloads menu beside them."""
    pick, search, files = st.columns([5, 4, 3], vertical_alignment="bottom")
    options, zone, key = ["", *names], s.picker_zone(ss), s.new_picker_key(ss)
    pick.selectbox(t("pick_zone", lang), options, index=options.index(zone) if zone in options else 0,
                   key=key, on_change=on(s.on_pick, key), filter_mode="contains",
                   format_func=lambda c: f"{names[c]} ({c})" if c else t("no_zone", lang))  # fmt: skip
    search.text_input(t("search_zone", lang), key="w_search", on_change=on(s.on_search),
                      placeholder=t("search_hint", lang))  # fmt: skip
    if message := s.search_message(ss, lang):
        getattr(st, message[0])(message[1])
    return files.popover(t("downloads", lang), width="stretch")


def draw_downloads(groups: s.Downloads, lang: str) -> None:
    for title, items in groups:
        st.markdown(f"**{t(title, lang)}**")
        for key, payload, name in items:
            st.download_button(t(key, lang), data=payload, file_name=name, mime=s.MIME[name.rsplit(".", 1)[1]],
                               on_click="ignore", key=key, width="stretch")  # fmt: skip


@st.fragment
def map_and_panel() -> None:
    """The map, the zone row, the layers, the downloads and the side panel. A click on the map,
    a layer or a zone reruns this part only: the sidebar is not sent again."""
    if s.sidebar_stale(ss):  # the panel changed the level: the sidebar shows it too
        st.rerun()
    lang = ss.w_lang
    zones = load_dataset().zones[ss.w_zoning]
    link_alert = st.empty()  # a bad link's message, until the user changes the view
    map_col, panel = st.columns([5, 3], gap="medium")
    with map_col:
        files = zone_row(lang, dict(zip(zones["code"], zones["name"], strict=True)))
        ui()(data=s.layer_panel(ss, lang), key="layers_panel", on_shown_change=on(s.on_layers))
        (state, problem), today = s.view_state(ss), core.clock.today()
        if problem:
            st.error(app.md_escape(problem.message(lang)))
        if st.query_params.to_dict() != (link := s.link_of(state)):
            st.query_params.from_dict(link)
    with files:  # with the view, before the map: never the view before's files (a first map has none: they come last)
        draw_downloads([] if (first := s.first_map(ss)) else s.map_downloads(state, today), lang)
    if bad_link := s.link_problem(ss, state):
        link_alert.error(t("url_error", lang, msg=app.md_escape(bad_link.message(lang))))
    with map_col:
        view = s.view_plan(state)
        if warning := app.one_class_warning(view.classes, view.values.values, view.values.indicator.kind, lang):
            st.warning(warning)
        # the map page once per view (a reference to it afterwards); a click changes the view only
        page_key, page = s.map_page(app.page_state(state), today, script_urls())
        keep_in_page("map", page_key, page)
        ui()(data={"kind": "map", "page": page_key, "view": app.view_message(view), "height": MAP_HEIGHT,
                   "title": t("map_frame", lang), "tellDrawn": s.waits_for_map(ss, state)}, key="map",
             height=MAP_HEIGHT, on_zone_change=on(s.on_map_zone), on_outside_change=on(s.on_map_outside),
             on_drawn_change=on(s.on_map_drawn), on_compare_change=on(s.on_map_compare))  # fmt: skip
        if ss.get("outside_click") and state.scope == "france" and not state.zone:
            st.info(app.md_escape(ss.outside_click))
        with st.container(key="click_hint"):  # the side panel hides it at once on a click
            if not state.zone:
                st.caption(t("click_hint", lang))
    with panel:
        pages_key, pages = s.side_pages(ss, state, view)
        side, compared = s.side_panel(ss, state, pages_key)
        ui()(data=side, key="side_panel", on_clear_change=on(s.clear_zone), on_compare_change=on(s.on_side_compare),
             on_leave_change=on(s.leave_compare), on_scatter_change=on(s.on_scatter), on_within_change=on(s.on_within))  # fmt: skip
        keep_in_page("pages", pages_key, pages)
        keep_in_page("compare", *compared)
    with files:  # last: the tables and reports are not on the way of the map and the panel
        draw_downloads(s.other_downloads(state, today, lang, s.compare_axes(ss), with_map=first), lang)


map_and_panel()
with st.sidebar:
    st.radio(t("language", lang), core.LANGS, key="w_lang", horizontal=True, format_func=str.upper,
             on_change=on(s.on_lang_change))  # fmt: skip
    upload_panel(lang)
    st.header(t("sidebar_view", lang))
    st.radio(t("scope", lang), core.SCOPES, key="w_scope", format_func=s.label_in("w_scope", lang),
             disabled=own_data, help=t("scope_builtin_hint", lang) if own_data else None)  # fmt: skip
    st.radio(t("zoning", lang), core.ZONINGS, key="w_zoning", format_func=s.label_in("w_zoning", lang),
             on_change=on(s.on_zoning_change))  # fmt: skip
    st.radio(t("level", lang), core.LEVELS, key="w_level", format_func=s.label_in("w_level", lang),
             disabled=not levels, on_change=on(s.on_level_change))  # fmt: skip
    st.multiselect(**s.compare_widget(ss, load_dataset().zone_names(ss.w_zoning), lang), key="w_compare",
                   on_change=on(s.on_compare))  # fmt: skip
    for note in filter(None, (s.compare_hint(ss, lang), s.level_note(ss, lang), s.sector_hint(ss, lang))):
        st.caption(note)
    st.selectbox(t("indicator", lang), s.indicator_options(iset), key="w_indicator",
                 format_func=s.indicator_label(iset, lang), placeholder=t("choose", lang))  # fmt: skip
    if ss.w_indicator == s.SECTOR_CHOICE:
        st.selectbox(t("sect.sector", lang), core.INDUSTRIAL_A38, key="w_sector", format_func=s.label_in("w_sector", lang))
        st.radio(t("sect.measure", lang), list(s.SECTOR_MAP_MEASURES), key="w_sector_measure",
                 format_func=s.label_in("w_sector_measure", lang))  # fmt: skip
    kind = iset.get(s.picked_indicator(ss)).kind
    if kind == "change":
        st.select_slider(t("period", lang), options=iset.years, key="w_period")
    elif kind != "value":  # a user file has no year of ours
        st.selectbox(t("year", lang), iset.years, key="w_year", placeholder=t("choose", lang))
    st.selectbox(t("scheme", lang), core.SCHEMES, key="w_scheme", placeholder=t("choose", lang),
                 format_func=s.label_in("w_scheme", lang))  # fmt: skip
    if ss.w_scheme == "user":
        unit = breaks_unit(kind)
        st.text_input(t("breaks_label", lang, unit=t(unit, lang), example=t(f"breaks_example.{unit}", lang)),
                      key="w_breaks")  # fmt: skip
        if problem := state_from_controls(ss, iset)[1]:
            st.error(t("breaks_error", lang, msg=app.md_escape(problem.message(lang))))
    st.slider(t("k", lang), *core.K_RANGE, key="w_k", disabled=ss.w_scheme == "user")
    st.selectbox(t("palette", lang), core.PALETTES, key="w_palette", placeholder=t("choose", lang),
                 format_func=s.label_in("w_palette", lang))  # fmt: skip
    st.radio(t("basemap", lang), core.BASEMAPS, key="w_basemap", format_func=s.label_in("w_basemap", lang),
             help=t("basemap_hint", lang))  # fmt: skip
