"""The static map (SVG, PNG, PDF): drawn from the plan, checked on the files themselves —
pixels of the rasterised page, the SVG's shapes and texts, the PDF's extracted text."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from io import BytesIO
from pathlib import Path

import pytest
from click.testing import CliRunner
from PIL import Image

from cartohdf.compose import plan
from cartohdf.core import paths
from cartohdf.export import map_frame, static_map
from cartohdf.front.cli import main
from cartohdf.state import from_query
from tests.conftest import DAY
from tests.test_text import french_only_fragments

NEEDS_POPPLER = pytest.mark.skipif(  # CI installs it (.ci/run): there, a missing tool fails
    shutil.which("pdftoppm") is None and not os.environ.get("CI"),
    reason="poppler-utils (pdftoppm, pdftotext) not installed",
)
SVG = "{http://www.w3.org/2000/svg}"
ALL_LAYERS = "s3,employers,ti2018,ti2023,departements,labels"


def rgb(hex_color: str) -> tuple[int, int, int]:
    h = hex_color.lstrip("#")
    return int(h[0:2], 16), int(h[2:4], 16), int(h[4:6], 16)


def close(a: tuple[int, ...], b: tuple[int, ...], tol: int = 6) -> bool:
    return all(abs(x - y) <= tol for x, y in zip(a[:3], b[:3], strict=True))


def rasterise(pdf: bytes, tmp_path: Path, dpi: int = 50, page: int = 1) -> Image.Image:
    src = tmp_path / "page.pdf"
    src.write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", str(dpi), "-png", "-f", str(page), "-l", str(page),
                    "-singlefile", str(src), str(tmp_path / "page")], check=True)  # fmt: skip
    return Image.open(tmp_path / "page.png").convert("RGB")


def pdf_text(pdf: bytes, tmp_path: Path, page: int | None = None) -> str:
    """The page's text as pdftotext extracts it (which gives U+202F back as a plain space)."""
    src = tmp_path / "text.pdf"
    src.write_bytes(pdf)
    pages = ["-f", str(page), "-l", str(page)] if page else []
    done = subprocess.run(["pdftotext", "-enc", "UTF-8", *pages, str(src), "-"],
                          check=True, capture_output=True)  # fmt: skip
    return done.stdout.decode("utf-8")


def inside_points(data, zoning: str) -> dict[str, tuple[float, float]]:
    """Each zone's inside point in Lambert-93, computed here from the data."""
    zones = data.zones[zoning].to_crs(2154)
    return {c: (p.x, p.y) for c, p in zip(zones["code"], zones.representative_point(), strict=True)}


def pixel_colors(image: Image.Image, frame, points: dict[str, tuple[float, float]]) -> dict:
    w, h = image.size
    out = {}
    for code, (x, y) in points.items():
        fx, fy = frame.to_figure(x, y)
        out[code] = image.getpixel((int(fx * w), int((1 - fy) * h)))
    return out


@NEEDS_POPPLER
@pytest.mark.parametrize("query", [{"layers": "none"},
                                   {"layers": "departements", "zoning": "ze2020",
                                    "indicator": "industrial_change", "lang": "en"},
                                   {"layers": "none", "zoning": "ze2020", "indicator": "sector_share_ch"}])  # fmt: skip
def test_each_zone_is_painted_in_its_class_colour(data, tmp_path, query):
    p = plan(from_query(query), data)
    image = rasterise(static_map(p, "pdf", DAY), tmp_path)
    colours = pixel_colors(image, map_frame(p), inside_points(data, p.state.zoning))
    assert p.classes is not None and len(colours) == len(data.zones[p.state.zoning])
    wrong = {c: (px, p.classes.color_of(c)) for c, px in colours.items()
             if not close(px, rgb(p.classes.color_of(c)))}  # fmt: skip
    assert wrong == {}
    assert len({p.classes.color_of(c) for c in colours}) >= 4  # not one flat colour


def test_png_is_300_dpi_a4_landscape_with_the_class_colours(data):
    p = plan(from_query({"layers": "none", "zone": "3112"}), data)
    image = Image.open(BytesIO(static_map(p, "png", DAY))).convert("RGB")
    assert image.size == (3508, 2480)
    frame, points = map_frame(p), inside_points(data, "ze2010")
    left, bottom, width, height = frame.rect

    def in_view(x: float, y: float) -> bool:  # inside the map, away from the scale bar
        fx, fy = (
            (frame.to_figure(x, y)[0] - left) / width,
            (frame.to_figure(x, y)[1] - bottom) / height,
        )
        return 0.02 < fx < 0.98 and 0.02 < fy < 0.98 and not (fx < 0.3 and fy < 0.12)

    shown = {c: xy for c, xy in points.items() if in_view(*xy)}
    assert "3112" in shown and len(shown) >= 3
    for code, px in pixel_colors(image, frame, shown).items():
        assert close(px, rgb(p.classes.color_of(code))), code


def _svg(p) -> ET.Element:
    return ET.fromstring(static_map(p, "svg", DAY))


