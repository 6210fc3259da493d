"""The app's session: what its widgets hold, what their callbacks do, and the one cache layer
the app draws from (`core.memo`: thread-safe, bounded). No Streamlit here: a session is a
mutable mapping (Streamlit's ``session_state`` in the app, a dict in tests) and every function
takes it; ``streamlit_app.py`` only draws the widgets and hands them these callbacks.

Caches are keyed by what they depend on, an import by its content digest too: an import
replaced under its name is read again, and what was drawn from the old one ages out.
"""

from __future__ import annotations

import datetime as dt
import gc
from collections.abc import Callable, Mapping, MutableMapping
from dataclasses import replace
from functools import partial
from typing import Any, cast

from cartohdf.compose import Plan, plan
from cartohdf.core import (
    BASEMAPS,
    IMPORT_COMMAND,
    INDUSTRIAL_A38,
    LANGS,
    LEVELS,
    OTHER_LAYERS,
    PALETTES,
    S3_LAYERS,
    SCHEMES,
    SCOPES,
    USER_ID,
    ZONINGS,
    CartohdfError,
    memo,
    t,
)
from cartohdf.data import (
    Dataset,
    check_session_uploads,
    dataset_for,
    import_digest,
    load_dataset,
    store_upload,
    upload_key,
)
from cartohdf.export import (
    atlas_pdf,
    compared_view,
    comparison_bytes,
    map_file,
    map_html,
    portrait_pdf,
    unit_table_bytes,
    zone_table_bytes,
)
from cartohdf.front._mappage import app_page, packed
from cartohdf.front.app import (
    atlas_file_name,
    choice_named,
    comparison_file_name,
    layers_data,
    map_file_name,
    md_escape,
    outside_zone_text,
    pages_data,
    parse_upload_isolated,
    picked_code,
    report_file_name,
    search_zones,
    shown_layers,
    side_data,
    table_file_name,
    value_columns_asked,
)
from cartohdf.front.app import (
    compare_widget as compare_widget_args,
)
from cartohdf.indicators import (
    SECTOR_MAP_MEASURES,
    IndicatorSet,
    indicator_set,
    level_set,
    study_comparison_note,
    unit_codes,
)
from cartohdf.render import (
    compare,
    comparison_html,
    domains,
    esc,
    key_figures,
    level_overview,
    overview_html,
    per_mille,
    profile_html,
    sector_chart_data,
    sector_losses,
    strip_indicator,
    unit_pages,
    within_button,
    zone_profile,
)
from cartohdf.state import (
    COMPARE_RANGE,
    DEFAULT_INDICATOR,
    DEFAULT_SECTOR,
    DEFAULT_SECTOR_MEASURE,
    SECTOR_CHOICE,
    MapState,
    chosen_indicator,
    controls_from_state,
    from_query,
    indicator_options,
    open_state,
    resolve,
    state_from_controls,
)
from cartohdf.view import SectorMix

Session = MutableMapping[str, Any]
LAYER_IDS = (*S3_LAYERS, *OTHER_LAYERS)

# -- caches ------------------------------------------------------------------------------------


@memo.memoized()
def settle_memory() -> None:
    """Once per process (the first run), after the data are loaded: they live as long as the process, so the
    garbage collector need not scan them again (`gc.freeze`). A full collection over them
    paused a page's run for about 0.3 s between two widgets (measured in Chromium). No
    collection first: it would cost the first page as much."""
    load_dataset()
    gc.freeze()



def digest(source: str) -> str:
    return import_digest(source) if source else ""


@memo.memoized(size=8)
def _data(source: str, upload: str, digest: str) -> Dataset:  # digest: part of the key
    return dataset_for(source, upload)


def view_data(source: str, upload: str) -> Dataset:
    """The data a view names: built-in, or with its import and upload applied."""
    return _data(source, upload, digest(source))


def _state_key(state: MapState, *rest: object) -> tuple[object, ...]:
    return (state, digest(state.source), *rest)


@memo.memoized(size=32, key=_state_key)
def view_plan(state: MapState) -> Plan:
    return plan(state, view_data(state.source, state.upload))


@memo.memoized(size=16, key=_state_key)
def map_page(state: MapState, day: dt.date, urls: tuple[str, ...]) -> tuple[str, str]:
    """A view's map page (`state` as `page_state` gives it), packed for the page's store."""
    return packed({"html": app_page(state, view_data(state.source, state.upload), day, list(urls))})


def _view_key(zoning: str, lang: str, source: str, *rest: object) -> tuple[object, ...]:
    return (zoning, lang, source, digest(source), *rest)


