"""Measuring a model on random drawing tasks: pass@k, pixel accuracy and valid-program rate.

Tasks come from the DSL sampler with a held-out seed (pretraining streams use other seeds), or (``data="arc"``) from
the ARC-like task generator restricted to the held-out solutions, whose mutations no pretraining stream holds; each
task gets ``n_samples`` programs from one sampler call, spread over ``views`` turned or mirrored copies of
the task (1: the task as given) and mapped back to its frame; programs run in the sandbox. The no-op
baseline (``return img``) is reported beside the pixel accuracy, since on blank inputs an
unchanged grid already scores well.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from typing import NamedTuple

import numpy as np

from dsl.sampler import SamplerConfig, sample_task
from her_arc.files import write_text_atomic
from her_arc.lm.prompt import encode_task, with_program_start
from her_arc.metrics import pass_at_k, task_accuracy
from her_arc.programs.views import View, completion_program, map_program, views
from her_arc.search.stepwise import StepwiseConfig, StepwiseTask, sample_stepwise

DECODINGS = ("program", "stepwise")
"""How a sample is written: a whole program in one go, or a draw at a time on the canvas drawn so far."""
DATA = ("draw", "arc")
"""What the tasks are: random drawing tasks, or generated ARC-like tasks that read their inputs."""


@dataclass
class EvalConfig:
    """What ``her-arc evaluate`` measures; the defaults are the painter's in-distribution target."""

    model: str | None = None
    """a Hugging Face causal LM directory (default: the shipped painter)"""
    n_tasks: int = field(default=100, metadata={"flag": "--tasks"})
    """tasks to measure on"""
    data: str = field(default="draw", metadata={"choices": DATA})
    """draw: random drawing tasks (the draw and side settings below); arc: generated ARC-like tasks made from the
    held-out training solutions (her_arc/generate/heldout_train_ids.txt) and the grammar, programs never pretrained on
    (needs --decoding program and --views 1; prompts that leave no room for a program are skipped)"""
    n_samples: int = field(default=8, metadata={"flag": "--samples"})
    """programs sampled per task (the n of pass@n)"""
    temperature: float = 0.5
    """sampling temperature"""
    top_p: float = 0.95
    """nucleus-sampling threshold, in (0, 1]"""
    min_draws: int = 1
    """fewest draws of a task's target program"""
    max_draws: int = 5
    """most draws of a task's target program"""
    min_side: int = 3
    """smallest grid side"""
    max_side: int = 10
    """largest grid side (at most 30)"""
    noise_probability: float = field(default=0.0, metadata={"flag": "--noise"})
    """share of tasks whose inputs are random noise instead of blank grids"""
    drawn_input_probability: float = field(default=0.0, metadata={"flag": "--drawn-inputs"})
    """share of tasks whose inputs already hold up to 8 draws (the search's refinement prompts)"""
    views: int = 1
    """dihedral views (1-8, dividing the samples) the samples are spread over, mapped back to the task's frame"""
    decoding: str = field(default="stepwise", metadata={"choices": DECODINGS})
    """stepwise: each sample written a draw at a time, asked again after every line on the canvas drawn so far
    (what the search does); program: a whole program in one go (as the reference measured)"""
    step_limit: int = 10
    """stepwise: the most draws one program gets"""
    max_new_tokens: int = 320
    """program: token budget of a whole program"""
    seed: int = 10_000
    """task seed; pretraining uses seed 0 by default, so these tasks are held out"""
    backend: str = field(default="auto", metadata={"choices": ("auto", "vllm", "transformers")})
    """sampler backend: vllm, transformers, or auto (vLLM on a CUDA GPU, transformers on a CPU)"""
    timeout_s: float = 1.0
    """CPU seconds per program per input grid in the sandbox"""
    per_task_path: str | None = field(default=None, metadata={"flag": "--per-task"})
    """also write one JSON line per task to this file (its grids, target program, and each sample's completion
    text, the program read from it, status, pixel accuracy and view), to read what the model gets wrong"""

    def __post_init__(self):
        if self.decoding not in DECODINGS:
            raise ValueError(f"decoding must be one of {DECODINGS}, got {self.decoding!r}")
        if self.step_limit < 1:
            raise ValueError(f"step_limit must be at least 1, got {self.step_limit}")
        if self.data not in DATA:
            raise ValueError(f"data must be one of {DATA}, got {self.data!r}")
        if self.data == "arc" and (self.decoding != "program" or self.views != 1):
            raise ValueError("--data arc needs --decoding program and --views 1: programs that read their input are "
                             "neither written a draw at a time nor mapped between views")

    def sampler_config(self) -> SamplerConfig:
        return SamplerConfig(
            min_draws=self.min_draws,
            max_draws=self.max_draws,
            min_side=self.min_side,
            max_side=self.max_side,
            noise_probability=self.noise_probability,
            drawn_input_probability=self.drawn_input_probability,
        )

    def view_list(self) -> tuple[View, ...]:
        """The views the samples are spread over; raises ValueError if ``views`` does not fit ``n_samples``."""
        chosen = views(self.views)  # the sampler's tasks have one grid shape each
        if self.n_samples % self.views:
            raise ValueError(f"--samples {self.n_samples} do not split evenly over --views {self.views}")
        return chosen


