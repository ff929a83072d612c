"""Square-count scaling benchmark: how the search's cost grows with the number of shapes to draw.

Runs :func:`~her_arc.search.solve_task` on the bundled ``squares-N`` tasks (N 2x2 squares tiling a
grid, N in 9..100) for several seeds and variants under one budget, and writes a markdown table, a
JSON file and two plots with the reference's published figures beside ours::

    from her_arc.experiments.benchmark import run_benchmark

    records = run_benchmark(ns=(9, 16), seeds=(0, 1), variants=("her", "sampling_only"), max_epochs=10,
                            out_dir="benchmarks/results")

The same from the command line: ``her-arc bench squares --n 9 16 --seeds 0 1 --max-epochs 10`` or
``python benchmarks/squares.py ...``. Variants (same budget, same seeds):

* ``her``: the default :class:`~her_arc.search.SearchConfig` (hindsight relabeling + LoRA fine-tuning);
* ``sampling_only``: ``learn=False``, the same model sampled every epoch (no relabeling, no training);
* ``no_compose``: the default search without composed programs;
* ``no_refine``: the default search without refinement prompts (only the blank-canvas prompt is sampled);
* ``no_merge``: the default search without merging each epoch's helpful patches onto the best canvas;
* ``relabel_drawings``: fine-tuned on whole drawings relabeled (the reference's) instead of refinement steps.

One record per (N, seed, variant) holds: solved, epochs, samples, tokens generated and trained, wall
time split into sampling / execution / training / other (model loading, checkpoints), the solution's
lines and tokens (the model's own tokenizer), and the best accuracy of every epoch. Results are
written after every run (atomically), so a killed benchmark keeps what it finished; ``resume=True``
skips the runs already in the JSON file and continues an interrupted search from its run directory.
"""

from __future__ import annotations

import datetime
import json
import os
import platform
import subprocess
import traceback
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from pathlib import Path

from her_arc.files import write_text_atomic
from her_arc.search.config import RunConfig, SearchConfig
from her_arc.search.relabel import Relabel

BENCHMARK = "squares"
SCHEMA = 1
SQUARES_NS: tuple[int, ...] = (9, 16, 25, 36, 49, 64, 81, 100)
"""The square counts run by default (bundled tasks ``squares-N``)."""
VARIANTS: dict[str, str] = {
    "her": "hindsight relabeling + LoRA fine-tuning (the default search)",
    "sampling_only": "the same model sampled every epoch: no relabeling, no training (learn=False)",
    "no_compose": "the default search without composed programs (compose=0): sampled programs only",
    "no_refine": "the default search without refinement prompts (refine=0): the blank-canvas prompt only",
    "no_merge": "the default search without merging each epoch's helpful patches (merge=False)",
    "relabel_drawings": "the default search fine-tuned on whole drawings relabeled (the reference's) instead of "
                        "refinement steps",
    "full_finetune": "the default search with every weight fine-tuned each epoch instead of a LoRA adapter "
                     "(learn.adapter.full, its default learning rate)",
    "fit_colors": "the default search with fitted colours: a program right up to one colour mapping gets the "
                  "recolouring appended (refine.fit_colors)",
}
DEFAULT_OUT_DIR = Path("benchmarks", "results")

REFERENCE = {
    16: {"epochs": 5, "lines": 15, "tokens": 382},
    25: {"epochs": 8, "lines": 23, "tokens": 528},
    36: {"epochs": 11, "lines": 29, "tokens": 732},
    49: {"epochs": 14, "lines": 43, "tokens": 1082},
    64: {"epochs": 21, "lines": 55, "tokens": 1382},
    81: {"epochs": 19, "lines": 70, "tokens": 1757},
    100: {"epochs": 28, "lines": 81, "tokens": 2032},
}
"""Reference (arc25_reference.md section 7.7): HER v2, 32k-step painter trained on 30x30 drawings,
8 samples at T=0.1 + 128 at T=0.9 per epoch, one GPU; epochs to solve, solution lines and tokens (Qwen)."""
REFERENCE_SAMPLES_PER_EPOCH = 136
REFERENCE_WALL_S = {25: 900.0}
"""Reference section 7.5: 25 squares in about 900 s on one RTX 3090 (HER v1, 256 samples at T=0.5)."""
REFERENCE_CURVE_100 = [0.210, 0.220, 0.265, 0.282, 0.315, 0.340, 0.372, 0.392, 0.428, 0.460, 0.452, 0.468, 0.478,
                       0.512, 0.550, 0.582, 0.637, 0.712, 0.785, 0.830, 0.852, 0.922, 0.965, 0.970, 0.970, 0.980,
                       0.990, 1.000]
