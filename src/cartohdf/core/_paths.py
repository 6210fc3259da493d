"""Where things live: the embedded data, imports, and the user's cache of uploaded files."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(os.environ.get("CARTOHDF_ROOT", Path(__file__).resolve().parents[3]))
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


def imports_dir() -> Path:
    """Where URSSAF imports are written and looked up (``CARTOHDF_IMPORTS_DIR`` overrides it)."""
    return Path(os.environ.get("CARTOHDF_IMPORTS_DIR") or ROOT / "imports")
