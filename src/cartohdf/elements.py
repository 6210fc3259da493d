"""Folium/branca elements of our own: offline assets, data layers, controls, stable ids.

Data reaches the page only as JSON produced by :func:`safe_json`, whose ``<``, ``>`` and
``&`` are written as ``\\u003c`` etc.; text inside it is HTML-escaped beforehand by the
layer builders. So a name such as ``</script><img onerror=…>`` can neither end the script
nor be parsed as markup.
"""

from __future__ import annotations

import base64
import json
import re
from functools import cache
from importlib import resources
from typing import Any

import folium
from branca.element import Element, Figure, MacroElement
from jinja2 import Template

from cartohdf.errors import CartohdfError


def safe_json(obj: Any) -> str:
    """Deterministic JSON that is safe inside an HTML <script>."""
    text = json.dumps(
        obj, sort_keys=True, ensure_ascii=False, separators=(",", ":"), allow_nan=False
    )
    return (
        text.replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


@cache
def leaflet_assets() -> tuple[str, str]:
    """Leaflet 1.9.4 JS and CSS from the installed `django-js-lib-leaflet` package, with the
    CSS images inlined as data URIs so nothing is fetched."""
    try:
        base = resources.files("js_lib_leaflet") / "static" / "js_lib_leaflet"
        js = (base / "leaflet.js").read_text(encoding="utf-8")
        css = (base / "leaflet.css").read_text(encoding="utf-8")
    except (ModuleNotFoundError, FileNotFoundError) as exc:
        raise CartohdfError(
            "Leaflet introuvable ; installer : pip install django-js-lib-leaflet==1.9.4.1"
        ) from exc

    def inline(match: re.Match[str]) -> str:
        data = (base / "images" / match.group(1)).read_bytes()
        return f"url(data:image/png;base64,{base64.b64encode(data).decode()})"

    css = re.sub(r"url\(images/([\w.-]+\.png)\)", inline, css)
    js = re.sub(r"//# sourceMappingURL=\S+", "", js)
    return js.replace("</script", "<\\/script"), css


@cache
def own_assets() -> tuple[str, str]:
    """Our runtime (cartohdf.js) and style sheet."""
    base = resources.files("cartohdf") / "static"
    return (base / "cartohdf.js").read_text(encoding="utf-8"), (base / "cartohdf.css").read_text(
        encoding="utf-8"
    )


class RawText(Element):
    """Text added to the page as is (branca would otherwise parse it as a Jinja template,
    and the encoded arcs can contain ``{{``)."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text

    def render(self, **kwargs: Any) -> str:
        return str(self.text)


class ScriptElement(MacroElement):
    """An element whose JavaScript is produced by `script_text` and added verbatim.

    The `script` macro serves streamlit-folium, which builds its page from each element's
    ``_template.module.script``; `render` serves the standalone export.
    """

    _template = Template("{% macro script(this, kwargs) %}{{ this.script_text() }}{% endmacro %}")

    def parent_name(self, levels: int = 1) -> str:
        """JS variable name of the parent (or grand-parent) element."""
        element: Element | None = self
        for _ in range(levels):
            element = element._parent if element is not None else None
        if element is None:
            raise CartohdfError(f"{self._name} : élément sans parent")
        return element.get_name()

    def script_text(self) -> str:
        raise NotImplementedError

    def render(self, **kwargs: Any) -> None:  # type: ignore[override]
        figure = self.get_root()
        if not isinstance(figure, Figure):
            raise CartohdfError("élément hors d'une figure")
        figure.script.add_child(RawText(self.script_text()), name=self.get_name())
        for child in self._children.values():
            child.render(**kwargs)


class OfflineMap(folium.Map):
    """A folium Map that links to no CDN: Leaflet and our runtime are inlined in the page."""

    default_js: list[tuple[str, str]] = []  # noqa: RUF012 (folium's own attribute)
    default_css: list[tuple[str, str]] = []  # noqa: RUF012

    def __init__(self, *args: Any, script_urls: list[str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # with URLs (the app serves the scripts itself), only the styles are inlined
        self.script_urls = script_urls
        if script_urls:
            self.default_js = [(f"cartohdf_script_{i}", url) for i, url in enumerate(script_urls)]

    def render(self, **kwargs: Any) -> None:  # type: ignore[override]
        figure = self.get_root()
        if isinstance(figure, Figure) and "cartohdf_assets" not in figure.header._children:
            leaflet_js, leaflet_css = leaflet_assets()
            own_js, own_css = own_assets()
            text = f"<style>{leaflet_css}</style>\n<style>{own_css}</style>"
            if not self.script_urls:
                text += f"\n<script>{leaflet_js}</script>\n<script>{own_js}</script>"
            figure.header.add_child(RawText(text), name="cartohdf_assets")
        super().render(**kwargs)


class DataLayer(ScriptElement):
    """Feeds a JSON payload to a cartohdf.js function that fills the parent FeatureGroup."""

    def script_text(self) -> str:
        return f"cartohdf.{self.fn}({self.parent_name()}, {self.payload});"

    def __init__(self, fn: str, payload: dict[str, Any]) -> None:
        super().__init__()
        self._name = "DataLayer"
        self.fn = fn
        self.payload = safe_json(payload)


class HtmlControl(ScriptElement):
    """A Leaflet control (legend, sources…) holding pre-escaped HTML."""

    def script_text(self) -> str:
        return (
            f"(function () {{ var c = L.control({{position: {safe_json(self.position)}}});"
            f" c.onAdd = function () {{ var d = L.DomUtil.create('div', {safe_json(self.css_class)});"
            f" d.innerHTML = {self.html}; L.DomEvent.disableClickPropagation(d);"
            f" L.DomEvent.disableScrollPropagation(d); return d; }};"
            f" c.addTo({self.parent_name()}); }})();"
        )

    def __init__(self, html: str, position: str, css_class: str) -> None:
        super().__init__()
        self._name = "HtmlControl"
        self.html = safe_json(html)
        self.position = position
        self.css_class = css_class


class MapTitle(ScriptElement):
    """A title box drawn inside the map container (so it is part of the exported map)."""

    def script_text(self) -> str:
        return (
            "(function () { var d = L.DomUtil.create('div', 'cartohdf-title cartohdf-panel',"
            f" {self.parent_name()}.getContainer()); d.innerHTML = {self.html}; }})();"
        )

    def __init__(self, html: str) -> None:
        super().__init__()
        self._name = "MapTitle"
        self.html = safe_json(html)


class TileWatcher(ScriptElement):
    """Says plainly when the basemap tiles cannot load (no network)."""

    def script_text(self) -> str:
        return f"cartohdf.watchTiles({self.parent_name(2)}, {self.parent_name()}, {self.message});"

    def __init__(self, message: str) -> None:
        super().__init__()
        self._name = "TileWatcher"
        self.message = safe_json(message)


def assign_stable_ids(root: Element) -> None:
    """Replace folium's random element ids by a counter, in tree order: same map, same bytes."""
    counter = 0

    def walk(element: Element) -> None:
        nonlocal counter
        element._id = f"{counter:04d}"
        counter += 1
        for child in element._children.values():
            walk(child)

    walk(root)
