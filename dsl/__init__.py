"""A small numpy DSL for ARC grids (knows nothing about models).

A grid is a 2-D numpy int array (int8), values 0-9, sides 1-30; points are ``(row, col)``; colours are
ints 0-9; ``bg=None`` always means "the background": the most common colour (ties: lowest). The
``draw_*`` primitives paint in place and return ``img``; every other primitive is pure and returns a new
value (grids as new int8 arrays). Out-of-grid points are clipped; wrong types raise TypeError, bad values
ValueError. A *region* is an ``Obj``, a list of ``(row, col)`` points, or a bool mask of the grid's shape.
``Obj`` (from ``find_objects``) is an immutable record: ``color, colors, size, cells, top, left, bottom,
right, height, width, sprite, mask, bg`` (``sprite``/``mask``: bbox-shaped arrays, fresh copies).

Drawing (the only primitives that modify img: they paint in place and return it):
* ``create_img(shape, color=0)``: A new grid of ``shape`` (rows, cols) filled with ``color``.
* ``draw_pixel(img, point, color)``: Set the cell at ``point``; a point outside the grid draws nothing.
* ``draw_line(img, point1, point2, color)``: A straight line of any slope from ``point1`` to ``point2``, both ends
  included (Bresenham).
* ``draw_rectangle(img, point1, point2, color)``: A filled rectangle with corners ``point1`` and ``point2``
  (inclusive, in either order).
* ``draw_horizontal_line(img, y, color)``: Paint the whole row ``y``; a row outside the grid draws nothing.
* ``draw_vertical_line(img, x, color)``: Paint the whole column ``x``; a column outside the grid draws nothing.

Reading:
* ``copy(img)``: A new int8 copy of ``img`` (start here before painting with the in-place ``draw_*``).
* ``background(img)``: The most common colour of ``img`` (ties: the lowest colour).
* ``colors(img)``: The colours present in ``img``, most frequent first (ties: lower colour first).
* ``count_color(img, color)``: How many cells of ``img`` have ``color``.
* ``cells_of_color(img, color)``: The ``(row, col)`` of every cell of ``color``, in reading order (row by row, left
  to right).
* ``neighbors(img, point, diagonal=False)``: The in-grid 4-neighbours of ``point`` (8 with ``diagonal``), in
  reading order; never ``point`` itself.
* ``bbox(img, bg=None)``: ``(top, left, bottom, right)`` (inclusive) of the cells not of colour ``bg`` (None: the
  background). Returns None when every cell is ``bg``.

Colours:
* ``recolor(img, mapping)``: A new grid with every colour ``old`` in ``mapping`` (dict old -> new) replaced at
  once; others kept.
* ``replace(img, old, new)``: A new grid with every cell of colour ``old`` set to ``new``.

Transforms:
* ``crop(img, point1, point2)``: The sub-grid with corners ``point1``, ``point2`` (inclusive, either order),
  clipped to the grid. Raises ValueError when the rectangle lies wholly outside the grid.
* ``crop_to_content(img, bg=None)``: ``img`` cropped to the bbox of its non-``bg`` cells (None: the background); a
  copy if there are none.
* ``flip_lr(img)``: ``img`` mirrored left-right (columns reversed).
* ``flip_ud(img)``: ``img`` mirrored upside-down (rows reversed).
* ``rotate(img, k=1)``: ``img`` turned ``k`` quarter turns COUNTER-clockwise (as ``np.rot90``); ``k=-1`` turns
  clockwise.
* ``transpose(img)``: ``img`` mirrored about its main diagonal: cell (r, c) goes to (c, r).
* ``tile(img, rows, cols)``: ``img`` repeated ``rows`` times downwards and ``cols`` times across; result sides must
  be <= 30.
* ``upscale(img, factor)``: Every cell becomes a ``factor`` x ``factor`` block (``factor`` an int or ``(fr, fc)``);
  sides <= 30.
* ``downscale(img, factor)``: Every ``factor`` x ``factor`` block becomes one cell of its most common colour (ties:
  lowest). ``factor`` is an int or ``(fr, fc)``; the sides must be divisible by it (else ValueError).

Composition:
* ``hconcat(a, b)``: ``a`` and ``b`` side by side (``a`` left); heights must match, result width <= 30.
* ``vconcat(a, b)``: ``a`` above ``b``; widths must match, result height <= 30.
* ``separators(img, color=None)``: ``(rows, cols)``: indices of the full rows and full columns of one separator
  colour. ``color`` None picks the non-background colour with the most full lines (ties: lowest), else the
  background's full lines; ``([], [])`` when there are none or the grid is one colour.
* ``split_grid(img, color=None)``: The sub-grids between the separator lines of ``separators(img, color)``, in
  reading order. Empty pieces (adjacent separators, separators on the border) are skipped; no separators:
  ``[copy]``.
* ``blit(img, sprite, point, transparent=None)``: A new grid: ``sprite`` pasted with its top-left cell at
  ``point``, clipped to ``img``. Sprite cells equal to ``transparent`` (a colour, or None: paste every cell) leave
  ``img`` as it is.

Symmetry:
* ``is_symmetric(img, axis='lr')``: Whether ``img`` equals its mirror image under ``axis``. ``axis``: "lr", "ud",
  "rot180", or (square grids only, else False) "diag", "anti", "rot90"; or a list (all must hold).
* ``symmetrize(img, axis='lr', hole=None)``: A new grid where each cell of colour ``hole`` (None: the background)
  takes its mirror cell's colour. ``axis`` as in ``is_symmetric`` (a list applies all, repeatedly, until stable);
  mirrors are about the grid centre; "diag", "anti", "rot90" need a square grid (else ValueError).

Objects and regions:
* ``find_objects(img, diagonal=False, multicolor=False, bg=None)``: The connected objects of non-``bg`` cells
  (None: the background), as ``Obj`` records. Cells connect through their 4 neighbours (8 with ``diagonal``); an
  object is one colour unless ``multicolor``, which groups touching cells of any non-bg colour. Sorted by (top,
  left) of the bbox.
* ``touches_border(img, obj)``: Whether ``obj`` (an Obj or region) has a cell on the outer edge of ``img`` (args in
  either order).
* ``paint_object(img, obj, color=None, offset=(0, 0))``: A new grid with ``obj``'s cells painted in their own
  colours (or all in ``color``). The cells are shifted by ``offset`` (drow, dcol); cells landing outside the grid
  are dropped.
* ``paint_cells(img, region, color)``: A new grid with every cell of ``region`` (Obj, list of points or bool mask)
  set to ``color``.
* ``slide(img, obj, direction, bg=None)``: A new grid with ``obj`` moved step by step in ``direction`` (dr, dc)
  until it touches something. It stops when the next step would put a cell on a non-``bg`` cell (None: the
  background) that is not its own, or outside the grid; its old cells become ``bg``.
* ``dilate(img, region, diagonal=False)``: A bool mask of ``img``'s shape: ``region`` plus its 4-neighbours (8 with
  ``diagonal``).
* ``halo(img, region, diagonal=False)``: A bool mask of the cells just outside ``region``: 4-neighbours (8 with
  ``diagonal``) not in it.
* ``outline(img, region, diagonal=False)``: A bool mask of ``region``'s own edge: its cells with a 4-neighbour (8
  with ``diagonal``) outside it. The grid's edge counts as outside, so a full-grid region's outline is its frame.

Fills and rays:
* ``flood_fill(img, point, color, diagonal=False)``: A new grid with the connected same-colour region containing
  ``point`` set to ``color``. Cells connect through 4 neighbours (8 with ``diagonal``); a point outside the grid
  changes nothing.
* ``fill_enclosed(img, color, bg=None, diagonal=False)``: A new grid where ``bg`` cells (None: the background) that
  cannot reach the grid's edge become ``color``. ``bg`` cells reach each other through 4 neighbours (8 with
  ``diagonal``: then a diagonal gap leaks).
* ``ray(img, start, direction, color, stop_at_nonbg=False, bg=None)``: A new grid with a ray of ``color`` from the
  cell after ``start`` in ``direction`` (dr, dc; 8 directions). It runs to the grid's edge, or with
  ``stop_at_nonbg`` stops before the first cell not of colour ``bg`` (None: the background). ``start`` itself is
  never painted and may lie outside the grid.
* ``gravity(img, direction=(1, 0), bg=None)``: A new grid where every non-``bg`` cell (None: the background) falls
  in ``direction`` as far as it can. ``direction`` is (1, 0) down, (-1, 0) up, (0, 1) right or (0, -1) left; cells
  fall one by one (not as rigid objects) and keep their order along each column or row.

Modules: :mod:`dsl.primitives` (``PRIMITIVES``, the drawing primitives), :mod:`dsl.grids`,
:mod:`dsl.objects`, :mod:`dsl.fills`, and :mod:`dsl.sampler` (the random program sampler for pretraining).
"""

