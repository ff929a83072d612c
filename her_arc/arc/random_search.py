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


def random_search(task: Task, n_programs: int, seed: int, pool=None, *, timeout_s: float = ARC_TIMEOUT_S
                  ) -> RandomSearchResult:  # fmt: skip
    """Sample ``n_programs`` grammar programs for ``task`` (seeded) and rank them on its train pairs.

    ``pool``: an :class:`her_arc.sandbox.ExecutorPool` (None: a fresh one, closed afterwards). Test outputs are
    never read: the search works on a copy without them.
    """
    start = time.perf_counter()
    visible = hide_test_outputs(task)
    train_inputs = [p.input for p in visible.train]
    rng = np.random.default_rng(seed)
    programs = [random_program(rng, train_inputs) for _ in range(int(n_programs))]
    inputs = train_inputs + list(visible.test)
    own_pool = pool is None
    if own_pool:
        from her_arc.sandbox import ExecutorPool

        pool = ExecutorPool(timeout_s=timeout_s)
    try:
        results = pool.execute(programs, inputs, timeout_s=timeout_s) if programs else []
    finally:
        if own_pool:
            pool.close()
    n_train = len(train_inputs)
    statuses: dict[str, int] = {}
    scored = []  # (train right, length, index)
    for index, (source, result) in enumerate(zip(programs, results, strict=True)):
        statuses[result.status] = statuses.get(result.status, 0) + 1
        if not result.ok:
            continue
        right = sum(grids_equal(out, pair.output) for out, pair in zip(result.outputs, visible.train, strict=False))
        scored.append((right, len(source), index))
    best_right = max((s[0] for s in scored), default=0)
    best = sorted((s for s in scored if s[0] == best_right), key=lambda s: (s[1], s[2]))
    best_programs = list(dict.fromkeys(programs[i] for *_, i in best))[:5] if scored else []
    attempts = []
    for t in range(len(visible.test)):
        candidates = [Candidate(results[i].outputs[n_train + t], right, length) for right, length, i in scored]
        attempts.append(pick_attempts(candidates))
    return RandomSearchResult(
        task_name=task.name,
        solved=bool(scored) and best_right == n_train,
        best_programs=best_programs,
        best_train_right=best_right,
        n_train=n_train,
        attempts=attempts,
        n_programs=len(programs),
        seconds=time.perf_counter() - start,
        statuses=statuses,
    )
