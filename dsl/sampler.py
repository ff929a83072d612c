"""Random drawing programs: the pretraining data source.

``sample_task(rng, config)`` returns a program, its input grids and the outputs it draws on them.
Every line of a sampled program has an effect (removing any one changes some output), multi-input
tasks really have several inputs, and lines of all four orientations occur (including "/" diagonals).
Draws that do not interact are put in a canonical order (top-left first) so that a model is not
trained towards an arbitrary order among equivalent programs: ``order="topological"`` gives the same
program for every order the same draws could have been sampled in; ``"insertion"`` (the default, which
the shipped painter was trained on) only sorts neighbours and leaves about a quarter of 4-5-draw tasks
with a program that depends on the sampled order.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from dsl.primitives import DRAW_PRIMITIVES, MAX_SIDE, PRIMITIVES, create_img


@dataclass(frozen=True)
class SamplerConfig:
    """The distribution of random drawing tasks."""

    min_draws: int = 1
    """fewest effective draw calls per program"""
    max_draws: int = 5
    """most effective draw calls per program"""
    min_side: int = 3
    """smallest grid side (rows and columns are drawn independently)"""
    max_side: int = 10
    """largest grid side (at most 30)"""
    min_inputs: int = 1
    """fewest input grids per task (all share one shape)"""
    max_inputs: int = 1
    """most input grids per task"""
    noise_probability: float = 0.0
    """chance that a task's inputs are uniform random noise instead of blank single-colour grids"""
    primitives: tuple[str, ...] = DRAW_PRIMITIVES
    """the draw primitives to sample from, uniformly"""
    disjoint_probability: float = 0.0
    """chance that a task's draws may not paint any cell an earlier draw painted (shapes side by side, as in
    a tiling) instead of overlapping freely"""
    aligned_probability: float = 0.0
    """in a disjoint task, chance that a rectangle takes the rows or the columns of the task's previous rectangle
    (shapes in a row or a column, side by side)"""
    drawn_input_probability: float = 0.0
    """chance that a task's inputs already hold the first draws of a longer drawing (a canvas an earlier program
    drew, as the search's refinement prompts show), so that the program draws only the rest"""
    max_input_draws: int = 8
    """most draws already on such a drawn input"""
    order: str = "insertion"
    """how draws that commute are ordered, top-left first: ``"topological"`` (the least such order the
    draws' overlaps allow: one program per drawing) or ``"insertion"`` (swap neighbours while they commute:
    the order the shipped painter was trained on, so seeded streams stay what they were)"""
    extents: str = "sampled"
    """how far each draw reaches: ``"sampled"`` (as drawn, reaching under later shapes by any amount the
    image cannot show) or ``"visible"`` (shrunk to the bounding box of the cells it shows, a rectangle or
    line of one row becoming a line or pixel: every coordinate can be read off the image)"""

    def __post_init__(self):
        if not 1 <= self.min_draws <= self.max_draws:
            raise ValueError(f"need 1 <= min_draws <= max_draws, got {self.min_draws}..{self.max_draws}")
        if not 1 <= self.min_side <= self.max_side <= MAX_SIDE:
            raise ValueError(f"need 1 <= min_side <= max_side <= {MAX_SIDE}, got {self.min_side}..{self.max_side}")
        if not 1 <= self.min_inputs <= self.max_inputs <= 10:
            raise ValueError(f"need 1 <= min_inputs <= max_inputs <= 10, got {self.min_inputs}..{self.max_inputs}")
        if self.max_input_draws < 1:
            raise ValueError(f"max_input_draws must be at least 1, got {self.max_input_draws}")
        for name in ("noise_probability", "disjoint_probability", "aligned_probability", "drawn_input_probability"):
            if not 0.0 <= getattr(self, name) <= 1.0:
                raise ValueError(f"{name} must be in [0, 1], got {getattr(self, name)}")
        if self.extents not in EXTENTS:
            raise ValueError(f"extents must be one of {EXTENTS}, got {self.extents!r}")
        if self.order not in ORDERINGS:
            raise ValueError(f"order must be one of {tuple(ORDERINGS)}, got {self.order!r}")
        unknown = set(self.primitives) - set(DRAW_PRIMITIVES)
        if unknown or not self.primitives:
            raise ValueError(f"primitives must be a non-empty subset of {DRAW_PRIMITIVES}, got {self.primitives}")


