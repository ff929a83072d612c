"""The squares scaling benchmark: rendering from synthetic records, orchestration with a fake search, one real run."""

import json
from pathlib import Path

import pytest

from her_arc.cli import bench as bench_cli
from her_arc.cli import main as cli_main
from her_arc.experiments import benchmark as bench
from her_arc.experiments import benchmark_report as report
from her_arc.search import SearchConfig, SearchResult
from her_arc.search.config import RunConfig, flatten
from her_arc.search.relabel import Relabel

HARDWARE = {"machine": "x86_64", "cpu": "Test CPU 9000", "cpus": 2, "cpus_usable": 2, "memory_gib": 8.0,
            "python": "3.11.7", "torch": "2.13.0", "gpu": None}


def record(n, variant="her", seed=0, solved=True, epochs=4, wall=100.0, program="def task(img):\n    return img",
           curve=None, **extra) -> dict:
    samples = epochs * 136
    rec = {
        "task": f"squares-{n}", "n": n, "seed": seed, "variant": variant, "solved": solved,
        "stopped": "solved" if solved else "max_epochs", "epochs": epochs, "samples": samples,
        "tokens_generated": samples * 50, "tokens_trained": 0 if variant == "sampling_only" else samples * 30,
        "sampling_s": wall * 0.5, "execution_s": wall * 0.1, "training_s": wall * 0.3, "wall_time_s": wall,
        "other_s": wall * 0.1, "solution_lines": 3 if solved else None, "solution_tokens": 12 if solved else None,
        "program": program if solved else None, "best_accuracy": 1.0 if solved else 0.8,
        "accuracy_per_epoch": curve or [0.5 + 0.5 * (i + 1) / epochs for i in range(epochs)],
        "learn": variant != "sampling_only", "run_dir": f"runs/x/{n}",
    }
    rec.update(extra)
    return rec


def synthetic_data(records=None) -> dict:
    records = records if records is not None else [
        record(16, epochs=4, wall=300.0),
        record(16, "sampling_only", solved=False, epochs=30, wall=900.0),
        record(25, epochs=7, wall=700.0),          # within the reference's 8 epochs, but over 600 s
        record(25, seed=1, epochs=9, wall=500.0),  # over the reference's 8 epochs
        record(9, epochs=2, wall=50.0),
    ]
    return {
        "benchmark": "squares", "schema": bench.SCHEMA, "started": "20261122-170000",
        "date": "2026-11-22T17:00:00+00:00", "finished": "2026-11-22T18:00:00+00:00",
        "command": "her-arc bench squares --n 9 16 25 --seeds 0 1", "hardware": HARDWARE,
        "load_average": [1.5, 1.0, 1.0],
        "budget": {"max_epochs": 30, "time_budget_s": None, "groups": [[8, 0.1], [128, 0.9]],
                   "samples_per_epoch": 136, "backend": "transformers", "model": None, "num_threads": 1},
        "ns": [9, 16, 25], "seeds": [0, 1], "variants": ["her", "sampling_only"],
        "defaults": {"learning_rate": 1e-3, "relabel": "steps", "only_novel": True},
        "runs_dir": "runs/x", "records": records,
    }


def summary_row(markdown: str, n: int, variant: str) -> list[str]:
    section = markdown.split("## Summary")[1].split("## Runs")[0]
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip("|").split("|")]
        if cells[:2] == [str(n), variant]:
            return cells
    raise AssertionError(f"no summary row for N={n} {variant}:\n{section}")


# -- rendering -----------------------------------------------------------------------------------


def test_markdown_names_date_hardware_seeds_and_budget():
    md = report.render_markdown(synthetic_data())
    assert "2026-11-22T17:00:00" in md
    assert "Test CPU 9000 (x86_64), 2 CPU cores" in md and "no GPU" in md
    assert "Seeds 0, 1" in md
    assert "30 epochs" in md and "136 samples per epoch (8@T0.1 + 128@T0.9)" in md
    assert "her-arc bench squares --n 9 16 25 --seeds 0 1" in md


