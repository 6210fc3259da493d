"""The app runs from a read-only install: nothing is written beside its code at run time.
Leaflet and cartohdf.js reach the map's frame from their installed folders, served by
Streamlit (components v1 `path`), with no network."""

from __future__ import annotations

import os
import shutil
import stat
from pathlib import Path

import pytest

from cartohdf.core import paths
from tests.conftest import idle
from tests.st_client import start_app

pytestmark = pytest.mark.browser
FRAME = "iframe.cartohdf-map"  # the app's own map component (front/static/map.js)


def tree(folder: Path) -> dict[str, tuple[int, int]]:
    """Every file and folder under `folder` (Python's own bytecode caches aside), with its size
    and modification time."""
    return {str(p.relative_to(folder)): (p.stat().st_size, p.stat().st_mtime_ns)
            for p in folder.rglob("*") if "__pycache__" not in p.parts}  # fmt: skip


def code_and_data() -> dict[str, tuple[int, int]]:
    """The installed code and the embedded data the app reads."""
    return {f"{d}/{k}": v for d in ("src", "geo", "data") for k, v in tree(paths.ROOT / d).items()}


@pytest.fixture()
def readonly_app(tmp_path):
    """A copy of the app (script and Streamlit settings) in a folder made read-only; the app
    imports this project's cartohdf and reads its geo/ and data/."""
    app = tmp_path / "app"
    app.mkdir()
    shutil.copy2(paths.ROOT / "streamlit_app.py", app / "streamlit_app.py")
    shutil.copytree(paths.ROOT / ".streamlit", app / ".streamlit")
    for p in [*app.rglob("*"), app]:
        p.chmod(p.stat().st_mode & ~(stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH))
    source = str(paths.ROOT / "src")
    env = {"PYTHONPATH": os.pathsep.join(filter(None, [source, os.environ.get("PYTHONPATH")])),
           "CARTOHDF_ROOT": str(paths.ROOT)}  # fmt: skip
    before = {**tree(app), **code_and_data()}
    try:
        proc, url = start_app(env=env, cwd=app)
    except RuntimeError as exc:
        pytest.fail(str(exc))
    yield url, lambda: {**tree(app), **code_and_data()}, before
    proc.terminate()
    proc.wait(timeout=10)
    for p in [app, *app.rglob("*")]:
        p.chmod(p.stat().st_mode | stat.S_IWUSR)


def test_the_map_draws_from_a_read_only_install_and_nothing_is_written(page, readonly_app):
    url, now, before = readonly_app
    scripts: dict[str, int] = {}
    page.on("response", lambda r: scripts.__setitem__(r.url.rsplit("/", 1)[-1], r.status)
            if "/component/" in r.url and r.url.endswith(".js") else None)  # fmt: skip
    page.goto(url)
    frame = page.frame_locator(FRAME).last
    frame.locator("path.cartohdf-zone").first.wait_for(state="attached", timeout=60_000)
    frame.locator(".cartohdf-legend").wait_for(timeout=60_000)
    idle(page)
    assert frame.locator("path.cartohdf-zone").count() == 28
    assert now() == before  # no static/ folder beside the app, nothing in the code or data
    assert scripts.get("leaflet.js") == 200 and scripts.get("cartohdf.js") == 200, scripts
    assert page.external_requests == [] and page.errors == []
