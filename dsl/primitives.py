"""The drawing DSL's public primitives: the only functions a program may call besides a few builtins.

A grid is a 2-D numpy integer array with values 0-9 and sides 1-30; points are ``(row, col)``.
Every ``draw_*`` primitive mutates ``img`` in place and returns it. Anything that falls outside the
grid is clipped (never wrapped around, never an error); a colour outside 0-9 is an error.

The grid-reading primitives live in :mod:`dsl.grids`, :mod:`dsl.objects` and :mod:`dsl.fills` and are
registered here too. Those are pure: they never modify their arguments and return new int8 grids.
The one rule to remember: ``draw_*`` paints in place, everything else returns a new value.

``PRIMITIVES`` maps each public name to its function; the sandbox builds a program's namespace from
it and the prompt builder documents the DSL from it, so adding a primitive here is all it takes.
"""

from __future__ import annotations

import numpy as np

from dsl._core import GRID_DTYPE, MAX_SIDE, N_COLORS, _color, _coord, _grid, _point  # noqa: F401 (re-exported)
from dsl.fills import fill_enclosed, flood_fill, gravity, ray
from dsl.grids import (
    background,
    bbox,
    blit,
    cells_of_color,
    colors,
    copy,
    count_color,
    crop,
    crop_to_content,
    downscale,
    flip_lr,
    flip_ud,
    hconcat,
    is_symmetric,
    neighbors,
    recolor,
    replace,
    rotate,
    separators,
    split_grid,
    symmetrize,
    tile,
    transpose,
    upscale,
    vconcat,
)
from dsl.objects import (
    dilate,
    find_objects,
    halo,
    outline,
    paint_cells,
    paint_object,
    slide,
    touches_border,
)


def create_img(shape, color=0) -> np.ndarray:
    """A new grid of ``shape`` (rows, cols) filled with ``color``."""
    rows, cols = _point(shape, "shape")
    if not (1 <= rows <= MAX_SIDE and 1 <= cols <= MAX_SIDE):
        raise ValueError(f"grid sides must be 1-{MAX_SIDE}, got {rows}x{cols}")
    return np.full((rows, cols), _color(color), dtype=GRID_DTYPE)


def draw_pixel(img, point, color) -> np.ndarray:
    """Set the cell at ``point``; a point outside the grid draws nothing."""
    img, color = _grid(img), _color(color)
    row, col = _point(point)
    if 0 <= row < img.shape[0] and 0 <= col < img.shape[1]:
        img[row, col] = color
    return img


def draw_line(img, point1, point2, color) -> np.ndarray:
    """A straight line of any slope from ``point1`` to ``point2``, both ends included (Bresenham)."""
    img, color = _grid(img), _color(color)
    (r0, c0), (r1, c1) = _point(point1, "point1"), _point(point2, "point2")
    dr, dc = r1 - r0, c1 - c0
    n = max(abs(dr), abs(dc))
    if n == 0:
        return draw_pixel(img, (r0, c0), color)
    # Step along the major axis; only the steps whose major coordinate lies inside the grid can draw.
    major0, dmajor, size = (r0, dr, img.shape[0]) if abs(dr) >= abs(dc) else (c0, dc, img.shape[1])
    step = 1 if dmajor > 0 else -1
    lo, hi = sorted(((0 - major0) * step, (size - 1 - major0) * step))
    # At most `size` steps, computed with Python ints: huge coordinates can neither overflow nor be slow.
    cells = [
        (r0 + (2 * s * dr + n) // (2 * n), c0 + (2 * s * dc + n) // (2 * n))
        for s in range(max(lo, 0), min(hi, n) + 1)
    ]
    cells = [(r, c) for r, c in cells if 0 <= r < img.shape[0] and 0 <= c < img.shape[1]]
    if cells:
        rows, cols = zip(*cells, strict=True)
        img[list(rows), list(cols)] = color
    return img


def draw_rectangle(img, point1, point2, color) -> np.ndarray:
    """A filled rectangle with corners ``point1`` and ``point2`` (inclusive, in either order)."""
    img, color = _grid(img), _color(color)
    (r0, c0), (r1, c1) = _point(point1, "point1"), _point(point2, "point2")
    top, bottom = max(min(r0, r1), 0), min(max(r0, r1), img.shape[0] - 1)
    left, right = max(min(c0, c1), 0), min(max(c0, c1), img.shape[1] - 1)
    if top <= bottom and left <= right:
        img[top : bottom + 1, left : right + 1] = color
    return img


def draw_horizontal_line(img, y, color) -> np.ndarray:
    """Paint the whole row ``y``; a row outside the grid draws nothing."""
    img, color = _grid(img), _color(color)
    y = _coord(y, "y")
    if 0 <= y < img.shape[0]:
        img[y, :] = color
    return img


def draw_vertical_line(img, x, color) -> np.ndarray:
    """Paint the whole column ``x``; a column outside the grid draws nothing."""
    img, color = _grid(img), _color(color)
    x = _coord(x, "x")
    if 0 <= x < img.shape[1]:
        img[:, x] = color
    return img


DRAW_PRIMITIVES = ("draw_pixel", "draw_line", "draw_rectangle", "draw_horizontal_line", "draw_vertical_line")
"""The primitives that paint on an existing grid in place (the random program sampler draws from these)."""

PRIMITIVES = {
    fn.__name__: fn
    for fn in (
        # drawing (the only primitives that modify their argument: they paint ``img`` in place)
        create_img, draw_pixel, draw_line, draw_rectangle, draw_horizontal_line, draw_vertical_line,
        # reading
        copy, background, colors, count_color, cells_of_color, neighbors, bbox,
        # colours
        recolor, replace,
        # transforms
        crop, crop_to_content, flip_lr, flip_ud, rotate, transpose, tile, upscale, downscale,
        # composition
        hconcat, vconcat, separators, split_grid, blit,
        # symmetry
        is_symmetric, symmetrize,
        # objects and regions
        find_objects, touches_border, paint_object, paint_cells, slide, dilate, halo, outline,
        # fills and rays
        flood_fill, fill_enclosed, ray, gravity,
    )
}  # fmt: skip
"""Every public primitive by name: the namespace programs run in, and what prompts may document."""
