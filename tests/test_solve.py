"""`her-arc solve`: many tasks in parallel processes (or Ray tasks), resumable, one result per task, written once."""

import json
import os
import re
import signal
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from her_arc.cli import main
from her_arc.search.config import LearnConfig, RefineConfig, SampleConfig, SearchConfig
from her_arc.search.relabel import Relabel
from her_arc.solve import LearnMode, SolveConfig, solve_tasks
from her_arc.solve.summary import submission, summarize
from her_arc.solve.tasks import TaskRef, load_all, resolve_tasks
from her_arc.tasks import TaskFormatError, load_task, save_task

TINY = SearchConfig(sample=SampleConfig(groups=((8, 0.5),), stepwise=0, compose=0, grammar=0),
                    refine=RefineConfig(canvases=0))
"""8 samples an epoch, nothing else (no grammar programs: a task the model cannot read is refused): a search of a few
seconds"""
TINY_JSON = {"sample": {"groups": [[8, 0.5]], "stepwise": 0, "compose": 0, "grammar": 0}, "refine": {"canvases": 0}}
REPO = Path(__file__).resolve().parents[1]


# -- which tasks ---------------------------------------------------------------------------------------------------


def test_tasks_from_splits_refs_files_directories_and_bundled_names(tmp_path):
    save_task(load_task("arc1-train/a416b8f3"), tmp_path / "mine.json")
    refs = resolve_tasks(["arc1-eval/00576224", str(tmp_path), "line-5"])
    assert [(r.name, r.source, r.arc_id) for r in refs] == [
        ("arc1-eval__00576224", "arc1-eval/00576224", "00576224"),
        ("mine", str(tmp_path / "mine.json"), "mine"),
        ("line-5", "line-5", "line-5")]
    assert len(resolve_tasks(["arc1-eval"])) == 400
    assert [r.arc_id for r in resolve_tasks(["arc1-train"], ids=["a416b8f3", "007bbfb7"])] == ["a416b8f3", "007bbfb7"]


def test_a_limit_is_a_fixed_sample():
    first = resolve_tasks(["arc1-eval"], limit=20, sample_seed=3)
    assert len(first) == 20 and first == resolve_tasks(["arc1-eval"], limit=20, sample_seed=3)
    assert first != resolve_tasks(["arc1-eval"], limit=20, sample_seed=4)


@pytest.mark.parametrize("specs, ids, problem", [
    (["arc9-eval"], None, "is no ARC split"),
    (["arc1-eval/nope"], None, "nope"),
    (["arc1-train"], ["nope"], "no task 'nope' in arc1-train"),
    (["line-5"], ["x"], "--ids picks tasks of one split"),
    (["line-5", "line-5"], None, "share the name"),
    ([], None, "no tasks given"),
])
def test_bad_task_lists_are_refused_with_a_reason(specs, ids, problem):
    with pytest.raises(TaskFormatError, match=re.escape(problem)):
        load_all(resolve_tasks(specs, ids=ids))


def test_cli_bad_input_exits_2_before_any_search(tmp_path, capsys):
    assert main(["solve", "nope-task", "--out", str(tmp_path / "o")]) == 2
    assert "nope-task" in capsys.readouterr().err
    assert main(["solve", "line-5"]) == 2
    assert "--out" in capsys.readouterr().err
    assert main(["solve", "line-5", "--out", str(tmp_path / "o"), "--workers", "0"]) == 2
    assert "--workers" in capsys.readouterr().err
    assert not (tmp_path / "o").exists()


# -- the totals and the submission ---------------------------------------------------------------------------------


def test_summary_scores_only_tasks_with_known_outputs_and_submission_has_placeholders():
    rows = [{"name": "a", "status": "solved", "score": 1.0, "samples": 8, "seconds": 2.0},
            {"name": "b", "status": "unsolved", "score": 0.0, "samples": 8, "seconds": 2.0},
            {"name": "c", "status": "unsolved", "score": None, "samples": 8, "seconds": 2.0},
            {"name": "d", "status": "error", "error": "boom"},
            {"name": "e", "status": "pending"}]
    s = summarize(rows, seconds=3600.0, done_here=4, workers=2)
    assert (s["tasks"], s["finished"], s["solved_train"], s["scored"], s["score"]) == (5, 3, 1, 2, 0.5)
    assert s["statuses"] == {"solved": 1, "unsolved": 2, "error": 1, "pending": 1} and s["tasks_per_hour"] == 4.0

    task = load_task("arc1-train/a416b8f3")
    refs = [TaskRef("x__1", "arc1-train/a416b8f3", "a416b8f3"), TaskRef("y", "line-5", "line-5")]
    entries = submission([{"name": "x__1", "status": "error"}], {"x__1": task, "y": load_task("line-5")}, refs)
    assert entries == {"a416b8f3": [[]]}  # one placeholder per test input; a task without tests has no entry