"""Reference section 7.7: best accuracy per epoch of the 100-squares solve."""
WALL_TARGET_S = {25: 600.0, 100: 3600.0}
"""Issue #7's wall-time targets on 2 CPU cores."""

_CLOCK = ("samples", "tokens_generated", "tokens_trained", "sampling_s", "execution_s", "training_s",
          "wall_time_s")


class _OutOfTime(Exception):
    """Raised from the progress callback to stop a search at the time budget."""


# -- configuration -------------------------------------------------------------------------------


def variant_config(variant: str, base: SearchConfig) -> SearchConfig:
    """The search settings of ``variant``, derived from ``base`` (everything else unchanged)."""
    if variant == "her":
        return replace(base)
    if variant == "sampling_only":
        return replace(base, learn=replace(base.learn, enabled=False))
    if variant == "no_compose":
        return replace(base, sample=replace(base.sample, compose=0))
    if variant == "no_refine":
        return replace(base, refine=replace(base.refine, canvases=0))
    if variant == "no_merge":
        return replace(base, refine=replace(base.refine, merge=False))
    if variant == "relabel_drawings":
        return replace(base, learn=replace(base.learn, relabel=Relabel.DRAWINGS))
    if variant == "fit_colors":
        return replace(base, refine=replace(base.refine, fit_colors=True))
    if variant == "full_finetune":  # learning_rate=None: full fine-tuning's own default, not LoRA's
        return replace(base, learn=replace(base.learn, adapter=replace(base.learn.adapter, full=True,
                                                                        learning_rate=None)))
    raise ValueError(f"unknown variant {variant!r}; choose from {', '.join(VARIANTS)}")


def _check_ns(ns: Iterable[int]) -> list[int]:
    from her_arc.tasks import bundled_task_names

    ns = [int(n) for n in ns]
    available = sorted(int(name.split("-")[1]) for name in bundled_task_names()
                       if name.startswith("squares-") and name.split("-")[1].isdigit())
    missing = [n for n in ns if n not in available]
    if missing or not ns:
        raise ValueError(f"no bundled task squares-N for N in {missing or '[]'}; available N: {available}")
    return ns


def solution_size(program: str | None, tokenizer) -> tuple[int | None, int | None]:
    """(non-blank lines, tokens) of ``program`` as the model writes it; ``(None, None)`` without a program."""
    if not program:
        return None, None
    from her_arc.lm.prompt import encode_completion

    text = encode_completion(program)
    lines = sum(1 for line in text.splitlines() if line.strip())
    return lines, len(tokenizer.encode(text, add_special_tokens=False))


def hardware_info() -> dict:
    """The machine the benchmark ran on: CPU model and count, memory, GPU (if torch sees one), versions."""
    info = {
        "machine": platform.machine(),
        "system": platform.platform(terse=True),
        "cpu": _cpu_model(),
        "cpus": os.cpu_count(),
        "cpus_usable": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count(),
        "python": platform.python_version(),
        "gpu": None,
        "torch": None,
    }
    try:
        info["memory_gib"] = round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1)
    except (ValueError, OSError, AttributeError):
        info["memory_gib"] = None
    try:
        import torch

        info["torch"] = torch.__version__.split("+")[0]
        if torch.cuda.is_available():
            info["gpu"] = ", ".join(torch.cuda.get_device_name(i) for i in range(torch.cuda.device_count()))
    except ImportError:
        pass
    return info


