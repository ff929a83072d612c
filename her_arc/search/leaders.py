"""The leaderboard: the best distinct programs so far, whose test outputs become the ARC attempts.

ARC Prize scores up to 2 answers per test input. The search ranks every program that ran by the train pairs it
reproduces exactly (most first), then pixel accuracy, then shortness, keeps the best :data:`SIZE` with distinct
train outputs, and at the end runs them on the test inputs: per test input the first 2 distinct grids are the
attempts (:func:`her_arc.arc.metric.pick_attempts`). A test output is never read.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from her_arc.search.relabel import pairs_right
from her_arc.search.types import Candidate, Leader

SIZE = 8
"""programs kept on the leaderboard"""


def _rank(leader: Leader) -> tuple:
    return -leader.pairs_right, -leader.accuracy, len(leader.program)


def update(board: Sequence[Leader], candidates: Sequence[Candidate], targets: Sequence[np.ndarray],
           size: int = SIZE) -> list[Leader]:
    """The ``size`` best of ``board`` and ``candidates``, one per distinct train output."""
    best: dict[str, Leader] = {e.fingerprint: e for e in board}
    for c in candidates:
        entry = Leader(c.program, pairs_right(c, targets), c.accuracy, c.fingerprint)
        if c.fingerprint not in best or _rank(entry) < _rank(best[c.fingerprint]):
            best[c.fingerprint] = entry
    return sorted(best.values(), key=_rank)[:size]


def attempts(ranked: Sequence[Leader], results: Sequence, n_tests: int, k: int = 2) -> list[list[list[list[int]]]]:
    """Per test input, up to ``k`` grids from the ranked programs' test ``results`` (sandbox results, in order)."""
    from her_arc.arc.metric import pick_attempts

    per_test = []
    for i in range(n_tests):
        candidates = [(r.outputs[i] if r.status == "ok" else None, e.pairs_right, len(e.program))
                      for e, r in zip(ranked, results, strict=True)]
        per_test.append([np.asarray(g).tolist() for g in pick_attempts(candidates, k)])
    return per_test
