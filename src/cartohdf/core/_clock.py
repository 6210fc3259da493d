"""The one clock of cartohdf: the date stamped on exports (maps, tables, atlas).

Only the front doors (CLI, app) ask it; every export function takes its date as an argument,
so the same view gives the same bytes whatever the day. ``SOURCE_DATE_EPOCH`` (the
reproducible-builds convention: seconds since 1970-01-01 UTC) fixes the date, for a
reproducible export or a test run that must not depend on the calendar.
"""

from __future__ import annotations

import datetime as dt
import os


def today() -> dt.date:
    """The date to stamp: ``SOURCE_DATE_EPOCH``'s day in UTC when set, else the local date."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch:
        try:
            return dt.datetime.fromtimestamp(int(epoch), dt.UTC).date()
        except (ValueError, OverflowError, OSError):
            pass  # not a number of seconds: the convention says to ignore it
    return dt.date.today()
