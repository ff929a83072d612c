"""Tasks: loading, validating and saving ARC-format JSON (numpy only; never imports torch).

A task file holds ``{"train": [{"input": grid, "output": grid}, ...], "test": [{"input": grid}, ...]}``
where a grid is a list of rows of integers 0-9 with 1-30 rows and 1-30 columns, all rows equally
long. Test entries may carry an ``"output"`` too (evaluation files do). A challenges file (the
ARC Prize format) maps task ids to such tasks; its solutions file maps the same ids to the list of
test outputs.

Anything malformed raises :class:`TaskFormatError`, whose message names the file, the place in it
(``train[1].output``, row and column where it helps), the problem and what to do about it.

>>> task = load_task("squares-12")          # a bundled task by name
>>> task.train[0].output.shape
(6, 8)
"""

from __future__ import annotations

import json
import numbers
import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from importlib import resources
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np

from her_arc.files import write_text_atomic

MAX_SIDE = 30
N_COLORS = 10
GRID_DTYPE = np.int8

__all__ = [
    "Pair",
    "Task",
    "TaskFormatError",
    "bundled_task_names",
    "load_challenges",
    "load_task",
    "save_task",
    "task_from_dict",
    "task_to_dict",
    "validate_grid",
]


class TaskFormatError(ValueError):
    """A task file or task dict that is not valid ARC format, or a task that cannot be found."""


class Pair(NamedTuple):
    """One demonstration: an input grid and the output grid it must become."""

    input: np.ndarray
    output: np.ndarray


@dataclass
class Task:
    """An ARC task: train pairs to learn from, optional test inputs (and their outputs, if known).

    Grids are 2-D ``numpy.int8`` arrays with values 0-9 and sides 1-30. Build one from JSON-like data
    with :func:`task_from_dict` (which validates) or directly from arrays (call :meth:`validate`).
    """

    train: list[Pair]
    """the demonstration pairs; a search must reproduce every output from its input"""
    test: list[np.ndarray] = field(default_factory=list)
    """test inputs, if any (the toy drawing tasks have none)"""
    test_outputs: list[np.ndarray] | None = None
    """the test outputs when known (evaluation data), else None; same length as ``test``"""
    name: str = "task"
    """a short name for logs and file names (a bundled task's name, a file stem or a challenge id)"""

    def __post_init__(self) -> None:
        self.train = [p if isinstance(p, Pair) else Pair(*p) for p in self.train]

    @property
    def inputs(self) -> list[np.ndarray]:
        """The train inputs, in order."""
        return [p.input for p in self.train]

    @property
    def outputs(self) -> list[np.ndarray]:
        """The train outputs, in order."""
        return [p.output for p in self.train]

    def validate(self, source: str | None = None) -> Task:
        """Check every grid and store it as int8; return ``self`` or raise :class:`TaskFormatError`."""
        source = source or f"task {self.name!r}"
        if not self.train:
            raise TaskFormatError(
                f"{source}: train: no train pairs. A task needs at least one input/output pair."
            )
        self.train = [
            Pair(
                validate_grid(a, source, f"train[{i}].input"), validate_grid(b, source, f"train[{i}].output")
            )
            for i, (a, b) in enumerate(self.train)
        ]
        self.test = [validate_grid(g, source, f"test[{i}].input") for i, g in enumerate(self.test)]
        if self.test_outputs is not None:
            if len(self.test_outputs) != len(self.test):
                raise TaskFormatError(
                    f"{source}: test: {len(self.test_outputs)} test outputs for "
                    f"{len(self.test)} test inputs. Give one output per test input, or none."
                )
            self.test_outputs = [
                validate_grid(g, source, f"test[{i}].output") for i, g in enumerate(self.test_outputs)
            ]
        return self

    def to_dict(self) -> dict:
        """The task as ARC-format JSON data (lists of lists of ints)."""
        return task_to_dict(self)


# --- grids -----------------------------------------------------------------------------------------


def _fail(source: str, where: str, problem: str, fix: str) -> TaskFormatError:
    return TaskFormatError(f"{source}: {where}: {problem}. {fix}.")


