"""The app's upload worker: a child under an address-space limit, a few at once at most."""

from __future__ import annotations

import pytest

from cartohdf.core import UPLOAD_WORKERS, InputError
from cartohdf.front import app

ZONES = {"ze2010": ["0055", "2203"], "ze2020": ["3201"]}
CSV = b"code;v\n55;1,5\n2203;2\n"


def test_when_every_worker_is_busy_the_user_is_told_to_try_again():
    held = 0
    try:
        while app._WORKERS.acquire(blocking=False):  # other sessions' parses, running
            held += 1
        assert held == UPLOAD_WORKERS
        with pytest.raises(InputError) as err:
            app.parse_upload_isolated(CSV, "a.csv", ZONES, wait_s=0)
        assert err.value.message("fr") == (
            "a.csv : d’autres fichiers sont en cours de lecture ; attendu : réessayez dans un instant"
        )
        assert "try again in a moment" in err.value.message("en")
    finally:
        for _ in range(held):
            app._WORKERS.release()
    ok = app.parse_upload_isolated(CSV, "a.csv", ZONES, wait_s=0)  # a slot is free again
    assert ok.values.to_dict() == {"0055": 1.5, "2203": 2.0}


def test_a_worker_out_of_memory_gives_the_plain_message():
    notes = ";".join(["x" * 20_000] * 100)  # a 4 MB file within every bound
    raw = (
        f"code;v;{';'.join(f'n{i}' for i in range(100))}\n55;1,5;{notes}\n2203;2;{notes}\n".encode()
    )
    # 1 MB beyond what the child maps at start: unpickling the request already fails there
    with pytest.raises(InputError) as err:
        app.parse_upload_isolated(raw, "big.csv", ZONES, column="v", memory_bytes=2**20)
    assert err.value.problem == "err.upload_crashed"
    assert err.value.message("en").startswith(
        "big.csv: the file could not be read (memory or format)"
    )
    ok = app.parse_upload_isolated(raw, "big.csv", ZONES, column="v")  # the app's own limit
    assert ok.values.to_dict() == {"0055": 1.5, "2203": 2.0}
