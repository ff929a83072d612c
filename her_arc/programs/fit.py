"""Constants the train pairs determine, fitted instead of sampled: the output colours.

A program that gets a task's structure right but paints it in the wrong colours is one ``recolor`` away from a
solution, and the train pairs say which: when every cell of colour ``a`` in the program's outputs holds the same
colour ``b`` in the targets (on every train pair at once), the mapping ``a -> b`` is determined. :func:`color_mapping`
finds it; :func:`append_recolor` rewrites the program so that each ``return X`` of ``task`` becomes
``return recolor(X, {a: b, ...})`` (:func:`dsl.grids.recolor`).

>>> import numpy as np
>>> color_mapping([np.array([[1, 0], [0, 1]])], [np.array([[3, 0], [0, 3]])])
{1: 3}
>>> print(append_recolor("def task(img):\\n    return flip_lr(img)", {1: 3}))
def task(img):
    return recolor(flip_lr(img), {1: 3})
"""

from __future__ import annotations

import ast
from collections.abc import Sequence

import numpy as np

__all__ = ["append_recolor", "color_mapping"]


def color_mapping(outputs: Sequence[np.ndarray], targets: Sequence[np.ndarray]) -> dict[int, int] | None:
    """The colours to change (old -> new) that turn every output into its target, or ``None`` when there is none
    (a shape differs, or one output colour covers two target colours) or nothing needs to change."""
    if len(outputs) != len(targets) or not outputs:
        return None
    table = np.full(10, -1)
    for out, target in zip(outputs, targets, strict=True):
        out, target = np.asarray(out), np.asarray(target)
        if out.shape != target.shape:
            return None
        pairs = np.unique(np.stack([out.ravel(), target.ravel()]), axis=1)
        for old, new in pairs.T:
            if not 0 <= old <= 9 or table[old] not in (-1, new):
                return None
            table[old] = new
    mapping = {int(old): int(new) for old, new in enumerate(table) if new >= 0 and new != old}
    return mapping or None


class _WrapReturns(ast.NodeTransformer):
    def __init__(self, mapping: dict[int, int]):
        self.mapping = ast.Dict(keys=[ast.Constant(k) for k in mapping],
                                values=[ast.Constant(v) for v in mapping.values()])

    def visit_Return(self, node: ast.Return) -> ast.Return:
        if node.value is None:
            return node
        return ast.Return(ast.Call(ast.Name("recolor", ast.Load()), [node.value, self.mapping], []))

    def visit_FunctionDef(self, node):  # a nested function's returns are not task's
        return node

    visit_AsyncFunctionDef = visit_Lambda = visit_FunctionDef


def append_recolor(program: str, mapping: dict[int, int]) -> str:
    """``program`` with ``recolor(..., mapping)`` applied to every value its ``task`` function returns (canonical
    text). Raises ValueError for a program without a top-level ``task``."""
    tree = ast.parse(program)
    tasks = [node for node in tree.body if isinstance(node, ast.FunctionDef) and node.name == "task"]
    if not tasks:
        raise ValueError("append_recolor needs a program with a top-level `def task(img):`")
    wrap = _WrapReturns(dict(sorted(mapping.items())))
    for task in tasks:
        task.body = [wrap.visit(statement) for statement in task.body]
    return ast.unparse(ast.fix_missing_locations(tree))
