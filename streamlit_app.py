"""cartohdf viewer: widgets -> MapState -> plan -> map (the app's own component), zone profile, downloads.

All logic lives in src/cartohdf; this file only wires Streamlit widgets to it. The view is the
MapState (URL included): the map, the profile and every download are drawn from its plan.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import replace
from functools import partial
from typing import Any

import streamlit as st

from cartohdf.compose import Plan, plan
from cartohdf.core import (
    BASEMAPS,
    K_RANGE,
    LANGS,
    MAX_UPLOAD_BYTES,
    OTHER_LAYERS,
    PALETTES,
    S3_LAYERS,
    SCHEMES,
    SCOPES,
    USER_ID,
    ZONINGS,
    CartohdfError,
    clock,
    t,
)
from cartohdf.data import (
    Dataset,
    check_session_uploads,
    dataset_for,
    import_digest,
    list_imports,
    load_dataset,
    store_upload,
    upload_key,
)
from cartohdf.export import atlas_pdf, map_html, portrait_pdf, static_map, zone_table_bytes
from cartohdf.front.app import (
    APP_CSS,
    app_page,
    atlas_file_name,
    choice_named,
    layers_data,
    map_file_name,
    md_escape,
    one_class_warning,
    outside_zone_text,
    packed,
    page_state,
    pages_data,
    parse_upload_isolated,
    picked_code,
    report_file_name,
    script_folders,
    script_url,
    search_zones,
    shown_layers,
    side_data,
    table_file_name,
    value_columns_asked,
    view_message,
    widget_words_css,
)
from cartohdf.indicators import indicator_set
from cartohdf.render import (
    PANEL_CSS,
    compare,
    domains,
    key_figures,
    overview_html,
    profile_html,
    strip_indicator,
    zone_profile,
)
from cartohdf.state import (
    DEFAULT_INDICATOR,
    MapState,
    breaks_unit,
    controls_from_state,
    from_query,
    open_state,
    resolve,
    state_from_controls,
)

st.set_page_config(page_title="cartohdf · industrie Hauts-de-France", layout="wide")
ss = st.session_state
MAP_HEIGHT = 700
UPLOAD_TYPES = ["csv", "txt", "xlsx"]
UPLOAD_KINDS = ", ".join(k.upper() for k in UPLOAD_TYPES)


@st.cache_resource(show_spinner=False)
def static_urls() -> list[str]:
    """Leaflet and cartohdf.js for the map's frame, served by Streamlit from their installed
    folders (each declared as a components v1 `path`, served at /component/<name>/…): nothing
    is written beside the app, which may be installed read-only."""
    urls = []
    for folder, path in script_folders().items():
        component = st.components.v1.declare_component(f"cartohdf_{folder}", path=str(path))
        urls.append(script_url(component.name, folder))
    return urls


def view_data(source: str, upload: str) -> Dataset:
    """The data a view names (built-in, or with its import and upload applied); an import is
    known by its content digest too, so one replaced under the same name is read again, and
    what was drawn from the old one (plans, profiles, files) is forgotten."""
    digest = import_digest(source) if source else ""
    seen = seen_digests()
    if source and seen.setdefault(source, digest) != digest:
        seen[source] = digest
        for drawn in (view_plan, map_page_of, profile_of, pages_of, html_of, table_of, static_of, portrait_of,
                      atlas_of):
            drawn.clear()
    return _view_data(source, upload, digest)


@st.cache_resource(show_spinner=False)
def seen_digests() -> dict[str, str]:
    """Import name -> the digest the cached views were drawn from (one per process)."""
    return {}


@st.cache_resource(max_entries=8, show_spinner=False)
def _view_data(source: str, upload: str, digest: str) -> Dataset:  # digest: part of the key
    return dataset_for(source, upload)


@st.cache_resource(max_entries=32, show_spinner=False)
def view_plan(state: MapState) -> Plan:
    return plan(state, view_data(state.source, state.upload))


@st.cache_resource(max_entries=16, show_spinner=False)
def map_page_of(state: MapState, day: dt.date) -> tuple[str, str]:  # state: a page_state
    """A view's map page, packed for the map component's store (key, payload)."""
    return packed({"html": app_page(state, view_data(state.source, state.upload), day, static_urls())})


@st.cache_resource(max_entries=512, show_spinner=False)
def profile_of(
    zoning: str, code: str, lang: str, source: str, upload: str, breaks: tuple[float, ...],
    years: tuple[int | None, int | None] = (None, None),
) -> tuple[str, str]:  # fmt: skip
    """A zone's heading and profile HTML; `breaks`: the map's class bounds, drawn on the
    national strip when the map shows the strip's indicator (else empty: one profile for every
    other view); `years`: the map's year and, for a change, its start year."""
    data = view_data(source, upload)
    p = zone_profile(data, zoning, code, lang, *years)
    note = ""
    if p.zoning == "ze2020":
        zones = ", ".join(f"{data.zone_name('ze2010', z)} ({z})" for z in p.study_zones)
        note = t("statements_ze2020", lang, zones=zones)
    return f"{p.name} ({p.code})", profile_html(p, lang, note, breaks)


