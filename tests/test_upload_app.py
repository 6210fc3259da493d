"""The app's upload box: busy workers, a session's upload count, shortcodes kept as text."""

from __future__ import annotations

import re
from pathlib import Path

from streamlit.testing.v1 import AppTest

from cartohdf.core import MAX_UPLOADS_PER_SESSION, UPLOAD_WORKERS
from cartohdf.front import app
from cartohdf.front.app import md_escape

APP = str(Path(__file__).resolve().parents[1] / "streamlit_app.py")
GOOD = b"code;valeur\n55;12,5\n2203;7\n"
# what Streamlit's markdown turns into an icon, an emoji or coloured text, once escapes are undone
SHORTCODE = re.compile(r":(?:material/[a-z0-9_]+|[a-z0-9_+-]+):|:[a-z]+\[")


def undo_escapes(markdown: str) -> str:
    """The text markdown leaves of escaped text (a backslash before punctuation is dropped)."""
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", markdown)


def test_escaped_text_holds_no_icon_emoji_or_colour_shortcode():
    for text in (":material/home: Accueil", "taux :smile: :red[alerte] :blue-background[x]",
                 "a:material/warning:b", "http://x.org"):  # fmt: skip
        shown = undo_escapes(md_escape(text))
        assert not SHORTCODE.search(shown), shown
        assert shown.replace("\u2060", "") == text  # the same characters, shown as typed


def upload(at: AppTest, name: str, raw: bytes) -> AppTest:
    return at.file_uploader(key="w_upload").set_value((name, raw, "text/csv")).run()


def test_the_app_says_busy_and_bounds_a_session_s_uploads(monkeypatch):
    monkeypatch.setattr(app, "UPLOAD_WAIT_S", 0)  # no need to wait for the workers held here
    at = AppTest.from_file(APP, default_timeout=120).run()
    held = 0
    try:
        while app._WORKERS.acquire(blocking=False):  # other sessions' files, being read
            held += 1
        assert held == UPLOAD_WORKERS
        upload(at, "a.csv", GOOD)
    finally:
        for _ in range(held):
            app._WORKERS.release()
    assert [undo_escapes(e.value).replace("\u2060", "") for e in at.error] == [
        "Fichier refusé, rien n’a changé : a.csv : d’autres fichiers sont en cours de lecture ; "
        "attendu : réessayez dans un instant"
    ]
    label = b"code;:material/home: taux\n55;12,5\n2203;7\n"
    upload(at, "b.csv", label)
    assert not at.error and at.selectbox(key="w_indicator").value == "user"
    assert not SHORTCODE.search(undo_escapes(at.success[0].value))
    stored = at.session_state["stored_uploads"]
    assert len(stored) == 1
    stored |= {f"{i:016x}" for i in range(MAX_UPLOADS_PER_SESSION - 1)}
    upload(at, "c.csv", GOOD + b"3111;1\n")
    assert "20 fichiers au plus par session" in at.error[0].value
    upload(at, "b.csv", label)  # one of the session's own again: fine
    assert not at.error


def test_a_cache_that_cannot_be_written_is_named_in_the_app(tmp_path, monkeypatch):
    at = AppTest.from_file(APP, default_timeout=120).run()
    blocker = tmp_path / "not-a-folder"
    blocker.write_bytes(b"")
    monkeypatch.setenv("CARTOHDF_CACHE_DIR", str(blocker))  # as a full or read-only disk
    upload(at, "a.csv", GOOD)
    shown = undo_escapes(at.error[0].value).replace("\u2060", "")
    # the path is named whole, the reason in the interface's words
    assert (
        shown
        == f"Fichier refusé, rien n’a changé : impossible d’écrire {blocker}/uploads (dossier introuvable) ; rien n’a été modifié"
    )
    assert at.selectbox(key="w_indicator").value != "user"


def test_a_file_with_several_value_columns_offers_them_to_choose_from():
    at = AppTest.from_file(APP, default_timeout=120).run()
    assert not [s for s in at.selectbox if s.key == "w_upload_column"]  # no column box before
    upload(at, "deux.csv", b"code;taux;emplois\n0055;1,5;100\n2203;7;250\n")
    assert not at.error
    warning = undo_escapes(at.warning[0].value).replace("\u2060", "")
    assert "plusieurs colonnes de valeurs (taux, emplois)" in warning
    assert "--indicator-column" not in warning
    box = at.selectbox(key="w_upload_column")
    assert box.options == ["taux", "emplois"] and box.value is None
    box.select("emplois").run()
    assert not at.error and not at.warning
    assert at.selectbox(key="w_indicator").value == "user"
    assert "emplois" in undo_escapes(at.success[0].value)
    at.selectbox(key="w_upload_column").select("taux").run()
    assert "taux" in undo_escapes(at.success[0].value)
    upload(at, "un.csv", b"code;v\n0055;1\n")  # another file: its own columns, none asked
    assert not [s for s in at.selectbox if s.key == "w_upload_column"]
