"""Random ARC programs drawn from the DSL's grammar, conditioned on a task's input grids (no model).

``random_program(rng, inputs)`` returns the text of a ``def task(img):`` program: 1-2 statements from the
families in :data:`GRAMMAR`, then an optional whole-grid transform. Colours, sizes and factors are read from the
inputs (colours present, object sizes seen, sides that divide, separators present) so that programs are
plausible for that task. The same rng state and inputs give the same program. numpy (and this package) only.

>>> rng = np.random.default_rng(0)
>>> print(random_program(rng, [np.eye(3, dtype=np.int8)]))      # doctest: +SKIP
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from dsl.grids import background, separators
from dsl.objects import find_objects
from dsl.primitives import MAX_SIDE

__all__ = ["GRAMMAR", "InputStats", "input_stats", "random_program"]

GRAMMAR = """\
program   := "def task(img):" "out = copy(img)" statement{1,2} [transform] "return out"
             | "def task(img):" "out = copy(img)" transform "return out"           (a transform alone)
statement :=
  objects   for obj in find_objects(out[, diagonal][, multicolor]): if FILTER: ACTION
  select    the largest / smallest / tallest / widest / most-coloured object (or of one colour): ACTION or crop to it
  recolor   recolor(out, {a: b}) / a swap {a: b, b: a} / replace every non-background colour by one
  fill      fill_enclosed(out, c[, diagonal]) / flood_fill from a corner or a cell of a colour
  gravity   gravity(out, direction) (4 directions)
  symmetry  symmetrize(out, axis) (lr, ud, rot180, both; diag / anti / rot90 when every input is square)
  lines     through every cell of a colour: its row, its column, both, or a ray in one of 8 directions
FILTER    := obj.size == k | obj.size < k | obj.size > k (k: object sizes seen) | obj.color == c
             | [not] touches_border(out, obj) | obj.height == obj.width | obj.size == obj.height * obj.width
ACTION    := recolour (c) | delete (to the background) | paint its bbox under it | its outline | its halo
             | rays from its cells (8 directions, to the edge or the next non-background cell) | slide it (4)
transform := flip_lr | flip_ud | rotate(k) | transpose | crop_to_content | upscale(f) | downscale(f)
             | tile(r, c) | mirror-concatenate (hconcat/vconcat with its flip) | split_grid: pick a part
             | split_grid: overlay two parts (and / or / xor / neither -> colour c)   (f, r, c fit every input)
c         := a colour present in the inputs (1 time in 10: any colour 0-9)
"""
"""The families :func:`random_program` samples from (a sketch of its grammar)."""

DIRS4 = ((1, 0), (-1, 0), (0, 1), (0, -1))
DIRS8 = DIRS4 + ((1, 1), (1, -1), (-1, 1), (-1, -1))
_STATEMENTS = ("objects", "select", "recolor", "fill", "gravity", "symmetry", "lines")
_STATEMENT_WEIGHTS = (0.34, 0.16, 0.14, 0.1, 0.06, 0.08, 0.12)
_TRANSFORM_ONLY_P = 0.3
"""share of programs that are one whole-grid transform alone"""
_TRANSFORM_AFTER_P = 0.25
"""chance of a transform after the statements"""
_ANY_COLOR_P = 0.1
_CORNERS = ("(0, 0)", "(0, out.shape[1] - 1)", "(out.shape[0] - 1, 0)", "(out.shape[0] - 1, out.shape[1] - 1)")


@dataclass(frozen=True)
class InputStats:
    """What :func:`random_program` reads from a task's inputs."""

    colors: tuple[int, ...]
    """every colour present in some input, most common first"""
    fg: tuple[int, ...]
    """colours present that are not the background of every input (empty: none)"""
    sizes: tuple[int, ...]
    """distinct object sizes (4-connected, one colour) seen in the inputs, ascending"""
    square: bool
    """every input is square"""
    max_side: int
    """largest side over the inputs"""
    down: tuple[int, ...]
    """factors > 1 that divide both sides of every input"""
    has_separators: bool
    """some input has full separator lines of a non-background colour"""


def input_stats(inputs: list[np.ndarray]) -> InputStats:
    """Read colours, object sizes, shapes and separators from ``inputs`` (non-empty list of grids)."""
    grids = [np.asarray(g) for g in inputs]
    if not grids:
        raise ValueError("need at least one input grid")
    counts = np.zeros(10, dtype=np.int64)
    bgs = set()
    sizes: set[int] = set()
    has_sep = False
    for g in grids:
        counts += np.bincount(g.ravel().astype(np.int64), minlength=10)[:10]
        bgs.add(background(g))
        sizes.update(o.size for o in find_objects(g)[:60])
        rows, cols = separators(g)
        if rows or cols:  # only lines of a non-background colour count (split_grid also splits at blank lines)
            line = int(g[rows[0], 0]) if rows else int(g[0, cols[0]])
            has_sep = has_sep or line != background(g)
    present = [int(c) for c in np.argsort(-counts, kind="stable") if counts[c] > 0]
    fg = tuple(c for c in present if c not in bgs) if len(bgs) == 1 else tuple(present)
    down = tuple(
        f for f in range(2, 11) if all(g.shape[0] % f == 0 and g.shape[1] % f == 0 and min(g.shape) > f for g in grids)
    )
    return InputStats(
        colors=tuple(present),
        fg=fg,
        sizes=tuple(sorted(sizes)),
        square=all(g.shape[0] == g.shape[1] for g in grids),
        max_side=max(max(g.shape) for g in grids),
        down=down,
        has_separators=has_sep,
    )


