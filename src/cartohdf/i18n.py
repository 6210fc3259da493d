"""User-facing words, French first. `t(key, lang)`; a missing English entry falls back to French."""

from __future__ import annotations

TEXTS: dict[str, dict[str, str]] = {
    "app_title": {"fr": "L'industrie en Hauts-de-France par zone d'emploi",
                  "en": "Industry in Hauts-de-France by employment zone"},
    "zoning_ze2010": {"fr": "Zones d'emploi 2010 (zonage de l'étude)", "en": "Employment zones 2010 (the study's zoning)"},
    "zoning_ze2020": {"fr": "Zones d'emploi 2020 (zonage actuel)", "en": "Employment zones 2020 (current zoning)"},
    "zones_layer": {"fr": "Zones d'emploi", "en": "Employment zones"},
    "circles_layer": {"fr": "Cercles proportionnels", "en": "Proportional circles"},
    "labels_layer": {"fr": "Noms des zones", "en": "Zone names"},
    "departements_layer": {"fr": "Départements et région", "en": "Départements and région"},
    "employers_layer": {"fr": "Grands employeurs industriels (2018)", "en": "Major industrial employers (2018)"},
    "ti2018_layer": {"fr": "Territoires d'industrie 2018-2022", "en": "Territoires d'industrie 2018-2022"},
    "ti2023_layer": {"fr": "Territoires d'industrie 2023-2027", "en": "Territoires d'industrie 2023-2027"},
    "s3_prefix": {"fr": "S3", "en": "S3"},
    "no_data": {"fr": "pas de donnée", "en": "no data"},
    "rank": {"fr": "Rang", "en": "Rank"},
    "rank_of": {"fr": "{rank}e sur {n} zones", "en": "{rank} of {n} zones"},
    "region": {"fr": "Région", "en": "Région"},
    "region_ref": {"fr": "Hauts-de-France ({n} zones entièrement régionales)",
                   "en": "Hauts-de-France ({n} zones wholly in the région)"},
    "interregional_note": {
        "fr": "Zone interrégionale : le contour montre la partie régionale, les chiffres couvrent toute la zone.",
        "en": "Inter-regional zone: the outline shows the part in the région; figures cover the whole zone.",
    },
    "employer_note": {
        "fr": "L'étude ne donne pas d'adresse : le marqueur est placé dans la zone d'emploi, pas sur le site.",
        "en": "The study gives no address: the marker is placed in the employment zone, not at the site.",
    },
    "activity": {"fr": "Activité", "en": "Activity"},
    "size_band": {"fr": "Effectif salarié", "en": "Employees"},
    "zone": {"fr": "Zone d'emploi", "en": "Employment zone"},
    "head_network": {"fr": "Tête de réseau", "en": "Head-network territory"},
    "domain": {"fr": "Domaine de spécialisation", "en": "Specialisation domain"},
    "anchor": {"fr": "Marqueur placé sur", "en": "Marker placed on"},
    "members": {"fr": "EPCI membres", "en": "Member EPCIs"},
    "programme": {"fr": "Programme", "en": "Programme"},
    "source": {"fr": "Source", "en": "Source"},
    "sources_title": {"fr": "Sources et licences", "en": "Sources and licences"},
    "generated": {"fr": "Carte générée le {date} avec cartohdf", "en": "Map generated on {date} with cartohdf"},
    "basemap_offline": {"fr": "Fond de carte indisponible (pas de connexion) : la carte reste utilisable.",
                        "en": "Basemap unavailable (no connection): the map still works."},
    "circle_legend": {"fr": "Surface proportionnelle au nombre d'emplois", "en": "Area proportional to jobs"},
    "size_large": {"fr": "2 000 à 4 999 salariés", "en": "2,000 to 4,999 employees"},
    "size_medium": {"fr": "1 000 à 1 999 salariés", "en": "1,000 to 1,999 employees"},
    "ref_france": {"fr": "France métropolitaine", "en": "Metropolitan France"},
    "ref_france_all": {"fr": "France", "en": "France"},
    "s3_legend": {"fr": "Domaines S3 : binômes « têtes de réseau »", "en": "S3 domains: head-network pairs"},
    "selected": {"fr": "Zone sélectionnée", "en": "Selected zone"},
}  # fmt: skip


def t(key: str, lang: str = "fr", **kwargs: object) -> str:
    """The text for `key` in `lang`, formatted with `kwargs`."""
    entry = TEXTS[key]
    text = entry.get(lang) or entry["fr"]
    return text.format(**kwargs) if kwargs else text