def _cpu_model() -> str:
    try:
        out = subprocess.run(["lscpu"], capture_output=True, text=True, timeout=10).stdout
        for line in out.splitlines():
            if line.startswith("Model name:"):
                return line.split(":", 1)[1].strip()
    except (OSError, subprocess.SubprocessError):
        pass
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def vllm_usable() -> bool:
    """Whether backend ``auto`` samples with vLLM here (a CUDA GPU with vLLM), not transformers."""
    from her_arc.lm.sampling import resolve_backend

    return resolve_backend("auto") == "vllm"


def hardware_text(info: dict) -> str:
    cpus = info.get("cpus_usable") or info.get("cpus")
    parts = [f"{info.get('cpu', 'unknown CPU')} ({info.get('machine', '?')}), {cpus} CPU cores"]
    if info.get("memory_gib"):
        parts.append(f"{info['memory_gib']:g} GiB RAM")
    parts.append(f"GPU: {info['gpu']}" if info.get("gpu") else "no GPU")
    versions = f"Python {info.get('python', '?')}" + (f", torch {info['torch']}" if info.get("torch") else "")
    return "; ".join(parts) + f"; {versions}"


# -- running -------------------------------------------------------------------------------------


def run_benchmark(
    ns: Sequence[int] = SQUARES_NS,
    seeds: Sequence[int] = (0,),
    variants: Sequence[str] = ("her",),
    *,
    max_epochs: int | None = None,
    time_budget_s: float | None = None,
    groups: Sequence[tuple[int, float]] | None = None,
    backend: str | None = None,
    model: str | None = None,
    threads: int | None = None,
    base_config: SearchConfig | None = None,
    runs_dir: str | os.PathLike | None = None,
    out_dir: str | os.PathLike | None = None,
    resume: bool = False,
    progress: Callable[[str, dict], None] | None = None,
    tokenizer=None,
    command: str | None = None,
) -> list[dict]:
    """Run the search on ``squares-N`` for every N, seed and variant; return one record per run.

    The budget (``max_epochs``, ``groups``, ``backend``, ``model``, ``threads``) overrides
    ``base_config`` (default: :class:`SearchConfig`'s defaults, without per-run plots); it is the
    same for every variant. ``time_budget_s`` stops a search after the first epoch that ends past
    it (checked between epochs, so a run can overshoot by one epoch). ``out_dir``: write
    ``squares.json``, ``squares.md`` and the plots there after every run. ``resume``: keep the
    records already in ``out_dir``'s JSON (same budget required) and run only the missing ones.
    ``progress(run_name, epoch_record)`` is called after every epoch. Bad settings raise
    ``ValueError``/``FileNotFoundError`` before any model loads; a run that crashes is recorded with
    its ``error`` and the benchmark goes on.
    """
    from her_arc.painter import resolve_model_dir
    from her_arc.tasks import load_task

    base = base_config or SearchConfig(run=RunConfig(plots=False))
    sample = {k: v for k, v in dict(groups=tuple(groups) if groups else None, backend=backend).items() if v is not None}
    base = replace(base, max_epochs=base.max_epochs if max_epochs is None else max_epochs,
                   model=base.model if model is None else model, sample=replace(base.sample, **sample),
                   run=replace(base.run, run_dir=None, resume=False,
                               num_threads=base.run.num_threads if threads is None else threads))
    ns, seeds, variants = _check_ns(ns), [int(s) for s in seeds], list(variants)
    for variant in variants:
        variant_config(variant, base)  # unknown variants fail here, before anything runs
    if not seeds:
        raise ValueError("need at least one seed")
    if time_budget_s is not None and time_budget_s <= 0:
        raise ValueError(f"time_budget_s must be positive, got {time_budget_s}")
    model_dir = resolve_model_dir(base.model)
    tasks = {n: load_task(f"squares-{n}") for n in ns}

    budget = {
        "max_epochs": base.max_epochs, "time_budget_s": time_budget_s,
        "groups": [list(g) for g in base.sample.groups], "samples_per_epoch": base.sample.samples,
        "refine_samples_per_epoch": base.refine.samples_per_epoch, "stepwise_per_epoch": base.sample.stepwise,
        "backend": base.sample.backend, "model": base.model, "num_threads": base.run.num_threads,
    }
    out_path = Path(out_dir, f"{BENCHMARK}.json") if out_dir is not None else None
    data = _new_data(budget, ns, seeds, variants, base, command)
    if resume and out_path is not None and out_path.is_file():
        data = _resumed(load_results(out_path), data)
    if runs_dir is None:
        runs_dir = data.get("runs_dir") or Path("runs", f"bench-{BENCHMARK}-{data['started']}")
    data["runs_dir"] = str(runs_dir)
    done = {(r["n"], r["seed"], r["variant"]) for r in data["records"] if not r.get("error")}
    data["records"] = [r for r in data["records"] if (r["n"], r["seed"], r["variant"]) in done]
    if not resume:
        taken = [p.parent for p in Path(runs_dir).glob("squares-*/state.json")]
        if taken:
            raise FileExistsError(f"{runs_dir} already holds search runs ({taken[0].name}, ...); "
                                  "pass resume (--resume) to continue them, or choose another runs dir")

    if tokenizer is None:
        from transformers import AutoTokenizer

        tokenizer = AutoTokenizer.from_pretrained(str(model_dir))
    for n in ns:
        for seed in seeds:
            for variant in variants:
                if (n, seed, variant) in done:
                    continue
                name = f"squares-{n}-seed{seed}-{variant}"
                config = variant_config(variant, base)
                config = replace(config, seed=seed,
                                 run=replace(config.run, run_dir=str(Path(runs_dir, name)), resume=resume))
                record = _run_one(tasks[n], n, seed, variant, config, time_budget_s, tokenizer, name, progress)
                data["records"].append(record)
                data["records"].sort(key=_record_key)
                if out_path is not None:  # plots (slower) once each N is done; all at the end
                    last_of_n = (seed, variant) == (seeds[-1], variants[-1]) and n != ns[-1]
                    write_outputs(data, out_path.parent, plots=last_of_n)
    data["finished"] = _now()
    if out_path is not None:
        write_outputs(data, out_path.parent)
    return data["records"]


