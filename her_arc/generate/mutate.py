"""New programs from the hand-written ARC-AGI-1 training solutions (``tasks/arc/solutions``), by AST mutation.

Kinds (:data:`MUTATIONS`): ``original`` (the solution unchanged), ``colors`` (colour literals remapped to colours of
the inputs), ``constants`` (other integer literals changed), ``swap`` (a primitive swapped for a sibling with the
same signature, a flag toggled, a factor, rotation, direction or comparison changed), ``chain`` (one program run on
another's result, as nested helper functions), ``objects`` (a transformation applied to every object's bounding
box) and ``random`` (``dsl.grammar.random_program``, when that module is present). Programs are re-printed by
``ast.unparse`` (no docstring, no comments); every program returned passes the sandbox's static check.
"""

from __future__ import annotations

import ast
import functools
import inspect
from pathlib import Path
from typing import NamedTuple

import numpy as np

from dsl.primitives import PRIMITIVES
from her_arc.sandbox._checks import Rejected, check_source
from her_arc.tasks import solutions_dir

__all__ = ["MUTATIONS", "SOLUTIONS_DIR", "Made", "canonical", "chain", "color_sites", "load_solutions", "make_program",
           "mutate", "per_object", "random_program", "solution_tree"]

SOLUTIONS_DIR = solutions_dir()
MUTATIONS = ("original", "colors", "constants", "swap", "chain", "objects", "random")

try:  # being written alongside this module; the "random" kind is off without it
    from dsl.grammar import random_program as _grammar_program
except ImportError:  # pragma: no cover
    _grammar_program = None

_COLOR_PARAM_NAMES = {"color", "old", "new", "bg", "transparent", "hole"}
COLOR_PARAMS: dict[str, dict[int | str, str]] = {}
"""primitive -> {positional index and keyword name: parameter} of its colour parameters"""
for _name, _fn in PRIMITIVES.items():
    _params = list(inspect.signature(_fn).parameters)
    _sites: dict[int | str, str] = {}
    for _i, _p in enumerate(_params):
        if _p in _COLOR_PARAM_NAMES:
            _sites[_i] = _sites[_p] = _p
    if _sites:
        COLOR_PARAMS[_name] = _sites

SIBLINGS = (
    ("flip_lr", "flip_ud", "transpose"),
    ("hconcat", "vconcat"),
    ("dilate", "halo", "outline"),
    ("draw_horizontal_line", "draw_vertical_line"),
    ("max", "min"),
    ("crop_to_content", "copy"),
)
"""groups of callables with the same signature that ``swap`` exchanges"""
_SIBLING_OF = {name: group for group in SIBLINGS for name in group}
_FLAGS = {"find_objects": ("diagonal", "multicolor"), "dilate": ("diagonal",), "halo": ("diagonal",),
          "outline": ("diagonal",), "flood_fill": ("diagonal",), "fill_enclosed": ("diagonal",),
          "neighbors": ("diagonal",), "ray": ("stop_at_nonbg",)}
_FACTORS = {"upscale": (1, (2, 3, 4)), "downscale": (1, (2, 3, 4)), "rotate": (1, (1, 2, 3, -1)),
            "tile": (1, (1, 2, 3)), "np.rot90": (1, (1, 2, 3, -1))}
_GRID_NAMES = {"img", "out", "g", "grid", "res", "sub", "piece", "canvas", "result"}
_OPS = {ast.Lt: ast.Gt, ast.Gt: ast.Lt, ast.LtE: ast.GtE, ast.GtE: ast.LtE, ast.Eq: ast.NotEq, ast.NotEq: ast.Eq}
DIRS8 = ((1, 0), (-1, 0), (0, 1), (0, -1), (1, 1), (1, -1), (-1, 1), (-1, -1))
SIMPLE_TRANSFORMS = ("flip_lr(img)", "flip_ud(img)", "rotate(img, 2)", "transpose(img)", "recolor(img, {{{a}: {b}}})",
                     "fill_enclosed(img, {b})", "symmetrize(img, 'lr')", "symmetrize(img, 'ud')",
                     "np.where(img != background(img), {b}, img)", "outline_of(img, {b})")
