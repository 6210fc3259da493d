"""cartohdf as installed software: the built wheel carries the data and the app, and runs from
a fresh virtual environment made read-only, from another folder, as a user without privileges,
writing only into that user's cache and data folders; and the container (Dockerfile) runs the
same way on a read-only root filesystem."""

from __future__ import annotations

import json
import os
import shlex
import shutil
import socket
import stat
import subprocess
import sys
import sysconfig
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from cartohdf.core import paths
from cartohdf.front.cli import app_command
from tests.conftest import DAY, export_html

UID = 10001  # the Dockerfile's user
APP_TEST = """
from streamlit.testing.v1 import AppTest
from cartohdf.core import paths
assert paths.INSTALLED, paths.ROOT
at = AppTest.from_file(str(paths.app_script()), default_timeout=120).run()
assert not at.exception, at.exception
print(len(at.get("bidi_component")), at.title[0].value)
"""


def unprivileged() -> list[str]:
    """A prefix that runs a command without privileges. As root (CI), a user namespace where it
    is uid 10001 with no capabilities: the kernel then refuses the writes that the permission
    bits forbid, which it would grant to root."""
    return (
        ["unshare", "--user", f"--map-user={UID}", f"--map-group={UID}"]
        if os.geteuid() == 0
        else []
    )


def set_writable(folder: Path, writable: bool) -> None:
    for p in [folder, *folder.rglob("*")]:
        if not p.is_symlink():
            mode = p.stat().st_mode
            p.chmod(
                mode | stat.S_IWUSR
                if writable
                else mode & ~(stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH)
            )


def snapshot(folder: Path) -> dict[str, tuple[int, int]]:
    """Every file and folder under `folder`, bytecode caches included, with size and mtime."""
    return {
        str(p.relative_to(folder)): (p.lstat().st_size, p.lstat().st_mtime_ns)
        for p in folder.rglob("*")
    }


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Iterator[tuple[Path, dict[str, str], Path]]:
    """The wheel built from this checkout, installed alone into a new virtual environment (its
    dependencies seen from this interpreter's site-packages), then made read-only; (venv's python,
    an environment whose HOME and XDG folders are in tmp/home, tmp)."""
    tmp = tmp_path_factory.mktemp("install")
    build = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
                            "-w", str(tmp / "dist"), str(paths.ROOT)], capture_output=True, text=True)  # fmt: skip
    assert build.returncode == 0, build.stderr[-2000:]
    wheel = next((tmp / "dist").glob("cartohdf-*.whl"))
    venv = tmp / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    python = venv / "bin" / "python"
    site = Path(subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
                               capture_output=True, text=True, check=True).stdout.strip())  # fmt: skip
    # this interpreter's packages (CI's, or the newest allowed ones in .ci/newest), after the venv's own
    ours = dict.fromkeys([sysconfig.get_path("purelib"), sysconfig.get_path("platlib")])
    (site / "dependencies.pth").write_text(
        "".join(f"import site; site.addsitedir({p!r})\n" for p in ours)
    )
    subprocess.run([str(python), "-m", "pip", "install", "-q", "--no-deps", str(wheel)], check=True,
                   capture_output=True)  # fmt: skip
    set_writable(venv, False)
    (tmp / "home").mkdir()
    drop = ("PYTHONPATH", "PYTHONDONTWRITEBYTECODE", "CARTOHDF_ROOT", "CARTOHDF_CACHE_DIR", "CARTOHDF_IMPORTS_DIR",
            "MPLCONFIGDIR", "XDG_CACHE_HOME", "XDG_DATA_HOME", "XDG_CONFIG_HOME")  # fmt: skip
    env = {k: v for k, v in os.environ.items() if k not in drop} | {"HOME": str(tmp / "home")}
    for name in ("elsewhere", "read-only"):
        (tmp / name).mkdir()
    set_writable(tmp / "read-only", False)
    probe = subprocess.run([*unprivileged(), "id", "-u"], capture_output=True, text=True)
    # really unprivileged
    assert probe.returncode == 0 and probe.stdout.strip() != "0", probe.stderr
    yield python, env, tmp
    for folder in (venv, tmp / "read-only"):
        set_writable(folder, True)