_STATS_CACHE: dict[bytes, InputStats] = {}


def _cached_stats(inputs: list[np.ndarray]) -> InputStats:
    key = b"|".join(np.asarray(g).shape[0].to_bytes(1, "little") + np.asarray(g, dtype=np.int8).tobytes()
                    for g in inputs)  # fmt: skip
    stats = _STATS_CACHE.get(key)
    if stats is None:
        if len(_STATS_CACHE) > 256:
            _STATS_CACHE.clear()
        stats = _STATS_CACHE[key] = input_stats(inputs)
    return stats


class _Draw:
    """The rng plus the input stats: every random choice of one program."""

    def __init__(self, rng: np.random.Generator, stats: InputStats):
        self.rng, self.s = rng, stats

    def pick(self, options):
        return options[int(self.rng.integers(len(options)))]

    def chance(self, p: float) -> bool:
        return bool(self.rng.random() < p)

    def color(self) -> int:
        """A colour present in the inputs (sometimes any colour)."""
        if self.chance(_ANY_COLOR_P) or not self.s.colors:
            return int(self.rng.integers(10))
        return self.pick(self.s.colors)

    def fg_color(self) -> int:
        """A colour of some input's content (not the shared background) when there is one."""
        return self.pick(self.s.fg) if self.s.fg else self.color()

    def size(self) -> int:
        return self.pick(self.s.sizes) if self.s.sizes else int(self.rng.integers(1, 5))


def _find(d: _Draw) -> str:
    args = ["out"]
    if d.chance(0.25):
        args.append("diagonal=True")
    if d.chance(0.15):
        args.append("multicolor=True")
    return f"find_objects({', '.join(args)})"


def _filter(d: _Draw) -> str:
    kind = d.pick(("size==", "size<", "size>", "color", "border", "inner", "square", "rect"))
    if kind == "size==":
        return f"obj.size == {d.size()}"
    if kind == "size<":
        return f"obj.size < {d.size()}"
    if kind == "size>":
        return f"obj.size > {d.size()}"
    if kind == "color":
        return f"obj.color == {d.fg_color()}"
    if kind == "border":
        return "touches_border(out, obj)"
    if kind == "inner":
        return "not touches_border(out, obj)"
    if kind == "square":
        return "obj.height == obj.width"
    return "obj.size == obj.height * obj.width"


def _action(d: _Draw, indent: str) -> list[str]:
    kind = d.pick(("recolor", "recolor", "delete", "bbox", "outline", "halo", "rays", "slide"))
    if kind == "recolor":
        return [f"{indent}out = paint_cells(out, obj, {d.color()})"]
    if kind == "delete":
        return [f"{indent}out = paint_cells(out, obj, background(img))"]
    if kind == "bbox":
        return [f"{indent}out = paint_object(draw_rectangle(out, (obj.top, obj.left), (obj.bottom, obj.right), "
                f"{d.color()}), obj)"]  # fmt: skip
    if kind in ("outline", "halo"):
        diag = ", diagonal=True" if d.chance(0.3) else ""
        return [f"{indent}out = paint_cells(out, {kind}(out, obj{diag}), {d.color()})"]
    if kind == "rays":
        color = "obj.color" if d.chance(0.5) else str(d.color())
        stop = ", stop_at_nonbg=True" if d.chance(0.4) else ""
        return [f"{indent}for p in obj.cells:", f"{indent}    out = ray(out, p, {d.pick(DIRS8)}, {color}{stop})"]
    return [f"{indent}out = slide(out, obj, {d.pick(DIRS4)})"]