def test_svg_has_one_path_per_zone_with_the_plans_fill(data):
    p = plan(from_query({"layers": ALL_LAYERS, "zone": "2203"}), data)
    root = _svg(p)
    groups = {
        g.get("id"): g for g in root.iter(f"{SVG}g") if (g.get("id") or "").startswith("zones-")
    }
    assert sorted(groups) == sorted(f"zones-{c}" for c in data.zones["ze2010"]["code"])
    for gid, g in groups.items():
        paths_ = list(g.iter(f"{SVG}path"))
        assert len(paths_) == 1, gid
        style = dict(
            kv.split(":", 1) for kv in paths_[0].get("style", "").replace(" ", "").split(";") if kv
        )
        assert style["fill"] == p.classes.color_of(gid.removeprefix("zones-")), gid
    # the selected zone is outlined, once
    assert [g.get("id") for g in root.iter(f"{SVG}g")].count("selection-2203") == 1


def svg_texts(root: ET.Element) -> list[str]:
    return ["".join(t.itertext()) for t in root.iter(f"{SVG}text")]


@pytest.mark.parametrize("layers", ["employers,ti2018", "s3,departements", "none", ALL_LAYERS])
def test_the_legend_holds_the_entries_of_the_layers_shown_only(data, layers):
    p = plan(from_query({"layers": layers}), data)
    texts = svg_texts(_svg(p))
    joined = "\n".join(texts)
    shown = {e.layer for e in p.legend_shown}
    assert shown == {b.layer for b in p.drawing.legend_shown()}
    for block in p.drawing.legend:
        lines = [block.title] if block.layer is None else []
        lines += [r.text for r in block.rows if r.swatch is not None]
        assert lines
        if block.layer in shown:
            assert all(line in texts or line in joined for line in lines), (block.layer, lines)
        else:
            assert not [line for line in lines if line in texts], block.layer
    # class labels exactly as the HTML legend writes them: French numbers, narrow spaces
    classes = [r.text for r in p.drawing.legend[0].rows if r.swatch is not None]
    assert all(f"<span>{c}</span>" in p.legend[0].html for c in classes)
    assert any("\u202f%" in c for c in classes) and all(c in texts for c in classes)
    assert (None in shown) and ("employers" in shown) == ("employers" in layers)


def test_svg_text_stays_text_in_one_named_font(data):
    p = plan(from_query({}), data)
    svg = static_map(p, "svg", DAY).decode("utf-8")
    root = ET.fromstring(svg)
    texts = svg_texts(root)
    assert p.values.indicator.label("fr") in " ".join(texts)
    assert "Lille" in texts and "Sources et licences" in " ".join(texts)
    assert "font-family: 'DejaVu Sans'" in svg
    assert "<dc:date>" not in svg


@NEEDS_POPPLER
def test_pdf_text_is_searchable_and_fonts_embedded(data, tmp_path):
    p = plan(from_query({"layers": "employers,labels"}), data)
    pdf = static_map(p, "pdf", DAY)
    text = pdf_text(pdf, tmp_path)
    assert p.values.indicator.label("fr") in text
    for row in p.drawing.legend[0].rows:
        if row.swatch is not None:
            assert row.text.replace("\u202f", " ") in text
    assert "Lambert-93 (EPSG:2154)" in text and "26/11/2026" in text
    fonts = subprocess.run(["pdffonts", "-"], input=pdf, capture_output=True).stdout.decode()
    if fonts:  # pdffonts reads stdin on recent poppler; else check the file's own font tables
        assert "DejaVuSans" in fonts and " no " not in fonts.split("\n", 2)[2]
    assert b"/FontFile2" in pdf  # TrueType program embedded
    assert b"/CreationDate" not in pdf and b"/ModDate" not in pdf


@NEEDS_POPPLER
def test_an_english_static_map_has_no_french_catalogue_text(data, tmp_path):
    p = plan(from_query({"layers": ALL_LAYERS, "lang": "en", "zone": "2203"}), data)
    text = " ".join(pdf_text(static_map(p, "pdf", DAY), tmp_path).split())
    assert "Sources and licences" in text
    assert sorted(f for f in french_only_fragments() if f in text) == []


SCRIPT = """
import datetime as dt, hashlib, sys
from cartohdf.compose import plan
from cartohdf.data import load_dataset
from cartohdf.export import static_map
from cartohdf.state import from_query
p = plan(from_query({"layers": "s3,employers,ti2018,departements,labels", "zone": "3112"}),
         load_dataset())
for fmt in ("svg", "pdf"):
    print(fmt, hashlib.sha256(static_map(p, fmt, dt.date(2026, 11, 26))).hexdigest())
"""


def test_same_state_same_bytes_across_processes(data):
    runs = [subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True,
                           check=True, cwd=paths.ROOT).stdout for _ in range(2)]  # fmt: skip
    assert runs[0] == runs[1]
    assert len(runs[0].splitlines()) == 2


def test_cli_format_from_flag_or_suffix_and_errors(tmp_path):
    runner = CliRunner()
    out = tmp_path / "carte.pdf"
    done = runner.invoke(main, ["export", "--out", str(out), "--layers", "none"])
    assert done.exit_code == 0, done.output
    assert out.read_bytes().startswith(b"%PDF")
    out = tmp_path / "carte.img"
    done = runner.invoke(main, ["export", "--out", str(out), "--format", "svg"])
    assert done.exit_code == 0, done.output
    assert b"<svg" in out.read_bytes()[:500]
    done = runner.invoke(main, ["export", "--out", str(tmp_path / "carte.docx")])
    assert done.exit_code == 2
    assert done.output.strip().count("\n") == 0 and "docx" in done.output
    assert "html, svg, png, pdf" in done.output
