import json

import numpy as np
import pytest

from dsl.sampler import sample_task
from her_arc.cli import main
from her_arc.experiments.evaluate import EvalConfig, evaluate, format_table
from her_arc.lm.prompt import encode_task, with_program_start
from her_arc.testing import ScriptedSampler


@pytest.mark.slow
def test_evaluate_runs_the_shipped_painter_and_reports_every_slice():
    report = evaluate(EvalConfig(n_tasks=3, n_samples=2, decoding="program", max_new_tokens=96,
                                 backend="transformers"))
    assert report["n_tasks"] == 3 and report["n_samples"] == 2
    assert 0.0 <= report["pass_at_1"] <= report["pass_at_n"] <= 1.0
    assert 0.0 <= report["valid_rate"] <= 1.0
    assert sum(s["n_tasks"] for s in report["by_draws"].values()) == 3
    assert sum(s["n_tasks"] for s in report["by_size"].values()) == 3
    assert format_table(report).count("\n") >= 3


@pytest.mark.slow
def test_evaluate_cli_prints_one_json_object(capsys, tmp_path):
    argv = ["evaluate", "--tasks", "2", "--samples", "2", "--max-new-tokens", "64", "--backend", "transformers"]
    argv += ["--json", "--per-task", str(tmp_path / "tasks.jsonl")]
    assert main(argv) == 0
    report = json.loads(capsys.readouterr().out)
    assert {"pass_at_1", "pass_at_n", "n_samples", "n_tasks", "valid_rate"} <= set(report)
    details = [json.loads(line) for line in (tmp_path / "tasks.jsonl").read_text().splitlines()]
    assert len(details) == 2 and all(len(d["samples"]) == 2 for d in details)
    assert [d["solved"] for d in details] == [any(s["accuracy"] == 1.0 for s in d["samples"]) for d in details]


def test_bad_evaluate_options_exit_2(capsys):
    assert main(["evaluate", "--max-draws", "0"]) == 2
    assert "max_draws" in capsys.readouterr().err
    assert main(["evaluate", "--model", "/no/such/model"]) == 2


def prompt_of(task, view=None) -> str:
    """The prompt evaluate asks for ``task`` (in ``view``), in the shipped painter's encoding."""
    pairs = list(zip(task.inputs, task.outputs, strict=True))
    return with_program_start(encode_task(view.apply_pairs(pairs) if view else pairs, "blocks"))


def test_per_task_file_holds_each_task_with_its_samples_best_first(tmp_path):
    config = EvalConfig(n_tasks=3, n_samples=4, decoding="program", per_task_path=str(tmp_path / "out" / "tasks.jsonl"))
    targets = [sample_task(np.random.default_rng([config.seed, i]), config.sampler_config()) for i in range(3)]
    programs = {prompt_of(t): t.program for t in targets}
    # per task: a program that changes nothing, text without a program, the task's own program, and a crash
    sampler = ScriptedSampler(lambda prompt: ["\n    return img", "\n    no program here", programs[prompt],
                                              "\n    raise ValueError('boom')"])
    report = evaluate(config, sampler=sampler)
    assert [c.groups for c in sampler.calls] == [((4, config.temperature),)] and len(sampler.prompts) == 3
    lines = [json.loads(line) for line in (tmp_path / "out" / "tasks.jsonl").read_text().splitlines()]
    assert [d["index"] for d in lines] == [0, 1, 2]
    assert report["pass_at_n"] == 1.0 and report["valid_rate"] == 0.5
    for detail, task in zip(lines, targets, strict=True):
        assert detail["solved"] and detail["target_program"] == task.program
        assert detail["outputs"] == [g.tolist() for g in task.outputs]
        samples = detail["samples"]
        assert samples[0]["accuracy"] == 1.0 and samples[0]["status"] == "ok"
        assert [s["accuracy"] for s in samples] == sorted((s["accuracy"] for s in samples), reverse=True)
        statuses = {s["status"] for s in samples}
        assert "unparsable" in statuses and len(statuses - {"ok", "unparsable"}) == 1
        unparsable = next(s for s in samples if s["status"] == "unparsable")
        assert unparsable["program"] is None and unparsable["completion"] == "\n    no program here"
        assert all(s["completion"] is not None for s in samples)  # the raw text of every sample, parsed or not
    assert not list((tmp_path / "out").glob(".*.tmp"))


