import random

import numpy as np

from dsl.primitives import PRIMITIVES
from her_arc import relabel as her
from her_arc.programs import output_fingerprint


def run(program: str, grid: np.ndarray) -> np.ndarray:
    namespace = dict(PRIMITIVES)
    exec(program, namespace)
    return namespace["task"](grid.copy())


BLANK = np.zeros((4, 4), dtype=np.int8)
TARGET = np.array([[1, 1, 0, 0], [1, 1, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0]], dtype=np.int8)
PROGRAMS = [
    "def task(img):\n    draw_pixel(img, (0, 0), 1)\n    return img",
    "def task(img):\n    draw_rectangle(img, (0, 0), (1, 1), 1)\n    return img",
    "def task(img):\n    draw_line(img, (0, 0), (0, 0), 1)\n    return img",  # same drawing as the first, longer
    "def task(img):\n    return img",
]


def candidates():
    return [her.Candidate(p, [run(p, BLANK)]) for p in PROGRAMS]


def test_each_relabeled_example_is_exactly_what_its_program_draws():
    examples = her.relabel(her.keep_shortest_per_output(candidates()), [BLANK])
    for e in examples:
        assert np.array_equal(e.outputs[0], run(e.program, e.inputs[0]))


def test_the_target_only_appears_when_a_program_drew_it():
    cs = [c for c in candidates() if "rectangle" not in c.program]
    examples = her.relabel(her.score(cs, [TARGET]), [BLANK])
    assert not any(np.array_equal(e.outputs[0], TARGET) for e in examples)


def test_scores_are_pixel_accuracies_against_the_target():
    scored = {c.program: c.accuracy for c in her.score(candidates(), [TARGET])}
    assert scored[PROGRAMS[1]] == 1.0
    assert scored[PROGRAMS[0]] == 13 / 16
    assert scored[PROGRAMS[3]] == 12 / 16


def test_unchanged_outputs_are_dropped():
    kept = her.drop_unchanged(candidates(), [BLANK])
    assert [c.program for c in kept] == PROGRAMS[:3]


def test_dedup_keeps_the_shortest_program_per_output():
    kept = her.keep_shortest_per_output(candidates())
    assert len(kept) == 3
    assert PROGRAMS[0] in [c.program for c in kept] and PROGRAMS[2] not in [c.program for c in kept]


def test_novelty_filter_skips_outputs_trained_before():
    examples = her.relabel(her.keep_shortest_per_output(candidates()), [BLANK])
    trained = {examples[0].fingerprint}
    assert her.keep_novel(examples, trained) == examples[1:]


def test_ordering_puts_the_closest_drawings_last():
    examples = her.relabel(her.score(candidates(), [TARGET]), [BLANK])
    ordered = her.order_examples(examples, "worst_to_best", random.Random(0))
    assert [e.accuracy for e in ordered] == sorted(e.accuracy for e in examples)
    shuffled = her.order_examples(examples, "shuffle", random.Random(0))
    assert sorted(e.program for e in shuffled) == sorted(e.program for e in examples)


def test_future_prefixes_are_the_proper_prefixes_of_straight_line_programs():
    program = (
        "def task(img):\n    draw_pixel(img, (0, 0), 1)\n    draw_pixel(img, (1, 1), 2)\n"
        "    draw_pixel(img, (2, 2), 3)\n    return img"
    )
    prefixes = her.future_prefixes(program)
    assert len(prefixes) == 2
    assert run(prefixes[0], BLANK).sum() == 1 and run(prefixes[1], BLANK).sum() == 3
    looped = "def task(img):\n    for i in range(3):\n        draw_pixel(img, (i, i), 1)\n    return img"
    assert her.future_prefixes(looped) == []


def test_fingerprint_distinguishes_shape_and_values():
    a = np.zeros((2, 3), np.int8)
    assert output_fingerprint([a]) != output_fingerprint([a.reshape(3, 2)])
    assert output_fingerprint([a]) == output_fingerprint([a.copy()])


