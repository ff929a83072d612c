"""Pure object primitives: connected objects (``Obj`` records), regions, painting, sliding, outlines.

A *region* argument is any of: an ``Obj``, a list of ``(row, col)`` points, or a boolean mask of the
grid's shape; out-of-grid points are ignored. None of these modifies its arguments.
"""

from __future__ import annotations

import dataclasses

import numpy as np
from scipy import ndimage

from dsl._core import _as_grid, _bg, _color, _direction, _flag, _in, _new, _point, _structure, _value_counts


@dataclasses.dataclass(frozen=True)
class Obj:
    """A connected object found by ``find_objects`` (immutable; ``sprite`` and ``mask`` give fresh copies).

    Fields: color (most common colour), colors (most frequent first), size (cells), cells (tuple of
    (row, col) in reading order), top, left, bottom, right (inclusive bbox); properties height, width,
    sprite (bbox crop, non-object cells set to the background), mask (bool array of the bbox shape).
    """

    color: int
    colors: tuple
    size: int
    cells: tuple
    top: int
    left: int
    bottom: int
    right: int
    bg: int
    _sprite: np.ndarray = dataclasses.field(repr=False, compare=False)
    _mask: np.ndarray = dataclasses.field(repr=False, compare=False)

    @property
    def height(self) -> int:
        return self.bottom - self.top + 1

    @property
    def width(self) -> int:
        return self.right - self.left + 1

    @property
    def sprite(self) -> np.ndarray:
        return self._sprite.copy()

    @property
    def mask(self) -> np.ndarray:
        return self._mask.copy()


def _make_obj(img: np.ndarray, top: int, left: int, mask: np.ndarray, bg: int) -> Obj:
    """The Obj whose cells are ``mask`` (bbox-shaped, tight) placed with its top-left at (top, left)."""
    bottom, right = top + mask.shape[0] - 1, left + mask.shape[1] - 1
    window = img[top : bottom + 1, left : right + 1]
    sprite = np.where(mask, window, bg).astype(np.int8)
    values, counts = _value_counts(window[mask])
    order = sorted(range(len(values)), key=lambda i: (-counts[i], values[i]))
    colors_ = tuple(int(values[i]) for i in order)
    rows, cols = np.nonzero(mask)
    mask = mask.copy()
    mask.setflags(write=False)
    sprite.setflags(write=False)
    return Obj(
        color=colors_[0],
        colors=colors_,
        size=int(len(rows)),
        cells=tuple((int(r) + top, int(c) + left) for r, c in zip(rows, cols, strict=True)),
        top=top,
        left=left,
        bottom=bottom,
        right=right,
        bg=bg,
        _sprite=sprite,
        _mask=mask,
    )


def find_objects(img, diagonal=False, multicolor=False, bg=None) -> list:
    """The connected objects of non-``bg`` cells (None: the background), as ``Obj`` records.

    Cells connect through their 4 neighbours (8 with ``diagonal``); an object is one colour unless
    ``multicolor``, which groups touching cells of any non-bg colour. Sorted by (top, left) of the bbox.
    """
    img = _as_grid(img)
    bg = _bg(img, bg)
    structure = _structure(diagonal)
    layers = [img != bg] if _flag(multicolor, "multicolor") else [img == c for c in _value_counts(img)[0] if c != bg]
    objs = []
    for layer in layers:
        labels, _ = ndimage.label(layer, structure=structure)
        for i, box in enumerate(ndimage.find_objects(labels), start=1):
            objs.append(_make_obj(img, box[0].start, box[1].start, labels[box] == i, bg))
    objs.sort(key=lambda o: (o.top, o.left, o.cells[0]))
    return objs


def _region(shape, region) -> np.ndarray:
    """A bool mask of ``shape`` from an Obj, a list of points or a bool mask."""
    if isinstance(region, Obj):
        points = region.cells
    elif isinstance(region, np.ndarray) and region.ndim == 2:
        if region.shape != tuple(shape):
            raise ValueError(f"region mask has shape {region.shape}, grid has {tuple(shape)}")
        return region.astype(bool)
    elif isinstance(region, (list, tuple, set, frozenset)):
        points = region
    else:
        raise TypeError(f"region must be an Obj, a list of (row, col) or a bool mask, got {type(region).__name__}")
    mask = np.zeros(shape, bool)
    for point in points:
        r, c = _point(point)
        if 0 <= r < shape[0] and 0 <= c < shape[1]:
            mask[r, c] = True
    return mask