def _size_bucket(shape) -> str:
    side = max(shape)
    for hi in (5, 10, 15, 20, 25, 30):
        if side <= hi:
            return f"<={hi}"
    return ">30"


def evaluate(config: EvalConfig | None = None, sampler=None) -> dict:
    """Sample, run and score; returns the summary dict (see ``her-arc evaluate --json``)."""
    from her_arc.lm.sampling import SamplingConfig, make_sampler
    from her_arc.painter import grid_encoding, resolve_model_dir
    from her_arc.sandbox import ExecutorPool

    config = config or EvalConfig()
    model_dir = resolve_model_dir(config.model)
    encoding = grid_encoding(model_dir)
    if config.data == "arc":
        tasks = _arc_tasks(config, model_dir, encoding)
    else:
        task_config = config.sampler_config()
        tasks = [sample_task(np.random.default_rng([config.seed, i]), task_config) for i in range(config.n_tasks)]
    task_views = config.view_list()
    per_view = config.n_samples // len(task_views)
    sample_views = [v for v in task_views for _ in range(per_view)]  # the view of each of a task's samples
    own = sampler is None
    if own:
        sampler = make_sampler(
            SamplingConfig(
                model=str(model_dir),
                backend=config.backend,
                top_p=config.top_p,
                max_new_tokens=config.max_new_tokens,
                seed=config.seed,
                enable_lora=False,
                groups=((per_view, config.temperature),),
            )
        )
    try:
        decode = _stepwise_samples if config.decoding == "stepwise" else _program_samples
        samples = decode(sampler, tasks, task_views, per_view, encoding, config)
    finally:
        if own:
            sampler.close()
    rows, details = [], []
    with ExecutorPool(timeout_s=config.timeout_s) as pool:
        for index, (task, (programs, texts)) in enumerate(zip(tasks, samples, strict=True)):
            runnable = [p for p, _ in programs if p is not None]
            results = iter(pool.execute(runnable, task.inputs) if runnable else [])
            scored = [_score(p, failure, None if p is None else next(results), task) for p, failure in programs]
            accs = [s.accuracy for s in scored]
            rows.append(
                {
                    "n_draws": getattr(task, "n_draws", None),
                    "kind": getattr(task, "kind", "draw"),
                    "size": _size_bucket(task.outputs[0].shape),
                    "valid": sum(s.status == "ok" for s in scored),
                    "correct": sum(a == 1.0 for a in accs),
                    "best_accuracy": max(accs),
                    "noop_accuracy": task_accuracy(task.inputs, task.outputs),
                }
            )
            if config.per_task_path:
                details.append(_task_detail(index, task, texts, sample_views, scored))
    if config.per_task_path:
        write_text_atomic(config.per_task_path, "".join(json.dumps(d) + "\n" for d in details))
    by = ("by_kind", "kind") if config.data == "arc" else ("by_draws", "n_draws")
    return {
        **_summary(rows, config.n_samples),
        by[0]: {k: _summary(v, config.n_samples) for k, v in sorted(_group(rows, by[1]).items())},
        "by_size": {k: _summary(v, config.n_samples) for k, v in sorted(_group(rows, "size").items())},
        "config": asdict(config),
        "model": str(model_dir),
        "backend": getattr(sampler, "backend", config.backend),
    }


def _arc_tasks(config: EvalConfig, model_dir, encoding) -> list:
    """The first ``n_tasks`` generated tasks of the held-out solutions (seeded by ``config.seed``) whose prompt
    leaves room for ``max_new_tokens``."""
    import itertools

    from transformers import AutoTokenizer

    from her_arc.generate import generate_tasks, heldout_ids
    from her_arc.lm.sampling import SamplingConfig, context_length

    tokenizer = AutoTokenizer.from_pretrained(model_dir)
    room = context_length(SamplingConfig(model=str(model_dir))) - config.max_new_tokens
    stream = generate_tasks(config.seed, only_ids=heldout_ids(), exclude_ids=())
    try:
        fits = (t for t in stream
                if len(tokenizer(with_program_start(encode_task(t.pairs, encoding)))["input_ids"]) <= room)
        return list(itertools.islice(fits, config.n_tasks))
    finally:
        stream.close()


