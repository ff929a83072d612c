"""Pure grid primitives: reading, colours, transforms, composition and symmetry.

None of these modifies its arguments; every grid they return is a new int8 array.
"""

from __future__ import annotations

import numbers

import numpy as np

from dsl._core import (
    _as_grid,
    _bg,
    _check_side,
    _color,
    _coord,
    _flag,
    _in,
    _new,
    _point,
    _value_counts,
)

# --- reading ------------------------------------------------------------------------------------


def copy(img) -> np.ndarray:
    """A new int8 copy of ``img`` (start here before painting with the in-place ``draw_*``)."""
    return _new(_as_grid(img))


def background(img) -> int:
    """The most common colour of ``img`` (ties: the lowest colour)."""
    return _bg(_as_grid(img), None)


def colors(img) -> list:
    """The colours present in ``img``, most frequent first (ties: lower colour first)."""
    values, counts = _value_counts(_as_grid(img))
    order = sorted(range(len(values)), key=lambda i: (-counts[i], values[i]))
    return [int(values[i]) for i in order]


def count_color(img, color) -> int:
    """How many cells of ``img`` have ``color``."""
    return int(np.count_nonzero(_as_grid(img) == _color(color)))


def cells_of_color(img, color) -> list:
    """The ``(row, col)`` of every cell of ``color``, in reading order (row by row, left to right)."""
    rows, cols = np.nonzero(_as_grid(img) == _color(color))
    return [(int(r), int(c)) for r, c in zip(rows, cols, strict=True)]


def neighbors(img, point, diagonal=False) -> list:
    """The in-grid 4-neighbours of ``point`` (8 with ``diagonal``), in reading order; never ``point`` itself."""
    img = _as_grid(img)
    row, col = _point(point)
    diag = _flag(diagonal, "diagonal")
    return [
        (row + dr, col + dc)
        for dr in (-1, 0, 1)
        for dc in (-1, 0, 1)
        if (dr or dc) and (diag or not (dr and dc)) and _in(img, row + dr, col + dc)
    ]


# --- colours ------------------------------------------------------------------------------------


def recolor(img, mapping) -> np.ndarray:
    """A new grid with every colour ``old`` in ``mapping`` (dict old -> new) replaced at once; others kept."""
    img = _as_grid(img)
    if not isinstance(mapping, dict):
        raise TypeError(f"mapping must be a dict of colour -> colour, got {type(mapping).__name__}")
    out = _new(img)
    for old, new in mapping.items():
        out[img == _color(old)] = _color(new)  # masks read the original: swaps work
    return out


def replace(img, old, new) -> np.ndarray:
    """A new grid with every cell of colour ``old`` set to ``new``."""
    return recolor(img, {old: new})


# --- transforms ---------------------------------------------------------------------------------


def crop(img, point1, point2) -> np.ndarray:
    """The sub-grid with corners ``point1``, ``point2`` (inclusive, either order), clipped to the grid.

    Raises ValueError when the rectangle lies wholly outside the grid.
    """
    img = _as_grid(img)
    (r0, c0), (r1, c1) = _point(point1, "point1"), _point(point2, "point2")
    top, bottom = max(min(r0, r1), 0), min(max(r0, r1), img.shape[0] - 1)
    left, right = max(min(c0, c1), 0), min(max(c0, c1), img.shape[1] - 1)
    if top > bottom or left > right:
        raise ValueError(f"crop of {point1}-{point2} is outside the {img.shape[0]}x{img.shape[1]} grid")
    return _new(img[top : bottom + 1, left : right + 1])


def bbox(img, bg=None):
    """``(top, left, bottom, right)`` (inclusive) of the cells not of colour ``bg`` (None: the background).

    Returns None when every cell is ``bg``.
    """
    img = _as_grid(img)
    rows, cols = np.nonzero(img != _bg(img, bg))
    if len(rows) == 0:
        return None
    return int(rows.min()), int(cols.min()), int(rows.max()), int(cols.max())


def crop_to_content(img, bg=None) -> np.ndarray:
    """``img`` cropped to the bbox of its non-``bg`` cells (None: the background); a copy if there are none."""
    box = bbox(img, bg)
    if box is None:
        return copy(img)
    top, left, bottom, right = box
    return _new(_as_grid(img)[top : bottom + 1, left : right + 1])


