"""Merging (her_arc.search.merge): the patches of separate refinements pasted together onto the best canvas."""

import numpy as np

from her_arc.search.merge import greedy_merge, patch_of


def squares(n: int) -> np.ndarray:
    """An n x n tiling of 2x2 squares with cycling colours (like the bundled squares-N tasks)."""
    grid = np.zeros((2 * n, 2 * n), dtype=int)
    for k in range(n * n):
        r, c = divmod(k, n)
        grid[2 * r : 2 * r + 2, 2 * c : 2 * c + 2] = k % 9 + 1
    return grid


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


def test_merge_pastes_the_patches_of_steps_and_draws_them_with_one_program():
    from her_arc.sandbox import ExecutorPool
    from her_arc.search.merge import merge
    from her_arc.search.refine import blank_canvas
    from her_arc.search.types import Candidate, Step

    target = squares(2)
    blank = np.zeros_like(target)
    left = "def task(img):\n    draw_rectangle(img, (0, 0), (1, 1), 1)\n    return img"
    right = "def task(img):\n    draw_rectangle(img, (0, 2), (1, 3), 2)\n    return img"
    steps = [Step([blank], left, Candidate(left, [painted(target.shape, (0, 0, 2, 2, 1))])),
             Step([blank], right, Candidate(right, [painted(target.shape, (0, 2, 2, 2, 2))]))]
    with ExecutorPool(timeout_s=2.0) as pool:
        [merged], accepted = merge(pool, blank_canvas([blank], [target]), steps, [blank], [target])
        assert accepted == 2 and merged.program.count("draw_rectangle") == 2
        assert np.array_equal(merged.outputs[0], painted(target.shape, (0, 0, 2, 2, 1), (0, 2, 2, 2, 2)))
        assert merged.accuracy == 0.5  # two of the four squares
        assert merge(pool, blank_canvas([blank], [target]), [], [blank], [target]) == ([], 0)
