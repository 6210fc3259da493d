"""Helpers of the Streamlit app that need no Streamlit: clicks, safe text, what its own
component is given (the map page's scripts: `cartohdf.front.assets`)."""

from __future__ import annotations

import os
import pickle
import re
import subprocess
import sys
import threading
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import pandas as pd

from cartohdf.core import (
    LANGS,
    REGION_NAMES,
    UPLOAD_TIMEOUT_S,
    UPLOAD_WAIT_S,
    UPLOAD_WORKER_MEMORY_BYTES,
    UPLOAD_WORKERS,
    CartohdfError,
    InputError,
    t,
    value,
)
from cartohdf.data import Dataset, UserIndicator
from cartohdf.front._mappage import (  # re-exported: the app's map component's payloads
    app_page as app_page,
)
from cartohdf.front._mappage import (
    packed as packed,
)
from cartohdf.front._mappage import (
    page_state as page_state,
)
from cartohdf.front._mappage import (
    unpacked as unpacked,
)
from cartohdf.front._mappage import (
    view_message as view_message,
)
from cartohdf.indicators import Classes
from cartohdf.render import COMPARE_CSS, PANEL_CSS, esc
from cartohdf.state import COMPARE_RANGE, MapState


def outside_zone_text(data: Dataset, zoning: str, code: object, lang: str) -> str | None:
    """What to say of a click on the map of France on a zone outside the région (its zones
    have no profile here): the zone and its region; None for a code that names no such zone
    (a value crafted by hand)."""
    france = (data.france_zones or {}).get(zoning)
    if not isinstance(code, str) or france is None or code in set(data.zones[zoning]["code"]):
        return None
    hits = france[france["code"] == code]
    if hits.empty:
        return None
    hit = hits.iloc[0]
    region = REGION_NAMES.get(str(hit["region"]), t("several_regions", lang))
    return t("outside_click", lang, zone=f"{hit['name']} ({hit['code']})", region=region)


def choice_named(
    value: object, options: Sequence[object], label: Callable[[Any, str], str]
) -> object:
    """The option whose label, in either language, is `value`, else None. Streamlit's radios
    and select boxes send a choice back as its label: just after a language switch the browser
    can send the label of the other language, which names no option of this run."""
    for lang in LANGS:
        for option in options:
            if label(option, lang) == value:
                return option
    return None


def picked_code(value: object, codes: Sequence[str]) -> str | None:
    """The zone the map says was chosen, when it is one of `codes` (anything else, a value
    crafted by hand included, chooses nothing)."""
    return value if isinstance(value, str) and value in codes else None


WORD_JOINER = "\u2060"  # invisible: keeps « http://… », « www.… » and « a@b » from becoming links


def md_escape(text: str) -> str:
    """Text from a user file or a link, shown as plain text in Streamlit markdown: no link,
    image, emphasis, formula, HTML, icon, emoji or colour, and no bare address turned into
    a link."""
    escaped = "".join("\\" + ch if ch in "\\`*_[]<>~|$!#(){}+-.=:&" else ch for ch in text)
    for mark in ("www\\.", "@"):
        escaped = escaped.replace(mark, mark[0] + WORD_JOINER + mark[1:])
    # Streamlit reads « :material/home: », « :smile: » and « :red[…] » in the text once its
    # escapes are undone: a word joiner after every colon leaves no such shortcode (nor a
    # « http:// » address)
    return escaped.replace("\\:", "\\:" + WORD_JOINER)


ABBREVIATIONS = {"st": "saint", "ste": "sainte", "sts": "saints", "stes": "saintes"}