def flip_lr(img) -> np.ndarray:
    """``img`` mirrored left-right (columns reversed)."""
    return _new(_as_grid(img)[:, ::-1])


def flip_ud(img) -> np.ndarray:
    """``img`` mirrored upside-down (rows reversed)."""
    return _new(_as_grid(img)[::-1, :])


def rotate(img, k=1) -> np.ndarray:
    """``img`` turned ``k`` quarter turns COUNTER-clockwise (as ``np.rot90``); ``k=-1`` turns clockwise."""
    return _new(np.rot90(_as_grid(img), _coord(k, "k") % 4))


def transpose(img) -> np.ndarray:
    """``img`` mirrored about its main diagonal: cell (r, c) goes to (c, r)."""
    return _new(_as_grid(img).T)


def _factor(factor) -> tuple[int, int]:
    if isinstance(factor, numbers.Integral) and not isinstance(factor, bool):
        fr = fc = int(factor)
    else:
        fr, fc = _point(factor, "factor")
    if fr < 1 or fc < 1:
        raise ValueError(f"factor must be >= 1, got {factor!r}")
    return fr, fc


def tile(img, rows, cols) -> np.ndarray:
    """``img`` repeated ``rows`` times downwards and ``cols`` times across; result sides must be <= 30."""
    img = _as_grid(img)
    rows, cols = _coord(rows, "rows"), _coord(cols, "cols")
    _check_side(img.shape[0] * rows, img.shape[1] * cols, "tile")
    return _new(np.tile(img, (rows, cols)))


def upscale(img, factor) -> np.ndarray:
    """Every cell becomes a ``factor`` x ``factor`` block (``factor`` an int or ``(fr, fc)``); sides <= 30."""
    img = _as_grid(img)
    fr, fc = _factor(factor)
    _check_side(img.shape[0] * fr, img.shape[1] * fc, "upscale")
    return _new(np.repeat(np.repeat(img, fr, axis=0), fc, axis=1))