# -- real runs -----------------------------------------------------------------------------------------------------


def _events(out: Path) -> list[dict]:
    return [json.loads(line) for line in (out / "log.jsonl").read_text().splitlines()]


@pytest.mark.slow
def test_two_workers_solve_a_list_write_every_output_and_a_rerun_skips_them(tmp_path):
    out = tmp_path / "out"
    config = SolveConfig(out=str(out), workers=2, max_epochs=1, search=TINY)
    result = solve_tasks(["line-5", "arc1-train/a416b8f3"], config, progress=False)
    names = [r["name"] for r in result.rows]
    assert names == ["line-5", "arc1-train__a416b8f3"]
    assert all(r["status"] in ("solved", "unsolved") for r in result.rows)
    arc = result.rows[1]
    assert arc["n_pairs"] == 3 and len(arc["attempts"]) == 1 and arc["score"] in (0.0, 1.0)
    assert result.rows[0]["score"] is None  # a toy task has no test outputs to score against
    assert sorted(p.name for p in (out / "tasks").iterdir()) == ["arc1-train__a416b8f3.json", "line-5.json"]
    assert list(json.loads((out / "submission.json").read_text())) == ["a416b8f3"]
    assert result.summary["finished"] == 2 and result.summary["scored"] == 1
    assert "arc1-train__a416b8f3" in (out / "index.html").read_text()
    assert len({e["pid"] for e in _events(out) if e["event"] == "finish"}) == 2  # a process each
    assert (out / "runs" / "line-5.log").is_file()  # the child's output went to its log, not the terminal

    again = solve_tasks(["line-5", "arc1-train/a416b8f3"], config, progress=False)
    assert [e["event"] for e in _events(out)].count("start") == 2  # nothing ran again
    assert [r["status"] for r in again.rows] == [r["status"] for r in result.rows]


@pytest.mark.slow
def test_a_failing_task_is_recorded_and_the_others_go_on(tmp_path):
    from her_arc.tasks import Task

    noise = np.random.default_rng(0).integers(0, 10, (12, 30, 30), dtype=np.int8)
    unreadable = Task(train=[(noise[i], noise[i + 1]) for i in range(0, 12, 2)], name="huge")  # a prompt the
    # painter's context cannot hold
    save_task(unreadable, tmp_path / "huge.json")
    out = tmp_path / "out"
    result = solve_tasks([str(tmp_path / "huge.json"), "line-5"], SolveConfig(out=str(out), max_epochs=1,
                                                                               search=TINY), progress=False)
    huge, line = result.rows
    assert huge["status"] == "refused" and "prompt is" in huge["error"]  # final: a rerun cannot change it
    assert line["status"] == "solved"
    assert result.summary["statuses"] == {"solved": 1, "refused": 1}

    late = SolveConfig(out=str(tmp_path / "late"), max_epochs=1, search=TINY, task_timeout_s=0.5)
    row = solve_tasks(["line-5"], late, progress=False).rows[0]  # killed while it still imports torch
    assert row["status"] == "timeout" and "--task-timeout-s" in row["error"]
    again = solve_tasks(["line-5"], replace(late, task_timeout_s=None), progress=False).rows[0]
    assert again["status"] == "solved"  # a timeout runs again


def _solve_cli(out: Path, *extra: str) -> subprocess.Popen:
    search = out.parent / "search.json"
    search.write_text(json.dumps(TINY_JSON))
    env = dict(os.environ, OMP_NUM_THREADS="1", PYTHONPATH=str(REPO))
    return subprocess.Popen([sys.executable, "-m", "her_arc.cli", "solve", "arc1-train/a416b8f3",
                             "arc1-train/007bbfb7", "--out", str(out), "--max-epochs", "3", "--workers", "2",
                             "--search-config", str(search), *extra],
                            env=env, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def _wait_for(predicate, timeout_s: float, what: str):
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.2)
    pytest.fail(f"timed out waiting for {what}")