def fold(text: str) -> str:
    """Text for matching: lower case, no accents, hyphens, apostrophes and dots as spaces, the
    usual abbreviations written out (« St-Quentin » -> « saint quentin »)."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    words = re.sub(r"[\s\-'’_.]+", " ", text).split()
    return " ".join(ABBREVIATIONS.get(w, w) for w in words)


def search_zones(names: Mapping[str, str], query: str) -> list[str]:
    """Zone codes whose name (or code) matches what was typed, best first.

    Accents, case, hyphens, apostrophes and spaces do not matter, nor « St »/« Ste » for
    « Saint »/« Sainte » (« thierache » finds « La Thiérache », « st quentin » and
    « saintquentin » find « Saint-Quentin »); names starting with the text come before names
    containing it.
    """
    q = fold(query)
    if not q:
        return []
    if q in names:
        return [q]
    tight = q.replace(" ", "")
    hits = []
    for code, name in names.items():
        folded = fold(name)
        if q in folded or tight in folded.replace(" ", "") or code.startswith(q):
            starts = folded.startswith(q) or folded.split(" ", 1)[-1].startswith(q)
            hits.append((not starts, folded, code))
    return [code for *_, code in sorted(hits)]


_WORKERS = threading.BoundedSemaphore(UPLOAD_WORKERS)  # one per process: every session shares it


def parse_upload_isolated(raw: bytes, name: str, zones: Mapping[str, Sequence[str]], column: str | None = None,
                          timeout_s: float = UPLOAD_TIMEOUT_S, wait_s: float | None = None,
                          memory_bytes: int = UPLOAD_WORKER_MEMORY_BYTES) -> UserIndicator:  # fmt: skip
    """`parse_indicator` in a process of its own, stopped after `timeout_s`.

    The app's sessions share one process: parsing there would hold the interpreter (and its
    memory) while every other user waits. In a child, the waiting session blocks alone, the
    child runs at a lower priority under an address-space limit (`memory_bytes` beyond what
    its libraries map), its memory goes back to the system when it ends, and a file that
    takes too long is stopped with a message. At most ``UPLOAD_WORKERS`` children run at once
    across sessions: a session that finds them all busy for `wait_s` (default
    ``UPLOAD_WAIT_S``) is told to try again.
    (A plain new interpreter, not multiprocessing: Streamlit swaps ``__main__`` for the app
    script, which multiprocessing would run again in the child.)

    Raises
    ------
    InputError
        The file's problem, or: every worker busy, too slow, out of memory.
    """
    if not _WORKERS.acquire(timeout=UPLOAD_WAIT_S if wait_s is None else wait_s):
        raise InputError("err.upload_busy", file=name, expected="exp.try_again")
    try:
        return _parse_in_child(raw, name, zones, column, timeout_s, memory_bytes)
    finally:
        _WORKERS.release()


def _parse_in_child(raw: bytes, name: str, zones: Mapping[str, Sequence[str]], column: str | None,
                    timeout_s: float, memory_bytes: int) -> UserIndicator:  # fmt: skip
    request = pickle.dumps((raw, name, {z: list(c) for z, c in zones.items()}, column))
    env = {**os.environ, "OPENBLAS_NUM_THREADS": "1"}  # one thread: no per-thread buffers to map
    child = subprocess.Popen([sys.executable, "-m", "cartohdf.front._parse_worker", str(memory_bytes)],
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                             env=env)  # fmt: skip
    try:
        out, _ = child.communicate(request, timeout=timeout_s)
    except subprocess.TimeoutExpired:
        child.kill()
        child.communicate()
        raise InputError(
            "err.upload_timeout", file=name, expected="exp.smaller_file", seconds=round(timeout_s)
        ) from None
    try:
        kind, result = pickle.loads(out)  # our own child's answer
    except (pickle.UnpicklingError, EOFError, ValueError):  # it died (memory) before answering
        raise InputError("err.upload_crashed", file=name, expected="exp.smaller_file") from None
    if kind == "error":
        raise result
    return result


def _slug(text: str) -> str:
    """A file-name-safe form: ASCII letters, digits, « - » and « _ »."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^A-Za-z0-9_-]+", "-", ascii_text).strip("-") or "x"


def map_file_name(state: MapState, ext: str) -> str:
    """The name of a map download, after the view: zoning, indicator, year or period, import,
    level, zone (« cartohdf_ze2010_industrial_share_2017_zone-2203.html »,
    « cartohdf_ze2020_industrial_share_2022_essai_communes-3203_zone-62041.html »)."""
    parts = ["cartohdf", state.zoning, _slug(state.indicator)]
    if state.base_year is not None and state.year is not None:
        parts.append(f"{state.base_year}-{state.year}")
    elif state.year is not None:
        parts.append(str(state.year))
    if state.source:
        parts.append(_slug(state.source))
    if state.level != "zone":  # « communes-3203 », « epci »
        level = "communes" if state.level == "commune" else state.level
        parts.append(f"{level}-{state.within}" if state.within else level)
    if state.zone:
        parts.append(f"zone-{state.zone}")
    return "_".join(parts) + f".{ext}"


def report_file_name(state: MapState, ext: str) -> str:
    """The name of a zone's portrait (« cartohdf_ze2010_portrait_2203.pdf »)."""
    return f"cartohdf_{state.zoning}_portrait_{state.zone}.{ext}"


