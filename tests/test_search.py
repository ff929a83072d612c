"""The search loop (her_arc.search.loop) driven by a scripted sampler, its token budgets, and real runs (slow)."""

import json
import os
import signal
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from her_arc.cli import main
from her_arc.errors import ConfigError
from her_arc.lm.training import AdapterConfig
from her_arc.search import SearchConfig, solve_task
from her_arc.search.config import LearnConfig, RefineConfig, RunConfig, SampleConfig
from her_arc.search.sample import REFINE_TASK_SHAPES, target_token_budget, token_budget
from her_arc.tasks import load_task

ROOT = Path(__file__).resolve().parents[1]

LEFT = "\n    draw_vertical_line(img, 0, 1)\n    return img"
RIGHT = "\n    draw_vertical_line(img, 1, 2)\n    return img"
BLANK_2X2 = "input 2x2\n0-1 0-1:0"
"""A prompt whose (first) canvas is the blank 2x2 grid, in the painter's encoding."""
TWO_COLUMNS = {"train": [{"input": [[0, 0], [0, 0]], "output": [[1, 2], [1, 2]]}]}
"""Column 0 in colour 1, column 1 in colour 2: the left column, then the right one."""


def left_then_right(prompt: str) -> str:
    """From a blank canvas the painter draws the left column; from any other canvas, the right column."""
    return LEFT if BLANK_2X2 in prompt else RIGHT


def config(run_dir, max_epochs=1, **groups) -> SearchConfig:
    """A search with every stage off but the task's prompt, unless ``groups`` (sample=..., refine=...) say so."""
    sample = {"groups": ((1, 0.9),), "stepwise": 0, "compose": 0, **groups.pop("sample", {})}
    refine = {"canvases": 0, "merge": False, **groups.pop("refine", {})}
    learn = {"enabled": False, **groups.pop("learn", {})}
    run = {"run_dir": str(run_dir), "plots": False, **groups.pop("run", {})}
    assert not groups, groups
    return SearchConfig(max_epochs=max_epochs, sample=SampleConfig(**sample), refine=RefineConfig(**refine),
                        learn=LearnConfig(**learn), run=RunConfig(**run))


def epoch_records(result) -> list[dict]:
    return [json.loads(line) for line in (Path(result.run_dir) / "epochs.jsonl").read_text().splitlines()]


def one_line_task() -> dict:
    """A 5x5 blank grid with one horizontal line: the painter draws such lines from its first epoch."""
    grid = np.zeros((5, 5), dtype=int)
    out = grid.copy()
    out[2, :] = 3
    return {"train": [{"input": grid.tolist(), "output": out.tolist()}], "test": [{"input": grid.tolist()}]}


# -- token budgets -------------------------------------------------------------------------------


def test_the_task_prompt_budget_is_capped_while_refinement_draws_the_rest():
    task = load_task("squares-100")
    capped = target_token_budget(task, max_shapes=REFINE_TASK_SHAPES)
    assert capped == token_budget(REFINE_TASK_SHAPES) < target_token_budget(task)
    assert target_token_budget(load_task("line-5"), max_shapes=REFINE_TASK_SHAPES) == token_budget(1)


def test_token_budget_grows_with_the_number_of_shapes():
    assert target_token_budget(load_task("squares-100")) > 4 * target_token_budget(load_task("squares-16"))


# -- bad input -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "argv, message",
    [
        (["search", "no-such-task"], "no-such-task"),
        (["search", "squares-9", "--model", "/no/such/model"], "does not exist"),
        (["search", "squares-9", "--max-epochs", "0"], "--max-epochs must be at least 1, got 0"),
        (["search", "squares-9", "--groups", "8"], "COUNT@TEMPERATURE"),
    ],
)
def test_bad_input_exits_2_with_a_message_before_any_model_loads(argv, message, capsys):
    assert main(argv) == 2
    assert message in capsys.readouterr().err