@memo.memoized(size=512, key=lambda zoning, code, lang, source, *rest: _view_key(zoning, lang, source, code, *rest))
def profile(zoning: str, code: str, lang: str, source: str, upload: str, breaks: tuple[float, ...],
            years: tuple[int | None, int | None]) -> tuple[str, str, SectorMix | None]:  # fmt: skip
    """A zone's heading, profile HTML and sector mix (ZE2020, built-in data; else None);
    `breaks`: the map's class bounds, drawn on the national strip when the map shows the
    strip's indicator (else empty: one profile for every other view); `years`: the map's
    year and, for a change, its start year."""
    data = view_data(source, upload)
    p = zone_profile(data, zoning, code, lang, *years)
    note = ""
    if p.zoning == "ze2020":
        zones = ", ".join(f"{data.zone_name('ze2010', z)} ({z})" for z in p.study_zones)
        note = t("statements_ze2020", lang, zones=zones)
    html = profile_html(p, lang, note, breaks, len(data.regional_zones(zoning)))
    if "commune" in data.areas:  # an import with its communes: they can be drawn
        html = within_button(code, t("see_communes", lang)) + html
    return f"{p.name} ({p.code})", html, p.sector_mix


@memo.memoized(size=4)
def overview(lang: str) -> str:
    data = load_dataset()
    sectors = (sector_losses(data, lang), study_comparison_note(data, lang))
    return overview_html(key_figures(data, lang), compare(data, lang), lang, sectors)


@memo.memoized(size=16, key=_view_key)
def pages(zoning: str, lang: str, source: str, upload: str, breaks: tuple[float, ...],
          years: tuple[int | None, int | None], level: str = "zone", within: str = "") -> tuple[str, str]:  # fmt: skip
    """Every page the side panel can show in a view (each zone's profile, the overview; at a
    level below the zone, each unit's page and the level's), packed for the page's store:
    built once, and sent to a browser once."""
    data = view_data(source, upload)
    if level != "zone":
        codes = unit_codes(data, level, zoning, within)
        year = years[0] if years[0] is not None else level_set(data, level, zoning).years[-1]
        units = unit_pages(data, level_set(data, level, zoning), level, codes, zoning, year, lang)
        return packed(pages_data(units, level_overview(data, level, zoning, within, len(codes), lang)))
    profiles = {c: profile(zoning, c, lang, source, upload, breaks, years) for c in data.zones[zoning]["code"]}
    zones = {c: (heading, html) for c, (heading, html, _) in profiles.items()}
    mixes = {c: mix for c, (_, _, mix) in profiles.items() if mix is not None}
    chart = sector_chart_data(next(iter(mixes.values())), lang) if mixes else None
    bars = {c: {"name": data.zone_name(zoning, c), "v": per_mille(mix.zone)} for c, mix in mixes.items()}
    return packed(pages_data(zones, (t("overview", lang), overview(lang)), chart, bars))


@memo.memoized(size=4)
def first_pages(lang: str) -> tuple[str, str]:
    """The side panel's pages until the session's first map is drawn: the overview alone."""
    return packed(pages_data({}, (t("overview", lang), overview(lang)), partial=True))


def side_pages(ss: Session, state: MapState, view: Plan) -> tuple[str, str]:
    """The side panel's pages for this run. Every zone's profile (0.4–0.7 s to make for a view
    the process has not shown yet) waits for the session's first map to be drawn, unless a
    zone is shown: made at once, they held the server while the browser fetched the map's
    scripts from it, on the way of the first map."""
    if waits_for_map(ss, state):
        return first_pages(state.lang)
    ss["all_pages"] = True  # and from now on (the overview alone would come back after a zone)
    return pages(*view_key(view))


def waits_for_map(ss: Session, state: MapState) -> bool:
    """The map is to say when it is first drawn (`on_map_drawn`): the panel waits for it (not
    with a zone shown, nor at a level below the zone, whose pages have their own overview)."""
    return not (state.zone or ss.get("all_pages") or state.level != "zone")


@memo.memoized(size=32, key=_state_key)
def html_file(state: MapState, day: dt.date) -> bytes:
    return map_html(view_plan(state), day).encode("utf-8")


@memo.memoized(size=16, key=_view_key)
def table_file(zoning: str, lang: str, source: str, upload: str, fmt: str, level: str = "zone",
               within: str = "") -> bytes:  # fmt: skip
    """The table behind the map: the zones, or at a level below the zone the units it draws."""
    if level != "zone":
        return unit_table_bytes(view_data(source, upload), level, zoning, fmt, within, lang)
    return zone_table_bytes(view_data(source, upload), zoning, fmt, lang=lang)


@memo.memoized(size=16, key=_state_key)
def static_file(state: MapState, fmt: str, day: dt.date) -> bytes:
    return map_file(view_plan(state), fmt, day)  # a PDF of a comparison: its pages too


def report_view(state: MapState) -> MapState:
    """What a report (portrait, atlas) follows of a view: its map (indicator — a sector's
    included —, years, classes), not the zone shown nor the layers ticked."""
    return replace(state, zone=None, layers=frozenset())


