"""One engine for many tasks against one per task: `her-arc solve` tasks/hour and memory per engine setting.

    OMP_NUM_THREADS=1 python benchmarks/solve_engines.py                      # 4 training tasks, 2 workers, CPU
    python benchmarks/solve_engines.py --tasks 16 --workers 8 --out $OUT/engines   # on a GPU machine

Variants, the same tasks (a fixed sample of ARC-AGI-1 training) and search settings (defaults, ``--max-epochs``,
seed 0, learning per task, so every epoch after the first samples with a new adapter):

* ``transformers``: each search samples in its own process with the transformers backend (the CPU default);
* ``vllm-per-task``: each search starts its own vLLM engine (adapters merged on CPU, per request on CUDA);
* ``shared``: one vLLM server for the run (``--engine shared``), every search's adapter loaded into it by name.

Memory is the proportional set size (PSS: shared pages split between the processes that map them) of every
process the run starts, sampled every ``--every`` seconds, split into the engines' processes (vLLM's engine core
and workers, the server's front end) and the searches' (each task's process with its sandbox; with an engine per
task the in-process vLLM front end counts here). The table gives the peak of each and of their sum. Writes
``<out>.json`` and ``.md`` (default
``benchmarks/results/solve/engines``); ratios are within one run.
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
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from her_arc.files import write_text_atomic  # noqa: E402
from her_arc.search.config import SampleConfig, SearchConfig  # noqa: E402
from her_arc.solve import SolveConfig, solve_tasks  # noqa: E402
from her_arc.solve.tasks import resolve_tasks  # noqa: E402

VARIANTS = {"transformers": ("per-task", "transformers"), "vllm-per-task": ("per-task", "vllm"),
            "shared": ("shared", "auto")}


def _pss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1]) / 1024
    except OSError:  # the process ended between listing and reading
        pass
    return 0.0


def _cmdline(process) -> str:
    try:
        return " ".join(process.cmdline())
    except Exception:  # noqa: BLE001 - the process ended meanwhile
        return ""


def _is_engine(cmdline: str) -> bool:
    return cmdline.startswith("VLLM::") or "vllm.entrypoints" in cmdline


class TreeMemory:
    """Peak PSS of this process's descendants (engines and searches apart), sampled in a thread."""

    def __init__(self, every: float):
        import psutil

        self.me, self.every = psutil.Process(), every
        self.peak_mb = self.peak_engines_mb = self.peak_searches_mb = 0.0
        self.peak_processes = self.peak_engines = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            children = [(p.pid, _cmdline(p)) for p in self.me.children(recursive=True)]
            engine_mb = sum(_pss_mb(pid) for pid, cmd in children if _is_engine(cmd))
            search_mb = sum(_pss_mb(pid) for pid, cmd in children if not _is_engine(cmd))
            self.peak_engines_mb = max(self.peak_engines_mb, engine_mb)
            self.peak_searches_mb = max(self.peak_searches_mb, search_mb)
            self.peak_mb = max(self.peak_mb, engine_mb + search_mb)
            self.peak_processes = max(self.peak_processes, len(children))
            self.peak_engines = max(self.peak_engines, sum(cmd.startswith("VLLM::EngineCore") for _, cmd in children))
            self._stop.wait(self.every)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()


def run_variant(name: str, specs: list[str], args) -> dict:
    engine, backend = VARIANTS[name]
    share = args.gpu_share if name == "vllm-per-task" else 0.85  # engines per task split the GPU between them
    search = SearchConfig(sample=SampleConfig(backend=backend, gpu_memory_utilization=share))
    with tempfile.TemporaryDirectory(prefix=f"engines-{name}-") as out:
        config = SolveConfig(out=out, workers=args.workers, max_epochs=args.max_epochs, threads=1, engine=engine,
                             search=search)
        driver_mb = _pss_mb(os.getpid())
        start = time.perf_counter()
        with TreeMemory(args.every) as memory:
            result = solve_tasks(specs, config, progress=False)
        seconds = time.perf_counter() - start
    rows = result.rows
    return {"variant": name, "engine": engine, "backend": backend, "workers": args.workers, "tasks": len(rows),
            "seconds": round(seconds, 1), "tasks_per_hour": round(3600 * len(rows) / seconds, 1),
            "statuses": result.summary["statuses"], "samples": sum(r.get("samples") or 0 for r in rows),
            "mean_task_s": round(statistics.mean(r.get("seconds") or 0 for r in rows), 1),
            "driver_mb": round(driver_mb), "peak_mb": round(memory.peak_mb),
            "peak_engines_mb": round(memory.peak_engines_mb), "peak_searches_mb": round(memory.peak_searches_mb),
            "engines_at_peak": memory.peak_engines, "peak_processes": memory.peak_processes,
            "per_worker_mb": round(memory.peak_mb / args.workers)}


