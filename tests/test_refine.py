"""Refinement goals (her_arc.search.refine): subgoal windows, the prompts built from the elite, the elite."""

import random

import numpy as np
import pytest

from her_arc.search.refine import blank_canvas, count_shapes, refinement_prompts, subgoal, update_elite


def squares(n: int) -> np.ndarray:
    """An n x n tiling of 2x2 squares with cycling colours (like the bundled squares-N tasks)."""
    grid = np.zeros((2 * n, 2 * n), dtype=int)
    for k in range(n * n):
        r, c = divmod(k, n)
        grid[2 * r : 2 * r + 2, 2 * c : 2 * c + 2] = k % 9 + 1
    return grid


def test_a_subgoal_asks_for_a_few_shapes_and_keeps_the_rest_of_the_canvas():
    target = squares(5)
    canvas = np.zeros_like(target)
    canvas[:2, :2] = target[:2, :2]  # one square already drawn
    rng = random.Random(0)
    for _ in range(30):
        [goal] = subgoal([canvas], [target], rng, max_shapes=3)
        asked = goal != canvas
        assert 1 <= count_shapes(asked, goal) <= 3
        assert (goal[asked] == target[asked]).all()  # only target colours are asked for
        assert (goal[:2, :2] == target[:2, :2]).all()


def test_subgoal_falls_back_to_the_whole_target():
    target = squares(3)
    blank = np.zeros_like(target)
    rng = random.Random(0)
    assert np.array_equal(subgoal([blank], [target], rng, max_shapes=0)[0], target)
    assert np.array_equal(subgoal([target], [target], rng)[0], target)  # nothing left to draw
    wrong_shape = np.zeros((3, 3), dtype=int)
    assert np.array_equal(subgoal([wrong_shape], [target], rng)[0], target)
    with pytest.raises(ValueError, match="one canvas per target"):
        subgoal([blank, blank], [target], rng)


def test_count_shapes_counts_single_colour_pieces():
    grid = np.array([[1, 1, 2], [0, 0, 2], [1, 0, 2]])
    assert count_shapes(grid > 0, grid) == 3
    assert count_shapes(np.zeros_like(grid, dtype=bool), grid) == 0


def test_the_blank_canvas_is_the_tasks_inputs_drawn_by_the_program_that_returns_them():
    target = squares(2)
    blank = blank_canvas([np.zeros_like(target)], [target])
    assert blank.program == "def task(img):\n    return img" and np.array_equal(blank.outputs[0], 0 * target)
    assert blank.accuracy == 0.0 and blank.canvas_score == 0


def test_refinement_prompts_take_the_elite_and_the_views_in_turn():
    from her_arc.lm.prompt import PROGRAM_START, decode_task
    from her_arc.programs.views import VIEWS
    from her_arc.search.types import EliteEntry

    target = squares(2)
    blank = blank_canvas([np.zeros_like(target)], [target])
    left = EliteEntry("left", 0.5, "f-left", [np.where(np.arange(4) < 2, target, 0)], 8.0)
    bases, prompts = refinement_prompts([left, blank], [target], VIEWS[:2], 4, 1, "blocks", random.Random(0))
    assert [(b, v.name) for b, v in bases] == [(left, "identity"), (blank, "transpose")] * 2
    for (base, view), prompt in zip(bases, prompts, strict=True):
        assert prompt.endswith(PROGRAM_START)
        [(canvas, goal)], _ = decode_task(prompt.removesuffix(PROGRAM_START), "blocks")
        assert np.array_equal(canvas, view.apply(base.outputs[0]))  # the base's canvas, in the prompt's view
        asked = view.invert(goal) != base.outputs[0]
        assert count_shapes(asked, target) == 1 and (view.invert(goal)[asked] == target[asked]).all()
    assert refinement_prompts([], [target], VIEWS[:1], 4, 1, "blocks", random.Random(0)) == ([], [])


def test_the_elite_keeps_the_best_distinct_straight_line_drawings_by_canvas_score():
    from her_arc.sandbox import ExecutorPool
    from her_arc.search.relabel import score
    from her_arc.search.types import Candidate

    target = squares(2)
    blank = np.zeros_like(target)
    square, other, nothing = "draw_rectangle(img, (0, 0), (1, 1), 1)", "draw_rectangle(img, (0, 2), (1, 3), 2)", (
        "draw_pixel(img, (3, 3), 0)")
    one = f"def task(img):\n    {square}\n    return img"
    padded = f"def task(img):\n    {nothing}\n    {square}\n    return img"  # draws what one draws
    two = f"def task(img):\n    {square}\n    {other}\n    return img"
    loop = ("def task(img):\n    for k in range(3):\n        r, c = 2 * (k // 2), 2 * (k % 2)\n"
            "        draw_rectangle(img, (r, c), (r + 1, c + 1), k + 1)\n    return img")  # three squares, a loop
    candidates = score([Candidate(p, [run(p, blank)]) for p in (padded, two, loop)], [target])
    with ExecutorPool(timeout_s=2.0) as pool:
        elite = update_elite(pool, [blank_canvas([blank], [target])], candidates, 2, [blank], [target])
    # the two squares first, then the one square drawn by its simplified program; the loop drew more, but
    # refinement cannot extend it
    assert [e.program for e in elite] == [two, one]
    assert elite[0].canvas_score > elite[1].canvas_score


def run(program: str, grid: np.ndarray) -> np.ndarray:
    from dsl.primitives import PRIMITIVES

    namespace = dict(PRIMITIVES)
    exec(program, namespace)
    return namespace["task"](grid.copy())