from dsl.objects import Obj
from dsl.primitives import (
    DRAW_PRIMITIVES,
    MAX_SIDE,
    PRIMITIVES,
    background,
    bbox,
    blit,
    cells_of_color,
    colors,
    copy,
    count_color,
    create_img,
    crop,
    crop_to_content,
    dilate,
    downscale,
    draw_horizontal_line,
    draw_line,
    draw_pixel,
    draw_rectangle,
    draw_vertical_line,
    fill_enclosed,
    find_objects,
    flip_lr,
    flip_ud,
    flood_fill,
    gravity,
    halo,
    hconcat,
    is_symmetric,
    neighbors,
    outline,
    paint_cells,
    paint_object,
    ray,
    recolor,
    replace,
    rotate,
    separators,
    slide,
    split_grid,
    symmetrize,
    tile,
    touches_border,
    transpose,
    upscale,
    vconcat,
)
from dsl.sampler import SampledTask, SamplerConfig, sample_task

__all__ = [
    "DRAW_PRIMITIVES",
    "MAX_SIDE",
    "Obj",
    "PRIMITIVES",
    "SampledTask",
    "SamplerConfig",
    "background",
    "bbox",
    "blit",
    "cells_of_color",
    "colors",
    "copy",
    "count_color",
    "create_img",
    "crop",
    "crop_to_content",
    "dilate",
    "downscale",
    "draw_horizontal_line",
    "draw_line",
    "draw_pixel",
    "draw_rectangle",
    "draw_vertical_line",
    "fill_enclosed",
    "find_objects",
    "flip_lr",
    "flip_ud",
    "flood_fill",
    "gravity",
    "halo",
    "hconcat",
    "is_symmetric",
    "neighbors",
    "outline",
    "paint_cells",
    "paint_object",
    "ray",
    "recolor",
    "replace",
    "rotate",
    "sample_task",
    "separators",
    "slide",
    "split_grid",
    "symmetrize",
    "tile",
    "touches_border",
    "transpose",
    "upscale",
    "vconcat",
]
