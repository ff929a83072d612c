"""``her-arc search``'s flags, generated from the config dataclasses (her_arc.cli.flags), and the command's runs:
its output, resuming, and the run directory it writes (a scripted painter stands in for the model)."""

import dataclasses
import json
import typing
from pathlib import Path

import pytest

import her_arc
from her_arc.cli import build_parser, main
from her_arc.cli.flags import config_from_args
from her_arc.cli.search import parse_groups
from her_arc.errors import ConfigError
from her_arc.search import SearchConfig
from her_arc.search.relabel import Relabel

LEFT = "\n    draw_vertical_line(img, 0, 1)\n    return img"
RIGHT = "\n    draw_vertical_line(img, 1, 2)\n    return img"


def search_parser():
    return build_parser("search").get_default("_parsers")["search"]


def parse(*flags: str):
    return build_parser("search").parse_args(["search", "squares-9", *flags])


def config_of(*flags: str) -> SearchConfig:
    args = parse(*flags)
    return config_from_args(SearchConfig, args, args.config_flags)


def leaf_fields(cls, path=()):
    """(dotted path, field) of every setting of ``cls``, nested dataclasses walked into."""
    hints = typing.get_type_hints(cls)
    for f in dataclasses.fields(cls):
        if dataclasses.is_dataclass(hints[f.name]):
            yield from leaf_fields(hints[f.name], (*path, f.name))
        else:
            yield ".".join((*path, f.name)), f


# -- the flags -----------------------------------------------------------------------------------


def test_every_setting_has_a_flag_with_its_help_and_default():
    flags = {".".join(flag.path): flag for flag in parse().config_flags}
    settable = {path for path, f in leaf_fields(SearchConfig) if f.metadata.get("cli", True)}
    assert set(flags) == settable and "learn.adapter.target_modules" not in flags  # cli=False: Python only
    actions = {option: action for action in search_parser()._actions for option in action.option_strings}
    for path, flag in flags.items():
        action = actions[flag.name]
        assert action.help and "default" in action.help, (path, action.help)
    assert len({flag.name for flag in flags.values()}) == len(flags)  # no two settings share a flag


def test_each_flag_states_its_default_once():
    shown = {flag.name: action.help for action in search_parser()._actions for flag in parse().config_flags
             if flag.name in action.option_strings}
    assert [name for name, text in shown.items() if text.count("default") != 1] == []


def test_help_lists_the_flags(capsys):
    assert main(["search", "--help"]) == 0
    out = capsys.readouterr().out
    for flag in ("--max-epochs", "--groups", "--refine", "--refine-max-shapes", "--refine-temperature",
                 "--no-merge", "--no-learn", "--relabel", "--max-examples", "--lora-r", "--no-plots", "--threads",
                 "--json"):
        assert flag in out, flag
    assert "(default: 8@0.1,32@0.9)" in " ".join(out.split())


def test_flags_reach_the_nested_config():
    config = config_of("--no-learn", "--no-merge", "--refine", "2", "--refine-max-shapes", "0",
                       "--refine-temperature", "0.7", "--relabel", "drawings", "--stepwise", "8",
                       "--stepwise-temperature", "0.3", "--groups", "2@0.1,6@0.9", "--lora-r", "4",
                       "--learning-rate", "3e-4", "--threads", "1", "--no-plots", "--max-epochs", "5")
    assert (config.learn.enabled, config.refine.merge, config.refine.canvases) == (False, False, 2)
    assert (config.refine.max_shapes, config.refine.temperature, config.learn.relabel) == (0, 0.7, Relabel.DRAWINGS)
    assert (config.sample.stepwise, config.sample.stepwise_temperature) == (8, 0.3)
    assert config.sample.groups == ((2, 0.1), (6, 0.9)) and config.max_epochs == 5
    assert (config.learn.adapter.lora_r, config.learn.adapter.lora_alpha) == (4, 8)  # alpha follows the rank
    assert config.learn.adapter.learning_rate == 3e-4
    assert (config.run.num_threads, config.run.plots) == (1, False)


def test_no_flags_give_the_default_config():
    assert config_of() == SearchConfig()