def compare_widget(names: Mapping[str, str], lang: str) -> dict[str, Any]:
    """The comparison's multi-select (but its key and callback): the map's zones by name."""
    return {"label": t("cmpz.pick", lang), "options": list(names), "max_selections": COMPARE_RANGE[1],
            "format_func": lambda c: f"{names[c]} ({c})", "help": t("cmpz.pick_help", lang),
            "placeholder": t("choose", lang)}  # fmt: skip


def comparison_file_name(state: MapState, ext: str) -> str:
    """The name of a comparison's file (« cartohdf_ze2010_comparaison_2203-2209.pdf »)."""
    word = "comparaison" if state.lang == "fr" else "comparison"
    return f"cartohdf_{state.zoning}_{word}_{'-'.join(state.compare)}.{ext}"


def atlas_file_name(state: MapState, ext: str) -> str:
    """The name of the atlas of a zoning's zones, in the interface language."""
    return f"cartohdf_{state.zoning}_atlas_{state.lang}.{ext}"


def table_file_name(state: MapState, ext: str) -> str:
    """The name of a table download: every indicator and year of the zoning (and of the
    import the view uses), so neither the indicator nor the zone is in it; at a level below
    the zone, that level (and the zone whose communes are drawn)."""
    units = {"zone": "zones", "commune": "communes", "epci": "epci", "departement": "departements"}
    parts = [
        "cartohdf",
        state.zoning,
        units[state.level] + (f"-{state.within}" if state.within else ""),
    ]
    if state.source:
        parts.append(_slug(state.source))
    if state.upload:
        parts.append("avec-indicateur" if state.lang == "fr" else "with-indicator")
    return "_".join(parts) + f".{ext}"


def one_class_warning(
    classes: Classes | None, values: pd.Series, kind: str, lang: str
) -> str | None:
    """A warning when every zone with a value falls in one class (bounds typed outside the
    values' range, or in the wrong unit); None otherwise."""
    if classes is None or len(set(classes.zone_class.values())) != 1:
        return None
    valid = values.dropna()
    if len(valid) < 2:
        return None
    return t(
        "one_class", lang, lo=value(valid.min(), kind, lang), hi=value(valid.max(), kind, lang)
    )


# The hint under the map is hidden while the side panel shows a zone (the panel marks the page).
# A disabled choice (the extent or the map's level with an import or without) keeps its
# heading readable: Streamlit greys it to a ratio of 2.2 (axe-core: below WCAG AA's 4.5), and
# the caption under it says why it cannot be changed.
# Streamlit draws captions at 60 % opacity: grey on white at a ratio of 3.2 (axe-core: below
# WCAG AA's 4.5). Opaque, in a darker grey: 9.4 on white.
APP_CSS = """
[data-testid="stCaptionContainer"] { opacity: 1 !important; }
[data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] p { color: #45474f !important; }
@media (max-width: 640px) { h1 { font-size: 1.75rem !important; line-height: 1.2 !important; } }
body.cartohdf-zone-shown .st-key-click_hint { display: none; }
[class*="st-key-store_"] { display: none; }
[data-testid="stWidgetLabel"] [data-testid="stMarkdownContainer"] p { color: #31333f; }
"""


def value_columns_asked(error: CartohdfError) -> list[str]:
    """The value columns to choose among when a file was refused for having several (the
    app then offers them), else an empty list."""
    columns = error.value if isinstance(error, InputError) else None
    if error.key == "err.several_value_columns" and isinstance(columns, list):
        return [str(c) for c in columns]
    return []


def css_string(text: str) -> str:
    """`text` as a CSS string literal (quotes, backslashes and line ends escaped)."""
    return '"' + "".join(f"\\{ord(c):x} " if c in '"\\\n\r<>' else c for c in text) + '"'


def page_style(lang: str, max_mb: int, kinds: Sequence[str]) -> str:
    """The page's whole style sheet: the panels', the comparison's, the app's, and the widget
    words Streamlit writes in English (see `widget_words_css`)."""
    return f"<style>{PANEL_CSS}{COMPARE_CSS}{APP_CSS}{widget_words_css(lang, max_mb, ', '.join(k.upper() for k in kinds))}</style>"


