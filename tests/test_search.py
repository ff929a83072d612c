import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from her_arc.cli import main
from her_arc.search import SearchConfig, target_token_budget, token_budget
from her_arc.search_cli import parse_groups
from her_arc.tasks import load_task

ROOT = Path(__file__).resolve().parents[1]


def one_line_task() -> dict:
    """A 5x5 blank grid with one horizontal line: the painter draws such lines from its first epoch."""
    grid = np.zeros((5, 5), dtype=int)
    out = grid.copy()
    out[2, :] = 3
    return {"train": [{"input": grid.tolist(), "output": out.tolist()}], "test": [{"input": grid.tolist()}]}


def test_config_rejects_impossible_settings():
    with pytest.raises(ValueError, match="max_epochs"):
        SearchConfig(max_epochs=0)
    with pytest.raises(ValueError, match="groups"):
        SearchConfig(groups=((0, 0.5),))
    with pytest.raises(ValueError, match="order"):
        SearchConfig(order="best_first")
    with pytest.raises(ValueError, match="future adds prefixes of whole drawings"):
        SearchConfig(future=True, train_on="steps")
    with pytest.raises(ValueError, match="train_on must be 'drawings', 'steps' or 'both'"):
        SearchConfig(train_on="programs")


def test_groups_flag_parses_and_explains_its_format():
    assert parse_groups("8@0.1,128@0.9") == ((8, 0.1), (128, 0.9))
    with pytest.raises(Exception, match="COUNT@TEMPERATURE"):
        parse_groups("8x0.1")


def test_search_flags_reach_the_config():
    from her_arc.cli import build_parser
    from her_arc.search_cli import config_from_args

    args = build_parser("search").parse_args(["search", "squares-9", "--no-learn", "--no-merge", "--refine", "2",
                                              "--train-on", "steps", "--stepwise", "8",
                                              "--stepwise-temperature", "0.3", "--refine-stepwise"])
    config = config_from_args(args)
    assert (config.learn, config.merge, config.refine, config.train_on) == (False, False, 2, "steps")
    assert (config.stepwise, config.stepwise_temperature, config.refine_stepwise) == (8, 0.3, True)
    defaults = config_from_args(build_parser("search").parse_args(["search", "squares-9"]))
    assert (defaults.learn, defaults.merge) == (SearchConfig().learn, SearchConfig().merge) == (True, True)
    assert defaults.max_examples_per_epoch == SearchConfig().max_examples_per_epoch
    uncapped = config_from_args(build_parser("search").parse_args(["search", "squares-9", "--max-examples", "0"]))
    assert uncapped.max_examples_per_epoch is None


def test_the_task_prompt_budget_is_capped_while_refinement_draws_the_rest():
    from her_arc.search import REFINE_TASK_SHAPES

    task = load_task("squares-100")
    capped = target_token_budget(task, max_shapes=REFINE_TASK_SHAPES)
    assert capped == token_budget(REFINE_TASK_SHAPES) < target_token_budget(task)
    assert target_token_budget(load_task("line-5"), max_shapes=REFINE_TASK_SHAPES) == token_budget(1)


def test_token_budget_grows_with_the_number_of_shapes():
    assert target_token_budget(load_task("squares-100")) > 4 * target_token_budget(load_task("squares-16"))


