"""Where things live: the embedded data, imports, and the user's cache of uploaded files."""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parents[1]
EMBEDDED_DIR = PACKAGE_DIR / "_embedded"  # geo/, data/ and the app, as a built wheel carries them


def _root() -> Path:
    """The folder holding ``geo/`` and ``data/``: ``CARTOHDF_ROOT``, else the checkout this
    code runs from (an editable install), else the copy the installed wheel carries."""
    if override := os.environ.get("CARTOHDF_ROOT"):
        return Path(override)
    checkout = PACKAGE_DIR.parents[1]
    if (checkout / "geo").is_dir() and (checkout / "data").is_dir():
        return checkout
    return EMBEDDED_DIR


ROOT = _root()
INSTALLED = ROOT == EMBEDDED_DIR  # run from an installed wheel (read-only as far as we know)
GEO_DIR = ROOT / "geo"
DATA_DIR = ROOT / "data"
SEED_DIR = DATA_DIR / "seed"
DEFAULT_RAW_DIR = ROOT.parent / "shared" / "data-raw"


def user_cache_dir() -> Path:
    """cartohdf's folder in the user's cache directory (``CARTOHDF_CACHE_DIR`` overrides it)."""
    if override := os.environ.get("CARTOHDF_CACHE_DIR"):
        return Path(override)
    if os.name == "nt":
        base = Path(os.environ.get("LOCALAPPDATA", Path.home() / "AppData" / "Local"))
    else:
        base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "cartohdf"


def user_data_dir() -> Path:
    """cartohdf's folder in the user's data directory."""
    if os.name == "nt":
        base = Path(os.environ.get("APPDATA", Path.home() / "AppData" / "Roaming"))
    else:
        base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return base / "cartohdf"


def imports_dir() -> Path:
    """Where URSSAF imports are written and looked up (``CARTOHDF_IMPORTS_DIR`` overrides it):
    ``imports/`` beside the data of a checkout, the user's data folder for an installed wheel
    (whose own folder may be read-only)."""
    if override := os.environ.get("CARTOHDF_IMPORTS_DIR"):
        return Path(override)
    return user_data_dir() / "imports" if INSTALLED else ROOT / "imports"


def app_script() -> Path:
    """The Streamlit app: the checkout's ``streamlit_app.py``, or the wheel's copy."""
    return ROOT / "streamlit_app.py" if (ROOT / "streamlit_app.py").is_file() else EMBEDDED_DIR / "streamlit_app.py"