def widget_words_css(lang: str, max_mb: int, kinds: str) -> str:
    """Streamlit's own words in the interface's language: the file uploader's button and
    limits line, the « Press Enter to apply » under a text box being typed in and the « Stop »
    of a run in progress are English words Streamlit does not let an app set; our words are
    drawn in their place.
    Streamlit's button word stays in the page for assistive technology (an app cannot set
    the button's name), ours being what the eye reads, its alternative text empty."""
    button = css_string(t("upload_button", lang))
    limits = css_string(t("upload_limits", lang, max_mb=max_mb, kinds=kinds))
    button_text = '[data-testid="stFileUploaderDropzone"] [data-testid="stBaseButton-secondary"] span[data-has-shortcut]'
    limits_text = '[data-testid="stFileUploaderDropzoneInstructions"] > div'
    stop = '[data-testid="stStatusWidget"] [data-testid="stBaseButton-header"]'
    # each pair hides Streamlit's words and shows ours through one selector: if Streamlit's
    # markup changes, both rules stop together and its own words show again
    return (
        f'{button_text} [data-testid="stMarkdownContainer"] {{ position: absolute; width: 1px;'
        " height: 1px; overflow: hidden; clip-path: inset(50%); white-space: nowrap; }"
        f'{button_text}::after {{ content: {button} / ""; }}'
        f"{limits_text} > span {{ display: none; }}"
        f"{limits_text}::after {{ content: {limits}; font-size: 0.875rem; }}"
        f'[data-testid="InputInstructions"] > span {{ display: none; }}'
        f'[data-testid="InputInstructions"]::after {{ content: {css_string(t("input_enter", lang))}; }}'
        # the « Stop » button of a run in progress: its word kept for assistive technology
        f"{stop} {{ font-size: 0; }}"
        f'{stop}::after {{ content: {css_string(t("stop_run", lang))} / ""; font-size: 0.875rem; }}'
    )


Page = tuple[str, str]  # a heading (plain text) and the HTML under it (pre-escaped)


def _page(page: Page) -> dict[str, str]:
    return {"heading": esc(page[0]), "html": page[1]}


def pages_data(zones: Mapping[str, Page], overview: Page, sectors: Mapping[str, object] | None = None,
               bars: Mapping[str, Mapping[str, object]] | None = None, partial: bool = False) -> dict[str, object]:  # fmt: skip
    """Every page the side panel can show in a view: each zone's profile, the overview; with
    sector charts (ZE2020), what they share (`sectors`, once) and each zone's own series
    (`bars`: its name and figures, a few dozen bytes where a drawn chart took kilobytes).
    `partial`: the overview alone, until every zone’s profile follows (the panel waits)."""
    out: dict[str, object] = {"zones": {code: {**_page(page), **({"mix": bars[code]} if bars and code in bars else {})}
                                        for code, page in zones.items()}, "overview": _page(overview)}  # fmt: skip
    if sectors is not None:
        out["sectors"] = dict(sectors)
    return {**out, "partial": True} if partial else out


def side_data(selected: str | None, pages: str, lang: str, compare: str = "",
              compared: Sequence[str] = ()) -> dict[str, object]:  # fmt: skip
    """What the side panel is given: the selected zone ("" for the overview), the key of the
    view's pages (in the page's store) and its button's label; when zones are compared, the
    key of the comparison page (in the store: it shows when no zone is selected), the zones
    compared and the labels of the comparison's buttons."""
    clear = t("cmpz.back" if compare else "clear_zone", lang)
    return {"kind": "side", "selected": selected or "", "pages": pages, "clear": esc(clear),
            "compare": compare, "compared": list(compared), "add": esc(t("cmpz.add", lang)),
            "remove": esc(t("cmpz.remove", lang)), "leave": esc(t("cmpz.leave", lang))}  # fmt: skip


LayerItems = Sequence[tuple[str, str]]  # (layer id, label as shown)


def layers_data(s3: LayerItems, other: LayerItems, shown: frozenset[str] | set[str],
                lang: str) -> dict[str, object]:  # fmt: skip
    """What the layer panel is given: its title, the S3 domains (with « all » and « none »)
    and the other layers, each with its box ticked when the view shows it."""

    def items(pairs: LayerItems) -> list[dict[str, str]]:
        return [{"id": layer_id, "label": esc(label)} for layer_id, label in pairs]

    ids = {layer_id for layer_id, _ in (*s3, *other)}
    return {
        "kind": "layers",
        "title": esc(t("map_layers", lang)),
        "groups": [
            {
                "title": esc(t("s3_domains", lang)),
                "items": items(s3),
                "bulk": {"all": esc(t("all", lang)), "none": esc(t("none", lang))},
            },
            {"title": esc(t("layers", lang)), "items": items(other), "bulk": None},
        ],
        "shown": sorted(ids & set(shown)),
    }


def shown_layers(asked: object, known: Sequence[str]) -> set[str] | None:
    """The layers the layer panel says are ticked: the known ids among them, or None when
    what it sent is not a list of names (nothing then changes)."""
    if not isinstance(asked, list) or not all(isinstance(a, str) for a in asked):
        return None
    return {a for a in asked if a in known}