def package_dir(python: Path, env: dict[str, str], cwd: Path) -> Path:
    code = "import cartohdf, pathlib; print(pathlib.Path(cartohdf.__file__).parent)"
    out = subprocess.run(
        [str(python), "-c", code], env=env, cwd=cwd, capture_output=True, text=True, check=True
    )
    return Path(out.stdout.strip())


def test_the_read_only_wheel_exports_the_same_map_and_runs_the_app_writing_only_to_the_user_folders(
    installed, data
):
    python, env, tmp = installed
    cwd = tmp / "elsewhere"
    package = package_dir(python, env, cwd)
    assert package.is_relative_to(tmp / "venv") and (package / "_embedded" / "geo").is_dir()
    before = snapshot(tmp / "venv")
    out = cwd / "carte.html"
    cli = [str(python), "-m", "cartohdf.front.cli", "export", "--out", str(out), "--date", DAY.isoformat()]  # fmt: skip
    done = subprocess.run([*unprivileged(), *cli], env=env, cwd=cwd, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert out.read_text(encoding="utf-8") == export_html({}, data)  # the checkout's bytes
    app = subprocess.run([*unprivileged(), str(python), "-c", APP_TEST], env=env, cwd=tmp / "read-only",
                         capture_output=True, text=True)  # fmt: skip
    assert app.returncode == 0, app.stderr[-2000:]
    assert "Hauts-de-France" in app.stdout
    assert snapshot(tmp / "venv") == before  # nothing written into the install, bytecode included
    # the checked data were cached where the user's cache is
    assert list((tmp / "home" / ".cache" / "cartohdf" / "dataset").glob("*.dataset.zip"))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def listening(port: int) -> set[str]:
    """The local addresses (hex, as the kernel lists them) of the TCP sockets listening on `port`."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            address, _, hex_port = local.partition(":")
            if state == "0A" and int(hex_port, 16) == port:
                found.add(address)
    return found


def wait_for_health(url: str, server: subprocess.Popen[bytes], deadline_s: float = 90) -> str:
    """Poll Streamlit's health endpoint until it answers, the server exits or the deadline passes."""
    deadline, answer = time.monotonic() + deadline_s, ""
    while time.monotonic() < deadline and answer != "ok" and server.poll() is None:  # fmt: skip
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                answer = r.read().decode()
        except OSError:
            time.sleep(0.3)
    return answer


@pytest.mark.parametrize("options", [["--server.port", "{port}"], ["--", "--server.port={port}"]])
def test_cartohdf_app_serves_the_read_only_install_on_loopback_and_stops_whole(installed, options):
    python, env, tmp = installed
    port = free_port()
    cartohdf = [str(python.parent / "cartohdf"), "app", *(o.format(port=port) for o in options)]
    before = snapshot(tmp / "venv")
    log = tmp / f"app-{port}.log"
    with log.open("wb") as out:
        server = subprocess.Popen([*unprivileged(), *cartohdf], env=env, cwd=tmp / "read-only", stdout=out,
                                  stderr=subprocess.STDOUT)  # fmt: skip
    try:
        assert wait_for_health(f"http://127.0.0.1:{port}", server) == "ok", log.read_text()[-2000:]
        assert listening(port) == {"0100007F"}  # 127.0.0.1 only: this machine's loopback
    finally:
        server.terminate()
        server.wait(timeout=30)
    # the server was `cartohdf app` itself (Streamlit took its place): nothing outlives it
    assert listening(port) == set()
    assert snapshot(tmp / "venv") == before


def test_app_options_go_to_streamlit_as_given_and_loopback_is_only_a_default():
    command = app_command(("--server.port", "8600", "--theme.base", "dark"))
    assert command[:4] == [sys.executable, "-m", "streamlit", "run"]
    assert command[-4:] == ["--server.port", "8600", "--theme.base", "dark"]
    assert command[command.index("--server.address") + 1] == "127.0.0.1"
    for asked in (("--server.address", "0.0.0.0"), ("--server.address=0.0.0.0",)):
        command = app_command(asked)
        assert command.count("127.0.0.1") == 0 and command[-len(asked) :] == list(asked)


# --- the container -------------------------------------------------------------------------------

DOCKERFILE = paths.ROOT / "Dockerfile"


def final_stage() -> dict[str, list[str]]:
    """The instructions of the Dockerfile's last stage: {instruction: [arguments, …]}, lines joined."""
    text = DOCKERFILE.read_text(encoding="utf-8").replace("\\\n", " ")
    stages: list[dict[str, list[str]]] = []
    for line in text.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        word, _, rest = line.strip().partition(" ")
        if word.upper() == "FROM":
            stages.append({})
        if stages:
            stages[-1].setdefault(word.upper(), []).append(rest.strip())
    return stages[-1]


def env_of(stage: dict[str, list[str]]) -> dict[str, str]:
    return dict(w.split("=", 1) for line in stage.get("ENV", []) for w in shlex.split(line))


def test_the_dockerfile_builds_the_wheel_and_runs_it_as_a_non_root_user_on_a_read_only_root():
    text = DOCKERFILE.read_text(encoding="utf-8")
    stage = final_stage()
    base = next(line.split("=", 1)[1] for line in text.splitlines() if line.startswith("ARG PYTHON_IMAGE="))
    name, _, tag = base.partition(":")
    # the official Python image, slim, pinned to a release (python:3.11.11-slim-…, not :3 or :latest)
    assert name == "python" and "slim" in tag and tag[0].isdigit() and tag.count(".") == 2
    assert stage["FROM"] == ["${PYTHON_IMAGE}"] and "pip wheel" in text and "cartohdf-*.whl" in text
    user = stage["USER"][-1].split(":")[0]
    assert user.isdigit() and int(user) != 0  # numeric and not root
    env = env_of(stage)
    volumes = json.loads(stage["VOLUME"][0])
    writable = [v for v in volumes if v.startswith("/")]
    for var in ("HOME", "TMPDIR", "CARTOHDF_CACHE_DIR", "CARTOHDF_IMPORTS_DIR", "MPLCONFIGDIR"):
        assert any(Path(env[var]).is_relative_to(w) for w in writable), var  # on a writable mount
    health = " ".join(stage["HEALTHCHECK"])
    assert "http://127.0.0.1:8501/_stcore/health" in health
    command = json.loads(stage["ENTRYPOINT"][0]) + json.loads(stage["CMD"][0])
    assert command[:2] == ["cartohdf", "app"] and "0.0.0.0" in command and "8501" in command
    ignored = [line for line in (paths.ROOT / ".dockerignore").read_text(encoding="utf-8").splitlines()
               if line and not line.startswith("#")]  # fmt: skip
    assert ignored[0] == "*"  # the build context: only what the wheel is made of
    copied = [w for line in text.splitlines() if line.startswith("COPY ") and "--from" not in line
              for w in line.split()[1:-1]]  # fmt: skip
    assert copied and all(
        f"!{c.rstrip('/')}" in ignored or f"!{c.rstrip('/')}/" in ignored for c in copied
    )


CONTAINER = """
set -e
ip link set lo up
for d in "$@"; do mount --bind "$d" "$d"; done
findmnt -rno TARGET | grep -v -E '^/(proc|sys|dev)(/|$)' | while read -r m; do
  case " $* " in *" $m "*) ;; *) mount -o remount,bind,ro "$m" 2>/dev/null || true ;; esac
done
touch "$1/../write-probe" 2>/dev/null && { echo "the root filesystem is still writable" >&2; exit 3; }
exec unshare --user --map-user={uid} --map-group={uid} env -i {env} {command}
"""


def test_the_container_command_serves_the_app_from_a_read_only_root_as_the_dockerfile_says(installed):
    """The Dockerfile's command, user and environment, run as `docker run --read-only` would: in
    namespaces of its own (network: its port 8501 is its own), the whole root filesystem
    remounted read-only but for the Dockerfile's volumes (relocated under tmp), as its uid; then
    its HEALTHCHECK, the page and one run of the app's script through Streamlit's websocket."""
    if os.geteuid() != 0:
        pytest.skip("enters the container's network namespace from outside: needs root, as CI runs")
    if not all(shutil.which(tool) for tool in ("unshare", "nsenter", "findmnt", "ip")):
        pytest.fail("this test needs util-linux (unshare, nsenter, findmnt) and iproute2 (ip)")
    python, _, tmp = installed
    stage = final_stage()
    volumes = {v: tmp / "container" / v.lstrip("/") for v in json.loads(stage["VOLUME"][0])}
    for folder in volumes.values():
        folder.mkdir(parents=True, exist_ok=True)

    def inside(value: str) -> str:
        for path, folder in volumes.items():
            if value == path or value.startswith(path + "/"):
                return str(folder) + value[len(path) :]
        return value

    env = {k: inside(v) for k, v in env_of(stage).items()}
    env |= {"PATH": f"{python.parent}:/usr/local/bin:/usr/bin:/bin", "LANG": "C.UTF-8"}
    command = json.loads(stage["ENTRYPOINT"][0]) + json.loads(stage["CMD"][0])
    script = (CONTAINER.replace("{uid}", stage["USER"][-1].split(":")[0])
              .replace("{env}", shlex.join(f"{k}={v}" for k, v in env.items()))
              .replace("{command}", shlex.join(command)))  # fmt: skip
    log = tmp / "container.log"
    with log.open("wb") as out:
        server = subprocess.Popen(["unshare", "--user", "--map-root-user", "--mount", "--net", "sh", "-c", script,
                                   "sh", *map(str, volumes.values())], cwd=tmp / "read-only", stdout=out,
                                  stderr=subprocess.STDOUT)  # fmt: skip
    health = json.loads(stage["HEALTHCHECK"][0].split(" CMD ", 1)[1])
    try:
        # the client joins the container's network once unshare has made it (else it would be ours)
        ours, deadline = os.readlink("/proc/self/ns/net"), time.monotonic() + 30
        while server.poll() is None and time.monotonic() < deadline and os.readlink(f"/proc/{server.pid}/ns/net") == ours:  # fmt: skip
            time.sleep(0.01)
        assert server.poll() is None and os.readlink(f"/proc/{server.pid}/ns/net") != ours, log.read_text()
        client = CLIENT.format(health=health, python=str(python))
        done = subprocess.run(["nsenter", "--target", str(server.pid), "--net", sys.executable, "-c", client],
                              cwd=paths.ROOT, env={**os.environ, "PYTHONPATH": str(paths.ROOT)},
                              capture_output=True, text=True, timeout=240)  # fmt: skip
    finally:
        server.terminate()
        server.wait(timeout=30)
    assert done.returncode == 0, done.stdout + done.stderr[-2000:] + log.read_text()[-2000:]
    assert done.stdout.split() == ["healthy", "page", "run-without-exception"], done.stdout
    # the checked data were cached where the Dockerfile says: on its volume
    assert list((volumes["/data"] / "cache" / "dataset").glob("*.dataset.zip"))


CLIENT = """
import asyncio, subprocess, sys, time, urllib.request
from tests.st_client import Session

def health():  # the Dockerfile's HEALTHCHECK, with the venv's python
    return subprocess.run([{python!r}, *{health!r}[1:]], capture_output=True).returncode == 0

deadline = time.monotonic() + 90
while not health():  # a condition, polled; the server starts in a few seconds
    if time.monotonic() > deadline:
        sys.exit("no health")
    time.sleep(0.3)
print("healthy")
with urllib.request.urlopen("http://127.0.0.1:8501/", timeout=10) as r:
    assert r.status == 200 and b"<div id=\\"root\\">" in r.read()
print("page")

async def one_run():
    session = await Session("http://127.0.0.1:8501").open()
    try:
        return await session.run(timeout_s=180)
    finally:
        await session.close()

run = asyncio.run(one_run())
assert run.exceptions == 0 and run.messages > 10, run
print("run-without-exception")
"""