def _statement(d: _Draw) -> list[str]:
    family = _STATEMENTS[int(d.rng.choice(len(_STATEMENTS), p=_STATEMENT_WEIGHTS))]
    if family == "objects":
        return [f"    for obj in {_find(d)}:", f"        if {_filter(d)}:", *_action(d, "            ")]
    if family == "select":
        pick = d.pick(("max", "min"))
        key = d.pick(("o.size", "o.size", "o.height * o.width", "o.height", "o.width", "len(o.colors)"))
        source = _find(d)
        if d.chance(0.25):
            source = f"[o for o in {source} if o.color == {d.fg_color()}]"
        lines = [f"    objs = {source}", "    if objs:", f"        obj = {pick}(objs, key=lambda o: {key})"]
        if d.chance(0.45):
            return [*lines, "        out = crop(out, (obj.top, obj.left), (obj.bottom, obj.right))"]
        return [*lines, *_action(d, "        ")]
    if family == "recolor":
        kind = d.pick(("map", "swap", "all"))
        a, b = d.fg_color(), d.color()
        if kind == "swap" and a != b:
            return [f"    out = recolor(out, {{{a}: {b}, {b}: {a}}})"]
        if kind == "all":
            return [f"    out = np.where(out != background(img), {d.color()}, out)"]
        return [f"    out = recolor(out, {{{a}: {b}}})"]
    if family == "fill":
        if d.chance(0.7):
            diag = ", diagonal=True" if d.chance(0.2) else ""
            return [f"    out = fill_enclosed(out, {d.color()}{diag})"]
        if d.chance(0.5):
            corner = d.pick(_CORNERS)
            return [f"    out = flood_fill(out, {corner}, {d.color()})"]
        return [f"    for p in cells_of_color(img, {d.fg_color()}):", f"        out = flood_fill(out, p, {d.color()})"]
    if family == "gravity":
        return [f"    out = gravity(out, {d.pick(DIRS4)})"]
    if family == "symmetry":
        axes = ["'lr'", "'ud'", "'rot180'", "['lr', 'ud']"]
        if d.s.square:
            axes += ["'diag'", "'anti'", "'rot90'"]
        return [f"    out = symmetrize(out, {d.pick(axes)})"]
    # lines through every cell of a colour
    a = d.fg_color()
    color = "a" if d.chance(0.6) else str(d.color())
    kind = d.pick(("row", "col", "cross", "ray"))
    head = [f"    a = {a}", "    for p in cells_of_color(img, a):"]
    if kind == "row":
        return [*head, f"        draw_horizontal_line(out, p[0], {color})"]
    if kind == "col":
        return [*head, f"        draw_vertical_line(out, p[1], {color})"]
    if kind == "cross":
        return [
            *head,
            f"        draw_horizontal_line(out, p[0], {color})",
            f"        draw_vertical_line(out, p[1], {color})",
        ]
    stop = ", stop_at_nonbg=True" if d.chance(0.4) else ""
    return [*head, f"        out = ray(out, p, {d.pick(DIRS8)}, {color}{stop})"]


def _transform(d: _Draw) -> list[str]:
    s = d.s
    options = ["flip_lr", "flip_ud", "rotate", "transpose", "crop", "crop", "mirror"]
    up = [f for f in (2, 3, 4, 5) if s.max_side * f <= MAX_SIDE]
    if up:
        options += ["upscale", "tile"]
    if s.down:
        options.append("downscale")
    if s.has_separators:
        options += ["part", "overlay", "overlay", "overlay"]
    kind = d.pick(options)
    if kind in ("flip_lr", "flip_ud", "transpose"):
        return [f"    out = {kind}(out)"]
    if kind == "rotate":
        return [f"    out = rotate(out, {d.pick((1, 2, -1))})"]
    if kind == "crop":
        return ["    out = crop_to_content(out)"]
    if kind == "upscale":
        return [f"    out = upscale(out, {d.pick(up)})"]
    if kind == "tile":
        r, c = d.pick([(r, c) for r in (1, 2, 3) for c in (1, 2, 3) if r * c > 1 and s.max_side * max(r, c) <= MAX_SIDE]
                      or [(1, 2)])  # fmt: skip
        return [f"    out = tile(out, {r}, {c})"]
    if kind == "downscale":
        return [f"    out = downscale(out, {d.pick(s.down)})"]
    if kind == "mirror":
        if s.max_side * 2 > MAX_SIDE:
            return ["    out = flip_lr(out)"]
        return [d.pick(("    out = hconcat(out, flip_lr(out))", "    out = vconcat(out, flip_ud(out))",
                        "    out = hconcat(flip_lr(out), out)", "    out = vconcat(flip_ud(out), out)"))]  # fmt: skip
    if kind == "part":
        return [f"    out = split_grid(out)[{d.pick((0, 1, -1))}]"]
    op = d.pick(("&", "|", "^", "nor"))
    cond = "~((a != bg) | (b != bg))" if op == "nor" else f"(a != bg) {op} (b != bg)"
    return [
        "    bg = background(img)",
        "    parts = split_grid(out)",
        "    a, b = parts[0], parts[-1]",
        f"    out = np.where({cond}, {d.color()}, bg)",
    ]


def random_program(rng: np.random.Generator, inputs: list[np.ndarray]) -> str:
    """The text of a random ``def task(img):`` program for a task with these input grids.

    1-2 statements (object loop with filter and action, selected object, colour map, fills, gravity, symmetry,
    lines from cells), then an optional whole-grid transform; or a whole-grid transform alone. Constants come
    from ``inputs`` (see :class:`InputStats`). Deterministic for a given rng state and inputs.
    """
    d = _Draw(rng, _cached_stats(list(inputs)))
    body = ["    out = copy(img)"]
    if d.chance(_TRANSFORM_ONLY_P):
        body += _transform(d)
    else:
        for _ in range(1 if d.chance(0.6) else 2):
            body += _statement(d)
        if d.chance(_TRANSFORM_AFTER_P):
            body += _transform(d)
    return "\n".join(["def task(img):", *body, "    return out"]) + "\n"