def _run_one(task, n, seed, variant, config, time_budget_s, tokenizer, name, progress) -> dict:
    from her_arc.search import solve_task

    def on_epoch(record: dict) -> None:
        if progress:
            progress(name, record)
        if time_budget_s is not None and not record["solved"] and record["wall_time_s"] >= time_budget_s:
            raise _OutOfTime

    stopped = None
    try:
        result = solve_task(task, config, progress=on_epoch).to_dict()
        stopped = "solved" if result["solved"] else "max_epochs"
    except _OutOfTime:
        result, stopped = result_from_run_dir(config.run.run_dir), "time_budget"
    except Exception as exc:  # noqa: BLE001 - one crashed run must not lose the others
        traceback.print_exc()
        return {"task": f"squares-{n}", "n": n, "seed": seed, "variant": variant, "solved": False,
                "error": f"{type(exc).__name__}: {exc}", "run_dir": config.run.run_dir}
    return make_record(n, seed, variant, config, result, tokenizer, stopped)


def make_record(n: int, seed: int, variant: str, config: SearchConfig, result: dict, tokenizer,
                stopped: str) -> dict:
    """One benchmark record from a :class:`SearchResult` dict (or :func:`result_from_run_dir`)."""
    lines, tokens = solution_size(result.get("program"), tokenizer)
    accounted = result["sampling_s"] + result["execution_s"] + result["training_s"]
    return {
        "task": f"squares-{n}", "n": n, "seed": seed, "variant": variant,
        "solved": bool(result["solved"]), "stopped": stopped, "epochs": result["epochs"],
        **{key: result[key] for key in _CLOCK},
        "other_s": max(result["wall_time_s"] - accounted, 0.0),
        "solution_lines": lines, "solution_tokens": tokens, "program": result.get("program"),
        "best_accuracy": result["best_accuracy"], "accuracy_per_epoch": list(result["accuracy_per_epoch"]),
        "learn": config.learn.enabled, "run_dir": result.get("run_dir", config.run.run_dir),
    }


