import numpy as np
import pytest

from her_arc.lm.prompt import PROGRAM_START, decode_task
from her_arc.sandbox import ExecutorPool
from her_arc.search.stepwise import LINE_START, StepwiseConfig, StepwiseTask, sample_stepwise
from her_arc.testing import ScriptedSampler


def next_pixel(prompt: str) -> str:
    """The right next line: a pixel fixing the first wrong cell of the first pair the prompt shows, or ``return img``
    when there is none (then a line the chain must not take: only a completion's first line counts)."""
    (pairs, _) = decode_task(prompt.removesuffix(PROGRAM_START + LINE_START), "blocks")
    canvas, target = pairs[0]
    wrong = np.argwhere(canvas != target)
    if len(wrong):
        (r, c) = wrong[0]
        line = f"draw_pixel(img, ({r}, {c}), {target[r, c]})"
    else:
        line = "return img"
    return f"\n    {line}\n    draw_pixel(img, (0, 0), 9)\n"


def pixel_painter(answer: str | None = None) -> ScriptedSampler:
    """A painter that always writes the right next line (or always ``answer``); 7 tokens a completion."""
    return ScriptedSampler(answer or next_pixel, n_tokens=7)


def _task(cells, shape=(4, 5), background=0, tests=()):
    target = np.full(shape, background, dtype=np.int8)
    for (r, c), colour in cells.items():
        target[r, c] = colour
    return StepwiseTask([(np.full(shape, background, dtype=np.int8), target)], tests)


def test_each_line_is_asked_on_the_canvas_the_earlier_lines_drew_until_the_target_is_drawn():
    painter = pixel_painter()
    task = _task({(0, 1): 3, (2, 4): 5, (3, 0): 7})
    (chains,) = sample_stepwise(painter, [task], n=2, temperature=0.5, encoding="blocks")
    assert [c.stop for c in chains] == ["exact", "exact"]
    assert chains[0].lines == ["draw_pixel(img, (0, 1), 3)", "draw_pixel(img, (2, 4), 5)", "draw_pixel(img, (3, 0), 7)"]
    assert np.array_equal(chains[0].canvases[0], task.pairs[0][1]) and chains[0].n_tokens == 21
    # The first step asks the task's prompt once for both chains; later steps ask each chain's own canvas.
    assert [len(call.prompts) for call in painter.calls] == [1, 2, 2]
    assert painter.calls[0].groups == ((2, 0.5),) and painter.calls[1].groups == ((1, 0.5),)
    # one line, ended by its newline
    assert {(c.max_new_tokens, c.stop) for c in painter.calls} == {(StepwiseConfig().line_tokens, ("\n",))}
    assert all(p.endswith(PROGRAM_START + LINE_START) for p in painter.prompts)
    (pairs, _) = decode_task(painter.prompts[-1].removesuffix(PROGRAM_START + LINE_START), "blocks")
    assert pairs[0][0][0, 1] == 3 and pairs[0][0][2, 4] == 5 and pairs[0][0][3, 0] == 0


def test_the_program_of_a_chain_draws_what_its_canvases_show_in_the_sandbox():
    task = _task({(1, 1): 4, (1, 2): 4, (3, 3): 2}, tests=[np.full((4, 5), 6, dtype=np.int8)])
    (chains,) = sample_stepwise(pixel_painter(), [task], n=1, temperature=0.5, encoding="blocks")
    (chain,) = chains
    with ExecutorPool(timeout_s=2.0) as pool:
        (result,) = pool.execute([chain.program], [task.pairs[0][0], task.test_inputs[0]])
    assert result.status == "ok"
    assert np.array_equal(result.outputs[0], task.pairs[0][1])
    assert np.array_equal(result.outputs[1], chain.tests[0]) and chain.tests[0][1, 1] == 4


