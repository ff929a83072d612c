"""`her-arc bench arc`: rows per task, resume, the summary and submissions, and two variants run by two processes."""

import json
import multiprocessing

import pytest

from her_arc.arc.metric import read_submission
from her_arc.experiments import arc_bench
from her_arc.experiments.arc_bench import ArcBenchConfig, run_arc_bench

IDS = ("007bbfb7", "a416b8f3")  # a 3x3 -> 9x9 tiling and a horizontal doubling: small, quick


def _bench(tmp_path, **kw) -> ArcBenchConfig:
    kw = {"variants": ("random",), "ids": IDS, **kw}
    return ArcBenchConfig(split="arc1-train", max_epochs=1, out_dir=str(tmp_path), **kw)


def test_rows_summary_and_submission_and_resume(tmp_path, monkeypatch):
    rows = run_arc_bench(_bench(tmp_path))
    assert [(r["id"], r["variant"], r["status"]) for r in rows] == [(i, "random", "ok") for i in IDS]
    assert all(0.0 <= r["score"] <= 1.0 and r["samples"] == 144 + 2048 for r in rows)  # the model's + the grammar's
    table = (tmp_path / "arc_arc1-train.md").read_text()
    assert "| random | 2 |" in table and "CodeIt" in table
    submission = read_submission(tmp_path / "submission_arc1-train_random.json")
    assert sorted(submission) == sorted(IDS)

    monkeypatch.setattr(arc_bench, "_run_one", lambda *a, **k: pytest.fail("a finished row ran again"))
    again = run_arc_bench(_bench(tmp_path))
    assert [(r["id"], r["score"]) for r in again] == [(r["id"], r["score"]) for r in rows]


def test_a_crashed_row_runs_again(tmp_path):
    rows_path = tmp_path / "arc_arc1-train.json"
    rows_path.write_text(json.dumps({"rows": [{"id": IDS[0], "variant": "random", "seed": 0, "n_pairs": 5,
                                               "n_tests": 1, "status": "error", "error": "boom", "attempts": None,
                                               "seconds": 0.0}]}))
    rows = run_arc_bench(_bench(tmp_path))
    assert [(r["id"], r["status"]) for r in rows if r["id"] == IDS[0]] == [(IDS[0], "ok")]


def _other_variant(out_dir: str, task_id: str) -> None:
    row = {"id": task_id, "variant": "default", "seed": 0, "n_pairs": 1, "n_tests": 1, "status": "refused",
           "error": "prompt too long", "attempts": None, "seconds": 0.1}
    data = {"rows": [], "config": {"max_epochs": 1, "seeds": [0], "threads": 1, "sample_seed": 0}, "ids": [task_id]}
    arc_bench._append_row(arc_bench.Path(out_dir) / "arc_arc1-train.json", data, row,
                          arc_bench.Path(out_dir), "arc1-train")


def test_two_processes_writing_rows_keep_each_others(tmp_path):
    """Two variants run as two processes on one rows file: neither overwrites the other's rows."""
    procs = [multiprocessing.get_context("spawn").Process(target=_other_variant, args=(str(tmp_path), i))
             for i in IDS]
    for p in procs:
        p.start()
    rows = run_arc_bench(_bench(tmp_path))
    for p in procs:
        p.join(60)
        assert p.exitcode == 0
    on_disk = json.loads((tmp_path / "arc_arc1-train.json").read_text())["rows"]
    keys = sorted((r["id"], r["variant"]) for r in on_disk)
    assert keys == sorted([(i, "random") for i in IDS] + [(i, "default") for i in IDS])
    assert len(rows) >= 2


def test_random_time_runs_grammar_programs_for_as_long_as_the_default_took(tmp_path):
    default = {"id": IDS[0], "variant": "default", "seed": 0, "n_pairs": 5, "n_tests": 1, "status": "ok",
               "solved_train": False, "pairs_right": 0, "samples": 288, "epochs": 2, "best_accuracy": 0.5,
               "attempts": [[[[0]]]], "seconds": 1.5}
    (tmp_path / "arc_arc1-train.json").write_text(json.dumps({"rows": [default]}))
    rows = run_arc_bench(_bench(tmp_path, variants=("random_time",)))
    timed = {r["id"]: r for r in rows if r["variant"] == "random_time"}
    assert timed[IDS[0]]["status"] == "ok" and timed[IDS[0]]["time_budget_s"] == 1.5
    assert timed[IDS[0]]["samples"] > 144  # far more programs than the default samples in 1.5 s
    assert timed[IDS[0]]["seconds"] >= 1.5
    assert timed[IDS[1]]["status"] == "error" and "default row" in timed[IDS[1]]["error"]  # rerun once it has one


def test_rows_of_another_budget_fit_or_grammar_setting_are_not_mixed_in(tmp_path, capsys):
    run_arc_bench(_bench(tmp_path, ids=IDS[:1]))
    with pytest.raises(ValueError, match="fit_colors=False"):
        run_arc_bench(_bench(tmp_path, ids=IDS[:1], fit_colors=True))
    with pytest.raises(ValueError, match="max_epochs=1"):
        run_arc_bench(ArcBenchConfig(split="arc1-train", ids=IDS[:1], max_epochs=3, variants=("random",),
                                     out_dir=str(tmp_path)))
    with pytest.raises(ValueError, match="grammar=2048"):
        run_arc_bench(_bench(tmp_path, ids=IDS[:1], grammar=0))
    from her_arc.cli import main

    assert main(["bench", "arc", "--split", "arc1-train", "--variants", "random", "--max-epochs", "1",
                 "--fit-colors", "--limit", "1", "--out-dir", str(tmp_path)]) == 2
    assert "another --out-dir" in capsys.readouterr().err


def test_fit_colors_rows_record_the_setting(tmp_path):
    rows = run_arc_bench(_bench(tmp_path / "fit", ids=IDS[:1], fit_colors=True))
    assert rows[0]["status"] == "ok"
    saved = json.loads((tmp_path / "fit" / "arc_arc1-train.json").read_text())
    assert saved["config"]["fit_colors"] is True


def test_a_model_that_is_not_a_model_directory_is_refused_up_front(tmp_path, capsys):
    from her_arc.cli import main

    assert main(["bench", "arc", "--split", "arc1-train", "--limit", "1", "--model", str(tmp_path / "nope"),
                 "--out-dir", str(tmp_path)]) == 2
    assert "does not exist" in capsys.readouterr().err
    assert not (tmp_path / "arc_arc1-train.json").exists()


def test_rows_from_before_grammar_programs_count_as_the_model_alone(tmp_path):
    """A rows file written before the search ran grammar programs holds rows without them: it takes --grammar 0."""
    row = {"id": IDS[0], "variant": "random", "seed": 0, "n_pairs": 5, "n_tests": 1, "status": "ok", "score": 0.0,
           "samples": 144, "attempts": [[[[0]]]], "seconds": 0.1}
    old = {"rows": [row], "config": {"max_epochs": 1, "time_budget_s": None, "model": None, "seeds": [0]}}
    (tmp_path / "arc_arc1-train.json").write_text(json.dumps(old))
    with pytest.raises(ValueError, match="grammar=0, not 2048"):
        run_arc_bench(_bench(tmp_path, ids=IDS[:1]))
    rows = run_arc_bench(_bench(tmp_path, grammar=0))
    assert [r["samples"] for r in rows if r["id"] == IDS[1]] == [144]  # the model's count alone, as before


def test_the_benchmark_runs_the_searchs_own_grammar_default():
    from her_arc.search.config import SampleConfig

    assert ArcBenchConfig().grammar == SampleConfig().grammar > 0
