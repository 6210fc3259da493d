"""One exception family; front doors turn it into a one-line message."""

from __future__ import annotations

from pathlib import Path
from typing import Any


class CartohdfError(Exception):
    """Base class of every error cartohdf raises on purpose."""


class InputError(CartohdfError):
    """A file or table does not match what cartohdf expects.

    The message names the file, row, column, bad value and what was expected,
    whichever of those are known.
    """

    def __init__(
        self,
        problem: str,
        *,
        file: str | Path | None = None,
        row: int | None = None,
        column: str | None = None,
        value: Any = None,
        expected: str | None = None,
    ) -> None:
        self.problem = problem
        self.file = str(file) if file is not None else None
        self.row = row
        self.column = column
        self.value = value
        self.expected = expected
        super().__init__(self._format())

    def _format(self) -> str:
        where = []
        if self.file is not None:
            where.append(Path(self.file).name)
        if self.row is not None:
            where.append(f"ligne {self.row}")
        if self.column is not None:
            where.append(f"colonne « {self.column} »")
        text = (", ".join(where) + " : " if where else "") + self.problem
        if self.value is not None:
            shown = repr(self.value)
            text += f" (valeur {shown[:80]})"
        if self.expected:
            text += f" ; attendu : {self.expected}"
        return text


class StateError(CartohdfError):
    """A map-state parameter has a value outside its allowed set."""


def first_true(mask: Any) -> int:
    """Position of the first True of a boolean Series/array (the row to report)."""
    return (
        int(mask.to_numpy().nonzero()[0][0])
        if hasattr(mask, "to_numpy")
        else int(mask.nonzero()[0][0])
    )