def test_summary_puts_the_reference_beside_ours():
    md = report.render_markdown(synthetic_data())
    # N | variant | solved | epochs | ref epochs | samples | ref samples | wall | ref wall | target met
    assert summary_row(md, 16, "her") == ["16", "her", "1/1", "4", "5", "544", "680", "300", "–", "1/1"]
    assert summary_row(md, 16, "sampling_only") == [
        "16", "sampling_only", "0/1", ">30", "5", ">4080", "680", ">900", "–", "0/1"]
    assert summary_row(md, 25, "her") == ["25", "her", "2/2", "7 / 9", "8", "952 / 1224", "1088", "700 / 500",
                                          "900", "0/2"]
    assert summary_row(md, 9, "her")[4] == "–"  # the reference has no squares-9 figure


def test_runs_table_has_the_time_split_and_solution_size_with_the_reference():
    md = report.render_markdown(synthetic_data())
    runs = md.split("## Runs")[1].split("## Best accuracy")[0]
    row = next(line for line in runs.splitlines() if line.startswith("| 16 | her |"))
    cells = [c.strip() for c in row.strip("|").split("|")]
    assert cells[8:13] == ["300", "150", "30", "90", "30"]  # wall, sampling, execution, training, other
    assert cells[13:15] == ["3 (15)", "12 (382)"]
    header = next(line for line in runs.splitlines() if line.startswith("| N |"))
    assert len(header.strip("|").split("|")) == len(cells)


def test_an_errored_run_keeps_the_table_rectangular():
    data = synthetic_data([record(16), {"task": "squares-16", "n": 16, "seed": 1, "variant": "her",
                                        "solved": False, "error": "RuntimeError: out of memory", "run_dir": "r"}])
    md = report.render_markdown(data)
    runs = md.split("## Runs")[1].split("## Best accuracy")[0]
    widths = {len(line.strip("|").split("|")) for line in runs.splitlines() if line.startswith("|")}
    assert len(widths) == 1
    assert "error: RuntimeError: out of memory" in runs
    assert summary_row(md, 16, "her")[3] == "4 / error"


def test_target_status_follows_the_issue():
    assert report.target_status(record(16, epochs=5)) == "met"
    assert report.target_status(record(16, epochs=6)) == "missed"                 # more epochs than the reference
    assert report.target_status(record(16, epochs=4, samples=5 * 136 + 1)) == "missed"  # more samples
    assert report.target_status(record(25, epochs=8, wall=599.0)) == "met"
    assert report.target_status(record(25, epochs=8, wall=601.0)) == "missed"     # 25 squares: under 10 minutes
    assert report.target_status(record(100, epochs=20, wall=3700.0)) == "missed"  # 100 squares: under 60 minutes
    assert report.target_status(record(9, epochs=12)) == "met"  # no reference figure: solved is enough
    assert report.target_status(record(16, solved=False)) == "missed"


def _png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")


def test_outputs_are_written_atomically_and_json_round_trips(tmp_path):
    data = synthetic_data()
    paths = bench.write_outputs(data, tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "squares.json", "squares.md", "squares_curves.png", "squares_scaling.png"]  # no temporary files left
    assert bench.load_results(paths["json"]) == data
    md = paths["markdown"].read_text()
    assert md == report.render_markdown(data, images=("squares_scaling.png", "squares_curves.png"))
    assert "![epochs, samples and wall time against N](squares_scaling.png)" in md
    for key in ("scaling", "curves"):
        width, height = _png_size(paths[key])
        assert width > 300 and height > 200