def test_bad_task_file_fails_fast_without_torch(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"train": [{"input": [[1, 11]], "output": [[1]]}]}')
    code = (
        "import sys; from her_arc.cli import main; rc = main(['search', sys.argv[1]]); "
        "assert 'torch' not in sys.modules, 'torch was loaded'; sys.exit(rc)"
    )
    proc = subprocess.run([sys.executable, "-c", code, str(bad)], capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 2, proc.stderr
    assert "train[0].input" in proc.stderr and "11" in proc.stderr


# -- the loop, with a scripted painter -----------------------------------------------------------


def test_refinement_appends_what_the_painter_draws_on_the_best_drawing(tmp_run_dir, scripted):
    painter = scripted(left_then_right)
    cfg = config(tmp_run_dir, max_epochs=3, sample={"groups": ((2, 0.9),), "max_new_tokens": 400},
                 refine={"canvases": 1, "goals": 1, "samples": 2, "max_shapes": 1, "merge": True})
    result = solve_task(TWO_COLUMNS, cfg, sampler=painter)
    assert result.solved and result.epochs == 2
    assert result.program.count("draw_vertical_line") == 2
    # epoch 1 refines the blank input; epoch 2 the left column it drew, toward the right column still missing
    assert [len(c.prompts) for c in painter.calls] == [1, 1, 1, 1]
    assert BLANK_2X2 + "\n" in painter.calls[1].prompts[0]
    assert "input 2x2\n0-1 0:1 1:0\nchanges 2x2\n0-1 1:2" in painter.calls[3].prompts[0]
    assert result.samples == 4 * 2
    # refinements get room for twice the shapes of their window; the task's prompt the whole budget
    assert [c.max_new_tokens for c in painter.calls] == [None, token_budget(2), None, token_budget(2)]
    assert token_budget(2) < 400
    assert painter.closed == 0  # the caller's sampler is the caller's to close


def test_refinement_samples_at_its_own_temperature(tmp_run_dir, scripted):
    painter = scripted(left_then_right)
    cfg = config(tmp_run_dir, sample={"groups": ((2, 0.1),)},
                 refine={"canvases": 1, "goals": 1, "samples": 3, "temperature": 0.7})
    solve_task(TWO_COLUMNS, cfg, sampler=painter)
    assert [c.groups for c in painter.calls] == [((2, 0.1),), ((3, 0.7),)]


@pytest.mark.parametrize("relabel", ["steps", "drawings"])
def test_relabel_picks_what_the_adapter_learns(tmp_run_dir, scripted, relabel):
    painter = scripted(left_then_right)
    cfg = config(tmp_run_dir, max_epochs=2, refine={"canvases": 1, "goals": 1, "samples": 1},
                 learn={"enabled": True, "relabel": relabel})
    result = solve_task(TWO_COLUMNS, cfg, sampler=painter)
    first = epoch_records(result)[0]
    # epoch 1 drew the left column twice: from the task's prompt (a drawing) and refining the blank (a step);
    # either way one example, trained, and epoch 2 samples with the adapter it made
    assert first["counts"]["trained"] == 1 and first["tokens_trained_epoch"] > 0
    assert [c.adapter_dir for c in painter.calls] == [None, None] + [str(Path(tmp_run_dir, "adapter-1"))] * 2


def test_a_search_that_does_not_learn_never_builds_a_trainer(tmp_path, scripted, monkeypatch):
    import her_arc.lm.training

    def refuse(*args, **kwargs):
        raise AssertionError("an AdapterTrainer was built")

    monkeypatch.setattr(her_arc.lm.training, "AdapterTrainer", refuse)
    painter = scripted(LEFT)  # never solves TWO_COLUMNS
    cfg = config(tmp_path / "off", max_epochs=2, refine={"canvases": 1, "goals": 1, "samples": 1})
    result = solve_task(TWO_COLUMNS, cfg, sampler=painter)
    assert not result.solved and result.epochs == 2 and result.tokens_trained == 0
    assert all(c.adapter_dir is None for c in painter.calls) and not list(Path(result.run_dir).glob("adapter-*"))
    # the same search learning builds one, where this test would see it
    with pytest.raises(AssertionError, match="an AdapterTrainer was built"):
        solve_task(TWO_COLUMNS, config(tmp_path / "on", learn={"enabled": True}), sampler=scripted(LEFT))


@pytest.mark.parametrize("n_views", [1, 2])
def test_a_program_written_for_the_transposed_task_solves_it_once_mapped_back(tmp_run_dir, scripted, n_views):
    task = {"train": [{"input": [[0, 0, 0]] * 4, "output": [[3, 0, 0]] * 4}]}  # the first column, 4x3
    painter = scripted("\n    draw_horizontal_line(img, 0, 3)\n    return img")  # paints the first row
    result = solve_task(task, config(tmp_run_dir, sample={"groups": ((2, 0.9),), "views": n_views}),
                        sampler=painter)
    assert result.solved is (n_views == 2) and result.samples == 2
    assert [p.splitlines()[0] for p in painter.prompts] == ["input 4x3", "input 3x4"][:n_views]
    assert [c.groups for c in painter.calls] == [((2 // n_views, 0.9),)]  # the groups split over the views
    if n_views == 2:
        assert "draw_vertical_line(img, 0, 3)" in result.program


def test_views_that_flip_need_one_grid_shape_and_must_divide_the_groups(tmp_path, capsys):
    task = tmp_path / "two_shapes.json"
    pairs = [{"input": [[0, 0]], "output": [[1, 0]]}, {"input": [[0], [0]], "output": [[1], [0]]}]
    task.write_text(json.dumps({"train": pairs}))
    assert main(["search", str(task), "--views", "4"]) == 2
    assert "1x2 and 2x1" in capsys.readouterr().err
    with pytest.raises(ConfigError, match="divide by views") as error:
        SampleConfig(views=3)
    assert error.value.parameter == "groups"


@pytest.mark.parametrize("stepwise", [0, 2])
def test_stepwise_programs_are_written_a_line_at_a_time_on_the_canvas_drawn_so_far(tmp_run_dir, scripted, stepwise):
    painter = scripted(left_then_right)
    result = solve_task(TWO_COLUMNS, config(tmp_run_dir, sample={"stepwise": stepwise}), sampler=painter)
    # whole programs from the blank input draw the left column only; a chain is asked again on that canvas
    assert result.solved is bool(stepwise) and result.samples == 1 + stepwise
    if stepwise:
        assert result.program.count("draw_vertical_line") == 2
        assert [len(c.prompts) for c in painter.calls] == [1, 1, 2]
        assert [(c.max_new_tokens, c.stop) for c in painter.calls[1:]] == [(32, ("\n",))] * 2  # one line each
        counts = epoch_records(result)[0]["counts"]
        assert (counts["stepwise"], counts["stepwise_exact"], counts["stepwise_lines"]) == (2, 2, 4)
    with pytest.raises(ConfigError, match="stepwise") as error:
        SampleConfig(stepwise=3, views=2)
    assert error.value.parameter == "stepwise"


@pytest.mark.parametrize("merge", [True, False])
def test_merge_adds_up_programs_that_each_drew_part_of_the_target(tmp_run_dir, scripted, merge):
    task = {"train": [{"input": [[0, 0, 0], [0, 0, 0]], "output": [[1, 2, 3], [1, 2, 3]]}]}
    # the i-th sample of any prompt draws column i % 3, and nothing else
    painter = scripted([f"\n    draw_vertical_line(img, {i}, {i + 1})\n    return img" for i in range(3)])
    result = solve_task(task, config(tmp_run_dir, sample={"groups": ((3, 0.9),)}, refine={"merge": merge}),
                        sampler=painter)
    assert result.solved is merge
    if merge:
        assert result.program.count("draw_vertical_line") == 3


def test_composition_runs_one_sampled_programs_draws_after_anothers(tmp_run_dir, scripted):
    painter = scripted([LEFT, RIGHT])  # each program draws one column; two of them in turn draw both
    result = solve_task(TWO_COLUMNS, config(tmp_run_dir, sample={"groups": ((2, 0.9),), "compose": 4}),
                        sampler=painter)
    assert result.solved and result.program.count("draw_vertical_line") == 2
    assert epoch_records(result)[0]["counts"]["composed"] == 2  # both orders of the two programs


def test_a_run_writes_what_it_found_and_the_settings_it_ran_with(tmp_run_dir, scripted):
    import her_arc

    cfg = config(tmp_run_dir, max_epochs=2)
    result = solve_task(TWO_COLUMNS, cfg, sampler=scripted(LEFT))
    run = Path(tmp_run_dir)
    assert not result.solved and result.best_program.count("draw_") == 1 and result.best_accuracy == 0.5
    assert json.loads((run / "result.json").read_text()) == json.loads(json.dumps(result.to_dict()))
    saved = json.loads((run / "config.json").read_text())
    assert saved["her_arc_version"] == her_arc.__version__ and saved["run"]["run_dir"] == tmp_run_dir
    assert SearchConfig.from_dict({k: v for k, v in saved.items()
                                   if k not in ("her_arc_version", "config_format")}) == cfg
    assert [r["epoch"] for r in epoch_records(result)] == [1, 2] and not (run / "solution.py").exists()


def test_no_epoch_starts_past_the_time_budget_and_a_resume_counts_the_time_already_spent(tmp_run_dir, scripted):
    cfg = replace(config(tmp_run_dir, max_epochs=5), time_budget_s=1e-9)  # spent as soon as the search starts
    result = solve_task(TWO_COLUMNS, cfg, sampler=scripted(LEFT))
    assert result.epochs == 0 and not result.solved  # the first epoch would start past the budget
    cfg = replace(config(tmp_run_dir, max_epochs=2, run={"resume": True}), time_budget_s=3600.0)
    assert solve_task(TWO_COLUMNS, cfg, sampler=scripted(LEFT)).epochs == 2
    cfg = replace(config(tmp_run_dir, max_epochs=5, run={"resume": True}), time_budget_s=1e-9)
    assert solve_task(TWO_COLUMNS, cfg, sampler=scripted(LEFT)).epochs == 2  # resumed, out of time at once


def test_a_search_can_sample_with_a_given_adapter_and_export_its_examples_instead_of_training(
        tmp_run_dir, scripted):
    """What ``her-arc solve --learn shared`` asks of each task's search."""
    painter = scripted(["\n    draw_vertical_line(img, 0, 1)\n    return img",
                        "\n    draw_vertical_line(img, 1, 1)\n    return img"])
    cfg = config(tmp_run_dir, max_epochs=2, sample={"groups": ((2, 0.9),)},
                 learn={"adapter_dir": "/shared/adapter-1", "export_examples": True, "relabel": "drawings"})
    result = solve_task(TWO_COLUMNS, cfg, sampler=painter)
    assert not result.solved and result.tokens_trained == 0 and not list(Path(tmp_run_dir).glob("adapter-*"))
    assert {c.adapter_dir for c in painter.calls} == {"/shared/adapter-1"}
    first = json.loads((Path(tmp_run_dir) / "examples-1.json").read_text())
    assert len(first) == 2 and all(prompt and "draw_vertical_line" in program for prompt, program in first)
    assert json.loads((Path(tmp_run_dir) / "examples-2.json").read_text()) == []  # each output exported once
    with pytest.raises(ConfigError, match="turn enabled off"):
        LearnConfig(enabled=True, export_examples=True)


def test_resuming_a_solved_run_keeps_its_solution(tmp_run_dir, scripted):
    left_only = {"train": [{"input": [[0, 0], [0, 0]], "output": [[1, 0], [1, 0]]}]}
    first = solve_task(left_only, config(tmp_run_dir, max_epochs=3), sampler=scripted(LEFT))
    assert first.solved and first.epochs == 1
    again = solve_task(left_only, config(tmp_run_dir, max_epochs=3, run={"resume": True}),
                       sampler=scripted("\n    return img"))
    assert again.solved and again.epochs == 1 and again.program == first.program


# -- real runs -----------------------------------------------------------------------------------


@pytest.mark.slow
def test_shipped_painter_solves_a_one_line_task_end_to_end(tmp_run_dir):
    cfg = SearchConfig(max_epochs=4, seed=0, sample=SampleConfig(groups=((4, 0.1), (32, 0.9)), backend="transformers"),
                       run=RunConfig(run_dir=tmp_run_dir))
    result = solve_task(one_line_task(), cfg)
    assert result.solved, f"best {result.best_accuracy}: {result.best_program}"
    assert result.test_outputs == [one_line_task()["train"][0]["output"]]
    run = Path(result.run_dir)
    for name in ("config.json", "epochs.jsonl", "solution.py", "result.json", "accuracy.png", "drawings.png"):
        assert (run / name).is_file(), name
    records = epoch_records(result)
    assert records[-1]["solved"] and len(records) == result.epochs
    assert result.samples == sum(r["counts"]["sampled"] + r["counts"].get("refine_sampled", 0)
                                 + r["counts"]["stepwise"] for r in records)


@pytest.mark.slow
def test_a_killed_run_resumes_from_its_last_finished_epoch(tmp_path):
    run_dir = tmp_path / "run"
    argv = [sys.executable, "-m", "her_arc.cli", "search", "squares-36", "--backend", "transformers",
            "--groups", "2@0.1,6@0.9", "--max-epochs", "3", "--run-dir", str(run_dir), "--threads", "1",
            "--no-plots", "--refine", "2", "--refine-goals", "2", "--refine-samples", "2"]
    proc = subprocess.Popen(argv, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
    epochs = run_dir / "epochs.jsonl"
    deadline = time.time() + 300
    while time.time() < deadline and not (epochs.is_file() and epochs.read_text().count("\n") >= 1):
        assert proc.poll() is None, proc.stderr.read().decode()
        time.sleep(0.5)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    done = [json.loads(line)["epoch"] for line in epochs.read_text().splitlines()]
    assert done == list(range(1, len(done) + 1)) and done[0] == 1

    resumed = subprocess.run(argv + ["--resume", "--json"], cwd=ROOT, capture_output=True, text=True)
    assert f"resuming from epoch {len(done) + 1} of {run_dir}" in resumed.stderr, resumed.stderr
    result = json.loads(resumed.stdout)
    # exit 0 exactly when solved; an unsolved run goes on to --max-epochs, continuing the numbering
    assert resumed.returncode == (0 if result["solved"] else 1), resumed.stderr
    numbers = [json.loads(line)["epoch"] for line in epochs.read_text().splitlines()]
    assert numbers == list(range(1, len(numbers) + 1)) and len(numbers) > len(done)
    assert result["epochs"] == len(numbers)
    assert result["solved"] == json.loads(epochs.read_text().splitlines()[-1])["solved"]
    if not result["solved"]:
        assert len(numbers) == 3
    assert {"solved", "epochs", "samples", "wall_time_s", "program"} <= set(result)

    again = subprocess.run(argv, cwd=ROOT, capture_output=True, text=True)
    assert again.returncode == 2 and "--resume" in again.stderr


@pytest.mark.slow
def test_full_fine_tuning_runs_a_real_search_that_samples_its_own_weights_and_resumes(tmp_path):
    """--full: each epoch trains every weight, saves a model directory, and the next epoch samples with it."""
    from her_arc.lm.weights import is_full_model

    run_dir = tmp_path / "run"
    argv = [sys.executable, "-m", "her_arc.cli", "search", "squares-36", "--backend", "transformers", "--full",
            "--groups", "2@0.1,6@0.9", "--max-epochs", "2", "--run-dir", str(run_dir),
            "--threads", "1", "--no-plots", "--refine", "0", "--stepwise", "0", "--relabel", "drawings", "--json"]
    first = subprocess.run(argv, cwd=ROOT, capture_output=True, text=True)
    result = json.loads(first.stdout)
    epochs = [json.loads(line) for line in (run_dir / "epochs.jsonl").read_text().splitlines()]
    if result["solved"] and len(epochs) == 1:
        pytest.skip("solved in epoch 1: nothing was fine-tuned")
    assert epochs[0]["tokens_trained_epoch"] > 0 and epochs[0]["train_loss"] is not None
    saved = sorted(run_dir.glob("adapter-*"))
    assert saved and all(is_full_model(d) for d in saved)
    assert json.loads((run_dir / "config.json").read_text())["learn"]["adapter"]["full"] is True

    more = subprocess.run([*argv[:argv.index("--max-epochs") + 1], "3", *argv[argv.index("--max-epochs") + 2:],
                           "--resume"], cwd=ROOT, capture_output=True, text=True)
    assert "resuming from epoch 3" in more.stderr or json.loads(more.stdout)["solved"], more.stderr
    assert len((run_dir / "epochs.jsonl").read_text().splitlines()) == 3 or json.loads(more.stdout)["solved"]


def test_full_fine_tuning_refuses_a_backend_that_serves_lora_only(tmp_run_dir, monkeypatch):
    import her_arc.lm.sampling as sampling

    closed = []

    class LoraOnly:
        backend = "vllm"

        def close(self):
            closed.append(True)

    monkeypatch.setattr(sampling, "make_sampler", lambda config: LoraOnly())
    cfg = SearchConfig(max_epochs=1, learn=LearnConfig(adapter=AdapterConfig(full=True)),
                       run=RunConfig(run_dir=tmp_run_dir, plots=False))
    with pytest.raises(ValueError, match="full fine-tuning .* needs the transformers backend"):
        solve_task("line-5", cfg)
    assert closed == [True]


# -- the search command's output -----------------------------------------------------------------


def test_progress_line_names_what_ran_was_refined_and_merged():
    from her_arc.cli.search import progress_line

    record = {"epoch": 3, "best_accuracy": 0.5, "mean_accuracy": 0.25, "samples": 408, "wall_time_s": 61.2,
              "counts": {"sampled": 40, "ok": 31, "refine_sampled": 96, "refined": 90, "merge_patches": 7,
                         "trained": 64}}
    line = progress_line(record)
    for part in ("epoch   3", "best 0.500", "ran 31/40", "refined 90/96", "merged 7", "trained 64", "samples 408",
                 "61s"):
        assert part in line, part
    del record["counts"]["refine_sampled"], record["counts"]["merge_patches"]
    assert "refined" not in progress_line(record) and "merged" not in progress_line(record)


def test_a_run_written_before_a_setting_existed_resumes_with_its_default(tmp_run_dir, scripted):
    solve_task(TWO_COLUMNS, config(tmp_run_dir, max_epochs=1), sampler=scripted(LEFT))
    path = Path(tmp_run_dir) / "config.json"
    saved = json.loads(path.read_text())
    del saved["time_budget_s"], saved["learn"]["export_examples"]  # as an older her-arc wrote it
    path.write_text(json.dumps(saved))
    again = solve_task(TWO_COLUMNS, config(tmp_run_dir, max_epochs=2, run={"resume": True}), sampler=scripted(LEFT))
    assert again.epochs == 2
    saved["learn"]["relabel"] = "steps"  # but a setting that differs from the run's still refuses
    path.write_text(json.dumps(saved))
    with pytest.raises(ValueError, match="learn.relabel"):
        solve_task(TWO_COLUMNS, config(tmp_run_dir, max_epochs=3, run={"resume": True}), sampler=scripted(LEFT))