@st.cache_resource(max_entries=16, show_spinner=False)
def pages_of(
    zoning: str, lang: str, source: str, upload: str, breaks: tuple[float, ...],
    years: tuple[int | None, int | None],
) -> tuple[str, str]:  # fmt: skip
    """Every page the side panel can show in a view (each zone's profile, the overview),
    packed for the store: built once, and sent to a browser once."""
    codes = view_data(source, upload).zones[zoning]["code"]
    zones = {c: profile_of(zoning, c, lang, source, upload, breaks, years) for c in codes}
    return packed(pages_data(zones, (t("overview", lang), overview_of(lang))))


@st.cache_resource(show_spinner=False)
def ui():
    """The app's own component (map, side panel, layer panel, stores), registered once per
    process; its files are served by Streamlit from the installed package (src/cartohdf/
    pyproject.toml declares them)."""
    return st.components.v2.component("cartohdf.ui", js="ui.js", css="components.css", isolate_styles=False)


@st.cache_data(show_spinner=False)
def overview_of(lang: str) -> str:
    return overview_html(key_figures(load_dataset(), lang), compare(load_dataset(), lang), lang)


@st.cache_data(max_entries=32, show_spinner=False)
def html_of(state: MapState, day: dt.date) -> bytes:
    """The map file of a view, made before its button is drawn: the bytes stay with this
    session until its next run, whatever other sessions do meanwhile."""
    return map_html(view_plan(state), day).encode("utf-8")


@st.cache_data(max_entries=16, show_spinner=False)
def table_of(zoning: str, fmt: str, source: str, upload: str, lang: str) -> bytes:
    return zone_table_bytes(view_data(source, upload), zoning, fmt, lang=lang)


@st.cache_data(max_entries=16, show_spinner=False)
def static_of(state: MapState, fmt: str, day: dt.date) -> bytes:
    return static_map(view_plan(state), fmt, day)


@st.cache_data(max_entries=32, show_spinner=False)
def portrait_of(zoning: str, code: str, lang: str, source: str, upload: str, day: dt.date) -> bytes:
    return portrait_pdf(view_data(source, upload), zoning, code, lang, day)


@st.cache_data(max_entries=4, show_spinner=False)
def atlas_of(zoning: str, lang: str, source: str, upload: str, day: dt.date) -> bytes:
    return atlas_pdf(view_data(source, upload), zoning, lang, day)


def current_data() -> Dataset:
    return view_data(ss.get("w_source", ""), ss.get("w_upload_key", ""))


def apply_state(state: MapState) -> None:
    """Put a resolved state into the widgets."""
    iset = indicator_set(view_data(state.source, state.upload), state.zoning)
    for key, value in controls_from_state(state, iset).items():
        ss[key] = value


def reseed_years() -> None:
    """Keep the year widgets (and the indicator) valid for the zoning and data shown."""
    iset = indicator_set(current_data(), ss.w_zoning)
    if ss.get("w_indicator") not in iset.indicators:
        ss.w_indicator = DEFAULT_INDICATOR
    if ss.get("w_year") not in iset.years:
        ss.w_year = iset.years[-1]
    period = ss.get("w_period")
    if not (
        isinstance(period, tuple | list)
        and len(period) == 2
        and all(y in iset.years for y in period)
    ):
        ss.w_period = iset.default_change


