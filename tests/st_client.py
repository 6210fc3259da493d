"""A light Streamlit client: one app session over Streamlit's own websocket protocol.

It asks for runs of the script (BackMsg ``rerun_script``) and reads what the server sends
back (ForwardMsg) until the run finishes, counting exception elements. Many such sessions fit
where a browser each would not: the load bench and the concurrency tests use it.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlparse

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from websockets.asyncio.client import ClientConnection, connect


@dataclass
class Run:
    seconds: float
    exceptions: int
    messages: int


@dataclass
class Session:
    """One app session (a browser tab, without the browser)."""

    base_url: str
    query: str = ""
    ws: ClientConnection | None = None
    runs: list[Run] = field(default_factory=list)

    async def open(self) -> Session:
        host = urlparse(self.base_url).netloc
        self.ws = await connect(f"ws://{host}/_stcore/stream", subprotocols=["streamlit"],  # type: ignore[list-item]
                                origin=f"http://{host}", max_size=None, open_timeout=60)  # fmt: skip
        return self

    async def run(self, timeout_s: float = 120.0) -> Run:
        """Ask for one run of the script and wait for its end."""
        assert self.ws is not None
        msg = BackMsg()
        msg.rerun_script.query_string = self.query
        start = time.perf_counter()
        await self.ws.send(msg.SerializeToString())
        exceptions = messages = 0
        while True:
            data = await _recv(self.ws, start + timeout_s - time.perf_counter())
            fm = ForwardMsg()
            fm.ParseFromString(data)
            messages += 1
            kind = fm.WhichOneof("type")
            if kind == "delta" and fm.delta.WhichOneof("type") == "new_element":
                exceptions += fm.delta.new_element.WhichOneof("type") == "exception"
            if kind == "script_finished":
                break
        run = Run(time.perf_counter() - start, exceptions, messages)
        self.runs.append(run)
        return run

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()
            self.ws = None


async def _recv(ws: ClientConnection, timeout_s: float) -> bytes:
    import asyncio

    data = await asyncio.wait_for(ws.recv(), timeout=max(timeout_s, 0.1))
    return data if isinstance(data, bytes) else data.encode()


def start_app(
    *options: str, env: dict[str, str] | None = None, timeout_s: float = 60.0, cwd: Any = None
) -> tuple[Any, str]:
    """Start `streamlit run streamlit_app.py` on a free loopback port; (process, base URL).

    Returns once /_stcore/health answers; raises RuntimeError with the server's last output
    otherwise. `options` are extra `streamlit run` flags; `cwd`, the folder holding the app
    (the project by default).
    """
    import os
    import socket
    import subprocess
    import sys
    import tempfile
    import urllib.request

    from cartohdf.core import paths

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    # a file, not a pipe (a full pipe nobody reads would stall the server); open while it runs
    log = tempfile.TemporaryFile()  # noqa: SIM115
    process = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "streamlit_app.py", "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true", *options],
        cwd=cwd or paths.ROOT, env={**os.environ, "PYTHONUNBUFFERED": "1", **(env or {})},
        stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:  # poll until ready (a condition, with a short interval)
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return process, url
        except OSError:
            time.sleep(0.3)
    process.kill()
    process.wait()
    log.seek(0)
    output = log.read().decode(errors="replace")[-2000:]
    raise RuntimeError(f"streamlit did not become ready: {output}")
