"""Which tasks a ``her-arc solve`` run covers: ARC splits, SPLIT/ID references, task files, directories of them."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from her_arc.tasks import Task, TaskFormatError, bundled_task_names, load_task


@dataclass(frozen=True)
class TaskRef:
    """One task of the run."""

    name: str
    """unique and file-system safe: the result's file name (``arc1-eval__00576224``, a file's stem)"""
    source: str
    """what :func:`her_arc.tasks.load_task` reads: ``arc1-eval/00576224``, a path, a bundled task name"""

    arc_id: str
    """its key in the ARC Prize submission: the task id of an ARC task, else the name"""


def resolve_tasks(specs: Sequence[str], *, ids: Sequence[str] | None = None, limit: int | None = None,
                  sample_seed: int = 0) -> list[TaskRef]:
    """The tasks that ``specs`` name, in order: a split (``arc1-eval``: all of its tasks, or those in ``ids``),
    ``SPLIT/ID``, a task ``.json`` file, a directory (its ``*.json`` files) or a bundled task name; ``limit`` keeps
    a random sample of that many, fixed by ``sample_seed``. Raises :class:`TaskFormatError` naming what is wrong."""
    from her_arc.arc.data import SPLITS, is_arc_ref, task_ids

    if not specs:
        raise TaskFormatError("no tasks given: name an ARC split (arc1-eval), SPLIT/ID, task files or a directory")
    if ids is not None and not (len(specs) == 1 and specs[0] in SPLITS):
        raise TaskFormatError("--ids picks tasks of one split: give exactly one split, e.g. `arc1-eval --ids FILE`")
    refs: list[TaskRef] = []
    for spec in specs:
        path = Path(spec)
        if spec in SPLITS:
            known = task_ids(spec)
            chosen = known if ids is None else list(ids)
            missing = [i for i in chosen if i not in set(known)]
            if missing:
                raise TaskFormatError(f"no task {missing[0]!r} in {spec} ({len(known)} tasks): list them with "
                                      f"`her-arc tasks --split {spec}`")
            refs += [TaskRef(f"{spec}__{i}", f"{spec}/{i}", i) for i in chosen]
        elif is_arc_ref(spec):
            refs.append(TaskRef(spec.replace("/", "__"), spec, spec.partition("/")[2]))
        elif path.is_dir():
            files = sorted(path.glob("*.json"))
            if not files:
                raise TaskFormatError(f"{spec}: a directory without task files (*.json)")
            refs += [TaskRef(_safe(f.stem), str(f), f.stem) for f in files]
        elif path.is_file():
            refs.append(TaskRef(_safe(path.stem), spec, path.stem))
        elif spec in bundled_task_names():
            refs.append(TaskRef(_safe(spec), spec, spec))
        else:
            raise TaskFormatError(f"{spec!r} is no ARC split, SPLIT/ID, task file, directory or bundled task: "
                                  f"splits are {', '.join(SPLITS)}; `her-arc tasks` lists the bundled tasks")
    seen: dict[str, str] = {}
    for ref in refs:
        if ref.name in seen:
            raise TaskFormatError(f"two tasks would share the name {ref.name!r} ({seen[ref.name]} and {ref.source}): "
                                  "give each task once, and files with distinct names")
        seen[ref.name] = ref.source
    if limit is not None and limit < len(refs):
        keep = set(np.random.default_rng(sample_seed).permutation(len(refs))[:limit].tolist())
        refs = [r for i, r in enumerate(refs) if i in keep]
    return refs


def load_all(refs: Sequence[TaskRef]) -> dict[str, Task]:
    """Every task by name, read (and validated) before any search starts, so a bad file stops the run at once."""
    return {ref.name: load_task(ref.source) for ref in refs}


def read_ids(path: str) -> list[str]:
    """Task ids from a file, one per line (blank lines and ``#`` comments skipped)."""
    try:
        lines = Path(path).read_text().splitlines()
    except OSError as exc:
        raise TaskFormatError(f"cannot read the ids file {path}: {exc.strerror}") from None
    ids = [line.split("#")[0].strip() for line in lines]
    ids = [i for i in ids if i]
    if not ids:
        raise TaskFormatError(f"{path}: no task ids (one per line)")
    return ids


def _safe(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "_", text) or "task"


__all__ = ["TaskRef", "load_all", "read_ids", "resolve_tasks"]