def test_per_task_path_that_is_a_directory_exits_2(tmp_path, capsys):
    assert main(["evaluate", "--per-task", str(tmp_path)]) == 2
    assert "--per-task" in capsys.readouterr().err


def test_samples_spread_over_views_are_asked_turned_and_scored_in_the_tasks_frame(tmp_path):
    from her_arc.programs.views import VIEWS, map_program

    config = EvalConfig(n_tasks=3, n_samples=8, views=4, decoding="program",
                        per_task_path=str(tmp_path / "tasks.jsonl"))
    tasks = [sample_task(np.random.default_rng([config.seed, i]), config.sampler_config()) for i in range(3)]
    probe = np.arange(6).reshape(2, 3)
    inverse = {v: next(w for w in VIEWS if np.array_equal(w.apply(v.apply(probe)), probe)) for v in VIEWS[:4]}
    # each prompt is answered with its task's program written for the view it shows, then a loop program (which
    # only the identity view can map back)
    answers = {prompt_of(t, v): map_program(t.program, inverse[v], v.apply(t.inputs[0]).shape)
               for t in tasks for v in VIEWS[:4]}
    loop = "\n    for i in range(2):\n        draw_pixel(img, (i, i), 1)\n    return img"
    sampler = ScriptedSampler(lambda prompt: [answers[prompt], loop])
    report = evaluate(config, sampler=sampler)
    # Per task: 4 right programs (one per view), the loop once runnable (identity) and 3 times unmappable.
    assert report["pass_at_1"] == pytest.approx(0.5) and report["valid_rate"] == pytest.approx(5 / 8)
    pairs = [(VIEWS[1].apply(i), VIEWS[1].apply(o)) for i, o in zip(tasks[0].inputs, tasks[0].outputs, strict=True)]
    assert sampler.prompts[1] == with_program_start(encode_task(pairs, "blocks"))
    details = [json.loads(line) for line in (tmp_path / "tasks.jsonl").read_text().splitlines()]
    for detail in details:
        by_view = {}
        for s in detail["samples"]:
            by_view.setdefault(s["view"], []).append(s)
        assert sorted(by_view) == sorted(v.name for v in VIEWS[:4]) and all(len(s) == 2 for s in by_view.values())
        assert all(any(s["accuracy"] == 1.0 for s in group) for group in by_view.values())
        assert [s["status"] for s in by_view["transpose"] if s["program"] is None] == ["unmappable"]


def test_views_that_do_not_divide_the_samples_exit_2(capsys):
    assert main(["evaluate", "--views", "3"]) == 2
    assert "--views 3" in capsys.readouterr().err
    assert main(["evaluate", "--views", "9"]) == 2
    assert "1-8" in capsys.readouterr().err


def test_generated_arc_tasks_of_held_out_solutions_are_scored_by_kind():
    from her_arc.experiments.evaluate import _arc_tasks
    from her_arc.generate import heldout_ids
    from her_arc.painter import default_model_dir

    config = EvalConfig(data="arc", n_tasks=4, n_samples=2, decoding="program", views=1)
    tasks = _arc_tasks(config, default_model_dir(), "blocks")
    assert len(tasks) == 4 and all(t.source in heldout_ids() for t in tasks if t.source)
    programs = {with_program_start(encode_task(t.pairs, "blocks")): t.program for t in tasks}
    report = evaluate(config, sampler=ScriptedSampler(lambda prompt: [programs[prompt], "\n    return img"]))
    assert report["pass_at_n"] == 1.0 and report["pass_at_1"] == 0.5
    assert sum(s["n_tasks"] for s in report["by_kind"].values()) == 4 and "by_draws" not in report
    assert "kind " in format_table(report)


@pytest.mark.parametrize("bad", [dict(decoding="stepwise"), dict(decoding="program", views=2)])
def test_arc_data_needs_whole_programs_in_one_view(bad):
    with pytest.raises(ValueError, match="--data arc needs --decoding program and --views 1"):
        EvalConfig(data="arc", n_samples=8, **bad)