def validate_grid(grid: Any, source: str = "<grid>", where: str = "grid") -> np.ndarray:
    """Return ``grid`` as a 2-D int8 array after checking it, or raise :class:`TaskFormatError`.

    Accepts a list of rows of ints (JSON data) or a 2-D integer numpy array. ``source`` names the file
    and ``where`` the place in it (e.g. ``"train[1].output"``); both appear in the error message.
    """
    if isinstance(grid, np.ndarray):
        return _validate_array(grid, source, where)
    if not isinstance(grid, list | tuple):
        raise _fail(
            source,
            where,
            f"expected a grid (a list of rows), got {_describe(grid)}",
            "A grid is a list of rows, each a list of integers 0-9",
        )
    if not grid:
        raise _fail(source, where, "empty grid (no rows)", "A grid needs 1-30 rows of 1-30 cells")
    if len(grid) > MAX_SIDE:
        raise _fail(
            source,
            where,
            f"grid has {len(grid)} rows, more than {MAX_SIDE}",
            f"Grid sides must be 1-{MAX_SIDE}; crop or split the grid",
        )
    width = None
    for r, row in enumerate(grid):
        if not isinstance(row, list | tuple):
            raise _fail(
                source,
                where,
                f"row {r} is {_describe(row)}, not a list",
                "A grid is a list of rows, each a list of integers 0-9",
            )
        if width is None:
            width = len(row)
            if width == 0:
                raise _fail(
                    source, where, "empty grid (row 0 has no cells)", "A grid needs 1-30 rows of 1-30 cells"
                )
            if width > MAX_SIDE:
                raise _fail(
                    source,
                    where,
                    f"grid has {width} columns, more than {MAX_SIDE}",
                    f"Grid sides must be 1-{MAX_SIDE}; crop or split the grid",
                )
        elif len(row) != width:
            raise _fail(
                source,
                where,
                f"ragged rows: row {r} has {len(row)} cell(s) but row 0 has {width}",
                "Every row of a grid must have the same length",
            )
        for c, value in enumerate(row):
            if isinstance(value, bool) or not isinstance(value, numbers.Integral):
                raise _fail(
                    source,
                    where,
                    f"row {r}, col {c} holds {_describe(value)}, not an integer",
                    'Cells are integers 0-9 (write 3, not 3.0 or "3")',
                )
            if not 0 <= value < N_COLORS:
                raise _fail(
                    source,
                    where,
                    f"value {value} at row {r}, col {c} is outside 0-9",
                    "ARC grids hold the colours 0-9 only",
                )
    return np.array(grid, dtype=GRID_DTYPE)


def _validate_array(grid: np.ndarray, source: str, where: str) -> np.ndarray:
    if grid.ndim != 2:
        raise _fail(
            source,
            where,
            f"expected a 2-D grid, got an array with {grid.ndim} dimension(s)",
            "A grid is a 2-D array of integers 0-9",
        )
    if grid.dtype.kind not in "iu":
        raise _fail(
            source,
            where,
            f"grid has dtype {grid.dtype}, not an integer type",
            "Use an integer array (e.g. numpy.int8) with values 0-9",
        )
    rows, cols = grid.shape
    if rows == 0 or cols == 0:
        raise _fail(source, where, f"empty grid ({rows}x{cols})", "A grid needs 1-30 rows of 1-30 cells")
    if rows > MAX_SIDE or cols > MAX_SIDE:
        raise _fail(
            source,
            where,
            f"grid is {rows}x{cols}, larger than {MAX_SIDE}x{MAX_SIDE}",
            f"Grid sides must be 1-{MAX_SIDE}; crop or split the grid",
        )
    bad = np.argwhere((grid < 0) | (grid >= N_COLORS))
    if len(bad):
        r, c = (int(v) for v in bad[0])
        raise _fail(
            source,
            where,
            f"value {int(grid[r, c])} at row {r}, col {c} is outside 0-9",
            "ARC grids hold the colours 0-9 only",
        )
    return grid.astype(GRID_DTYPE, copy=True)


def _describe(value: Any) -> str:
    text = repr(value)
    if len(text) > 40:
        text = text[:37] + "..."
    return f"{type(value).__name__} {text}"


# --- dict <-> Task ----------------------------------------------------------------------------------


def _entries(data: Mapping, key: str, source: str, prefix: str, required: bool) -> list:
    if key not in data:
        if required:
            raise _fail(
                source,
                prefix.rstrip(".") or "top level",
                f"missing key {key!r}",
                'A task is {"train": [{"input": grid, "output": grid}, ...], "test": [...]}',
            )
        return []
    items = data[key]
    if not isinstance(items, list):
        raise _fail(
            source,
            f"{prefix}{key}",
            f"expected a list of pairs, got {_describe(items)}",
            f'Write "{key}": [{{"input": grid, "output": grid}}, ...]',
        )
    return items


