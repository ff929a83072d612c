"""The search on tasks whose inputs hold something to read: hidden test outputs, ARC attempts, relabeling on real
inputs, pairs solved, baselines, and prompts too long for the model."""

from __future__ import annotations

import json

import numpy as np
import pytest

from her_arc.arc.data import load_arc_task
from her_arc.arc.metric import score_task
from her_arc.search import SearchConfig, solve_task
from her_arc.search.config import LearnConfig, RefineConfig, RunConfig, SampleConfig
from her_arc.search.relabel import Relabel, reads_input, resolve
from her_arc.tasks import Pair, Task

FLIP = "def task(img):\n    return flip_lr(img)"
SAME = "def task(img):\n    return img"
ZERO = "def task(img):\n    return img * 0"


def config(run_dir, grammar=0, **learn) -> SearchConfig:
    """One epoch of the scripted model's samples only (no grammar programs unless asked)."""
    return SearchConfig(max_epochs=1, sample=SampleConfig(groups=((2, 0.9),), stepwise=0, compose=0, grammar=grammar),
                        refine=RefineConfig(canvases=0, merge=False), learn=LearnConfig(enabled=False, **learn),
                        run=RunConfig(run_dir=run_dir, plots=False))


def flip_task(test_output=None) -> Task:
    a, b = np.array([[1, 2, 0]], np.int8), np.array([[3, 0, 0], [0, 4, 5]], np.int8)
    test = np.array([[6, 7, 8]], np.int8)
    return Task([Pair(a, a[:, ::-1].copy()), Pair(b, b[:, ::-1].copy())], [test],
                test_outputs=[test[:, ::-1].copy() if test_output is None else test_output], name="flip")


def test_a_solved_arc_task_gives_its_test_answers_as_attempts(scripted, tmp_run_dir):
    result = solve_task(flip_task(), config(tmp_run_dir), sampler=scripted([SAME, FLIP]))
    assert result.solved and result.pairs_right == result.n_pairs == 2
    assert result.attempts[0][0] == [[8, 7, 6]]
    assert score_task(result.attempts, flip_task().test_outputs) == 1.0


def test_the_search_never_sees_a_test_output(scripted, tmp_run_dir):
    """A task whose test output contradicts its train pairs (colour 9 appears nowhere else): the search answers the
    train pairs' rule, and neither the model's prompts nor the run directory hold the planted output."""
    planted = np.full((1, 3), 9, np.int8)
    painter = scripted([SAME, FLIP])
    result = solve_task(flip_task(test_output=planted), config(tmp_run_dir), sampler=painter)
    assert result.solved and result.attempts[0][0] == [[8, 7, 6]]
    assert planted.tolist() not in result.attempts[0] and score_task(result.attempts, [planted]) == 0.0
    saved = json.loads(open(f"{result.run_dir}/task.json").read())
    assert all("output" not in t for t in saved["test"])
    assert painter.prompts and not any("9" in prompt for prompt in painter.prompts)


def test_an_unsolved_task_still_answers_with_its_best_programs_ranked_by_pairs_right(scripted, tmp_run_dir):
    a = np.array([[1, 2], [0, 0]], np.int8)
    b = np.array([[3, 0], [4, 0]], np.int8)
    task = Task([Pair(a, a[:, ::-1].copy()), Pair(b, np.zeros_like(b))], [np.array([[5, 6]], np.int8)],
                name="half")
    result = solve_task(task, config(tmp_run_dir), sampler=scripted([ZERO, FLIP]))
    assert not result.solved and result.pairs_right == 1
    # both programs get one pair right; the shorter one ranks first, the other is the second attempt
    assert [len(result.attempts[0])] == [2]
    assert {tuple(map(tuple, g)) for g in result.attempts[0]} == {((0, 0),), ((6, 5),)}


def test_progress_and_result_report_pairs_and_the_trivial_baselines(scripted, tmp_run_dir):
    records = []
    result = solve_task(flip_task(), config(tmp_run_dir), sampler=scripted([SAME]), progress=records.append)
    assert records[0]["reads_input"] and records[0]["pairs_right"] == 0 and records[0]["n_pairs"] == 2
    assert result.baselines["identity"] == pytest.approx(np.mean([1 / 3, 2 / 6]))
    assert result.baselines["background"] == pytest.approx(np.mean([1 / 3, 3 / 6]))