def test_curves_get_one_panel_per_variant(tmp_path):
    one = synthetic_data([record(16), record(25)])
    one["variants"] = ["her"]
    three = synthetic_data([record(16), record(16, "sampling_only", solved=False), record(16, "relabel_drawings")])
    three["variants"] = ["her", "sampling_only", "relabel_drawings"]
    report.plot_curves(one, tmp_path / "one.png")
    report.plot_curves(three, tmp_path / "three.png")
    assert _png_size(tmp_path / "three.png")[0] > 2 * _png_size(tmp_path / "one.png")[0]


def test_from_json_rerenders_without_running(tmp_path, monkeypatch):
    data = synthetic_data()
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "squares.json").write_text(json.dumps(data))
    monkeypatch.setattr(bench, "run_benchmark", lambda *a, **k: pytest.fail("--from-json must not run searches"))
    source = str(tmp_path / "in" / "squares.json")
    assert bench_cli.main(["--from-json", source, "--out-dir", str(tmp_path / "out")]) == 0
    assert (tmp_path / "out" / "squares.md").read_text() == report.render_markdown(
        data, images=("squares_scaling.png", "squares_curves.png"))
    assert bench_cli.main(["--from-json", str(tmp_path / "in" / "squares.json")]) == 0  # default: beside the JSON
    assert (tmp_path / "in" / "squares_curves.png").is_file()


def test_from_json_rejects_a_file_it_did_not_write(tmp_path, capsys):
    other = tmp_path / "executor.json"
    other.write_text(json.dumps({"rows": []}))
    assert bench_cli.main(["--from-json", str(other)]) == 2
    assert "not a 'squares' benchmark result" in capsys.readouterr().err


# -- settings ------------------------------------------------------------------------------------


def test_variants_change_only_what_they_name():
    base = SearchConfig(max_epochs=7, run=RunConfig(plots=False))
    assert bench.variant_config("her", base) == base
    sampling = bench.variant_config("sampling_only", base)
    assert sampling.learn.enabled is False and bench.variant_config("her", base).learn.enabled is True
    assert sampling.max_epochs == 7 and sampling.sample.groups == base.sample.groups
    assert bench.variant_config("relabel_drawings", base).learn.relabel is Relabel.DRAWINGS
    assert bench.variant_config("her", base).learn.relabel is base.learn.relabel
    with pytest.raises(ValueError, match="unknown variant"):
        bench.variant_config("grpo", base)


def test_full_finetune_variant_takes_full_fine_tunings_learning_rate_not_loras():
    base = SearchConfig(max_epochs=3, seed=4)
    full = bench.variant_config("full_finetune", base)
    assert full.learn.adapter.full and full.learn.adapter.learning_rate == 1e-4
    assert base.learn.adapter.learning_rate == 1e-3
    off, on = flatten(full.to_dict()), flatten(base.to_dict())
    assert {k for k in off if off[k] != on[k]} == {"learn.adapter.full", "learn.adapter.learning_rate"}


class WordTokenizer:
    def encode(self, text, add_special_tokens=True):
        return text.split()


def test_solution_size_counts_lines_and_tokens():
    program = "def task(img):\n    draw_pixel(img, (0, 0), 1)\n\n    return img\n"
    assert bench.solution_size(program, WordTokenizer()) == (3, 8)
    assert bench.solution_size(None, WordTokenizer()) == (None, None)


@pytest.mark.parametrize(
    "argv, message",
    [
        (["--n", "7"], "squares-N for N in [7]"),
        (["--variants", "grpo"], "unknown variant"),
        (["--n", "9", "--model", "/no/such/model"], "does not exist"),
        (["--n", "9", "--backend", "tf"], "invalid choice: 'tf'"),
        (["--n", "9", "--groups", "8"], "COUNT@TEMPERATURE"),
        (["--n", "9", "--max-epochs", "0"], "max_epochs"),
    ],
)
def test_bad_input_exits_2_before_any_search(argv, message, capsys, tmp_path, monkeypatch):
    monkeypatch.setattr("her_arc.search.solve_task", lambda *a, **k: pytest.fail("a search ran on bad input"))
    monkeypatch.setattr(bench, "vllm_usable", lambda: False)  # importing vLLM takes seconds
    assert bench_cli.main([*argv, "--out-dir", str(tmp_path)]) == 2
    assert message in capsys.readouterr().err
    assert not (tmp_path / "squares.json").exists()


