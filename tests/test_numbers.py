"""The one number parser: every number a person types or a file holds goes through it."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cartohdf.core import StateError, parse_int, parse_number, parse_numbers, plain
from cartohdf.state import from_query, parse_breaks_text


@pytest.mark.parametrize(
    ("text", "expected"),
    [("12", 12.0), ("12,5", 12.5), ("12.5", 12.5), ("-3", -3.0), ("−3,5", -3.5), ("+4", 4.0),
     ("1 234,5", 1234.5), ("1\u00a0234,5", 1234.5), ("1\u202f234,5", 1234.5), ("1.234,5", 1234.5),
     ("1,234.5", 1234.5), ("1,234,567", 1234567.0), ("1.234.567", 1234567.0),
     ("1,234", 1.234), ("1.234", 1.234), ("0.172", 0.172), ("0,5", 0.5), (",5", 0.5), ("12.", 12.0), ("12,5 %", 12.5), ("12,5%", 12.5), (" 7 ", 7.0),
     ("1e3", 1000.0), ("2,5E-1", 0.25), ("", None), ("-", None), ("—", None), ("nd", None),
     ("n.d.", None), ("NA", None), ("s", None)],
)  # fmt: skip
def test_french_and_english_spellings(text, expected):
    assert parse_number(text) == expected


@pytest.mark.parametrize(
    "text", ["abc", "12,5,3", "1.2.3", "inf", "-inf", "nan", "NaN", "1e999", "0x10", "½", "12 abc"]
)
def test_not_numbers_and_non_finite_values_are_refused(text):
    with pytest.raises(ValueError):
        parse_number(text)


def test_whole_numbers():
    assert parse_int("5") == 5 and parse_int("5,0") == 5
    for bad in ("5,5", "", "cinq"):
        with pytest.raises(ValueError):
            parse_int(bad)


cells = st.one_of(
    st.sampled_from(["", "12", "12,5", "1 234,5", "1.234,5", "abc", "inf", "1e999", "−3", "12 %", "s", "nan"]),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.integers(-10**12, 10**12).map(str),
    st.text(alphabet="0123456789,.- %\u00a0e", max_size=12),
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(cells, max_size=30))
def test_the_column_parser_is_the_cell_parser(texts):
    values, bad = parse_numbers(pd.Series(texts, dtype=object))
    for text, v, b in zip(texts, values, bad, strict=True):
        try:
            expected = parse_number(text)
        except ValueError:
            assert b and math.isnan(v), text
        else:
            assert not b, text
            assert (
                math.isnan(v) if expected is None else math.isclose(v, expected, rel_tol=1e-12)
            ), text


def test_every_front_door_uses_it():
    # URL / CLI class bounds, typed class bounds, URL integers
    assert from_query({"scheme": "user", "breaks": "0.1,0.25"}).breaks == (0.1, 0.25)
    assert parse_breaks_text("10 ; 15,5 ; 1 000") == (10.0, 15.5, 1000.0)
    assert from_query({"k": "4"}).k == 4
    for bad in ({"scheme": "user", "breaks": "0.1,inf"}, {"k": "4.5"}, {"year": "2017.5"}):
        with pytest.raises(StateError):
            from_query(bad)
    with pytest.raises(StateError, match="abc"):
        parse_breaks_text("0,1 ; abc")


def test_values_in_messages_are_plain_text():
    assert plain(["0055", "2203"]) == "0055, 2203"
    assert plain("x" * 100).endswith("…") and len(plain("x" * 100)) == 80
    assert plain(1234567, "fr") == "1\u202f234\u202f567" and plain(1234567, "en") == "1,234,567"
    assert plain("a", quoted=True) == "« a »" and plain("a", "en", quoted=True) == "“a”"
