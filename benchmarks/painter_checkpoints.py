"""Painters side by side on drawing tasks and on generated ARC-like tasks of held-out programs (distance 1).

For each model: ``her-arc evaluate`` on the drawing suite's in-distribution tasks (written a draw at a time, the
search's way: the toy suite must not regress) and ``her-arc evaluate --data arc --decoding program`` (tasks made from
the 50 held-out training solutions and the grammar: programs never pretrained on). The same tasks and seeds for
every model; the shipped painter is always a row. Writes ``painter_checkpoints.md`` and ``.json`` (rows are kept
and reused by model path and settings, so a later run adds checkpoints without redoing the others).

    python benchmarks/painter_checkpoints.py pretrain_runs/arc1/checkpoint-1000 --draw-tasks 50 --arc-tasks 50

A teacher-forced loss on the programs of 64 distance-1 tasks sits beside them: it moves long before pass@n does.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
from pathlib import Path

RESULTS = Path(__file__).parent / "results"


def measure(model: str | None, data: str, n_tasks: int, samples: int) -> dict:
    from her_arc.experiments.evaluate import EvalConfig, evaluate

    kw = {"data": "arc", "decoding": "program"} if data == "arc" else {}
    report = evaluate(EvalConfig(model=model, n_tasks=n_tasks, n_samples=samples, **kw))
    keep = ("n_tasks", "pass_at_1", "pass_at_n", "valid_rate", "mean_best_accuracy", "noop_accuracy")
    return {k: report[k] for k in keep} | ({"by_kind": report["by_kind"]} if data == "arc" else {})


def heldout_loss(model: str | None, n_tasks: int, seed: int = 10000, max_length: int = 2048) -> dict:
    """Mean loss per program token (nats) and next-token accuracy on the programs of ``n_tasks`` distance-1 tasks
    (the ones ``--data arc`` draws), teacher-forced: a smooth progress measure while pass@n is still 0."""
    import itertools

    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    from her_arc.generate import generate_tasks, heldout_ids
    from her_arc.lm.prompt import encode_completion, encode_task
    from her_arc.lm.training import tokenize_example
    from her_arc.painter import grid_encoding, resolve_model_dir

    model_dir = resolve_model_dir(model)
    tokenizer = AutoTokenizer.from_pretrained(model_dir)
    lm = AutoModelForCausalLM.from_pretrained(model_dir).eval()
    encoding = grid_encoding(model_dir)
    stream = generate_tasks(seed, only_ids=heldout_ids(), exclude_ids=())
    nll = right = tokens = chars = used = 0
    try:
        for task in itertools.islice(stream, 4 * n_tasks):
            pairs = list(zip(task.inputs, task.outputs, strict=True))
            ex = tokenize_example(tokenizer, encode_task(pairs, encoding), encode_completion(task.program))
            if len(ex["input_ids"]) > max_length:
                continue
            ids, labels = torch.tensor([ex["input_ids"]]), torch.tensor([ex["labels"]])
            with torch.no_grad():
                logits = lm(input_ids=ids).logits[0, :-1]
            target, mask = labels[0, 1:], labels[0, 1:] != -100
            nll += torch.nn.functional.cross_entropy(logits[mask], target[mask], reduction="sum").item()
            right += (logits[mask].argmax(-1) == target[mask]).sum().item()
            tokens += int(mask.sum())
            chars += len(encode_completion(task.program)) + 1  # + the end of the program
            used += 1
            if used == n_tasks:
                break
    finally:
        stream.close()
    per_token = max(tokens, 1)
    return {"tasks": used, "program_tokens": tokens, "program_chars": chars, "loss": nll / per_token,
            "loss_per_char": nll / max(chars, 1), "token_accuracy": right / per_token}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("models", nargs="*", help="model directories (the shipped painter is always measured)")
    parser.add_argument("--draw-tasks", type=int, default=50, help="drawing tasks (default: 50)")
    parser.add_argument("--arc-tasks", type=int, default=50, help="generated ARC-like tasks (default: 50)")
    parser.add_argument("--loss-tasks", type=int, default=64,
                        help="distance-1 tasks for the teacher-forced program loss (default: 64; 0: skip)")
    parser.add_argument("--samples", type=int, default=8, help="samples per task, the n of pass@n (default: 8)")
    parser.add_argument("--threads", type=int, default=1, help="torch threads (default: 1)")
    parser.add_argument("--out-dir", default=str(RESULTS), help="where the table goes (default: benchmarks/results)")
    args = parser.parse_args()
    import torch

    torch.set_num_threads(args.threads)
    out = Path(args.out_dir)
    path = out / "painter_checkpoints.json"
    rows = json.loads(path.read_text())["rows"] if path.is_file() else []
    models = [None] + [str(Path(m).resolve()) for m in args.models]
    losses = json.loads(path.read_text()).get("heldout_loss", []) if path.is_file() else []
    for model in models:
        if args.loss_tasks and not any(r["model"] == (model or "shipped painter") and r["tasks"] == args.loss_tasks
                                       for r in losses):
            losses.append({"model": model or "shipped painter"} | heldout_loss(model, args.loss_tasks))
            _write(out, path, rows, losses)
            print(json.dumps(losses[-1]), flush=True)
        for data, n in (("draw", args.draw_tasks), ("arc", args.arc_tasks)):
            if not n:
                continue
            key = {"model": model or "shipped painter", "data": data, "tasks": n, "samples": args.samples}
            if any(all(r[k] == v for k, v in key.items()) for r in rows):
                continue
            row = key | measure(model, data, n, args.samples) | {"date": datetime.date.today().isoformat()}
            rows.append(row)
            _write(out, path, rows, losses)
            print(json.dumps({k: v for k, v in row.items() if k != "by_kind"}), flush=True)
    _write(out, path, rows, losses)


def _write(out: Path, path: Path, rows: list[dict], losses: list[dict]) -> None:
    from her_arc.files import write_text_atomic

    out.mkdir(parents=True, exist_ok=True)
    write_text_atomic(path, json.dumps({"rows": rows, "heldout_loss": losses}, indent=1))
    lines = ["# Painters on drawing tasks and on generated ARC-like tasks of held-out programs", "",
             "Written by `benchmarks/painter_checkpoints.py` (1 torch thread, transformers backend, T=0.5, "
             f"{os.cpu_count()} CPUs). `draw`: `her-arc evaluate` (in-distribution drawing tasks, written a draw at "
             "a time). `arc`: `her-arc evaluate --data arc --decoding program` (distance 1: tasks made from the 50 "
             "held-out training solutions and the grammar; prompts leaving no room for a 320-token program "
             "skipped). No-op: pixel accuracy of returning the input.", "",
             "| model | data | tasks | samples | valid | pass@1 | pass@n | mean best px acc | no-op px acc | date |",
             "|---|---|---|---|---|---|---|---|---|---|"]
    for r in rows:
        lines.append(f"| {_short(r['model'])} | {r['data']} | {r['n_tasks']} | {r['samples']} "
                     f"| {r['valid_rate']:.3f} | {r['pass_at_1']:.3f} | {r['pass_at_n']:.3f} "
                     f"| {r['mean_best_accuracy']:.3f} | {r['noop_accuracy']:.3f} | {r['date']} |")
    lines += ["", "Teacher-forced loss on the programs of distance-1 tasks (the same tasks for every model; prompts up "
              "to 2,048 tokens): nats per program token, nats per program character (the same text for every "
              "tokenizer, so models with other tokenizers compare) and next-token accuracy.", "",
              "| model | tasks | program tokens | loss per token | loss per character | token accuracy |",
              "|---|---|---|---|---|---|"]
    lines += [f"| {_short(r['model'])} | {r['tasks']} | {r['program_tokens']} | {r['loss']:.3f} "
              f"| {r['loss_per_char']:.3f} | {r['token_accuracy']:.3f} |" for r in losses]
    write_text_atomic(out / "painter_checkpoints.md", "\n".join(lines) + "\n")


def _short(model: str) -> str:
    parts = Path(model).parts
    return "/".join(parts[-2:]) if len(parts) > 1 else model


if __name__ == "__main__":
    main()
