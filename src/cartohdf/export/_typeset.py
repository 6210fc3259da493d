"""Typographic care for print text that the font alone gets wrong.

DejaVu Sans Bold carries a kerning pair capital L + right single quotation mark (U+2019) of
−0.23 em (the regular face has none); matplotlib ≥ 3.11 shapes text with HarfBuzz, which
applies it, and the French elision « L’industrie » then shows its apostrophe tucked over the
L's foot. The pair suits an English closing quote, not an elision: kerning is switched off
for just those two characters (a HarfBuzz feature range, through matplotlib's documented
``fontfeatures``), every other pair of the line keeps its kerning.
"""

from __future__ import annotations

import re
from typing import Any

_ELISION = re.compile(r"[A-ZÀ-Ý]’")


def elision_features(text: str) -> dict[str, Any]:
    """``fontfeatures`` keyword for `text` (empty if it has no capital before an apostrophe);
    ranges count characters from the start of the text."""
    ranges = [f"kern[{m.start()}:{m.end()}]=0" for m in _ELISION.finditer(text)]
    return {"fontfeatures": ranges} if ranges else {}
