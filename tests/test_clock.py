"""The date stamped on exports comes from one clock, asked only by the front doors: the same
view exported on two different days differs by its date stamp alone, and no test (nor any
export function) depends on the calendar, the time zone or the locale."""

from __future__ import annotations

import ast
import datetime as dt

import pytest
from click.testing import CliRunner

from cartohdf.core import clock, paths
from cartohdf.front.cli import main

DAYS = {dt.date(2027, 7, 14): "14/07/2027", dt.date(2031, 2, 28): "28/02/2031"}


def epoch(day: dt.date) -> str:
    return str(int(dt.datetime(day.year, day.month, day.day, 23, 59, tzinfo=dt.UTC).timestamp()))


def test_source_date_epoch_sets_the_day_in_utc_whatever_the_time_zone(monkeypatch):
    monkeypatch.setenv("TZ", "Pacific/Kiritimati")  # UTC+14: the local date is already tomorrow
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch(dt.date(2027, 7, 14)))
    assert clock.today() == dt.date(2027, 7, 14)
    local = dt.date(2030, 1, 2)  # the machine's own date, stubbed: the test reads no calendar

    class Calendar:
        UTC, datetime = dt.UTC, dt.datetime

        class date:  # stands for datetime.date
            @staticmethod
            def today() -> dt.date:
                return local

    monkeypatch.setattr(clock, "dt", Calendar)
    for junk in ("", "soon", "1e99", "99999999999999999999"):
        monkeypatch.setenv("SOURCE_DATE_EPOCH", junk)
        assert clock.today() == local  # ignored, as the convention says


@pytest.mark.parametrize("fmt", ["html", "svg"])
def test_an_export_made_on_two_days_differs_by_its_date_stamp_alone(tmp_path, monkeypatch, fmt):
    bodies = {}
    for day, shown in DAYS.items():
        monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch(day))
        out = tmp_path / f"{day}.{fmt}"
        args = ["export", "--out", str(out), "--zone", "2203", "--layers", "s3,employers"]
        result = CliRunner().invoke(main, args)  # no --date: the clock's day
        assert result.exit_code == 0, result.output
        body = out.read_text(encoding="utf-8")
        assert shown in body and all(other not in body for other in DAYS.values() if other != shown)
        bodies[day] = body.replace(shown, "DAY")
    first, second = bodies.values()
    assert first == second


def test_the_date_flag_wins_over_the_clock(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch(dt.date(2031, 2, 28)))
    out = tmp_path / "map.html"
    result = CliRunner().invoke(main, ["export", "--out", str(out), "--date", "2027-07-14"])
    assert result.exit_code == 0, result.output
    assert "14/07/2027" in out.read_text(encoding="utf-8")


CALENDAR_READS = {("date", "today"), ("datetime", "today"), ("datetime", "now"),
                  ("datetime", "utcnow"), ("time", "localtime"), ("time", "strftime")}  # fmt: skip


def calendar_reads(source: str) -> list[int]:
    """Lines of `source` that read today's date or the local time (``date.today()``…)."""
    lines = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            owner = node.func.value
            name = owner.attr if isinstance(owner, ast.Attribute) else getattr(owner, "id", "")
            if (name, node.func.attr) in CALENDAR_READS:
                lines.append(node.lineno)
    return lines


def test_only_the_clock_reads_the_calendar():
    files = [*sorted((paths.ROOT / "src" / "cartohdf").rglob("*.py")), paths.ROOT / "streamlit_app.py"]
    readers = {str(f.relative_to(paths.ROOT)): calendar_reads(f.read_text(encoding="utf-8"))
               for f in files}  # fmt: skip
    assert {f for f, lines in readers.items() if lines} == {"src/cartohdf/core/_clock.py"}
    assert calendar_reads("import datetime as dt\nday = dt.date.today()\n") == [2]  # the check works
