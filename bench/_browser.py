"""Shared helpers of the browser benches: start a Streamlit app, and probe a Leaflet map and
the page around it from what a user sees (async Playwright).

The probes know Leaflet's public classes (`.leaflet-container`, `path.leaflet-interactive`,
`.leaflet-marker-icon`) and `L.Map.latLngToContainerPoint`, not how an app builds its map:
the map may sit in any frame (a component's iframe, a `srcdoc` iframe) and is found there.
Times are read on the page's own clock as epoch milliseconds (`performance.timeOrigin +
performance.now()`), comparable between frames and with the bench's `time.time()`.
"""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from tests.conftest import CHROMIUM, CHROMIUM_ARGS  # noqa: E402

MAP = ".leaflet-container"
ZONE_PATH = "path.leaflet-interactive"
MARKER = ".leaflet-marker-pane .leaflet-marker-icon"

# Installed in every frame before its scripts run. `drawn`: when the frame first held a map
# with a shape. `watch(name, selector, text, min)`: note when at least `min` elements match
# `selector` (and hold `text`), checked at each change of the document (MutationObserver, so
# the time is that of the change, before it is painted). `arm()`: note the next click.
PROBE = """(() => {
  // a frame's first (blank) document hands its window on to the page it loads: one probe
  // per document, not per window
  if (window.__probe && window.__probe.doc === document) return;
  const P = window.__probe = { doc: document, seen: {}, watches: {}, drawn: null, click: null };
  const now = () => performance.timeOrigin + performance.now();
  const hits = (w) => {
    const all = document.querySelectorAll(w.selector);
    let n = 0;
    for (const e of all) if (!w.text || e.textContent.includes(w.text)) n++;
    return n >= w.min;
  };
  const check = (by) => {
    if (P.drawn === null && document.querySelector('MAP_SHAPE')) {
      P.drawn = now();
      P.drawnBy = by;  // 'observer'; 'frame' (the safeguard); 'late': found by the bench
    }
    for (const [name, w] of Object.entries(P.watches)) {
      if (hits(w)) { P.seen[name] = now(); delete P.watches[name]; }
    }
  };
  P.watch = (name, selector, text, min) => {
    delete P.seen[name];
    P.watches[name] = { selector, text, min: min || 1 };
    check('observer');
    return P.seen[name] === undefined;  // false: already there before the action
  };
  P.count = (selector) => document.querySelectorAll(selector).length;
  P.arm = () => {
    P.click = null;
    window.addEventListener('click', (e) => { P.click = performance.timeOrigin + e.timeStamp; },
                            { capture: true, once: true });
  };
  P.check = check;
  new MutationObserver(() => check('observer')).observe(document, { childList: true, subtree: true,
                                                  characterData: true });
  // a safeguard, should a change escape the observer (seen once after a frame's document
  // was rewritten): each animation frame looks too, so a time is at most a frame late
  const frame = () => {
    if (window.__probe !== P) return;
    if (P.drawn === null || Object.keys(P.watches).length) check('frame');
    requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
})();""".replace("MAP_SHAPE", f"{MAP} {ZONE_PATH}")

# The on-screen point (frame's viewport) of a (lat, lng) on the frame's Leaflet map, found
# as the frame's L.Map instance (Leaflet's public API; no app variable named).
POINT = """([lat, lng]) => {
  let map = null;
  for (const k of Object.keys(window)) {
    try { if (window[k] instanceof L.Map) { map = window[k]; break; } } catch (e) {}
  }
  if (!map) return null;
  const p = map.latLngToContainerPoint([lat, lng]);
  const r = map.getContainer().getBoundingClientRect();
  const inside = p.x > 0 && p.y > 0 && p.x < r.width && p.y < r.height;
  return { x: r.left + p.x, y: r.top + p.y, inside };
}"""

FRAME = "() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(script: Path, *options: str, timeout_s: float = 120.0) -> tuple[Any, str, float]:
    """`streamlit run script` (headless, loopback, no file watcher) on a free port; returns
    (process, base URL, launch time as epoch seconds) once /_stcore/health answers."""
    port = free_port()
    log = tempfile.TemporaryFile()  # noqa: SIM115 - a file, not a pipe nobody reads
    launched = time.time()
    process = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(script), "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true",
         "--server.fileWatcherType", "none", "--browser.gatherUsageStats", "false", *options],
        cwd=ROOT, env={**os.environ, "PYTHONUNBUFFERED": "1"}, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return process, url, launched
        except OSError:
            time.sleep(0.05)  # short: the cold start is timed from the launch
    process.kill()
    process.wait()
    log.seek(0)
    raise RuntimeError(f"{script} did not start: {log.read().decode(errors='replace')[-2000:]}")