@dataclass
class SampledTask:
    """A random program with the grids it was run on and the grids it drew."""

    program: str
    inputs: list[np.ndarray]
    outputs: list[np.ndarray]

    @property
    def n_draws(self) -> int:
        return self.program.count("draw_")


Draw = tuple[str, tuple]


def _random_draw(rng: np.random.Generator, name: str, rows: int, cols: int) -> Draw:
    color = int(rng.integers(10))
    if name == "draw_pixel":
        return name, ((int(rng.integers(rows)), int(rng.integers(cols))), color)
    if name == "draw_horizontal_line":
        return name, (int(rng.integers(rows)), color)
    if name == "draw_vertical_line":
        return name, (int(rng.integers(cols)), color)
    if name == "draw_rectangle":
        if rows < 2 or cols < 2:
            return "draw_pixel", ((int(rng.integers(rows)), int(rng.integers(cols))), color)
        r0, c0 = int(rng.integers(rows - 1)), int(rng.integers(cols - 1))
        r1, c1 = int(rng.integers(r0 + 1, rows)), int(rng.integers(c0 + 1, cols))
        return name, ((r0, c0), (r1, c1), color)
    if name == "draw_line":
        return name, (*_random_segment(rng, rows, cols), color)
    raise ValueError(f"unknown draw primitive {name!r}")


def _aligned(draw: Draw, previous: Draw, rng: np.random.Generator) -> Draw:
    """``draw`` (a rectangle) moved onto the rows or the columns of the rectangle ``previous``."""
    (r0, c0), (r1, c1), color = draw[1]
    (p0, q0), (p1, q1), _ = previous[1]
    if rng.random() < 0.5:
        return draw[0], ((p0, c0), (p1, c1), color)
    return draw[0], ((r0, q0), (r1, q1), color)


def _random_segment(rng: np.random.Generator, rows: int, cols: int) -> tuple[tuple, tuple]:
    """A segment of length >= 2: horizontal, vertical, "\\" or "/" diagonal, chosen uniformly."""
    for _ in range(100):
        r0, c0 = int(rng.integers(rows)), int(rng.integers(cols))
        kind = int(rng.integers(4))
        if kind == 0:
            r1, c1 = r0, int(rng.integers(cols))
        elif kind == 1:
            r1, c1 = int(rng.integers(rows)), c0
        else:
            sign = 1 if kind == 2 else -1
            length = int(rng.integers(-max(rows, cols), max(rows, cols) + 1))
            r1, c1 = r0 + length, c0 + sign * length
            if not (0 <= r1 < rows and 0 <= c1 < cols):
                continue
        if (r1, c1) != (r0, c0):
            return tuple(sorted([(r0, c0), (r1, c1)]))
    return (0, 0), (rows - 1, 0) if rows > 1 else (0, cols - 1)


def _format_args(args: tuple) -> str:
    return ", ".join(f"({a[0]}, {a[1]})" if isinstance(a, tuple) else str(a) for a in args)


def format_program(draws: list[Draw]) -> str:
    """The program text for a list of draws, formatted as ``ast.unparse`` would format it."""
    lines = ["def task(img):"]
    lines += [f"    {name}(img, {_format_args(args)})" for name, args in draws]
    lines.append("    return img")
    return "\n".join(lines)


def run_draws(draws: list[Draw], grid: np.ndarray) -> np.ndarray:
    img = grid.copy()
    for name, args in draws:
        PRIMITIVES[name](img, *args)
    return img


def _painted(draw: Draw, shape: tuple[int, int]) -> np.ndarray:
    """The cells ``draw`` paints on a grid of ``shape``, whatever their colour was."""
    return run_draws([draw], np.full(shape, -1, dtype=np.int8)) != -1


def _outputs(draws: list[Draw], inputs: list[np.ndarray]) -> list[np.ndarray]:
    return [run_draws(draws, grid) for grid in inputs]


