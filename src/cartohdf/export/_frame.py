"""Where a map sits on its page: its frame (a rectangle of the page and the Lambert-93 extent
it shows, at true scale), fitted to a view, widened to the page's aspect towards the drawn
area rather than blank paper, and grown until the round symbols of the framed zones are whole.
"""

from __future__ import annotations

from dataclasses import dataclass

MAP_PAD = 0.05  # of the view's larger side, around the view's bounds


@dataclass(frozen=True)
class Frame:
    """Where a map sits on the page: ``rect`` (left, bottom, width, height) in figure fraction,
    ``extent`` (xmin, xmax, ymin, ymax) in Lambert-93 metres, at the same aspect."""

    rect: tuple[float, float, float, float]
    extent: tuple[float, float, float, float]

    def to_figure(self, x: float, y: float) -> tuple[float, float]:
        """Figure-fraction position (from the bottom left) of a Lambert-93 point."""
        left, bottom, width, height = self.rect
        xmin, xmax, ymin, ymax = self.extent
        return (left + (x - xmin) / (xmax - xmin) * width,
                bottom + (y - ymin) / (ymax - ymin) * height)  # fmt: skip


def fit_frame(
    bounds: tuple[float, float, float, float],
    box: tuple[float, float, float, float],
    figsize: tuple[float, float],
    pad: float = MAP_PAD,
    fill: bool = False,
    within: tuple[float, float, float, float] | None = None,
) -> Frame:
    """The frame of `bounds` (xmin, ymin, xmax, ymax, metres) in `box` (figure fraction) at
    true scale: the largest one placed at the box's top left, or with `fill` the whole box,
    its extent widened about the bounds to the box's aspect (towards `within`, the drawn
    area's bounds, where the widening would otherwise show blank paper)."""
    xmin, ymin, xmax, ymax = bounds
    margin = pad * max(xmax - xmin, ymax - ymin)
    xmin, ymin, xmax, ymax = xmin - margin, ymin - margin, xmax + margin, ymax + margin
    left, bottom, width, height = box
    box_w, box_h = width * figsize[0], height * figsize[1]
    aspect = (xmax - xmin) / (ymax - ymin)
    if fill:
        cx, cy = (xmin + xmax) / 2, (ymin + ymax) / 2
        half_w = max(xmax - xmin, (ymax - ymin) * box_w / box_h) / 2
        half_h = half_w * box_h / box_w
        x0, x1, y0, y1 = cx - half_w, cx + half_w, cy - half_h, cy + half_h
        if within is not None:  # the room gained goes to the région's side, not to blank paper
            x0, x1 = _slide(x0, x1, xmin, xmax, within[0], within[2])
            y0, y1 = _slide(y0, y1, ymin, ymax, within[1], within[3])
        return Frame(box, (x0, x1, y0, y1))
    if aspect > box_w / box_h:
        h = box_w / aspect / figsize[1]
        return Frame((left, bottom + height - h, width, h), (xmin, xmax, ymin, ymax))
    return Frame((left, bottom, box_h * aspect / figsize[0], height), (xmin, xmax, ymin, ymax))


def _slide(lo: float, hi: float, keep_lo: float, keep_hi: float, w_lo: float,
           w_hi: float) -> tuple[float, float]:  # fmt: skip
    """[lo, hi] moved towards [w_lo, w_hi], never uncovering [keep_lo, keep_hi]."""
    if hi > w_hi and lo > w_lo:
        d = min(hi - w_hi, lo - w_lo, hi - keep_hi)
        return lo - max(d, 0.0), hi - max(d, 0.0)
    if lo < w_lo and hi < w_hi:
        d = min(w_lo - lo, w_hi - hi, keep_lo - lo)
        return lo + max(d, 0.0), hi + max(d, 0.0)
    return lo, hi


Symbol = tuple[float, float, float]  # x, y (metres), diameter (points)


def metres_per_point(frame: Frame, figsize: tuple[float, float]) -> float:
    """The frame's scale: map metres under one printed point."""
    xmin, xmax = frame.extent[:2]
    return (xmax - xmin) / (frame.rect[2] * figsize[0] * 72)


def whole(frame: Frame, figsize: tuple[float, float], symbol: Symbol) -> bool:
    """Whether a round symbol lies wholly inside the frame."""
    x, y, diameter = symbol
    r = diameter / 2 * metres_per_point(frame, figsize)
    xmin, xmax, ymin, ymax = frame.extent
    return xmin <= x - r and x + r <= xmax and ymin <= y - r and y + r <= ymax


def frame_with_symbols(bounds: tuple[float, float, float, float], symbols: list[Symbol],
                       box: tuple[float, float, float, float], figsize: tuple[float, float],
                       pad: float = MAP_PAD, fill: bool = False,
                       within: tuple[float, float, float, float] | None = None) -> Frame:  # fmt: skip
    """The frame of `bounds`, widened until every symbol placed within them (an S3 disc, an
    employer's circle: they belong to the zones framed) is drawn whole; the symbols' size is
    in points, so the scale is found by a few fixed-point steps."""
    frame = fit_frame(bounds, box, figsize, pad, fill, within)
    xmin, ymin, xmax, ymax = bounds
    mine = [s for s in symbols if xmin <= s[0] <= xmax and ymin <= s[1] <= ymax]
    for _ in range(4):
        if all(whole(frame, figsize, s) for s in mine):
            break
        m = metres_per_point(frame, figsize) * 1.02  # the step's scale, a little to spare
        grown = [(x - d / 2 * m, y - d / 2 * m, x + d / 2 * m, y + d / 2 * m) for x, y, d in mine]
        xs0, ys0, xs1, ys1 = zip(*grown, strict=True)
        fx0, fx1, fy0, fy1 = frame.extent
        frame = fit_frame((min(fx0, *xs0), min(fy0, *ys0), max(fx1, *xs1), max(fy1, *ys1)),
                          box, figsize, 0.0, fill, within)  # fmt: skip
    return frame


CLIP_PAD = 0.04  # of the view's larger side: paper kept round the drawn zones' edge


def clipped(bounds: tuple[float, float, float, float],
            within: tuple[float, float, float, float]) -> tuple[float, float, float, float]:  # fmt: skip
    """`bounds` cut to `within` (blank paper beyond the drawn zones frames nothing), keeping a
    thin margin so that a zone on the région's edge does not touch the frame."""
    m = CLIP_PAD * max(bounds[2] - bounds[0], bounds[3] - bounds[1])
    return (max(bounds[0], within[0] - m), max(bounds[1], within[1] - m),
            min(bounds[2], within[2] + m), min(bounds[3], within[3] + m))  # fmt: skip
