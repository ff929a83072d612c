"""Fitting the colours the train pairs determine: the mapping, the rewritten program, and the search stages using it."""

from __future__ import annotations

import numpy as np
import pytest

from her_arc.arc.data import load_arc_task
from her_arc.arc.metric import grids_equal, score_task
from her_arc.arc.random_search import ARC_TIMEOUT_S, random_search
from her_arc.programs.fit import append_recolor, color_mapping
from her_arc.sandbox import ExecutorPool
from her_arc.search import execute
from her_arc.search.types import Candidate

RECOLOR_TASK = "0d3d703e"  # a fixed colour substitution (3->4, 1->5, 2->6, ...) on 3x3 grids


@pytest.fixture(scope="module")
def pool():
    with ExecutorPool(2, timeout_s=ARC_TIMEOUT_S) as p:
        yield p


def test_mapping_is_the_one_every_pair_determines():
    outs = [np.array([[1, 0], [2, 1]]), np.array([[2, 2], [0, 0]])]
    targets = [np.array([[3, 0], [3, 3]]), np.array([[3, 3], [0, 0]])]
    assert color_mapping(outs, targets) == {1: 3, 2: 3}  # two colours may merge into one


@pytest.mark.parametrize(("outs", "targets"), [
    ([np.array([[1, 1]])], [np.array([[2, 3]])]),  # one output colour covers two target colours
    ([np.array([[1, 0]])], [np.array([[2, 0]]), np.array([[1]])]),  # a pair missing
    ([np.array([[1, 0]])], [np.array([[1, 0, 0]])]),  # another shape
    ([np.array([[1]]), np.array([[1]])], [np.array([[2]]), np.array([[3]])]),  # pairs disagree
    ([np.array([[1, 0]])], [np.array([[1, 0]])]),  # nothing to change
])
def test_no_mapping_when_colours_do_not_determine_one(outs, targets):
    assert color_mapping(outs, targets) is None


def test_every_return_of_task_is_recoloured_and_nested_functions_are_not():
    program = ("def task(img):\n    def inner(g):\n        return g\n"
               "    if img[0, 0] == 1:\n        return inner(img)\n"
               "    for i in range(2):\n        if i:\n            return flip_lr(img)\n    return img\n")
    fitted = append_recolor(program, {2: 5, 1: 3})
    assert "        return g\n" in fitted  # the helper's return is its own
    assert "return recolor(inner(img), {1: 3, 2: 5})" in fitted
    assert "return recolor(flip_lr(img), {1: 3, 2: 5})" in fitted
    assert fitted.rstrip().endswith("return recolor(img, {1: 3, 2: 5})")
    with pytest.raises(ValueError, match="def task"):
        append_recolor("def other(img):\n    return img\n", {1: 2})


def test_fit_stage_turns_a_rightly_shaped_program_into_a_solution(pool):
    task = load_arc_task("arc1-train", RECOLOR_TASK)
    inputs, targets = [p.input for p in task.train], [p.output for p in task.train]
    copy = Candidate("def task(img):\n    return copy(img)", [np.array(i) for i in inputs])
    flipped = Candidate("def task(img):\n    return flip_lr(img)", [np.fliplr(i) for i in inputs])
    fitted = execute.fit_colors(pool, [copy, flipped, copy], inputs, targets)
    assert len(fitted) == 1 and "recolor(copy(img)" in fitted[0].program  # one program per distinct output
    assert fitted[0].accuracy == 1.0 and execute.is_exact(fitted[0], targets)


def test_random_search_with_fitted_colours_solves_a_recolouring_task_on_its_test(pool):
    task = load_arc_task("arc1-train", RECOLOR_TASK)
    plain = random_search(task, 300, seed=0, pool=pool)
    fitted = random_search(task, 300, seed=0, pool=pool, fit_colors=True)
    assert not plain.solved and plain.n_fitted == 0
    assert fitted.solved and fitted.n_fitted > 0 and fitted.n_programs == 300
    assert "recolor(" in fitted.best_programs[0]
    assert score_task(fitted.attempts, task.test_outputs) == 1.0
    assert all(grids_equal(a[0], t) for a, t in zip(fitted.attempts, task.test_outputs, strict=True))