def test_her_arc_bench_squares_is_the_same_harness(capsys, tmp_path):
    assert cli_main(["bench", "squares", "--n", "7", "--out-dir", str(tmp_path)]) == 2
    assert "squares-N for N in [7]" in capsys.readouterr().err
    assert cli_main(["bench"]) == 2
    assert "name a benchmark" in capsys.readouterr().err
    assert cli_main(["bench", "squares", "--help"]) == 0
    assert "--from-json" in capsys.readouterr().out


# -- orchestration with a fake search ------------------------------------------------------------


class FakeSearch:
    """Stands in for solve_task: squares-N takes N // 4 epochs (never solved with learn=False), 10 s per epoch."""

    def __init__(self):
        self.calls = []

    def __call__(self, task, config, progress=None):
        self.calls.append((task.name, config))
        n = int(task.name.split("-")[1])
        need = n // 4 if config.learn.enabled else 10**6
        run = Path(config.run.run_dir)
        run.mkdir(parents=True, exist_ok=True)
        (run / "state.json").write_text("{}")
        lines = []
        for epoch in range(1, config.max_epochs + 1):
            solved = epoch >= need
            rec = {"epoch": epoch, "best_accuracy": 1.0 if solved else epoch / need, "solved": solved,
                   "counts": {"sampled": 136, "ok": 136}, "samples": 136 * epoch, "tokens_generated": 5000 * epoch,
                   "tokens_trained": 3000 * epoch * config.learn.enabled, "sampling_s": 6.0 * epoch,
                   "execution_s": 1.0 * epoch, "training_s": 2.0 * epoch * config.learn.enabled,
                   "wall_time_s": 10.0 * epoch}
            lines.append(json.dumps(rec))
            (run / "epochs.jsonl").write_text("\n".join(lines) + "\n")
            if progress:
                progress(rec)
            if solved:
                break
        return SearchResult(
            solved=solved, program="def task(img):\n    return img" if solved else None, best_program=None,
            best_accuracy=rec["best_accuracy"], accuracy_per_epoch=[json.loads(x)["best_accuracy"] for x in lines],
            epochs=epoch, run_dir=str(run), **{k: rec[k] for k in bench._CLOCK},
        )


@pytest.fixture
def fake_search(monkeypatch):
    fake = FakeSearch()
    monkeypatch.setattr("her_arc.search.solve_task", fake)
    monkeypatch.setattr(bench, "hardware_info", lambda: HARDWARE)
    monkeypatch.setattr(bench, "vllm_usable", lambda: False)
    return fake


