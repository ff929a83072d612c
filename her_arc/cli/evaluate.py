"""``her-arc evaluate``: pass@1, pass@n, pixel accuracy and valid rate of a model on random drawing tasks."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from her_arc.experiments.evaluate import EvalConfig


def configure(parser: argparse.ArgumentParser) -> None:
    d = EvalConfig()
    parser.add_argument("--model", help="a model directory (default: the shipped painter)")
    parser.add_argument("--tasks", type=int, default=d.n_tasks, dest="n_tasks", help="number of random tasks")
    parser.add_argument(
        "--samples", type=int, default=d.n_samples, dest="n_samples", help="programs per task"
    )
    parser.add_argument(
        "--views",
        type=int,
        default=d.views,
        help="spread the samples over this many turned or mirrored copies of each task (1-8, dividing --samples)",
    )
    parser.add_argument("--temperature", type=float, default=d.temperature)
    parser.add_argument("--top-p", type=float, default=d.top_p)
    parser.add_argument("--min-draws", type=int, default=d.min_draws)
    parser.add_argument("--max-draws", type=int, default=d.max_draws)
    parser.add_argument("--min-side", type=int, default=d.min_side)
    parser.add_argument("--max-side", type=int, default=d.max_side)
    parser.add_argument(
        "--noise",
        type=float,
        default=d.noise_probability,
        dest="noise_probability",
        help="share of tasks with random-noise inputs",
    )
    parser.add_argument(
        "--drawn-inputs",
        type=float,
        default=d.drawn_input_probability,
        dest="drawn_input_probability",
        help="share of tasks whose inputs already hold up to 8 draws (as the search's refinement prompts do)",
    )
    parser.add_argument(
        "--decoding",
        choices=("program", "stepwise"),
        default=d.decoding,
        help="stepwise (default): each sample written a draw at a time, the model asked again on the canvas drawn "
        "so far after every line; program: each sample written in one go",
    )
    parser.add_argument(
        "--step-limit", type=int, default=d.step_limit, help="stepwise: the most draws one program gets"
    )
    parser.add_argument("--max-new-tokens", type=int, default=d.max_new_tokens)
    parser.add_argument("--seed", type=int, default=d.seed)
    parser.add_argument("--backend", choices=("auto", "vllm", "transformers"), default=d.backend)
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of the table")
    parser.add_argument(
        "--per-task",
        metavar="FILE",
        dest="per_task_path",
        help="also write one JSON line per task (grids, target program, each sample's program and accuracy)",
    )


def run(args: argparse.Namespace) -> int:
    from her_arc.painter import resolve_model_dir

    fields = {k: getattr(args, k) for k in EvalConfig.__dataclass_fields__ if hasattr(args, k)}
    try:
        config = EvalConfig(**fields)
        config.sampler_config()
        config.view_list()
        resolve_model_dir(config.model)
        if config.n_tasks < 1 or config.n_samples < 1:
            raise ValueError("--tasks and --samples must be at least 1")
        if config.per_task_path and Path(config.per_task_path).is_dir():
            raise ValueError(f"--per-task {config.per_task_path} is a directory; give a file path (e.g. tasks.jsonl)")
    except (ValueError, FileNotFoundError) as exc:
        print(f"her-arc evaluate: error: {exc}", file=sys.stderr)
        return 2
    from her_arc.experiments.evaluate import evaluate, format_table

    report = evaluate(config)
    if args.json:
        print(json.dumps(report))
    else:
        print(format_table(report))
    return 0