CHOICES: dict[str, tuple[tuple[str, ...], Callable[[Any, str], str]]] = {
    "w_scope": (SCOPES, lambda s, lang: t(f"scope_{s}", lang)),
    "w_zoning": (ZONINGS, lambda z, lang: t(f"zoning_{z}", lang)),
    "w_scheme": (SCHEMES, lambda s, lang: t(f"scheme_{s}", lang)),
    "w_palette": (PALETTES, lambda p, lang: t("palette_auto", lang) if p == "auto" else p),
    "w_basemap": (BASEMAPS, lambda b, lang: t(f"basemap_{b}", lang)),
}  # the choices drawn with translated labels (the indicator's and the source's: below)


def label_in(key: str, lang: str) -> Callable[[Any], str]:
    """The labels a choice is drawn with (the same that `restore_choices` reads back)."""
    return lambda option: CHOICES[key][1](option, lang)


def restore_choices() -> None:
    """Every translated choice read back as the option it names: a label of the other
    language, sent by the browser just after a language switch, is no value (it raised, or
    undid the user's choice). Run before anything reads the choices."""
    for key, (options, label) in CHOICES.items():
        if key in ss and ss[key] not in options:
            named = choice_named(ss[key], options, label)
            ss[key] = named if named is not None else ss.get(f"good_{key}", options[0])
        if key in ss:
            ss[f"good_{key}"] = ss[key]
    if ss.get("w_source") and choice_named(ss.w_source, [""], lambda _, lang: t("builtin_source", lang)) == "":
        ss.w_source = ""
    if "w_indicator" in ss and "w_zoning" in ss:
        try:
            iset = indicator_set(current_data(), ss.w_zoning)
        except CartohdfError:  # a source that does not load: its own callback says so
            return
        if ss.w_indicator not in iset.indicators:
            named = choice_named(ss.w_indicator, list(iset.indicators), lambda i, lang: iset.get(i).label(lang))
            if named is not None:
                ss.w_indicator = named


def restoring(callback: Callable[..., None]) -> Callable[..., None]:
    """A widget callback that reads the choices only once they are restored."""

    def run(*args: Any) -> None:
        restore_choices()
        callback(*args)

    return run


@restoring
def on_zoning_change() -> None:
    if ss.w_zoning == ss.get("zoning_drawn"):
        return  # a label sent back, not another zoning
    ss.w_zone = ""
    reseed_years()
    iset = indicator_set(current_data(), ss.w_zoning)
    ss.w_year, ss.w_period = iset.years[-1], iset.default_change


@restoring
def on_source_change() -> None:
    """Another employment source: keep it only if its data load (a damaged import is refused)."""
    try:
        view_data(ss.w_source, ss.get("w_upload_key", ""))
    except CartohdfError as exc:
        ss.source_msg, ss.w_source = exc, ss.get("good_source", "")
        return
    ss.source_msg, ss.good_source = None, ss.w_source
    reseed_years()


@restoring
def on_lang_change() -> None:
    """Every widget keeps its value: labels change with the language, and Streamlit treats a
    widget with a new label as a new widget, so the values are put back explicitly."""
    iset = indicator_set(current_data(), ss.w_zoning)
    state, _ = state_from_controls(ss, iset)
    breaks = ss.get("w_breaks", "")
    apply_state(replace(state, lang=ss.w_lang))
    ss.w_breaks = breaks  # as typed, even when it does not parse
    ss.w_lang_changed = True


def clear_zone() -> None:
    ss.w_zone, ss.w_search = "", ""


def on_layers() -> None:
    """The layer panel's boxes (already shown on the map by the browser) into the view."""
    shown = shown_layers((ss.get("layers_panel") or {}).get("shown"), (*S3_LAYERS, *OTHER_LAYERS))
    if shown is not None:
        for layer in (*S3_LAYERS, *OTHER_LAYERS):
            ss[f"w_{layer}"] = layer in shown