@pytest.mark.parametrize(
    "argv, message",
    [
        (["search", "no-such-task"], "no-such-task"),
        (["search", "squares-9", "--model", "/no/such/model"], "does not exist"),
        (["search", "squares-9", "--max-epochs", "0"], "max_epochs"),
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


class ScriptedSampler:
    """A test fake: from a blank canvas it draws the left column; from any other canvas, the right column."""

    LEFT = "\n    draw_vertical_line(img, 0, 1)\n    return img"
    RIGHT = "\n    draw_vertical_line(img, 1, 2)\n    return img"

    def __init__(self):
        self.prompts, self.budgets = [], []

    def sample(self, prompts, groups, adapter_dir=None, *, seed=None, max_new_tokens=None, stop=()):
        from her_arc.sampling import Completion

        self.prompts.append(list(prompts))
        self.budgets.append(max_new_tokens)
        n = sum(count for count, _ in groups)
        texts = [self.RIGHT if "input 2x2\n0-1 0-1:0" not in p else self.LEFT for p in prompts]
        return [[Completion(t, 10, 0, 0.9, "stop") for _ in range(n)] for t in texts]

    def close(self):
        pass


def test_refinement_appends_what_the_painter_draws_on_the_best_drawing(tmp_path):
    from her_arc import solve_task

    task = {"train": [{"input": [[0, 0], [0, 0]], "output": [[1, 2], [1, 2]]}]}
    sampler = ScriptedSampler()
    config = SearchConfig(max_epochs=3, groups=((2, 0.9),), learn=False, compose=0, refine=1, refine_goals=1,
                          refine_samples=2, refine_max_shapes=1, max_new_tokens=400, run_dir=str(tmp_path / "run"),
                          plots=False, stepwise=0, refine_stepwise=False)
    result = solve_task(task, config, sampler=sampler)
    assert result.solved and result.epochs == 2
    assert result.program.count("draw_vertical_line") == 2
    # epoch 1 refines the blank input; epoch 2 the left column it drew, toward the right column still missing
    assert [len(p) for p in sampler.prompts] == [1, 1, 1, 1]
    assert "input 2x2\n0-1 0-1:0\n" in sampler.prompts[1][0]
    assert "input 2x2\n0-1 0:1 1:0\nchanges 2x2\n0-1 1:2" in sampler.prompts[3][0]
    assert result.samples == 4 * 2
    # refinements get room for twice the shapes of their window; the task's prompt the whole budget
    assert sampler.budgets == [None, token_budget(2), None, token_budget(2)] and token_budget(2) < 400


@pytest.mark.parametrize("train_on, trained", [("steps", 1), ("drawings", 1), ("both", 2)])
def test_train_on_picks_what_the_adapter_learns(tmp_path, train_on, trained):
    from her_arc import solve_task

    task = {"train": [{"input": [[0, 0], [0, 0]], "output": [[1, 2], [1, 2]]}]}
    config = SearchConfig(max_epochs=2, groups=((1, 0.9),), compose=0, merge=False, refine=1, refine_goals=1,
                          refine_samples=1, train_on=train_on, run_dir=str(tmp_path / "run"), plots=False,
                          stepwise=0, refine_stepwise=False)
    result = solve_task(task, config, sampler=ScriptedSampler())
    first = json.loads((Path(result.run_dir) / "epochs.jsonl").read_text().splitlines()[0])
    # epoch 1 drew the left column twice: from the task's prompt (a drawing) and refining the blank (a step)
    assert first["counts"]["trained"] == trained and first["tokens_trained_epoch"] > 0


class ColumnSampler:
    """A test fake: its i-th sample of any prompt draws column i % 3, and nothing else."""

    def sample(self, prompts, groups, adapter_dir=None, *, seed=None, max_new_tokens=None, stop=()):
        from her_arc.sampling import Completion

        n = sum(count for count, _ in groups)
        texts = [f"\n    draw_vertical_line(img, {i % 3}, {i % 3 + 1})\n    return img" for i in range(n)]
        return [[Completion(t, 10, 0, 0.9, "stop") for t in texts] for _ in prompts]

    def close(self):
        pass


class RowSampler:
    """A test fake: whatever it is shown, it paints the first row of its grid colour 3."""

    def __init__(self):
        self.prompts = []

    def sample(self, prompts, groups, adapter_dir=None, *, seed=None, max_new_tokens=None, stop=()):
        from her_arc.sampling import Completion

        self.prompts += prompts
        n = sum(count for count, _ in groups)
        return [[Completion("\n    draw_horizontal_line(img, 0, 3)\n    return img", 10, 0, 0.9, "stop")] * n
                for _ in prompts]

    def close(self):
        pass


@pytest.mark.parametrize("n_views", [1, 2])
def test_a_program_written_for_the_transposed_task_solves_it_once_mapped_back(tmp_path, n_views):
    from her_arc import solve_task

    task = {"train": [{"input": [[0, 0, 0]] * 4, "output": [[3, 0, 0]] * 4}]}  # the first column, 4x3
    config = SearchConfig(max_epochs=1, groups=((2, 0.9),), learn=False, compose=0, refine=0, merge=False,
                          views=n_views, stepwise=0, run_dir=str(tmp_path / "run"), plots=False)
    sampler = RowSampler()
    result = solve_task(task, config, sampler=sampler)
    assert result.solved is (n_views == 2) and result.samples == 2
    assert [p.splitlines()[0] for p in sampler.prompts] == ["input 4x3", "input 3x4"][:n_views]
    if n_views == 2:
        assert "draw_vertical_line(img, 0, 3)" in result.program


def test_views_that_flip_need_one_grid_shape_and_must_divide_the_groups(tmp_path, capsys):
    task = tmp_path / "two_shapes.json"
    pairs = [{"input": [[0, 0]], "output": [[1, 0]]}, {"input": [[0], [0]], "output": [[1], [0]]}]
    task.write_text(json.dumps({"train": pairs}))
    assert main(["search", str(task), "--views", "4"]) == 2
    assert "1x2 and 2x1" in capsys.readouterr().err
    with pytest.raises(ValueError, match="divide every group"):
        SearchConfig(views=3)


@pytest.mark.parametrize("stepwise", [0, 2])
def test_stepwise_programs_are_written_a_line_at_a_time_on_the_canvas_drawn_so_far(tmp_path, stepwise):
    from her_arc import solve_task

    task = {"train": [{"input": [[0, 0], [0, 0]], "output": [[1, 2], [1, 2]]}]}
    config = SearchConfig(max_epochs=1, groups=((1, 0.9),), learn=False, compose=0, refine=0, merge=False,
                          stepwise=stepwise, run_dir=str(tmp_path / "run"), plots=False)
    sampler = ScriptedSampler()
    result = solve_task(task, config, sampler=sampler)
    # whole programs from the blank input draw the left column only; a chain is asked again on that canvas
    assert result.solved is bool(stepwise) and result.samples == 1 + stepwise
    if stepwise:
        assert result.program.count("draw_vertical_line") == 2
        assert [len(p) for p in sampler.prompts] == [1, 1, 2] and sampler.budgets[1:] == [32, 32]
        counts = json.loads((Path(result.run_dir) / "epochs.jsonl").read_text())["counts"]
        assert (counts["stepwise"], counts["stepwise_exact"], counts["stepwise_lines"]) == (2, 2, 4)
    with pytest.raises(ValueError, match="stepwise"):
        SearchConfig(stepwise=3, views=2)


@pytest.mark.parametrize("refine_stepwise", [False, True])
def test_stepwise_refinement_asks_each_window_again_on_the_canvas_drawn_so_far(tmp_path, refine_stepwise):
    from her_arc import solve_task

    task = {"train": [{"input": [[0, 0], [0, 0]], "output": [[1, 2], [1, 2]]}]}
    config = SearchConfig(max_epochs=1, groups=((1, 0.9),), learn=False, compose=0, merge=False, refine=1,
                          refine_goals=1, refine_samples=1, refine_max_shapes=0, refine_stepwise=refine_stepwise,
                          stepwise=0, run_dir=str(tmp_path / "run"), plots=False)
    sampler = ScriptedSampler()
    result = solve_task(task, config, sampler=sampler)
    # refining the blank input draws the left column; only a stepwise refinement is asked again for the right one
    assert result.solved is refine_stepwise and result.samples == 2
    assert len(sampler.prompts) == (3 if refine_stepwise else 2)
    if refine_stepwise:
        assert "input 2x2\n0-1 0:1 1:0\nchanges 2x2\n0-1 1:2" in sampler.prompts[2][0]


@pytest.mark.parametrize("merge", [True, False])
def test_merge_adds_up_programs_that_each_drew_part_of_the_target(tmp_path, merge):
    from her_arc import solve_task

    task = {"train": [{"input": [[0, 0, 0], [0, 0, 0]], "output": [[1, 2, 3], [1, 2, 3]]}]}
    config = SearchConfig(max_epochs=1, groups=((3, 0.9),), learn=False, compose=0, refine=0, merge=merge,
                          stepwise=0, run_dir=str(tmp_path / "run"), plots=False)
    result = solve_task(task, config, sampler=ColumnSampler())
    assert result.solved is merge
    if merge:
        assert result.program.count("draw_vertical_line") == 3


@pytest.mark.slow
def test_shipped_painter_solves_a_one_line_task_end_to_end(tmp_path):
    from her_arc import solve_task

    config = SearchConfig(
        max_epochs=4,
        groups=((4, 0.1), (32, 0.9)),
        backend="transformers",
        run_dir=str(tmp_path / "run"),
        seed=0,
    )
    result = solve_task(one_line_task(), config)
    assert result.solved, f"best {result.best_accuracy}: {result.best_program}"
    assert result.test_outputs == [one_line_task()["train"][0]["output"]]
    run = Path(result.run_dir)
    for name in ("config.json", "epochs.jsonl", "solution.py", "result.json", "accuracy.png", "drawings.png"):
        assert (run / name).is_file(), name
    records = [json.loads(line) for line in (run / "epochs.jsonl").read_text().splitlines()]
    assert records[-1]["solved"] and len(records) == result.epochs
    assert result.samples == sum(r["counts"]["sampled"] + r["counts"].get("refine_sampled", 0)
                                 + r["counts"]["stepwise"] for r in records)


@pytest.mark.slow
def test_a_killed_run_resumes_from_its_last_finished_epoch(tmp_path):
    run_dir = tmp_path / "run"
    argv = [
        sys.executable,
        "-m",
        "her_arc.cli",
        "search",
        "squares-16",
        "--backend",
        "transformers",
        "--groups",
        "2@0.1,6@0.9",
        "--max-epochs",
        "3",
        "--run-dir",
        str(run_dir),
        "--threads",
        "1",
        "--no-plots",
        "--refine",
        "2",
        "--refine-goals",
        "2",
        "--refine-samples",
        "2",
    ]
    proc = subprocess.Popen(
        argv, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True
    )
    epochs = run_dir / "epochs.jsonl"
    deadline = time.time() + 300
    while time.time() < deadline and not (epochs.is_file() and epochs.read_text().count("\n") >= 1):
        assert proc.poll() is None, proc.stderr.read().decode()
        time.sleep(0.5)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    done = [json.loads(line)["epoch"] for line in epochs.read_text().splitlines()]
    assert done and done[0] == 1

    resumed = subprocess.run(argv + ["--resume", "--json"], cwd=ROOT, capture_output=True, text=True)
    assert resumed.returncode in (0, 1), resumed.stderr
    result = json.loads(resumed.stdout)
    numbers = [json.loads(line)["epoch"] for line in epochs.read_text().splitlines()]
    assert numbers == list(range(1, len(numbers) + 1)), numbers
    assert result["epochs"] == len(numbers) and (result["solved"] or len(numbers) == 3)
    assert {"solved", "epochs", "samples", "wall_time_s", "program"} <= set(result)

    again = subprocess.run(argv, cwd=ROOT, capture_output=True, text=True)
    assert again.returncode == 2 and "--resume" in again.stderr


def test_progress_line_names_what_ran_was_refined_and_merged():
    from her_arc.search_cli import progress_line

    record = {"epoch": 3, "best_accuracy": 0.5, "mean_accuracy": 0.25, "samples": 408, "wall_time_s": 61.2,
              "counts": {"sampled": 40, "ok": 31, "refine_sampled": 96, "refined": 90, "merge_patches": 7,
                         "trained": 64}}
    line = progress_line(record)
    for part in ("epoch   3", "best 0.500", "ran 31/40", "refined 90/96", "merged 7", "trained 64", "samples 408",
                 "61s"):
        assert part in line, part
    del record["counts"]["refine_sampled"], record["counts"]["merge_patches"]
    assert "refined" not in progress_line(record) and "merged" not in progress_line(record)