def test_max_examples_0_means_no_cap():
    config = config_of("--max-examples", "0")
    assert config.learn.max_examples == 0
    assert config_of().learn.max_examples == SearchConfig().learn.max_examples == 64


def test_groups_flag_parses_and_explains_its_format():
    assert parse_groups("8@0.1,128@0.9") == ((8, 0.1), (128, 0.9))
    with pytest.raises(Exception, match="COUNT@TEMPERATURE"):
        parse_groups("8x0.1")


@pytest.mark.parametrize(
    "flags, message",
    [
        (["--max-epochs", "0"], "--max-epochs must be at least 1, got 0"),
        (["--refine-max-shapes", "-1"], "--refine-max-shapes must be 0 (whole target) or more, got -1"),
        (["--refine", "-1"], "--refine must be 0 (off) or more, got -1"),
        (["--lora-r", "0"], "--lora-r must be at least 1, got 0"),
        (["--max-examples", "-1"], "--max-examples must be 0 (no cap) or more, got -1"),
        (["--threads", "0"], "--threads must be at least 1, got 0"),
        (["--groups", "3@0.5", "--views", "2"], "--groups counts must divide by views (2)"),
    ],
)
def test_a_bad_value_is_reported_by_its_flag_and_exits_2(flags, message, capsys):
    with pytest.raises(ConfigError) as error:
        config_of(*flags)
    assert str(error.value).startswith(message)
    assert main(["search", "squares-9", *flags]) == 2
    assert message in capsys.readouterr().err


@pytest.mark.parametrize("flag", ["--future", "--train-on", "--refine-stepwise", "--no-such-flag"])
def test_an_unknown_flag_shows_the_search_commands_usage(flag, capsys):
    assert main(["search", "squares-9", flag]) == 2
    err = capsys.readouterr().err
    assert err.startswith("usage: her-arc search ") and f"unrecognized arguments: {flag}" in err
    assert "her-arc search: error:" in err


def test_removed_choices_are_refused(capsys):
    assert main(["search", "squares-9", "--relabel", "both"]) == 2
    assert "invalid choice: 'both'" in capsys.readouterr().err


# -- runs of the command, with a scripted painter --------------------------------------------------


@pytest.fixture
def painter(monkeypatch, scripted):
    """The painter every ``her-arc search`` of the test samples from (set ``painter.respond``)."""
    import her_arc.search

    sampler = scripted(LEFT)
    real = her_arc.search.solve_task
    monkeypatch.setattr(her_arc.search, "solve_task",
                        lambda task, config, progress=None: real(task, config, sampler=sampler, progress=progress))
    return sampler


@pytest.fixture
def two_columns(tmp_path) -> str:
    path = tmp_path / "two-columns.json"
    path.write_text(json.dumps({"train": [{"input": [[0, 0], [0, 0]], "output": [[1, 2], [1, 2]]}]}))
    return str(path)


QUICK = ["--no-learn", "--refine", "0", "--stepwise", "0", "--compose", "0", "--groups", "1@0.9", "--no-plots"]


def test_a_solved_run_prints_its_program_and_counts_epochs_in_the_singular(two_columns, painter, tmp_path, capsys):
    painter.respond = lambda prompt: LEFT if "input 2x2\n0-1 0-1:0" in prompt else RIGHT
    run_dir = tmp_path / "run"
    argv = ["search", two_columns, *QUICK, "--stepwise", "2", "--run-dir", str(run_dir)]
    assert main(argv) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("two-columns: solved in 1 epoch, ") and out[0].endswith(f"run in {run_dir}")
    assert "\n".join(out[1:]) == (run_dir / "solution.py").read_text().strip()


