"""Helpers of the Streamlit app that need no Streamlit: clicks, static scripts, safe text."""

from __future__ import annotations

import os
import pickle
import re
import subprocess
import sys
import threading
import unicodedata
from collections.abc import Mapping, Sequence
from pathlib import Path

import pandas as pd
import shapely

from cartohdf.core import (
    UPLOAD_TIMEOUT_S,
    UPLOAD_WAIT_S,
    UPLOAD_WORKER_MEMORY_BYTES,
    UPLOAD_WORKERS,
    InputError,
    t,
    value,
)
from cartohdf.data import Dataset, UserIndicator
from cartohdf.indicators import Classes
from cartohdf.render import esc, leaflet_assets, own_assets
from cartohdf.state import MapState

STATIC_URL = "app/static"  # Streamlit's static serving (server.enableStaticServing)


def zone_at(data: Dataset, zoning: str, lat: float, lng: float) -> str | None:
    """Code of the zone of the région containing a clicked point (the same simplified polygons
    as drawn), an inter-regional zone's part outside the région included: it is drawn whole."""
    point = shapely.Point(lng, lat)
    outside = (data.outside_zones or {}).get(zoning)
    for zones in (data.zones[zoning], outside):
        if zones is not None and not zones.empty:
            hits = zones[zones.geometry.intersects(point)]
            if len(hits):
                return str(hits["code"].iloc[0])
    return None


def write_static_scripts(static_dir: Path) -> list[str]:
    """Write Leaflet and cartohdf.js where Streamlit serves static files; return their URLs.

    Leaflet comes from the installed `django-js-lib-leaflet` package; nothing is fetched.
    Files are rewritten only when their content changed.
    """
    static_dir.mkdir(parents=True, exist_ok=True)
    urls = []
    for name, text in (("leaflet.js", leaflet_assets()[0]), ("cartohdf.js", own_assets()[0])):
        path = static_dir / name
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
        urls.append(f"/{STATIC_URL}/{name}")
    return urls


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


def fold(text: str) -> str:
    """Text for matching: lower case, no accents, hyphens and apostrophes as spaces."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[\s\-'’_]+", " ", text).strip()


def search_zones(names: Mapping[str, str], query: str) -> list[str]:
    """Zone codes whose name (or code) matches what was typed, best first.

    Accents and case do not matter (« thierache » finds « La Thiérache »); names starting
    with the text come before names containing it.
    """
    q = fold(query)
    if not q:
        return []
    if q in names:
        return [q]
    hits = [(not fold(name).startswith(q) and not fold(name).split(" ", 1)[-1].startswith(q), fold(name), code)
            for code, name in names.items() if q in fold(name) or code.startswith(q)]  # fmt: skip
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
    """The name of a map download, after the view: zoning, indicator, year or period, zone
    (« cartohdf_ze2010_industrial_share_2017_zone-2203.html »)."""
    parts = ["cartohdf", state.zoning, _slug(state.indicator)]
    if state.base_year is not None and state.year is not None:
        parts.append(f"{state.base_year}-{state.year}")
    elif state.year is not None:
        parts.append(str(state.year))
    if state.source:
        parts.append(_slug(state.source))
    if state.zone:
        parts.append(f"zone-{state.zone}")
    return "_".join(parts) + f".{ext}"


def report_file_name(state: MapState, ext: str) -> str:
    """The name of a zone's portrait (« cartohdf_ze2010_portrait_2203.pdf »)."""
    return f"cartohdf_{state.zoning}_portrait_{state.zone}.{ext}"


def atlas_file_name(state: MapState, ext: str) -> str:
    """The name of the atlas of a zoning's zones, in the interface language."""
    return f"cartohdf_{state.zoning}_atlas_{state.lang}.{ext}"


def table_file_name(state: MapState, ext: str) -> str:
    """The name of a zone-table download: every indicator and year of the zoning (and of the
    import the view uses), so neither the indicator nor the zone is in it."""
    parts = ["cartohdf", state.zoning, "zones"]
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


# Streamlit draws captions at 60 % opacity: grey on white at a ratio of 3.2 (axe-core: below
# WCAG AA's 4.5). Opaque, in a darker grey: 9.4 on white.
APP_CSS = """
[data-testid="stCaptionContainer"] { opacity: 1 !important; }
[data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] p { color: #45474f !important; }
@media (max-width: 640px) { h1 { font-size: 1.75rem !important; line-height: 1.2 !important; } }
"""


COMPONENTS_DIR = Path(__file__).parent / "static"


def component_asset(name: str) -> str:
    """The text of one of the app's components (panel.js, layers.js, components.css)."""
    return (COMPONENTS_DIR / name).read_text(encoding="utf-8")


Page = tuple[str, str]  # a heading (plain text) and the HTML under it (pre-escaped)


def _page(page: Page) -> dict[str, str]:
    return {"heading": esc(page[0]), "html": page[1]}


def pages_data(zones: Mapping[str, Page]) -> dict[str, object]:
    """Every zone's profile of the view, for the side panel to show one at a click."""
    return {"zones": {code: _page(page) for code, page in zones.items()}}


def side_data(
    selected: str | None, page: Page | None, overview: Page, lang: str
) -> dict[str, object]:
    """What the side panel shows: the selected zone and its page, or (None) the overview;
    its button's label."""
    return {
        "selected": selected if page is not None else None,
        "page": _page(page) if page is not None else None,
        "overview": _page(overview),
        "clear": esc(t("clear_zone", lang)),
    }


LayerItems = Sequence[tuple[str, str]]  # (layer id, label as shown)


def layers_data(s3: LayerItems, other: LayerItems, shown: frozenset[str] | set[str],
                lang: str) -> dict[str, object]:  # fmt: skip
    """What the layer panel is given: its title, the S3 domains (with « all » and « none »)
    and the other layers, each with its box ticked when the view shows it."""

    def items(pairs: LayerItems) -> list[dict[str, str]]:
        return [{"id": layer_id, "label": esc(label)} for layer_id, label in pairs]

    ids = {layer_id for layer_id, _ in (*s3, *other)}
    return {
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
