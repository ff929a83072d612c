"""Pretraining throughput of the painter sizes: training tokens per second, fp32 against bf16 autocast.

Runs forward+backward+AdamW steps on real batches from the pretraining stream (final curriculum
stage), on the GPU when there is one, and measures how fast one process generates that stream, which
says how many ``--workers`` keep the trainer fed. Writes ``pretrain.md`` and ``.json`` (default
``benchmarks/results``). Everything is measured in the same run, so the ratios hold even on a busy
machine; absolute figures vary with load.

    python benchmarks/pretrain.py --sizes small --steps 10 --threads 1
"""

from __future__ import annotations

import argparse
import itertools
import json
import math
import os
import platform
import time
from pathlib import Path

RESULTS = Path(__file__).parent / "results"


def _stream(tokenizer, batch_size: int, seed: int):
    from her_arc.experiments.pretrain import DEFAULT_CURRICULUM, example_stream

    return example_stream(tokenizer, "blocks", DEFAULT_CURRICULUM, 1, seed=seed, batch_size=batch_size)


def measure_generation(tokenizer, examples: int) -> dict:
    """Examples and tokens per second that one process turns out of the task stream (in whole blocks,
    which the stream generates at once)."""
    from her_arc.experiments.pretrain import BUCKET

    examples = BUCKET * math.ceil(examples / BUCKET)
    start = time.perf_counter()
    tokens = sum(len(e["input_ids"]) for e in itertools.islice(_stream(tokenizer, 16, seed=2), examples))
    seconds = time.perf_counter() - start
    return {"examples": examples, "tokens": tokens, "seconds": round(seconds, 2),
            "examples_per_s": round(examples / seconds), "tokens_per_s": round(tokens / seconds)}


def measure(size: str, bf16: bool, steps: int, batch_size: int, tokenizer, device: str) -> dict:
    import torch

    from her_arc.experiments.pretrain import PretrainConfig, build_model

    config = PretrainConfig(model_size=size)
    model = build_model(config, tokenizer).to(device)
    optimizer = torch.optim.AdamW(model.parameters(), lr=1e-3)
    stream = _stream(tokenizer, batch_size, seed=1)

    def batch():
        rows = [next(stream) for _ in range(batch_size)]
        width = max(len(r["input_ids"]) for r in rows)
        ids = torch.tensor([r["input_ids"] + [tokenizer.pad_token_id] * (width - len(r["input_ids"])) for r in rows])
        labels = torch.tensor([r["labels"] + [-100] * (width - len(r["labels"])) for r in rows])
        return ids.to(device), labels.to(device)

    def step(ids, labels):
        with torch.autocast(device, dtype=torch.bfloat16, enabled=bf16):
            loss = model(input_ids=ids, labels=labels).loss
        loss.backward()
        optimizer.step()
        optimizer.zero_grad()

    step(*batch())  # warm-up
    tokens, start = 0, time.perf_counter()
    for _ in range(steps):
        ids, labels = batch()
        step(ids, labels)
        tokens += int(ids.numel())
    if device == "cuda":
        torch.cuda.synchronize()
    seconds = time.perf_counter() - start
    return {
        "size": size,
        "params": sum(p.numel() for p in model.parameters()),
        "precision": "bf16 autocast" if bf16 else "fp32",
        "steps": steps,
        "batch_size": batch_size,
        "tokens": tokens,
        "seconds": round(seconds, 2),
        "tokens_per_s": round(tokens / seconds),
        "examples_per_s": round(steps * batch_size / seconds),
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    from her_arc.experiments.pretrain import MODEL_SIZES

    parser.add_argument("--sizes", nargs="+", default=["small"], choices=sorted(MODEL_SIZES))
    parser.add_argument("--steps", type=int, default=10)
    parser.add_argument("--batch-size", type=int, default=16)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--generate", type=int, default=500, help="examples generated to time the task stream")
    parser.add_argument("--out-dir", type=Path, default=RESULTS, help="where pretrain.md and .json go")
    args = parser.parse_args(argv)
    if args.steps < 1 or args.batch_size < 1 or args.generate < 1:
        parser.error("--steps, --batch-size and --generate must be positive")

    import torch

    from her_arc.experiments.pretrain import bf16_supported
    from her_arc.files import write_text_atomic
    from her_arc.lm.tokenizer import build_tokenizer

    torch.set_num_threads(args.threads)
    device = "cuda" if torch.cuda.is_available() else "cpu"
    tokenizer = build_tokenizer()
    generation = measure_generation(tokenizer, args.generate)
    rows = [
        measure(s, bf16, args.steps, args.batch_size, tokenizer, device) for s in args.sizes for bf16 in (False, True)
    ]
    where = torch.cuda.get_device_name(0) if device == "cuda" else f"{args.threads} torch thread(s)"
    hardware = f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, {where}"
    lines = [
        f"# Pretraining throughput ({time.strftime('%Y-%m-%d')}, {hardware}, native bf16: {bf16_supported()})",
        "",
        f"Batch {args.batch_size}, {args.steps} timed steps per row. One process generates the task stream at "
        f"{generation['examples_per_s']:,} examples/s ({generation['tokens_per_s']:,} tokens/s); "
        "the last column is the `--workers` that keep training at that speed fed.",
        "",
        "| size | params | precision | tokens/s | bf16 / fp32 | workers to feed it |",
        "|---|---|---|---|---|---|",
    ]
    for fp32, bf16 in zip(rows[::2], rows[1::2], strict=True):
        ratio = bf16["tokens_per_s"] / fp32["tokens_per_s"]
        feed = [math.ceil(r["examples_per_s"] / generation["examples_per_s"]) for r in (fp32, bf16)]
        lines.append(f"| {fp32['size']} | {fp32['params']:,} | fp32 | {fp32['tokens_per_s']:,} | | {feed[0]} |")
        lines.append(f"| | | bf16 autocast | {bf16['tokens_per_s']:,} | {ratio:.2f} | {feed[1]} |")
    table = "\n".join(lines) + "\n"
    print(table)
    args.out_dir.mkdir(parents=True, exist_ok=True)
    write_text_atomic(args.out_dir / "pretrain.md", table)
    record = {"hardware": hardware, "device": device, "generation": generation, "rows": rows}
    write_text_atomic(args.out_dir / "pretrain.json", json.dumps(record, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
