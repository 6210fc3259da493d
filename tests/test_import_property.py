"""Any damage to a valid URSSAF file (cut, duplicated lines, swapped bytes, other line ends, huge
or negative numbers) is either imported exactly as an independent reference parse reads it, by
both engines alike, or refused with a plain CartohdfError; never another exception, never a
folder left in imports/."""

from __future__ import annotations

import csv
import io

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cartohdf.core import (
    FRANCE,
    MAX_JOBS_PER_CELL,
    URSSAF_GRAND_SECTOR_A5,
    URSSAF_YEARS,
    CartohdfError,
    InputError,
    parse_number,
)
from cartohdf.data import import_urssaf
from cartohdf.data._imports import (
    CODE,
    DEP,
    FILE_ZONE,
    GS,
    NA38,
    _check_complete,
    aggregate_pandas,
    read_header,
)
from cartohdf.data._imports_arrow import aggregate_arrow

HEADER = [DEP, "Nom commune", CODE, GS, NA38, FILE_ZONE, "Effectifs salariés 2019", "Effectifs salariés 2020"]  # fmt: skip
ROWS = [
    ["59", "Lille", "59350", "GS1 Industrie", "CH Métallurgie", "3216", "120", "118"],
    ["80", "Amiens", "80021", "GS3 Commerce", "GZ Commerce", "3201", "40", ""],
    ["59", "Lille", "59350", "GS6 Intérim", "NZ Services administratifs", "3216", "", "7"],
    ["62", "Arras", "62041", "GS2 Construction", "FZ Construction", "3209", "15", "16"],
    ["75", "Paris", "75056", "GS1 Industrie", "CA Industries alimentaires", "1101", "900", "901"],
    [
        "59",
        "Éterpigny",
        "59999",
        "GS7 Services non marchands",
        "QB Action sociale",
        "3216",
        "3",
        "3",
    ],
]
VALID = b"\xef\xbb\xbf" + "\r\n".join(";".join(r) for r in [HEADER, *ROWS]).encode() + b"\r\n"
NUMBERS = ["1e19", "1" + "0" * 29, "1e308", "-5", "-0", "007", "12,5", "1 000", "s", "nan", "inf",
           str(MAX_JOBS_PER_CELL), str(MAX_JOBS_PER_CELL + 1), "", " 5", "+5", "5.0"]  # fmt: skip


def _cut(raw: bytes, k: int) -> bytes:
    return raw[: k % (len(raw) + 1)]


def _cut_at_line(raw: bytes, i: int) -> bytes:
    lines = raw.split(b"\r\n")
    return b"\r\n".join(lines[: i % len(lines)]) + b"\r\n"


def _duplicate_line(raw: bytes, i: int) -> bytes:
    lines = raw.split(b"\r\n")
    return b"\r\n".join([*lines[: i % len(lines) + 1], *lines[i % len(lines) :]])


def _swap(raw: bytes, i: int, j: int) -> bytes:
    b = bytearray(raw)
    if not b:
        return raw
    i, j = i % len(b), j % len(b)
    b[i], b[j] = b[j], b[i]
    return bytes(b)


def _line_ends(raw: bytes, end: bytes, only: int) -> bytes:
    lines = raw.split(b"\r\n")
    if only < 0:
        return end.join(lines)
    k = only % len(lines)
    return b"\r\n".join(lines[:k]) + end + b"\r\n".join(lines[k:]) if k else raw


def _number(raw: bytes, row: int, col: int, text: str) -> bytes:
    lines = raw.split(b"\r\n")
    k = 1 + row % len(ROWS)
    if k >= len(lines):
        return raw
    cells = lines[k].split(b";")
    if len(cells) == len(HEADER):
        cells[6 + col % 2] = text.encode()
        lines[k] = b";".join(cells)
    return b"\r\n".join(lines)


_int = st.integers(0, 10_000)
MUTATION = st.one_of(
    st.builds(lambda k: lambda r: _cut(r, k), _int),
    st.builds(lambda i: lambda r: _cut_at_line(r, i), _int),
    st.builds(lambda i: lambda r: _duplicate_line(r, i), _int),
    st.builds(lambda i, j: lambda r: _swap(r, i, j), _int, _int),
    st.builds(lambda e, o: lambda r: _line_ends(r, e, o), st.sampled_from([b"\n", b"\r", b"\r\n\r\n"]), st.integers(-1, 9)),
    st.builds(lambda r_, c, t: lambda r: _number(r, r_, c, t), _int, _int, st.sampled_from(NUMBERS)),
    st.builds(lambda r_, c, t: lambda r: _number(r, r_, c, t), _int, _int, st.sampled_from(NUMBERS)),
)  # fmt: skip


def _france_a5(table):
    return table[(table["zone_code"] == FRANCE) & (table["level"] == "a5")]


