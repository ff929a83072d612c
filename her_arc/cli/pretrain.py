"""``her-arc pretrain``: train the painter (or continue any HF causal LM) on random drawing tasks.

Runs unchanged under ``accelerate launch`` on several GPUs. Rerunning with the same
``--output-dir`` resumes from the last checkpoint.
"""

from __future__ import annotations

import argparse
import sys

from her_arc.experiments.pretrain import DEFAULT_CURRICULUM, MODEL_SIZES, PretrainConfig, load_curriculum
from her_arc.lm.prompt import GRID_ENCODINGS


def configure(parser: argparse.ArgumentParser) -> None:
    d = PretrainConfig()
    parser.add_argument(
        "--output-dir", default=d.output_dir, help="checkpoints and the final model (resumes)"
    )
    parser.add_argument(
        "--model-size",
        choices=sorted(MODEL_SIZES),
        default=d.model_size,
        help="shape of a model created from scratch",
    )
    parser.add_argument("--init-from", help="continue from this Hugging Face model directory instead")
    parser.add_argument(
        "--grow-layers", type=int, metavar="N",
        help="deepen the --init-from model to N layers (a multiple of its own), starting from exactly its outputs",
    )
    parser.add_argument(
        "--encoding", choices=GRID_ENCODINGS, default=d.encoding, help="grid encoding of prompts"
    )
    parser.add_argument(
        "--curriculum",
        metavar="FILE",
        help="task distribution over the run as JSON (a list of {until, sampler} stages, or a run's "
        "pretrain_config.json); default: the shipped painter's from-scratch schedule",
    )
    parser.add_argument("--max-steps", type=int, default=d.max_steps)
    parser.add_argument("--batch-size", type=int, default=d.batch_size, help="samples per device per step")
    parser.add_argument("--grad-accum", type=int, default=d.gradient_accumulation_steps)
    parser.add_argument("--lr", type=float, default=d.learning_rate)
    parser.add_argument("--warmup-steps", type=int, default=d.warmup_steps)
    parser.add_argument(
        "--lora", action="store_true", help="train a LoRA adapter (merged into the saved model)"
    )
    parser.add_argument("--lora-r", type=int, default=d.lora_r)
    parser.add_argument(
        "--bf16",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="bfloat16 autocast (default: where the hardware has native bf16)",
    )
    parser.add_argument("--save-steps", type=int, default=d.save_steps)
    parser.add_argument("--logging-steps", type=int, default=d.logging_steps)
    parser.add_argument("--seed", type=int, default=d.seed)
    parser.add_argument("--threads", type=int, help="torch CPU threads (1 keeps a shared machine responsive)")
    parser.add_argument(
        "--workers",
        type=int,
        default=d.dataloader_num_workers,
        help="processes generating tasks (on a GPU, most of the CPU cores; a resumed run needs the same number)",
    )


def run(args: argparse.Namespace) -> int:
    try:
        curriculum = load_curriculum(args.curriculum) if args.curriculum else DEFAULT_CURRICULUM
        config = PretrainConfig(
            curriculum=curriculum,
            output_dir=args.output_dir,
            model_size=args.model_size,
            init_from=args.init_from,
            grow_layers=args.grow_layers,
            encoding=args.encoding,
            max_steps=args.max_steps,
            batch_size=args.batch_size,
            gradient_accumulation_steps=args.grad_accum,
            learning_rate=args.lr,
            warmup_steps=args.warmup_steps,
            use_lora=args.lora,
            lora_r=args.lora_r,
            bf16=args.bf16,
            save_steps=args.save_steps,
            logging_steps=args.logging_steps,
            seed=args.seed,
            num_threads=args.threads,
            dataloader_num_workers=args.workers,
        )
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
