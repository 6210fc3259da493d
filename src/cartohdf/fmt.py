"""Number formatting: French by default (« 280 467 », « 19,5 % »), English on request."""

from __future__ import annotations

import math

NNBSP = "\u202f"  # narrow no-break space: French thousands separator and before « % »


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
    """Format an indicator value by its kind (count, share, change, index)."""
    if kind == "count":
        return number(v, 0, lang)
    if kind == "share":
        return percent(v, 1, lang)
    if kind == "change":
        return percent(v, 1, lang, signed=True)
    if kind == "value":  # user indicator: as many decimals as useful, up to 2
        return stated(round(float(v), 2), lang) if v is not None and v == v else "—"
    return number(v, 2, lang)


def stated(v: float, lang: str = "fr") -> str:
    """A figure as the study states it: no more decimals than it has (« 1,3 », « 23 875 »)."""
    text = f"{v:.10g}"
    decimals = len(text.split(".")[1]) if "." in text and "e" not in text else 0
    return number(v, decimals, lang)