@restoring
def on_map_zone() -> None:
    """A zone chosen on the map (a click, a tap, Enter): the map names it; a code that is no
    zone of the région (a value crafted by hand) selects nothing."""
    code = picked_code((ss.get("map") or {}).get("zone"), load_dataset().zone_codes()[ss.w_zoning])
    ss.outside_click = None
    if code:
        ss.w_zone = code


@restoring
def on_map_outside() -> None:
    """A zone of France outside the région clicked (France scope): say why nothing opens."""
    ss.outside_click = outside_zone_text(load_dataset(), ss.w_zoning, (ss.get("map") or {}).get("outside"), ss.w_lang)


@restoring
def on_pick(key: str) -> None:
    """A zone chosen in the picker (the picker shown now: an older one's value, sent late by
    the browser, changes nothing; nor does a label of the other language, which the browser
    sends back as the value when the language has just changed)."""
    picked = ss[key] or ""
    if key == f"w_zone_pick_{ss.get('zone_pick', 0)}" and (
        not picked or picked in load_dataset().zone_names(ss.w_zoning)
    ):
        ss.w_zone = picked


@restoring
def on_search() -> None:
    """Typed text -> the best matching zone; say so when nothing matches."""
    names = dict(
        zip(*(load_dataset().zones[ss.w_zoning][c] for c in ("code", "name")), strict=True)
    )
    hits = search_zones(names, ss.get("w_search", ""))
    if hits:
        ss.w_zone = hits[0]
    ss.search_hits = [(c, names[c]) for c in hits]


def on_new_file() -> None:
    """Another file: its own columns, none chosen yet."""
    ss.upload_columns, ss.w_upload_column = [], None
    on_upload()


def on_upload() -> None:
    """A new file (or column): check it, keep it, show it. A rejected file changes nothing;
    a file with several value columns asks which one (the choice lists the file's columns)."""
    upload = ss.get("w_upload")
    if upload is None:  # the box emptied: the browser does so before sending a new file too,
        return  # so the indicator stays until « remove » is clicked
    raw, column = upload.getvalue(), ss.get("w_upload_column") or None
    stored: set[str] = ss.setdefault("stored_uploads", set())  # this session's, to bound them
    try:
        check_session_uploads(stored, upload_key(raw, upload.name, column))
        parsed = parse_upload_isolated(raw, upload.name, load_dataset().zone_codes(), column)
        key = store_upload(raw, upload.name, column)  # a full cache folder: a WriteError naming it
    except CartohdfError as exc:
        columns = value_columns_asked(exc)
        if columns:
            ss.upload_columns, ss.upload_msg = columns, ("choose", columns)
        else:
            ss.upload_msg = ("error", exc)
        return
    stored.add(key)
    ss.w_upload_key, ss.w_zoning, ss.w_indicator, ss.w_zone = key, parsed.zoning, USER_ID, ""
    ss.upload_msg = ("ok", parsed)


@restoring
def remove_upload() -> None:
    """Back to the built-in indicators (the upload leaves the view and its link)."""
    if ss.get("w_indicator") == USER_ID:
        ss.w_indicator = DEFAULT_INDICATOR
        ss.w_year = indicator_set(current_data(), ss.w_zoning).years[-1]
    ss.w_upload_key, ss.upload_msg = "", None