def downscale(img, factor) -> np.ndarray:
    """Every ``factor`` x ``factor`` block becomes one cell of its most common colour (ties: lowest).

    ``factor`` is an int or ``(fr, fc)``; the sides must be divisible by it (else ValueError).
    """
    img = _as_grid(img)
    fr, fc = _factor(factor)
    rows, cols = img.shape
    if rows % fr or cols % fc:
        raise ValueError(f"downscale: {rows}x{cols} is not divisible by {fr}x{fc}")
    out = np.empty((rows // fr, cols // fc), dtype=np.int8)
    for r in range(rows // fr):
        for c in range(cols // fc):
            out[r, c] = _bg(img[r * fr : (r + 1) * fr, c * fc : (c + 1) * fc], None)
    return out


# --- composition --------------------------------------------------------------------------------


def hconcat(a, b) -> np.ndarray:
    """``a`` and ``b`` side by side (``a`` left); heights must match, result width <= 30."""
    a, b = _as_grid(a, "a"), _as_grid(b, "b")
    if a.shape[0] != b.shape[0]:
        raise ValueError(f"hconcat needs equal heights, got {a.shape[0]} and {b.shape[0]}")
    _check_side(a.shape[0], a.shape[1] + b.shape[1], "hconcat")
    return _new(np.hstack([a, b]))


def vconcat(a, b) -> np.ndarray:
    """``a`` above ``b``; widths must match, result height <= 30."""
    a, b = _as_grid(a, "a"), _as_grid(b, "b")
    if a.shape[1] != b.shape[1]:
        raise ValueError(f"vconcat needs equal widths, got {a.shape[1]} and {b.shape[1]}")
    _check_side(a.shape[0] + b.shape[0], a.shape[1], "vconcat")
    return _new(np.vstack([a, b]))


def _full_lines(img: np.ndarray, color: int) -> tuple[list, list]:
    rows = [int(r) for r in np.nonzero((img == color).all(axis=1))[0]]
    cols = [int(c) for c in np.nonzero((img == color).all(axis=0))[0]]
    return rows, cols


def separators(img, color=None) -> tuple:
    """``(rows, cols)``: indices of the full rows and full columns of one separator colour.

    ``color`` None picks the non-background colour with the most full lines (ties: lowest), else the
    background's full lines; ``([], [])`` when there are none or the grid is one colour.
    """
    img = _as_grid(img)
    if color is not None:
        return _full_lines(img, _color(color))
    present = [int(v) for v in _value_counts(img)[0]]
    if len(present) == 1:
        return [], []
    bg = _bg(img, None)
    best, best_n = ([], []), 0
    for c in [c for c in present if c != bg] + [bg]:
        rows, cols = _full_lines(img, c)
        if len(rows) + len(cols) > best_n:
            best, best_n = (rows, cols), len(rows) + len(cols)
    return best


def split_grid(img, color=None) -> list:
    """The sub-grids between the separator lines of ``separators(img, color)``, in reading order.

    Empty pieces (adjacent separators, separators on the border) are skipped; no separators: ``[copy]``.
    """
    img = _as_grid(img)
    rows, cols = separators(img, color)

    def spans(cuts, n):
        out, start = [], 0
        for cut in [*cuts, n]:
            if cut > start:
                out.append((start, cut))
            start = cut + 1
        return out

    return [_new(img[r0:r1, c0:c1]) for r0, r1 in spans(rows, img.shape[0]) for c0, c1 in spans(cols, img.shape[1])]


def blit(img, sprite, point, transparent=None) -> np.ndarray:
    """A new grid: ``sprite`` pasted with its top-left cell at ``point``, clipped to ``img``.

    Sprite cells equal to ``transparent`` (a colour, or None: paste every cell) leave ``img`` as it is.
    """
    img, sprite = _as_grid(img), _as_grid(sprite, "sprite")
    row, col = _point(point)
    out = _new(img)
    r0, c0 = max(row, 0), max(col, 0)
    r1, c1 = min(row + sprite.shape[0], img.shape[0]), min(col + sprite.shape[1], img.shape[1])
    if r0 >= r1 or c0 >= c1:
        return out
    piece = sprite[r0 - row : r1 - row, c0 - col : c1 - col]
    keep = np.ones(piece.shape, bool) if transparent is None else piece != _color(transparent)
    out[r0:r1, c0:c1][keep] = piece[keep]
    return out


# --- symmetry -----------------------------------------------------------------------------------

_SYMMETRIES = {
    "lr": (False, lambda g: g[:, ::-1]),
    "ud": (False, lambda g: g[::-1, :]),
    "rot180": (False, lambda g: g[::-1, ::-1]),
    "diag": (True, lambda g: g.T),
    "anti": (True, lambda g: g[::-1, ::-1].T),
    "rot90": (True, lambda g: np.rot90(g)),
}


def _axes(axis) -> list:
    names = [axis] if isinstance(axis, str) else list(axis) if isinstance(axis, (list, tuple)) else None
    if not names or any(not isinstance(n, str) or n not in _SYMMETRIES for n in names):
        raise ValueError(f"axis must be one of {sorted(_SYMMETRIES)} (or a list of them), got {axis!r}")
    return names


def is_symmetric(img, axis="lr") -> bool:
    """Whether ``img`` equals its mirror image under ``axis``.

    ``axis``: "lr", "ud", "rot180", or (square grids only, else False) "diag", "anti", "rot90"; a list: all.
    """
    img = _as_grid(img)
    square = img.shape[0] == img.shape[1]
    for name in _axes(axis):
        needs_square, fn = _SYMMETRIES[name]
        if (needs_square and not square) or not np.array_equal(img, fn(img)):
            return False
    return True


def symmetrize(img, axis="lr", hole=None) -> np.ndarray:
    """A new grid where each cell of colour ``hole`` (None: the background) takes its mirror cell's colour.

    ``axis`` as in ``is_symmetric`` (a list applies all, repeatedly, until stable); mirrors are about the
    grid centre; "diag", "anti", "rot90" need a square grid (else ValueError).
    """
    img = _as_grid(img)
    hole = _bg(img, hole)
    fns = []
    for name in _axes(axis):
        needs_square, fn = _SYMMETRIES[name]
        if needs_square and img.shape[0] != img.shape[1]:
            raise ValueError(f"symmetrize axis {name!r} needs a square grid, got {img.shape[0]}x{img.shape[1]}")
        fns.append(fn)
    out = _new(img)
    for _ in range(8):
        before = out.copy()
        for fn in fns:
            holes = out == hole
            out[holes] = fn(out)[holes]
        if np.array_equal(before, out):
            break
    return out
