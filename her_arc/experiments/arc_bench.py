"""The ARC benchmark: the search over a split (or a list of ids) with a fixed budget per task, scored as ARC Prize does.

    from her_arc.experiments.arc_bench import ArcBenchConfig, run_arc_bench

    rows = run_arc_bench(ArcBenchConfig(split="arc1-eval", limit=100, variants=("default", "sampling_only", "random")))

Variants, on the same tasks and seeds:

* ``default``: :class:`~her_arc.search.config.SearchConfig` with the benchmark's budget (hindsight relabeling and
  LoRA fine-tuning);
* ``sampling_only``: the same with learning off (the same model every epoch): the table shows what learning adds;
* ``random``: programs drawn from the DSL's grammar with no model (:mod:`her_arc.arc.random_search`), as many per task
  as the default runs in its budget (the model's samples plus the search's own grammar programs): the floor a model
  must beat;
* ``random_time``: grammar programs for as long as the ``default`` row of the same task and seed took (its seconds):
  the floor at equal time (random programs are far cheaper to make than sampled ones).

The search sees train pairs and test inputs only; the benchmark scores the attempts against the true test outputs.
One row per (task, variant, seed) is written to ``arc_<split>.json`` as it finishes (atomically), so a killed run
resumes by skipping finished rows (a row that crashed runs again); a search stopped mid-way resumes from its run
directory. ``arc_<split>.md`` holds the summary beside the field's anchors, and ``submission_<split>_<variant>.json``
the ARC Prize submission of each variant.
"""

from __future__ import annotations

import json
import time
import traceback
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np

from her_arc.files import locked, write_text_atomic

VARIANTS = {
    "default": "hindsight relabeling + LoRA fine-tuning (the search's defaults, the benchmark's budget)",
    "sampling_only": "the same search without learning: the same model sampled every epoch",
    "random": "programs from the DSL's grammar, no model, as many per task as the default runs (model + grammar)",
    "random_time": "programs from the DSL's grammar, no model, for as many seconds as the default took on the task",
}

ANCHORS = (
    ("CodeIt (hindsight relabeling, Hodel DSL, CodeT5+ 220M, GPU)", "15 % (59/400, 3 attempts)"),
    ("search-and-learn, no learning (BARC 8B, 512 programs per task)", "23.3 %"),
    ("search-and-learn, 3 learning rounds of 128 (BARC 8B)", "28.3 %"),
    ("the seed author's own small DSL + 0.5B model", "0 real tasks"),
)
"""Scores on ARC-AGI-1 evaluation to put beside ours (../shared/arc.md section 5)."""


@dataclass
class ArcBenchConfig:
    """What the ARC benchmark runs, and its budget per task."""

    split: str = "arc1-eval"
    """the ARC split: arc1-train, arc1-eval, arc2-train or arc2-eval"""
    ids: tuple[str, ...] | None = field(default=None, metadata={"cli": False})
    """task ids to run (default: the whole split, or ``limit`` of it)"""
    limit: int | None = None
    """run this many tasks of the split, a random sample fixed by the sample seed (default: all)"""
    sample_seed: int = 0
    """seed of the random sample of limit tasks"""
    variants: tuple[str, ...] = ("default", "sampling_only", "random")
    """variants to run on the same tasks and seeds"""
    seeds: tuple[int, ...] = (0,)
    """search seeds"""
    max_epochs: int = 2
    """epochs per search"""
    time_budget_s: float | None = None
    """no new epoch starts past this many seconds of a search"""
    threads: int = 1
    """torch CPU threads per search"""
    model: str | None = None
    """the model the searches sample (a Hugging Face causal LM directory; default: the shipped painter)"""
    grammar: int = 2048
    """the searches' grammar programs per epoch beside the model's (``sample.grammar``; 0: the model alone); the
    ``random`` variant gets as many more programs"""
    fit_colors: bool = False
    """every variant also tries each program with the colour mapping the train pairs determine appended
    (``refine.fit_colors``); rows of both settings never share an out_dir"""
    out_dir: str = "benchmarks/results/arc"
    """where the rows, the summary, the submissions and the runs go"""

    def __post_init__(self):
        unknown = [v for v in self.variants if v not in VARIANTS]
        if unknown or not self.variants:
            raise ValueError(f"unknown variants {unknown}: choose from {', '.join(VARIANTS)}")
        if self.limit is not None and self.limit < 1:
            raise ValueError(f"limit must be at least 1, got {self.limit}")
        if self.max_epochs < 1:
            raise ValueError(f"max_epochs must be at least 1, got {self.max_epochs}")
        if self.grammar < 0:
            raise ValueError(f"grammar must be 0 (the model alone) or a number of programs, got {self.grammar}")
        if self.model is not None:  # checked now, not once per task; absolute, so rows name it wherever run from
            from her_arc.painter import resolve_model_dir

            self.model = str(resolve_model_dir(self.model).resolve())