def test_the_cap_keeps_the_most_accurate_examples_in_their_order():
    examples = her.relabel(her.score(candidates(), [TARGET]), [BLANK])
    kept = her.keep_most_accurate(examples, 2)
    assert [e.program for e in kept] == [PROGRAMS[0], PROGRAMS[1]]
    assert her.keep_most_accurate(examples, None) == examples


def test_compositions_run_one_programs_draws_after_anothers():
    halves = [
        "def task(img):\n    draw_rectangle(img, (0, 0), (1, 0), 1)\n    return img",
        "def task(img):\n    draw_rectangle(img, (0, 1), (1, 1), 1)\n    return img",
        "def task(img):\n    draw_pixel(img, (3, 3), 2)\n    return img",
        "def task(img):\n    for i in range(2):\n        draw_pixel(img, (i, i), 4)\n    return img",  # not composable
    ]
    cands = her.score([her.Candidate(p, [run(p, BLANK)]) for p in halves], [TARGET])
    composed = her.compositions(cands, n=100, rng=random.Random(0))
    assert len(composed) == 6  # ordered pairs of the three straight-line programs
    assert all(p.count("draw_") == 2 and "for " not in p for p in composed)
    assert any(np.array_equal(run(p, BLANK), TARGET) for p in composed)  # two halves make the target
    assert len(her.compositions(cands, n=2, rng=random.Random(0))) == 2


def test_compositions_draw_from_the_most_accurate_distinct_outputs():
    cands = her.score(candidates(), [TARGET])
    composed = her.compositions(cands, n=100, rng=random.Random(0), pool=2)
    # the rectangle (exact) and the pixel; the longer program drawing the pixel's output is not taken twice
    assert sorted(p.count("draw_rectangle") for p in composed) == [1, 1] and len(composed) == 2


def test_appended_draws_draw_the_continuation_on_the_base_drawing():
    base = "def task(img):\n    draw_rectangle(img, (0, 0), (1, 1), 1)\n    return img"
    continuation = "def task(img):\n    draw_pixel(img, (1, 1), 2)\n    draw_horizontal_line(img, 3, 4)\n    return img"
    program = her.append_draws(base, continuation)
    assert program.count("draw_") == 3
    assert np.array_equal(run(program, BLANK), run(continuation, run(base, BLANK)))


def test_only_straight_line_programs_are_extended():
    loop = "def task(img):\n    for i in range(2):\n        draw_pixel(img, (i, i), 4)\n    return img"
    assert not her.is_straight_line(loop) and not her.is_straight_line("def task(img):\n    return img")
    assert her.is_straight_line(PROGRAMS[0])
    assert her.append_draws(PROGRAMS[0], loop) is None and her.append_draws(loop, PROGRAMS[0]) is None


def test_each_relabeled_refinement_step_is_exactly_what_its_continuation_draws_on_its_canvas():
    base = run(PROGRAMS[0], BLANK)  # one pixel drawn
    continuations = [
        "def task(img):\n    draw_pixel(img, (3, 3), 2)\n    return img",
        "def task(img):\n    draw_line(img, (3, 3), (3, 3), 2)\n    return img",  # same step, longer
        "def task(img):\n    draw_pixel(img, (0, 0), 1)\n    return img",  # paints what is there: no step
        "def task(img):\n    draw_rectangle(img, (0, 0), (1, 1), 1)\n    return img",
    ]
    steps = [([base], c, her.Candidate(her.append_draws(PROGRAMS[0], c), [run(c, base)])) for c in continuations]
    examples = her.relabel_continuations(steps)
    assert sorted(e.program for e in examples) == sorted([continuations[0], continuations[3]])
    for e in examples:
        assert np.array_equal(e.inputs[0], base)
        assert np.array_equal(e.outputs[0], run(e.program, e.inputs[0]))
    # a step and a whole drawing with the same result are different examples
    whole = her.relabel([her.Candidate(PROGRAMS[1], [run(PROGRAMS[1], BLANK)])], [BLANK])
    assert not {e.fingerprint for e in whole} & {e.fingerprint for e in examples}