def _program_samples(sampler, tasks, task_views, per_view, encoding, config) -> list[tuple[list, list[str]]]:
    """Whole programs, ``per_view`` per view of each task from one sampler call: per task, each sample's
    (program in the task's frame or ``None``, why not) and its completion text."""
    prompts = [
        with_program_start(encode_task(view.apply_pairs(zip(t.inputs, t.outputs, strict=True)), encoding))
        for t in tasks
        for view in task_views
    ]
    by_prompt = sampler.sample(prompts, [(per_view, config.temperature)])
    n_views, samples = len(task_views), []
    for i, task in enumerate(tasks):
        asked = list(zip(task_views, by_prompt[i * n_views : (i + 1) * n_views], strict=True))
        programs = [completion_program(c.text, view, task.inputs[0].shape) for view, own in asked for c in own]
        samples.append((programs, [c.text for _, own in asked for c in own]))
    return samples


def _stepwise_samples(sampler, tasks, task_views, per_view, encoding, config) -> list[tuple[list, list[str]]]:
    """Programs written a draw at a time (:mod:`her_arc.search.stepwise`), ``per_view`` per view of each task: per task,
    each (program in the task's frame or ``None`` if its chain ended on a line that is not a draw call, why not)
    and the chain's last completion."""
    asked = [StepwiseTask(v.apply_pairs(zip(t.inputs, t.outputs, strict=True))) for t in tasks for v in task_views]
    chains = sample_stepwise(sampler, asked, per_view, config.temperature, encoding,
                             StepwiseConfig(max_draws=config.step_limit), seed=config.seed)
    n_views, samples = len(task_views), []
    for i, task in enumerate(tasks):
        programs, texts = [], []
        for view, own in zip(task_views, chains[i * n_views : (i + 1) * n_views], strict=True):
            for chain in own:
                program = None if chain.stop == "invalid" else map_program(chain.program, view, task.inputs[0].shape)
                programs.append((program, "unparsable" if program is None else ""))
                texts.append(chain.last_text)
        samples.append((programs, texts))
    return samples


class _Scored(NamedTuple):
    """One sample as run: its program (``None`` if the completion held none), status and pixel accuracy."""

    program: str | None
    status: str
    accuracy: float


def _score(program: str | None, failure: str, result, task) -> _Scored:
    if program is None:
        return _Scored(None, failure, 0.0)
    if result.status != "ok":
        return _Scored(program, result.status, 0.0)
    return _Scored(program, "ok", task_accuracy(result.outputs, task.outputs))


def _task_detail(index: int, task, texts: list[str], sample_views: list[View], scored: list[_Scored]) -> dict:
    """One line of ``per_task_path``: the task, its target program and every sample, best first."""
    order = sorted(range(len(scored)), key=lambda i: -scored[i].accuracy)
    return {
        "index": index,
        "n_draws": getattr(task, "n_draws", None),
        "kind": getattr(task, "kind", "draw"),
        "solved": any(s.accuracy == 1.0 for s in scored),
        "inputs": [g.tolist() for g in task.inputs],
        "outputs": [g.tolist() for g in task.outputs],
        "target_program": task.program,
        "samples": [
            {
                **scored[i]._asdict(),
                "view": sample_views[i].name,
                "completion": texts[i],
            }
            for i in order
        ],
    }


def _group(rows, key):
    groups = defaultdict(list)
    for row in rows:
        groups[row[key]].append(row)
    return groups


def _summary(rows, n: int) -> dict:
    return {
        "n_tasks": len(rows),
        "n_samples": n,
        "pass_at_1": float(np.mean([pass_at_k(n, r["correct"], 1) for r in rows])),
        "pass_at_n": float(np.mean([r["correct"] > 0 for r in rows])),
        "valid_rate": float(np.mean([r["valid"] / n for r in rows])),
        "mean_best_accuracy": float(np.mean([r["best_accuracy"] for r in rows])),
        "max_best_accuracy": float(np.max([r["best_accuracy"] for r in rows])),
        "noop_accuracy": float(np.mean([r["noop_accuracy"] for r in rows])),
    }


def format_table(report: dict) -> str:
    """The report as a markdown table: overall, then by number of draws and by grid size."""
    n = report["n_samples"]
    head = (
        f"| slice | tasks | valid | pass@1 | pass@{n} | mean best px acc | no-op px acc |\n"
        "|---|---|---|---|---|---|---|"
    )

    def line(name, s):
        return (
            f"| {name} | {s['n_tasks']} | {s['valid_rate']:.3f} | {s['pass_at_1']:.3f} | {s['pass_at_n']:.3f} "
            f"| {s['mean_best_accuracy']:.3f} | {s['noop_accuracy']:.3f} |"
        )

    lines = [head, line("all", report)]
    lines += [line(f"{k} draws", s) for k, s in report.get("by_draws", {}).items()]
    lines += [line(f"kind {k}", s) for k, s in report.get("by_kind", {}).items()]
    lines += [line(f"side {k}", s) for k, s in report["by_size"].items()]
    return "\n".join(lines)