"""one-line grid -> grid transforms for ``chain`` and ``objects`` ({a}, {b}: colours of the inputs)"""


# -- loading -----------------------------------------------------------------------------------------------


@functools.cache
def load_solutions(directory: str | None = None) -> dict[str, str]:
    """``{task id: source}`` of every hand-written solution (``<id>.py``) in ``directory``, sorted by id."""
    root = Path(directory) if directory else SOLUTIONS_DIR
    return {p.stem: p.read_text() for p in sorted(root.glob("*.py"))}


@functools.lru_cache(maxsize=4096)
def canonical(source: str) -> str:
    """``source`` re-printed by ``ast.unparse`` without its module docstring and blank lines."""
    tree = ast.parse(source)
    body = tree.body
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant) \
            and isinstance(body[0].value.value, str):
        body = body[1:]
    return _print(ast.Module(body=body, type_ignores=[]))


def _print(tree: ast.Module) -> str:
    """Module imports moved into ``task`` (so every program starts with ``def task(img):``), no blank lines."""
    imports = [s for s in tree.body if isinstance(s, (ast.Import, ast.ImportFrom))]
    task = next((s for s in tree.body if isinstance(s, ast.FunctionDef) and s.name == "task"), None)
    if imports and task is not None:
        tree = ast.Module(body=[s for s in tree.body if s not in imports], type_ignores=[])
        task.body[:0] = imports
    return "\n".join(line for line in ast.unparse(tree).split("\n") if line.strip()) + "\n"


def solution_tree(source: str) -> ast.Module:
    """A fresh AST of ``source`` without its module docstring."""
    return ast.parse(canonical(source))


def _unparse(tree: ast.Module) -> str | None:
    """The program text, or None when it fails the static check."""
    try:
        text = _print(tree)
        check_source(text)
    except (Rejected, ValueError, RecursionError, SyntaxError):
        return None
    return text


# -- sites -------------------------------------------------------------------------------------------------


def _call_name(node: ast.Call) -> str | None:
    f = node.func
    if isinstance(f, ast.Name):
        return f.id
    if isinstance(f, ast.Attribute) and isinstance(f.value, ast.Name):
        return f"{f.value.id}.{f.attr}"
    return None


def _is_int(node: ast.AST) -> bool:
    return isinstance(node, ast.Constant) and type(node.value) is int


def _is_color(node: ast.AST) -> bool:
    return _is_int(node) and 0 <= node.value <= 9


def _ints_in(node: ast.AST) -> list[ast.Constant]:
    if _is_color(node):
        return [node]
    if isinstance(node, (ast.Tuple, ast.List, ast.Set)):
        return [e for e in node.elts if _is_color(e)]
    return []


def _gridish(node: ast.AST) -> bool:
    if isinstance(node, ast.Attribute):
        return node.attr == "color"
    if isinstance(node, ast.Subscript):
        return True
    return isinstance(node, ast.Name) and node.id in _GRID_NAMES


def color_sites(tree: ast.AST) -> list[ast.Constant]:
    """The integer literals of ``tree`` that are colours (by where they stand), each once."""
    sites: dict[int, ast.Constant] = {}

    def add(nodes):
        for n in nodes:
            sites[id(n)] = n

    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            name = _call_name(node)
            params = COLOR_PARAMS.get(name or "")
            if params:
                add(a for i, a in enumerate(node.args) if i in params and _is_color(a))
                add(k.value for k in node.keywords if k.arg in params and _is_color(k.value))
            if name == "recolor" and len(node.args) > 1 and isinstance(node.args[1], ast.Dict):
                d = node.args[1]
                add(n for n in [*d.keys, *d.values] if n is not None and _is_color(n))
            if name == "np.where" and len(node.args) == 3:
                add(a for a in node.args[1:] if _is_color(a))
            if name in ("np.full", "np.full_like") and len(node.args) >= 2:
                add(_ints_in(node.args[1]))
            if name == "np.isin" and len(node.args) >= 2:
                add(_ints_in(node.args[1]))
        elif isinstance(node, ast.Compare) and all(type(op) in (ast.Eq, ast.NotEq, ast.In, ast.NotIn)
                                                   for op in node.ops):
            sides = [node.left, *node.comparators]
            if any(_gridish(s) for s in sides):
                for s in sides:
                    add(_ints_in(s))
        elif isinstance(node, ast.Assign) and any(isinstance(t, ast.Subscript) for t in node.targets):
            add(_ints_in(node.value))
    return list(sites.values())


