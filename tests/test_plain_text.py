"""Text is text on paper: a label or a zone name holding « $ » reaches matplotlib as it is,
never as mathtext (which would fail on `$x^2$`-like text or silently alter `Prix en $ et en $`)."""

from __future__ import annotations

import io
import re
from dataclasses import replace

import pytest
from pypdf import PdfReader

from cartohdf.compose import plan
from cartohdf.data import parse_indicator, with_user_indicator
from cartohdf.export import portrait_pdf, static_map
from cartohdf.state import from_query
from tests.conftest import DAY

LABELS = ["Coût $x^2$ moyen", "Écart $x^$", "Prix en $ et en $"]  # valid, invalid, plain math


def svg_texts(svg: bytes) -> str:
    return re.sub(r"\s+", " ", svg.decode("utf-8"))


@pytest.mark.parametrize("label", LABELS)
def test_an_uploaded_label_with_dollars_is_drawn_as_written_in_svg(data, label):
    codes = data.zone_codes()["ze2010"]
    csv = "code;valeur\n" + "\n".join(f"{c};{i}" for i, c in enumerate(codes)) + "\n"
    user = parse_indicator(csv.encode(), "prix.csv", data.zone_codes(), label=label)
    mine = with_user_indicator(data, user, "0123456789abcdef")
    state = from_query({"indicator": "user", "upload": "0123456789abcdef"})
    svg = static_map(plan(state, mine), "svg", DAY)
    assert label in svg_texts(svg)


def _renamed(data, code: str, name: str):
    zones = dict(data.zones)
    frame = zones["ze2010"].copy()
    frame.loc[frame["code"] == code, "name"] = name
    zones["ze2010"] = frame
    return replace(data, zones=zones)


@pytest.mark.parametrize("name", LABELS)
def test_a_zone_name_with_dollars_makes_a_portrait(data, name):
    code = data.zone_codes()["ze2010"][0]
    pdf = portrait_pdf(_renamed(data, code, name), "ze2010", code, "fr", DAY)
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert name in re.sub(r"\s+", " ", text)
