"""`her-arc solve` throughput: tasks/hour with 1 and 2 local workers and with Ray local, and memory per task.

    OMP_NUM_THREADS=1 python benchmarks/solve_scaling.py                    # 8 training tasks, 1 epoch each
    python benchmarks/solve_scaling.py --tasks 4 --variants local-1 local-2

Runs the same tasks (a fixed random sample of ARC-AGI-1 training, ``--sample-seed``) with the same search settings
(the defaults, ``--max-epochs`` epochs, seed 0, 1 torch thread per search) once per variant, each into a fresh
output directory, and times the whole ``solve_tasks`` call (process starts and model loads included). Memory is
each task process's peak resident set (``ru_maxrss``), as the row records it. Writes
``benchmarks/results/solve/scaling.json`` and ``.md``; ratios are within this one run.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from her_arc.files import write_text_atomic  # noqa: E402
from her_arc.solve import LearnMode, SolveConfig, solve_tasks  # noqa: E402
from her_arc.solve.tasks import resolve_tasks  # noqa: E402

VARIANTS = {"local-1": (1, None), "local-2": (2, None), "ray-2": (2, "local")}


def run_variant(name: str, specs: list[str], args) -> dict:
    workers, ray = VARIANTS[name]
    with tempfile.TemporaryDirectory(prefix=f"scaling-{name}-") as out:
        config = SolveConfig(out=out, workers=workers, ray=ray, max_epochs=args.max_epochs,
                             learn=LearnMode(args.learn), threads=1)
        start = time.perf_counter()
        result = solve_tasks(specs, config, progress=False)
        seconds = time.perf_counter() - start
    rows = result.rows
    return {"variant": name, "workers": workers, "ray": ray, "tasks": len(rows), "seconds": round(seconds, 1),
            "tasks_per_hour": round(3600 * len(rows) / seconds, 1),
            "statuses": result.summary["statuses"], "solved_train": result.summary["solved_train"],
            "mean_task_s": round(statistics.mean(r.get("seconds") or 0 for r in rows), 1),
            "max_rss_mb": max((r.get("max_rss_mb") or 0) for r in rows),
            "median_rss_mb": statistics.median(r.get("max_rss_mb") or 0 for r in rows)}


def write_tables(data: dict, out: Path) -> None:
    write_text_atomic(out.with_suffix(".json"), json.dumps(data, indent=1) + "\n")
    info, results = data["info"], data["results"]
    base = next((r for r in results if r["variant"] == "local-1"), None)
    lines = [
        "# `her-arc solve` throughput", "",
        f"{info['date']}; {info['machine']}; load average {info['load_start']} at the start. {info['tasks']} "
        f"ARC-AGI-1 training tasks (sample seed {info['sample_seed']}), {info['max_epochs']} epoch(s) each with the "
        f"search's default settings, learning {info['learn']}, 1 torch thread per search. Written by "
        "`benchmarks/solve_scaling.py`.", "",
        "| variant | workers | tasks | wall s | tasks/hour | vs 1 worker | mean s per task | peak RSS per task "
        "(median / max MB) | statuses |",
        "|---|---|---|---|---|---|---|---|---|"]
    for r in results:
        ratio = f"{r['tasks_per_hour'] / base['tasks_per_hour']:.2f}x" if base else "-"
        statuses = ", ".join(f"{k} {v}" for k, v in r["statuses"].items())
        lines.append(f"| {r['variant']} | {r['workers']} | {r['tasks']} | {r['seconds']} | {r['tasks_per_hour']} "
                     f"| {ratio} | {r['mean_task_s']} | {r['median_rss_mb']:.0f} / {r['max_rss_mb']:.0f} "
                     f"| {statuses} |")
    write_text_atomic(out.with_suffix(".md"), "\n".join(lines) + "\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--tasks", type=int, default=8, help="training tasks to solve (default: 8)")
    parser.add_argument("--sample-seed", type=int, default=0)
    parser.add_argument("--max-epochs", type=int, default=1)
    parser.add_argument("--learn", default="per-task", choices=[m.value for m in LearnMode])
    parser.add_argument("--variants", nargs="+", default=list(VARIANTS), choices=list(VARIANTS))
    parser.add_argument("--out", default=str(ROOT / "benchmarks" / "results" / "solve" / "scaling"))
    args = parser.parse_args()
    refs = resolve_tasks(["arc1-train"], limit=args.tasks, sample_seed=args.sample_seed)
    specs = [r.source for r in refs]
    data = {"info": {"date": datetime.datetime.now().isoformat(timespec="seconds"),
                     "machine": f"{platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}",
                     "load_start": round(os.getloadavg()[0], 1), "tasks": len(specs), "ids": specs,
                     "sample_seed": args.sample_seed, "max_epochs": args.max_epochs, "learn": args.learn},
            "results": []}
    for name in args.variants:
        data["results"].append(run_variant(name, specs, args))
        print(json.dumps(data["results"][-1]), flush=True)
        write_tables(data, Path(args.out))


if __name__ == "__main__":
    main()
