"""Hindsight relabeling (her_arc.search.relabel): what becomes a training example, and which are kept."""

import numpy as np
import pytest

from dsl.primitives import PRIMITIVES
from her_arc.programs import output_fingerprint
from her_arc.programs.edit import append_draws
from her_arc.search import relabel as her
from her_arc.search.types import Candidate, Step


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
    return [Candidate(p, [run(p, BLANK)]) for p in PROGRAMS]


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
    ordered = her.worst_to_best(examples)
    assert [e.accuracy for e in ordered] == sorted(e.accuracy for e in examples)
    assert ordered[-1].program == PROGRAMS[1]  # the exact drawing last


def test_fingerprint_distinguishes_shape_and_values():
    a = np.zeros((2, 3), np.int8)
    assert output_fingerprint([a]) != output_fingerprint([a.reshape(3, 2)])
    assert output_fingerprint([a]) == output_fingerprint([a.copy()])


def test_the_cap_keeps_the_most_accurate_examples_in_their_order():
    examples = her.relabel(her.score(candidates(), [TARGET]), [BLANK])
    kept = her.keep_most_accurate(examples, 2)
    assert [e.program for e in kept] == [PROGRAMS[0], PROGRAMS[1]]
    assert her.keep_most_accurate(examples, 0) == examples  # 0: no cap
    assert her.keep_most_accurate(examples, len(examples)) == examples


def test_each_relabeled_refinement_step_is_exactly_what_its_continuation_draws_on_its_canvas():
    base = run(PROGRAMS[0], BLANK)  # one pixel drawn
    continuations = [
        "def task(img):\n    draw_pixel(img, (3, 3), 2)\n    return img",
        "def task(img):\n    draw_line(img, (3, 3), (3, 3), 2)\n    return img",  # same step, longer
        "def task(img):\n    draw_pixel(img, (0, 0), 1)\n    return img",  # paints what is there: no step
        "def task(img):\n    draw_rectangle(img, (0, 0), (1, 1), 1)\n    return img",
    ]
    steps = [Step([base], c, Candidate(append_draws(PROGRAMS[0], c), [run(c, base)])) for c in continuations]
    examples = her.relabel_steps(steps)
    assert sorted(e.program for e in examples) == sorted([continuations[0], continuations[3]])
    for e in examples:
        assert np.array_equal(e.inputs[0], base)
        assert np.array_equal(e.outputs[0], run(e.program, e.inputs[0]))
    # a step and a whole drawing with the same result are different examples
    whole = her.relabel([Candidate(PROGRAMS[1], [run(PROGRAMS[1], BLANK)])], [BLANK])
    assert not {e.fingerprint for e in whole} & {e.fingerprint for e in examples}


@pytest.mark.parametrize("strategy", list(her.Relabel))
def test_every_strategy_names_steps_or_drawings_on_a_given_task(strategy):
    picture = np.array([[1, 0], [0, 2]], dtype=np.int8)
    for inputs in ([BLANK], [picture]):
        assert her.resolve(strategy, inputs) in (her.Relabel.STEPS, her.Relabel.DRAWINGS)
        if strategy is not her.Relabel.AUTO:
            assert her.resolve(strategy, inputs) is strategy
    # auto: steps while every input is blank (a drawing task), drawings once an input holds something to read
    assert her.resolve(her.Relabel.AUTO, [BLANK]) is her.Relabel.STEPS
    assert her.resolve(her.Relabel.AUTO, [BLANK, picture]) is her.Relabel.DRAWINGS
