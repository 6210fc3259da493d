"""The tree is the flow: each stage imports only itself and earlier stages (ast check).

core -> data -> indicators -> state -> view -> render -> compose -> export -> front. The offline build
(`build/`) is imported by nothing at run time (only inside the `build-data` command); Streamlit
is imported nowhere under src/ (only by streamlit_app.py); a package's private modules
(``_name``) are used only inside that package: the others go through its ``__init__``.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from cartohdf.core import paths

SRC = paths.ROOT / "src" / "cartohdf"
STAGES = ("core", "data", "indicators", "state", "view", "render", "compose", "export", "front")
FORBIDDEN_EVERYWHERE = ("streamlit", "streamlit_folium")


def module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def stage_of(module: str) -> str | None:
    """The stage a ``cartohdf.…`` module belongs to: its first package ("" for the root)."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def rank(stage: str) -> int:
    return 0 if stage == "" else STAGES.index(stage)  # the root package sits with core


def imports(tree: ast.Module) -> list[tuple[str, int, bool]]:
    """(module imported, line, at module level) for every import of the file."""
    top = {id(n) for n in tree.body}
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out += [(a.name, node.lineno, id(node) in top) for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                out.append(("." * node.level + (node.module or ""), node.lineno, id(node) in top))
            elif node.module:
                base = node.module
                out.append((base, node.lineno, id(node) in top))
                # `from cartohdf import data` imports the package cartohdf.data
                if base == "cartohdf":
                    out += [
                        (f"cartohdf.{a.name}", node.lineno, id(node) in top) for a in node.names
                    ]
    return out


def violations(source: str, module: str) -> list[str]:
    """Every import of `source` (the text of `module`) that breaks the flow."""
    tree = ast.parse(source)
    here = stage_of(module)
    problems = []
    for target, line, module_level in imports(tree):
        where = f"{module}:{line} imports {target}"
        if target.startswith("."):
            problems.append(f"{where}: relative import (write it in full)")
            continue
        root = target.split(".")[0]
        if root in FORBIDDEN_EVERYWHERE:
            problems.append(f"{where}: Streamlit only in streamlit_app.py")
            continue
        if root != "cartohdf" or target == "cartohdf":
            continue
        there = stage_of(target)
        if there == "build":
            allowed = here == "build" or (module == "cartohdf.front.cli" and not module_level)
            if not allowed:
                problems.append(f"{where}: the offline build is never imported at run time")
            continue
        if here == "build":
            if there not in ("", "core", "data"):
                problems.append(f"{where}: the build reads raw files with core and data only")
            continue
        if there not in STAGES and there != "":
            problems.append(f"{where}: unknown stage {there!r}")
            continue
        if rank(there) > rank(here):
            problems.append(f"{where}: {here or 'cartohdf'} may not import the later stage {there}")
        private = [p for p in target.split(".")[2:] if p.startswith("_")]
        if private and there != here:
            problems.append(f"{where}: private module of {there}; import from cartohdf.{there}")
    return problems


def test_every_module_imports_only_its_own_or_earlier_stages():
    problems = []
    for path in sorted(SRC.rglob("*.py")):
        problems += violations(path.read_text(encoding="utf-8"), module_name(path))
    assert problems == []


def test_the_tree_is_the_flow():
    packages = sorted(p.name for p in SRC.iterdir() if (p / "__init__.py").is_file())
    assert packages == sorted([*[s for s in STAGES if s != "compose"], "build"])
    assert (SRC / "compose.py").is_file()
    for stage in STAGES:
        if stage != "compose":
            init = ast.parse((SRC / stage / "__init__.py").read_text(encoding="utf-8"))
            assert ast.get_docstring(init), stage  # each package says which stage it is
    for stage in ("core", "data", "indicators", "state", "view", "render", "export"):
        tree = ast.parse((SRC / stage / "__init__.py").read_text(encoding="utf-8"))
        names = [n for n in tree.body if isinstance(n, ast.Assign) and n.targets[0].id == "__all__"]  # type: ignore[attr-defined]
        assert names, f"{stage}/__init__.py names its contract in __all__"


@pytest.mark.parametrize(
    ("module", "source", "expected"),
    [
        ("cartohdf.data._dataset", "from cartohdf.compose import plan\n", "later stage compose"),
        ("cartohdf.core._text", "import cartohdf.state\n", "later stage state"),
        ("cartohdf.indicators._maths", "from cartohdf import render\n", "later stage render"),
        ("cartohdf.render._zones", "from cartohdf.front.app import zone_at\n", "later stage front"),
        (
            "cartohdf.export._html",
            "from cartohdf.data._files import load_zones\n",
            "private module",
        ),
        ("cartohdf.compose", "from cartohdf.build import build_all\n", "offline build"),
        ("cartohdf.front.cli", "from cartohdf.build import build_all\n", "offline build"),
        ("cartohdf.render._base", "import streamlit as st\n", "Streamlit"),
        ("cartohdf.state._codec", "from .._mapstate import MapState\n", "relative import"),
    ],
)
def test_a_deliberate_back_edge_is_caught(module, source, expected):
    found = violations(source, module)
    assert len(found) == 1 and expected in found[0]


def test_the_build_command_may_import_the_build_inside_its_function():
    source = "def build_data():\n    from cartohdf.build import build_all\n"
    assert violations(source, "cartohdf.front.cli") == []


def test_the_real_tree_would_fail_with_a_back_edge_added(tmp_path):
    """The check reads the real files: adding one back-edge to a real module is reported."""
    path = SRC / "data" / "_dataset.py"
    source = path.read_text(encoding="utf-8") + "\nfrom cartohdf.render import esc\n"
    assert any("later stage render" in p for p in violations(source, module_name(path)))


def test_no_cached_function_shows_streamlit_s_english_spinner():
    """A cached function shows « Running name(...) » while it runs unless told not to: the
    French interface would show English code names."""
    tree = ast.parse((paths.ROOT / "streamlit_app.py").read_text(encoding="utf-8"))
    cached = [(node.name, dec) for node in ast.walk(tree) if isinstance(node, ast.FunctionDef)
              for dec in node.decorator_list
              if "cache_" in ast.unparse(dec)]  # fmt: skip
    assert len(cached) >= 2  # the registrations with Streamlit (the rest: front/session.py's memo)
    loud = [name for name, dec in cached
            if not (isinstance(dec, ast.Call) and any(k.arg == "show_spinner" and ast.unparse(k.value) == "False"
                                                      for k in dec.keywords))]  # fmt: skip
    assert loud == []


# Names of other projects' internals the app once stood on (streamlit-folium's page globals and
# Streamlit's v1 component message, posted by hand; Leaflet's map global). The app's map is its
# own component with its own protocol (src/cartohdf/front/static/ui.js): none may come back.
PRIVATE_NAMES = ("__GLOBAL_DATA__", "streamlit:setComponentValue", "window.map", "isStreamlitMessage",
                 "streamlit_folium", "st_folium")  # fmt: skip
SHIPPED = ("*.py", "*.js", "*.css", "*.toml")


def private_uses(root: Path, app: Path | None = None) -> list[str]:
    """Every shipped file under `root` (and the app) that names a third party's internals."""
    files = [p for pattern in SHIPPED for p in root.rglob(pattern)] + ([app] if app else [])
    return [f"{p.name}: {name}" for p in files for name in PRIVATE_NAMES
            if name in p.read_text(encoding="utf-8")]  # fmt: skip


def test_no_third_party_internals_are_used():
    assert private_uses(SRC, paths.ROOT / "streamlit_app.py") == []


def test_a_third_party_internal_would_be_caught(tmp_path):
    (tmp_path / "x.js").write_text("var g = window.__GLOBAL_DATA__;", encoding="utf-8")
    assert private_uses(tmp_path) == ["x.js: __GLOBAL_DATA__"]


def test_messages_between_frames_name_their_target_origin():
    """No message is posted to any origin ("*"): the map page and its host talk within the
    app's own origin, and each checks where a message comes from."""
    scripts = [*(SRC / "front" / "static").glob("*.js"), SRC / "render" / "static" / "cartohdf.js"]
    for script in scripts:
        text = script.read_text(encoding="utf-8")
        assert '"*"' not in text and "'*'" not in text, script.name
        if "postMessage(" in text:
            assert "window.origin" in text and "e.origin" in text, script.name


# -- renderers draw from the typed view, not from each other's output ------------------------

# The print (export/, but for the HTML export itself) paints `Plan.drawing`: it may not take
# render's HTML, script or folium output to read it back.
HTML_EXPORT = "cartohdf.export._html"
OUTPUT_NAMES = frozenset({
    "DataLayer", "FitView", "LegendEntry", "OfflineMap", "Pane", "ShowOnly", "assign_stable_ids",
    "card_html", "chart_img", "esc", "layer_group", "leaflet_assets", "own_assets", "popup",
    "safe_json", "tip_html",
})  # fmt: skip
OUTPUT_SUFFIXES = ("_html", "_svg", "_layer", "_payload", "_icon", "_map")
OUTPUT_LIBRARIES = ("folium", "branca", "html.parser", "jinja2")


def output_imports(source: str, module: str) -> list[str]:
    """Imports by which a painter of export/ would read a renderer's output (HTML, SVG, scripts,
    folium elements) instead of the typed view."""
    if not module.startswith("cartohdf.export.") or module == HTML_EXPORT:
        return []
    problems = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            targets = [(a.name, "") for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            targets = [(node.module, a.name) for a in node.names]
        else:
            continue
        for target, name in targets:
            where = f"{module}:{node.lineno} imports {target}{'.' + name if name else ''}"
            if target.split(".")[0] in OUTPUT_LIBRARIES or target in OUTPUT_LIBRARIES:
                problems.append(f"{where}: a painter draws the typed view, not markup")
            elif target.startswith("cartohdf.render") and (
                name in OUTPUT_NAMES or name.endswith(OUTPUT_SUFFIXES)
            ):
                problems.append(f"{where}: render's output; paint `Plan.drawing` instead")
    return problems


def test_the_print_paints_the_typed_view_not_the_html_map():
    problems = []
    for path in sorted((SRC / "export").rglob("*.py")):
        problems += output_imports(path.read_text(encoding="utf-8"), module_name(path))
    assert problems == []


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("from cartohdf.render import sources_html\n", "render's output"),
        ("from cartohdf.render import DataLayer, decode_points\n", "render's output"),
        ("from cartohdf.render import strip_svg\n", "render's output"),
        ("from html.parser import HTMLParser\n", "not markup"),
        ("import folium\n", "not markup"),
    ],
)
def test_a_painter_reading_render_output_is_caught(source, expected):
    found = output_imports(source, "cartohdf.export._static")
    assert len(found) == 1 and expected in found[0]
    assert output_imports(source, HTML_EXPORT) == []  # the HTML export builds the folium map