def _reference(raw: bytes) -> dict[tuple[str, int], int] | None:
    """France's jobs by A5 sector and year as the rules read the file; None if it must be refused.
    Written from the rules (README), with Python's csv reader and the one number parser."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None
    if not text.endswith(("\n", "\r")) or "\x00" in text:
        return None
    rows = [r for r in csv.reader(io.StringIO(text, newline=""), delimiter=";") if r]
    header = [h.strip().strip('"') for h in rows[0]] if rows else []
    years = {h: int(h[-4:]) for h in header if h[:-4] == "Effectifs salariés " and h[-4:].isdigit()}
    if not all(c in header for c in (CODE, DEP, GS, NA38)) or not years or len(rows) < 2:
        return None
    if any(not URSSAF_YEARS[0] <= y <= URSSAF_YEARS[1] for y in years.values()):
        return None
    used = [h for h in header if h in (CODE, DEP, GS, NA38, FILE_ZONE) or h in years]
    if len(set(used)) < len(used):
        return None
    totals: dict[tuple[str, int], int] = {}
    for row in rows[1:]:
        if len(row) != len(header):
            return None
        cells = dict(zip(header, row, strict=True))
        a5 = URSSAF_GRAND_SECTOR_A5.get(cells[GS].split(" ", 1)[0])
        if a5 is None:
            return None
        for col, year in years.items():
            try:
                value = parse_number(cells[col])
            except ValueError:
                return None
            if value is not None and not (0 <= value <= MAX_JOBS_PER_CELL and value == int(value)):
                return None
            totals[(a5, year)] = totals.get((a5, year), 0) + int(value or 0)
    return totals


@settings(max_examples=30, deadline=None, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])  # fmt: skip
@given(mutations=st.lists(MUTATION, min_size=1, max_size=3))
def test_a_damaged_file_is_imported_as_the_reference_reads_it_or_refused(
    tmp_path_factory, data, mutations
):
    raw = VALID
    for mutate in mutations:
        raw = mutate(raw)
    folder = tmp_path_factory.mktemp("m")
    path = folder / "urssaf.csv"
    path.write_bytes(raw)
    expected = _reference(raw)
    outcomes = []
    for engine in ("arrow", "pandas"):
        try:
            header = read_header(path)
            _check_complete(path)  # what aggregate() checks before either engine
            if engine == "arrow":
                result = aggregate_arrow(path, header, data.communes)
            else:
                result = aggregate_pandas(path, header, data.communes, chunk_rows=3)
        except InputError as exc:
            outcomes.append(exc.message("en"))
            continue
        if result is None:
            continue  # Arrow gave way to pandas
        tables, summary = result
        fr = _france_a5(tables["ze2010"])
        got = {
            (s, int(y)): int(j)
            for s, y, j in zip(fr["sector"], fr["year"], fr["jobs"], strict=True)
        }
        assert expected is not None, f"{engine} imported a file the rules refuse: {raw!r}"
        assert got == expected, raw
        outcomes.append(
            (sorted(got.items()), summary.rows, summary.rows_region, summary.unplaced_communes)
        )
    if expected is None:
        assert all(isinstance(o, str) for o in outcomes), outcomes
    assert len(set(map(str, outcomes))) == 1, outcomes  # both engines: the same tables or message
    imports = folder / "imports"
    try:
        import_urssaf(path, data.communes, imports, name="m")
    except CartohdfError:
        assert not imports.exists() or sorted(p.name for p in imports.iterdir()) in ([], [".lock"])
    else:
        assert expected is not None
        assert sorted(p.name for p in imports.iterdir()) == [".lock", "m"]


def test_the_valid_file_is_read_by_the_reference_and_both_engines(tmp_path, data):
    path = tmp_path / "urssaf.csv"
    path.write_bytes(VALID)
    expected = _reference(VALID)
    assert expected is not None and expected[("BE", 2019)] == 120 + 900
    fast = aggregate_arrow(path, read_header(path), data.communes)
    assert fast is not None
    fr = _france_a5(fast[0]["ze2010"])
    assert {
        (s, int(y)): int(j) for s, y, j in zip(fr["sector"], fr["year"], fr["jobs"], strict=True)
    } == expected


@pytest.mark.parametrize("text", NUMBERS)
def test_each_number_spelling_is_read_alike(tmp_path, data, text):
    raw = _number(VALID, 0, 0, text)
    path = tmp_path / "urssaf.csv"
    path.write_bytes(raw)
    header = read_header(path)
    try:
        tables, _ = aggregate_pandas(path, header, data.communes)
    except InputError:
        assert _reference(raw) is None
        return
    assert _reference(raw) is not None
    fast = aggregate_arrow(path, header, data.communes)
    if fast is not None:
        assert fast[0]["ze2010"].to_csv() == tables["ze2010"].to_csv()
