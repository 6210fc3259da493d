"""`cartohdf build-data`: regenerate every derived file of geo/ and data/."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from cartohdf.build.communes import build_levels
from cartohdf.build.employment import estel_tables, urssaf_sector_labels, urssaf_table
from cartohdf.build.france import build_france
from cartohdf.build.geometry import build_geometry, load_communes
from cartohdf.build.national import national_tables
from cartohdf.build.raw import write_csv
from cartohdf.build.sectors import SECTOR_FILE, write_sector_table
from cartohdf.core import write_atomic

DERIVED_GEO = (
    "zones_ze2010.geojson",
    "zones_ze2020.geojson",
    "departements.geojson",
    "region.geojson",
    "territoires_industrie_2018.geojson",
    "territoires_industrie_2023.geojson",
    "zones_france_ze2010.geojson",
    "zones_france_ze2020.geojson",
    "zones_outside_ze2010.geojson",
    "zones_outside_ze2020.geojson",
    "communes_2024.geojson",
    "epci_2024.geojson",
    "departements_2024.geojson",
)
DERIVED_DATA = (
    "communes.csv",
    "zone_territoires_industrie.csv",
    "estel_salaried_ze2010.csv",
    "estel_nonsalaried_ze2010.csv",
    "urssaf_ze2020.csv",
    "urssaf_sectors.csv",
    SECTOR_FILE,
    "zones_france.csv",
    "estel_salaried_france_ze2010.csv",
    "urssaf_france_ze2020.csv",
    "zones_interregional.csv",
    "communes_2024.csv",
    "commune_codes.csv",
    "epci.csv",
    "epci_territoires_industrie.csv",
    "build_report.json",
)


def build_all(
    raw: Path, geo_dir: Path, data_dir: Path, log: Callable[[str], None]
) -> dict[str, Any]:
    """Build everything from the raw folder; return the build measurements."""
    geo_dir.mkdir(parents=True, exist_ok=True)
    data_dir.mkdir(parents=True, exist_ok=True)
    steps = 6
    log(f"[1/{steps}] géométries")
    measures = build_geometry(raw, geo_dir, data_dir, log)

    commune_table = load_communes(raw)
    communes = commune_table.frame
    log(f"[2/{steps}] emploi salarié et non salarié ESTEL (ZE2010, 1998-2017)")
    salaried, non_salaried = estel_tables(raw, sorted(communes["ze2010"].unique()))
    write_csv(salaried, data_dir / "estel_salaried_ze2010.csv")
    write_csv(non_salaried, data_dir / "estel_nonsalaried_ze2010.csv")

    log(f"[3/{steps}] emploi salarié privé URSSAF (ZE2020, 2019-2024)")
    urssaf = urssaf_table(raw, sorted(communes["ze2020"].unique()))
    write_csv(urssaf, data_dir / "urssaf_ze2020.csv")
    write_csv(urssaf_sector_labels(raw), data_dir / "urssaf_sectors.csv")

    log(f"[4/{steps}] secteurs industriels A38 (ZE2020, 2019-2024)")
    write_sector_table(raw, communes, data_dir)

    log(f"[5/{steps}] tables nationales (zones de France métropolitaine, ZE2010 et ZE2020)")
    tables = national_tables(raw)
    for name, table in tables.items():
        write_csv(table, data_dir / name)

    log(f"[6/{steps}] géométrie nationale et zones interrégionales entières")
    measures["france"] = build_france(raw, geo_dir, data_dir, tables["zones_france.csv"], log)

    log("niveaux infra-zone : communes 2024, EPCI, départements")
    measures["levels"] = build_levels(raw, commune_table, geo_dir, data_dir, log)

    measures["geo_bytes"] = {name: (geo_dir / name).stat().st_size for name in DERIVED_GEO}
    write_atomic(data_dir / "build_report.json",
                 json.dumps(measures, indent=2, sort_keys=True, ensure_ascii=False) + "\n")  # fmt: skip
    return measures
