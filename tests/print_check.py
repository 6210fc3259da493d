"""What a reader of a printed map sees, measured on the drawn figure: label boxes that overlap
each other or a symbol, labels that leave the map frame, symbols cut by the frame.

Used by the tests of the static map and the atlas, and by ``bench/static_labels.py`` (counts
before/after). Boxes are the artists' window extents after a full Agg draw, in pixels.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

LABEL_GIDS = ("labels-label", "locator-label")
SYMBOL_SUFFIXES = ("-disc", "-marker")


@dataclass(frozen=True)
class Report:
    labels: int  # labels seen (at least partly inside their frame)
    label_pairs: int  # pairs of labels whose boxes overlap
    label_symbol: int  # (label, symbol) pairs whose boxes overlap
    outside: int  # labels cut by their map frame (partly outside it)
    cut: int  # symbols partly inside their map frame (half circles)

    def line(self, name: str) -> str:
        return (f"{name}: labels {self.labels}, overlapping label pairs {self.label_pairs}, "
                f"label over symbol {self.label_symbol}, labels leaving the frame "
                f"{self.outside}, symbols cut by the frame {self.cut}")  # fmt: skip


def drawn(fig: Any) -> Any:
    """The figure drawn once with Agg (window extents are then final); its renderer."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    return canvas.get_renderer()


def _overlap(a: Any, b: Any, tol: float = 0.5) -> bool:
    return (min(a.x1, b.x1) - max(a.x0, b.x0) > tol) and (min(a.y1, b.y1) - max(a.y0, b.y0) > tol)


def _inside(a: Any, frame: Any, tol: float = 0.5) -> bool:
    return (a.x0 >= frame.x0 - tol and a.x1 <= frame.x1 + tol and a.y0 >= frame.y0 - tol
            and a.y1 <= frame.y1 + tol)  # fmt: skip


def _circle_hits_box(sym: Any, box: Any) -> bool:
    """A round symbol (its box's inscribed circle) against a label box."""
    cx, cy, r = (sym.x0 + sym.x1) / 2, (sym.y0 + sym.y1) / 2, (sym.x1 - sym.x0) / 2
    nx, ny = min(max(cx, box.x0), box.x1), min(max(cy, box.y0), box.y1)
    return (nx - cx) ** 2 + (ny - cy) ** 2 < (r - 0.5) ** 2


def label_boxes(fig: Any, renderer: Any, axes: list[Any] | None = None,
                any_text: bool = False) -> list[tuple[Any, Any, Any]]:  # fmt: skip
    """(text, its box, its axes' box) of every map label of the figure (of `axes`; with
    `any_text`, every text of those axes counts as a label)."""
    out = []
    for ax in axes if axes is not None else fig.axes:
        frame = ax.get_window_extent(renderer)
        for text in ax.texts:
            gid = str(text.get_gid() or "")
            named = (any_text and not gid.endswith("-halo")) or gid in LABEL_GIDS
            box = text.get_window_extent(renderer)
            # a label wholly outside its frame is clipped away: nobody sees it
            if named and text.get_visible() and text.get_text() and _overlap(box, frame):
                out.append((text, box, frame))
    return out


def report(fig: Any, axes: list[Any] | None = None, any_text: bool = False) -> Report:
    """Count what a cartographer would mark in red on the figure (on `axes`, all by default)."""
    renderer = drawn(fig)
    labels = label_boxes(fig, renderer, axes, any_text)
    symbols = []
    for ax in fig.axes:
        frame = ax.get_window_extent(renderer)
        for line in ax.lines:
            if str(line.get_gid() or "").endswith(SYMBOL_SUFFIXES):
                symbols.append((line.get_window_extent(renderer), frame))
    pairs = sum(_overlap(a[1], b[1]) for i, a in enumerate(labels) for b in labels[i + 1 :])
    on_symbols = sum(
        _circle_hits_box(s, box) for _, box, _ in labels for s, _ in symbols if _overlap(s, box)
    )
    outside = sum(not _inside(box, frame) for _, box, frame in labels)
    cut = sum(_overlap(s, frame) and not _inside(s, frame) for s, frame in symbols)
    return Report(len(labels), pairs, on_symbols, outside, cut)
