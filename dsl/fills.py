"""Pure fill primitives: flood fill, enclosed areas, rays, gravity. None modifies its arguments."""

from __future__ import annotations

import numpy as np
from scipy import ndimage

from dsl._core import _as_grid, _bg, _color, _direction, _flag, _in, _new, _point, _structure


def flood_fill(img, point, color, diagonal=False) -> np.ndarray:
    """A new grid with the connected same-colour region containing ``point`` set to ``color``.

    Cells connect through 4 neighbours (8 with ``diagonal``); a point outside the grid changes nothing.
    """
    img = _as_grid(img)
    row, col = _point(point)
    color = _color(color)
    out = _new(img)
    if not _in(img, row, col):
        return out
    labels, _ = ndimage.label(img == img[row, col], structure=_structure(diagonal))
    out[labels == labels[row, col]] = color
    return out


def fill_enclosed(img, color, bg=None, diagonal=False) -> np.ndarray:
    """A new grid where ``bg`` cells (None: the background) that cannot reach the grid's edge become ``color``.

    ``bg`` cells reach each other through 4 neighbours (8 with ``diagonal``: then a diagonal gap leaks).
    """
    img = _as_grid(img)
    color, bg = _color(color), _bg(img, bg)
    labels, _ = ndimage.label(img == bg, structure=_structure(diagonal))
    edge = np.unique(np.concatenate([labels[0], labels[-1], labels[:, 0], labels[:, -1]]))
    enclosed = (labels > 0) & ~np.isin(labels, edge)
    out = _new(img)
    out[enclosed] = color
    return out


def ray(img, start, direction, color, stop_at_nonbg=False, bg=None) -> np.ndarray:
    """A new grid with a ray of ``color`` from the cell after ``start`` in ``direction`` (dr, dc; 8 directions).

    It runs to the grid's edge, or with ``stop_at_nonbg`` stops before the first cell not of colour ``bg``
    (None: the background). ``start`` itself is never painted and may lie outside the grid.
    """
    img = _as_grid(img)
    row, col = _point(start, "start")
    dr, dc = _direction(direction)
    color = _color(color)
    stop = _flag(stop_at_nonbg, "stop_at_nonbg")
    bg = _bg(img, bg)
    out = _new(img)
    lo, hi = 1, None  # the steps t at which start + t * direction lies inside the grid
    for x, d, size in ((row, dr, img.shape[0]), (col, dc, img.shape[1])):
        if d == 0:
            if not 0 <= x < size:
                return out
            continue
        a, b = (-x, size - 1 - x) if d > 0 else (x - size + 1, x)
        lo, hi = max(lo, a), b if hi is None else min(hi, b)
    for t in range(lo, hi + 1):
        r, c = row + t * dr, col + t * dc
        if stop and img[r, c] != bg:
            break
        out[r, c] = color
    return out


def gravity(img, direction=(1, 0), bg=None) -> np.ndarray:
    """A new grid where every non-``bg`` cell (None: the background) falls in ``direction`` as far as it can.

    ``direction`` is (1, 0) down, (-1, 0) up, (0, 1) right or (0, -1) left; cells fall one by one (not
    as rigid objects) and keep their order along each column or row.
    """
    img = _as_grid(img)
    dr, dc = _direction(direction)
    if dr and dc:
        raise ValueError(f"gravity direction must be up, down, left or right, got {direction!r}")
    bg = _bg(img, bg)
    out = _new(img)
    grid = out if dr else out.T  # work on columns; a view, so writes land in out
    for j in range(grid.shape[1]):
        line = grid[:, j]
        kept = line[line != bg]
        fill = np.full(len(line) - len(kept), bg, dtype=np.int8)
        grid[:, j] = np.concatenate([fill, kept] if (dr or dc) > 0 else [kept, fill])
    return out