def upload_panel(lang: str) -> None:
    """Employment source and user indicator."""
    imports = list_imports()
    if ss.w_source and ss.w_source not in imports:
        imports.append(ss.w_source)
    if imports:
        st.selectbox(t("employment_source", lang), ["", *imports], key="w_source", on_change=on_source_change,
                     format_func=lambda n: n or t("builtin_source", lang))  # fmt: skip
    if ss.get("source_msg"):
        st.error(t("source_error", lang, msg=md_escape(ss.source_msg.message(lang))))
    st.file_uploader(t("upload", lang), type=UPLOAD_TYPES, key="w_upload", on_change=on_new_file,
                     help=t("upload_help", lang, max_mb=MAX_UPLOAD_BYTES // 1_000_000),
                     max_upload_size=MAX_UPLOAD_BYTES // 1_000_000)  # fmt: skip
    if ss.get("upload_columns"):  # the value columns of the file given, when it has several
        st.selectbox(t("upload_column", lang), ss.upload_columns, index=None, key="w_upload_column",
                     on_change=on_upload, placeholder=t("choose", lang))  # fmt: skip
    if ss.get("w_upload_key"):
        st.button(t("remove_upload", lang), on_click=remove_upload, key="remove_upload")
    kind, what = ss.get("upload_msg") or (None, None)
    if kind == "error":
        st.error(t("upload_error", lang, msg=md_escape(what.message(lang))))
    elif kind == "choose":
        st.warning(t("upload_choose_column", lang, columns=md_escape(", ".join(what))))
    elif kind == "ok":
        n = int(what.values.notna().sum())
        st.success(t("upload_ok", lang, label=md_escape(what.label), n=n, zoning=what.zoning))


# -- state: the link first, then the widgets --------------------------------------------------
if "w_zoning" not in ss:
    params = st.query_params.to_dict()
    try:
        asked, problem = from_query(params), None
    except CartohdfError as exc:  # a parameter the state itself refuses: default view
        lang0 = params.get("lang") if params.get("lang") in LANGS else "fr"
        asked, problem = MapState(lang=lang0), exc
    url_state, _, unavailable = open_state(asked)
    apply_state(url_state)
    ss.url_error = problem or unavailable
restore_choices()
lang = ss.w_lang
st.html(f"<style>{PANEL_CSS}{APP_CSS}{widget_words_css(lang, MAX_UPLOAD_BYTES // 1_000_000, UPLOAD_KINDS)}</style>")

with st.sidebar:
    st.radio(t("language", lang), LANGS, key="w_lang", horizontal=True, format_func=str.upper,
             on_change=on_lang_change)  # fmt: skip
    upload_panel(lang)
    st.header(t("sidebar_view", lang))
    own_data = bool(ss.get("w_source") or ss.get("w_upload_key"))
    if own_data:
        ss.w_scope = "region"
    st.radio(t("scope", lang), SCOPES, key="w_scope", format_func=label_in("w_scope", lang),
             disabled=own_data, help=t("scope_builtin_hint", lang) if own_data else None)  # fmt: skip
    st.radio(t("zoning", lang), ZONINGS, key="w_zoning", format_func=label_in("w_zoning", lang),
             on_change=on_zoning_change)  # fmt: skip
    ss.zoning_drawn = ss.w_zoning
    reseed_years()
    iset = indicator_set(current_data(), ss.w_zoning)
    st.selectbox(t("indicator", lang), list(iset.indicators), key="w_indicator",
                 format_func=lambda i: iset.get(i).label(lang), placeholder=t("choose", lang))  # fmt: skip
    kind = iset.get(ss.w_indicator).kind
    if kind == "change":
        st.select_slider(t("period", lang), options=iset.years, key="w_period")
    elif kind != "value":  # a user file has no year of ours
        st.selectbox(t("year", lang), iset.years, key="w_year", placeholder=t("choose", lang))
    st.selectbox(t("scheme", lang), SCHEMES, key="w_scheme", placeholder=t("choose", lang),
                 format_func=label_in("w_scheme", lang))  # fmt: skip
    if ss.w_scheme == "user":
        unit = breaks_unit(kind)
        st.text_input(t("breaks_label", lang, unit=t(unit, lang), example=t(f"breaks_example.{unit}", lang)),
                      key="w_breaks")  # fmt: skip
        _, breaks_problem = state_from_controls(ss, iset)
        if breaks_problem:
            st.error(t("breaks_error", lang, msg=md_escape(breaks_problem.message(lang))))
    st.slider(t("k", lang), *K_RANGE, key="w_k", disabled=ss.w_scheme == "user")
    st.selectbox(t("palette", lang), PALETTES, key="w_palette", placeholder=t("choose", lang),
                 format_func=label_in("w_palette", lang))  # fmt: skip
    st.radio(t("basemap", lang), BASEMAPS, key="w_basemap", format_func=label_in("w_basemap", lang),
             help=t("basemap_hint", lang))  # fmt: skip

st.title(t("app_title", lang))


def layer_controls(lang: str) -> None:
    """The layers, next to the map: a box shows or hides its layer at once in the browser,
    then reruns the map and panel only."""
    column = "domain_en" if lang == "en" else "domain_fr"
    s3 = [(f"s3_{domain_id}", f"{order}. {rows.iloc[0][column]}")
          for order, domain_id, rows in domains(load_dataset())]  # fmt: skip
    other = [(layer, t(f"{layer}_layer", lang)) for layer in OTHER_LAYERS]
    shown = {layer for layer in (*S3_LAYERS, *OTHER_LAYERS) if ss.get(f"w_{layer}")}
    ui()(data=layers_data(s3, other, shown, lang), key="layers_panel", on_shown_change=on_layers)


def current_state(lang: str) -> MapState:
    """The view the widgets ask for, resolved against its data (the default view of its
    zoning, with a message, when the data do not have it), and the link updated to it."""
    iset = indicator_set(current_data(), ss.w_zoning)
    state, _ = state_from_controls(ss, iset)
    try:
        state = resolve(state, current_data())
    except CartohdfError as exc:
        st.error(md_escape(exc.message(lang)))
        fallback = replace(MapState(zoning=state.zoning, lang=lang), source=state.source)
        state = resolve(fallback, current_data())
    # the link carries what differs from the default view (years filled in as the app shows them)
    link = state.to_query(base=resolve(MapState(zoning=state.zoning), load_dataset()))
    link = {"zoning": state.zoning, **link} if state.zoning != "ze2010" else link
    if st.query_params.to_dict() != link:
        st.query_params.from_dict(link)
    return state


def zone_row(lang: str, names: dict[str, str]):
    """Zone picker and search; returns the (still empty) downloads menu beside them."""
    pick, search, files = st.columns([5, 4, 3], vertical_alignment="bottom")
    # The zone is `w_zone`; the picker shows it. A picker showing another zone (the zone was
    # set by a click, a search, a link) is drawn anew under a new key: the value the browser
    # still holds for the old one — it may send it with a click made before the answer came —
    # is then dropped instead of undoing the click.
    options, zone = ["", *names], ss.get("w_zone") or ""
    key = f"w_zone_pick_{ss.get('zone_pick', 0)}"
    if key in ss and ss[key] != zone:
        ss.zone_pick = ss.get("zone_pick", 0) + 1
        key = f"w_zone_pick_{ss.zone_pick}"
    pick.selectbox(t("pick_zone", lang), options, index=options.index(zone) if zone in options else 0,
                   key=key, on_change=on_pick, args=(key,), filter_mode="contains",
                   format_func=lambda c: f"{names[c]} ({c})" if c else t("no_zone", lang))  # fmt: skip
    search.text_input(t("search_zone", lang), key="w_search", on_change=on_search,
                      placeholder=t("search_hint", lang))  # fmt: skip
    menu = files.popover(t("downloads", lang), width="stretch")
    if ss.get("w_search", "").strip() and "search_hits" in ss:
        hits = ss.search_hits
        if not hits:
            st.warning(t("no_match", lang, query=md_escape(ss.w_search.strip())))
        elif len(hits) > 1:
            zones = md_escape(", ".join(n for _, n in hits))
            st.caption(t("search_more", lang, n=len(hits), zones=zones))
    return menu


MIME = {"html": "text/html", "svg": "image/svg+xml", "png": "image/png", "pdf": "application/pdf",
        "csv": "text/csv", "geojson": "application/geo+json",
        "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}  # fmt: skip


def downloads(state: MapState, today: dt.date, lang: str) -> None:
    """The map as HTML (made now: a click gets it at once) and as PDF, PNG, SVG (made when
    clicked); the zone table; the zone's portrait and the atlas (made when clicked)."""
    src, up = state.source, state.upload
    groups: list[tuple[str, list[tuple[str, object, str]]]] = [
        ("dl_group_map", [("dl_html", html_of(state, today), map_file_name(state, "html"))]
         + [(f"download_{fmt}", partial(static_of, state, fmt, today), map_file_name(state, fmt))
            for fmt in ("pdf", "png", "svg")]),
        ("dl_group_table", [(f"dl_{kind}", table_of(state.zoning, fmt, src, up, lang), table_file_name(state, ext))
                            for kind, fmt, ext in (("csv_fr", "csv-fr", "csv"), ("xlsx", "xlsx", "xlsx"),
                                                   ("geojson", "geojson", "geojson"))]),
        ("dl_group_reports", ([("download_portrait", partial(portrait_of, state.zoning, state.zone, lang, src, up, today),
                                report_file_name(state, "pdf"))] if state.zone else [])
         + [("download_atlas", partial(atlas_of, state.zoning, lang, src, up, today), atlas_file_name(state, "pdf"))]),
    ]  # fmt: skip
    for title, items in groups:
        st.markdown(f"**{t(title, lang)}**")
        for key, payload, name in items:
            st.download_button(t(key, lang), data=payload, file_name=name, mime=MIME[name.rsplit(".", 1)[1]],
                               on_click="ignore", key=key, width="stretch")  # fmt: skip


def keep_in_page(name: str, key: str, payload: str) -> None:
    """A payload for the page's store (in a box of its own, not drawn)."""
    with st.container(key=f"store_{name}"):
        ui()(data={"kind": "store", "name": name, "key": key, "packed": payload}, key=f"{name}_store")


@st.fragment
def map_and_panel() -> None:
    """The map, the zone row, the layers, the downloads and the side panel. A click on the map,
    a layer or a zone reruns this part only: the sidebar is not sent again."""
    lang = ss.w_lang
    zones = load_dataset().zones[ss.w_zoning]
    names = dict(zip(zones["code"], zones["name"], strict=True))
    link_alert = st.empty()  # a bad link's message, until the user changes the view
    map_col, panel = st.columns([5, 3], gap="medium")
    with map_col:
        files = zone_row(lang, names)  # its downloads menu is filled last
        layer_controls(lang)
        state = current_state(lang)
    if ss.get("url_error"):
        opened = ss.setdefault("url_opened", replace(state, lang="fr"))
        if replace(state, lang="fr") == opened:
            link_alert.error(t("url_error", lang, msg=md_escape(ss.url_error.message(lang))))
        else:  # the view was corrected: the link's problem is gone
            ss.url_error = None
    with map_col:
        view = view_plan(state)
        warning = one_class_warning(
            view.classes, view.values.values, view.values.indicator.kind, lang
        )
        if warning:
            st.warning(warning)
        today = clock.today()
        # the map page once per view (a reference to it afterwards); a click changes the view only
        page_key, page = map_page_of(page_state(state), today)
        keep_in_page("map", page_key, page)
        ui()(data={"kind": "map", "page": page_key, "view": view_message(view), "height": MAP_HEIGHT,
                   "title": t("map_frame", lang)}, key="map", height=MAP_HEIGHT,
             on_zone_change=on_map_zone, on_outside_change=on_map_outside)  # fmt: skip
        if ss.get("outside_click") and state.scope == "france" and not state.zone:
            st.info(md_escape(ss.outside_click))
        with st.container(key="click_hint"):  # the side panel hides it at once on a click
            if not state.zone:
                st.caption(t("click_hint", lang))
    with panel:
        change = view.values.indicator.kind == "change"
        years = (state.year, state.base_year if change else None)  # the profile shows the map's
        strip = strip_indicator(view.data, state.zoning, state.year) == (state.indicator, state.year)
        bounds = tuple(view.classes.bins[:-1]) if strip and view.classes is not None else ()
        view_key = (state.zoning, lang, state.source, state.upload, bounds, years)
        pages_key, pages = pages_of(*view_key)
        ui()(data=side_data(state.zone, pages_key, lang), key="side_panel", on_clear_change=clear_zone)
        keep_in_page("pages", pages_key, pages)
    with files:  # last: the panel is sent before the files are made
        downloads(state, today, lang)


map_and_panel()