def task_sample(split: str, limit: int | None, seed: int, ids: Sequence[str] | None = None) -> list[str]:
    """The ids to run: ``ids`` as given (checked against the split), else ``limit`` ids drawn by ``seed`` (sorted)."""
    from her_arc.arc.data import task_ids
    from her_arc.tasks import TaskFormatError

    known = task_ids(split)
    if ids is not None:
        missing = [i for i in ids if i not in known]
        if missing:
            raise TaskFormatError(f"no task {missing[0]!r} in {split} ({len(known)} tasks): list them with "
                                  f"`her-arc tasks --split {split}`")
        return list(ids)
    if limit is None or limit >= len(known):
        return list(known)
    picked = np.random.default_rng(seed).permutation(len(known))[:limit]
    return sorted(known[i] for i in picked)


def search_config(variant: str, bench: ArcBenchConfig, seed: int, run_dir: Path):
    from her_arc.search.config import LearnConfig, RefineConfig, RunConfig, SampleConfig, SearchConfig

    return SearchConfig(model=bench.model, max_epochs=bench.max_epochs, seed=seed, time_budget_s=bench.time_budget_s,
                        sample=SampleConfig(grammar=bench.grammar), refine=RefineConfig(fit_colors=bench.fit_colors),
                        learn=LearnConfig(enabled=variant == "default"),
                        run=RunConfig(run_dir=str(run_dir), resume=True, plots=False, num_threads=bench.threads))


def run_arc_bench(bench: ArcBenchConfig, progress: Callable[[dict], None] | None = None) -> list[dict]:
    """Run every (task, variant, seed) not yet in ``out_dir``'s rows; return all rows."""
    from her_arc.arc.data import load_split
    from her_arc.arc.metric import hide_test_outputs, score_task

    ids = task_sample(bench.split, bench.limit, bench.sample_seed, bench.ids)
    tasks = load_split(bench.split)
    out = Path(bench.out_dir)
    rows_path = out / f"arc_{bench.split}.json"
    data = json.loads(rows_path.read_text()) if rows_path.is_file() else {"rows": []}
    _check_same_budget(data, bench, rows_path)
    data.update(config=_plain(asdict(bench)), ids=ids)
    data["rows"] = [r for r in data["rows"] if r["status"] != "error"]  # a crashed task runs again
    done = {(r["id"], r["variant"], r["seed"]) for r in data["rows"]}
    for task_id in ids:
        task = tasks[task_id]
        for seed in bench.seeds:
            for variant in bench.variants:
                if (task_id, variant, seed) in done:
                    continue
                default = _default_row(data["rows"], task_id, seed) if variant == "random_time" else None
                row = _run_one(task, task_id, variant, seed, bench, out, hide_test_outputs, default)
                if row.get("attempts") is not None:
                    row["score"] = score_task(row["attempts"], task.test_outputs)
                data = _append_row(rows_path, data, row, out, bench.split)
                if progress:
                    progress(row)
    write_summary(data, out, bench.split)
    return data["rows"]


