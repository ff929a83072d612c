"""Dihedral views of a task: the same drawing turned or mirrored, and programs mapped back to the original frame.

A painter that misreads a task tends to misread it the same way every time it is asked, but not the same
way when it is shown the task transposed or mirrored: spreading a task's samples over several views
decorrelates its mistakes (painter v0.8, ``her-arc evaluate``'s 100 held-out tasks: pass@8 0.79 from one view,
0.83 / 0.87 / 0.84 with the 8 samples spread over 2 / 4 / 8 views). A program written for a view is mapped back
by rewriting its coordinates (:func:`map_program`), so everything downstream sees programs of the task as given.

A view is applied as: flip the rows (``flip_rows``), flip the columns (``flip_cols``), then transpose.
Rewriting needs a straight-line program (the painter's kind): ``draw_*`` calls with literal arguments, then
``return img``. Other programs cannot be mapped and are reported as such.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass

import numpy as np

from her_arc.programs.edit import NotADrawCall, draw_arguments, draw_call

__all__ = ["VIEWS", "UnmappableProgram", "View", "completion_program", "map_program", "views"]


UnmappableProgram = NotADrawCall
"""Raised for a program that is not straight-line ``draw_*`` calls with literal arguments: it cannot be rewritten."""


@dataclass(frozen=True)
class View:
    """One of the eight symmetries of a rectangle, as its name and the three steps that make it."""

    name: str
    flip_rows: bool = False
    flip_cols: bool = False
    transpose: bool = False

    @property
    def needs_shape(self) -> bool:
        """Whether mapping a point back depends on the grid's shape (any flip does; the transpose does not)."""
        return self.flip_rows or self.flip_cols

    def apply(self, grid: np.ndarray) -> np.ndarray:
        """The grid as this view shows it."""
        grid = np.asarray(grid)
        grid = grid[::-1] if self.flip_rows else grid
        grid = grid[:, ::-1] if self.flip_cols else grid
        return np.ascontiguousarray(grid.T if self.transpose else grid)

    def apply_pairs(self, pairs) -> list[tuple[np.ndarray, np.ndarray]]:
        """(input, output) pairs as this view shows them: what a prompt for this view is built from."""
        return [(self.apply(a), self.apply(b)) for a, b in pairs]

    def invert(self, grid: np.ndarray) -> np.ndarray:
        """The grid in the original frame, given as this view shows it (``invert(apply(g)) == g``)."""
        grid = np.asarray(grid)
        grid = grid.T if self.transpose else grid
        grid = grid[:, ::-1] if self.flip_cols else grid
        return np.ascontiguousarray(grid[::-1] if self.flip_rows else grid)

    def point(self, row: int, col: int, shape: tuple[int, int]) -> tuple[int, int]:
        """The original-frame cell shown at ``(row, col)`` of this view of a grid of ``shape`` (the original's)."""
        if self.transpose:
            row, col = col, row
        return (shape[0] - 1 - row if self.flip_rows else row), (shape[1] - 1 - col if self.flip_cols else col)


VIEWS: tuple[View, ...] = (
    View("identity"),
    View("transpose", transpose=True),
    View("rot90", flip_cols=True, transpose=True),
    View("rot270", flip_rows=True, transpose=True),
    View("rot180", flip_rows=True, flip_cols=True),
    View("flip_rows", flip_rows=True),
    View("flip_cols", flip_cols=True),
    View("antitranspose", flip_rows=True, flip_cols=True, transpose=True),
)
"""All eight, most useful first: the first ``n`` are what ``views(n)`` spreads samples over (the identity, then
the transpose, which changes the prompt's text the most)."""


def views(n: int, shapes=()) -> tuple[View, ...]:
    """The first ``n`` (1-8) of :data:`VIEWS`; ``shapes``: the task's grid shapes, which must be one shape for
    views with flips (a program's coordinates can be mapped back for one shape only)."""
    if isinstance(n, bool) or not isinstance(n, int) or not 1 <= n <= len(VIEWS):
        raise ValueError(f"views must be an integer 1-{len(VIEWS)} (1: the task as given), got {n!r}")
    distinct = sorted({tuple(s) for s in shapes})
    if len(distinct) > 1 and any(v.needs_shape for v in VIEWS[:n]):
        raise ValueError(f"views {n} turn or mirror the grids, which needs them all of one shape; this task has "
                         f"{' and '.join('x'.join(map(str, s)) for s in distinct)}: use views 1 or 2")
    return VIEWS[:n]


def _mapped_draw(name: str, args: list, view: View, shape: tuple[int, int]) -> str:
    point = view.point
    if name == "draw_pixel":
        return f"draw_pixel(img, {point(*args[0], shape)}, {args[1]})"
    if name in ("draw_rectangle", "draw_line"):
        a, b = point(*args[0], shape), point(*args[1], shape)
        if name == "draw_rectangle":
            a, b = (min(a[0], b[0]), min(a[1], b[1])), (max(a[0], b[0]), max(a[1], b[1]))
        else:
            a, b = sorted([a, b])
        return f"{name}(img, {a}, {b}, {args[2]})"
    # A whole row of the view is a whole row of the original, or a whole column if the view transposes.
    horizontal = name == "draw_horizontal_line"
    cell = point(args[0], 0, shape) if horizontal else point(0, args[0], shape)
    if horizontal != view.transpose:
        return f"draw_horizontal_line(img, {cell[0]}, {args[1]})"
    return f"draw_vertical_line(img, {cell[1]}, {args[1]})"


def map_program(program: str, view: View, shape: tuple[int, int]) -> str:
    """``program``, written for ``view`` of grids of ``shape`` (the original's), rewritten for the original frame.

    Rectangles come out with their top-left corner first and lines with their ends sorted, as the sampler
    writes them; a program without its final ``return img`` (cut off by the token limit) stays without.
    Raises :class:`UnmappableProgram` for a program that is not straight-line draws.
    """
    if view == VIEWS[0]:
        return program
    try:
        tree = ast.parse(program)
    except SyntaxError as e:
        raise UnmappableProgram(f"program does not parse: {e}") from None
    func = tree.body[0] if len(tree.body) == 1 else None
    if not isinstance(func, ast.FunctionDef) or func.name != "task" or [a.arg for a in func.args.args] != ["img"]:
        raise UnmappableProgram("expected one function 'def task(img):'")
    body = func.body
    returns = isinstance(body[-1], ast.Return) and body[-1].value is not None and ast.unparse(body[-1].value) == "img"
    if returns:
        body = body[:-1]
    lines = ["def task(img):"]
    for stmt in body:
        call = draw_call(stmt)
        if call is None:
            raise UnmappableProgram(f"not a draw call on img: {ast.unparse(stmt)!r}")
        lines.append("    " + _mapped_draw(call.func.id, draw_arguments(call), view, shape))
    if returns:  # a program cut off by the token limit has none: mapped, it fails as it would have
        lines.append("    return img")
    return "\n".join(lines)


def completion_program(text: str, view: View, shape: tuple[int, int]) -> tuple[str | None, str]:
    """The program in a completion written for ``view`` (after a ``def task(img):`` prompt), in the original frame,
    or ``None`` and why not: ``unparsable`` (no program in the text) or ``unmappable``."""
    from her_arc.programs import program_from_completion

    program = program_from_completion(text)
    if program is None:
        return None, "unparsable"
    try:
        return map_program(program, view, shape), ""
    except UnmappableProgram:
        return None, "unmappable"
