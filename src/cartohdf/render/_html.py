"""HTML snippets for tooltips, popups and legends. Every data value goes through `esc`."""

from __future__ import annotations

from collections.abc import Iterable
from html import escape


def esc(value: object) -> str:
    """HTML-escape any value (quotes included)."""
    return escape(str(value), quote=True)


def table(rows: Iterable[tuple[str, str]]) -> str:
    """A two-column table; both cells must already be escaped."""
    body = "".join(f"<tr><td>{k}</td><td><b>{v}</b></td></tr>" for k, v in rows)
    return f"<table>{body}</table>"


def popup(title: str, rows: Iterable[tuple[str, str]], notes: Iterable[str] = ()) -> str:
    """A popup: escaped title, a table of pre-escaped rows, escaped notes."""
    parts = [f"<div class='cartohdf-popup'><h2>{esc(title)}</h2>", table(rows)]
    parts += [f"<div class='note'>{esc(n)}</div>" for n in notes]
    return "".join(parts) + "</div>"