def _same(a: list[np.ndarray], b: list[np.ndarray]) -> bool:
    return all(np.array_equal(x, y) for x, y in zip(a, b, strict=True))


def _prune(draws: list[Draw], inputs: list[np.ndarray]) -> list[Draw]:
    """Drop draws without effect, one at a time, each removal checked against the current program."""
    target = _outputs(draws, inputs)
    i = 0
    while i < len(draws):
        candidate = draws[:i] + draws[i + 1 :]
        if _same(_outputs(candidate, inputs), target):
            draws = candidate
        else:
            i += 1
    return draws


def _sort_key(draw: Draw) -> tuple:
    name, args = draw
    if name == "draw_horizontal_line":
        return (args[0], 0)
    if name == "draw_vertical_line":
        return (0, args[0])
    return tuple(args[0])


def _commute(a: Draw, b: Draw, inputs: list[np.ndarray]) -> bool:
    """True when ``a`` then ``b`` paints the same as ``b`` then ``a``.

    Checked on the pair alone, not on the whole program's output: a later draw can hide a swap that
    changes the pair's result, and the swap would then leave that later draw without effect.
    """
    return _same(_outputs([a, b], inputs), _outputs([b, a], inputs))


def _canonical_order(draws: list[Draw], inputs: list[np.ndarray]) -> list[Draw]:
    """Insertion-sort draws by their top-left point, swapping neighbours only when the two commute."""
    draws = list(draws)
    for i in range(1, len(draws)):
        j = i
        while j > 0 and _sort_key(draws[j]) < _sort_key(draws[j - 1]):
            if not _commute(draws[j - 1], draws[j], inputs):
                break
            draws = draws[: j - 1] + [draws[j], draws[j - 1]] + draws[j + 1 :]
            j -= 1
    return draws


def _topological_order(draws: list[Draw], inputs: list[np.ndarray]) -> list[Draw]:
    """The top-left-first order of ``draws`` in which every pair that does not commute keeps its order.

    Draws paint fixed colours on fixed cells, so every such order paints the same output; this one is
    the same for every sampled order that keeps those pairs' order.
    """
    after = [{j for j in range(i) if not _commute(draws[j], draws[i], inputs)} for i in range(len(draws))]
    left, order = list(range(len(draws))), []
    while left:
        ready = [i for i in left if after[i].isdisjoint(left)]
        order.append(min(ready, key=lambda i: (_sort_key(draws[i]), draws[i][0], _format_args(draws[i][1]))))
        left.remove(order[-1])
    return [draws[i] for i in order]


def _shrunk(draw: Draw, needed: np.ndarray) -> Draw:
    """The smallest draw of ``draw``'s kind and colour that paints every ``needed`` cell and no cell outside ``draw``.

    A rectangle or full line whose needed cells fit in one row or column becomes a segment, one cell a pixel.
    """
    name, args = draw
    if name == "draw_pixel":
        return draw
    rows, cols = np.nonzero(needed)
    # In row-major order the first and last cells are a segment's ends ("/" diagonals too, unlike bounding corners).
    (r0, c0), (r1, c1) = (rows[0], cols[0]), (rows[-1], cols[-1])
    color = args[-1]
    if name == "draw_rectangle" and rows.min() != rows.max() and cols.min() != cols.max():
        return name, ((int(rows.min()), int(cols.min())), (int(rows.max()), int(cols.max())), color)
    if name == "draw_horizontal_line" and cols.min() == 0 and cols.max() == needed.shape[1] - 1:
        return draw
    if name == "draw_vertical_line" and rows.min() == 0 and rows.max() == needed.shape[0] - 1:
        return draw
    if (r0, c0) == (r1, c1):
        return "draw_pixel", ((int(r0), int(c0)), color)
    return "draw_line", ((int(r0), int(c0)), (int(r1), int(c1)), color)


