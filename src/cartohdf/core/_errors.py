"""One exception family. Each error carries a catalogue key and its values, so a front door
shows it in the user's language; ``str(error)`` is the French text."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from cartohdf.core._numbers import plain
from cartohdf.core._text import TextKey, t

_UNSET: Any = object()


def _shown(v: Any, lang: str) -> str:
    """A message value as text: a catalogue key translated, anything else as plain text."""
    return t(v, lang) if isinstance(v, TextKey) else plain(v, lang)


class CartohdfError(Exception):
    """Base class of every error cartohdf raises on purpose.

    Parameters
    ----------
    key
        Catalogue key of the message (``core.TEXTS``).
    **params
        Values the message names; shown as plain text (no Python reprs).
    """

    def __init__(self, key: str, /, **params: Any) -> None:
        self.key = key
        self.params = params
        super().__init__(self.message("fr"))

    def message(self, lang: str = "fr") -> str:
        """The message in `lang`."""
        return t(self.key, lang, **{k: _shown(v, lang) for k, v in self.params.items()})

    def __reduce__(self) -> tuple[object, ...]:
        # rebuilt from its fields, not from its French text (errors cross process boundaries)
        return (_restore, (type(self), self.__dict__.copy()))


class InputError(CartohdfError):
    """A file or table does not match what cartohdf expects.

    The message names the file, row, column, bad value and what was expected, whichever of
    those are known. ``problem`` and ``expected`` are catalogue keys; ``params`` fill both.
    """

    def __init__(
        self,
        problem: str,
        /,
        *,
        file: str | Path | None = None,
        row: int | None = None,
        column: str | None = None,
        value: Any = _UNSET,
        expected: str | None = None,
        **params: Any,
    ) -> None:
        self.problem = problem
        self.file = str(file) if file is not None else None
        self.row = row
        self.column = column
        self.value = None if value is _UNSET else value
        self.has_value = value is not _UNSET
        self.expected = expected
        super().__init__(problem, **params)

    def message(self, lang: str = "fr") -> str:
        params = {k: _shown(v, lang) for k, v in self.params.items()}
        where = []
        if self.file is not None:
            where.append(Path(self.file).name)
        if self.row is not None:
            where.append(t("where.row", lang, row=self.row))
        if self.column is not None:
            where.append(t("where.column", lang, column=self.column))
        text = t(self.problem, lang, **params)
        if where:
            text = t("where.prefix", lang, where=", ".join(where), text=text)
        if self.has_value:
            text += t("where.value", lang, value=plain(self.value, lang, quoted=True))
        if self.expected:
            text += t("where.expected", lang, expected=t(self.expected, lang, **params))
        return text


class StateError(CartohdfError):
    """A map-state parameter has a value outside its allowed set, or the view needs data that
    is not there (an import or an upload)."""


def _restore(cls: type[CartohdfError], state: dict[str, Any]) -> CartohdfError:
    error = cls.__new__(cls)
    error.__dict__.update(state)
    Exception.__init__(error, error.message("fr"))
    return error


def first_true(mask: Any) -> int:
    """Position of the first True of a boolean Series/array (the row to report)."""
    return (
        int(mask.to_numpy().nonzero()[0][0])
        if hasattr(mask, "to_numpy")
        else int(mask.nonzero()[0][0])
    )
