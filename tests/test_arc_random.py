"""The random baseline: grammar programs (dsl.grammar) and random_search on real ARC tasks, in the real sandbox."""

from __future__ import annotations

import ast

import numpy as np
import pytest

from dsl.grammar import GRAMMAR, input_stats, random_program
from her_arc.arc.data import load_arc_task, load_split
from her_arc.arc.metric import grids_equal, score_task
from her_arc.arc.random_search import ARC_TIMEOUT_S, random_search
from her_arc.sandbox import ExecutorPool
from her_arc.sandbox._checks import check_source
from her_arc.tasks import Task

FLIP_TASK = "68b16354"  # every output is the input upside down: flip_ud


@pytest.fixture(scope="module")
def pool():
    with ExecutorPool(2, timeout_s=ARC_TIMEOUT_S) as p:
        yield p


@pytest.fixture(scope="module")
def train_tasks():
    return load_split("arc1-train")


def test_grammar_module_imports_numpy_and_dsl_only():
    import dsl.grammar as grammar

    tree = ast.parse(open(grammar.__file__).read())
    names = {a.name.split(".")[0] for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    names |= {n.module.split(".")[0] for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module}
    assert names <= {"numpy", "dsl", "__future__", "dataclasses"}, names
    assert "objects" in GRAMMAR and "transform" in GRAMMAR


def test_2000_samples_pass_the_static_check_and_define_task(train_tasks):
    ids = sorted(train_tasks)
    rng = np.random.default_rng(123)
    for i in range(2000):
        task = train_tasks[ids[i % len(ids)]]
        source = random_program(rng, [p.input for p in task.train])
        tree = check_source(source)  # raises Rejected
        assert source.startswith("def task(img):") and isinstance(tree.body[0], ast.FunctionDef)


def test_random_program_is_deterministic_for_an_rng_state(train_tasks):
    inputs = [p.input for p in train_tasks["007bbfb7"].train]
    a = [random_program(np.random.default_rng(5), inputs) for _ in range(3)]
    assert a[0] == a[1] == a[2]
    rng1, rng2 = np.random.default_rng(9), np.random.default_rng(9)
    assert [random_program(rng1, inputs) for _ in range(50)] == [random_program(rng2, inputs) for _ in range(50)]
    rng3 = np.random.default_rng(10)
    assert len({random_program(rng3, inputs) for _ in range(50)}) > 25


def test_constants_come_from_the_inputs():
    grid = np.zeros((6, 6), np.int8)
    grid[1:3, 1:3] = 7
    grid[4, 4] = 2
    stats = input_stats([grid])
    assert stats.colors == (0, 7, 2) and stats.fg == (7, 2) and stats.sizes == (1, 4)
    assert stats.square and stats.down == (2, 3) and not stats.has_separators
    rng = np.random.default_rng(0)
    text = "".join(random_program(rng, [grid]) for _ in range(300))
    for colour in (1, 3, 4, 5, 6, 8, 9):  # absent colours: only the rare "any colour" draw
        assert f"obj.color == {colour}:" not in text  # colour filters use present foreground colours only
    assert "obj.size == 4" in text or "obj.size == 1" in text


def test_random_search_is_deterministic_by_seed(pool, train_tasks):
    task = train_tasks["0d3d703e"]
    a = random_search(task, 120, seed=3, pool=pool)
    b = random_search(task, 120, seed=3, pool=pool)
    assert a.best_programs == b.best_programs and a.best_train_right == b.best_train_right
    assert a.statuses == b.statuses
    assert all(grids_equal(x, y) for ta, tb in zip(a.attempts, b.attempts, strict=True)
               for x, y in zip(ta, tb, strict=True))  # fmt: skip
    c = random_search(task, 120, seed=4, pool=pool)
    assert c.best_programs != a.best_programs or c.statuses != a.statuses


def test_1000_programs_solve_a_flip_task_and_get_its_test_right(pool):
    task = load_arc_task("arc1-train", FLIP_TASK)
    assert all(grids_equal(np.flipud(p.input), p.output) for p in task.train)
    result = random_search(task, 1000, seed=0, pool=pool)
    assert result.solved and result.best_train_right == len(task.train) == result.n_train
    assert result.n_programs == 1000 and result.seconds > 0
    assert "flip_ud" in result.best_programs[0]
    assert score_task(result.attempts, task.test_outputs) == 1.0
    assert all(len(a) <= 2 for a in result.attempts)


def test_test_outputs_are_never_read(pool):
    """A copy of the flip task whose test outputs contradict its train pairs: attempts come from programs only."""
    real = load_arc_task("arc1-train", FLIP_TASK)
    fake = [np.full_like(g, 5) for g in real.test]  # no program on these inputs draws a one-colour 5 grid
    task = Task(train=real.train, test=real.test, test_outputs=fake, name="fake")
    result = random_search(task, 300, seed=0, pool=pool)
    blind = random_search(Task(train=real.train, test=real.test, test_outputs=None, name="blind"), 300, 0, pool)
    assert result.solved and result.best_programs == blind.best_programs
    for attempts, blind_attempts, fake_out, test_in in zip(result.attempts, blind.attempts, fake, real.test,
                                                           strict=True):  # fmt: skip
        assert attempts and not any(grids_equal(a, fake_out) for a in attempts)
        assert all(grids_equal(a, b) for a, b in zip(attempts, blind_attempts, strict=True))
        assert grids_equal(attempts[0], np.flipud(test_in))  # what the fitting program gives
    assert score_task(result.attempts, fake) == 0.0
    assert task.test_outputs is fake  # the caller's task is left alone


def test_zero_programs_and_unsolved_tasks(pool, train_tasks):
    task = train_tasks["007bbfb7"]
    empty = random_search(task, 0, seed=0, pool=pool)
    assert not empty.solved and empty.best_programs == [] and empty.attempts == [[] for _ in task.test]
    few = random_search(task, 20, seed=0, pool=pool)
    assert few.n_programs == 20 and sum(few.statuses.values()) == 20
    assert 0 <= few.best_train_right <= few.n_train
