"""What each indicator is: its id, kind and words (from the text catalogue), and its sector."""

from __future__ import annotations

from dataclasses import dataclass

from cartohdf.core import USER_ID, t

KINDS = ("count", "share", "change", "index", "value")


@dataclass(frozen=True)
class Indicator:
    """An indicator: ``kind`` decides maths, formats and palettes.

    Built-in indicators take their label, unit and definition from the text catalogue
    (``ind.<id>.*``); per-sector ones name their A38 sector (``a38.<code>``); an indicator read
    from a user's file keeps the label and unit written in the file, untranslated.
    """

    id: str
    kind: str  # count | share | change | index | value
    sector: str | None = None  # A38 code of a per-sector indicator
    measure: str = ""  # a sector's measure: SECTOR_MAP_MEASURES (its kind follows)
    user_label: str = ""
    user_unit: str = ""
    user_file: str = ""

    def label(self, lang: str) -> str:
        if self.kind == "value":
            return self.user_label
        if self.sector:
            return t(f"ind.sector.{self.measure}.label", lang, sector=t(f"a38.{self.sector}", lang))
        return t(f"ind.{self.id}.label", lang)

    def unit(self, lang: str) -> str:
        return self.user_unit if self.kind == "value" else t(f"unit.{self.kind}", lang)

    def definition(self, lang: str) -> str:
        if self.kind == "value":
            return t("ind.user.definition", lang, file=self.user_file)
        if self.sector:
            return t(f"ind.sector.{self.measure}.definition", lang, code=self.sector,
                     sector=t(f"a38.{self.sector}", lang))  # fmt: skip
        return t(f"ind.{self.id}.definition", lang)


BASE_INDICATORS: dict[str, Indicator] = {
    i.id: i
    for i in (
        Indicator("industrial_jobs", "count"),
        Indicator("industrial_share", "share"),
        Indicator("industrial_share_market", "share"),
        Indicator("industrial_change", "change"),
        Indicator("specialisation", "index"),
    )
}


# A sector's measures on a map, with their kind (which decides circles or a choropleth, its
# palette and formats) and the prefix of their indicator ids. The specialisation index came
# first, as ``specialisation_<a38>``: its id is kept (links made before still open).
SECTOR_MAP_MEASURES = {"jobs": "count", "change": "change", "industry_share": "share",
                       "specialisation": "index"}  # fmt: skip
SECTOR_ID_PREFIX = {"jobs": "sector_jobs_", "change": "sector_change_",
                    "industry_share": "sector_share_", "specialisation": "specialisation_"}  # fmt: skip


def sector_indicator(code: str, measure: str = "specialisation") -> Indicator:
    """One measure of one A38 industrial sector (ZE2020 / URSSAF only): its jobs, their
    change, its share of the zone's industrial jobs, or its specialisation index."""
    return Indicator(f"{SECTOR_ID_PREFIX[measure]}{code.lower()}", SECTOR_MAP_MEASURES[measure],
                     sector=code, measure=measure)  # fmt: skip


def sector_of(indicator_id: str) -> tuple[str, str] | None:
    """(A38 code as written, upper-cased; measure) of a sector indicator id, None for another
    id. The code is not checked here: the caller says which codes exist."""
    for measure, prefix in SECTOR_ID_PREFIX.items():
        if indicator_id.startswith(prefix) and len(indicator_id) > len(prefix):
            return indicator_id.removeprefix(prefix).upper(), measure
    return None


def user_indicator(label: str, unit: str, file_name: str) -> Indicator:
    """The indicator of a user's file (id ``user``)."""
    return Indicator(USER_ID, "value", user_label=label, user_unit=unit, user_file=file_name)
