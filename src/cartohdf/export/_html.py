"""The standalone HTML map: everything inlined, opens offline, the same bytes for the same plan."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import folium

from cartohdf.compose import Plan
from cartohdf.core import write_atomic
from cartohdf.render import OfflineMap, assign_stable_ids, esc

VIEWPORT = '<meta name="viewport" content="width=device-width, initial-scale=1.0" />'


def build_map(plan: Plan, generated: dt.date) -> OfflineMap:
    """The plan as one folium map: base, every overlay (shown or not) in drawing order, the
    layer control, then the view."""
    m = plan.base(generated)
    for overlay in plan.overlays:
        overlay.build().add_to(m)
    folium.LayerControl(collapsed=False, position="topright").add_to(m)
    plan.view.group().add_to(m)
    assign_stable_ids(m.get_root())
    return m


def map_html(plan: Plan, generated: dt.date) -> str:
    """The standalone HTML file of a plan. Same plan and date, same bytes."""
    return map_document(build_map(plan, generated).get_root().render(), plan)


def map_document(html: str, plan: Plan) -> str:
    """A folium page as a document of its own: its language, a title naming what it shows,
    and a viewport that lets people zoom (folium's forbids it; WCAG 1.4.4). The file download
    and the app's map page alike."""
    lang = plan.state.lang
    title = f"{plan.values.indicator.label(lang)} · Hauts-de-France · cartohdf"
    html = html.replace("<html>", f'<html lang="{lang}">', 1)
    html = re.sub(r'<meta name="viewport"[^>]*>', VIEWPORT, html, count=1)
    return html.replace("<head>", f"<head>\n    <title>{esc(title)}</title>", 1)


def write_map(plan: Plan, out: Path, generated: dt.date) -> int:
    """Write the HTML file whole or not at all; returns its size in bytes.

    Raises
    ------
    WriteError
        If the file cannot be written whole (`out` keeps its previous content).
    """
    return write_atomic(out, map_html(plan, generated))
