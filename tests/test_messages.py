"""Every refusal speaks plainly: file, row, column and value in words, in both languages, and
never a Python repr, an exception class name or a traceback."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import Workbook

from cartohdf.core import MAX_UPLOAD_BYTES, CartohdfError
from cartohdf.data import (
    check_import_name,
    dataset_for,
    derive_import_name,
    import_urssaf,
    parse_indicator,
)
from cartohdf.front.cli import main
from cartohdf.state import from_query, parse_breaks_text, resolve

ZONES = {"ze2010": ["0055", "2203", "3111"], "ze2020": ["3201", "3216"]}
# a repr, a class name or a traceback: what a person should never read
INTERNALS = re.compile(r"[\[\]']|Error|Exception|Traceback|<class|\\x[0-9a-f]{2}|None\b")


def _xlsx(rows, formula=False) -> bytes:
    book = Workbook()
    for r in rows:
        book.active.append(r)
    if formula:
        book.active["B3"] = "=B2*2"
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def _bomb() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/worksheets/sheet1.xml", "0" * 60_000_000)
    return buf.getvalue()


FILES = {
    "binary": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
    "empty": b"",
    "one column": b"code\n55\n",
    "no rows": b"code;v\n",
    "bad cell": b"code;v\n55;douze\n",
    "unknown codes": b"code;v\n55;1\n9999;2\n",
    "duplicate": b"code;v\n55;1\n0055;2\n",
    "other zoning": b"code;v\n3201;1\n",
    "no code column": b"nom;v\nLille;1\n",
    "several columns": b"code;a;b\n55;1;2\n",
    "no value": b"code;v\n55;\n",
    "column count": b"code;v;w\n55;1\n",
    "truncated": b"code;v\n55;12,5",
    "truncated quote": b'code;"v\n55;1\n',
    "truncated utf8": "code;é\n55;1\né".encode()[:-1],
    "too big": b"code;v\n" + b"0055;1\n" * (MAX_UPLOAD_BYTES // 7 + 10),
    "too many rows": b"code;v\n" + b"55;1\n" * 10_100,
    "too many columns": (";".join(["code"] + [f"c{i}" for i in range(250)]) + "\n").encode(),
    "infinite": b"code;v\n55;inf\n",
    "huge": b"code;v\n55;1e300\n",
    "xlsx cut": _xlsx([["code", "v"], ["55", 1]])[:300],
    "xlsx formula": _xlsx([["code", "v"], ["55", 1], ["2203", None]], formula=True),
    "xlsx bomb": _bomb(),
}


def _messages(exc: CartohdfError) -> list[str]:
    return [exc.message("fr"), exc.message("en")]


@pytest.mark.parametrize("case", sorted(FILES))
def test_every_refused_file_is_explained_plainly(case):
    kwargs = {"zoning": "ze2010"} if case == "other zoning" else {}
    name = "x.xlsx" if case.startswith("xlsx") else "x.csv"
    with pytest.raises(CartohdfError) as err:
        parse_indicator(FILES[case], name, ZONES, **kwargs)
    for text in _messages(err.value):
        assert name in text and not INTERNALS.search(text), text


STATES = [{"k": "12"}, {"k": "cinq"}, {"zoning": "ze1990"}, {"layers": "routes"}, {"year": "20x7"},
          {"scheme": "user"}, {"scheme": "user", "breaks": "3,1"}, {"breaks": ",".join(map(str, range(30)))},
          {"breaks": "a,b"}, {"colour": "red"}, {"source": "../x"}, {"upload": "zz"}, {"indicator": "user"},
          {"zone": "x" * 3000}]  # fmt: skip


@pytest.mark.parametrize("params", STATES)
def test_every_refused_link_is_explained_plainly(params):
    with pytest.raises(CartohdfError) as err:
        from_query(params)
    for text in _messages(err.value):
        assert not INTERNALS.search(text.replace("'", "")) or "'" in str(params), text
        assert not re.search(r"[\[\]]|Error|Exception|Traceback", text), text


@pytest.mark.parametrize("params", [{"year": "1990"}, {"zone": "9999"}, {"indicator": "chomage"},
                                    {"indicator": "industrial_change", "year": "2017-2007"}])  # fmt: skip
def test_every_state_the_data_refuses_is_explained_plainly(data, params):
    with pytest.raises(CartohdfError) as err:
        resolve(from_query(params), data)
    for text in _messages(err.value):
        assert not INTERNALS.search(text), text


def test_missing_data_typed_bounds_and_import_names_are_explained_plainly(tmp_path, data):
    errors = []
    for call in (lambda: dataset_for(source="absent"), lambda: dataset_for(upload="0123456789abcdef"),
                 lambda: parse_breaks_text("0,1 ; abc"), lambda: check_import_name("../data"),
                 lambda: derive_import_name(Path("...csv")),
                 lambda: import_urssaf(tmp_path / "absent.csv", data.communes, tmp_path)):  # fmt: skip
        with pytest.raises(CartohdfError) as err:
            call()
        errors.append(err.value)
    for e in errors:
        for text in _messages(e):
            assert not INTERNALS.search(text), text


@pytest.mark.parametrize(
    "args",
    [["export", "--out", "x.html", "--k", "12"], ["export", "--out", "x.html", "--source", "absent"],
     ["export", "--out", "x.html", "--date", "hier"], ["export-data", "--zoning", "ze2010", "--out", "x.csv", "--source", "../x"],
     ["import-urssaf", "absent.csv"], ["export", "--out", "x.html", "--indicator-file", "absent.csv"],
     ["export", "--out", "no/such/folder/x.html"], ["export-data", "--out", "no/such/folder/x.csv"]],
)  # fmt: skip
def test_the_command_line_refuses_in_one_plain_line(args, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for lang in ("fr", "en"):
        result = CliRunner(env={"CARTOHDF_LANG": lang}).invoke(main, args)
        assert result.exit_code == 2, result.output
        line = result.output.strip()
        assert "\n" not in line and line.startswith("Erreur : " if lang == "fr" else "Error: ")
        assert not INTERNALS.search(line.removeprefix("Error: ")), line
