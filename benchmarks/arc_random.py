"""The "random" baseline on real ARC tasks: grammar programs (dsl.grammar.random_program), no model.

    OMP_NUM_THREADS=1 python benchmarks/arc_random.py                  # 200 then 1,000 programs per task
    python benchmarks/arc_random.py --n 200 --split arc1-train --limit 20

For every task of the split (ARC-AGI-1 training by default, all 400), runs
``her_arc.arc.random_search.random_search(task, n, seed)`` for each ``n`` in ``--n`` (seed 0; the search sees
only the task with its test outputs hidden), and reports: tasks whose train pairs all fit (solved), how many of
those are also right on test (ARC score, 2 attempts, ``her_arc.arc.metric.score_task``), the ARC score of the
split (every task's 2 attempts, solved or not), and the time per task. Writes
``benchmarks/results/arc_random_train.json`` and ``.md`` after each ``n`` (so a partial run leaves what
finished). The figure to compare with: /work/shared/arc.md §3 (200 programs fit 10 of 400, 1,000 fit 11).

    python benchmarks/arc_random.py --grammar-stats 3000

instead runs 3,000 grammar programs, each on the train inputs of a random training task (seeded), and writes
``benchmarks/results/arc_grammar.md`` (+ ``.json``): the share that crash (any status but ok), return every input
unchanged, return one colour on every input, or give a usable relabeled task (arc.md §3: 3 % / 21 % / 9 % / 66 %),
with the median share of cells changed among the same-shape usable ones.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from her_arc.arc.data import load_split  # noqa: E402
from her_arc.arc.metric import score_task  # noqa: E402
from her_arc.arc.random_search import ARC_TIMEOUT_S, random_search  # noqa: E402
from her_arc.files import write_text_atomic  # noqa: E402
from her_arc.sandbox import ExecutorPool  # noqa: E402


def run(tasks: dict, n: int, seed: int, pool: ExecutorPool) -> dict:
    rows = []
    start = time.perf_counter()
    for i, (task_id, task) in enumerate(tasks.items()):
        result = random_search(task, n, seed, pool)
        score = score_task(result.attempts, task.test_outputs)
        rows.append({
            "task": task_id, "solved": result.solved, "test_score": score,
            "train_right": result.best_train_right, "n_train": result.n_train, "seconds": result.seconds,
            "statuses": result.statuses, "best_program": result.best_programs[0] if result.best_programs else None,
        })  # fmt: skip
        if (i + 1) % 50 == 0:
            solved = sum(r["solved"] for r in rows)
            print(f"  n={n}: {i + 1}/{len(tasks)} tasks, {solved} solved, {time.perf_counter() - start:.0f} s",
                  flush=True)  # fmt: skip
    solved = [r for r in rows if r["solved"]]
    secs = [r["seconds"] for r in rows]
    return {
        "n_programs": n,
        "seed": seed,
        "tasks": len(rows),
        "solved_train": len(solved),
        "solved_and_test_right": sum(r["test_score"] == 1.0 for r in solved),
        "split_score": sum(r["test_score"] for r in rows) / len(rows),
        "tasks_with_test_points": sum(r["test_score"] > 0 for r in rows),
        "seconds_total": time.perf_counter() - start,
        "seconds_per_task_mean": statistics.mean(secs),
        "seconds_per_task_median": statistics.median(secs),
        "seconds_per_task_max": max(secs),
        "solved_ids": [r["task"] for r in solved],
        "rows": rows,
    }


def write(out: Path, split: str, info: dict, runs: list[dict]) -> None:
    data = {**info, "runs": runs}
    write_text_atomic(out.with_suffix(".json"), json.dumps(data, indent=1) + "\n")
    lines = [
        f"# Random grammar programs on {split} (no model)",
        "",
        f"{info['date']}; {info['machine']}; {info['workers']} sandbox workers, {info['timeout_s']:g} s CPU per "
        "program per input grid. Programs from `dsl.grammar.random_program` conditioned on each task's train "
        "inputs, seed "
        f"{runs[0]['seed'] if runs else 0}; attempts ranked by train pairs right, then program length. Written by "
        "`benchmarks/arc_random.py`.",
        "",
        "| programs per task | tasks | train pairs all fit | ...and right on test | ARC score (2 attempts) "
        "| tasks with any test point | s per task (mean / median / max) | total s |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in runs:
        lines.append(
            f"| {r['n_programs']} | {r['tasks']} | {r['solved_train']} | {r['solved_and_test_right']} "
            f"| {100 * r['split_score']:.2f} % | {r['tasks_with_test_points']} | {r['seconds_per_task_mean']:.2f} / "
            f"{r['seconds_per_task_median']:.2f} / {r['seconds_per_task_max']:.2f} | {r['seconds_total']:.0f} |"
        )
    lines += ["", "Reference (/work/shared/arc.md §3, another 33-primitive DSL): 200 programs fit 10 of 400 "
              "(all 10 right on test), 1,000 fit 11.", ""]  # fmt: skip
    for r in runs:
        lines.append(
            f"Solved with {r['n_programs']}: "
            + ", ".join(
                f"{x['task']}{'' if x['test_score'] == 1.0 else ' (test wrong)'}" for x in r["rows"] if x["solved"]
            )
        )
        lines.append("")
    if runs:
        lines.append(f"Shortest fitting program per solved task ({runs[-1]['n_programs']} programs):")
        lines.append("")
        for x in runs[-1]["rows"]:
            if x["solved"]:
                body = "; ".join(s.strip() for s in x["best_program"].splitlines()[2:-1])
                lines.append(f"- {x['task']}: `{body}`")
        lines.append("")
    write_text_atomic(out.with_suffix(".md"), "\n".join(lines))


def grammar_stats(n: int, seed: int, workers: int, out: Path) -> None:
    """Crash / identity / one-colour shares of ``n`` grammar programs on random training tasks' inputs."""
    import numpy as np

    from dsl.grammar import random_program

    tasks = load_split("arc1-train")
    ids = sorted(tasks)
    rng = np.random.default_rng(seed)
    counts = {"crash": 0, "identity": 0, "one colour": 0, "usable": 0}
    changed = []
    errors: dict[str, int] = {}
    start = time.perf_counter()
    with ExecutorPool(workers, timeout_s=ARC_TIMEOUT_S) as pool:
        for _ in range(n):
            inputs = [p.input for p in tasks[ids[int(rng.integers(len(ids)))]].train]
            [result] = pool.execute([random_program(rng, inputs)], inputs)
            if not result.ok:
                counts["crash"] += 1
                key = f"{result.status}: {(result.error or '').split(':')[0]}"
                errors[key] = errors.get(key, 0) + 1
            elif all(o.shape == i.shape and (o == i).all() for o, i in zip(result.outputs, inputs, strict=True)):
                counts["identity"] += 1
            elif all(len(np.unique(o)) == 1 for o in result.outputs):
                counts["one colour"] += 1
            else:
                counts["usable"] += 1
                same = [(o != i).mean() for o, i in zip(result.outputs, inputs, strict=True) if o.shape == i.shape]
                if same:
                    changed.append(float(np.mean(same)))
    data = {
        "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "programs": n,
        "seed": seed,
        "counts": counts,
        "shares": {k: v / n for k, v in counts.items()},
        "median_changed_share_same_shape": statistics.median(changed) if changed else None,
        "errors": dict(sorted(errors.items(), key=lambda kv: -kv[1])),
        "seconds": time.perf_counter() - start,
    }
    write_text_atomic(out.with_suffix(".json"), json.dumps(data, indent=1) + "\n")
    lines = [
        "# Grammar programs on real inputs: how many are usable",
        "",
        f"{data['date']}; {n} `dsl.grammar.random_program` samples, each run (sandbox, {ARC_TIMEOUT_S:g} s) on the "
        f"train inputs of a random ARC-AGI-1 training task, seed {seed}. Written by "
        "`benchmarks/arc_random.py --grammar-stats`.",
        "",
        "| crash | every input unchanged | one colour | usable | median cells changed (same-shape usable) |",
        "|---|---|---|---|---|",
        "| "
        + " | ".join(f"{100 * data['shares'][k]:.1f} %" for k in counts)
        + f" | {100 * (data['median_changed_share_same_shape'] or 0):.1f} % |",
        "",
        "Reference (/work/shared/arc.md §3): 3 % crash, 21 % unchanged, 9 % one colour, 66 % usable, 15 % of cells "
        "changed.",
        "",
        "Crashes: " + ", ".join(f"{k} {v}" for k, v in data["errors"].items()),
        "",
    ]
    write_text_atomic(out.with_suffix(".md"), "\n".join(lines))
    print("\n".join(lines))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--split", default="arc1-train")
    parser.add_argument("--n", type=int, nargs="+", default=[200, 1000], help="programs per task, one run each")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--limit", type=int, default=None, help="only the first LIMIT tasks (for a quick check)")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "arc_random_train")
    parser.add_argument("--grammar-stats", type=int, metavar="N", help="instead: N programs' crash/identity shares")
    args = parser.parse_args(argv)
    if args.grammar_stats:
        grammar_stats(args.grammar_stats, args.seed, args.workers, args.out.parent / "arc_grammar")
        return 0
    tasks = load_split(args.split)
    if args.limit:
        tasks = dict(list(tasks.items())[: args.limit])
    load = os.getloadavg()[0]
    info = {
        "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "machine": f"{platform.machine()}, {os.cpu_count()} CPUs, load average {load:.1f} at the start",
        "split": args.split,
        "workers": args.workers,
        "timeout_s": ARC_TIMEOUT_S,
    }
    runs = []
    with ExecutorPool(args.workers, timeout_s=ARC_TIMEOUT_S) as pool:
        for n in args.n:
            runs.append(run(tasks, n, args.seed, pool))
            r = runs[-1]
            print(f"n={n}: {r['solved_train']}/{r['tasks']} fit train, {r['solved_and_test_right']} also right on "
                  f"test, score {100 * r['split_score']:.2f} %, {r['seconds_total']:.0f} s", flush=True)  # fmt: skip
            write(args.out, args.split, info, runs)
    print(args.out.with_suffix(".md").read_text())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
