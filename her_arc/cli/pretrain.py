"""``her-arc pretrain``: train the painter (or continue any HF causal LM) on random drawing tasks.

Runs unchanged under ``accelerate launch`` on several GPUs. Rerunning with the same
``--output-dir`` resumes from the last checkpoint.
"""

from __future__ import annotations

import argparse
import sys

from her_arc.cli.flags import add_flags, config_from_args
from her_arc.experiments.pretrain import DEFAULT_CURRICULUM, PretrainConfig, load_curriculum


def configure(parser: argparse.ArgumentParser) -> None:
    parser.set_defaults(config_flags=add_flags(parser, PretrainConfig))
    parser.add_argument(
        "--curriculum", metavar="FILE",
        help="task distribution over the run as JSON (a list of {until, sampler, arc} stages, arc: the share of "
             "generated ARC-like tasks; or a run's pretrain_config.json); default: the shipped painter's "
             "from-scratch schedule",
    )


def run(args: argparse.Namespace) -> int:
    try:
        curriculum = load_curriculum(args.curriculum) if args.curriculum else DEFAULT_CURRICULUM
        config = config_from_args(PretrainConfig, args, args.config_flags, curriculum=curriculum)
    except (ValueError, FileNotFoundError) as exc:
        print(f"her-arc pretrain: error: {exc}", file=sys.stderr)
        return 2
    from her_arc.experiments.pretrain import ResumeMismatch, pretrain

    try:
        final = pretrain(config)
    except ResumeMismatch as exc:
        print(f"her-arc pretrain: error: {exc}", file=sys.stderr)
        return 2
    print(f"saved the model to {final}")
    return 0
