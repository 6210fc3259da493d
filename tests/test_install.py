"""cartohdf as installed software: the built wheel carries the data and the app, and runs from
a fresh virtual environment, from another folder, writing nothing into its own install."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from cartohdf.core import paths
from tests.conftest import DAY, export_html

APP_TEST = """
import sys
from streamlit.testing.v1 import AppTest
from cartohdf.core import paths
assert paths.INSTALLED, paths.ROOT
at = AppTest.from_file(str(paths.app_script()), default_timeout=120).run()
assert not at.exception, at.exception
print(len(at.get("bidi_component")), at.title[0].value)
"""


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """The wheel built from this checkout, installed alone into a new virtual environment
    (its dependencies seen from this one's site-packages); (venv's python, a clean env)."""
    tmp = tmp_path_factory.mktemp("install")
    build = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
                            "-w", str(tmp / "dist"), str(paths.ROOT)], capture_output=True, text=True)  # fmt: skip
    assert build.returncode == 0, build.stderr[-2000:]
    wheel = next((tmp / "dist").glob("cartohdf-*.whl"))
    subprocess.run([sys.executable, "-m", "venv", "--system-site-packages", str(tmp / "venv")], check=True)
    python = tmp / "venv" / "bin" / "python"
    subprocess.run([str(python), "-m", "pip", "install", "-q", "--no-deps", str(wheel)], check=True,
                   capture_output=True)  # fmt: skip
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "CARTOHDF_ROOT")}
    env |= {"CARTOHDF_CACHE_DIR": str(tmp / "cache"), "XDG_DATA_HOME": str(tmp / "data-home")}
    (tmp / "elsewhere").mkdir()
    return python, env, tmp


def package_dir(python: Path, env: dict[str, str], cwd: Path) -> Path:
    code = "import cartohdf, pathlib; print(pathlib.Path(cartohdf.__file__).parent)"
    out = subprocess.run([str(python), "-c", code], env=env, cwd=cwd, capture_output=True, text=True, check=True)
    return Path(out.stdout.strip())


def snapshot(folder: Path) -> dict[str, tuple[int, int]]:
    return {str(p.relative_to(folder)): (p.stat().st_size, p.stat().st_mtime_ns)
            for p in folder.rglob("*") if "__pycache__" not in p.parts}  # fmt: skip


def test_the_wheel_exports_the_same_map_from_another_folder_and_writes_nothing_beside_itself(installed, data):
    python, env, tmp = installed
    cwd = tmp / "elsewhere"
    package = package_dir(python, env, cwd)
    assert package.is_relative_to(tmp / "venv") and (package / "_embedded" / "geo").is_dir()
    before = snapshot(package)
    out = cwd / "carte.html"
    cli = [str(python), "-m", "cartohdf.front.cli", "export", "--out", str(out), "--date", DAY.isoformat()]
    done = subprocess.run(cli, env=env, cwd=cwd, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert out.read_text(encoding="utf-8") == export_html({}, data)  # the checkout's bytes
    app = subprocess.run([str(python), "-c", APP_TEST], env=env, cwd=cwd, capture_output=True, text=True)
    assert app.returncode == 0, app.stderr[-2000:]
    assert "Hauts-de-France" in app.stdout
    assert snapshot(package) == before  # nothing written into the install


def test_cartohdf_app_serves_the_installed_app_on_loopback(installed):
    python, env, tmp = installed
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    cartohdf = python.parent / "cartohdf"
    server = subprocess.Popen([str(cartohdf), "app", "--server.port", str(port)], env=env,
                              cwd=tmp / "elsewhere", stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    try:
        deadline, answer = time.monotonic() + 90, ""
        while time.monotonic() < deadline and answer != "ok":  # a condition, polled
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as r:
                    answer = r.read().decode()
            except OSError:
                time.sleep(0.3)
        assert answer == "ok"
    finally:
        server.terminate()
        server.wait(timeout=30)
