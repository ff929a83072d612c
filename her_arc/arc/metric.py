"""The ARC Prize metric, submission files, and the guard that keeps test outputs away from a search.

The rule, exactly as ARC Prize scores:

- each test input gets up to :data:`MAX_ATTEMPTS` (2) attempts; a test input is right when some attempt equals
  the true output exactly (same shape and every cell); a third attempt never counts;
- a task's score is the share of its test inputs that are right (a task with 2 test inputs can score 0.5);
- a split's score is the mean of the task scores; a task missing from the submission scores 0 (and is reported).

Submission file (ARC Prize format): ``{task_id: [{"attempt_1": grid, "attempt_2": grid}, ...]}``, one entry per
test input in order. In memory, a task's attempts are ``list[list[grid]]``: per test input, its attempts in order.

>>> score_task([[wrong, right]], [right])            # one test input, right on the 2nd attempt
1.0
>>> score_task([[right], [wrong]], [right, other])    # two test inputs, one right
0.5
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np

from her_arc.files import write_text_atomic
from her_arc.tasks import Pair, Task, TaskFormatError, validate_grid

__all__ = [
    "ATTEMPT_KEYS",
    "MAX_ATTEMPTS",
    "PLACEHOLDER_GRID",
    "Attempts",
    "Candidate",
    "SubmissionError",
    "SubmissionScore",
    "grids_equal",
    "hide_test_outputs",
    "pick_attempts",
    "read_submission",
    "score_submission",
    "score_task",
    "solutions_of",
    "write_submission",
]

MAX_ATTEMPTS = 2
"""Attempts per test input that count (ARC Prize 2024-2025)."""
ATTEMPT_KEYS = ("attempt_1", "attempt_2")
"""The keys of one test input's entry in a submission file."""
PLACEHOLDER_GRID = [[0]]
"""What :func:`write_submission` writes for a test input without any attempt (it never matches a real output
of more than one cell; ARC Prize needs an entry per test input all the same)."""

Grid = Any
"""A grid: a 2-D integer numpy array or a list of rows of integers 0-9."""
Attempts = list[Grid]
"""One test input's attempts, best first; only the first :data:`MAX_ATTEMPTS` count."""


class SubmissionError(ValueError):
    """A submission (in memory or in a file) that does not fit the ARC Prize format or the tasks it answers."""


def _grid(value: Any, source: str, where: str) -> np.ndarray:
    try:
        return validate_grid(value, source, where)
    except TaskFormatError as exc:
        raise SubmissionError(str(exc)) from None


def grids_equal(a: np.ndarray, b: np.ndarray) -> bool:
    """Exact match: same shape and every cell equal."""
    return a.shape == b.shape and bool(np.array_equal(a, b))


# --- scoring ---------------------------------------------------------------------------------------


def _task_attempts(attempts: Any, n_tests: int, source: str) -> list[list[np.ndarray]]:
    """Check one task's attempts (lists of grids, or ARC Prize entries) and return them as int8 grids."""
    if isinstance(attempts, str | bytes | Mapping) or not isinstance(attempts, Sequence):
        raise SubmissionError(
            f"{source}: expected a list with one entry per test input, got {type(attempts).__name__}. "
            'Give [[attempt_1, attempt_2], ...] or [{"attempt_1": grid, "attempt_2": grid}, ...]'
        )
    if len(attempts) != n_tests:
        raise SubmissionError(
            f"{source}: {len(attempts)} test entr{'y' if len(attempts) == 1 else 'ies'} for {n_tests} test "
            f"input(s). Give one entry per test input, in the task's order"
        )
    return [_entry_attempts(entry, source, f"test[{i}]") for i, entry in enumerate(attempts)]


def _entry_attempts(entry: Any, source: str, where: str) -> list[np.ndarray]:
    if isinstance(entry, Mapping):
        unknown = [k for k in entry if k not in ATTEMPT_KEYS]
        if unknown:
            raise SubmissionError(
                f"{source}: {where}: unknown key(s) {', '.join(map(repr, unknown))}. "
                f"An entry holds {' and '.join(ATTEMPT_KEYS)} only (a third attempt never counts)"
            )
        if "attempt_1" not in entry:
            raise SubmissionError(f"{source}: {where}: missing 'attempt_1'. Write {{\"attempt_1\": grid, ...}}")
        return [_grid(entry[k], source, f"{where}.{k}") for k in ATTEMPT_KEYS if k in entry]
    if isinstance(entry, np.ndarray) or not isinstance(entry, Sequence) or isinstance(entry, str | bytes):
        raise SubmissionError(
            f"{source}: {where}: expected a list of attempt grids, got {type(entry).__name__}. "
            "Wrap a single grid in a list: [grid]"
        )
    return [_grid(g, source, f"{where}.attempt_{j + 1}") for j, g in enumerate(entry)]