def _some_epoch_done(out: Path) -> bool:
    return any(p.stat().st_size for p in (out / "runs").glob("*/epochs.jsonl")) if (out / "runs").is_dir() else False


def _check_complete_once(out: Path) -> None:
    rows = [json.loads(p.read_text()) for p in sorted((out / "tasks").glob("*.json"))]
    assert sorted(r["name"] for r in rows) == ["arc1-train__007bbfb7", "arc1-train__a416b8f3"]
    assert all(r["status"] in ("solved", "unsolved") for r in rows)
    finishes = [e["name"] for e in _events(out) if e["event"] == "finish"]
    assert sorted(finishes) == sorted(set(finishes)) == sorted(r["name"] for r in rows)  # each written once
    for r in rows:  # every search ran its epochs to the end (resumed, not restarted or cut short)
        epochs = [json.loads(line)["epoch"] for line in (Path(r["run_dir"]) / "epochs.jsonl").read_text().splitlines()]
        assert epochs == list(range(1, len(epochs) + 1)) and (r["status"] == "solved" or len(epochs) == 3)
    assert not list(out.rglob("*.tmp"))


@pytest.mark.slow
def test_kill_9_midway_then_rerun_finishes_every_task_once(tmp_path):
    out = tmp_path / "out"
    first = _solve_cli(out)
    _wait_for(lambda: _some_epoch_done(out), 300, "a first epoch")
    first.send_signal(signal.SIGKILL)
    first.wait(30)
    _wait_for(lambda: not _children_alive(first.pid), 30, "the killed run's searches to die with it")
    second = _solve_cli(out)
    output, _ = second.communicate(timeout=600)
    assert second.returncode == 0, output
    _check_complete_once(out)


def _children_alive(parent_pid: int) -> list[int]:
    alive = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == parent_pid:
            alive.append(int(stat.parent.name))
    return alive


# -- shared learning -----------------------------------------------------------------------------------------------


@pytest.mark.slow
def test_shared_learning_trains_one_adapter_on_every_tasks_examples_each_round(tmp_path):
    out = tmp_path / "out"
    drawings = replace(TINY, learn=LearnConfig(relabel=Relabel.DRAWINGS))  # relabel programs, not steps
    config = SolveConfig(out=str(out), workers=2, max_epochs=2, learn=LearnMode.SHARED, search=drawings)
    result = solve_tasks(["squares-36", "squares-49"], config, progress=False)
    assert all(r["status"] in ("solved", "unsolved") for r in result.rows)
    state = json.loads((out / "shared" / "state.json").read_text())
    carried = [e["name"] for e in _events(out) if e["event"] == "round"]  # unsolved after round 1
    assert carried, "8 samples solved neither task in one epoch (the full search needs 4 and 6)"
    assert state["round"] == 2 and state["adapter"] == "adapter-1" and state["tasks"] == len(carried)
    assert state["examples"] > 0 and (out / "shared" / "adapter-1" / "adapter_model.safetensors").is_file()
    for r in result.rows:
        if r["name"] in carried:  # round 2 sampled with the shared adapter; no task trained its own
            saved = json.loads((Path(r["run_dir"]) / "config.json").read_text())
            assert saved["learn"]["adapter_dir"] == str(out / "shared" / "adapter-1") and r["epochs"] == 2
        assert not list(Path(r["run_dir"]).glob("adapter-*"))


# -- Ray -----------------------------------------------------------------------------------------------------------


@pytest.mark.slow
def test_ray_local_kills_a_worker_midway_and_the_task_is_retried_without_loss(tmp_path):
    pytest.importorskip("ray")
    out = tmp_path / "out"
    run = _solve_cli(out, "--ray", "local", "--retries", "2")
    pid = _wait_for(lambda: _some_epoch_done(out) and _ray_task_workers(), 300, "a Ray worker mid-task")[0]
    os.kill(pid, signal.SIGKILL)
    output, _ = run.communicate(timeout=600)
    assert run.returncode == 0, output
    _check_complete_once(out)
    rows = [json.loads(p.read_text()) for p in (out / "tasks").glob("*.json")]
    assert pid not in {r["pid"] for r in rows}  # the killed worker's task finished in another worker