def test_auto_relabels_drawings_on_tasks_that_read_their_input_and_steps_on_blank_canvases():
    blank = [np.zeros((3, 3), np.int8)]
    assert not reads_input(blank) and resolve(Relabel.AUTO, blank) is Relabel.STEPS
    assert reads_input(flip_task().inputs) and resolve(Relabel.AUTO, flip_task().inputs) is Relabel.DRAWINGS
    assert resolve(Relabel.STEPS, flip_task().inputs) is Relabel.STEPS


@pytest.mark.slow
def test_relabeling_on_real_inputs_keeps_what_programs_produced_and_filters_the_useless(scripted, tmp_path):
    """CodeIt's relabeling on an ARC training task: a program's outputs on the task's own inputs become the
    example; the identity and repeated outputs are dropped; the true outputs never enter an example."""
    from her_arc.search import loop

    task = load_arc_task("arc1-train", "3c9b0459")  # rotate by 180 degrees
    programs = [SAME, ZERO, ZERO.replace("* 0", "* 0 + 0"), FLIP]
    seen = []
    original = loop.Search._train

    def capture(self, epoch, examples):
        seen.extend(examples)
        return original(self, epoch, examples)

    cfg = config(str(tmp_path / "run"))
    cfg = SearchConfig(max_epochs=2, sample=SampleConfig(groups=((4, 0.9),), stepwise=0, compose=0, grammar=0),
                       refine=cfg.refine, run=cfg.run)
    loop.Search._train = capture
    try:
        solve_task(task, cfg, sampler=scripted(programs))
    finally:
        loop.Search._train = original
    assert seen, "the search trained on relabeled examples"
    outputs = {tuple(o.tobytes() for o in e.outputs) for e in seen}
    assert len(outputs) == len(seen) == 2  # ZERO twice -> once; the identity dropped
    for e in seen:
        assert [i.tolist() for i in e.inputs] == [p.input.tolist() for p in task.train]
        assert not all(np.array_equal(o, p.output) for o, p in zip(e.outputs, task.train, strict=True))


def test_a_prompt_longer_than_the_model_context_is_refused_with_a_clear_message(tmp_run_dir):
    from her_arc.lm.sampling import PromptTooLongError
    from her_arc.search import sample

    class Tiny:
        context = 50

        @staticmethod
        def tokenizer(text):
            return {"input_ids": text.split()}

    with pytest.raises(PromptTooLongError, match="cannot read the task"):
        sample.check_prompts_fit(Tiny(), ["word " * 40], budget=20, task_name="big")
    sample.check_prompts_fit(Tiny(), ["word " * 10], budget=20, task_name="small")


def test_fit_colors_makes_a_program_right_up_to_its_colours_the_solution(scripted, tmp_run_dir):
    """The model only ever flips; the train pairs flip and recolour 1 -> 3: the fitted program solves the task, and
    without fitting the search does not."""
    a, b = np.array([[1, 2, 0]], np.int8), np.array([[1, 0, 0], [0, 1, 2]], np.int8)
    recolour = {1: 3}
    task = Task([Pair(a, np.vectorize(lambda v: recolour.get(v, v))(a[:, ::-1]).astype(np.int8)),
                 Pair(b, np.vectorize(lambda v: recolour.get(v, v))(b[:, ::-1]).astype(np.int8))],
                [np.array([[1, 1, 2]], np.int8)], name="flip-recolour")
    plain = config(tmp_run_dir)
    assert not solve_task(task, plain, sampler=scripted([FLIP])).solved
    fit = config(tmp_run_dir + "-fit")
    fit.refine.fit_colors = True
    result = solve_task(task, fit, sampler=scripted([FLIP]))
    assert result.solved and "recolor(flip_lr(img), {1: 3})" in result.program
    assert result.attempts[0][0] == [[2, 3, 3]]
    epoch = json.loads(open(f"{result.run_dir}/epochs.jsonl").readline())
    assert epoch["counts"]["fitted"] == 1


