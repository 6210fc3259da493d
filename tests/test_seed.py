"""The study's tables hold what the document states."""

from __future__ import annotations

from pathlib import Path

import pytest

from cartohdf.core import paths

SEED_TEXT = paths.ROOT.parent / "shared" / "seed" / "000_33ed9e8307b95f9d.txt"


def test_seven_domains_with_two_head_networks_each(data):
    s3 = data.study.s3_domains
    assert s3["domain_id"].nunique() == 7
    assert (s3.groupby("domain_id").size() == 2).all()
    lille = s3[s3["territory"] == "Métropole lilloise"]
    assert set(lille["anchor_commune_code"]) == {"59350"} and set(lille["ze2010_code"]) == {"3111"}
    energy = s3[s3["domain_id"] == "energy"].sort_values("territory_order")
    assert list(energy["territory"]) == ["Amiens", "Dunkerque"]


def test_twenty_one_major_employers(data):
    emp = data.study.employers
    assert len(emp) == 21
    assert list(emp["rank"]) == list(range(1, 22))
    first = emp.iloc[0]
    assert first["naf_code"] == "2910Z" and first["ze2010_code"] == "3115"
    assert (emp["name"] == "PSA AUTOMOBILES SA").sum() == 3
    assert set(emp["size_band"]) == {"2 000 à 4 999", "1 000 à 1 999"}


def test_stated_zone_shares(data):
    facts = data.study.zone_facts
    stated = facts[facts["fact"] == "industrial_share_stated"].set_index("ze2010_code")["value"]
    assert stated.to_dict() == {
        "0055": 48.5,
        "2203": 40.3,
        "2211": 35.1,
        "3117": 31.3,
        "3123": 31.3,
        "3124": 30.9,
    }


def test_key_regional_figures(data):
    fig = data.study.figure
    assert fig("industrial_private_jobs_2017") == 280_467
    assert fig("industrial_share_private_jobs_2017") == 19.5
    assert fig("industrial_share_private_jobs_2017_france_metro") == 16.5
    assert fig("industrial_jobs_change_pct_2007_2017") == -20.9
    assert fig("industrial_jobs_change_pct_2007_2017_france_metro") == -13.7


def test_every_row_cites_its_section(data):
    for name in ("s3_domains", "employers", "zone_facts", "regional_figures", "sector_figures"):
        table = getattr(data.study, name)
        assert (table["source"].str.len() > 10).all(), name


@pytest.mark.raw
def test_numbers_appear_in_the_document(data):
    if not SEED_TEXT.is_file():
        pytest.skip("source document not present")
    text = Path(SEED_TEXT).read_text(encoding="utf-8")
    for _, row in data.study.employers.iterrows():
        assert row["naf_code"] in text and row["size_band"] in text
    facts = data.study.zone_facts
    for v in facts.loc[facts["fact"] == "industrial_share_stated", "value"]:
        assert f"{v:.1f}".replace(".", ",") + " %" in text

    def norm(t: str) -> str:  # the PDF extraction breaks lines inside hyphenated words
        return " ".join(t.split()).replace("- ", "-")

    flat = norm(text)
    for table in (data.study.regional_figures, data.study.zone_facts, data.study.sector_figures):
        for wording in table["wording"]:
            for quote in wording.split(" ; "):
                for piece in quote.split("[…]"):
                    piece = norm(piece.strip(" .…"))
                    assert piece in flat, piece
