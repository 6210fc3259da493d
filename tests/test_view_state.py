"""The whole view is in MapState: an import and an upload are named by the state (and the link),
uploads are kept on disk by content, and a link naming what is not there opens the default
view with a message saying how to get it back."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from cartohdf.core import StateError, paths
from cartohdf.data import dataset_for, import_urssaf, read_upload, store_upload, upload_key
from cartohdf.data._uploads import evict
from cartohdf.state import MapState, from_query, open_state
from tests.conftest import export_html
from tests.test_urssaf_import import _tiny_urssaf

APP = str(paths.ROOT / "streamlit_app.py")
CSV = "Code zone;Taux de chômage (%)\n55;12,5\n2203;7\n3111;3,25\n".encode()


def test_an_upload_is_kept_by_content_and_read_back(tmp_path):
    key = store_upload(CSV, "chomage.csv", folder=tmp_path)
    assert key == upload_key(CSV, "chomage.csv") and len(key) == 16
    assert store_upload(CSV, "chomage.csv", folder=tmp_path) == key  # same content, same key
    assert store_upload(CSV, "autre.csv", folder=tmp_path) != key  # the name shows in the map
    assert (
        store_upload(CSV, "chomage.csv", column="x", folder=tmp_path) != key
    )  # so does the column
    stored = read_upload(key, tmp_path)
    assert stored is not None and stored.raw == CSV and stored.name == "chomage.csv"
    assert read_upload("0" * 16, tmp_path) is None
    assert read_upload("../../etc/passwd", tmp_path) is None


def test_a_damaged_upload_reads_as_absent(tmp_path):
    key = store_upload(CSV, "chomage.csv", folder=tmp_path)
    path = tmp_path / f"{key}.upload"
    path.write_bytes(path.read_bytes()[:-5])  # cut: the content no longer matches its key
    assert read_upload(key, tmp_path) is None
    path.write_bytes(b"\xff\xfe not json\n" + CSV)
    assert read_upload(key, tmp_path) is None


def test_the_cache_is_bounded_least_recently_used_first(tmp_path):
    keys = []
    for i in range(6):
        keys.append(store_upload(CSV + str(i).encode(), f"f{i}.csv", folder=tmp_path))
        past = time.time() - 100 + i  # distinct ages, oldest first
        os.utime(tmp_path / f"{keys[-1]}.upload", (past, past))
    assert read_upload(keys[0], tmp_path) is not None  # reading makes it the most recent
    removed = evict(tmp_path, max_entries=3, max_bytes=10**9)
    assert removed == keys[1:4]
    assert sorted(p.stem for p in tmp_path.glob("*.upload")) == sorted([keys[0], keys[4], keys[5]])
    size = (tmp_path / f"{keys[5]}.upload").stat().st_size
    evict(tmp_path, keep=keys[5], max_entries=10, max_bytes=size)
    assert [p.stem for p in tmp_path.glob("*.upload")] == [keys[5]]


def test_the_state_names_the_source_and_the_upload():
    state = from_query({"source": "urssaf_2024", "upload": "0123456789abcdef", "indicator": "user"})
    assert (state.source, state.upload) == ("urssaf_2024", "0123456789abcdef")
    assert from_query(state.to_query()) == state
    assert {"--source", "--upload"} <= set(state.to_cli_args())
    for bad in (
        {"source": "../data"},
        {"source": ".hidden"},
        {"upload": "xyz"},
        {"indicator": "user"},
    ):
        with pytest.raises(StateError):
            from_query(bad)


def test_missing_upload_or_import_opens_the_default_view_with_a_clear_message(
    tmp_path, monkeypatch
):
    monkeypatch.setenv("CARTOHDF_IMPORTS_DIR", str(tmp_path))
    state, _, problem = open_state(
        MapState(upload="0123456789abcdef", indicator="user", zone="2203", lang="en")
    )
    assert state == open_state(MapState(lang="en"))[0]  # the default view, in the same language
    assert isinstance(problem, StateError) and "upload it again" in problem.message("en")
    assert "chargez-le à nouveau" in problem.message("fr")
    state, _, problem = open_state(MapState(source="urssaf_2024"))
    assert state.source == "" and problem is not None
    assert "cartohdf import-urssaf --name urssaf_2024" in problem.message("fr")


def _app(params: dict[str, str]) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    for k, v in params.items():
        at.query_params[k] = v
    return at.run()


def test_a_link_after_an_upload_reopens_that_view():
    at = _app({})
    at.file_uploader(key="w_upload").set_value(("chomage.csv", CSV, "text/csv")).run()
    link = dict(at.query_params.items())
    assert link["indicator"] == "user" and len(link["upload"]) == 16
    again = _app(link)  # a new session: nothing in memory, the file read from the cache
    assert not again.error and not again.exception
    assert again.selectbox(key="w_indicator").value == "user"
    assert dict(again.query_params.items()) == link
    assert "Taux de chômage" in again.selectbox(key="w_indicator").options  # the file's own label


def test_a_link_to_an_upload_not_in_the_cache_says_so():
    at = _app({"indicator": "user", "upload": "0123456789abcdef", "zone": "2203"})
    assert not at.exception
    assert len(at.error) == 1 and "chargez-le à nouveau" in at.error[0].value.replace("\\", "")
    assert at.selectbox(key="w_indicator").value == "industrial_share"
    assert "upload" not in dict(at.query_params.items())


def test_a_link_naming_an_import_reopens_it(tmp_path, monkeypatch, data):
    monkeypatch.setenv("CARTOHDF_IMPORTS_DIR", str(tmp_path / "imports"))
    source = tmp_path / "urssaf.csv"
    _tiny_urssaf(source)
    import_urssaf(source, data.communes, tmp_path / "imports", name="essai")
    at = _app({"source": "essai", "zoning": "ze2020", "zone": "3216"})
    assert not at.error and not at.exception
    assert at.selectbox(key="w_source").value == "essai"
    assert dict(at.query_params.items())["source"] == "essai"
    html = export_html(from_query({"source": "essai", "zoning": "ze2020"}), dataset_for("essai"))
    assert "fichier importé « urssaf.csv »" in html
    missing = _app({"source": "autre"})
    assert len(missing.error) == 1 and "autre" in missing.error[0].value


def test_upload_keys_are_what_the_cli_and_the_app_share(tmp_path):
    from click.testing import CliRunner

    from cartohdf.front.cli import main

    f = tmp_path / "chomage.csv"
    f.write_bytes(CSV)
    out = tmp_path / "map.html"
    result = CliRunner().invoke(
        main, ["export", "--indicator-file", str(f), "--out", str(out), "--date", "2026-11-26"]
    )
    assert result.exit_code == 0, result.output
    key = upload_key(CSV, "chomage.csv")
    assert read_upload(key) is not None  # the CLI keeps it where the app finds it
    by_key = tmp_path / "by_key.html"
    result = CliRunner().invoke(main, ["export", "--upload", key, "--indicator", "user", "--out", str(by_key),
                                       "--date", "2026-11-26"])  # fmt: skip
    assert result.exit_code == 0, result.output
    assert Path(by_key).read_bytes() == out.read_bytes()