def score_task(attempts: Sequence[Attempts], solutions: Sequence[Grid]) -> float:
    """The task's score: the share of its test inputs that some attempt (of the first 2) answers exactly.

    ``attempts[i]`` lists the attempts for test input ``i`` (grids, best first; extra attempts are ignored, an
    empty list is wrong), or is an ARC Prize entry ``{"attempt_1": grid, "attempt_2": grid}``.
    Raises :class:`SubmissionError` for a wrong number of entries or a malformed grid.
    """
    truths = [_grid(g, "solutions", f"test[{i}]") for i, g in enumerate(solutions)]
    if not truths:
        raise SubmissionError("solutions: no test outputs. A task needs at least one test output to be scored")
    tries = _task_attempts(attempts, len(truths), "attempts")
    return _score(tries, truths)


def _score(tries: list[list[np.ndarray]], truths: list[np.ndarray]) -> float:
    pairs = zip(tries, truths, strict=True)
    right = sum(any(grids_equal(a, truth) for a in options[:MAX_ATTEMPTS]) for options, truth in pairs)
    return right / len(truths)


@dataclass
class SubmissionScore:
    """A submission scored against a set of tasks' solutions."""

    task_scores: dict[str, float]
    """every solution task's score 0-1 by id, in the solutions' order (0 for a missing task)"""
    missing: list[str] = field(default_factory=list)
    """ids with solutions but no entry in the submission (each scored 0)"""
    extra: list[str] = field(default_factory=list)
    """ids in the submission without solutions (not scored)"""

    @property
    def score(self) -> float:
        """The mean task score: the ARC Prize score of the split."""
        return sum(self.task_scores.values()) / len(self.task_scores)

    @property
    def n_tasks(self) -> int:
        """How many tasks were scored (the solutions' tasks)."""
        return len(self.task_scores)

    @property
    def fully_solved(self) -> list[str]:
        """Ids of the tasks whose every test input is right."""
        return [task_id for task_id, s in self.task_scores.items() if s == 1.0]

    def summary(self) -> str:
        """One line: score, points of the total, solved tasks, missing and extra ids."""
        points = sum(self.task_scores.values())
        line = (
            f"score {100 * self.score:.2f} % ({points:g} of {self.n_tasks} tasks; "
            f"{len(self.fully_solved)} fully solved)"
        )
        if self.missing:
            line += f"; {len(self.missing)} missing from the submission, scored 0"
        if self.extra:
            line += f"; {len(self.extra)} without solutions, not scored"
        return line


def score_submission(submission: Mapping[str, Any], solutions: Mapping[str, Sequence[Grid]]) -> SubmissionScore:
    """Score ``submission`` (``{task_id: attempts}``, see :func:`score_task`) against ``{task_id: [output, ...]}``.

    A task in ``solutions`` but not in ``submission`` scores 0 and is listed in ``missing``; ids only in the
    submission are listed in ``extra``. A task entry with the wrong number of test entries, or a malformed grid,
    raises :class:`SubmissionError` naming the task.
    """
    if not isinstance(submission, Mapping):
        raise SubmissionError(f"submission: expected a dict of task id -> attempts, got {type(submission).__name__}")
    if not isinstance(solutions, Mapping) or not solutions:
        raise SubmissionError(
            "solutions: expected a non-empty dict of task id -> test outputs (build one with solutions_of(tasks))"
        )
    scores: dict[str, float] = {}
    missing = []
    for task_id, outputs in solutions.items():
        if isinstance(outputs, str | bytes | Mapping) or not isinstance(outputs, Sequence) or not outputs:
            raise SubmissionError(f"solutions: task {task_id!r}: expected a non-empty list of test output grids")
        truths = [_grid(g, "solutions", f"task {task_id!r} test[{i}]") for i, g in enumerate(outputs)]
        if task_id not in submission:
            missing.append(task_id)
            scores[task_id] = 0.0
            continue
        tries = _task_attempts(submission[task_id], len(truths), f"submission: task {task_id!r}")
        scores[task_id] = _score(tries, truths)
    extra = [task_id for task_id in submission if task_id not in solutions]
    return SubmissionScore(task_scores=scores, missing=missing, extra=extra)


def solutions_of(tasks: Mapping[str, Task]) -> dict[str, list[np.ndarray]]:
    """``{task_id: test outputs}`` for :func:`score_submission`, from tasks by id (e.g. ``load_split(...)``)."""
    solutions = {}
    for task_id, task in tasks.items():
        if task.test_outputs is None or not task.test:
            raise SubmissionError(
                f"task {task_id!r} ({task.name}) has no test outputs to score against. "
                "Pass tasks loaded with their outputs (load_split), not copies from hide_test_outputs"
            )
        solutions[task_id] = [np.asarray(g) for g in task.test_outputs]
    return solutions


# --- files -----------------------------------------------------------------------------------------


