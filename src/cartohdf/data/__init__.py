"""Stage 1 — data: schemas and the generic checker, the file catalogue, the study's tables,
URSSAF imports, user indicator files and their upload cache, and `Dataset`.

Everything later stages read comes from here, already validated.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the names, for type checkers; at run time each is imported on first use
    from cartohdf.data._dataset import (
        Dataset,
        dataset_for,
        load_dataset,
        load_dataset_from,
        with_employment_import,
        with_user_indicator,
    )
    from cartohdf.data._files import (
        EmploymentTable,
        load_communes,
        load_departements,
        load_estel,
        load_estel_nonsalaried,
        load_region,
        load_sector_labels,
        load_territoires,
        load_urssaf,
        load_zone_territoires,
        load_zones,
    )
    from cartohdf.data._france import load_france_zones, load_interregional, load_outside_zones
    from cartohdf.data._geojson import (
        COORD_DECIMALS,
        dumps,
        feature_collection,
        round_geometry,
        write_geojson,
    )
    from cartohdf.data._imports import (
        IMPORT_NAME,
        ImportSummary,
        check_import_name,
        derive_import_name,
        import_digest,
        import_urssaf,
        list_imports,
        load_import,
    )
    from cartohdf.data._levels import (
        AREAS,
        STATUS_SECRET,
        STATUS_VALUE,
        STATUS_ZERO,
        AreaEmployment,
        load_commune_codes,
        load_communes_2024,
        load_epci,
        load_epci_territoires,
        load_level_outlines,
    )
    from cartohdf.data._national import NationalTables, load_national
    from cartohdf.data._schema import Column, Schema, check_codes, read_csv_table, validate_frame
    from cartohdf.data._sectors import REGION_SUM, SECTOR_TABLE_FILE, load_sector_table
    from cartohdf.data._study import StudyTables, load_study
    from cartohdf.data._uploads import (
        UPLOAD_KEY,
        StoredUpload,
        check_session_uploads,
        read_upload,
        store_upload,
        upload_key,
    )
    from cartohdf.data._userfiles import UserIndicator, parse_indicator

# name -> its private module: `cartohdf import-urssaf` loads the import and its few modules,
# not geopandas and the dataset (the command's start-up is part of its time)
_MODULES = {
    "Dataset": "_dataset",
    "dataset_for": "_dataset",
    "load_dataset": "_dataset",
    "load_dataset_from": "_dataset",
    "with_employment_import": "_dataset",
    "with_user_indicator": "_dataset",
    "EmploymentTable": "_files",
    "load_communes": "_files",
    "load_departements": "_files",
    "load_estel": "_files",
    "load_estel_nonsalaried": "_files",
    "load_region": "_files",
    "load_sector_labels": "_files",
    "load_territoires": "_files",
    "load_urssaf": "_files",
    "load_zone_territoires": "_files",
    "load_zones": "_files",
    "load_france_zones": "_france",
    "load_interregional": "_france",
    "load_outside_zones": "_france",
    "COORD_DECIMALS": "_geojson",
    "dumps": "_geojson",
    "feature_collection": "_geojson",
    "round_geometry": "_geojson",
    "write_geojson": "_geojson",
    "IMPORT_NAME": "_imports",
    "ImportSummary": "_imports",
    "check_import_name": "_imports",
    "derive_import_name": "_imports",
    "import_digest": "_imports",
    "import_urssaf": "_imports",
    "list_imports": "_imports",
    "load_import": "_imports",
    "AREAS": "_levels",
    "STATUS_SECRET": "_levels",
    "STATUS_VALUE": "_levels",
    "STATUS_ZERO": "_levels",
    "AreaEmployment": "_levels",
    "load_commune_codes": "_levels",
    "load_communes_2024": "_levels",
    "load_epci": "_levels",
    "load_epci_territoires": "_levels",
    "load_level_outlines": "_levels",
    "NationalTables": "_national",
    "load_national": "_national",
    "Column": "_schema",
    "Schema": "_schema",
    "check_codes": "_schema",
    "read_csv_table": "_schema",
    "validate_frame": "_schema",
    "REGION_SUM": "_sectors",
    "SECTOR_TABLE_FILE": "_sectors",
    "load_sector_table": "_sectors",
    "StudyTables": "_study",
    "load_study": "_study",
    "UPLOAD_KEY": "_uploads",
    "StoredUpload": "_uploads",
    "check_session_uploads": "_uploads",
    "read_upload": "_uploads",
    "store_upload": "_uploads",
    "upload_key": "_uploads",
    "UserIndicator": "_userfiles",
    "parse_indicator": "_userfiles",
}


def __getattr__(name: str) -> Any:
    """Import a public name's module when the name is first used (PEP 562), and bind all of
    that module's public names here at once, as an eager import would have."""
    module = _MODULES.get(name)
    if module is None:
        raise AttributeError(f"module 'cartohdf.data' has no attribute {name!r}")
    loaded = importlib.import_module(f"cartohdf.data.{module}")
    for other, home in _MODULES.items():
        if home == module:
            globals()[other] = getattr(loaded, other)
    return globals()[name]


def __dir__() -> list[str]:
    return sorted(__all__)


__all__ = [
    "AREAS",
    "COORD_DECIMALS",
    "IMPORT_NAME",
    "REGION_SUM",
    "SECTOR_TABLE_FILE",
    "STATUS_SECRET",
    "STATUS_VALUE",
    "STATUS_ZERO",
    "UPLOAD_KEY",
    "AreaEmployment",
    "Column",
    "Dataset",
    "EmploymentTable",
    "ImportSummary",
    "NationalTables",
    "Schema",
    "StoredUpload",
    "StudyTables",
    "UserIndicator",
    "check_codes",
    "check_import_name",
    "check_session_uploads",
    "dataset_for",
    "derive_import_name",
    "dumps",
    "feature_collection",
    "import_digest",
    "import_urssaf",
    "list_imports",
    "load_commune_codes",
    "load_communes",
    "load_communes_2024",
    "load_dataset",
    "load_dataset_from",
    "load_departements",
    "load_epci",
    "load_epci_territoires",
    "load_estel",
    "load_estel_nonsalaried",
    "load_france_zones",
    "load_import",
    "load_interregional",
    "load_level_outlines",
    "load_national",
    "load_outside_zones",
    "load_region",
    "load_sector_labels",
    "load_sector_table",
    "load_study",
    "load_territoires",
    "load_urssaf",
    "load_zone_territoires",
    "load_zones",
    "parse_indicator",
    "read_csv_table",
    "read_upload",
    "round_geometry",
    "store_upload",
    "upload_key",
    "validate_frame",
    "with_employment_import",
    "with_user_indicator",
    "write_geojson",
]
