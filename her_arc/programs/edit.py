"""Straight-line draw programs: read as data, extended and combined.

The painter writes programs of this kind: draw calls, then ``return img``. Reading a call as ``(name, args)`` lets a
program be rewritten (:mod:`her_arc.programs.views` maps it to another frame) or run a line at a time
(:mod:`her_arc.search.stepwise`, with :func:`dsl.sampler.run_draws`) without executing any text: only a known
primitive with checked integer arguments is ever called. :func:`append_draws` and :func:`compositions` build longer
straight-line programs out of shorter ones (refinement and composition).
"""

from __future__ import annotations

import ast
import random
from collections.abc import Sequence

SIGNATURES = {
    "draw_pixel": ("point", "int"),
    "draw_line": ("point", "point", "int"),
    "draw_rectangle": ("point", "point", "int"),
    "draw_horizontal_line": ("int", "int"),
    "draw_vertical_line": ("int", "int"),
}
"""What each primitive takes after ``img``: (row, col) points and integers (indices, colours)."""

Draw = tuple[str, list]
"""A draw call as data: the primitive's name and its arguments after ``img``."""


class NotADrawCall(ValueError):
    """Code that is not a ``draw_*(img, ...)`` call with literal arguments of its primitive's signature."""


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def draw_arguments(call: ast.Call) -> list:
    """The literal arguments after ``img`` of a draw call, checked against its primitive's signature."""
    name, text = call.func.id, ast.unparse(call)
    if name not in SIGNATURES:
        raise NotADrawCall(f"{name} is not a drawing primitive: {text!r}")
    try:
        args = [ast.literal_eval(a) for a in call.args[1:]]
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        raise NotADrawCall(f"arguments are not literals: {text!r}") from None
    kinds = SIGNATURES[name]
    fits = len(args) == len(kinds) and all(
        _is_int(a) if kind == "int" else isinstance(a, tuple) and len(a) == 2 and all(map(_is_int, a))
        for a, kind in zip(args, kinds, strict=False)
    )
    if not fits:
        raise NotADrawCall(f"{name} takes img, then {', '.join(kinds)}: {text!r}")
    return args


def draw_call(stmt: ast.stmt) -> ast.Call | None:
    """The ``draw_*(img, ...)`` call a statement consists of (``draw(...)`` or ``img = draw(...)``)."""
    if isinstance(stmt, ast.Expr):
        call = stmt.value
    elif isinstance(stmt, ast.Assign) and [ast.unparse(t) for t in stmt.targets] == ["img"]:
        call = stmt.value
    else:
        return None
    ok = (
        isinstance(call, ast.Call)
        and isinstance(call.func, ast.Name)
        and call.func.id.startswith("draw_")
        and not call.keywords
        and call.args
        and ast.unparse(call.args[0]) == "img"
    )
    return call if ok else None


def parse_draw(line: str) -> Draw:
    """One line of program text as a draw; :class:`NotADrawCall` says why it is not one."""
    try:
        tree = ast.parse(line.strip())
    except SyntaxError as e:
        raise NotADrawCall(f"does not parse: {line.strip()!r} ({e.msg})") from None
    call = draw_call(tree.body[0]) if len(tree.body) == 1 else None
    if call is None:
        raise NotADrawCall(f"not one draw call on img: {line.strip()!r}")
    return call.func.id, draw_arguments(call)


def _straight_line(program: str):
    """``(function, draw statements, return)`` of a program made only of calls then ``return``; else ``None``."""
    try:
        fn = ast.parse(program).body[0]
    except (SyntaxError, IndexError):
        return None
    if not isinstance(fn, ast.FunctionDef):
        return None
    *draws, ret = fn.body
    if not isinstance(ret, ast.Return) or not all(
        isinstance(s, ast.Expr) and isinstance(s.value, ast.Call) for s in draws
    ):
        return None
    return fn, draws, ret


def _with_body(fn: ast.FunctionDef, body: list) -> str:
    new = ast.FunctionDef(name=fn.name, args=fn.args, body=body, decorator_list=[], returns=None, type_params=[])
    return ast.unparse(ast.fix_missing_locations(ast.Module(body=[new], type_ignores=[])))


def is_straight_line(program: str) -> bool:
    """Whether ``program`` is only calls then ``return`` (what composition and refinement can extend)."""
    parts = _straight_line(program)
    return parts is not None and bool(parts[1])


def append_draws(base: str, continuation: str) -> str | None:
    """``base``'s calls, then ``continuation``'s: one program drawing what ``continuation`` draws on ``base``'s
    drawing; ``None`` unless both are straight-line programs."""
    first, second = _straight_line(base), _straight_line(continuation)
    if first is None or second is None:
        return None
    fn, draws, ret = first
    return _with_body(fn, draws + second[1] + [ret])


def compositions(programs: Sequence[tuple[str, str]], n: int, rng: random.Random, pool: int = 12) -> list[str]:
    """Up to ``n`` programs that run one program's calls and then another's.

    ``programs`` are ``(program, output fingerprint)`` pairs, best first. A pretrained painter writes about as many
    draws as it saw in pretraining; a composition of two of its programs is a longer program whose output the
    executor will tell, so relabeling it teaches longer programs, and two partial drawings of the target may compose
    into the target. Pairs come from the first ``pool`` straight-line programs with distinct outputs.
    """
    ranked, seen = [], set()
    for program, fingerprint in programs:
        parts = _straight_line(program)
        if parts is not None and parts[1] and fingerprint not in seen:
            seen.add(fingerprint)
            ranked.append(parts)
        if len(ranked) == pool:
            break
    pairs = [(a, b) for a in range(len(ranked)) for b in range(len(ranked)) if a != b]
    chosen = rng.sample(pairs, min(n, len(pairs)))
    return [_with_body(ranked[a][0], ranked[a][1] + ranked[b][1] + [ranked[a][2]]) for a, b in chosen]
