"""Folium/branca elements of our own: offline assets, data layers, controls, stable ids.

Data reaches the page only as JSON produced by :func:`safe_json`, whose ``<``, ``>`` and
``&`` are written as ``\\u003c`` etc.; text inside it is HTML-escaped beforehand by the
layer builders. So a name such as ``</script><img onerror=…>`` can neither end the script
nor be parsed as markup.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from dataclasses import dataclass
from importlib import resources
from typing import Any

import folium
from branca.element import Element, Figure, MacroElement
from jinja2 import Template

from cartohdf.core import CartohdfError, memo


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


@memo.memoized()
def leaflet_assets() -> tuple[str, str]:
    """Leaflet 1.9.4 JS and CSS from the installed `django-js-lib-leaflet` package, with the
    CSS images inlined as data URIs so nothing is fetched."""
    try:
        base = resources.files("js_lib_leaflet") / "static" / "js_lib_leaflet"
        js = (base / "leaflet.js").read_text(encoding="utf-8")
        css = (base / "leaflet.css").read_text(encoding="utf-8")
    except (ModuleNotFoundError, FileNotFoundError) as exc:
        raise CartohdfError(
            "err.leaflet_missing", command="pip install django-js-lib-leaflet==1.9.4.1"
        ) from exc

    def inline(match: re.Match[str]) -> str:
        data = (base / "images" / match.group(1)).read_bytes()
        return f"url(data:image/png;base64,{base64.b64encode(data).decode()})"

    css = re.sub(r"url\(images/([\w.-]+\.png)\)", inline, css)
    js = re.sub(r"//# sourceMappingURL=\S+", "", js)
    return js.replace("</script", "<\\/script"), css


@memo.memoized()
def own_assets() -> tuple[str, str]:
    """Our runtime (cartohdf.js) and style sheet."""
    base = resources.files("cartohdf.render") / "static"
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
            raise CartohdfError("err.element_without_parent", name=self._name)
        return element.get_name()

    def script_text(self) -> str:
        raise NotImplementedError

    def render(self, **kwargs: Any) -> None:  # type: ignore[override]
        figure = self.get_root()
        if not isinstance(figure, Figure):
            raise CartohdfError("err.element_outside_figure")
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


@dataclass(frozen=True)
class Pane:
    """A Leaflet pane: layers drawn in it stay at its z-index, whenever they are added."""

    name: str
    z: int


def layer_group(
    layer_id: str, name: str, show: bool = True, control: bool = True
) -> folium.FeatureGroup:
    """The FeatureGroup of one layer (``name`` is its label in the layer control)."""
    group = folium.FeatureGroup(name=name, show=show, control=control)
    setattr(group, "cartohdf_layer", layer_id)  # noqa: B010 (folium's class has no such slot)
    return group


class DataLayer(ScriptElement):
    """Feeds a JSON payload to a cartohdf.js function that fills the parent FeatureGroup.

    ``layer`` tags the group (the legend shows its entry while the group is on the map);
    ``pane`` puts its vector shapes in their own pane, so the drawing order holds whatever
    the order layers are switched on.
    """

    def script_text(self) -> str:
        return f"cartohdf.{self.fn}({self.parent_name()}, {self.payload});"

    def __init__(
        self, fn: str, payload: dict[str, Any], layer: str = "", pane: Pane | None = None
    ) -> None:
        super().__init__()
        self._name = "DataLayer"
        self.fn = fn
        meta: dict[str, Any] = {"layer": layer}
        if pane is not None:
            meta["pane"] = {"name": pane.name, "z": pane.z}
        body = safe_json({**payload, **meta})
        # names the payload: the app's map reuses the shapes of a payload it drew before
        meta["key"] = hashlib.sha1(body.encode("utf-8")).hexdigest()[:16]
        self.payload = safe_json({**payload, **meta})


class FitView(ScriptElement):
    """Frames the map on bounds, leaving room for the controls in each corner (measured in
    the page, so the margin fits the legend as drawn). Re-fits only when the bounds change:
    re-adding the same view (the app redraws its layers) leaves the user's pan and zoom alone."""

    def script_text(self) -> str:
        return f"cartohdf.fitView({self.parent_name()}, {self.payload});"

    def __init__(self, bounds: list[list[float]], margin_px: int, zone: str | None = None) -> None:
        super().__init__()
        self._name = "FitView"
        self.payload = safe_json({"bounds": bounds, "margin": margin_px, "zone": zone or ""})


class ShowOnly(ScriptElement):
    """The layers a view shows, by id: in the app, whose map holds every layer so that its
    layer panel can show one at once, the others leave the map when the view is drawn."""

    def script_text(self) -> str:
        return f"cartohdf.showOnly({self.parent_name()}, {self.payload});"

    def __init__(self, shown: list[str], every: list[str], zone: str | None = None) -> None:
        super().__init__()
        self._name = "ShowOnly"
        self.payload = safe_json({"shown": shown, "all": every, "zone": zone or ""})


class Legend(ScriptElement):
    """The legend control: sections tagged with their layer are shown only while that layer's
    group is on the map (in the app and in the exported file's layer control alike)."""

    def script_text(self) -> str:
        return f"cartohdf.addLegend({self.parent_name()}, {self.html}, {self.labels});"

    def __init__(self, html: str, show: str, hide: str) -> None:
        super().__init__()
        self._name = "Legend"
        self.html = safe_json(html)
        self.labels = safe_json({"show": show, "hide": hide})


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


class MapControls(ScriptElement):
    """Leaflet's zoom buttons titled in the interface's language (Leaflet's own say "Zoom in")
    and a scale bar in metres only (its default adds miles)."""

    def script_text(self) -> str:
        return (
            f"L.control.zoom({{position: 'topleft', zoomInTitle: {self.zoom_in},"
            f" zoomOutTitle: {self.zoom_out}}}).addTo({self.parent_name()});"
            f" L.control.scale({{imperial: false}}).addTo({self.parent_name()});"
        )

    def __init__(self, zoom_in: str, zoom_out: str) -> None:
        super().__init__()
        self._name = "MapControls"
        self.zoom_in = safe_json(zoom_in)
        self.zoom_out = safe_json(zoom_out)


class MapTitle(ScriptElement):
    """A title box drawn inside the map container (so it is part of the exported map), while
    its parent (the map, or the view's theme group) is on the map."""

    def script_text(self) -> str:
        return f"cartohdf.addTitle({self.parent_name()}, {self.html});"

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
