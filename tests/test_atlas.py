"""The atlas and the zone portraits (PDF), checked on the pages themselves: pixels of the
rasterised locator maps, the text pdftotext reads, the bookmarks, the same bytes twice."""

from __future__ import annotations

import io
import subprocess
import sys

import pytest
from click.testing import CliRunner
from PIL import Image
from pypdf import PdfReader

from cartohdf.compose import plan
from cartohdf.core import number, paths, t
from cartohdf.export import atlas_pdf, locator_frame, portrait_pdf
from cartohdf.front.cli import main
from cartohdf.render import zone_profile
from cartohdf.state import MapState
from tests.conftest import DAY
from tests.test_static import NEEDS_POPPLER, close, inside_points, rgb
from tests.test_text import french_only_fragments

pytestmark = NEEDS_POPPLER


@pytest.fixture(scope="module")
def atlas_fr(data) -> bytes:
    return atlas_pdf(data, "ze2010", "fr", DAY)


def page_texts(pdf: bytes, tmp_path) -> list[str]:
    src = tmp_path / "atlas.pdf"
    src.write_bytes(pdf)
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(src), "-"], check=True,
                          capture_output=True).stdout.decode("utf-8")  # fmt: skip
    return text.split("\f")[:-1]


def plain(text: str) -> str:
    """As pdftotext gives it back: U+202F as a space."""
    return text.replace("\u202f", " ")


def zone_pages(data, zoning: str) -> dict[str, int]:
    """Zone code -> page index: the atlas's order (cover, contents, then the zones by code)."""
    return {c: i + 2 for i, c in enumerate(data.zones[zoning]["code"])}


def test_one_page_per_zone_bookmarked_and_numbered(data, atlas_fr):
    reader = PdfReader(io.BytesIO(atlas_fr))
    n = len(data.zones["ze2010"])
    assert len(reader.pages) == n + 4
    marks = {o.title: reader.get_destination_page_number(o) for o in reader.outline}
    for code, page in zone_pages(data, "ze2010").items():
        assert marks[f"{data.zone_name('ze2010', code)} ({code})"] == page
    assert marks[t("sect.study_title", "fr")] == n + 2  # the study's sector losses, before the sources
    assert marks[t("sources_title", "fr")] == n + 3
    assert reader.page_labels[:3] == ["1", "2", "3"]
    assert len(atlas_fr) < 5 * 1024 * 1024


def test_each_zone_page_shows_its_profile_as_the_app_does(data, atlas_fr, tmp_path):
    pages = page_texts(atlas_fr, tmp_path)
    total = len(pages)
    for code, index in zone_pages(data, "ze2010").items():
        text = pages[index]
        profile = zone_profile(data, "ze2010", code, "fr")
        assert f"{profile.name} ({code})" in text
        for _, row in profile.indicators.iterrows():
            value, rank = row.iloc[1], row.iloc[2]
            assert plain(value) in text and rank in text, (code, value, rank)
            assert plain(row.iloc[3]) in text and plain(row.iloc[4]) in text
        series = profile.jobs_series.dropna()
        # the chart's axis runs from the series' own low to its own high
        assert plain(number(series.min(), 0, "fr")) in text
        assert plain(number(series.max(), 0, "fr")) in text
        assert plain(profile.change_text) in text
        for name in profile.employers.iloc[:, 0]:
            assert name[:20] in text
        note = t("interregional_note", "fr")[:40]
        assert (note in " ".join(text.split())) == profile.interregional, code
        assert f"page {index + 1} / {total}" in text
    assert t("overview", "fr") in pages[0] and "Sommaire" in pages[1]
    assert "Licence Ouverte" in pages[-1]


def test_each_locator_map_paints_its_zone_in_its_class_colour(data, atlas_fr, tmp_path):
    src = tmp_path / "atlas.pdf"
    src.write_bytes(atlas_fr)
    subprocess.run(["pdftoppm", "-r", "50", "-png", str(src), str(tmp_path / "p")], check=True)
    classes = plan(MapState(zoning="ze2010"), data).classes
    points = inside_points(data, "ze2010")
    pngs = sorted(tmp_path.glob("p-*.png"))
    seen = set()
    for code, index in zone_pages(data, "ze2010").items():
        image = Image.open(pngs[index]).convert("RGB")
        fx, fy = locator_frame(data, "ze2010", code).to_figure(*points[code])
        w, h = image.size
        pixel = image.getpixel((int(fx * w), int((1 - fy) * h)))
        assert close(pixel, rgb(classes.color_of(code))), (code, pixel, classes.color_of(code))
        seen.add(classes.color_of(code))
    assert len(seen) >= 4