def _check_same_budget(data: dict, bench: ArcBenchConfig, rows_path: Path) -> None:
    """Rows of another budget or search setting must not be mixed into one table."""
    previous = data.get("config")
    if not previous or not data["rows"]:
        return
    unset = {"fit_colors": False, "grammar": 0}  # rows written before these settings existed ran without them
    for name in ("max_epochs", "time_budget_s", "model", "fit_colors", "grammar"):
        before, now = previous.get(name, unset.get(name)), getattr(bench, name)
        if before != now:
            raise ValueError(f"{rows_path} holds rows run with {name}={before}, not {now}: give another --out-dir "
                             f"or the same --{name.replace('_', '-')}")


def _append_row(rows_path: Path, data: dict, row: dict, out: Path, split: str) -> dict:
    """Add ``row`` to the rows file under a lock, keeping rows another process (another variant) wrote meanwhile."""
    with locked(rows_path):
        data["rows"].append(row)
        if rows_path.is_file():
            mine = {(r["id"], r["variant"], r["seed"]) for r in data["rows"]}
            data["rows"] += [r for r in json.loads(rows_path.read_text())["rows"]
                             if (r["id"], r["variant"], r["seed"]) not in mine and r["status"] != "error"]
        write_text_atomic(rows_path, json.dumps(data, indent=1))
        write_summary(data, out, split)
    return data


def _default_row(rows: Sequence[dict], task_id: str, seed: int) -> dict | None:
    """The finished (run or refused) ``default`` row of ``task_id`` and ``seed`` (None: there is none yet)."""
    return next((r for r in rows if (r["id"], r["variant"], r["seed"]) == (task_id, "default", seed)
                 and r["status"] in ("ok", "refused")), None)


def _run_one(task, task_id: str, variant: str, seed: int, bench: ArcBenchConfig, out: Path, hide,
             default: dict | None = None) -> dict:
    row = {"id": task_id, "variant": variant, "seed": seed, "n_pairs": len(task.train), "n_tests": len(task.test)}
    start = time.perf_counter()
    try:
        if variant == "random_time":
            from her_arc.arc.random_search import random_search

            if default is None:
                raise RuntimeError("random_time needs this task's finished default row (same seed) to match its "
                                   "time: run --variants default first, or both together (default listed first)")
            if default["status"] == "refused":
                raise ValueError("the default row of this task was refused (its prompt does not fit the model), so "
                                 "there is no time to match: the `random` variant covers this task at the same "
                                 "number of programs")
            budget_s = default["seconds"]
            result = random_search(hide(task), n_programs=None, seed=seed, time_budget_s=budget_s,
                                   fit_colors=bench.fit_colors)
            row.update(status="ok", solved_train=result.solved, pairs_right=result.best_train_right,
                       samples=result.n_programs, epochs=None, best_accuracy=None, time_budget_s=budget_s,
                       attempts=[[np.asarray(g).tolist() for g in a] for a in result.attempts])
        elif variant == "random":
            from her_arc.arc.random_search import random_search

            n = _default_samples(bench)
            result = random_search(hide(task), n_programs=n, seed=seed, fit_colors=bench.fit_colors)
            row.update(status="ok", solved_train=result.solved, pairs_right=result.best_train_right, samples=n,
                       epochs=None, best_accuracy=None, attempts=[[np.asarray(g).tolist() for g in a]
                                                                  for a in result.attempts])
        else:
            from her_arc.search import solve_task

            run_dir = out / "runs" / variant / f"{task_id}-seed{seed}"
            config = search_config(variant, bench, seed, run_dir)
            r = solve_task(hide(task), config)
            row.update(status="ok", solved_train=r.solved, pairs_right=r.pairs_right,
                       samples=r.samples + r.grammar_programs, grammar=r.grammar_programs, epochs=r.epochs,
                       best_accuracy=r.best_accuracy, attempts=r.attempts, program=r.program or r.best_program,
                       model_skipped=r.model_skipped is not None)
    except ValueError as exc:  # a prompt the model cannot read, a setting out of range
        row.update(status="refused", error=str(exc), attempts=None)
    except Exception as exc:  # noqa: BLE001 - one task's crash is recorded and the others go on
        traceback.print_exc()
        row.update(status="error", error=f"{type(exc).__name__}: {exc}", attempts=None)
    row["seconds"] = round(time.perf_counter() - start, 1)
    return row