def _pair(item: Any, source: str, where: str, need_output: bool) -> tuple[np.ndarray, np.ndarray | None]:
    if not isinstance(item, Mapping):
        raise _fail(
            source,
            where,
            f'expected an object with "input" and "output", got {_describe(item)}',
            'Each pair is {"input": grid, "output": grid}',
        )
    for key in ("input", "output") if need_output else ("input",):
        if key not in item:
            raise _fail(source, where, f"missing key {key!r}", 'Each pair is {"input": grid, "output": grid}')
    grid_in = validate_grid(item["input"], source, f"{where}.input")
    grid_out = validate_grid(item["output"], source, f"{where}.output") if "output" in item else None
    return grid_in, grid_out


def task_from_dict(data: Any, name: str = "task", source: str | None = None) -> Task:
    """Validate ARC-format JSON data and return a :class:`Task`; raises :class:`TaskFormatError`.

    ``source`` names where the data came from (a file path) in error messages; ``name`` is the
    task's name.
    """
    source = source or f"task {name!r}"
    if not isinstance(data, Mapping):
        raise _fail(
            source,
            "top level",
            f"expected a JSON object, got {_describe(data)}",
            'A task is {"train": [{"input": grid, "output": grid}, ...], "test": [...]}',
        )
    train_items = _entries(data, "train", source, "", required=True)
    if not train_items:
        raise _fail(source, "train", "no train pairs", "A task needs at least one input/output pair")
    train = []
    for i, item in enumerate(train_items):
        grid_in, grid_out = _pair(item, source, f"train[{i}]", need_output=True)
        train.append(Pair(grid_in, grid_out))
    test, test_outputs = [], []
    for i, item in enumerate(_entries(data, "test", source, "", required=False)):
        grid_in, grid_out = _pair(item, source, f"test[{i}]", need_output=False)
        test.append(grid_in)
        test_outputs.append(grid_out)
    known = [g is not None for g in test_outputs]
    if any(known) and not all(known):
        missing = known.index(False)
        raise _fail(
            source,
            f"test[{missing}]",
            "missing key 'output' while other test entries have one",
            "Give every test entry an output, or none",
        )
    return Task(train=train, test=test, test_outputs=test_outputs if test and all(known) else None, name=name)


def task_to_dict(task: Task) -> dict:
    """ARC-format JSON data for ``task``."""
    test_outputs = task.test_outputs or [None] * len(task.test)
    test = []
    for grid, out in zip(task.test, test_outputs, strict=True):
        entry = {"input": np.asarray(grid).tolist()}
        if out is not None:
            entry["output"] = np.asarray(out).tolist()
        test.append(entry)
    train = [{"input": np.asarray(a).tolist(), "output": np.asarray(b).tolist()} for a, b in task.train]
    return {"train": train, "test": test}


# --- bundled tasks ----------------------------------------------------------------------------------

_BUNDLED_PACKAGE = "her_arc.bundled_tasks"


def _bundled_dir():
    """The directory of bundled task files: the installed package, else the checkout's ``tasks/``."""
    try:
        return resources.files(_BUNDLED_PACKAGE)
    except ModuleNotFoundError:
        # Running from a source checkout: ``her_arc.bundled_tasks`` only exists once installed
        # (pyproject maps it to the top-level tasks/ directory).
        return Path(__file__).resolve().parent.parent / "tasks"


def solutions_dir() -> Path:
    """The hand-written ARC-AGI-1 training solutions (``<id>.py``), installed or in the checkout."""
    return Path(str(_bundled_dir())) / "arc" / "solutions"


def bundled_task_names() -> list[str]:
    """Names of the tasks that ship with the package (e.g. ``"squares-25"``), sorted naturally."""
    names = [p.name[: -len(".json")] for p in _bundled_dir().iterdir() if p.name.endswith(".json")]
    return sorted(names, key=_natural_key)


def _natural_key(name: str) -> tuple:
    stem, _, number = name.rpartition("-")
    return (stem, int(number)) if number.isdigit() else (name, -1)


# --- loading and saving -----------------------------------------------------------------------------


