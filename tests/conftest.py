from __future__ import annotations

import pytest

from cartohdf import paths
from cartohdf.dataset import Dataset, load_dataset

RAW = paths.DEFAULT_RAW_DIR


@pytest.fixture(scope="session")
def data() -> Dataset:
    return load_dataset()


@pytest.fixture(scope="session")
def raw_dir():
    if not (RAW / "PROVENANCE.md").is_file():
        pytest.skip(f"raw data folder not present at {RAW}")
    return RAW