@memo.memoized(size=32, key=_state_key)
def portrait_file(view: MapState, code: str, day: dt.date) -> bytes:
    """A zone's portrait, its locator map in the classes of `view` (`report_view`)."""
    return portrait_pdf(view_data(view.source, view.upload), view.zoning, code, view.lang, day, view)


@memo.memoized(size=4, key=_state_key)
def atlas_file(view: MapState, day: dt.date) -> bytes:
    """The atlas of the view's zoning, following the map of `view` (`report_view`)."""
    return atlas_pdf(view_data(view.source, view.upload), view.zoning, view.lang, day, view)


MIME = {"html": "text/html", "svg": "image/svg+xml", "png": "image/png", "pdf": "application/pdf",
        "csv": "text/csv", "geojson": "application/geo+json",
        "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}  # fmt: skip


Downloads = list[tuple[str, list[tuple[str, Any, str]]]]  # (title key, [(label key, file, name)])
Axes = tuple[str | None, str | None]  # the scatter's indicators asked (None: the default)


def map_downloads(state: MapState, day: dt.date) -> Downloads:
    """The map's files: the HTML file made now (it then stays with the session whatever other
    sessions do: a file made at the click can be dropped by their runs before the browser
    fetches it), PDF, PNG and SVG when clicked. The app draws them with the view, before the
    map: a click never gets the file of the view before."""
    return [("dl_group_map", [("dl_html", html_file(state, day), map_file_name(state, "html"))]
             + [(f"download_{fmt}", partial(static_file, state, fmt, day), map_file_name(state, fmt))
                for fmt in ("pdf", "png", "svg")])]  # fmt: skip


def first_map(ss: Session) -> bool:
    """Whether this run draws the session's first map. A new view's files are drawn before its
    map (a click never gets the file of the view before); a first map has no earlier files to
    replace: it goes first, its files after the panel (the HTML file, made at once, took
    0.05 s of a new process's first page)."""
    first = not ss.get("map_sent")
    ss["map_sent"] = True
    return first


def other_downloads(state: MapState, day: dt.date, lang: str, axes: Axes = (None, None),
                    with_map: bool = False) -> Downloads:  # fmt: skip
    """The comparison's files, the zone tables, the zone's portrait and the atlas, each made when
    clicked (and then kept: the tables change only with the zoning, the language or the data).
    Made at once, the tables took 0.2–0.4 s of the first run, while the browser was fetching
    the map's scripts from the same process. The app draws them after the map and the panel;
    `with_map`: the map's files first (`map_downloads`: a session's first map, `first_map`)."""
    z, src, up = state.zoning, state.source, state.upload
    view = report_view(replace(state, lang=lang))
    reports = [("download_portrait", partial(portrait_file, view, state.zone, day),
                report_file_name(state, "pdf"))] if state.zone and state.level == "zone" else []  # fmt: skip
    return [
        *(map_downloads(state, day) if with_map else []),
        *comparison_downloads(state, axes),
        ("dl_group_table", [(f"dl_{kind}", partial(table_file, z, lang, src, up, fmt, state.level, state.within),
                             table_file_name(state, ext))
                            for kind, fmt, ext in (("csv_fr", "csv-fr", "csv"), ("xlsx", "xlsx", "xlsx"),
                                                   ("geojson", "geojson", "geojson"))]),
        ("dl_group_reports", [*reports, ("download_atlas", partial(atlas_file, view, day),
                                          atlas_file_name(state, "pdf"))]),
    ]  # fmt: skip


# -- the session's view ------------------------------------------------------------------------


def current_data(ss: Session) -> Dataset:
    return view_data(ss.get("w_source", ""), ss.get("w_upload_key", ""))


def apply_state(ss: Session, state: MapState) -> None:
    """Put a resolved state into the widgets."""
    iset = indicator_set(view_data(state.source, state.upload), state.zoning)
    for key, value in controls_from_state(state, iset).items():
        ss[key] = value


def start_run(ss: Session, params: Mapping[str, str]) -> str:
    """Every run: the process's data settled, the link read in a session's first run, the
    choices restored; returns the language of the page. The garbage collector is on again
    after the data are settled, whatever happens: the app turns it off for a session's first
    run, whose imports and data load allocate much and free little (their collections took
    0.07–0.13 s of a new process's first page)."""
    try:
        settle_memory()
    finally:
        gc.enable()
    if "w_zoning" not in ss:
        open_link(ss, params)
    restore_choices(ss)
    return str(ss["w_lang"])


def view_controls(ss: Session) -> tuple[bool, IndicatorSet, bool]:
    """Before the map's part and the sidebar (drawn after the map, so that the browser draws
    the map first): whether the view uses the user's own data (the map of France then cannot
    be chosen) and the indicators of the zoning shown, the years, the indicator and the
    compared zones kept valid for them; what the sidebar shows (`sidebar_stale`); whether the
    data have the levels below the zone (if not, the view is put back at the zone level here,
    before the map: `has_levels`)."""
    own_data = bool(ss.get("w_source") or ss.get("w_upload_key"))
    if own_data:
        ss["w_scope"] = "region"
    levels = has_levels(ss)
    ss["zoning_drawn"], ss["level_drawn"] = ss["w_zoning"], ss.get("w_level", "zone")
    if "w_compare" in ss:  # the zones of the map offered (a file in another zoning changes it)
        ss["w_compare"] = _compared(ss)
    ss["compare_drawn"] = list(ss.get("w_compare") or [])  # what the sidebar's choice shows
    reseed_years(ss)
    return own_data, indicator_set(current_data(ss), ss["w_zoning"]), levels


def open_link(ss: Session, params: Mapping[str, str]) -> None:
    """The first run of a session: the widgets set from the link (the default view, with the
    reason, when the link asks for what cannot be shown)."""
    try:
        asked, problem = from_query(dict(params)), None
    except CartohdfError as exc:  # a parameter the state itself refuses: default view
        lang = params.get("lang") if params.get("lang") in LANGS else "fr"
        asked, problem = MapState(lang=lang or "fr"), exc
    state, _, unavailable = open_state(asked)
    apply_state(ss, state)
    ss["url_error"] = problem or unavailable


def reseed_years(ss: Session) -> None:
    """Keep the year widgets (and the indicator) valid for the zoning and data shown."""
    iset = indicator_set(current_data(ss), ss["w_zoning"])
    if ss.get("w_indicator") not in indicator_options(iset):
        ss["w_indicator"] = DEFAULT_INDICATOR
    ss.setdefault("w_sector", DEFAULT_SECTOR)  # Streamlit drops a widget's value while it is not drawn
    ss.setdefault("w_sector_measure", DEFAULT_SECTOR_MEASURE)
    if ss.get("w_year") not in iset.years:
        ss["w_year"] = iset.years[-1]
    period = ss.get("w_period")
    if not (isinstance(period, tuple | list) and len(period) == 2 and all(y in iset.years for y in period)):
        ss["w_period"] = iset.default_change


def view_state(ss: Session) -> tuple[MapState, CartohdfError | None]:
    """The view the widgets ask for, resolved against its data (the default view of its
    zoning, with the reason, when the data do not have it)."""
    iset = indicator_set(current_data(ss), ss["w_zoning"])
    state, _ = state_from_controls(ss, iset)
    try:
        return resolve(state, current_data(ss)), None
    except CartohdfError as exc:
        fallback = replace(MapState(zoning=state.zoning, lang=state.lang), source=state.source)
        return resolve(fallback, current_data(ss)), exc


def link_of(state: MapState) -> dict[str, str]:
    """The link of a view: what differs from the default view (years filled in as shown)."""
    link = state.to_query(base=resolve(MapState(zoning=state.zoning), load_dataset()))
    return {"zoning": state.zoning, **link} if state.zoning != "ze2010" else link


def link_problem(ss: Session, state: MapState) -> CartohdfError | None:
    """The link's problem while the view is the one it opened (gone once the user changes it)."""
    if ss.get("url_error"):
        opened = ss.setdefault("url_opened", replace(state, lang="fr"))
        if replace(state, lang="fr") == opened:
            return ss["url_error"]
        ss["url_error"] = None  # the view was corrected: the link's problem is gone
    return None


def view_key(view: Plan) -> tuple[Any, ...]:
    """What a view's side panel depends on: zoning, language, data, the class bounds drawn on
    the strip (when the map shows the strip's indicator), the map's year (and start year)."""
    s = view.state
    years = (s.year, s.base_year if view.values.indicator.kind == "change" else None)
    strip = strip_indicator(view.data, s.zoning, s.year) == (s.indicator, s.year)
    bounds = tuple(view.classes.bins[:-1]) if strip and view.classes is not None else ()
    return (s.zoning, s.lang, s.source, s.upload, bounds, years, s.level, s.within)


# -- translated choices ------------------------------------------------------------------------

CHOICES: dict[str, tuple[tuple[str, ...], Callable[[Any, str], str]]] = {
    "w_scope": (SCOPES, lambda s, lang: t(f"scope_{s}", lang)),
    "w_zoning": (ZONINGS, lambda z, lang: t(f"zoning_{z}", lang)),
    "w_scheme": (SCHEMES, lambda s, lang: t(f"scheme_{s}", lang)),
    "w_palette": (PALETTES, lambda p, lang: t("palette_auto", lang) if p == "auto" else p),
    "w_basemap": (BASEMAPS, lambda b, lang: t(f"basemap_{b}", lang)),
    "w_sector": (INDUSTRIAL_A38, lambda c, lang: f"{t(f'a38.{c}', lang)} ({c})"),
    "w_sector_measure": (tuple(SECTOR_MAP_MEASURES), lambda m, lang: t(f"sect.map.{m}", lang)),
    "w_level": (LEVELS, lambda lv, lang: t(f"level_{lv}", lang)),
}  # the choices drawn with translated labels (the indicator's and the source's: below)


def label_in(key: str, lang: str) -> Callable[[Any], str]:
    """The labels a choice is drawn with (the same that `restore_choices` reads back)."""
    return lambda option: CHOICES[key][1](option, lang)


def restore_choices(ss: Session) -> None:
    """Every translated choice read back as the option it names: a label of the other
    language, sent by the browser just after a language switch, is no value (it raised, or
    undid the user's choice). Run before anything reads the choices."""
    for key, (options, label) in CHOICES.items():
        if key in ss and ss[key] not in options:
            named = choice_named(ss[key], options, label)
            ss[key] = named if named is not None else ss.get(f"good_{key}", options[0])
        if key in ss:
            ss[f"good_{key}"] = ss[key]
    if ss.get("w_source") and choice_named(ss["w_source"], [""], lambda _, lang: t("builtin_source", lang)) == "":
        ss["w_source"] = ""
    if "w_indicator" in ss and "w_zoning" in ss:
        try:
            iset = indicator_set(current_data(ss), ss["w_zoning"])
        except CartohdfError:  # a source that does not load: its own callback says so
            return
        entries = indicator_options(iset)
        if ss["w_indicator"] not in entries:
            named = choice_named(ss["w_indicator"], entries, lambda i, lang: indicator_label(iset, lang)(i))
            if named is not None:
                ss["w_indicator"] = named


def indicator_label(iset: IndicatorSet, lang: str) -> Callable[[str], str]:
    """The indicator box's labels (the entry of every sector map included)."""
    return lambda i: t("sect.choice", lang) if i == SECTOR_CHOICE else iset.get(i).label(lang)


def sector_hint(ss: Session, lang: str) -> str:
    """Where sector maps are not offered or cannot be drawn, what they need ("" elsewhere)."""
    sectors = indicator_set(current_data(ss), ss["w_zoning"]).sectors is not None
    chosen = ss.get("w_indicator") == SECTOR_CHOICE and ss.get("w_sector_measure") != "specialisation"
    if sectors and (ss.get("w_scope") != "france" or not chosen):  # indices: France's tables have them
        return ""
    return t("sect.needs", lang)


def picked_indicator(ss: Session) -> str:
    """The indicator id the widgets name (a sector map: its sector and measure)."""
    return chosen_indicator(ss, indicator_set(current_data(ss), ss["w_zoning"]))


def restoring(callback: Callable[..., None]) -> Callable[..., None]:
    """A widget callback that reads the choices only once they are restored."""

    def run(ss: Session, *args: Any) -> None:
        restore_choices(ss)
        callback(ss, *args)

    return run


# -- callbacks ---------------------------------------------------------------------------------


@restoring
def on_zoning_change(ss: Session) -> None:
    if ss["w_zoning"] == ss.get("zoning_drawn"):
        return  # a label sent back, not another zoning
    ss["w_zone"], ss["w_compare"] = "", []  # the zones of another zoning
    reseed_years(ss)
    iset = indicator_set(current_data(ss), ss["w_zoning"])
    ss["w_year"], ss["w_period"] = iset.years[-1], iset.default_change


@restoring
def on_source_change(ss: Session) -> None:
    """Another employment source: keep it only if its data load (a damaged import is refused)."""
    try:
        view_data(ss["w_source"], ss.get("w_upload_key", ""))
    except CartohdfError as exc:
        ss["source_msg"], ss["w_source"] = exc, ss.get("good_source", "")
        return
    ss["source_msg"], ss["good_source"] = None, ss["w_source"]
    reseed_years(ss)


@restoring
def on_lang_change(ss: Session) -> None:
    """Every widget keeps its value: labels change with the language, and Streamlit treats a
    widget with a new label as a new widget, so the values are put back explicitly."""
    iset = indicator_set(current_data(ss), ss["w_zoning"])
    state, _ = state_from_controls(ss, iset)
    breaks, compared = ss.get("w_breaks", ""), ss.get("w_compare", [])
    apply_state(ss, replace(state, lang=ss["w_lang"]))
    ss["w_breaks"], ss["w_compare"] = breaks, compared  # as typed and picked (one zone too)
    ss["w_lang_changed"] = True


def clear_zone(ss: Session) -> None:
    ss["w_zone"], ss["w_search"] = "", ""


def on_layers(ss: Session) -> None:
    """The layer panel's boxes (already shown on the map by the browser) into the view."""
    shown = shown_layers((ss.get("layers_panel") or {}).get("shown"), LAYER_IDS)
    if shown is not None:
        for layer in LAYER_IDS:
            ss[f"w_{layer}"] = layer in shown


@restoring
def on_map_zone(ss: Session) -> None:
    """A zone chosen on the map (a click, a tap, Enter): the map names it; a code that is no
    zone of the région (a value crafted by hand) selects nothing. At a level below the zone,
    the map names one of its units."""
    code = picked_code((ss.get("map") or {}).get("zone"), selectable(ss))
    ss["outside_click"] = None
    if code:
        ss["w_zone"] = code


def on_map_drawn(ss: Session) -> None:
    """The session's first map is drawn: what could wait (every zone's profile) comes now."""
    ss["all_pages"] = True


@restoring
def on_map_outside(ss: Session) -> None:
    """A zone of France outside the région clicked (France scope): say why nothing opens."""
    code = (ss.get("map") or {}).get("outside")
    ss["outside_click"] = outside_zone_text(load_dataset(), ss["w_zoning"], code, ss["w_lang"])


def selectable(ss: Session) -> list[str]:
    """The codes a click on the map may select: the zones, or the units of the level drawn."""
    level = ss.get("w_level") or "zone"
    if level == "zone" or not ss.get("w_source"):
        return load_dataset().zone_codes()[ss["w_zoning"]]
    try:
        return unit_codes(current_data(ss), level, ss["w_zoning"], ss.get("w_within") or "")
    except CartohdfError:  # an import without the level: nothing to select
        return []


def choose_zone(ss: Session, code: str) -> None:
    """A zone picked or found: selected, or at a level below the zone, its communes drawn."""
    if (ss.get("w_level") or "zone") != "zone" and code:
        ss["w_level"], ss["w_within"], ss["w_zone"] = "commune", code, ""
    else:
        ss["w_zone"] = code


def levels_available(ss: Session) -> bool:
    """Whether the data chosen have the levels below the zone (an import with its tables)."""
    try:
        return bool(ss.get("w_source")) and "commune" in current_data(ss).areas
    except CartohdfError:
        return False


def has_levels(ss: Session) -> bool:
    """`levels_available`; if not, the map is put back at the zone level (`view_controls`
    calls it, before the map and the level's widget are drawn)."""
    levels = levels_available(ss)
    if not levels:
        if (ss.get("w_level") or "zone") != "zone":  # its selected unit is no zone
            ss["w_zone"] = ""
        ss["w_level"], ss["w_within"] = "zone", ""
    return levels


def level_note(ss: Session, lang: str) -> str | None:
    """Why the levels below the zone cannot be chosen, and the command that gives them."""
    if levels_available(ss):
        return None
    return t("level_needs_import", lang, command=IMPORT_COMMAND)


def sidebar_stale(ss: Session) -> bool:
    """Whether a click in the map's part of the page changed what the sidebar shows since it
    was drawn: the level (« Voir les communes », a zone picked at a level below the zone) or
    the zones compared (a Shift+click, the profile's « Comparer »). The whole page is then
    drawn again, or the sidebar's choice would send its old value back. (The comparison's
    choice is in the sidebar, not in the map's part: a click, which reruns only that part,
    does not send its 28 options again.)"""
    level = "level_drawn" in ss and ss.get("w_level") != ss["level_drawn"]
    return level or ("compare_drawn" in ss and list(ss.get("w_compare") or []) != ss["compare_drawn"])


def on_level_change(ss: Session) -> None:
    """Another level: the whole région's units, none selected."""
    ss["w_within"], ss["w_zone"] = "", ""


@restoring
def on_within(ss: Session) -> None:
    """« Voir les communes » in a zone's profile (its code), or the way back to the zones
    (empty: the zone whose communes were shown is selected again)."""
    asked = (ss.get("side_panel") or {}).get("within")
    if not isinstance(asked, str):
        return
    if asked in load_dataset().zone_codes()[ss["w_zoning"]] and levels_available(ss):
        ss["w_level"], ss["w_within"], ss["w_zone"] = "commune", asked, ""
    elif asked == "":
        back = ss.get("w_within") or ""
        ss["w_level"], ss["w_within"], ss["w_zone"] = "zone", "", back


@restoring
def on_pick(ss: Session, key: str) -> None:
    """A zone chosen in the picker (the picker shown now: an older one's value, sent late by
    the browser, changes nothing; nor does a label of the other language, which the browser
    sends back as the value when the language has just changed)."""
    picked = ss[key] or ""
    if key == picker_key(ss) and (not picked or picked in load_dataset().zone_names(ss["w_zoning"])):
        choose_zone(ss, picked)


def picker_key(ss: Session) -> str:
    return f"w_zone_pick_{ss.get('zone_pick', 0)}"


def picker_zone(ss: Session) -> str:
    """The zone the picker shows: the selected one, or the zone whose communes are drawn."""
    if (ss.get("w_level") or "zone") != "zone":
        return ss.get("w_within") or ""
    return ss.get("w_zone") or ""


def new_picker_key(ss: Session) -> str:
    """The zone picker's key. The zone is `w_zone`; the picker shows it. A picker showing
    another zone (the zone was set by a click, a search, a link) is drawn anew under a new key:
    the value the browser still holds for the old one — it may send it with a click made before
    the answer came — is then dropped instead of undoing the click."""
    key = picker_key(ss)
    if key in ss and ss[key] != picker_zone(ss):
        ss["zone_pick"] = ss.get("zone_pick", 0) + 1
    return picker_key(ss)


@restoring
def on_search(ss: Session) -> None:
    """Typed text -> the best matching zone; say so when nothing matches."""
    zones = load_dataset().zones[ss["w_zoning"]]
    names = dict(zip(zones["code"], zones["name"], strict=True))
    hits = search_zones(names, ss.get("w_search", ""))
    if hits:
        choose_zone(ss, hits[0])
    ss["search_hits"] = [(c, names[c]) for c in hits]


def on_new_file(ss: Session) -> None:
    """Another file: its own columns, none chosen yet."""
    ss["upload_columns"], ss["w_upload_column"] = [], None
    on_upload(ss)


def on_upload(ss: Session) -> None:
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
            ss["upload_columns"], ss["upload_msg"] = columns, ("choose", columns)
        else:
            ss["upload_msg"] = ("error", exc)
        return
    stored.add(key)
    ss["w_upload_key"], ss["w_zoning"], ss["w_indicator"], ss["w_zone"] = key, parsed.zoning, USER_ID, ""
    ss["upload_msg"] = ("ok", parsed)


@restoring
def remove_upload(ss: Session) -> None:
    """Back to the built-in indicators (the upload leaves the view and its link)."""
    if ss.get("w_indicator") == USER_ID:
        ss["w_indicator"] = DEFAULT_INDICATOR
        ss["w_year"] = indicator_set(current_data(ss), ss["w_zoning"]).years[-1]
    ss["w_upload_key"], ss["upload_msg"] = "", None


# -- what the widgets show ---------------------------------------------------------------------


def upload_message(ss: Session, lang: str) -> tuple[str, str] | None:
    """The upload's outcome as (Streamlit element: "error", "warning" or "success", text)."""
    kind, what = ss.get("upload_msg") or (None, None)
    what = cast(Any, what)  # the error, the columns or the parsed file, as `kind` says
    if kind == "error":
        return "error", t("upload_error", lang, msg=md_escape(what.message(lang)))
    if kind == "choose":
        return "warning", t("upload_choose_column", lang, columns=md_escape(", ".join(what)))
    if kind == "ok":
        n = int(what.values.notna().sum())
        return "success", t("upload_ok", lang, label=md_escape(what.label), n=n, zoning=what.zoning)
    return None


def search_message(ss: Session, lang: str) -> tuple[str, str] | None:
    """What a search found, when it is not one zone: nothing, or several (named)."""
    if not ss.get("w_search", "").strip() or "search_hits" not in ss:
        return None
    hits = ss["search_hits"]
    if not hits:
        return "warning", t("no_match", lang, query=md_escape(ss["w_search"].strip()))
    if len(hits) > 1:
        return "caption", t("search_more", lang, n=len(hits), zones=md_escape(", ".join(n for _, n in hits)))
    return None


def layer_panel(ss: Session, lang: str) -> dict[str, object]:
    """What the layer panel is given: the S3 domains, the other layers, the boxes ticked."""
    column = "domain_en" if lang == "en" else "domain_fr"
    s3 = [(f"s3_{d}", f"{n}. {rows.iloc[0][column]}") for n, d, rows in domains(load_dataset())]
    other = [(layer, t(f"{layer}_layer", lang)) for layer in OTHER_LAYERS]
    return layers_data(s3, other, {layer for layer in LAYER_IDS if ss.get(f"w_{layer}")}, lang)


# -- zones compared ----------------------------------------------------------------------------

def _compare_key(state: MapState, *rest: object) -> tuple[object, ...]:
    """What a comparison depends on: the zones, zoning, year (or period), language, data."""
    return (state.zoning, state.compare, state.year, state.base_year, state.lang, state.source,
            digest(state.source), state.upload, *rest)  # fmt: skip


def _period(state: MapState) -> tuple[int, int] | None:
    return (state.base_year, state.year) if state.base_year is not None and state.year is not None else None


@memo.memoized(size=16, key=_compare_key)
def comparison_page(state: MapState, axes: Axes) -> tuple[str, str]:
    """The side panel's comparison page of a view that compares zones, packed for the page's
    store: its heading and HTML (indicators and ranks, index chart, scatter with its pickers)."""
    data = view_data(state.source, state.upload)
    view = compared_view(data, state.zoning, state.compare, state.lang, state.year, axes, _period(state))
    iset = indicator_set(data, state.zoning)
    options = [(i, ind.label(state.lang)) for i, ind in iset.indicators.items() if ind.kind != "value"]
    html = comparison_html(view.comparison, view.scatter, options, state.lang, view.import_file)
    return packed({"heading": esc(t("cmpz.title", state.lang)), "html": html})


@memo.memoized(size=16, key=_compare_key)
def comparison_file(state: MapState, axes: Axes, fmt: str) -> bytes:
    data = view_data(state.source, state.upload)
    view = compared_view(data, state.zoning, state.compare, state.lang, state.year, axes, _period(state))
    return comparison_bytes(view, fmt)


def comparison_downloads(state: MapState, axes: Axes = (None, None)) -> Downloads:
    """The comparison's table (CSV for Excel, XLSX: made now, they are small) and its PDF
    report (made when clicked), when the view compares zones."""
    if not state.compare:
        return []
    return [("cmpz.dl_group", [
        ("cmpz.dl_csv", comparison_file(state, axes, "csv"), comparison_file_name(state, "csv")),
        ("cmpz.dl_xlsx", comparison_file(state, axes, "xlsx"), comparison_file_name(state, "xlsx")),
        ("cmpz.dl_pdf", partial(comparison_file, state, axes, "pdf"), comparison_file_name(state, "pdf")),
    ])]  # fmt: skip


def _compared(ss: Session) -> list[str]:
    return [c for c in (ss.get("w_compare") or []) if c in load_dataset().zone_names(ss["w_zoning"])]


def _set_compared(ss: Session, codes: list[str]) -> None:
    """The zones compared (six at most); once there are two, the panel shows them side by
    side (the selected zone's profile makes way)."""
    ss["w_compare"] = list(dict.fromkeys(codes))[: COMPARE_RANGE[1]]
    if len(ss["w_compare"]) >= COMPARE_RANGE[0]:
        ss["w_zone"] = ""


def on_compare(ss: Session) -> None:
    """The multi-select changed."""
    _set_compared(ss, _compared(ss))


def toggle_compared(ss: Session, code: object) -> None:
    """A zone added to the comparison, or taken out of it if it was in (a zone that is no zone
    of the map, crafted by hand, changes nothing)."""
    picked = picked_code(code, load_dataset().zone_codes()[ss["w_zoning"]])
    if picked is None:
        return
    codes = _compared(ss)
    if picked in codes:
        codes.remove(picked)
    elif len(codes) < COMPARE_RANGE[1]:
        codes.append(picked)
    _set_compared(ss, codes)


def _asked_code(message: object) -> object:
    return message.get("code") if isinstance(message, dict) else None


@restoring
def on_map_compare(ss: Session) -> None:
    """Shift+click (Ctrl+click) on a zone of the map: in or out of the comparison."""
    toggle_compared(ss, _asked_code((ss.get("map") or {}).get("compare")))


@restoring
def on_side_compare(ss: Session) -> None:
    """« Comparer » (or « Retirer… ») in a zone's profile."""
    toggle_compared(ss, _asked_code((ss.get("side_panel") or {}).get("compare")))


def leave_compare(ss: Session) -> None:
    ss["w_compare"] = []


def on_scatter(ss: Session) -> None:
    """The scatter's pickers: the two indicators asked (checked when the page is drawn)."""
    asked = (ss.get("side_panel") or {}).get("scatter")
    if isinstance(asked, dict):
        x, y = asked.get("x"), asked.get("y")
        ss["compare_axes"] = (x if isinstance(x, str) else None, y if isinstance(y, str) else None)


def compare_axes(ss: Session) -> Axes:
    axes = ss.get("compare_axes")
    return axes if isinstance(axes, tuple) and len(axes) == 2 else (None, None)


def compare_widget(ss: Session, names: Mapping[str, str], lang: str) -> dict[str, Any]:
    """The comparison's multi-select, holding only zones of the map it offers (a file
    uploaded in another zoning changes the zoning under it)."""
    if "w_compare" in ss:
        ss["w_compare"] = [c for c in ss["w_compare"] or [] if c in names]
    return compare_widget_args(names, lang)


def compare_hint(ss: Session, lang: str) -> str | None:
    """Said under the multi-select while it holds one zone only."""
    return t("cmpz.one_more", lang) if len(_compared(ss)) == 1 else None


NO_COMPARISON = packed(None)[1]  # the comparison store's payload when nothing is compared


def side_panel(ss: Session, state: MapState, pages_key: str) -> tuple[dict[str, object], tuple[str, str]]:
    """What the side panel is given, and the comparison page for the page's store (an empty
    one, under the key "", when the view compares nothing)."""
    page = comparison_page(state, compare_axes(ss)) if state.compare else ("", NO_COMPARISON)
    return side_data(state.zone, pages_key, state.lang, page[0], state.compare), page