def test_english_atlas_of_2020_zones_has_no_french_catalogue_text(data, tmp_path):
    pdf = atlas_pdf(data, "ze2020", "en", DAY)
    pages = page_texts(pdf, tmp_path)
    assert len(pages) == len(data.zones["ze2020"]) + 4
    text = " ".join(" ".join(pages).split())
    # quotes and section titles of the study stay as the study wrote them (French)
    for quote in data.study.zone_facts["wording"]:
        text = text.replace(" ".join(str(quote).split()), "")
    leaked = sorted(f for f in french_only_fragments() if f in text)
    assert leaked == []
    assert "Contents" in pages[1] and "Sources and licences" in pages[-1]
    assert "matching 2010 zone" in " ".join(pages[2].split())


SCRIPT = """
import datetime as dt, hashlib
from cartohdf.data import load_dataset
from cartohdf.export import portrait_pdf
print(hashlib.sha256(portrait_pdf(load_dataset(), "ze2010", "3112", "en",
                                  dt.date(2026, 11, 26))).hexdigest())
"""


def test_a_portrait_is_the_same_bytes_across_processes(data):
    import hashlib

    runs = [subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True,
                           check=True, cwd=paths.ROOT).stdout.strip() for _ in range(2)]  # fmt: skip
    mine = hashlib.sha256(portrait_pdf(data, "ze2010", "3112", "en", DAY)).hexdigest()
    assert runs == [mine, mine]
    pdf = portrait_pdf(data, "ze2010", "3112", "en", DAY)
    assert b"/CreationDate" not in pdf and b"/ModDate" not in pdf


def test_cli_atlas_one_zone_and_errors(tmp_path):
    out = tmp_path / "portrait.pdf"
    done = CliRunner().invoke(main, ["atlas", "--zone", "2203", "--lang", "en", "--out", str(out)])
    assert done.exit_code == 0, done.output
    reader = PdfReader(out)
    assert len(reader.pages) == 1 and "La Thiérache (2203)" in reader.pages[0].extract_text()
    done = CliRunner().invoke(main, ["atlas", "--zone", "9999", "--out", str(out)])
    assert done.exit_code == 2 and done.output.strip().count("\n") == 0
    assert "9999" in done.output


@NEEDS_POPPLER
def test_a_portrait_places_the_zone_in_france(data, tmp_path):
    ctx = zone_profile(data, "ze2010", "2203", "fr").context
    text = " ".join(page_texts(portrait_pdf(data, "ze2010", "2203", "fr", DAY), tmp_path)).replace(
        "\u202f", " "
    )
    assert f"France métropolitaine : {ctx.rank_france} / 304" in text
    assert "la zone en France" in text
    for name in ctx.similar["name"]:
        assert name in text


def test_the_atlas_of_a_view_that_compares_zones_carries_the_comparison(data, tmp_path):
    """The app's atlas follows its view: the compared zones' table and charts (landscape, as
    the comparison's own report draws them) come after the sector losses, before the sources,
    bookmarked and numbered with the rest."""
    view = MapState(zoning="ze2010", compare=("2203", "2209", "2210"), year=2017)
    pdf = atlas_pdf(data, "ze2010", "fr", DAY, view)
    reader = PdfReader(io.BytesIO(pdf))
    n = len(data.zones["ze2010"])
    assert len(reader.pages) == n + 6
    marks = {o.title: reader.get_destination_page_number(o) for o in reader.outline}
    assert marks[t("sect.study_title", "fr")] == n + 2
    assert marks[t("cmpz.pdf_title", "fr")] == n + 3
    assert marks[t("sources_title", "fr")] == n + 5
    wide = [i for i, p in enumerate(reader.pages) if p.mediabox.width > p.mediabox.height]
    assert wide == [n + 3, n + 4]
    texts = [plain(x) for x in page_texts(pdf, tmp_path)]
    for name in ("La Thiérache", "Abbeville", "Amiens"):
        assert name in texts[n + 3]
    assert "indice" in texts[n + 4].lower() and "Amiens" in texts[n + 4]
    total = t("atlas.page", "fr", n=n + 6, total=n + 6)
    assert total in texts[n + 5]  # the sources page: the last, numbered with the comparison
