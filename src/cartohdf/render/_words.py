"""How the render stage words what the data and indicators say (through the text catalogue)."""

from __future__ import annotations

from cartohdf.core import t
from cartohdf.data import EmploymentTable
from cartohdf.indicators import ZoneValues


def year_label(zv: ZoneValues, lang: str) -> str:
    """« 2017 », « 2007–2017 », or « fichier importé » for a user's indicator."""
    if zv.indicator.kind == "value":
        return t("user_file", lang)
    return f"{zv.base_year}–{zv.year}" if zv.base_year else str(zv.year)


def reference_label(source: str, lang: str) -> str:
    """The national reference of a source: metropolitan France (Estel), France (URSSAF),
    or the whole imported file."""
    return t(f"ref.{source}", lang)


def source_label(table: EmploymentTable, lang: str) -> str:
    """Where an employment table comes from, in words."""
    return t(f"source.{table.source}", lang, file=table.import_file)
