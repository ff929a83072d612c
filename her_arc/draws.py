"""Straight-line draw programs read as data: each ``draw_*(img, ...)`` call as its name and literal arguments.

The painter writes programs of this kind. Reading a call as ``(name, args)`` lets a program be rewritten
(:mod:`her_arc.views` maps it to another frame) or run a line at a time (:mod:`her_arc.stepwise`, with
:func:`dsl.sampler.run_draws`) without executing any text: only a known primitive with checked integer arguments
is ever called.
"""

from __future__ import annotations

import ast

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
