"""``her-arc tasks``: list the bundled tasks (or an ARC split with ``--split``); ``her-arc tasks show TASK`` prints a
task's grids."""

from __future__ import annotations

import argparse

import numpy as np

from her_arc.tasks import Task, bundled_task_names, load_task


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--split", help="list an ARC-AGI split instead: arc1-train, arc1-eval, arc2-train, arc2-eval "
                                        "(id, pairs, input and output shapes)")
    actions = parser.add_subparsers(dest="action", metavar="ACTION")
    listing = actions.add_parser("list", help="list the bundled tasks: name, output shape, pairs (the default)")
    listing.add_argument("--split", help="list an ARC-AGI split instead (see her-arc tasks --help)")
    show = actions.add_parser("show", help="print a task's grids")
    show.add_argument("task", help="a bundled task name (e.g. squares-25), an ARC task as SPLIT/ID "
                                   "(e.g. arc1-train/007bbfb7) or a path to an ARC task .json file")


def run(args: argparse.Namespace) -> int:
    if getattr(args, "action", None) == "show":
        print(format_task(load_task(args.task)))
        return 0
    if getattr(args, "split", None):
        from her_arc.arc.data import describe_split, format_rows

        print(format_rows(describe_split(args.split)))
        return 0
    print(format_listing())
    return 0


def format_listing() -> str:
    rows = [("name", "shape", "train", "test")]
    for name in bundled_task_names():
        task = load_task(name)
        rows.append((name, _shape(task.train[0].output), str(len(task.train)), str(len(task.test))))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return "\n".join(
        "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip() for row in rows
    )


def _shape(grid: np.ndarray) -> str:
    return f"{grid.shape[0]}x{grid.shape[1]}"


def _rows(grid: np.ndarray) -> list[str]:
    return ["".join(str(int(v)) for v in row) for row in grid]


def _side_by_side(left: list[str], right: list[str], gap: str = "    ") -> list[str]:
    width = max(len(line) for line in left)
    height = max(len(left), len(right))
    left = left + [""] * (height - len(left))
    right = right + [""] * (height - len(right))
    return [(a.ljust(width) + gap + b).rstrip() for a, b in zip(left, right, strict=True)]


def format_task(task: Task) -> str:
    """The task's grids as digit rows, each input beside its output."""
    lines = [f"{task.name}: {len(task.train)} train pair(s), {len(task.test)} test input(s)"]
    for i, (grid_in, grid_out) in enumerate(task.train):
        lines.append("")
        left = [f"train[{i}].input {_shape(grid_in)}", *_rows(grid_in)]
        right = [f"output {_shape(grid_out)}", *_rows(grid_out)]
        lines += _side_by_side(left, right)
    outputs = task.test_outputs or [None] * len(task.test)
    for i, (grid_in, grid_out) in enumerate(zip(task.test, outputs, strict=True)):
        lines.append("")
        left = [f"test[{i}].input {_shape(grid_in)}", *_rows(grid_in)]
        right = [f"output {_shape(grid_out)}", *_rows(grid_out)] if grid_out is not None else []
        lines += _side_by_side(left, right)
    return "\n".join(lines)
