"""Reads one uploaded indicator file in a process of its own (see `app.parse_upload_isolated`).

stdin: a pickle of (bytes, file name, zone codes by zoning, column); stdout: a pickle of
("ok", UserIndicator) or ("error", CartohdfError). Only cartohdf.data is imported.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import sys

from cartohdf.core import CartohdfError
from cartohdf.data import parse_indicator


def main() -> None:
    with contextlib.suppress(OSError):
        os.nice(10)  # the app's own process (other users' pages) comes first
    raw, name, zones, column = pickle.loads(sys.stdin.buffer.read())
    try:
        answer: tuple[str, object] = ("ok", parse_indicator(raw, name, zones, column=column))
    except CartohdfError as exc:
        answer = ("error", exc)
    sys.stdout.buffer.write(pickle.dumps(answer))


if __name__ == "__main__":
    main()