def _parse_json(text: str, source: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise TaskFormatError(
            f"{source}: not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg}). "
            "Check the file is complete ARC JSON, e.g. with `python -m json.tool FILE`."
        ) from None


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise TaskFormatError(f"{path}: no such file.") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise TaskFormatError(f"{path}: cannot read the file ({exc}).") from None


def load_task(source: str | os.PathLike | Mapping | Task, name: str | None = None) -> Task:
    """Load a task from a file path, a bundled task name, ARC-format dict data, or a :class:`Task`.

    - a path to a ``.json`` file with one task (``{"train": [...], "test": [...]}``);
    - a bundled task name such as ``"squares-25"`` (see :func:`bundled_task_names`);
    - an ARC-AGI task ``"<split>/<id>"`` such as ``"arc1-train/007bbfb7"`` (see :mod:`her_arc.arc.data`);
    - a dict with the same structure as a file;
    - a :class:`Task`, which is validated and returned as is.

    ``name`` overrides the task's name (default: the bundled name or the file stem).
    Raises :class:`TaskFormatError` for malformed data and for files or names that do not exist.
    """
    if isinstance(source, Task):
        return (replace(source, name=name) if name is not None else source).validate()
    if isinstance(source, Mapping):
        return task_from_dict(source, name=name or "task", source=f"task {name!r}" if name else "<task dict>")
    if not isinstance(source, str | os.PathLike):
        raise TaskFormatError(
            f"cannot load a task from {_describe(source)}. "
            "Pass a file path, a bundled task name, a dict or a Task."
        )
    path = Path(source)
    if path.is_file():
        return task_from_dict(_parse_json(_read(path), str(path)), name=name or path.stem, source=str(path))
    text = os.fspath(source)
    if isinstance(source, str) and "/" in text:
        from her_arc.arc import data as arc_data  # lazy: only "<split>/<id>" references need the ARC data

        if arc_data.is_arc_ref(text):
            task = arc_data.load_arc_ref(text)
            return replace(task, name=name) if name is not None else task
    bundled = text[: -len(".json")] if text.endswith(".json") else text
    if os.sep not in text and bundled in bundled_task_names():
        resource = _bundled_dir() / f"{bundled}.json"
        label = f"bundled task {bundled!r}"
        return task_from_dict(
            _parse_json(resource.read_text(encoding="utf-8"), label), name=name or bundled, source=label
        )
    if path.exists():
        raise TaskFormatError(f"{path}: not a file. Pass a task .json file or a bundled task name.")
    if os.sep in text or text.endswith(".json"):
        raise TaskFormatError(f"{path}: no such file. Pass the path of an ARC task .json file.")
    raise TaskFormatError(
        f"{text}: no such file or bundled task. Bundled tasks: {', '.join(bundled_task_names())}."
    )


def load_challenges(path: str | os.PathLike, solutions: str | os.PathLike | None = None) -> dict[str, Task]:
    """Load an ARC Prize challenges file (``{task_id: task}``), with its solutions file if given: see
    :func:`her_arc.arc.challenges.load_challenges`."""
    from her_arc.arc.challenges import load_challenges as load

    return load(path, solutions)


def _grid_text(grid: list[list[int]], indent: str) -> str:
    rows = [indent + "  [" + ", ".join(str(v) for v in row) + "]" for row in grid]
    return "[\n" + ",\n".join(rows) + "\n" + indent + "]"


def dumps_task(task: Task | Mapping) -> str:
    """ARC JSON text for ``task`` with one grid row per line (the layout of the bundled files)."""
    data = task_to_dict(task) if isinstance(task, Task) else task

    def entry(pair: Mapping) -> str:
        fields = [f'      "{k}": {_grid_text(pair[k], "      ")}' for k in ("input", "output") if k in pair]
        return "    {\n" + ",\n".join(fields) + "\n    }"

    parts = []
    for split in ("train", "test"):
        items = data.get(split, [])
        body = "[\n" + ",\n".join(entry(p) for p in items) + "\n  ]" if items else "[]"
        parts.append(f'  "{split}": {body}')
    return "{\n" + ",\n".join(parts) + "\n}\n"


def save_task(task: Task | Mapping, path: str | os.PathLike) -> Path:
    """Validate ``task`` and write it to ``path`` as ARC JSON, atomically (no half-written file)."""
    path = Path(path)
    task = load_task(task) if isinstance(task, Mapping) else task.validate()
    return write_text_atomic(path, dumps_task(task))


def iter_bundled_tasks() -> Iterator[Task]:
    """Every bundled task, loaded, in :func:`bundled_task_names` order."""
    for task_name in bundled_task_names():
        yield load_task(task_name)