def touches_border(img, obj) -> bool:
    """Whether ``obj`` (an Obj or region) has a cell on the outer edge of ``img`` (args in either order)."""
    if isinstance(img, Obj) and not isinstance(obj, Obj):
        img, obj = obj, img
    img = _as_grid(img)
    mask = _region(img.shape, obj)
    return bool(mask[0].any() or mask[-1].any() or mask[:, 0].any() or mask[:, -1].any())


def paint_object(img, obj, color=None, offset=(0, 0)) -> np.ndarray:
    """A new grid with ``obj``'s cells painted in their own colours (or all in ``color``).

    The cells are shifted by ``offset`` (drow, dcol); cells landing outside the grid are dropped.
    """
    img = _as_grid(img)
    if not isinstance(obj, Obj):
        raise TypeError(f"obj must be an Obj from find_objects, got {type(obj).__name__}")
    dr, dc = _point(offset, "offset")
    color = None if color is None else _color(color)
    out = _new(img)
    sprite, mask = obj._sprite, obj._mask
    for r, c in zip(*np.nonzero(mask), strict=True):
        rr, cc = obj.top + int(r) + dr, obj.left + int(c) + dc
        if _in(out, rr, cc):
            out[rr, cc] = sprite[r, c] if color is None else color
    return out


def paint_cells(img, region, color) -> np.ndarray:
    """A new grid with every cell of ``region`` (Obj, list of points or bool mask) set to ``color``."""
    img = _as_grid(img)
    color = _color(color)
    out = _new(img)
    out[_region(img.shape, region)] = color
    return out


def slide(img, obj, direction, bg=None) -> np.ndarray:
    """A new grid with ``obj`` moved step by step in ``direction`` (dr, dc) until it touches something.

    It stops when the next step would put a cell on a non-``bg`` cell (None: the background) that is not
    its own, or outside the grid; its old cells become ``bg``.
    """
    img = _as_grid(img)
    if not isinstance(obj, Obj):
        raise TypeError(f"obj must be an Obj from find_objects, got {type(obj).__name__}")
    dr, dc = _direction(direction)
    bg = _bg(img, bg)
    own = _region(img.shape, obj)
    blocked = (img != bg) & ~own
    cells = np.array(obj.cells)
    steps = 0
    while True:
        nxt = cells + (steps + 1) * np.array([dr, dc])
        r, c = nxt[:, 0], nxt[:, 1]
        if (r < 0).any() or (c < 0).any() or (r >= img.shape[0]).any() or (c >= img.shape[1]).any():
            break
        if blocked[r, c].any():
            break
        steps += 1
    out = _new(img)
    out[own] = bg
    return paint_object(out, obj, offset=(steps * dr, steps * dc))


def _grow(mask: np.ndarray, diagonal) -> np.ndarray:
    return ndimage.binary_dilation(mask, structure=_structure(diagonal))


def dilate(img, region, diagonal=False) -> np.ndarray:
    """A bool mask of ``img``'s shape: ``region`` plus its 4-neighbours (8 with ``diagonal``)."""
    img = _as_grid(img)
    return _grow(_region(img.shape, region), diagonal)


def halo(img, region, diagonal=False) -> np.ndarray:
    """A bool mask of the cells just outside ``region``: 4-neighbours (8 with ``diagonal``) not in it."""
    img = _as_grid(img)
    mask = _region(img.shape, region)
    return _grow(mask, diagonal) & ~mask


def outline(img, region, diagonal=False) -> np.ndarray:
    """A bool mask of ``region``'s own edge: its cells with a 4-neighbour (8 with ``diagonal``) outside it.

    The grid's edge counts as outside, so a full-grid region's outline is its frame.
    """
    img = _as_grid(img)
    mask = _region(img.shape, region)
    inner = ndimage.binary_erosion(mask, structure=_structure(diagonal), border_value=0)
    return mask & ~inner