def test_run_benchmark_records_every_run_with_its_variant_settings(fake_search, tmp_path):
    records = bench.run_benchmark(
        ns=(16, 9), seeds=(0, 1), variants=("her", "sampling_only", "relabel_drawings"), max_epochs=6,
        groups=((2, 0.1), (6, 0.9)), threads=1, runs_dir=tmp_path / "runs", out_dir=tmp_path / "out",
        tokenizer=WordTokenizer(),
    )
    assert [(r["n"], r["variant"], r["seed"]) for r in records] == [
        (n, v, s) for n in (9, 16) for v in ("her", "sampling_only", "relabel_drawings") for s in (0, 1)]
    configs = {(name, c.seed, c.learn.enabled, c.learn.relabel) for name, c in fake_search.calls}
    default = SearchConfig().learn.relabel
    assert ("squares-16", 1, False, default) in configs and ("squares-16", 1, True, Relabel.DRAWINGS) in configs
    assert all(c.max_epochs == 6 and c.sample.groups == ((2, 0.1), (6, 0.9)) and c.run.num_threads == 1
               and not c.run.plots and not c.run.resume for _, c in fake_search.calls)
    assert {c.run.run_dir for _, c in fake_search.calls} == {
        str(tmp_path / "runs" / f"squares-{n}-seed{s}-{v}")
        for n in (9, 16) for v in ("her", "sampling_only", "relabel_drawings") for s in (0, 1)}
    her16 = next(r for r in records if (r["n"], r["variant"], r["seed"]) == (16, "her", 0))
    assert her16["solved"] and her16["epochs"] == 4 and her16["samples"] == 544 and her16["stopped"] == "solved"
    assert her16["training_s"] == 8.0 and her16["other_s"] == pytest.approx(40.0 - 24.0 - 4.0 - 8.0)
    assert her16["solution_lines"] == 2 and her16["solution_tokens"] == 4
    assert her16["accuracy_per_epoch"] == [0.25, 0.5, 0.75, 1.0]
    sampling = next(r for r in records if (r["n"], r["variant"]) == (16, "sampling_only"))
    assert not sampling["solved"] and sampling["stopped"] == "max_epochs" and sampling["epochs"] == 6
    assert sampling["tokens_trained"] == 0 and sampling["solution_tokens"] is None
    saved = bench.load_results(tmp_path / "out" / "squares.json")
    assert saved["records"] == records and saved["finished"] and saved["hardware"] == HARDWARE
    assert saved["budget"]["max_epochs"] == 6 and saved["seeds"] == [0, 1] and saved["vllm_usable"] is False
    assert "backend auto (transformers here)" in (tmp_path / "out" / "squares.md").read_text()
    assert (tmp_path / "out" / "squares_scaling.png").is_file()


def test_time_budget_stops_a_run_between_epochs(fake_search, tmp_path):
    [rec] = bench.run_benchmark(ns=(100,), max_epochs=30, time_budget_s=35, runs_dir=tmp_path / "runs",
                                tokenizer=WordTokenizer())
    assert not rec["solved"] and rec["stopped"] == "time_budget"
    assert rec["epochs"] == 4 and rec["wall_time_s"] == 40.0 and rec["samples"] == 4 * 136
    assert rec["accuracy_per_epoch"] == [0.04, 0.08, 0.12, 0.16]


def test_resume_runs_only_what_is_missing_and_refuses_another_budget(fake_search, tmp_path):
    kwargs = dict(max_epochs=6, out_dir=tmp_path / "out", tokenizer=WordTokenizer())
    bench.run_benchmark(ns=(9,), seeds=(0,), runs_dir=tmp_path / "runs", **kwargs)
    assert len(fake_search.calls) == 1
    records = bench.run_benchmark(ns=(9, 16), seeds=(0,), resume=True, **kwargs)
    assert [c.seed for _, c in fake_search.calls] == [0, 0] and fake_search.calls[1][0] == "squares-16"
    assert fake_search.calls[1][1].run.run_dir == str(tmp_path / "runs" / "squares-16-seed0-her")  # the same runs dir
    assert fake_search.calls[1][1].run.resume  # an interrupted search continues from its run directory
    assert [r["n"] for r in records] == [9, 16]
    with pytest.raises(ValueError, match="cannot resume"):
        bench.run_benchmark(ns=(25,), resume=True, **{**kwargs, "max_epochs": 7})
    with pytest.raises(FileExistsError, match="already holds search runs"):
        bench.run_benchmark(ns=(9,), runs_dir=tmp_path / "runs", **kwargs)


def test_a_crashed_run_is_recorded_and_the_others_go_on(fake_search, monkeypatch, tmp_path, capsys):
    def flaky(task, config, progress=None):
        if task.name == "squares-9":
            raise RuntimeError("worker died")
        return fake_search(task, config, progress)

    monkeypatch.setattr("her_arc.search.solve_task", flaky)
    records = bench.run_benchmark(ns=(9, 16), max_epochs=6, runs_dir=tmp_path / "runs", tokenizer=WordTokenizer())
    assert records[0]["error"] == "RuntimeError: worker died" and records[1]["solved"]
    assert "worker died" in capsys.readouterr().err


