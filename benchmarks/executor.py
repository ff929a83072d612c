"""Executor throughput: the sandboxed pool vs one fresh subprocess per program, in one run.

Workload: realistic drawing programs from the DSL's random program sampler (1-5 draws each), run on the
same two input grids (a blank 10x10 and a filled 8x12, as a search runs many programs on one task's
inputs); in the "1% loops" rows every 100th program has ``while True: pass`` before its return. The pool's
``timeout_s`` is CPU time per input grid; a loop never gets past its first grid, so it costs ``timeout_s`` once.

    python benchmarks/executor.py                # about a minute on 2 cores
    python benchmarks/executor.py --n 4000 --baseline-n 200

Writes ``benchmarks/results/executor.md`` and ``executor.json``.

``--arc`` measures ARC programs instead (see :func:`arc_main`) and writes ``executor_arc.md`` / ``.json``:

    OMP_NUM_THREADS=1 python benchmarks/executor.py --arc            # a few minutes on 2 cores

1. CPU time of every hand-written solution in ``tasks/arc/solutions/*.py`` on each of its task's train + test
   pairs (in-process, the sandbox's program namespace, best of 3), per pair (what the sandbox's per-grid limit
   covers) and per task (all pairs together), and how many solutions the sandbox kills at each candidate
   per-grid limit.
2. The same for ``dsl.grammar.random_program`` samples on real training-task inputs.
3. Throughput of the pool on realistic ARC programs (random_program samples, each task's programs in one
   ``execute`` call on its train + test inputs, as ``random_search`` runs them), ordinary and with a share of
   ``while True: pass`` programs (``--loop-share``, default 1 %; each loops on its first grid, so it costs its
   limit once), at the sandbox default of 1 s, at ``her_arc.arc.random_search.ARC_TIMEOUT_S`` and at 0.1 s, all
   CPU seconds per input grid.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import datetime
import json
import os
import platform
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

from dsl import SamplerConfig, create_img, sample_task  # noqa: E402
from her_arc.programs import simplify_many  # noqa: E402
from her_arc.sandbox import ExecutorPool  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results"
INPUTS = [create_img((10, 10), 0), create_img((8, 12), 3)]

# (b): what a naive sandbox does: a fresh interpreter per program, numpy + DSL imported, outputs as JSON.
RUNNER = """
import json, sys
import numpy as np
from dsl.primitives import PRIMITIVES
req = json.loads(sys.stdin.read())
env = {"np": np, **PRIMITIVES}
exec(req["program"], env)
out = [np.asarray(env["task"](np.array(g, dtype=np.int8))).tolist() for g in req["inputs"]]
print(json.dumps(out))
"""


def make_programs(n: int, seed: int, loop_every: int | None) -> list[str]:
    rng = np.random.default_rng(seed)
    programs = []
    for i in range(n):
        program = sample_task(rng, SamplerConfig(min_draws=1, max_draws=5, max_side=10)).program
        if loop_every and i % loop_every == loop_every // 2:
            program = program.replace("    return img", "    while True:\n        pass\n    return img")
        programs.append(program)
    return programs


def run_pool(pool: ExecutorPool, programs: list[str], timeout_s: float) -> dict:
    start = time.perf_counter()
    results = pool.execute(programs, INPUTS, timeout_s=timeout_s)
    elapsed = time.perf_counter() - start
    return {
        "programs": len(programs),
        "seconds": elapsed,
        "programs_per_s": len(programs) / elapsed,
        "statuses": dict(Counter(r.status for r in results)),
        "results": results,
    }


def run_one_subprocess(program: str, timeout_s: float) -> tuple[str, list | None]:
    request = json.dumps({"program": program, "inputs": [g.tolist() for g in INPUTS]})
    env = {**os.environ, "PYTHONPATH": str(ROOT), "OPENBLAS_NUM_THREADS": "1"}
    try:
        proc = subprocess.run(
            [sys.executable, "-c", RUNNER], input=request, capture_output=True, text=True,
            timeout=timeout_s + 1.0, env=env,  # +1 s: the interpreter and numpy have to start first
        )  # fmt: skip
    except subprocess.TimeoutExpired:
        return "timeout", None
    if proc.returncode != 0:
        return "error", None
    return "ok", json.loads(proc.stdout)


def run_baseline(programs: list[str], timeout_s: float, workers: int) -> dict:
    start = time.perf_counter()
    with concurrent.futures.ThreadPoolExecutor(workers) as ex:
        outcomes = list(ex.map(lambda p: run_one_subprocess(p, timeout_s), programs))
    elapsed = time.perf_counter() - start
    return {
        "programs": len(programs),
        "seconds": elapsed,
        "programs_per_s": len(programs) / elapsed,
        "statuses": dict(Counter(status for status, _ in outcomes)),
        "outcomes": outcomes,
    }


def check_same(pool_results, baseline_outcomes) -> int:
    """How many programs got the same status and outputs from both executors."""
    same = 0
    for res, (status, out) in zip(pool_results, baseline_outcomes, strict=False):
        if res.status == status and (status != "ok" or [o.tolist() for o in res.outputs] == out):
            same += 1
    return same


def bench_simplify(pool: ExecutorPool, n: int, seed: int) -> dict:
    """Sampled programs with three useless statements each mixed in (a no-op, an overpainted draw, junk)."""
    rng = np.random.default_rng(seed)
    programs = []
    for _ in range(n):
        lines = sample_task(rng, SamplerConfig(max_draws=5, max_side=10)).program.splitlines()
        junk = [
            "    x = 1",
            f"    draw_pixel(img, ({rng.integers(20, 30)}, 0), 3)",
            "    draw_pixel(img, (0, 0), 5)",
        ]
        body = lines[1:-1]
        for line in junk:
            body.insert(int(rng.integers(0, len(body) + 1)), line)
        body.append("    draw_pixel(img, (0, 0), 1)")  # paints over the junk draw at (0, 0)
        programs.append("\n".join([lines[0], *body, lines[-1]]))

    class Counting:
        calls = 0

        def execute(self, programs, inputs, **kw):
            Counting.calls += 1
            return pool.execute(programs, inputs, **kw)

    start = time.perf_counter()
    out = simplify_many(programs, INPUTS, Counting())
    elapsed = time.perf_counter() - start
    before = sum(len(p.splitlines()) for p in programs) / n
    after = sum(len(p.splitlines()) for p in out) / n
    return {"programs": n, "seconds": elapsed, "execute_calls": Counting.calls, "lines_before": before,
            "lines_after": after}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=3000, help="programs per executor row")
    parser.add_argument("--loop-n", type=int, default=1000, help="programs for the 1%% loops row at 1 s")
    parser.add_argument("--baseline-n", type=int, default=100, help="programs for the subprocess baseline")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, default=RESULTS)
    parser.add_argument("--arc", action="store_true", help="measure ARC programs (executor_arc.md) instead")
    parser.add_argument("--arc-tasks", type=int, default=30, help="--arc: training tasks in the throughput rows")
    parser.add_argument("--arc-per-task", type=int, default=100, help="--arc: programs per task in those rows")
    parser.add_argument("--loop-share", type=float, default=0.01, help="--arc: share of infinite loops")
    args = parser.parse_args()
    if args.arc:
        arc_main(args)
        return

    load_start = os.getloadavg()[0]
    ordinary = make_programs(args.n, args.seed, loop_every=None)
    looping = make_programs(args.n, args.seed, loop_every=100)
    t0 = time.perf_counter()
    pool = ExecutorPool(args.workers)
    startup = time.perf_counter() - t0
    with pool:
        pool.execute(ordinary[:100], INPUTS)  # warm-up
        a1 = run_pool(pool, ordinary, 1.0)
        a2 = run_pool(pool, looping[: args.loop_n], 1.0)
        a3 = run_pool(pool, looping, 0.1)
        simp = bench_simplify(pool, 100, args.seed + 1)
        hardening = pool.hardening
        respawns = pool.respawns
        baseline_programs = ordinary[: args.baseline_n]
        check = pool.execute(baseline_programs, INPUTS)
    b1 = run_baseline(baseline_programs, 1.0, args.workers)
    agree = check_same(check, b1["outcomes"])
    # (b) with 1% loops: the ordinary run plus, per 100 programs, one looping program's subprocess
    # (measured alone) in place of an ordinary one, spread over the workers.
    per_program = b1["seconds"] * args.workers / len(baseline_programs)
    b_loops = {}
    for timeout in (1.0, 0.1):
        start = time.perf_counter()
        status, _ = run_one_subprocess(looping[50], timeout)
        loop_cost = time.perf_counter() - start
        seconds = b1["seconds"] + len(baseline_programs) / 100 * (loop_cost - per_program) / args.workers
        n_loops = len(baseline_programs) // 100
        b_loops[timeout] = {
            "programs": len(baseline_programs),
            "seconds": seconds,
            "programs_per_s": len(baseline_programs) / seconds,
            "statuses": {"ok": len(baseline_programs) - n_loops, status: n_loops},
            "loop_subprocess_s": loop_cost,
        }

    rows = []

    def row(name, r, workload, timeout):
        rows.append({"executor": name, "workload": workload, "timeout_s": timeout,
                     **{k: v for k, v in r.items() if k not in ("results", "outcomes")}})  # fmt: skip

    row("(a) sandbox pool", a1, "ordinary", 1.0)
    row("(a) sandbox pool", a2, "1% infinite loops", 1.0)
    row("(a) sandbox pool", a3, "1% infinite loops", 0.1)
    row("(b) subprocess per program", b1, "ordinary", 1.0)
    row("(b) subprocess per program (derived)", b_loops[1.0], "1% infinite loops", 1.0)
    row("(b) subprocess per program (derived)", b_loops[0.1], "1% infinite loops", 0.1)
    ratios = {
        "ordinary, 1 s": a1["programs_per_s"] / b1["programs_per_s"],
        "1% loops, 1 s": a2["programs_per_s"] / b_loops[1.0]["programs_per_s"],
        "1% loops, 0.1 s": a3["programs_per_s"] / b_loops[0.1]["programs_per_s"],
    }

    info = {
        "date": datetime.datetime.now().isoformat(timespec="seconds"),
        "machine": f"{platform.machine()}, {os.cpu_count()} CPUs, load average {load_start:.1f} at the start "
        f"and {os.getloadavg()[0]:.1f} at the end",
        "python": platform.python_version(),
        "numpy": np.__version__,
        "workers": args.workers,
        "inputs": [list(g.shape) for g in INPUTS],
        "pool_startup_s": startup,
        "hardening": hardening,
        "unplanned_respawns": respawns,
        "ratios": ratios,
        "outputs_agree_with_baseline": f"{agree}/{len(baseline_programs)}",
        "simplify": simp,
        "rows": rows,
    }
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "executor.json").write_text(json.dumps(info, indent=2) + "\n")

    lines = [
        "# Executor throughput",
        "",
        f"{info['date']}; {info['machine']}; Python {info['python']}, numpy {info['numpy']}; "
        f"{args.workers} workers. Programs from the DSL sampler (1-5 draws), each run on the same "
        f"{len(INPUTS)} input grids. Written by `benchmarks/executor.py`.",
        "",
        "| executor | workload | timeout (CPU s per input grid) | programs | seconds | programs/s | statuses |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        statuses = ", ".join(f"{k} {v}" for k, v in sorted(r["statuses"].items()))
        lines.append(
            f"| {r['executor']} | {r['workload']} | {r['timeout_s']:g} | {r['programs']} "
            f"| {r['seconds']:.2f} | {r['programs_per_s']:.0f} | {statuses} |"
        )
    lines += [
        "",
        "**Ratio (a)/(b): " + ", ".join(f"{v:.0f}x ({k})" for k, v in ratios.items()) + "**",
        "",
        f"- Pool start-up: {startup:.2f} s. Unplanned worker respawns during the run: {respawns}.",
        f"- Outputs of (a) and (b) agree on {info['outputs_agree_with_baseline']} baseline programs.",
        "- With 1% loops the timeout sets the throughput: each loop costs `timeout_s` of CPU on one worker "
        "(it loops on its first input grid; more wall time on a loaded machine: the timer counts CPU time). "
        "(b)'s timeout is wall time for its whole subprocess, plus 1 s for the start-up. "
        "(b) with loops is derived from its measured ordinary run and a measured looping subprocess "
        f"({b_loops[1.0]['loop_subprocess_s']:.2f} s at 1 s, "
        f"{b_loops[0.1]['loop_subprocess_s']:.2f} s at 0.1 s).",
        f"- `simplify_many` on {simp['programs']} sampled programs with 3 useless statements in each: "
        f"{simp['seconds']:.2f} s, {simp['execute_calls']} `execute` calls, "
        f"{simp['lines_before']:.1f} -> {simp['lines_after']:.1f} lines per program.",
        "- Hardening layers active in the workers: " + "; ".join(f"{k}: {v}" for k, v in hardening.items()),
        "",
    ]
    (args.out / "executor.md").write_text("\n".join(lines))
    print("\n".join(lines))


# --- ARC programs (--arc) --------------------------------------------------------------------------------

ARC_LIMITS = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0)
"""candidate limits (CPU s per input grid, the sandbox's ``timeout_s``) at which the kills are counted"""


def _stats_ms(values) -> dict:
    a = np.asarray(values, dtype=float) * 1000
    return {"n": int(a.size), "max_ms": float(a.max()), "p99_ms": float(np.percentile(a, 99)),
            "p90_ms": float(np.percentile(a, 90)),
        "mean_ms": float(a.mean()), "median_ms": float(np.median(a))}  # fmt: skip


def _cpu_times(programs: list[tuple[str, str, list]]) -> tuple[list, list, list]:
    """(per-pair seconds, per-program seconds, failures) of (name, source, inputs), best of 3 runs per pair.

    Run in this process, in a fresh namespace like the sandbox's (the DSL primitives and numpy)."""
    from dsl.primitives import PRIMITIVES

    pairs, totals, failures = [], [], []
    for name, source, inputs in programs:
        env = {"np": np, **PRIMITIVES}
        exec(compile(source, name, "exec"), env)  # noqa: S102 - our own solutions and grammar samples
        total, failed = 0.0, False
        for grid in inputs:
            best = float("inf")
            for _ in range(3):
                start = time.thread_time()
                try:
                    env["task"](grid.copy())
                except Exception:  # noqa: BLE001 - a grammar sample may raise; its time still counts
                    failed = True
                best = min(best, time.thread_time() - start)
            pairs.append(best)
            total += best
        totals.append(total)
        if failed:
            failures.append(name)
    return pairs, totals, failures


def _kills(pool: ExecutorPool, programs: list[tuple[str, str, list]]) -> dict:
    """How many programs end in ``timeout`` at each limit of ARC_LIMITS (one call per program and limit)."""
    out = {}
    for limit in ARC_LIMITS:
        statuses = Counter(pool.execute([src], inputs, timeout_s=limit)[0].status for _, src, inputs in programs)
        out[str(limit)] = {"timeout": statuses.get("timeout", 0), "statuses": dict(statuses)}
    return out


def _with_loop(program: str) -> str:
    return program.replace("    return out", "    while True:\n        pass\n    return out")


def arc_main(args) -> None:
    """Solution and random-program CPU times, kills per limit, throughput with infinite loops: executor_arc.md."""
    from dsl.grammar import random_program
    from her_arc.arc.data import load_split
    from her_arc.arc.random_search import ARC_TIMEOUT_S

    load_start = os.getloadavg()[0]
    tasks = load_split("arc1-train")
    ids = sorted(tasks)
    solutions = []
    for path in sorted((ROOT / "tasks" / "arc" / "solutions").glob("*.py")):
        task = tasks[path.stem]
        solutions.append((path.stem, path.read_text(), [p.input for p in task.train] + list(task.test)))
    rng = np.random.default_rng(args.seed)
    samples = []
    for i in range(600):
        task = tasks[ids[int(rng.integers(len(ids)))]]
        train = [p.input for p in task.train]
        samples.append((f"random-{i}", random_program(rng, train), train + list(task.test)))

    t0 = time.perf_counter()
    sol_pairs, sol_tasks, sol_failed = _cpu_times(solutions)
    rnd_pairs, rnd_tasks, _ = _cpu_times(samples)
    slowest = sorted(zip(sol_tasks, (n for n, _, _ in solutions), strict=True), reverse=True)[:5]
    timing_s = time.perf_counter() - t0

    # throughput workload: args.arc_tasks tasks, args.arc_per_task programs each, one call per task
    chosen = [ids[int(i)] for i in rng.choice(len(ids), size=args.arc_tasks, replace=False)]
    workload = []
    n_loop = 0
    every = round(1 / args.loop_share) if args.loop_share > 0 else None
    for task_id in chosen:
        task = tasks[task_id]
        train = [p.input for p in task.train]
        progs = [random_program(rng, train) for _ in range(args.arc_per_task)]
        looping = []
        for progs_i, program in enumerate(progs):
            index = len(workload) * args.arc_per_task + progs_i
            looping.append(_with_loop(program) if every and index % every == every // 2 else program)
        n_loop += sum(p != q for p, q in zip(progs, looping, strict=True))
        workload.append((task_id, progs, looping, train + list(task.test)))
    n_total = sum(len(w[1]) for w in workload)

    def throughput(pool, limit, loops: bool) -> dict:
        statuses = Counter()
        start = time.perf_counter()
        for _, progs, looping, inputs in workload:
            for r in pool.execute(looping if loops else progs, inputs, timeout_s=limit):
                statuses[r.status] += 1
        seconds = time.perf_counter() - start
        return {"workload": f"{100 * args.loop_share:g}% infinite loops" if loops else "ordinary",
                "timeout_s": limit, "programs": n_total, "seconds": seconds, "programs_per_s": n_total / seconds,
                "statuses": dict(statuses)}  # fmt: skip

    # the workload's own CPU, in this process: what the pool could reach on idle cores without sandbox overhead
    _, workload_cpu, _ = _cpu_times([(f"{t}-{i}", p, inputs) for t, progs, _, inputs in workload
                                     for i, p in enumerate(progs)])  # fmt: skip
    workload_cpu_s = float(sum(workload_cpu))
    rows = []
    with ExecutorPool(args.workers) as pool:
        pool.execute([p for p in workload[0][1][:50]], workload[0][3])  # warm-up
        for limit in sorted({1.0, ARC_TIMEOUT_S, 0.1}, reverse=True):
            rows.append(throughput(pool, limit, loops=False))
            rows.append(throughput(pool, limit, loops=True))
            print(rows[-2], rows[-1], flush=True)
        kills_sol = _kills(pool, solutions)
        kills_rnd = _kills(pool, samples)
        respawns, hardening = pool.respawns, pool.hardening

    info = {
        "date": datetime.datetime.now().isoformat(timespec="seconds"),
        "machine": f"{platform.machine()}, {os.cpu_count()} CPUs, load average {load_start:.1f} at the start "
        f"and {os.getloadavg()[0]:.1f} at the end",
        "python": platform.python_version(),
        "numpy": np.__version__,
        "workers": args.workers,
        "arc_timeout_s": ARC_TIMEOUT_S,
        "solutions": {
            "files": len(solutions),
            "per_pair": _stats_ms(sol_pairs),
            "per_task": _stats_ms(sol_tasks),
            "raised_in_process": sol_failed,
            "slowest": [[n, t * 1000] for t, n in slowest],
            "timeouts_at_limit": kills_sol,
        },  # fmt: skip
        "random_programs": {
            "programs": len(samples),
            "per_pair": _stats_ms(rnd_pairs),
            "per_program": _stats_ms(rnd_tasks),
            "timeouts_at_limit": kills_rnd,
        },  # fmt: skip
        "timing_seconds": timing_s,
        "throughput_workload": {
            "tasks": chosen,
            "programs_per_task": args.arc_per_task,
            "loops": n_loop,
            "in_process_cpu_s": workload_cpu_s,
        },  # fmt: skip
        "unplanned_respawns": respawns,
        "hardening": hardening,
        "rows": rows,
    }
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "executor_arc.json").write_text(json.dumps(info, indent=2) + "\n")

    def stat_row(name, s):
        return (f"| {name} | {s['n']} | {s['median_ms']:.2f} | {s['p90_ms']:.2f} | {s['p99_ms']:.2f} "
                f"| {s['max_ms']:.1f} |")  # fmt: skip

    sol, rnd = info["solutions"], info["random_programs"]
    lines = [
        "# Sandbox time limits for ARC programs",
        "",
        f"{info['date']}; {info['machine']}; Python {info['python']}, numpy {info['numpy']}; {args.workers} workers. "
        "Written by `benchmarks/executor.py --arc`.",
        "",
        "## CPU time of ARC programs",
        "",
        "In-process CPU time (`time.thread_time`, best of 3, the DSL + numpy namespace) of each hand-written solution "
        f"in `tasks/arc/solutions/` ({sol['files']} files) on every train + test pair of its task, and of "
        f"{rnd['programs']} `dsl.grammar.random_program` samples on random training tasks' train + test inputs. "
        "'per pair' is what the sandbox's limit covers (`timeout_s` is CPU time per input grid); 'per task' sums a "
        "program's pairs, the most CPU one program may use when a search runs all of a task's inputs in one call.",
        "",
        "| what | n | median ms | p90 ms | p99 ms | max ms |",
        "|---|---|---|---|---|---|",
        stat_row("solutions, per pair", sol["per_pair"]),
        stat_row("solutions, per task (all pairs)", sol["per_task"]),
        stat_row("random programs, per pair", rnd["per_pair"]),
        stat_row("random programs, per task (all pairs)", rnd["per_program"]),
        "",
        "Slowest solutions (ms, all pairs): " + ", ".join(f"{n} {t:.0f}" for n, t in sol["slowest"]) + ".",
        "",
        "Programs killed (`timeout`) by the sandbox at each limit (CPU s per input grid), one call per program on "
        "all its task's pairs:",
        "",
        "| limit (CPU s per input grid) | " + " | ".join(f"{x:g}" for x in ARC_LIMITS) + " |",
        "|---|" + "---|" * len(ARC_LIMITS),
        f"| solutions ({sol['files']}) | "
        + " | ".join(str(sol["timeouts_at_limit"][str(x)]["timeout"]) for x in ARC_LIMITS)
        + " |",
        f"| random programs ({rnd['programs']}) | "
        + " | ".join(str(rnd["timeouts_at_limit"][str(x)]["timeout"]) for x in ARC_LIMITS)
        + " |",
        "",
        f"## Throughput with {100 * args.loop_share:g} % infinite loops",
        "",
        f"{n_total} random_program samples ({args.arc_per_task} on each of {args.arc_tasks} random training tasks, "
        "one `execute` call per task on its train + test inputs); in the loop rows every "
        f"{every}th program has `while True: pass` before its return ({n_loop} programs; each loops on its first "
        "input grid, so it costs its limit once). The timeout is CPU time per input grid.",
        "",
        "| workload | timeout (CPU s per input grid) | programs | seconds | programs/s | statuses |",
        "|---|---|---|---|---|---|",
    ]
    for r in rows:
        statuses = ", ".join(f"{k} {v}" for k, v in sorted(r["statuses"].items()))
        lines.append(f"| {r['workload']} | {r['timeout_s']:g} | {r['programs']} | {r['seconds']:.2f} "
                     f"| {r['programs_per_s']:.0f} | {statuses} |")  # fmt: skip
    mean_s = workload_cpu_s / n_total
    model = ", ".join(
        f"{limit:g} s: {args.workers / (mean_s + args.loop_share * limit):.0f}/s"
        for limit in sorted({1.0, ARC_TIMEOUT_S, 0.1}, reverse=True)
    )
    lines += [
        "",
        f"- The workload's own CPU (in-process, no sandbox): {workload_cpu_s:.1f} s for {n_total} programs, "
        f"{1000 * mean_s:.2f} ms per program on all its task's inputs: at most {args.workers / mean_s:.0f} programs/s "
        f"on {args.workers} idle cores without any sandbox cost. With {100 * args.loop_share:g} % loops each costing "
        f"its limit of CPU, the same idle-core bound is {model}.",
        f"- Chosen ARC limit: `her_arc.arc.random_search.ARC_TIMEOUT_S` = {ARC_TIMEOUT_S:g} s of CPU per input grid. "
        f"Unplanned worker respawns: {respawns}. Each loop costs its limit in CPU on one worker (more wall time on a "
        "loaded machine).",
        "",
    ]
    (args.out / "executor_arc.md").write_text("\n".join(lines))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
