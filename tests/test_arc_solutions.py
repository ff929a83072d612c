"""Every hand-written ARC-AGI-1 training solution in tasks/arc/solutions/ is right on every train and test pair,
run through the real sandbox as a sampled program would be."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from her_arc.arc.data import load_split
from her_arc.sandbox import ExecutorPool

SOLUTIONS = Path(__file__).resolve().parents[1] / "tasks" / "arc" / "solutions"
FILES = sorted(SOLUTIONS.glob("*.py"))


@pytest.fixture(scope="module")
def pool():
    with ExecutorPool(timeout_s=2.0) as p:
        yield p


def test_there_are_at_least_200_solutions():
    assert len(FILES) >= 200, f"only {len(FILES)} solutions in {SOLUTIONS}"


def test_every_solution_is_named_after_a_training_task_and_states_its_rule():
    ids = set(load_split("arc1-train"))
    for path in FILES:
        assert path.stem in ids, f"{path.name}: not an ARC-AGI-1 training task id"
        text = path.read_text()
        assert text.startswith('"""') and "def task(img):" in text, f"{path.name}: docstring rule, then def task"


def test_every_solution_is_right_on_every_pair_in_the_sandbox(pool):
    tasks = load_split("arc1-train")
    wrong = []
    for path in FILES:
        task = tasks[path.stem]
        inputs = [p.input for p in task.train] + list(task.test)
        expected = [p.output for p in task.train] + list(task.test_outputs)
        [result] = pool.execute([path.read_text()], inputs)
        if result.status != "ok":
            wrong.append(f"{path.stem}: {result.status} {result.error}")
            continue
        bad = [i for i, (o, e) in enumerate(zip(result.outputs, expected, strict=True))
               if o.shape != e.shape or not np.array_equal(o, e)]
        if bad:
            wrong.append(f"{path.stem}: wrong on pairs {bad} (train first, then test)")
    assert not wrong, "\n".join(wrong)