def test_a_chain_stops_at_the_draw_limit_at_return_and_at_text_that_is_not_a_draw():
    many = _task({(r, c): 1 for r in range(2) for c in range(3)})
    (limited,) = sample_stepwise(pixel_painter(), [many], 1, 0.5, "blocks", StepwiseConfig(max_draws=4))
    assert limited[0].stop == "max_draws" and len(limited[0].lines) == 4
    (returned,) = sample_stepwise(pixel_painter("\n    return img\n"), [many], 1, 0.5, "blocks")
    assert returned[0].stop == "return" and returned[0].lines == []
    assert returned[0].program == f"{PROGRAM_START}\n    return img"
    for text in ("\n    img[0, 0] = 1\n", "\n    draw_pixel(img, (0, 0), x)\n", "\n    draw_pixel(img, (0, "):
        (bad,) = sample_stepwise(pixel_painter(text), [many], 1, 0.5, "blocks")
        assert bad[0].stop == "invalid" and bad[0].last_text == text and bad[0].lines == []


def flipper(prompt: str) -> str:
    """A painter that cannot read its task: it repaints the whole grid, in colour 1, then 2, then 1 again."""
    (pairs, _) = decode_task(prompt.removesuffix(PROGRAM_START + LINE_START), "blocks")
    colour = 2 if pairs[0][0][0, 0] == 1 else 1
    return f"draw_rectangle(img, (0, 0), (9, 9), {colour})\n"


def test_a_chain_that_comes_back_to_a_canvas_it_drew_before_stops():
    (chains,) = sample_stepwise(ScriptedSampler(flipper), [_task({(0, 0): 3})], 1, 0.5, "blocks")
    assert chains[0].stop == "repeat" and len(chains[0].lines) == 3


def test_bad_stepwise_settings_are_refused_with_the_reason():
    with pytest.raises(ValueError, match="max_draws"):
        StepwiseConfig(max_draws=0)
    with pytest.raises(ValueError, match="line_tokens"):
        StepwiseConfig(line_tokens=2)
    with pytest.raises(ValueError, match="n=0"):
        sample_stepwise(pixel_painter(), [_task({(0, 0): 1})], 0, 0.5, "blocks")


@pytest.mark.slow
def test_the_shipped_painter_draws_two_shapes_a_line_at_a_time():
    from her_arc.lm.sampling import SamplingConfig, make_sampler
    from her_arc.painter import default_model_dir

    target = np.zeros((6, 7), dtype=np.int8)
    target[1:4, 2:6] = 3
    target[5, :] = 8
    task = StepwiseTask([(np.zeros((6, 7), dtype=np.int8), target)])
    sampler = make_sampler(SamplingConfig(model=str(default_model_dir()), backend="transformers", seed=0,
                                          enable_lora=False))
    try:
        (chains,) = sample_stepwise(sampler, [task], 2, 0.1, "blocks", seed=0)
    finally:
        sampler.close()
    assert any(c.stop == "exact" for c in chains), [c.program for c in chains]
    assert all(1 <= len(c.lines) <= 10 for c in chains)


def test_evaluate_scores_stepwise_programs_in_the_tasks_frame_from_every_view(tmp_path):
    import json

    from her_arc.experiments.evaluate import EvalConfig, evaluate

    config = EvalConfig(n_tasks=3, n_samples=4, views=2, decoding="stepwise", step_limit=100,
                        per_task_path=str(tmp_path / "tasks.jsonl"))
    report = evaluate(config, sampler=pixel_painter())
    assert report["pass_at_1"] == 1.0 and report["valid_rate"] == 1.0
    details = [json.loads(line) for line in (tmp_path / "tasks.jsonl").read_text().splitlines()]
    assert all(sorted({s["view"] for s in d["samples"]}) == ["identity", "transpose"] for d in details)
    short = evaluate(EvalConfig(n_tasks=3, n_samples=2, decoding="stepwise", step_limit=1), sampler=pixel_painter())
    assert short["pass_at_n"] < 1.0 and short["valid_rate"] == 1.0
    broken = evaluate(EvalConfig(n_tasks=2, n_samples=2, decoding="stepwise"), sampler=pixel_painter("\n    oops\n"))
    assert broken["valid_rate"] == 0.0 and broken["pass_at_n"] == 0.0


def test_evaluate_cli_refuses_bad_stepwise_options(capsys):
    from her_arc.cli import main

    assert main(["evaluate", "--decoding", "stepwise", "--step-limit", "0"]) == 2
    assert "step_limit" in capsys.readouterr().err
