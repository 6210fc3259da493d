"""Every constant of the domain, in one place: zonings, région, reference areas, sectors, layers."""

from __future__ import annotations

ZONINGS = ("ze2010", "ze2020")
HDF_DEPS = ("02", "59", "60", "62", "80")  # Aisne, Nord, Oise, Pas-de-Calais, Somme
SCOPES = ("region", "france")  # the map of the région's zones, or of every zone of France
# what the map's features are: the zones, or a level below them (an URSSAF import's tables)
LEVELS = ("zone", "commune", "epci", "departement")
IMPORT_COMMAND = "cartohdf import-urssaf etablissements-et-effectifs-salaries-au-niveau-commune-x-ape-last.csv"
DEP_NAMES = {"02": "Aisne", "59": "Nord", "60": "Oise", "62": "Pas-de-Calais", "80": "Somme"}
# The 13 metropolitan régions by INSEE code (Code officiel géographique, régions since 2016),
# to name the région of a zone of France (national tables: data/zones_france.csv).
REGION_NAMES = {
    "11": "Île-de-France", "24": "Centre-Val de Loire", "27": "Bourgogne-Franche-Comté",
    "28": "Normandie", "32": "Hauts-de-France", "44": "Grand Est", "52": "Pays de la Loire",
    "53": "Bretagne", "75": "Nouvelle-Aquitaine", "76": "Occitanie",
    "84": "Auvergne-Rhône-Alpes", "93": "Provence-Alpes-Côte d’Azur", "94": "Corse",
}  # fmt: skip
FRANCE_METRO = "FRM"  # metropolitan France, the reference of Estel (ZE2010)
FRANCE = "FR"  # France including overseas, the reference of the URSSAF aggregation (ZE2020)
INTERREGIONAL = "INT"  # region of a zone spanning several regions, in the national tables
REFERENCE_CODES = {"ze2010": FRANCE_METRO, "ze2020": FRANCE}
TI_PROGRAMMES = ("2018", "2023")  # Territoires d'industrie 2018-2022 and 2023-2027

ESTEL_SECTORS = ("AZ", "BE", "FZ", "GU", "OQ", "TT")  # A5 sectors, TT = all
INDUSTRY = "BE"
MARKET_SECTORS = ("BE", "FZ", "GU")
INDUSTRIAL_A38 = (
    "BZ", "CA", "CB", "CC", "CD", "CE", "CF", "CG", "CH", "CI", "CJ", "CK", "CL", "CM", "DZ", "EZ",
)  # fmt: skip
URSSAF_GRAND_SECTOR_A5 = {
    "GS1": "BE", "GS2": "FZ", "GS3": "GU", "GS4": "GU", "GS5": "GU", "GS6": "GU", "GS7": "OQ",
}  # fmt: skip
DEFAULT_CHANGE = {"ze2010": (2007, 2017), "ze2020": (2019, 2024)}

S3_DOMAINS = (
    "land_river_mobility",
    "health_nutrition",
    "robotics_digital",
    "creative_industries",
    "bioeconomy",
    "energy",
    "chemistry_materials",
)
S3_LAYERS = tuple(f"s3_{d}" for d in S3_DOMAINS)
OTHER_LAYERS = ("employers", "ti2018", "ti2023", "departements", "labels")
LAYERS = (*S3_LAYERS, *OTHER_LAYERS)
LANGS = ("fr", "en")
USER_ID = "user"  # the indicator read from a user's file

SCHEMES = ("quantiles", "fisher_jenks", "equal_interval", "user")
K_RANGE = (3, 7)
SEQUENTIAL_PALETTES = ("Blues", "Purples", "YlGnBu", "YlOrBr", "Oranges")
DIVERGING_PALETTES = ("PuOr", "BrBG", "RdBu")
PALETTES = ("auto", *SEQUENTIAL_PALETTES, *DIVERGING_PALETTES)
BASEMAPS = ("none", "osm", "light")

# bounds of an uploaded indicator file (one row per zone: a few hundred rows at most)
MAX_UPLOAD_BYTES = 5_000_000  # the app's upload box counts megabytes of 10^6 bytes (Linux, macOS)
MAX_UPLOAD_ROWS = 10_000
MAX_UPLOAD_COLUMNS = 200
MAX_XLSX_EXPANDED_BYTES = 50_000_000  # a workbook's unzipped size (a zip bomb stops here)
MAX_UPLOAD_CELLS = MAX_UPLOAD_ROWS * MAX_UPLOAD_COLUMNS  # a sheet's cells, empty ones included
MAX_ABS_VALUE = 1e15  # beyond it a value overflows class bounds and formats: not an indicator
UPLOAD_TIMEOUT_S = 20.0
# the app reads uploads in child processes, at most a few at once, each under an address-space
# limit (RLIMIT_AS): what its interpreter and libraries map at start (~400 MB, mostly never
# touched) plus this much for reading the file
UPLOAD_WORKER_MEMORY_BYTES = 512 * 1024 * 1024
UPLOAD_WORKERS = 2
UPLOAD_WAIT_S = 5.0  # how long a session waits for a free worker before « busy, try again »
MAX_UPLOADS_PER_SESSION = 20  # distinct files one app session may keep in the upload cache

# bounds of an URSSAF import (README, « import-urssaf »): a count beyond them cannot exist
MAX_JOBS_PER_CELL = 10_000_000  # salaried jobs of one commune x APE cell (largest real: a few 10^4)
# the years an « Effectifs salariés AAAA » header may name (URSSAF publishes from 2006)
URSSAF_YEARS = (1990, 2099)
# each table and meta.json of an import, checked before it is read (real ones: < 1 MB; 110
# years of every zone and sector: 3.5 MB; reading 5 MB takes about 100 MB)
MAX_IMPORT_FILE_BYTES = 5_000_000
