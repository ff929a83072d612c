"""Executor throughput: the sandboxed pool vs one fresh subprocess per program, in one run.

Workload: realistic drawing programs from the DSL's random program sampler (1-5 draws each), run on the
same two input grids (a blank 10x10 and a filled 8x12, as a search runs many programs on one task's
inputs); in the "1% loops" rows every 100th program has ``while True: pass`` before its return.

    python benchmarks/executor.py                # about a minute on 2 cores
    python benchmarks/executor.py --n 4000 --baseline-n 200

Writes ``benchmarks/results/executor.md`` and ``executor.json``.
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
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--n", type=int, default=3000, help="programs per executor row")
    parser.add_argument("--loop-n", type=int, default=1000, help="programs for the 1%% loops row at 1 s")
    parser.add_argument("--baseline-n", type=int, default=100, help="programs for the subprocess baseline")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args()

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
        "| executor | workload | timeout (s) | programs | seconds | programs/s | statuses |",
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
        "(more wall time on a loaded machine: the timer counts CPU time). "
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


if __name__ == "__main__":
    main()