def _ray_task_workers() -> list[int]:
    """Ray names a worker process after the task it runs."""
    pids = []
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            text = cmdline.read_bytes().decode(errors="replace")
        except OSError:
            continue
        if text.startswith("ray::her-arc-solve"):
            pids.append(int(cmdline.parent.name))
    return pids


def test_a_rerun_may_change_workers_and_budget_but_not_what_shapes_the_results(tmp_path, capsys):
    from her_arc.solve.results import check_same_run

    first = SolveConfig(out=str(tmp_path), learn=LearnMode.SHARED, search=TINY)
    check_same_run(tmp_path, first)
    check_same_run(tmp_path, replace(first, workers=4, max_epochs=9, ray="local"))  # how and how long: fine
    with pytest.raises(ValueError, match="learn = 'shared', now 'per-task'"):
        check_same_run(tmp_path, replace(first, learn=LearnMode.PER_TASK))
    with pytest.raises(ValueError, match=r"started with search\.refine\.canvases = 0, now 4"):
        check_same_run(tmp_path, replace(first, search=SearchConfig()))
    assert main(["solve", "line-5", "--out", str(tmp_path), "--learn", "off"]) == 2  # refused before any search
    assert "another --out" in capsys.readouterr().err and not (tmp_path / "tasks").exists()


def test_an_engine_is_per_task_shared_or_a_server_and_reruns_may_move_between_servers(tmp_path):
    from her_arc.errors import ConfigError
    from her_arc.solve.results import check_same_run

    for bad in ("both", "127.0.0.1:8000"):
        with pytest.raises(ConfigError, match="engine"):
            SolveConfig(out=str(tmp_path), engine=bad)
    with pytest.raises(ConfigError, match="would not use it"):
        SolveConfig(out=str(tmp_path), engine="shared", search=SearchConfig(sample=SampleConfig(backend="vllm")))
    config = SolveConfig(out=str(tmp_path), engine="http://127.0.0.1:8000")
    search = config.search_config("t", server_url="http://127.0.0.1:8000")
    assert (search.sample.backend, search.sample.server_url) == ("server", "http://127.0.0.1:8000")
    assert config.search_config("t").sample.backend == "auto"
    check_same_run(tmp_path, config)
    check_same_run(tmp_path, replace(config, engine="shared"))  # another server of the same model: fine
    with pytest.raises(ValueError, match="engine = 'server', now 'per-task'"):
        check_same_run(tmp_path, replace(config, engine="per-task"))


@pytest.mark.slow
def test_a_shared_engine_serves_every_tasks_adapter_and_stops_with_the_run(tmp_path):
    """Two searches sample from one vLLM server, each loading its own adapter after its first epoch."""
    from her_arc.lm.sampling import vllm_available

    if not vllm_available():
        pytest.skip("vLLM is not importable here (install her-arc[cpu] or [cuda])")
    out = tmp_path / "out"
    config = SolveConfig(out=str(out), workers=2, max_epochs=2, engine="shared")
    result = solve_tasks(["squares-36", "squares-49"], config, progress=False)
    assert all(r["status"] in ("solved", "unsolved") for r in result.rows)
    log = (out / "engine.log").read_text()
    learned = [r["name"] for r in result.rows if (r.get("epochs") or 0) >= 2]
    assert learned  # neither toy falls in one epoch
    for name in learned:  # a second epoch samples with the adapter its first epoch trained
        assert re.search(rf"Loaded new LoRA adapter: name '[^']+', path '[^']*/runs/{name}/adapter-1'", log)
    assert log.count("Removed LoRA adapter") == len(learned)  # each search unloads its adapter when it ends
    for name in ("squares-36", "squares-49"):
        run = json.loads((out / "runs" / name / "config.json").read_text())
        assert run["sample"]["backend"] == "server" and run["sample"]["server_url"].startswith("http://127.0.0.1:")
    assert not re.search(r"api_server", subprocess.run(["ps", "-eo", "args"], capture_output=True,
                                                        text=True).stdout.replace("ps -eo", ""))
