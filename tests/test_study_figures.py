"""The study's figures shown as the study states them: every row of regional_figures.csv and
zone_facts.csv rendered, and checked against its quoted wording."""

from __future__ import annotations

import re
import unicodedata

import pandas as pd
import pytest

from cartohdf.core import NNBSP, paths
from cartohdf.render import compare, figure_text, key_figures, zone_profile

SEED = paths.SEED_DIR
# how the study writes small numbers and a first rank in words
WORDS = {"un": "1", "une": "1", "deux": "2", "trois": "3", "quatre": "4", "cinq": "5",
         "six": "6", "sept": "7", "huit": "8", "neuf": "9", "dix": "10", "en tête": "1"}  # fmt: skip
DECLINE = re.compile(r"recul|perte|baisse|pâti", re.IGNORECASE)
# a number as written in French prose: « 74 000 », « 19,5 », « -1,04 », « 2050 »
NUMBER = re.compile(r"-?\d+(?: \d{3})*(?:,\d+)?")


def tokens(text: str) -> list[str]:
    """The numbers of a text in order, as written (spaces as plain spaces, minus as « - »)."""
    text = text.replace(NNBSP, " ").replace("\u00a0", " ").replace("−", "-")
    for word, digits in WORDS.items():
        text = re.sub(rf"\b{word}\b", digits, text, flags=re.IGNORECASE)
    return NUMBER.findall(text)


def numbers(text: str, lang: str) -> list[float]:
    """The values of the numbers of a rendered text, read in its language's format."""
    text = text.replace(NNBSP, "").replace("−", "-")
    if lang == "fr":
        return [float(n.replace(",", ".")) for n in re.findall(r"-?\d+(?:,\d+)?", text)]
    return [float(n.replace(",", "")) for n in re.findall(r"-?\d[\d,]*(?:\.\d+)?", text)]


def agrees(rendered: str, wording: str) -> bool:
    """Every number rendered is in the wording, in the same order, with the same sign and
    magnitude; a negative figure may be stated as a positive one with a word of decline
    (« ont reculé de près de 31 % »)."""
    quoted, i = tokens(wording), 0
    for tok in tokens(rendered):
        options = (
            {tok, tok.lstrip("-")} if tok.startswith("-") and DECLINE.search(wording) else {tok}
        )
        while i < len(quoted) and quoted[i] not in options:
            i += 1
        if i == len(quoted):
            return False
        i += 1
    return True


def test_the_check_catches_what_it_must():
    assert agrees("près de 74\u202f000 emplois", "la perte de près de 74 000 emplois")
    assert not agrees("2\u202f050", "à l’horizon 2050")  # a year with a separator
    assert not agrees("2 1 emploi sur N", "un emploi sur deux")
    assert not agrees("−20,9\u202f%", "20,9 % de plus")  # a sign lost
    assert agrees("près de −31\u202f%", "ont reculé de près de 31 %")


def _figures() -> pd.DataFrame:
    return pd.read_csv(SEED / "regional_figures.csv", dtype=str, keep_default_na=False)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_every_regional_figure_renders_as_the_study_states_it(lang):
    figures = _figures()
    assert len(figures) > 30
    for _, f in figures.iterrows():
        shown = figure_text(float(f["value"]), f["unit"], f["approx"] == "true", lang)
        if lang == "fr":
            assert agrees(shown, f["wording"]), (f["figure_id"], shown, f["wording"])
        assert float(f["value"]) in numbers(shown, lang), (f["figure_id"], shown)
        if f["unit"] == "année":
            assert shown == f["value"]  # « 2050 », never « 2 050 »


def test_key_figures_and_the_cli_list_show_the_same_words(data):
    shown = " ".join(key_figures(data)["Valeur"])
    assert "près de 74\u202f000 emplois" in shown
    from click.testing import CliRunner

    from cartohdf.front.cli import main

    out = CliRunner().invoke(main, ["compare-study"]).output
    assert ": 2050 (" in out and "2\u202f050" not in out
    assert "1 emploi sur 2 (2015)" in out and "2 1 emploi" not in out
    assert "1er rang (2017)" in out


def test_every_zone_fact_renders_as_the_study_states_it(data):
    facts = pd.read_csv(SEED / "zone_facts.csv", dtype=str, keep_default_na=False)
    profiles = {c: zone_profile(data, "ze2010", c) for c in facts["ze2010_code"].unique()}

    def flat(s: str) -> str:
        s = unicodedata.normalize("NFKD", s.lower()).encode("ascii", "ignore").decode()
        return re.sub(r"[\s\-’']", "", s)

    for _, f in facts.iterrows():
        assert flat(f["zone_study"]) in flat(f["wording"]), (f["zone_study"], f["wording"])
        statements = profiles[f["ze2010_code"]].statements
        if f["value"]:
            shown = figure_text(float(f["value"]), f["unit"], False, "fr")
            assert agrees(shown, f["wording"]), (shown, f["wording"])
            assert any(shown in s for s in statements.iloc[:, 0]), (shown, statements)


def test_compare_keeps_the_study_order_and_consistent_signs(data):
    table = compare(data)
    figure, study, open_data = table.columns[:3]
    rows = table.set_index(figure)
    facts = data.study.zone_facts
    top = facts[facts["fact"] == "most_industrial_jobs"]
    wording = top["wording"].iloc[0]
    order = sorted(top.itertuples(), key=lambda r: wording.index(r.zone_study))
    expected = ", ".join(data.zone_name("ze2010", r.ze2010_code) for r in order)
    assert rows.loc["Zones concentrant le plus d’emplois industriels", study] == expected
    assert expected.startswith("Lille, Valenciennes, Roubaix - Tourcoing, Dunkerque, Amiens")
    lost = rows.loc["Emplois industriels perdus 2007-2017, région"]
    assert lost[study] == "près de 74\u202f000" and lost[open_data] == "73\u202f461"  # two losses
    change = rows.loc["Variation des emplois industriels 2016-2017, région"]
    assert change[study].startswith("−") and change[open_data].startswith("−")
    shares = [r for r in rows.index if r.startswith("Part de l’industrie, ") and "(" in r]
    stated = facts[facts["fact"] == "industrial_share_stated"]
    assert [re.search(r"\((\d{4})\)", r).group(1) for r in shares] == list(stated["ze2010_code"])
