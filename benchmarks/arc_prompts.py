"""Prompt length of real ARC tasks for a model: does every task fit the context?

    python benchmarks/arc_prompts.py [--split arc1-train] [--model DIR]

Encodes every task of the split as the search's prompt (its train pairs in the model's grid encoding, then the
program start) with the model's tokenizer, and writes ``benchmarks/results/arc_prompts_<split>.md`` (+ ``.json``):
median / p90 / max prompt tokens, and how many tasks leave room for a completion budget in the model's context.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from her_arc.arc.data import load_split  # noqa: E402
from her_arc.files import write_text_atomic  # noqa: E402
from her_arc.lm.prompt import encode_task, with_program_start  # noqa: E402
from her_arc.painter import grid_encoding, resolve_model_dir  # noqa: E402

BUDGET = 512
"""completion tokens a prompt must leave room for to count as fitting"""


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--split", default="arc1-train")
    parser.add_argument("--model", help="a Hugging Face causal LM directory (default: the shipped painter)")
    parser.add_argument("--out-dir", default=str(ROOT / "benchmarks" / "results"))
    args = parser.parse_args(argv)
    from transformers import AutoConfig, AutoTokenizer

    model_dir = resolve_model_dir(args.model)
    tokenizer = AutoTokenizer.from_pretrained(model_dir)
    context = AutoConfig.from_pretrained(model_dir).max_position_embeddings
    encoding = grid_encoding(model_dir)
    lengths = {}
    for task_id, task in load_split(args.split).items():
        prompt = with_program_start(encode_task(task.train, encoding))
        lengths[task_id] = len(tokenizer(prompt)["input_ids"])
    values = sorted(lengths.values())
    fit = sum(n + BUDGET <= context for n in values)
    summary = {"split": args.split, "model": str(model_dir), "encoding": encoding, "context": context,
               "tasks": len(values), "median": statistics.median(values), "p90": values[int(0.9 * len(values))],
               "max": values[-1], "fit_with_budget": fit, "budget": BUDGET,
               "longest": sorted(lengths, key=lengths.get)[-5:]}
    out = Path(args.out_dir)
    write_text_atomic(out / f"arc_prompts_{args.split}.json", json.dumps({**summary, "lengths": lengths}, indent=1))
    md = (f"# Prompt tokens of {args.split} ({encoding} encoding, {model_dir.name} tokenizer)\n\n"
          f"`python benchmarks/arc_prompts.py --split {args.split}`\n\n"
          "| tasks | median | p90 | max | context | fit with a 512-token completion |\n|---|---|---|---|---|---|\n"
          f"| {len(values)} | {summary['median']:.0f} | {summary['p90']} | {summary['max']} | {context} | {fit} |\n\n"
          f"Longest: {', '.join(f'{i} ({lengths[i]})' for i in summary['longest'])}.\n")
    write_text_atomic(out / f"arc_prompts_{args.split}.md", md)
    print(md)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
