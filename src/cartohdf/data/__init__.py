"""Stage 1 — data: schemas and the generic checker, the file catalogue, the study's tables,
URSSAF imports, user indicator files and their upload cache, and `Dataset`.

Everything later stages read comes from here, already validated.
"""

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
    AreaEmployment,
    load_commune_codes,
    load_communes_2024,
    load_epci,
    load_epci_territoires,
    load_level_outlines,
)
from cartohdf.data._national import NationalTables, load_national
from cartohdf.data._schema import Column, Schema, check_codes, read_csv_table, validate_frame
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

__all__ = [
    "AREAS",
    "AreaEmployment",
    "load_commune_codes",
    "load_communes_2024",
    "load_epci",
    "load_epci_territoires",
    "load_level_outlines",
    "COORD_DECIMALS",
    "IMPORT_NAME",
    "UPLOAD_KEY",
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
    "load_communes",
    "load_dataset",
    "load_dataset_from",
    "load_departements",
    "load_estel",
    "load_estel_nonsalaried",
    "load_france_zones",
    "load_import",
    "load_interregional",
    "load_national",
    "load_outside_zones",
    "load_region",
    "load_sector_labels",
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