def _default_samples(bench: ArcBenchConfig) -> int:
    """Programs the default search runs in its budget, the model's and the grammar's (the random variant's count)."""
    from her_arc.search.config import SearchConfig

    c = SearchConfig()
    per_epoch = c.sample.samples + c.refine.samples_per_epoch + c.sample.stepwise + bench.grammar
    return per_epoch * bench.max_epochs


def _plain(value):
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def summarize(rows: Sequence[dict]) -> dict[str, dict]:
    """Per variant: tasks, ARC score (mean over tasks, 2 attempts), tasks with every train pair right, mean time."""
    out = {}
    for variant in dict.fromkeys(r["variant"] for r in rows):
        mine = [r for r in rows if r["variant"] == variant]
        out[variant] = {
            "tasks": len(mine),
            "score": float(np.mean([r.get("score") or 0.0 for r in mine])) if mine else 0.0,
            "solved_test": sum((r.get("score") or 0.0) == 1.0 for r in mine),
            "solved_train": sum(bool(r.get("solved_train")) for r in mine),
            "refused": sum(r["status"] == "refused" for r in mine),
            "grammar_alone": sum(bool(r.get("model_skipped")) for r in mine),
            "errors": sum(r["status"] == "error" for r in mine),
            "mean_pairs_right": float(np.mean([(r.get("pairs_right") or 0) / max(r["n_pairs"], 1) for r in mine])),
            "mean_seconds": float(np.mean([r["seconds"] for r in mine])) if mine else 0.0,
            "samples": int(np.median([r.get("samples") or 0 for r in mine])) if mine else 0,
        }
    return out


def write_summary(data: dict, out: Path, split: str) -> None:
    """``arc_<split>.md`` (the table beside the anchors) and ``submission_<variant>.json`` per variant."""
    from her_arc.arc.metric import write_submission

    rows = data["rows"]
    summary = summarize(rows)
    cfg = data["config"]
    lines = [f"# ARC benchmark: {split}", "",
             f"Budget per task: {cfg['max_epochs']} epochs, seeds {cfg['seeds']}, {cfg['threads']} torch thread(s); "
             f"tasks: {len(data['ids'])} (sample seed {cfg['sample_seed']}, ids in `arc_{split}.json`). "
             f"Model: {cfg.get('model') or 'the shipped painter'}; fitted colours (`--fit-colors`): "
             f"{'on' if cfg.get('fit_colors') else 'off'}; grammar programs per epoch beside the model's "
             f"(`--grammar`): {cfg.get('grammar', 0)}. "
             "Score: the ARC Prize metric (2 attempts per test input, mean over tasks).", "",
             "| variant | tasks | score | test right | all train pairs right | mean share of train pairs right "
             "| refused (prompt too long) | grammar alone (prompt too long) | errors "
             "| programs per task (model + grammar) | mean s per task |",
             "|---|---|---|---|---|---|---|---|---|---|---|"]
    for variant, s in summary.items():
        lines.append(f"| {variant} | {s['tasks']} | {100 * s['score']:.1f} % | {s['solved_test']} "
                     f"| {s['solved_train']} | {s['mean_pairs_right']:.3f} | {s['refused']} | {s['grammar_alone']} "
                     f"| {s['errors']} "
                     f"| {s['samples']} | {s['mean_seconds']:.0f} |")
    lines += ["", "Variants: " + "; ".join(f"`{v}`: {VARIANTS[v]}" for v in summary), "",
              "| anchor (ARC-AGI-1 evaluation) | score |", "|---|---|"]
    lines += [f"| {name} | {score} |" for name, score in ANCHORS]
    write_text_atomic(out / f"arc_{split}.md", "\n".join(lines) + "\n")
    for variant in summary:
        answers = {r["id"]: r["attempts"] for r in rows if r["variant"] == variant and r.get("attempts")}
        if answers:
            write_submission(out / f"submission_{split}_{variant}.json", answers)


__all__ = ["ANCHORS", "VARIANTS", "ArcBenchConfig", "run_arc_bench", "search_config", "summarize", "task_sample"]