def stop_server(process: Any) -> None:
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@dataclass
class Traffic:
    """A page's websocket traffic to its Streamlit server: bytes each way, and the times of
    the last message sent and of the last `script_finished` received."""

    received: int = 0
    sent: int = 0
    last_sent: float = 0.0
    last_received: float = 0.0
    last_finished: float = 0.0
    finished: int = 0
    sockets: list[Any] = field(default_factory=list)

    def attach(self, page: Any) -> None:
        page.on("websocket", self._socket)

    def _socket(self, ws: Any) -> None:
        if "/_stcore/stream" not in ws.url:
            return
        self.sockets.append(ws)
        ws.on("framereceived", self._received)
        ws.on("framesent", self._sent)

    def _received(self, payload: str | bytes) -> None:
        data = payload if isinstance(payload, bytes) else payload.encode()
        self.received += len(data)
        self.last_received = time.monotonic()
        if _script_finished(data):
            self.finished += 1
            self.last_finished = time.monotonic()

    def _sent(self, payload: str | bytes) -> None:
        self.sent += len(payload if isinstance(payload, bytes) else payload.encode())
        self.last_sent = time.monotonic()

    def snapshot(self) -> tuple[int, int]:
        return self.received, self.sent


def _script_finished(data: bytes) -> bool:
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    msg = ForwardMsg()
    try:
        msg.ParseFromString(data)
    except Exception:  # a frame that is no ForwardMsg is simply not the end
        return False
    return msg.WhichOneof("type") == "script_finished"


IDLE = """() => {
  const app = document.querySelector('[data-testid="stApp"]');
  return !!app && app.getAttribute('data-test-script-state') === 'notRunning'
    && !document.querySelector('[data-stale="true"]');
}"""


async def settled(page: Any, traffic: Traffic, since: float, quiet_s: float = 0.4,
                  timeout_s: float = 120.0) -> None:  # fmt: skip
    """Wait until the server has answered everything asked since `since` (monotonic): a
    `script_finished` after the last message sent, nothing received for `quiet_s`, and the
    app idle (Streamlit's run state). An action that asked nothing waits `quiet_s` only."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        now = time.monotonic()
        answered = traffic.last_sent <= since or traffic.last_finished > traffic.last_sent
        quiet = now - max(traffic.last_received, traffic.last_sent, since) >= quiet_s
        if answered and quiet and await page.evaluate(IDLE):
            return
        await asyncio.sleep(0.05)
    raise TimeoutError("the app did not settle")


async def map_frame(page: Any, timeout_s: float = 120.0) -> Any:
    """The frame holding the Leaflet map, once a shape is drawn in it."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        for frame in page.frames:
            try:
                # the init script misses a document that took over its frame's first blank
                # window (Chromium keeps the window): such a document gets its probe now
                await frame.evaluate(PROBE)
                if await frame.evaluate(
                    "() => (window.__probe.check('late'), window.__probe.drawn)"
                ):
                    return frame
            except Exception:  # a frame detached or still loading
                continue
        await asyncio.sleep(0.02)
    await page.screenshot(path=str(Path(tempfile.gettempdir()) / "bench_no_map.png"))
    raise TimeoutError(f"no map drawn in {[f.url[:80] for f in page.frames]}")


async def screen_point(page: Any, frame: Any, lat: float, lng: float) -> tuple[float, float]:
    """Where (lat, lng) is on screen (page coordinates), once the map stops moving."""
    box = await (await frame.frame_element()).bounding_box() if frame != page.main_frame else None
    dx, dy = (box["x"], box["y"]) if box else (0.0, 0.0)
    last = None
    for _ in range(300):
        p = await frame.evaluate(POINT, [lat, lng])
        if p is None:
            raise RuntimeError("no Leaflet map in the frame")
        if p == last:
            if not p["inside"]:
                raise RuntimeError(f"({lat}, {lng}) is outside the map's view")
            return dx + p["x"], dy + p["y"]
        last = p
        await frame.evaluate(FRAME)
    raise RuntimeError("the map kept moving")


async def heap_mb(context: Any, page: Any) -> float:
    """JS heap in use by the page and its same-origin frames (Chrome's JSHeapUsedSize), after
    a garbage collection (so that two pages compare what they hold, not when V8 collected)."""
    cdp = await context.new_cdp_session(page)
    await cdp.send("HeapProfiler.collectGarbage")
    await cdp.send("Performance.enable")
    metrics = (await cdp.send("Performance.getMetrics"))["metrics"]
    await cdp.detach()
    return next(m["value"] for m in metrics if m["name"] == "JSHeapUsedSize") / 1e6


async def launch(playwright: Any) -> Any:
    return await playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                            args=CHROMIUM_ARGS)  # fmt: skip