def write_submission(path: str | os.PathLike, attempts: Mapping[str, Sequence[Attempts]]) -> Path:
    """Write ``{task_id: [[attempt_1, attempt_2], ...]}`` as an ARC Prize submission file, atomically.

    Each test input's entry is ``{"attempt_1": grid, "attempt_2": grid}``, in order. With one attempt,
    ``attempt_2`` repeats ``attempt_1`` (a valid grid that scores exactly like the single attempt, rather
    than an invented one); with none, both are :data:`PLACEHOLDER_GRID` ``[[0]]``. More than 2 attempts raise
    :class:`SubmissionError` (the format holds two; pick them with :func:`pick_attempts`).
    """
    if not isinstance(attempts, Mapping):
        raise SubmissionError(f"submission: expected a dict of task id -> attempts, got {type(attempts).__name__}")
    data = {}
    for task_id, entries in attempts.items():
        if not isinstance(task_id, str):
            raise SubmissionError(f"submission: task id {task_id!r} is not a string. Use the ARC task id")
        source = f"submission: task {task_id!r}"
        if isinstance(entries, Sequence) and not isinstance(entries, str | bytes) and not entries:
            raise SubmissionError(f"{source}: no test entries. Give one entry per test input (an empty list: none)")
        tries = _task_attempts(entries, len(entries) if isinstance(entries, Sequence) else -1, source)
        rows = []
        for i, options in enumerate(tries):
            if len(options) > MAX_ATTEMPTS:
                raise SubmissionError(
                    f"{source}: test[{i}]: {len(options)} attempts, more than {MAX_ATTEMPTS}. "
                    "Keep the best two (pick_attempts)"
                )
            grids = [g.tolist() for g in options] or [PLACEHOLDER_GRID, PLACEHOLDER_GRID]
            rows.append({"attempt_1": grids[0], "attempt_2": grids[-1] if len(grids) == 1 else grids[1]})
        data[task_id] = rows
    return write_text_atomic(Path(path), json.dumps(data, separators=(",", ":")) + "\n")


def read_submission(path: str | os.PathLike) -> dict[str, list[list[np.ndarray]]]:
    """Read and check an ARC Prize submission file; ``{task_id: [[attempt_1, attempt_2], ...]}`` as int8 grids.

    Each entry needs ``attempt_1``; ``attempt_2`` may be absent; other keys are errors. Raises
    :class:`SubmissionError` naming the file, task and place for anything malformed.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise SubmissionError(f"{path}: no such file. Pass the path of a submission .json file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise SubmissionError(f"{path}: cannot read the file ({exc})") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise SubmissionError(
            f"{path}: not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg}). Check the file is complete"
        ) from None
    if not isinstance(data, dict):
        raise SubmissionError(
            f"{path}: expected a JSON object of task id -> entries, got {type(data).__name__}. "
            'A submission is {"task_id": [{"attempt_1": grid, "attempt_2": grid}, ...], ...}'
        )
    result = {}
    for task_id, entries in data.items():
        source = f"{path}: task {task_id!r}"
        if not isinstance(entries, list) or not entries:
            raise SubmissionError(f"{source}: expected a non-empty list of entries, one per test input")
        result[task_id] = [
            _entry_attempts(_require_mapping(entry, source, f"test[{i}]"), source, f"test[{i}]")
            for i, entry in enumerate(entries)
        ]
    return result


def _require_mapping(entry: Any, source: str, where: str) -> Mapping:
    if not isinstance(entry, dict):
        raise SubmissionError(
            f'{source}: {where}: expected {{"attempt_1": grid, "attempt_2": grid}}, got {type(entry).__name__}'
        )
    return entry


# --- what the search may see, and which attempts it submits --------------------------------------------


def hide_test_outputs(task: Task) -> Task:
    """A copy of ``task`` with ``test_outputs=None`` and its own copies of the grids: what a search may see."""
    return Task(
        train=[Pair(np.array(a, copy=True), np.array(b, copy=True)) for a, b in task.train],
        test=[np.array(g, copy=True) for g in task.test],
        test_outputs=None,
        name=task.name,
    )


class Candidate(NamedTuple):
    """One program's answer for one test input, with what ranks it."""

    output: Grid | None
    """the grid the program produced for the test input (None: it failed there, never picked)"""
    train_pairs_right: int
    """how many train pairs the program reproduces exactly"""
    program_length: int
    """the program's length (characters or tokens: any measure, the same for every candidate)"""


def pick_attempts(candidates: Sequence[Candidate | tuple], k: int = MAX_ATTEMPTS) -> list[np.ndarray]:
    """The top ``k`` distinct grids among one test input's candidates ``(output, train_pairs_right, length)``.

    Rule: sort by train pairs right (most first), then program length (shortest first), then the order given
    (first seen first); walk that order and keep each grid not already kept (exact match), until ``k``.
    A grid many programs produce thus ranks by its best program. Candidates whose output is None are skipped.
    """
    if not isinstance(k, int) or k < 1:
        raise ValueError(f"k must be a positive int, got {k!r}")
    ranked = []
    for index, candidate in enumerate(candidates):
        if len(candidate) != 3:
            raise ValueError(
                f"candidate {index}: expected (output grid, train_pairs_right, program_length), got {len(candidate)} "
                "value(s)"
            )
        output, right, length = candidate
        if output is None:
            continue
        grid = _grid(output, "candidates", f"candidate {index}")
        ranked.append((-int(right), int(length), index, grid))
    ranked.sort(key=lambda item: item[:3])
    picked: list[np.ndarray] = []
    for *_, grid in ranked:
        if not any(grids_equal(grid, kept) for kept in picked):
            picked.append(grid)
            if len(picked) == k:
                break
    return picked
