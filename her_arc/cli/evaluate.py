"""``her-arc evaluate``: pass@1, pass@n, pixel accuracy and valid rate of a model on random drawing tasks."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from her_arc.cli.flags import add_flags, config_from_args
from her_arc.experiments.evaluate import EvalConfig


def configure(parser: argparse.ArgumentParser) -> None:
    parser.set_defaults(config_flags=add_flags(parser, EvalConfig))
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of the table")


def run(args: argparse.Namespace) -> int:
    from her_arc.painter import resolve_model_dir

    try:
        config = config_from_args(EvalConfig, args, args.config_flags)
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
