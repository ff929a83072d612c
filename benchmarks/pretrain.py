"""Pretraining throughput of the painter sizes: training tokens per second, fp32 against bf16 autocast.

Runs forward+backward+AdamW steps on real batches from the pretraining stream (final curriculum
stage) and writes ``benchmarks/results/pretrain.md`` and ``.json``. Both precisions are measured in
the same run, so their ratio holds even on a busy machine; absolute figures vary with load.

    python benchmarks/pretrain.py --sizes small --steps 10 --threads 1
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import time
from pathlib import Path

RESULTS = Path(__file__).parent / "results"


def measure(size: str, bf16: bool, steps: int, batch_size: int, tokenizer) -> dict:
    import torch

    from her_arc.pretrain import DEFAULT_CURRICULUM, PretrainConfig, build_model, example_stream

    config = PretrainConfig(model_size=size)
    model = build_model(config, tokenizer)
    optimizer = torch.optim.AdamW(model.parameters(), lr=1e-3)
    stream = example_stream(tokenizer, "diff", DEFAULT_CURRICULUM, 1, seed=1, batch_size=batch_size)

    def batch():
        rows = [next(stream) for _ in range(batch_size)]
        width = max(len(r["input_ids"]) for r in rows)
        ids = torch.tensor([r["input_ids"] + [tokenizer.pad_token_id] * (width - len(r["input_ids"])) for r in rows])
        labels = torch.tensor([r["labels"] + [-100] * (width - len(r["labels"])) for r in rows])
        return ids, labels

    def step(ids, labels):
        with torch.autocast("cpu", dtype=torch.bfloat16, enabled=bf16):
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
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", nargs="+", default=["small"])
    parser.add_argument("--steps", type=int, default=10)
    parser.add_argument("--batch-size", type=int, default=16)
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args(argv)

    import torch

    from her_arc.files import write_text_atomic
    from her_arc.pretrain import bf16_supported
    from her_arc.tokenizer import build_tokenizer

    torch.set_num_threads(args.threads)
    tokenizer = build_tokenizer()
    rows = [measure(s, bf16, args.steps, args.batch_size, tokenizer) for s in args.sizes for bf16 in (False, True)]
    hardware = f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, {args.threads} torch thread(s)"
    lines = [
        f"# Pretraining throughput ({time.strftime('%Y-%m-%d')}, {hardware}, native bf16: {bf16_supported()})",
        "",
        "| size | params | precision | tokens/s | bf16 / fp32 |",
        "|---|---|---|---|---|",
    ]
    for fp32, bf16 in zip(rows[::2], rows[1::2], strict=True):
        ratio = bf16["tokens_per_s"] / fp32["tokens_per_s"]
        lines.append(f"| {fp32['size']} | {fp32['params']:,} | fp32 | {fp32['tokens_per_s']:,} | |")
        lines.append(f"| | | bf16 autocast | {bf16['tokens_per_s']:,} | {ratio:.2f} |")
    table = "\n".join(lines) + "\n"
    print(table)
    write_text_atomic(RESULTS / "pretrain.md", table)
    write_text_atomic(RESULTS / "pretrain.json", json.dumps({"hardware": hardware, "rows": rows}, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