def test_result_from_run_dir_rebuilds_the_clock(tmp_path):
    rows = [{"epoch": 1, "best_accuracy": 0.4, "best_program": "a", "solved": False, "samples": 8,
             "tokens_generated": 80, "tokens_trained": 40, "sampling_s": 1.0, "execution_s": 0.5, "training_s": 2.0,
             "wall_time_s": 5.0},
            {"epoch": 2, "best_accuracy": 0.3, "best_program": "b", "solved": False, "samples": 16,
             "tokens_generated": 170, "tokens_trained": 90, "sampling_s": 2.0, "execution_s": 1.0,
             "training_s": 4.0, "wall_time_s": 9.0}]
    (tmp_path / "epochs.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    result = bench.result_from_run_dir(tmp_path)
    assert result["epochs"] == 2 and result["samples"] == 16 and result["wall_time_s"] == 9.0
    assert result["best_program"] == "a" and result["best_accuracy"] == 0.4
    assert result["accuracy_per_epoch"] == [0.4, 0.3] and not result["solved"]


# -- a real run ----------------------------------------------------------------------------------


@pytest.mark.slow
def test_real_run_on_squares_9_writes_every_field(tmp_path):
    argv = ["--n", "9", "--max-epochs", "1", "--groups", "2@0.1,6@0.9", "--backend", "transformers",
            "--threads", "1", "--out-dir", str(tmp_path / "out"), "--runs-dir", str(tmp_path / "runs")]
    assert bench_cli.main(argv) == 0
    data = bench.load_results(tmp_path / "out" / "squares.json")
    [rec] = data["records"]
    assert (rec["n"], rec["seed"], rec["variant"], rec["epochs"], rec["samples"]) == (
        9, 0, "her", 1, 8 + SearchConfig().sample.stepwise + SearchConfig().refine.samples_per_epoch)
    for key in ("solved", "stopped", "tokens_generated", "tokens_trained", "sampling_s", "execution_s",
                "training_s", "other_s", "wall_time_s", "solution_lines", "solution_tokens", "best_accuracy",
                "accuracy_per_epoch", "run_dir"):
        assert key in rec, key
    assert rec["tokens_generated"] > 0 and rec["sampling_s"] > 0
    assert rec["wall_time_s"] >= rec["sampling_s"] + rec["execution_s"] + rec["training_s"]
    assert len(rec["accuracy_per_epoch"]) == 1 and 0 <= rec["best_accuracy"] <= 1
    assert rec["solution_lines"] is None or rec["solution_tokens"] > rec["solution_lines"]
    assert data["hardware"]["cpus"] and data["budget"]["samples_per_epoch"] == 8
    assert data["budget"]["stepwise_per_epoch"] == SearchConfig().sample.stepwise
    assert "--groups 2@0.1,6@0.9" in data["command"]
    assert (tmp_path / "out" / "squares.md").read_text().count("| 9 | her |") == 2  # summary and runs rows
    assert Path(rec["run_dir"], "epochs.jsonl").is_file()


@pytest.mark.parametrize("variant, option", [("no_compose", "sample.compose"), ("no_refine", "refine.canvases"),
                                             ("no_merge", "refine.merge"), ("relabel_drawings", "learn.relabel"),
                                             ("sampling_only", "learn.enabled"), ("fit_colors", "refine.fit_colors")])
def test_off_variants_turn_one_option_off_and_nothing_else(variant, option):
    base = SearchConfig(max_epochs=3, seed=4)
    off, on = flatten(bench.variant_config(variant, base).to_dict()), flatten(base.to_dict())
    assert off[option] != on[option]
    if variant.startswith("no_") or variant == "sampling_only":
        assert on[option] and not off[option]
    assert {k: v for k, v in off.items() if k != option} == {k: v for k, v in on.items() if k != option}
