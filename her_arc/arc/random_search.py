"""The "random" baseline: programs drawn from the DSL's grammar (:func:`dsl.grammar.random_program`), no model.

``random_search(task, n_programs, seed)`` samples ``n_programs`` programs conditioned on the task's TRAIN inputs,
runs them all on the train inputs and the test inputs in one sandbox call, counts for each the train pairs it
gets exactly right, and answers every test input with up to 2 attempts (:func:`her_arc.arc.metric.pick_attempts`:
most train pairs right, then shortest program). The search only ever sees ``hide_test_outputs(task)``.

>>> result = random_search(load_arc_task("arc1-train", "68b16354"), 1000, seed=0)
>>> result.solved, result.best_programs[0]
(True, 'def task(img):\\n    out = copy(img)\\n    out = flip_ud(out)\\n    return out\\n')
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np

from dsl.grammar import random_program
from her_arc.arc.metric import Candidate, grids_equal, hide_test_outputs, pick_attempts
from her_arc.programs.fit import append_recolor, color_mapping
from her_arc.tasks import Task

__all__ = ["ARC_TIMEOUT_S", "RandomSearchResult", "random_search"]

ARC_TIMEOUT_S = 0.1
"""CPU seconds per input grid (the sandbox re-arms its timer for each of a task's train + test inputs) for ARC programs:
2x the slowest grid of any hand-written solution, 44 ms.

Measured by ``benchmarks/executor.py --arc`` (``benchmarks/results/executor_arc.md``, on the loaded 2-core machine) on
the 349 hand-written solutions in ``tasks/arc/solutions/``: per grid (pair) median 0.1 ms, p99 about 21 ms, max 44 ms in
the run recorded there (44-93 ms over 3 runs: on a heavily loaded machine the margin is thin); per task (all grids) max
0.21 s (7df24a62, a brute-force template match), which a per-grid limit no longer has to cover. Random grammar programs:
at most about 19 ms per grid. Every infinite loop costs the limit once (it loops on one grid; the rest are never run),
so the limit sets the throughput with loops: at 1 % loops 0.1 s adds 1 ms of CPU per program on average, about half a
random program's own 1.9 ms on all its grids. The sandbox's default (1 s, for the drawing programs) is left as it is."""


@dataclass
class RandomSearchResult:
    """What :func:`random_search` found for one task."""

    task_name: str
    solved: bool
    """some program is right on every train pair"""
    best_programs: list[str]
    """the programs with the most train pairs right, shortest first (at most 5)"""
    best_train_right: int
    """train pairs right of the best program (0 when none ran)"""
    n_train: int
    attempts: list[list[np.ndarray]]
    """per test input, up to 2 attempts (grids produced by programs only)"""
    n_programs: int
    seconds: float
    statuses: dict[str, int] = field(default_factory=dict)
    """how many programs ended with each sandbox status"""
    n_fitted: int = 0
    """programs run with a fitted colour mapping appended (``fit_colors``), beside the ``n_programs`` drawn"""


def random_search(task: Task, n_programs: int | None, seed: int, pool=None, *, timeout_s: float = ARC_TIMEOUT_S,
                  time_budget_s: float | None = None, batch: int = 1000,
                  fit_colors: bool = False) -> RandomSearchResult:  # fmt: skip
    """Sample ``n_programs`` grammar programs for ``task`` (seeded) and rank them on its train pairs.

    With ``time_budget_s``, programs are drawn and run ``batch`` at a time until that many seconds have passed
    (``n_programs`` then caps them; None: no cap): the baseline at equal time rather than at equal programs.
    ``pool``: an :class:`her_arc.sandbox.ExecutorPool` (None: a fresh one, closed afterwards). With ``fit_colors``, a
    program whose train outputs equal the targets up to one colour mapping is also run with that mapping appended
    (:mod:`her_arc.programs.fit`). Test outputs are never read: the search works on a copy without them.
    """
    if n_programs is None and time_budget_s is None:
        raise ValueError("random_search needs n_programs, time_budget_s or both")
    start = time.perf_counter()
    visible = hide_test_outputs(task)
    train_inputs = [p.input for p in visible.train]
    rng = np.random.default_rng(seed)
    inputs = train_inputs + list(visible.test)
    own_pool = pool is None
    if own_pool:
        from her_arc.sandbox import ExecutorPool

        pool = ExecutorPool(timeout_s=timeout_s)
    n_train = len(train_inputs)
    targets = [p.output for p in visible.train]
    kept = _Kept(targets, len(visible.test))
    n_fitted = 0
    statuses: dict[str, int] = {}
    cap = float("inf") if n_programs is None else int(n_programs)
    n_run = 0
    try:
        while n_run < cap:
            if time_budget_s is not None and time.perf_counter() - start >= time_budget_s:
                break
            k = int(min(cap - n_run, batch if time_budget_s is not None else cap))
            drawn = [random_program(rng, train_inputs) for _ in range(k)]
            fittable = []
            for source, result in zip(drawn, pool.execute(drawn, inputs, timeout_s=timeout_s), strict=True):
                statuses[result.status] = statuses.get(result.status, 0) + 1
                if result.ok:
                    right = kept.add_run(source, result.outputs, n_run)
                    if fit_colors and right < n_train:
                        mapping = color_mapping(result.outputs[:n_train], targets)
                        if mapping is not None:
                            fittable.append((append_recolor(source, mapping), n_run))
                n_run += 1
            if fittable:  # fitted programs are ranked as the program they came from
                fitted = pool.execute([source for source, _ in fittable], inputs, timeout_s=timeout_s)
                for (source, index), result in zip(fittable, fitted, strict=True):
                    n_fitted += 1
                    if result.ok:
                        kept.add_run(source, result.outputs, index)
            kept.prune()
    finally:
        if own_pool:
            pool.close()
    best_right = -kept.programs[0][0][0] if kept.programs else 0
    best_programs = [source for rank, source in kept.programs if -rank[0] == best_right]
    attempts = [pick_attempts([Candidate(grid, -rank[0], rank[1]) for rank, grid in per_test])
                for per_test in kept.outputs]
    return RandomSearchResult(
        task_name=task.name,
        solved=bool(kept.programs) and best_right == n_train,
        best_programs=best_programs,
        best_train_right=best_right,
        n_train=n_train,
        attempts=attempts,
        n_programs=n_run,
        seconds=time.perf_counter() - start,
        statuses=statuses,
        n_fitted=n_fitted,
    )


class _Kept:
    """What the ranking needs of the programs run so far, pruned after each batch so that a long search keeps little:
    the 5 best distinct programs, and per test input the best program's rank for each of the 8 best distinct grids.
    Ranks are (-train pairs right, length, index): :func:`pick_attempts` keeps the top distinct grids in this
    order, so its 2 picks are the same as over every program."""

    KEEP = 8

    def __init__(self, targets: list[np.ndarray], n_tests: int):
        self.targets = targets
        self.programs: list[tuple[tuple, str]] = []
        self.outputs: list[list[tuple[tuple, np.ndarray]]] = [[] for _ in range(n_tests)]

    def add_run(self, source: str, outputs, index: int) -> int:
        """Keep a program that ran on the train inputs then the test inputs; returns the train pairs it got right."""
        n_train = len(self.targets)
        right = sum(grids_equal(out, target) for out, target in zip(outputs, self.targets, strict=False))
        self.add((-right, len(source), index), source, outputs[n_train:])
        return right

    def add(self, rank: tuple, source: str, test_outputs) -> None:
        self.programs.append((rank, source))
        for per_test, grid in zip(self.outputs, test_outputs, strict=True):
            if grid is not None:
                per_test.append((rank, np.asarray(grid)))

    def prune(self) -> None:
        self.programs = _best_distinct(self.programs, 5, key=lambda source: source)
        self.outputs = [_best_distinct(per_test, self.KEEP, key=lambda g: (g.shape, g.tobytes()))
                        for per_test in self.outputs]


def _best_distinct(items: list[tuple[tuple, object]], k: int, key) -> list[tuple[tuple, object]]:
    out, seen = [], set()
    for rank, value in sorted(items, key=lambda item: item[0]):
        mark = key(value)
        if mark not in seen:
            seen.add(mark)
            out.append((rank, value))
            if len(out) == k:
                break
    return out