def test_an_unsolved_run_prints_one_line_naming_its_result_file(two_columns, painter, tmp_path, capsys):
    run_dir = tmp_path / "run"
    assert main(["search", two_columns, *QUICK, "--max-epochs", "2", "--run-dir", str(run_dir)]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("two-columns: not solved in 2 epochs, ")
    [best] = out[1:]  # one line, naming the file that holds the program, not the program
    assert best.endswith(f"{run_dir}/result.json") and "0.500" in best and "draw_" not in best
    assert json.loads((run_dir / "result.json").read_text())["best_program"].count("draw_vertical_line") == 1


def test_json_prints_the_result_alone(two_columns, painter, tmp_path, capsys):
    assert main(["search", two_columns, *QUICK, "--max-epochs", "1", "--run-dir", str(tmp_path / "run"), "--json"]) == 1
    result = json.loads(capsys.readouterr().out)
    assert result["solved"] is False and result["epochs"] == 1 and result["run_dir"] == str(tmp_path / "run")


def test_config_json_records_the_run_dir_and_the_version_that_wrote_it(two_columns, painter, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(["search", two_columns, *QUICK, "--max-epochs", "1", "--seed", "3"]) == 1
    [run_dir] = Path("runs").iterdir()  # the default: runs/<task>__seed<seed>__<time>
    assert run_dir.name.startswith("two-columns__seed3__")
    saved = json.loads((run_dir / "config.json").read_text())
    assert saved["run"]["run_dir"] == str(run_dir) and saved["her_arc_version"] == her_arc.__version__
    assert saved["config_format"] == 2 and saved["seed"] == 3 and saved["refine"]["canvases"] == 0


def test_resume_may_change_the_epoch_budget_but_no_setting_of_the_search(two_columns, painter, tmp_path, capsys):
    run_dir = tmp_path / "run"
    argv = ["search", two_columns, *QUICK, "--run-dir", str(run_dir), "--max-epochs", "1"]
    assert main(argv) == 1
    capsys.readouterr()

    assert main(argv) == 2  # the run is there: continuing it must be asked for
    assert "--resume" in capsys.readouterr().err

    assert main([*argv, "--refine-max-shapes", "2", "--resume"]) == 2  # a nested setting of the search changed
    err = capsys.readouterr().err
    assert "cannot resume" in err and "refine.max_shapes was 4, now 2" in err
    assert main([*argv, "--lora-r", "8", "--resume"]) == 2
    err = capsys.readouterr().err  # the rank and the alpha that follows it changed; the first in order is named
    assert "cannot resume" in err and "learn.adapter.lora_alpha was 32, now 16" in err

    assert main([*argv, "--max-epochs", "3", "--plots", "--resume"]) == 1
    assert f"resuming from epoch 2 of {run_dir}" in capsys.readouterr().err
    epochs = [json.loads(line)["epoch"] for line in (run_dir / "epochs.jsonl").read_text().splitlines()]
    assert epochs == [1, 2, 3] and len(painter.calls) == 3


def old_run_dir(path: Path) -> Path:
    """A run directory as her-arc 0.1 wrote it: one flat list of settings, its own state layout."""
    path.mkdir()
    (path / "config.json").write_text(json.dumps({
        "model": None, "max_epochs": 3, "groups": [[8, 0.1], [32, 0.9]], "refine": 4, "refine_stepwise": False,
        "train_on": "steps", "learn": True, "max_examples_per_epoch": 64, "run_dir": str(path), "resume": False}))
    (path / "state.json").write_text(json.dumps({
        "epoch": 1, "trained": [], "best": {"accuracy": 0.5, "program": None}, "adapter": None, "epochs_trained": 0,
        "elite": [], "clock": {"samples": 8, "tokens_generated": 80, "tokens_trained": 0, "sampling_s": 1.0,
                               "execution_s": 1.0, "training_s": 0.0, "wall_time_s": 3.0}}))
    return path


def test_a_run_written_by_her_arc_0_1_is_refused_with_the_reason(tmp_path):
    from her_arc.search import solve_task
    from her_arc.search.config import RunConfig

    run_dir = old_run_dir(tmp_path / "old")
    with pytest.raises(ValueError, match="written by her-arc 0.1, whose settings this version does not read"):
        solve_task("squares-9", SearchConfig(run=RunConfig(run_dir=str(run_dir), resume=True)))


def test_the_search_command_refuses_a_run_written_by_her_arc_0_1(tmp_path, capsys):
    run_dir = old_run_dir(tmp_path / "old")
    assert main(["search", "squares-9", "--run-dir", str(run_dir), "--resume"]) == 2
    assert "written by her-arc 0.1" in capsys.readouterr().err
