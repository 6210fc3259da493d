"""HTML snippets for tooltips, popups and legends. Every data value goes through `esc`."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from html import escape

from cartohdf.view import Card


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


def tip_html(lines: Sequence[str]) -> str:
    """A hover text: its first line in bold, each on its own line (escaped here)."""
    if not lines:
        return ""
    return "<br>".join([f"<b>{esc(lines[0])}</b>", *(esc(x) for x in lines[1:])])


def card_html(card: Card) -> str:
    """A feature's card as a popup (every text escaped here)."""
    return popup(card.title, [(esc(k), esc(v)) for k, v in card.rows], card.notes)
