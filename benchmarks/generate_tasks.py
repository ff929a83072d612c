"""Speed and diversity of the generated-task stream (her_arc.generate).

    OMP_NUM_THREADS=1 python benchmarks/generate_tasks.py [--n 10000] [--seed 0]

Generates ``--n`` tasks with one sandbox worker (the parent makes inputs and programs while the worker waits, so
the stream runs on about one core) and writes ``benchmarks/results/generate_tasks.md`` (+ ``.json``): tasks/s,
distinct programs and output sets, primitive frequencies, shape-changing share, share and yield by mutation kind,
filter rejection rates, and a few statistics to compare with the real ARC-AGI-1 training tasks.
"""

from __future__ import annotations

import argparse
import ast
import json
import os
import platform
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

from dsl.primitives import PRIMITIVES  # noqa: E402
from her_arc.files import write_text_atomic  # noqa: E402
from her_arc.generate import FILTERS, MUTATIONS, GenerateConfig, generate_tasks, heldout_ids, load_solutions  # noqa: E402,E501
from her_arc.generate.tasks import _key  # noqa: E402


def _calls(program: str) -> set[str]:
    tree = ast.parse(program)
    return {n.func.id for n in ast.walk(tree) if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)
            and n.func.id in PRIMITIVES}


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=10_000)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--out", default=str(ROOT / "benchmarks" / "results" / "generate_tasks"))
    args = ap.parse_args()

    config = GenerateConfig(workers=1)
    stats: Counter = Counter()
    programs, output_sets, sources = set(), set(), Counter()
    prims, kinds = Counter(), Counter()
    shape_change = only_input_colors = 0
    changed, n_inputs, sides = [], Counter(), []
    load0 = os.getloadavg()[0]
    t0 = time.perf_counter()
    cpu0 = time.process_time()
    n = 0
    for task in generate_tasks(args.seed, config=config, stats=stats):
        n += 1
        programs.add(task.program)
        output_sets.add(_key(task.outputs))
        sources[task.source or "(grammar)"] += 1
        kinds[task.kind] += 1
        prims.update(_calls(task.program))
        n_inputs[len(task.inputs)] += 1
        sides += [max(g.shape) for g in task.inputs]
        if any(i.shape != o.shape for i, o in task.pairs):
            shape_change += 1
        else:
            changed.append(float(np.mean([np.mean(i != o) for i, o in task.pairs])))
        if all(set(np.unique(o)) <= set(np.unique(i)) for i, o in task.pairs):
            only_input_colors += 1
        if n % 1000 == 0:
            print(f"{n} tasks, {time.perf_counter() - t0:.0f} s", flush=True)
        if n >= args.n:
            break
    wall = time.perf_counter() - t0
    cpu = time.process_time() - cpu0
    load1 = os.getloadavg()[0]
    cand = stats["candidates"]
    per_kind = {k: {"candidates": stats[f"kind:{k}"], "kept": stats[f"kept:{k}"],
                    "share_of_tasks": round(kinds[k] / n, 4),
                    "yield": round(stats[f"kept:{k}"] / max(1, stats[f"kind:{k}"]), 4)} for k in MUTATIONS}
    summary = {
        "tasks": n, "seed": args.seed, "config": {k: v for k, v in vars(config).items()},
        "wall_s": round(wall, 1), "tasks_per_s": round(n / wall, 2), "parent_cpu_s": round(cpu, 1),
        "load_average": [round(load0, 1), round(load1, 1)], "cpus": os.cpu_count(),
        "python": platform.python_version(), "numpy": np.__version__,
        "distinct_programs": len(programs), "distinct_output_sets": len(output_sets),
        "distinct_sources": len(sources) - ("(grammar)" in sources),
        "top_sources": sources.most_common(10),
        "shape_changing_share": round(shape_change / n, 4),
        "only_input_colors_share": round(only_input_colors / n, 4),
        "median_changed_cells_same_shape": round(statistics.median(changed), 4) if changed else None,
        "inputs_per_task": dict(sorted(n_inputs.items())), "median_input_side": statistics.median(sides),
        "rounds": stats["rounds"], "candidates": cand, "kept": stats["kept"],
        "filters": {f: {"count": stats[f], "share_of_candidates": round(stats[f] / max(1, cand), 4)} for f in FILTERS},
        "kinds": per_kind, "primitives": {p: round(c / n, 4) for p, c in prims.most_common()},
        "unused_primitives": sorted(set(PRIMITIVES) - set(prims)),
    }
    out = Path(args.out)
    write_text_atomic(out.with_suffix(".json"), json.dumps(summary, indent=1, default=str))
    scale = 10_000 / n
    n_sources = len(set(load_solutions()) - heldout_ids())
    md = [f"# Generated training tasks (her_arc.generate): {n} tasks", "",
          f"`OMP_NUM_THREADS=1 python benchmarks/generate_tasks.py --n {args.n} --seed {args.seed}`; "
          f"{time.strftime('%Y-%m-%dT%H:%M:%S')}; {platform.machine()}, {os.cpu_count()} CPUs shared with other jobs, "
          f"load average {load0:.1f} at the start and {load1:.1f} at the end; Python {platform.python_version()}, "
          f"numpy {np.__version__}; one sandbox worker, default `GenerateConfig`, the 50 held-out ids excluded.", "",
          "| measure | value |", "|---|---|",
          f"| tasks | {n} |", f"| wall time | {wall:.0f} s |",
          f"| tasks/s (one worker, about one core) | {n / wall:.1f} |",
          f"| parent CPU (inputs, programs, filters) | {cpu:.0f} s ({cpu / wall:.0%} of wall) |",
          f"| distinct programs | {len(programs)} ({len(programs) * scale:.0f} per 10k) |",
          f"| distinct output sets | {len(output_sets)} ({len(output_sets) * scale:.0f} per 10k) |",
          f"| distinct source solutions | {summary['distinct_sources']} of {n_sources} |",
          f"| shape-changing tasks | {shape_change / n:.1%} (real ARC-AGI-1 train: 34 %) |",
          f"| outputs use only input colours | {only_input_colors / n:.1%} (real: 66-87 %) |",
          f"| median share of changed cells, same-shape tasks | {summary['median_changed_cells_same_shape']:.1%} "
          f"(real: about 16 %) |",
          f"| inputs per task | {', '.join(f'{k}: {v}' for k, v in sorted(n_inputs.items()))} |",
          f"| median input side | {summary['median_input_side']} (real: 10) |", "",
          "## By mutation kind", "", "| kind | candidates | kept | yield | share of tasks |", "|---|---|---|---|---|"]
    md += [f"| {k} | {v['candidates']} | {v['kept']} | {v['yield']:.0%} | {v['share_of_tasks']:.1%} |"
           for k, v in per_kind.items()]
    md += ["", f"## Filters ({cand} candidates in {stats['rounds']} rounds; first failing filter counted)", "",
           "| filter | candidates dropped | share |", "|---|---|---|"]
    md += [f"| {f} | {stats[f]} | {stats[f] / max(1, cand):.1%} |" for f in FILTERS]
    statuses = {k.split(":", 1)[1]: v for k, v in sorted(stats.items()) if k.startswith("status:")}
    summary["sandbox_statuses"] = statuses
    write_text_atomic(out.with_suffix(".json"), json.dumps(summary, indent=1, default=str))
    md += [f"| kept | {stats['kept']} | {stats['kept'] / max(1, cand):.1%} |", "",
           f"Sandbox statuses of the programs run: {', '.join(f'{k} {v}' for k, v in statuses.items())}. "
           f"Tasks per round (they share the round's inputs): {n / max(1, stats['rounds']):.2f}. "
           f"Chain steps also run alone (probes for `dead_step`): {stats['probes']}.", "",
           "## Primitives (share of tasks whose program calls it)", "", "| primitive | share |", "|---|---|"]
    md += [f"| `{p}` | {c / n:.1%} |" for p, c in prims.most_common()]
    md += ["", f"Never called: {', '.join(summary['unused_primitives']) or 'none'}.", "",
           f"Most used sources: {', '.join(f'{s} {c}' for s, c in sources.most_common(8))}.", ""]
    write_text_atomic(out.with_suffix(".md"), "\n".join(md))
    print("\n".join(md))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
