"""Straight-line program surgery (her_arc.programs.edit): draws read as data, programs extended and combined."""

import random

import numpy as np
import pytest

from dsl.primitives import PRIMITIVES
from her_arc.programs import output_fingerprint
from her_arc.programs.edit import NotADrawCall, append_draws, compositions, is_straight_line, parse_draw

BLANK = np.zeros((4, 4), dtype=np.int8)
TARGET = np.array([[1, 1, 0, 0], [1, 1, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0]], dtype=np.int8)
LOOP = "def task(img):\n    for i in range(2):\n        draw_pixel(img, (i, i), 4)\n    return img"


def run(program: str, grid: np.ndarray) -> np.ndarray:
    namespace = dict(PRIMITIVES)
    exec(program, namespace)
    return namespace["task"](grid.copy())


def ranked(*programs: str) -> list[tuple[str, str]]:
    """(program, fingerprint of what it draws on BLANK), in the order given (best first)."""
    return [(p, output_fingerprint([run(p, BLANK)])) for p in programs]


def test_a_draw_line_is_read_as_its_primitive_and_literal_arguments():
    assert parse_draw("    draw_rectangle(img, (0, 1), (2, 3), 4)") == ("draw_rectangle", [(0, 1), (2, 3), 4])
    assert parse_draw("img = draw_pixel(img, (1, 1), 2)") == ("draw_pixel", [(1, 1), 2])
    for line, why in [("return img", "not one draw call"), ("draw_pixel(img, (0, 0), x)", "not literals"),
                      ("draw_pixel(img, (0,", "does not parse"), ("draw_circle(img, (0, 0), 1)", "not a drawing"),
                      ("draw_pixel(img, (0, 0, 0), 1)", "takes img, then point, int")]:
        with pytest.raises(NotADrawCall, match=why):
            parse_draw(line)


def test_compositions_run_one_programs_draws_after_anothers():
    halves = ranked(
        "def task(img):\n    draw_rectangle(img, (0, 0), (1, 0), 1)\n    return img",
        "def task(img):\n    draw_rectangle(img, (0, 1), (1, 1), 1)\n    return img",
        "def task(img):\n    draw_pixel(img, (3, 3), 2)\n    return img",
        LOOP,  # not composable
    )
    composed = compositions(halves, n=100, rng=random.Random(0))
    assert len(composed) == 6  # ordered pairs of the three straight-line programs
    assert all(p.count("draw_") == 2 and "for " not in p for p in composed)
    assert any(np.array_equal(run(p, BLANK), TARGET) for p in composed)  # two halves make the target
    assert len(compositions(halves, n=2, rng=random.Random(0))) == 2


def test_compositions_draw_from_the_first_distinct_outputs():
    best_first = ranked(
        "def task(img):\n    draw_rectangle(img, (0, 0), (1, 1), 1)\n    return img",
        "def task(img):\n    draw_pixel(img, (0, 0), 1)\n    return img",
        "def task(img):\n    draw_line(img, (0, 0), (0, 0), 1)\n    return img",  # the pixel's drawing again
        "def task(img):\n    draw_pixel(img, (3, 3), 2)\n    return img",
    )
    composed = compositions(best_first, n=100, rng=random.Random(0), pool=2)
    # the rectangle and the pixel; the longer program drawing the pixel's output is not taken as a second one
    assert sorted(p.count("draw_rectangle") for p in composed) == [1, 1] and len(composed) == 2
    assert not any("draw_line" in p or "(3, 3)" in p for p in composed)


def test_the_search_composes_its_most_accurate_candidates():
    from her_arc.sandbox import ExecutorPool
    from her_arc.search.execute import compose
    from her_arc.search.relabel import score
    from her_arc.search.types import Candidate

    worse = ["def task(img):\n    draw_horizontal_line(img, 3, 2)\n    return img",  # 8 of 16 cells right
             "def task(img):\n    draw_vertical_line(img, 3, 2)\n    return img"]
    cells = [(2, 0), (2, 1), (2, 2), (2, 3), (3, 0), (3, 1), (3, 2), (3, 3), (0, 2), (0, 3)]
    pixels = [f"def task(img):\n    draw_pixel(img, {cell}, 2)\n    return img" for cell in cells]  # 11 of 16
    halves = ["def task(img):\n    draw_rectangle(img, (0, 0), (1, 0), 1)\n    return img",  # 14 of 16
              "def task(img):\n    draw_rectangle(img, (0, 1), (1, 1), 1)\n    return img"]
    programs = [*worse, *pixels, *halves, "def task(img):\n    return img"]  # the last draws nothing
    candidates = score([Candidate(p, [run(p, BLANK)]) for p in programs], [TARGET])
    with ExecutorPool(timeout_s=2.0) as pool:
        composed = compose(pool, candidates, 1000, random.Random(0), [BLANK], [TARGET])
    # the 12 most accurate that draw something are composed pairwise (both orders), the two worst left out
    assert len(composed) == 12 * 11 and not any("_line" in c.program for c in composed)
    assert sum(c.accuracy == 1.0 for c in composed) == 2  # the halves, in either order, draw the target


def test_appended_draws_draw_the_continuation_on_the_base_drawing():
    base = "def task(img):\n    draw_rectangle(img, (0, 0), (1, 1), 1)\n    return img"
    continuation = "def task(img):\n    draw_pixel(img, (1, 1), 2)\n    draw_horizontal_line(img, 3, 4)\n    return img"
    program = append_draws(base, continuation)
    assert program.count("draw_") == 3
    assert np.array_equal(run(program, BLANK), run(continuation, run(base, BLANK)))


def test_only_straight_line_programs_are_extended():
    pixel = "def task(img):\n    draw_pixel(img, (0, 0), 1)\n    return img"
    assert not is_straight_line(LOOP) and not is_straight_line("def task(img):\n    return img")
    assert is_straight_line(pixel) and not is_straight_line("not a program")
    assert append_draws(pixel, LOOP) is None and append_draws(LOOP, pixel) is None
