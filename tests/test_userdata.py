"""User indicator files: the variants French users produce, and every bad-input class."""

from __future__ import annotations

import contextlib
import io

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from cartohdf.core import MAX_UPLOAD_BYTES as MAX_BYTES
from cartohdf.core import CartohdfError, InputError
from cartohdf.data import parse_indicator

ZONES = {
    "ze2010": ["0055", "0056", "2201", "2203", "3111", "3117"],
    "ze2020": ["0054", "0058", "3201", "3216"],
}


def parse(text: str | bytes, **kw):
    raw = text.encode("utf-8") if isinstance(text, str) else text
    return parse_indicator(raw, "mon_fichier.csv", ZONES, **kw)


@pytest.mark.parametrize(
    "raw",
    [
        "code;valeur\n0055;12,5\n2203;7\n",  # ; and decimal comma
        "code,valeur\n0055,12.5\n2203,7\n",  # , and decimal point
        "code\tvaleur\n0055\t12,5\n2203\t7\n",  # tab
        "\ufeffcode;valeur\r\n0055;12,5\r\n2203;7\r\n",  # UTF-8 BOM, CRLF
        "Code zone d'emploi;Taux d'emploi industriel (%)\n55;12,5 %\n2203;7\n",  # French header, lost zero, %
        'code,valeur\n"0055","12,5"\n2203,7\n',  # quoted decimal comma with , separator
        "zone;valeur\n0055 Vallée de la Bresle;12,5\n2203 La Thiérache;7\n",  # code followed by the name
        "code;valeur\n0055;12,50\n2203;7,0\n\n\n",  # trailing blank lines
    ],
)
def test_accepted_variants(raw):
    ind = parse(raw)
    assert ind.zoning == "ze2010"
    assert ind.values.to_dict() == {"0055": 12.5, "2203": 7.0}


def test_windows_1252_and_label_unit():
    raw = "Code;Part des salariés de l'industrie (%)\n55;12,5\n2203;7\n".encode("cp1252")
    ind = parse(raw)
    assert ind.label == "Part des salariés de l'industrie" and ind.unit == "%"


def test_thousands_separators():
    ind = parse("code;emplois\n0055;1 234\n2203;12\u202f345,5\n3111;1.234.567\n")
    assert ind.values.to_dict() == {"0055": 1234.0, "2203": 12345.5, "3111": 1234567.0}


def test_xlsx():
    book = Workbook()
    sheet = book.active
    sheet.append(["Code ZE", "Indice"])
    sheet.append([3201, 1.5])
    sheet.append(["3216", 0.8])
    buf = io.BytesIO()
    book.save(buf)
    ind = parse_indicator(buf.getvalue(), "indice.xlsx", ZONES)
    assert ind.zoning == "ze2020" and ind.values.to_dict() == {"3201": 1.5, "3216": 0.8}


def test_column_choice():
    raw = "code;a;b\n0055;1;2\n2203;3;4\n"
    with pytest.raises(InputError, match="plusieurs colonnes"):
        parse(raw)
    assert parse(raw, column="b").values.to_dict() == {"0055": 2.0, "2203": 4.0}
    with pytest.raises(InputError, match="colonne demandée absente"):
        parse(raw, column="c")


def test_empty_cell_is_no_data():
    ind = parse("code;v\n0055;\n2203;3\n")
    assert ind.values.isna().sum() == 1


# -- one test per bad-input class ------------------------------------------------------------


def test_unknown_codes_list_the_rows():
    with pytest.raises(InputError) as err:
        parse("code;v\n0055;1\n9999;2\n8888;3\n")
    assert "9999, 8888 (lignes 3, 4)" in str(err.value)


def test_duplicate_codes_list_the_rows():
    with pytest.raises(InputError) as err:
        parse("code;v\n0055;1\n2203;2\n55;3\n")
    assert "0055 (lignes 2 et 4)" in str(err.value)


def test_non_numeric_value_names_row_column_value():
    with pytest.raises(InputError) as err:
        parse("code;taux\n0055;1\n2203;douze\n")
    e = err.value
    assert (e.row, e.column, e.value) == (3, "taux", "douze")


def test_empty_file():
    for raw in (b"", b"   \n\n", b"code;v\n"):
        with pytest.raises(InputError, match=r"vide|aucune ligne"):
            parse(raw)


def test_codes_of_the_other_zoning_say_so():
    with pytest.raises(InputError, match="ceux du zonage ze2020"):
        parse("code;v\n3201;1\n3216;2\n", zoning="ze2010")


def test_binary_file():
    with pytest.raises(InputError, match="binaire"):
        parse(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")


def test_truncated_csv_row():
    with pytest.raises(InputError, match="tronqué") as err:
        parse("code;v;w\n0055;1;2\n2203;3")
    assert err.value.row == 3


def test_truncated_xlsx():
    book = Workbook()
    book.active.append(["code", "v"])
    buf = io.BytesIO()
    book.save(buf)
    with pytest.raises(InputError, match="XLSX illisible"):
        parse_indicator(buf.getvalue()[:300], "cut.xlsx", ZONES)


def test_file_over_the_size_limit_says_the_limit():
    raw = b"code;v\n" + b"0055;1\n" * (MAX_BYTES // 7 + 10)
    with pytest.raises(InputError, match="5 Mo au plus"):
        parse(raw)


def test_no_code_column():
    with pytest.raises(InputError, match="codes de zone introuvable"):
        parse("nom;valeur\nLille;1\n")


# -- fuzzing: any input gives data or a CartohdfError ----------------------------------------


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=2000))
def test_arbitrary_bytes(raw):
    try:
        ind = parse(raw)
    except CartohdfError:
        return
    assert set(ind.values.index) <= set(ZONES[ind.zoning])


cell = st.one_of(
    st.sampled_from(
        ["0055", "55", "2203", "3201", "code", "valeur", "", "1,5", "2.5", "x", "1 000", "-3", "%"]
    ),
    st.text(max_size=8),
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.lists(cell, min_size=1, max_size=4), min_size=0, max_size=8),
    st.sampled_from([";", ",", "\t"]),
)
def test_arbitrary_csv_shaped_text(rows, sep):
    text = "\n".join(sep.join(r) for r in rows)
    for encoding in ("utf-8", "utf-8-sig"):
        with contextlib.suppress(CartohdfError):
            parse(text.encode(encoding, errors="ignore"))
