"""The map page's scripts (Leaflet's and cartohdf.js): where they are installed and the URL the
app serves each from. Light on purpose (no pandas, no folium): the app names them in its
first message, before its own imports, so that the browser fetches them while the server is
still loading (`streamlit_app.py`, the « boot » mount)."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from cartohdf.core import CartohdfError

COMPONENT_ROUTE = "/component"  # where Streamlit serves a component's folder (components v1 `path`)
MAP_SCRIPTS = {
    "leaflet": "leaflet.js",
    "cartohdf": "cartohdf.js",
}  # folder name -> the script in it


def script_folders() -> dict[str, Path]:
    """The installed folders of the map's scripts, served as they are (the app declares each
    as a component's `path`): Leaflet's from the `django-js-lib-leaflet` package, ours from
    `cartohdf.render`. Nothing is fetched, copied or written: the install may be read-only.

    Raises
    ------
    CartohdfError
        If Leaflet's package is not installed (the message gives the command).
    """
    try:
        leaflet = Path(str(resources.files("js_lib_leaflet") / "static" / "js_lib_leaflet"))
    except ModuleNotFoundError:
        leaflet = Path()
    if not (leaflet / MAP_SCRIPTS["leaflet"]).is_file():
        raise CartohdfError(
            "err.leaflet_missing", command="pip install django-js-lib-leaflet==1.9.4.1"
        )
    return {
        "leaflet": leaflet,
        # found from the package, not from cartohdf.render: importing it imports folium and pandas
        "cartohdf": Path(str(resources.files("cartohdf") / "render" / "static")),
    }


def script_url(component_name: str, folder: str) -> str:
    """The URL of a folder's map script, served under its component's name."""
    return f"{COMPONENT_ROUTE}/{component_name}/{MAP_SCRIPTS[folder]}"