def _number_sites(tree: ast.AST, colors: list[ast.Constant]) -> list[ast.Constant]:
    skip = {id(n) for n in colors}
    for node in ast.walk(tree):  # direction tuples belong to swap
        if isinstance(node, ast.Tuple) and len(node.elts) == 2 and all(_is_int(e) for e in node.elts) \
                and tuple(e.value for e in node.elts) in DIRS8:
            skip.update(id(e) for e in node.elts)
    return [n for n in ast.walk(tree) if _is_int(n) and id(n) not in skip]


# -- mutations ---------------------------------------------------------------------------------------------


def _new_color(rng: np.random.Generator, old: int, palette: tuple[int, ...]) -> int:
    options = [c for c in palette if c != old] if rng.random() < 0.92 else []
    options = options or [c for c in range(10) if c != old]
    return int(options[int(rng.integers(len(options)))])


def _mutate_colors(rng, tree: ast.Module, palette: tuple[int, ...]) -> bool:
    sites = color_sites(tree)
    if not sites:
        return False
    if rng.random() < 0.7:  # remap one colour everywhere it stands
        old = sites[int(rng.integers(len(sites)))].value
        new = _new_color(rng, old, palette)
        for s in sites:
            if s.value == old:
                s.value = new
    else:
        s = sites[int(rng.integers(len(sites)))]
        s.value = _new_color(rng, s.value, palette)
    return True


