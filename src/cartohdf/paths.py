"""Where the embedded data lives."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(os.environ.get("CARTOHDF_ROOT", Path(__file__).resolve().parents[2]))
GEO_DIR = ROOT / "geo"
DATA_DIR = ROOT / "data"
SEED_DIR = DATA_DIR / "seed"
DEFAULT_RAW_DIR = ROOT.parent / "shared" / "data-raw"