def test_grammar_programs_solve_what_the_model_cannot_and_are_counted(scripted, tmp_run_dir):
    """The model only ever returns its input; the grammar's programs, run beside its samples, find the flip."""
    assert not solve_task(flip_task(), config(tmp_run_dir), sampler=scripted([SAME])).solved
    result = solve_task(flip_task(), config(tmp_run_dir + "-g", grammar=256), sampler=scripted([SAME]))
    assert result.solved and result.samples == 2 and result.grammar_programs == 256
    assert score_task(result.attempts, flip_task().test_outputs) == 1.0
    epoch = json.loads(open(f"{result.run_dir}/epochs.jsonl").readline())
    assert epoch["counts"]["grammar"] == 256 and 0 < epoch["counts"]["grammar_ran"] <= 256


def test_grammar_programs_are_relabeled_for_the_adapter_to_learn_from(scripted, tmp_run_dir):
    """On a task nothing solves, the epoch's relabeled examples are the grammar's programs with what they produced
    (the model's only sample returns its input, which is never relabeled)."""
    rng = np.random.default_rng(0)
    inputs = [rng.integers(0, 4, (4, 4)).astype(np.int8) for _ in range(2)]
    task = Task([Pair(i, rng.integers(5, 9, (2, 2)).astype(np.int8)) for i in inputs], [inputs[0]], name="noise")
    cfg = config(tmp_run_dir, grammar=64, export_examples=True)
    result = solve_task(task, cfg, sampler=scripted([SAME]))
    assert not result.solved
    examples = json.loads(open(f"{result.run_dir}/examples-1.json").read())
    grammar_made = [completion.startswith("def task(img):\n    out = copy(img)\n") for _, completion in examples]
    assert grammar_made and all(grammar_made)


def test_grammar_programs_are_off_on_tasks_with_nothing_to_read(scripted, tmp_run_dir):
    blank = np.zeros((3, 3), np.int8)
    task = Task([Pair(blank, np.eye(3, dtype=np.int8))], [], name="draw-a-diagonal")
    result = solve_task(task, config(tmp_run_dir, grammar=64), sampler=scripted([SAME]))
    epoch = json.loads(open(f"{result.run_dir}/epochs.jsonl").readline())
    assert result.grammar_programs == 0 and "grammar" not in epoch["counts"]


def test_grammar_programs_are_seeded():
    from her_arc.search.sample import grammar_programs

    inputs = [flip_task().train[0].input]
    assert grammar_programs(inputs, 8, seed=1) == grammar_programs(inputs, 8, seed=1)
    assert grammar_programs(inputs, 8, seed=1) != grammar_programs(inputs, 8, seed=2)


def _short_sighted(painter, context: int = 4):
    """The painter with a context too short for any task prompt (its tokens: whitespace-separated words)."""
    painter.context, painter.tokenizer = context, lambda text: {"input_ids": text.split()}
    return painter


def test_a_task_the_model_cannot_read_is_searched_by_grammar_programs_alone(scripted, tmp_run_dir):
    painter = _short_sighted(scripted([FLIP]))
    cfg = config(tmp_run_dir, grammar=256)
    cfg.learn.enabled = True  # and nothing is trained: there is no model to sample the next epoch
    result = solve_task(flip_task(), cfg, sampler=painter)
    assert "cannot read the task" in result.model_skipped and "grammar programs alone" in result.model_skipped
    assert not painter.prompts and result.samples == 0 and result.tokens_trained == 0
    assert result.solved and result.grammar_programs == 256
    assert score_task(result.attempts, flip_task().test_outputs) == 1.0
    epoch = json.loads(open(f"{result.run_dir}/epochs.jsonl").readline())
    assert epoch["model_skipped"] and epoch["counts"]["sampled"] == 0


def test_without_grammar_programs_a_task_the_model_cannot_read_is_refused(scripted, tmp_run_dir):
    from her_arc.lm.sampling import PromptTooLongError

    with pytest.raises(PromptTooLongError, match="cannot read the task"):
        solve_task(flip_task(), config(tmp_run_dir), sampler=_short_sighted(scripted([FLIP])))
