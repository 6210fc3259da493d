"""Numbers in and out: the one parser for user text, and French/English formatting.

Parsing accepts what French users type or export: decimal commas, spaces (plain, no-break,
narrow no-break) as thousands separators, ``1.234,5`` and ``1,234.5``, a trailing « % », the
minus sign « − ». Non-finite values are refused: every output (JSON, CSV, HTML) must carry them.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from pathlib import PurePath
from typing import Any

NNBSP = "\u202f"  # narrow no-break space: French thousands separator and before « % »
MISSING_MARKS = ("", "-", "—", "nd", "n.d.", "NA", "s")  # « s » : secret statistique

_SPACES = re.compile(r"[\s\u00a0\u202f]+")
# Thousands separators only where no other reading exists: several groups (1,234,567) or the
# other mark as decimal (1,234.5). A single « 1,234 » is a French decimal comma; « 0.172 » a decimal.
_EN_THOUSANDS = re.compile(r"^[+\-−]?[1-9]\d{0,2}(?:(?:,\d{3}){2,}(?:\.\d*)?|,\d{3}\.\d*)$")
_FR_THOUSANDS = re.compile(r"^[+\-−]?[1-9]\d{0,2}(?:(?:\.\d{3}){2,}(?:,\d*)?|\.\d{3},\d*)$")
_NUMBER = re.compile(
    r"^[+\-−]?(?:\d+(?:[.,]\d*)?|[.,]\d+)(?:[eE][+\-]?\d+)?$"
)  # 12 | 12,5 | 12. | ,5


def _normalise(text: str) -> str:
    """The canonical spelling of a number text: no spaces, no « % », one decimal point."""
    t = _SPACES.sub("", text).removesuffix("%")
    if _EN_THOUSANDS.fullmatch(t):
        t = t.replace(",", "")
    elif _FR_THOUSANDS.fullmatch(t):
        t = t.replace(".", "")
    if not _NUMBER.fullmatch(t):
        raise ValueError(text)
    return t.replace(",", ".").replace("−", "-")


def parse_number(text: str) -> float | None:
    """French or English number text to a finite float; a missing mark gives None.

    Raises
    ------
    ValueError
        If the text is not a number, or is one too large to be finite (``1e999``).
    """
    stripped = _SPACES.sub("", text)
    if stripped in MISSING_MARKS:
        return None
    value = float(_normalise(text))
    if not math.isfinite(value):
        raise ValueError(text)
    return value


def parse_numbers(texts: Any) -> tuple[Any, Any]:
    """The same grammar as :func:`parse_number`, on a pandas Series of text at once.

    Returns ``(values, bad)``: floats (NaN for missing marks) and a boolean mask of the cells
    that are not numbers (or not finite). Plain numbers take numpy's fast path; empty cells are
    missing values; only the other cells go through the full grammar, one by one.
    """
    import numpy as np  # here, not at import: `cartohdf --help` needs neither
    import pandas as pd

    cells = texts.to_numpy(dtype=object, na_value="")
    values = pd.to_numeric(cells, errors="coerce").astype("float64")
    slow = (np.isnan(values) & (cells != "")) | np.isinf(values)
    bad = np.zeros(len(cells), dtype=bool)
    for i in np.flatnonzero(slow):
        try:
            v = parse_number(str(cells[i]))
        except ValueError:
            values[i], bad[i] = np.nan, True
        else:
            values[i] = np.nan if v is None else v
    return pd.Series(values, index=texts.index), pd.Series(bad, index=texts.index)


def parse_int(text: str) -> int:
    """A whole number typed by a person (« 5 », « 5,0 »); raises ValueError otherwise."""
    value = parse_number(text)
    if value is None or value != int(value):
        raise ValueError(text)
    return int(value)


def number(value: float | None, decimals: int = 0, lang: str = "fr", signed: bool = False) -> str:
    """Format a number with the language's separators; None/NaN gives an em dash."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    if round(value, decimals) == 0:
        value, signed = 0.0, False  # no « −0,0 »
    text = f"{value:{'+' if signed else ''},.{decimals}f}"
    if lang == "fr":
        text = text.replace(",", NNBSP).replace(".", ",").replace("-", "−")
    return text


def percent(
    fraction: float | None, decimals: int = 1, lang: str = "fr", signed: bool = False
) -> str:
    """Format a fraction (0.195) as a percentage (« 19,5 % »)."""
    if fraction is None or (isinstance(fraction, float) and math.isnan(fraction)):
        return "—"
    sep = NNBSP if lang == "fr" else ""
    return number(fraction * 100, decimals, lang, signed) + sep + "%"


def value(v: float | None, kind: str, lang: str = "fr") -> str:
    """Format an indicator value by its kind (count, share, change, index, value)."""
    if kind == "count":
        return number(v, 0, lang)
    if kind == "share":
        return percent(v, 1, lang)
    if kind == "change":
        return percent(v, 1, lang, signed=True)
    if kind == "value":  # user indicator: as many decimals as useful, up to 2
        return stated(round(float(v), 2), lang) if v is not None and v == v else "—"
    return number(v, 2, lang)


BOUND_DECIMALS = {"share": 1, "change": 1, "index": 2, "count": 0}
SCALE = {"share": 100.0, "change": 100.0, "index": 1.0, "count": 1.0}


def bound_texts(
    bounds: list[float], kind: str, lang: str = "fr", typed: tuple[float, ...] = ()
) -> list[str]:
    """Class bounds as a legend shows them: with the kind's usual decimals, or as many as the
    bounds the user `typed` need to read as typed (up to 4): « 0,15 % », not « 0,1 % »."""
    if not typed or kind not in BOUND_DECIMALS:
        return [value(b, kind, lang) for b in bounds]
    shown = [round(b * SCALE[kind], 6) for b in typed]
    needed = [len(f"{x:.10g}".split(".")[1]) if "." in f"{x:.10g}" else 0 for x in shown]
    decimals = min(max([BOUND_DECIMALS[kind], *needed]), 4)
    if kind in ("share", "change"):
        return [percent(b, decimals, lang, signed=kind == "change") for b in bounds]
    return [number(b, decimals, lang) for b in bounds]


def stated(v: float, lang: str = "fr") -> str:
    """A figure as the study states it: no more decimals than it has (« 1,3 », « 23 875 »)."""
    text = f"{v:.10g}"
    decimals = len(text.split(".")[1]) if "." in text and "e" not in text else 0
    return number(v, decimals, lang)


def plain(v: Any, lang: str = "fr", quoted: bool = False, limit: int = 80) -> str:
    """A value as a person reads it in a message: no Python repr, lists joined by commas
    (each item cut at `limit` characters, 40 items at most)."""
    if isinstance(v, PurePath):  # a path is named whole: a cut one cannot be found
        text = str(v)
    elif isinstance(v, str):
        text = v if len(v) <= limit else v[: limit - 1] + "…"
    elif isinstance(v, bool):
        text = str(v).lower()
    elif isinstance(v, int):
        text = number(v, 0, lang) if abs(v) >= 10_000 else str(v)
    elif isinstance(v, float):
        text = stated(v, lang) if math.isfinite(v) else str(v)
    elif isinstance(v, Iterable):
        items = list(v)
        text = ", ".join(plain(x, lang, limit=limit) for x in items[:40]) + (
            ", …" if len(items) > 40 else ""
        )
    else:
        text = str(v)[:limit]
    text = text.replace("\n", " ").replace("\r", " ")
    if quoted:
        return f"« {text} »" if lang == "fr" else f"“{text}”"
    return text