def _mutate_constants(rng, tree: ast.Module, palette: tuple[int, ...]) -> bool:
    sites = _number_sites(tree, color_sites(tree))
    if not sites:
        return False
    s = sites[int(rng.integers(len(sites)))]
    v = s.value
    options = sorted({v - 1, v + 1, v * 2, v // 2, 0, 1, 2, 3} - {v})
    s.value = int(options[int(rng.integers(len(options)))])
    return True


def _swap_sites(tree: ast.Module) -> list[tuple[str, ast.AST]]:
    sites = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            name = _call_name(node)
            if isinstance(node.func, ast.Name) and name in _SIBLING_OF:
                sites.append(("sibling", node))
            if name in _FLAGS:
                sites.append(("flag", node))
            if name in _FACTORS:
                sites.append(("factor", node))
        elif isinstance(node, ast.Tuple) and len(node.elts) == 2 and all(
                isinstance(e, (ast.Constant, ast.UnaryOp)) for e in node.elts):
            try:
                value = ast.literal_eval(node)
            except ValueError:
                continue
            if value in DIRS8:
                sites.append(("direction", node))
        elif isinstance(node, ast.Compare) and len(node.ops) == 1 and type(node.ops[0]) in _OPS:
            sites.append(("compare", node))
    return sites


def _mutate_swap(rng, tree: ast.Module, palette: tuple[int, ...]) -> bool:
    sites = _swap_sites(tree)
    if not sites:
        return False
    what, node = sites[int(rng.integers(len(sites)))]
    if what == "sibling":
        group = [n for n in _SIBLING_OF[node.func.id] if n != node.func.id]
        node.func = ast.Name(id=group[int(rng.integers(len(group)))], ctx=ast.Load())
    elif what == "flag":
        flags = _FLAGS[_call_name(node)]
        flag = flags[int(rng.integers(len(flags)))]
        kw = next((k for k in node.keywords if k.arg == flag), None)
        if kw is None:
            node.keywords.append(ast.keyword(arg=flag, value=ast.Constant(True)))
        elif isinstance(kw.value, ast.Constant) and isinstance(kw.value.value, bool):
            kw.value = ast.Constant(not kw.value.value)
        else:
            node.keywords.remove(kw)
    elif what == "factor":
        index, values = _FACTORS[_call_name(node)]
        if _call_name(node) == "tile" and len(node.args) > 2 and rng.random() < 0.5:
            index = 2
        current = node.args[index] if len(node.args) > index else None
        old = current.value if current is not None and _is_int(current) else None
        new = [v for v in values if v != old]
        value = ast.Constant(int(new[int(rng.integers(len(new)))]))
        if current is None:
            node.args.append(value)
        else:
            node.args[index] = value
    elif what == "direction":
        old = ast.literal_eval(node)
        new = [d for d in DIRS8[:4] if d != old] if old in DIRS8[:4] and rng.random() < 0.7 \
            else [d for d in DIRS8 if d != old]
        d = new[int(rng.integers(len(new)))]
        node.elts = [ast.Constant(d[0]) if d[0] >= 0 else ast.UnaryOp(ast.USub(), ast.Constant(-d[0])),
                     ast.Constant(d[1]) if d[1] >= 0 else ast.UnaryOp(ast.USub(), ast.Constant(-d[1]))]
    else:
        node.ops = [_OPS[type(node.ops[0])]()]
    return True


_IN_PLACE = {"colors": _mutate_colors, "constants": _mutate_constants, "swap": _mutate_swap}


def mutate(rng: np.random.Generator, source: str, kind: str, palette: tuple[int, ...] = tuple(range(10))) -> str | None:
    """``source`` with one ``colors``, ``constants`` or ``swap`` mutation; None when it has no such site or the
    result equals the (re-printed) original or fails the static check. ``palette``: the colours to map to."""
    tree = solution_tree(source)
    if not _IN_PLACE[kind](rng, tree, tuple(palette) or tuple(range(10))):
        return None
    text = _unparse(tree)
    return None if text is None or text == canonical(source) else text


# -- composition -------------------------------------------------------------------------------------------


def _as_function(source: str, name: str) -> tuple[list[ast.stmt], ast.FunctionDef]:
    """(module imports, ``def name(img)`` running ``source``'s ``task``): helpers and task body nested."""
    tree = solution_tree(source)
    imports = [s for s in tree.body if isinstance(s, (ast.Import, ast.ImportFrom))]
    rest = [s for s in tree.body if not isinstance(s, (ast.Import, ast.ImportFrom))]
    task = next(s for s in rest if isinstance(s, ast.FunctionDef) and s.name == "task")
    if len(rest) == 1:
        task.name = name
        return imports, task
    body = [*rest, ast.Return(ast.Call(ast.Name("task", ast.Load()), [ast.Name("img", ast.Load())], []))]
    fn = ast.parse(f"def {name}(img):\n    pass").body[0]
    fn.body = body
    return imports, fn


def _simple(rng, palette: tuple[int, ...]) -> str:
    """A one-line transform as the source of a ``def task(img)``."""
    pal = list(palette) or list(range(10))
    a = int(pal[int(rng.integers(len(pal)))])
    b = _new_color(rng, a, tuple(pal))
    line = SIMPLE_TRANSFORMS[int(rng.integers(len(SIMPLE_TRANSFORMS)))].format(a=a, b=b)
    if line.startswith("outline_of"):
        return f"def task(img):\n    return paint_cells(img, outline(img, img != background(img)), {b})\n"
    return f"def task(img):\n    return {line}\n"


def _partner(rng, pool: list[str], palette, inputs) -> str:
    """A second program: another solution, a grammar program or a one-line transform."""
    u = rng.random()
    if u < 0.45 and pool:
        return pool[int(rng.integers(len(pool)))]
    if u < 0.75 and _grammar_program is not None and inputs:
        return _grammar_program(rng, inputs)
    return _simple(rng, palette)


def chain(first: str, second: str) -> str | None:
    """``second`` run on ``first``'s result, as one program with two nested helpers."""
    imp1, f1 = _as_function(first, "step1")
    imp2, f2 = _as_function(second, "step2")
    seen, imports = set(), []
    for s in imp1 + imp2:
        key = ast.dump(s)
        if key not in seen:
            seen.add(key)
            imports.append(s)
    task = ast.parse("def task(img):\n    return step2(step1(img))").body[0]
    task.body = [f1, f2, *task.body]
    return _unparse(ast.Module(body=[*imports, task], type_ignores=[]))


def per_object(rng, inner: str) -> str | None:
    """``inner`` applied to the bounding box of every object (pasted back when its shape is unchanged)."""
    imports, fn = _as_function(inner, "inner")
    flags = "".join(f for f, p in ((", diagonal=True", 0.3), (", multicolor=True", 0.3)) if rng.random() < p)
    cond = ("", "obj.size > 1", "not touches_border(img, obj)", "obj.height == obj.width")[int(rng.integers(4))]
    paste = ", transparent=background(img)" if rng.random() < 0.3 else ""
    lines = ["def task(img):", "    out = copy(img)", f"    for obj in find_objects(img{flags}):"]
    pad = "        "
    if cond:
        lines.append(f"        if {cond}:")
        pad += "    "
    lines += [f"{pad}piece = crop(img, (obj.top, obj.left), (obj.bottom, obj.right))", f"{pad}new = inner(piece)",
              f"{pad}if new.shape == piece.shape:", f"{pad}    out = blit(out, new, (obj.top, obj.left){paste})",
              "    return out"]
    task = ast.parse("\n".join(lines)).body[0]
    task.body.insert(0, fn)
    return _unparse(ast.Module(body=[*imports, task], type_ignores=[]))


def random_program(rng: np.random.Generator, inputs: list[np.ndarray]) -> str | None:
    """A ``dsl.grammar`` random program for ``inputs`` (None when that module is absent)."""
    if _grammar_program is None:
        return None
    text = _grammar_program(rng, inputs)
    try:
        check_source(text)
    except Rejected:
        return None
    return text


class Made(NamedTuple):
    """A program :func:`make_program` made."""

    text: str | None
    """the program (None: none could be made)"""
    detail: str = ""
    """more on how (stacked mutations, chain order ...)"""
    parts: tuple[str, ...] = ()
    """for ``chain``: the two programs chained, each on its own (to tell a chain from a step that does nothing)"""


def make_program(rng: np.random.Generator, kind: str, source: str | None, inputs: list[np.ndarray],
                 pool: list[str] = (), stack_p: float = 0.3) -> Made:
    """One program of ``kind`` from solution ``source``.

    ``pool``: solutions ``chain`` and ``objects`` may combine with; ``stack_p``: chance of a second in-place
    mutation after ``colors``/``constants``/``swap``. ``inputs`` give the palette and condition grammar programs.
    """
    counts = np.zeros(10, dtype=np.int64)
    for g in inputs:
        counts += np.bincount(np.asarray(g).ravel().astype(np.int64), minlength=10)[:10]
    palette = tuple(int(c) for c in np.flatnonzero(counts))
    if kind == "random":
        return Made(random_program(rng, inputs), "grammar")
    if source is None:
        return Made(None)
    if kind == "original":
        return Made(canonical(source))
    if kind in _IN_PLACE:
        text = mutate(rng, source, kind, palette)
        detail = kind
        if text is not None and rng.random() < stack_p:
            second = tuple(_IN_PLACE)[int(rng.integers(len(_IN_PLACE)))]
            again = mutate(rng, text, second, palette)
            if again is not None:
                text, detail = again, f"{kind}+{second}"
        return Made(text, detail)
    if kind == "chain":
        other = _partner(rng, list(pool), palette, inputs)
        first, second, detail = (source, other, "then other") if rng.random() < 0.5 else (other, source, "other first")
        return Made(chain(first, second), detail, (canonical(first), canonical(second)))
    if kind == "objects":
        inner = source if rng.random() < 0.4 else _partner(rng, [], palette, inputs)
        return Made(per_object(rng, inner), "source" if inner is source else "other")
    raise ValueError(f"kind must be one of {MUTATIONS}, got {kind!r}")