def _visible_extents(draws: list[Draw], inputs: list[np.ndarray]) -> list[Draw]:
    """Shrink each draw, first to last, to the cells whose output it decides.

    Cells are independent (a draw paints fixed colours on fixed cells), so a draw may drop any cell
    where the output is the same without it; each shrink is computed on the program as shrunk so far.
    A shrink can leave a later draw without effect (it repainted a colour the shrunk draw no longer
    covers), so such draws are pruned at the end.
    """
    draws, target = list(draws), _outputs(draws, inputs)  # every shrink keeps the outputs
    for k in range(len(draws)):
        without = _outputs(draws[:k] + draws[k + 1 :], inputs)
        needed = np.any([a != b for a, b in zip(target, without, strict=True)], axis=0)
        if needed.any():
            draws[k] = _shrunk(draws[k], needed)
    return _prune(draws, inputs)


EXTENTS = ("sampled", "visible")
"""``SamplerConfig.extents``: keep the sampled draws, or shrink them to what the image shows."""

ORDERINGS = {"insertion": _canonical_order, "topological": _topological_order}
"""``SamplerConfig.order`` -> the function that orders a task's draws."""


def _random_inputs(rng: np.random.Generator, config: SamplerConfig) -> list[np.ndarray]:
    rows = int(rng.integers(config.min_side, config.max_side + 1))
    cols = int(rng.integers(config.min_side, config.max_side + 1))
    n_inputs = int(rng.integers(config.min_inputs, config.max_inputs + 1))
    if rng.random() < config.noise_probability:
        return [rng.integers(0, 10, size=(rows, cols)).astype(np.int8) for _ in range(n_inputs)]
    colors = rng.permutation(10)[:n_inputs]
    return [create_img((rows, cols), int(c)) for c in colors]


def sample_task(rng: np.random.Generator, config: SamplerConfig | None = None) -> SampledTask:
    """Sample one task whose program has between ``min_draws`` and ``max_draws`` effective draws.

    Draws are added until the target count of effective draws is reached; a grid too small to hold
    that many distinct effects (tried 20 times per draw) yields a program with fewer draws. In a
    disjoint task (``disjoint_probability``) a draw that would paint over an earlier one is resampled. A task
    with a drawn input (``drawn_input_probability``) draws up to ``max_input_draws`` more and moves the first
    of them onto the inputs.
    """
    config = config or SamplerConfig()
    inputs = _random_inputs(rng, config)
    rows, cols = inputs[0].shape
    target = int(rng.integers(config.min_draws, config.max_draws + 1))
    # Options are drawn only when enabled, so that the streams of configs without them stay what they were.
    drawn = config.drawn_input_probability > 0 and rng.random() < config.drawn_input_probability
    on_input = int(rng.integers(1, config.max_input_draws + 1)) if drawn else 0
    target += on_input
    disjoint = config.disjoint_probability > 0 and rng.random() < config.disjoint_probability
    taken = np.zeros((rows, cols), dtype=bool)
    draws: list[Draw] = []
    for _ in range(20 * target):
        if len(draws) == target:
            break
        name = config.primitives[int(rng.integers(len(config.primitives)))]
        draw = _random_draw(rng, name, rows, cols)
        if disjoint and draw[0] == "draw_rectangle":
            previous = next((d for d in reversed(draws) if d[0] == "draw_rectangle"), None)
            if previous is not None and rng.random() < config.aligned_probability:
                draw = _aligned(draw, previous, rng)
        if disjoint and (_painted(draw, (rows, cols)) & taken).any():
            continue
        draws = _prune(draws + [draw], inputs)
        if disjoint:  # from the kept draws only: a pruned draw frees its cells
            taken = np.zeros((rows, cols), dtype=bool)
            for kept in draws:
                taken |= _painted(kept, (rows, cols))
    if not draws:  # every attempt was a no-op (e.g. a 1x1 grid); paint one pixel a new colour
        color = (int(inputs[0][0, 0]) + 1) % 10
        draws = [("draw_pixel", ((0, 0), color))]
    if on_input:  # the first draws become the canvas; each later draw still changes the final drawing
        on_input = min(on_input, len(draws) - 1)
        inputs, draws = _outputs(draws[:on_input], inputs), draws[on_input:]
    if config.extents == "visible":
        draws = _visible_extents(draws, inputs)
    draws = ORDERINGS[config.order](draws, inputs)
    return SampledTask(format_program(draws), inputs, _outputs(draws, inputs))
