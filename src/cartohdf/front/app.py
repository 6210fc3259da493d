"""Helpers of the Streamlit app that need no Streamlit: clicks, static scripts, safe text."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from pathlib import Path

import shapely

from cartohdf.data import Dataset
from cartohdf.render import leaflet_assets, own_assets

STATIC_URL = "app/static"  # Streamlit's static serving (server.enableStaticServing)


def zone_at(data: Dataset, zoning: str, lat: float, lng: float) -> str | None:
    """Code of the zone containing a clicked point (the same simplified polygons as drawn)."""
    zones = data.zones[zoning]
    hits = zones[zones.geometry.intersects(shapely.Point(lng, lat))]
    return str(hits["code"].iloc[0]) if len(hits) else None


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


def md_escape(text: str) -> str:
    """Text from a user file or a link, safe to show in Streamlit markdown (no links, no
    emphasis, no images, no HTML)."""
    return "".join("\\" + ch if ch in "\\`*_[]<>~|$!#()" else ch for ch in text)


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
