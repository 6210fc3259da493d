"""One text catalogue, two languages: complete, typographically right, and the English app and
export show none of its French-only words."""

from __future__ import annotations

import html as htmlmod
import re

import pytest
from streamlit.testing.v1 import AppTest

from cartohdf.core import TEXTS, StateError, paths
from cartohdf.state import from_query
from tests.conftest import app_map, export_html

APP = str(paths.ROOT / "streamlit_app.py")
PLACEHOLDER = re.compile(r"\{[^}]*\}")
# not prose: commands, codes and URLs keep their colons
NOT_PROSE = re.compile(r"EPSG:\d+|https?://\S+|--[a-z-]+|[a-z_]+=[^\s;]*|\b[a-z0-9_]+ :(?= )")


def test_every_key_has_both_languages_with_the_same_blanks():
    for key, (fr, en) in TEXTS.items():
        assert fr.strip() and en.strip(), key
        assert sorted(PLACEHOLDER.findall(fr)) == sorted(PLACEHOLDER.findall(en)), key


def _prose(text: str) -> str:
    return NOT_PROSE.sub("", PLACEHOLDER.sub("X", text))


def test_french_typography_only_in_french():
    for key, (fr, en) in TEXTS.items():
        fr_prose, en_prose = _prose(fr), _prose(en)
        # French: a space before « : ; ? ! »; English: none, and no guillemets
        assert not re.search(r"[^\s\u00a0\u202f:][:;?!](\s|$)", fr_prose), (key, fr)
        assert not re.search(r"\s[:;?!](\s|$)", en_prose), (key, en)
        assert "«" not in en and "»" not in en, (key, en)
        assert "“" not in fr, (key, fr)


def french_only_fragments() -> set[str]:
    """Pieces of French catalogue text that the English text never uses (12+ characters)."""
    english = " ".join(en for _, en in TEXTS.values())
    out = set()
    for fr, en in TEXTS.values():
        if fr == en:
            continue
        for piece in PLACEHOLDER.split(fr):
            piece = piece.strip(" :;,.()«»—·")
            if len(piece) >= 12 and re.search(r"[a-zà-ÿ]{3}", piece) and piece not in english:
                out.add(piece)
    return out


def readable(page: str) -> str:
    """The text of a page or script as a person reads it (JSON and HTML escapes undone)."""
    page = re.sub(r"\\u([0-9a-fA-F]{4})", lambda m: chr(int(m.group(1), 16)), page)
    return htmlmod.unescape(page.replace("\\\\", "\\").replace('\\"', '"'))


def test_the_fragment_list_is_not_empty_and_catches_french():
    fragments = french_only_fragments()
    assert len(fragments) > 150
    assert {"Sources et licences", "Grands employeurs industriels (2018"} <= fragments
    french = readable(export_html({"layers": "s3,employers,ti2018"}, _data()))
    assert [f for f in fragments if f in french]  # the check would see French if it were there


def _data():
    from cartohdf.data import load_dataset

    return load_dataset()


@pytest.mark.parametrize(
    "params",
    [{"layers": "s3,employers,ti2018,ti2023,departements,labels", "zone": "2203"},
     {"zoning": "ze2020", "indicator": "specialisation_ch", "basemap": "osm"},
     {"indicator": "industrial_jobs", "layers": "employers"},
     {"indicator": "industrial_change", "year": "2008-2016"}],
)  # fmt: skip
def test_an_english_export_has_no_french_catalogue_text(data, params):
    page = readable(export_html(from_query({**params, "lang": "en"}), data))
    leaked = sorted(f for f in french_only_fragments() if f in page)
    assert leaked == []
    assert '<html lang="en">' in page


def app_text(at: AppTest) -> str:
    """Everything the app page shows: texts, labels, options, tables, messages, the map's script."""
    parts = []
    for kind in (
        "title",
        "header",
        "subheader",
        "markdown",
        "caption",
        "error",
        "warning",
        "success",
        "info",
    ):
        parts += [str(e.value) for e in at.get(kind)]
    for kind in ("selectbox", "radio", "checkbox", "button", "download_button", "slider", "text_input",
                 "select_slider", "file_uploader"):  # fmt: skip
        for e in at.get(kind):
            parts.append(str(getattr(e.proto, "label", "")))
            parts += [str(o) for o in getattr(e, "options", [])]
            parts.append(str(getattr(e.proto, "help", "")))
    for df in at.dataframe:
        parts += [str(c) for c in df.value.columns] + [str(v) for v in df.value.to_numpy().ravel()]
    parts += [re.sub(r"<[^>]+>", " ", h.proto.body) for h in at.get("html")]
    parts.append(app_map(at)[0])
    return readable("\n".join(parts))


@pytest.mark.parametrize(
    "params",
    [{"lang": "en"}, {"lang": "en", "zone": "2203", "layers": "s3,employers,ti2018,ti2023,departements"},
     {"lang": "en", "zoning": "ze2020", "zone": "3216"}, {"lang": "en", "k": "12"}],
)  # fmt: skip
def test_the_english_app_has_no_french_catalogue_text(params):
    at = AppTest.from_file(APP, default_timeout=120)
    for k, v in params.items():
        at.query_params[k] = v
    at.run()
    assert not at.exception
    page = app_text(at)
    assert len(page) > 10_000
    leaked = sorted(f for f in french_only_fragments() if f in page)
    assert leaked == []


def test_errors_speak_the_users_language():
    with pytest.raises(StateError) as err:
        from_query({"k": "12"})
    assert err.value.message("en").startswith("k: 12 out of range")
    assert str(err.value).startswith("k : 12 hors limites")


def test_english_numbers_have_no_french_spacing(data):
    from cartohdf.render import compare, key_figures

    for table in (key_figures(data, "en"), compare(data, "en")):
        figures = table.iloc[:, 1:3].to_numpy().ravel()  # the figures, not the sources quoted
        assert not [f for f in figures if "\u202f" in str(f) or " %" in str(f)]
    assert "\u202f" in key_figures(data, "fr").iloc[0, 1]  # French keeps its narrow spaces


def test_streamlit_s_own_words_are_drawn_in_the_interface_s_language():
    from cartohdf.front.app import css_string, widget_words_css

    french, english = widget_words_css("fr", 5, "CSV, XLSX"), widget_words_css("en", 5, "CSV, XLSX")
    for words in ('"Choisir un fichier"', '"5 Mo au plus · CSV, XLSX"', '"Entrée pour valider"', '"Arrêter"'):
        assert words in french
    for words in ('"Choose a file"', '"5 MB at most · CSV, XLSX"', '"Press Enter to apply"', '"Stop"'):
        assert words in english
    assert css_string('a"b\\c</style>') == '"a\\22 b\\5c c\\3c /style\\3e "'  # stays one CSS string
