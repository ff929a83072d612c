import random

import numpy as np
import pytest

from her_arc.refine import count_shapes, greedy_merge, patch_of, subgoal


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


def painted(shape, *boxes):
    """A blank grid with each (row, col, height, width, colour) box painted in order."""
    grid = np.zeros(shape, dtype=int)
    for r, c, h, w, colour in boxes:
        grid[r : r + h, c : c + w] = colour
    return grid


def test_patches_from_separate_refinements_add_up_and_harmful_ones_are_left_out():
    target = squares(2)  # four 2x2 squares, colours 1-4
    blank = np.zeros_like(target)
    left = painted(target.shape, (0, 0, 2, 2, 1))
    right = painted(target.shape, (0, 2, 2, 2, 2))
    sloppy = painted(target.shape, (0, 0, 2, 3, 1))  # square 1 right, but paints into square 2
    patches = [patch_of(name, [blank], [after], [blank], [target])
               for name, after in (("left", left), ("right", right), ("again", left), ("sloppy", sloppy))]
    assert all(p is not None and p.gain > 0 for p in patches)
    accepted = greedy_merge([blank], patches, [blank], [target])
    assert [p.continuation for p in accepted] in (["left", "right"], ["right", "left"])


def test_a_patch_that_does_not_help_its_own_canvas_is_no_patch():
    target = squares(2)
    blank = np.zeros_like(target)
    flood = np.ones_like(target)  # colour 1 everywhere: 4 cells right, 12 painted wrong
    assert patch_of("flood", [blank], [flood], [blank], [target]) is None
    assert patch_of("resize", [blank], [np.zeros((3, 3), dtype=int)], [blank], [target]) is None
    assert patch_of("nothing", [blank], [blank], [blank], [target]) is None
