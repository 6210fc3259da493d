"""Reads one uploaded indicator file in a process of its own (see `app.parse_upload_isolated`).

argv: the bytes the parse may add to the address space; stdin: a pickle of (bytes, file name,
zone codes by zoning, column); stdout: a pickle of ("ok", UserIndicator) or ("error",
CartohdfError). Out of memory, it exits without answering (the app says so plainly).
Only cartohdf.data is imported.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import resource
import sys

from cartohdf.core import CartohdfError
from cartohdf.data import parse_indicator

OUT_OF_MEMORY = 3


def _mapped_bytes() -> int:
    """The address space this process maps now (Linux: /proc/self/statm; elsewhere 0)."""
    try:
        with open("/proc/self/statm", encoding="ascii") as fh:
            return int(fh.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


def limit_memory(parse_bytes: int) -> None:
    """Let the address space grow by `parse_bytes` at most from now on: past it, allocations
    fail (MemoryError) instead of the machine swapping or the kernel killing the server."""
    limit = _mapped_bytes() + parse_bytes
    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))  # the worker cannot raise it back


def main() -> None:
    with contextlib.suppress(OSError):
        os.nice(10)  # the app's own process (other users' pages) comes first
    request = sys.stdin.buffer.read()  # read before the limit: the request is the app's own
    limit_memory(int(sys.argv[1]))
    try:
        raw, name, zones, column = pickle.loads(request)
        del request
        try:
            answer: tuple[str, object] = ("ok", parse_indicator(raw, name, zones, column=column))
        except CartohdfError as exc:
            answer = ("error", exc)
        sys.stdout.buffer.write(pickle.dumps(answer))
    except MemoryError:
        sys.exit(OUT_OF_MEMORY)


if __name__ == "__main__":
    main()
