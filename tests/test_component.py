"""The app's own component: Streamlit finds it in the installed package and serves its files;
the manifest says the package's name and version."""

from __future__ import annotations

import tomllib

from cartohdf.core import paths

SRC = paths.ROOT / "src" / "cartohdf"


def test_the_manifest_names_this_package_and_its_version():
    manifest = tomllib.loads((SRC / "pyproject.toml").read_text(encoding="utf-8"))
    project = tomllib.loads((paths.ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert manifest["project"] == {"name": project["name"], "version": project["version"]}
    (ui,) = manifest["tool"]["streamlit"]["component"]["components"]
    assert ui == {"name": "ui", "asset_dir": "front/static"}
    served = {p.name for p in (SRC / ui["asset_dir"]).iterdir()}
    assert {"ui.js", "bus.js", "map.js", "panel.js", "layers.js", "store.js", "components.css"} <= served
    assert not any(p.suffix == ".py" for p in (SRC / ui["asset_dir"]).iterdir())  # only browser files


def test_streamlit_finds_the_component_with_its_files():
    from streamlit.components.v2.manifest_scanner import scan_component_manifests

    found = {m.name: root for m, root in scan_component_manifests()}
    assert "cartohdf" in found
    assert (found["cartohdf"] / "front" / "static" / "ui.js").is_file()


def test_every_part_of_the_component_imports_the_one_bus():
    """One module instance shares the bus: each part imports it by the same relative path."""
    static = SRC / "front" / "static"
    for part in ("map.js", "panel.js", "layers.js", "store.js"):
        text = (static / part).read_text(encoding="utf-8")
        assert 'from "./bus.js"' in text, part
        assert "window.cartohdf" not in text and "window.frames" not in text, part
