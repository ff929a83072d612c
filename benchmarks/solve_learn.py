"""`her-arc solve --learn per-task / shared / off` on the same tasks, seeds and budget: which solves more.

    OMP_NUM_THREADS=1 python benchmarks/solve_learn.py                       # 20 tasks of the evaluation sample
    python benchmarks/solve_learn.py --tasks squares-36 squares-49 squares-64 --max-epochs 8

Each mode solves into its own directory under ``--out-root`` (default ``benchmarks/results/solve/learn/<mode>``,
not tracked): a killed run resumes where it stopped, in this or the next session. The table (``learn.md`` and
``.json`` beside this run's directories' parent) counts, per mode: finished tasks, tasks with every train pair right,
the ARC score where test outputs are known, the mean share of train pairs right, samples and search seconds.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from her_arc.files import write_text_atomic  # noqa: E402
from her_arc.solve import LearnMode, SolveConfig, solve_tasks  # noqa: E402
from her_arc.solve.results import FINAL  # noqa: E402
from her_arc.solve.tasks import read_ids  # noqa: E402

SAMPLE_IDS = ROOT / "benchmarks" / "arc1_eval_sample_seed0.txt"


def wall_seconds(out: Path) -> float:
    """First start to last finish in the run's log: the wall time of a run made in one go (a rerun that finds it
    finished adds nothing), shared learning's training on the driver included."""
    times = [json.loads(line)["time"] for line in (out / "log.jsonl").read_text().splitlines() if line.strip()]
    return round(max(times) - min(times), 1) if times else 0.0


def mode_row(mode: str, rows: list[dict], out: Path) -> dict:
    done = [r for r in rows if r["status"] in FINAL]
    scored = [r for r in done if r.get("score") is not None]
    return {"mode": mode, "tasks": len(rows), "finished": len(done),
            "solved_train": sum(r["status"] == "solved" for r in done),
            "score": statistics.mean(r["score"] for r in scored) if scored else None,
            "pairs_share": statistics.mean((r.get("pairs_right") or 0) / max(r.get("n_pairs") or 1, 1)
                                           for r in done) if done else 0.0,
            "best_accuracy": statistics.mean(r.get("best_accuracy") or 0.0 for r in done) if done else 0.0,
            "samples": sum(r.get("samples") or 0 for r in done),
            "search_s": round(sum(r.get("search_s") or 0 for r in done), 1),
            "wall_s": wall_seconds(out),
            "failed": len(rows) - len(done)}


def write_tables(data: dict, out: Path) -> None:
    write_text_atomic(out.with_suffix(".json"), json.dumps(data, indent=1) + "\n")
    info = data["info"]
    lines = ["# `her-arc solve`: learning per task, shared, or off", "",
             f"{info['date']}; {info['machine']}. Tasks: {info['describe']}; {info['max_epochs']} epochs (shared: "
             f"rounds) per task, seed {info['seed']}, {info['workers']} workers, 1 torch thread each, the search's "
             "default settings otherwise. Written by `benchmarks/solve_learn.py`.", "",
             "| learn | finished / tasks | every train pair right | ARC score | mean share of train pairs right "
             "| mean best pixel accuracy | samples | search s (sum over tasks) | wall s |",
             "|---|---|---|---|---|---|---|---|---|"]
    for r in data["results"]:
        score = "n/a" if r["score"] is None else f"{100 * r['score']:.1f} %"
        lines.append(f"| {r['mode']} | {r['finished']} / {r['tasks']} | {r['solved_train']} | {score} "
                     f"| {r['pairs_share']:.3f} | {r['best_accuracy']:.3f} | {r['samples']} | {r['search_s']} "
                     f"| {r.get('wall_s', '-')} |")
    write_text_atomic(out.with_suffix(".md"), "\n".join(lines) + "\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--tasks", nargs="+", help="tasks as `her-arc solve` takes them (default: the first "
                                                   "--limit ids of the fixed evaluation sample)")
    parser.add_argument("--limit", type=int, default=20)
    parser.add_argument("--max-epochs", type=int, default=3)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--modes", nargs="+", default=[m.value for m in LearnMode],
                        choices=[m.value for m in LearnMode])
    parser.add_argument("--out-root", default=str(ROOT / "benchmarks" / "results" / "solve" / "learn"))
    args = parser.parse_args()
    if args.tasks:
        specs, describe = args.tasks, ", ".join(args.tasks)
    else:
        ids = read_ids(str(SAMPLE_IDS))[: args.limit]
        specs = [f"arc1-eval/{i}" for i in ids]
        describe = f"the first {len(ids)} ids of `{SAMPLE_IDS.relative_to(ROOT)}` (ARC-AGI-1 evaluation)"
    data = {"info": {"date": datetime.datetime.now().isoformat(timespec="seconds"),
                     "machine": f"{platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}",
                     "describe": describe, "tasks": specs, "max_epochs": args.max_epochs, "seed": args.seed,
                     "workers": args.workers},
            "results": []}
    root = Path(args.out_root)
    for mode in args.modes:
        config = SolveConfig(out=str(root / mode), workers=args.workers, learn=LearnMode(mode),
                             max_epochs=args.max_epochs, seed=args.seed, threads=1)
        result = solve_tasks(specs, config, progress=True)
        data["results"].append(mode_row(mode, result.rows, root / mode))
        print(json.dumps(data["results"][-1]), flush=True)
        write_tables(data, root.parent / "learn")


if __name__ == "__main__":
    main()
