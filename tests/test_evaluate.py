import json

import pytest

from her_arc.cli import main
from her_arc.evaluate import EvalConfig, evaluate, format_table


@pytest.mark.slow
def test_evaluate_runs_the_shipped_painter_and_reports_every_slice():
    report = evaluate(EvalConfig(n_tasks=3, n_samples=2, max_new_tokens=96, backend="transformers"))
    assert report["n_tasks"] == 3 and report["n_samples"] == 2
    assert 0.0 <= report["pass_at_1"] <= report["pass_at_n"] <= 1.0
    assert 0.0 <= report["valid_rate"] <= 1.0
    assert sum(s["n_tasks"] for s in report["by_draws"].values()) == 3
    assert sum(s["n_tasks"] for s in report["by_size"].values()) == 3
    assert format_table(report).count("\n") >= 3


@pytest.mark.slow
def test_evaluate_cli_prints_one_json_object(capsys):
    argv = ["evaluate", "--tasks", "2", "--samples", "2", "--max-new-tokens", "64", "--backend", "transformers"]
    argv.append("--json")
    assert main(argv) == 0
    report = json.loads(capsys.readouterr().out)
    assert {"pass_at_1", "pass_at_n", "n_samples", "n_tasks", "valid_rate"} <= set(report)


def test_bad_evaluate_options_exit_2(capsys):
    assert main(["evaluate", "--max-draws", "0"]) == 2
    assert "max_draws" in capsys.readouterr().err
    assert main(["evaluate", "--model", "/no/such/model"]) == 2
