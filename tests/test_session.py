"""The app's session without Streamlit: a plain dict stands for ``st.session_state``; the
callbacks the widgets are given move the view as the app does."""

from __future__ import annotations

import ast

import pytest

from cartohdf.core import paths
from cartohdf.front import session as s
from cartohdf.state import MapState


def opened(link: dict[str, str]) -> dict:
    ss: dict = {}
    s.open_link(ss, link)
    s.restore_choices(ss)
    return ss


def test_a_link_opens_its_view_in_a_plain_session():
    ss = opened({"zone": "2203", "layers": "employers", "lang": "en"})
    state, problem = s.view_state(ss)
    assert problem is None
    assert (state.zone, state.layers, state.lang) == ("2203", frozenset({"employers"}), "en")
    assert s.link_of(state) == {"lang": "en", "layers": "employers", "zone": "2203"}
    assert s.link_problem(ss, state) is None


def test_the_map_chooses_a_zone_of_the_region_only():
    ss = opened({})
    ss["map"] = {"zone": "3121"}
    s.on_map_zone(ss)
    assert ss["w_zone"] == "3121"
    for crafted in ("5203", "../3121", 3121, None):  # Nantes (France), a path, a number, nothing
        ss["map"] = {"zone": crafted}
        s.on_map_zone(ss)
        assert ss["w_zone"] == "3121"
    s.clear_zone(ss)
    assert s.view_state(ss)[0].zone is None


def test_a_click_outside_the_region_is_explained_on_the_map_of_france():
    ss = opened({"scope": "france"})
    ss["map"] = {"outside": "5203"}
    s.on_map_outside(ss)
    assert "Nantes" in ss["outside_click"] and "Pays de la Loire" in ss["outside_click"]


def test_every_zone_profile_waits_for_the_first_map_unless_a_zone_is_shown():
    from cartohdf.front.app import unpacked

    ss = opened({})
    state = s.view_state(ss)[0]
    view = s.view_plan(state)
    assert s.waits_for_map(ss, state)
    first = unpacked(s.side_pages(ss, state, view)[1])
    assert first["partial"] and first["zones"] == {}
    s.on_map_drawn(ss)  # the map's "drawn" trigger
    assert not s.waits_for_map(ss, state)
    assert set(unpacked(s.side_pages(ss, state, view)[1])["zones"]) == set(view.data.zones["ze2010"]["code"])
    linked = opened({"zone": "2203"})  # a zone in the link: its profile at once
    state = s.view_state(linked)[0]
    assert not s.waits_for_map(linked, state)
    assert "2203" in unpacked(s.side_pages(linked, state, s.view_plan(state))[1])["zones"]
    s.clear_zone(linked)  # then back to the région: every profile still (not the overview alone)
    state = s.view_state(linked)[0]
    assert not s.waits_for_map(linked, state)
    assert "partial" not in unpacked(s.side_pages(linked, state, s.view_plan(state))[1])


def test_the_layer_panel_and_the_language_move_the_view():
    ss = opened({"layers": "labels"})
    ss["layers_panel"] = {"shown": ["s3_energy", "employers", "not-a-layer"]}
    s.on_layers(ss)
    ss["w_lang"] = "en"
    s.on_lang_change(ss)
    state = s.view_state(ss)[0]
    assert state.layers == frozenset({"s3_energy", "employers"}) and state.lang == "en"


def test_a_stale_label_of_the_other_language_is_read_as_its_option():
    ss = opened({"lang": "en"})
    ss["w_zoning"] = "Zones d’emploi 2020 (zonage actuel)"  # what the browser sends back
    s.restore_choices(ss)
    assert ss["w_zoning"] == "ze2020"


def test_the_app_caches_answer_the_same_object_and_key_imports_by_content():
    state = s.view_state(opened({}))[0]
    assert s.view_plan(state) is s.view_plan(MapState(**{f: getattr(state, f) for f in state.__dataclass_fields__}))
    assert s.pages(*s.view_key(s.view_plan(state))) is s.pages(*s.view_key(s.view_plan(state)))


def test_the_app_file_only_wires_widgets():
    """streamlit_app.py draws widgets: the session, callbacks and caches live in front/session."""
    text = (paths.ROOT / "streamlit_app.py").read_text(encoding="utf-8")
    assert len(text.splitlines()) < 200
    tree = ast.parse(text)
    caches = [d for n in ast.walk(tree) if isinstance(n, ast.FunctionDef) for d in n.decorator_list
              if "cache" in ast.unparse(d)]  # fmt: skip
    assert len(caches) == 2  # the two registrations with Streamlit (scripts' folders, the component)
    assert "session_state[" not in text and "ss[" not in text  # the session's keys are session.py's


def test_a_sessions_first_run_collects_no_garbage_until_its_data_are_settled(monkeypatch):
    """The first run turns the garbage collector off over its imports and data load, and on
    again once the data are settled; on again too when settling them fails."""
    import gc

    from streamlit.testing.v1 import AppTest

    turned_off: list[bool] = []
    monkeypatch.setattr(gc, "disable", lambda: turned_off.append(True))  # what the app asks
    AppTest.from_file(str(paths.ROOT / "streamlit_app.py"), default_timeout=120).run()
    assert turned_off == [True]  # the first run only
    monkeypatch.undo()
    gc.disable()
    try:
        monkeypatch.setattr(s, "settle_memory", lambda: (_ for _ in ()).throw(OSError("disk")))
        with pytest.raises(OSError):
            s.start_run({}, {})
        assert gc.isenabled()
    finally:
        gc.enable()


def test_a_first_map_goes_before_its_files_and_a_new_views_files_before_its_map(monkeypatch):
    """A new view's files are drawn before its map (a click never gets the file of the view
    before); a session's first map has no earlier files to replace: its files come after it."""
    from streamlit.testing.v1 import AppTest

    order: list[str] = []
    real_page, real_files = s.map_page, s.map_downloads
    monkeypatch.setattr(s, "map_page", lambda *a: order.append("map") or real_page(*a))
    monkeypatch.setattr(s, "map_downloads", lambda *a: order.append("files") or real_files(*a))
    at = AppTest.from_file(str(paths.ROOT / "streamlit_app.py"), default_timeout=120).run()
    assert order == ["map", "files"]
    assert "dl_html" in [b.key for b in at.get("download_button")]  # drawn, last
    order.clear()
    at.radio(key="w_lang").set_value("en").run()  # another view: another page, other files
    assert order == ["files", "map"]
