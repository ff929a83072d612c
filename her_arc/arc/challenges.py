"""ARC Prize challenges files (``{task_id: task, ...}``) and the solutions files that give their test outputs."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from her_arc.tasks import Task, _describe, _fail, _parse_json, _read, task_from_dict, validate_grid


def load_challenges(path: str | os.PathLike, solutions: str | os.PathLike | None = None) -> dict[str, Task]:
    """Load a multi-task challenges file (``{task_id: task, ...}``, the ARC Prize format).

    With ``solutions`` (a file mapping each task id to its list of test output grids), each task's
    ``test_outputs`` is filled in. Returns the tasks by id, in file order, each named by its id.
    """
    path = Path(path)
    data = _parse_json(_read(path), str(path))
    if not isinstance(data, Mapping):
        raise _fail(
            str(path),
            "top level",
            f"expected a JSON object of tasks by id, got {_describe(data)}",
            'A challenges file is {"task_id": {"train": [...], "test": [...]}, ...}',
        )
    tasks = {
        str(task_id): task_from_dict(item, name=str(task_id), source=f"{path}: task {task_id!r}")
        for task_id, item in data.items()
    }
    if solutions is not None:
        _attach_solutions(tasks, Path(solutions))
    return tasks


def _attach_solutions(tasks: dict[str, Task], path: Path) -> None:
    data = _parse_json(_read(path), str(path))
    if not isinstance(data, Mapping):
        raise _fail(
            str(path),
            "top level",
            f"expected a JSON object of output lists by task id, got {_describe(data)}",
            'A solutions file is {"task_id": [grid, ...], ...}',
        )
    for task_id, task in tasks.items():
        if task_id not in data:
            raise _fail(
                str(path),
                f"task {task_id!r}",
                "missing from the solutions file",
                "Pass the solutions file that belongs to this challenges file",
            )
        grids = data[task_id]
        if not isinstance(grids, list) or len(grids) != len(task.test):
            raise _fail(
                str(path),
                f"task {task_id!r}",
                f"expected a list of {len(task.test)} test output grid(s), got {_describe(grids)}",
                "Give one output grid per test input",
            )
        task.test_outputs = [
            validate_grid(g, str(path), f"task {task_id!r} test[{i}].output") for i, g in enumerate(grids)
        ]