def write_tables(data: dict, out: Path) -> None:
    write_text_atomic(out.with_suffix(".json"), json.dumps(data, indent=1) + "\n")
    info, results = data["info"], data["results"]
    base = next((r for r in results if r["variant"] == "vllm-per-task"), None)
    lines = [
        "# One engine for many tasks: `her-arc solve --engine`", "",
        f"{info['date']}; {info['machine']}; load average {info['load_start']} at the start. {info['tasks']} "
        f"ARC-AGI-1 training tasks (sample seed {info['sample_seed']}), {info['max_epochs']} epochs each, learning "
        f"per task, {info['workers']} workers, 1 torch thread per search. Written by `benchmarks/solve_engines.py`; "
        "memory is the peak PSS of the processes the run started (the solve driver's own excluded), sampled "
        f"every {info['every']} s: vLLM's engine processes and the searches' apart, and their sum.", "",
        "| variant | engine | backend | tasks | wall s | tasks/hour | samples | vLLM engines (peak) | engines' memory "
        "(MB) | engines' memory vs one per task | searches' memory (MB) | all (MB) | all per worker (MB) "
        "| statuses |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for r in results:
        ratio = f"{r['peak_engines_mb'] / base['peak_engines_mb']:.2f}x" if base and r["peak_engines_mb"] else "-"
        statuses = ", ".join(f"{k} {v}" for k, v in r["statuses"].items())
        lines.append(f"| {r['variant']} | {r['engine']} | {r['backend']} | {r['tasks']} | {r['seconds']} "
                     f"| {r['tasks_per_hour']} | {r['samples']} | {r['engines_at_peak']} | {r['peak_engines_mb']} "
                     f"| {ratio} | {r['peak_searches_mb']} | {r['peak_mb']} | {r['per_worker_mb']} | {statuses} |")
    write_text_atomic(out.with_suffix(".md"), "\n".join(lines) + "\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--tasks", type=int, default=4, help="training tasks to solve (default: 4)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--sample-seed", type=int, default=0)
    parser.add_argument("--max-epochs", type=int, default=2)
    parser.add_argument("--gpu-share", type=float, default=0.85,
                        help="CUDA: the GPU memory share of each engine when each task has its own (default: 0.85)")
    parser.add_argument("--every", type=float, default=1.0, help="seconds between memory samples")
    parser.add_argument("--variants", nargs="+", default=list(VARIANTS), choices=list(VARIANTS))
    parser.add_argument("--out", default=str(ROOT / "benchmarks" / "results" / "solve" / "engines"))
    args = parser.parse_args()
    refs = resolve_tasks(["arc1-train"], limit=args.tasks, sample_seed=args.sample_seed)
    specs = [r.source for r in refs]
    data = {"info": {"date": datetime.datetime.now().isoformat(timespec="seconds"),
                     "machine": f"{platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}",
                     "load_start": round(os.getloadavg()[0], 1), "tasks": len(specs), "ids": specs,
                     "sample_seed": args.sample_seed, "max_epochs": args.max_epochs, "workers": args.workers,
                     "every": args.every},
            "results": []}
    for name in args.variants:
        data["results"].append(run_variant(name, specs, args))
        print(json.dumps(data["results"][-1]), flush=True)
        write_tables(data, Path(args.out))


if __name__ == "__main__":
    main()