def result_from_run_dir(run_dir: str | os.PathLike) -> dict:
    """A SearchResult-like dict rebuilt from a run directory's ``epochs.jsonl`` (for a search stopped early)."""
    path = Path(run_dir, "epochs.jsonl")
    epochs = [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
    if not epochs:
        raise ValueError(f"{path} holds no finished epoch")
    best = max(epochs, key=lambda e: e["best_accuracy"])
    solved = next((e for e in epochs if e.get("solved")), None)
    return {
        "solved": solved is not None, "program": None, "best_program": best.get("best_program"),
        "best_accuracy": best["best_accuracy"], "accuracy_per_epoch": [e["best_accuracy"] for e in epochs],
        "epochs": len(epochs), **{key: epochs[-1][key] for key in _CLOCK}, "run_dir": str(run_dir),
    }


def _record_key(record: dict) -> tuple:
    order = list(VARIANTS)
    variant = record["variant"]
    return record["n"], order.index(variant) if variant in order else len(order), record["seed"]


def _now() -> str:
    return datetime.datetime.now().astimezone().isoformat(timespec="seconds")


def _new_data(budget, ns, seeds, variants, base: SearchConfig, command) -> dict:
    return {
        "benchmark": BENCHMARK, "schema": SCHEMA, "started": datetime.datetime.now().strftime("%Y%m%d-%H%M%S"),
        "date": _now(), "finished": None, "command": command, "hardware": hardware_info(),
        "load_average": list(os.getloadavg()) if hasattr(os, "getloadavg") else None,
        "budget": budget, "vllm_usable": vllm_usable() if budget["backend"] == "auto" else None,
        "ns": ns, "seeds": seeds, "variants": variants,
        "defaults": {"learning_rate": base.learn.adapter.learning_rate, "relabel": base.learn.relabel.value,
                     "only_novel": base.learn.only_novel},
        "reference": {"epochs_lines_tokens": {str(k): v for k, v in REFERENCE.items()},
                      "samples_per_epoch": REFERENCE_SAMPLES_PER_EPOCH,
                      "wall_s": {str(k): v for k, v in REFERENCE_WALL_S.items()},
                      "curve_100": REFERENCE_CURVE_100},
        "records": [],
    }


def _resumed(old: dict, new: dict) -> dict:
    if old.get("budget") != new["budget"]:
        raise ValueError(f"cannot resume: the results were made with budget {old.get('budget')}, "
                         f"now {new['budget']}; choose another --out-dir or the same budget")
    merged = dict(new, started=old["started"], date=old["date"], runs_dir=old.get("runs_dir"),
                  records=old["records"])
    merged["ns"] = sorted(set(old["ns"]) | set(new["ns"]))
    merged["seeds"] = sorted(set(old["seeds"]) | set(new["seeds"]))
    merged["variants"] = [v for v in VARIANTS if v in set(old["variants"]) | set(new["variants"])]
    return merged


# -- output --------------------------------------------------------------------------------------


def load_results(path: str | os.PathLike) -> dict:
    """A benchmark's JSON file, checked to be one this module wrote."""
    data = json.loads(Path(path).read_text())
    if not isinstance(data, dict) or data.get("benchmark") != BENCHMARK or "records" not in data:
        raise ValueError(f"{path} is not a '{BENCHMARK}' benchmark result (no 'benchmark'/'records' fields)")
    return data


def _write_text(path: Path, text: str) -> None:
    write_text_atomic(path, text)


def write_outputs(data: dict, out_dir: str | os.PathLike, plots: bool = True) -> dict[str, Path]:
    """Write ``squares.json``, ``squares.md``, ``squares_scaling.png`` and ``squares_curves.png`` atomically.

    ``plots=False`` leaves the PNG files as they are (the markdown still links them).
    """
    from her_arc.experiments.benchmark_report import plot_curves, plot_scaling, render_markdown

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = {
        "json": out_dir / f"{BENCHMARK}.json",
        "markdown": out_dir / f"{BENCHMARK}.md",
        "scaling": out_dir / f"{BENCHMARK}_scaling.png",
        "curves": out_dir / f"{BENCHMARK}_curves.png",
    }
    _write_text(paths["json"], json.dumps(data, indent=1) + "\n")
    if plots:
        plot_scaling(data, paths["scaling"])
        plot_curves(data, paths["curves"])
    _write_text(paths["markdown"], render_markdown(data, images=(paths["scaling"].name, paths["curves"].name)))
    return paths
