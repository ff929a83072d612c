"""The loss of the target program per task, split by token kind: draw names, coordinates, colours, the rest.

Held-out tasks of 4-5 draws on sides 3-10 with visible extents and the topological order (the targets of runs
7-9); each model reads them in its own encoding. Usage: ``python tokloss.py N_TASKS MODEL_DIR...``.
"""

import re
import sys

import numpy as np
import torch
from transformers import AutoModelForCausalLM, AutoTokenizer

from dsl.sampler import SamplerConfig, sample_task
from her_arc.painter import grid_encoding
from her_arc.prompt import encode_completion, encode_task

torch.set_num_threads(1)


def char_kinds(program: str) -> list[str]:
    """Per character: ``name`` (a draw's primitive), ``coordinate``, ``colour`` (a draw's last number) or ``other``."""
    kinds = []
    for line in program.split("\n"):
        line_kinds = ["other"] * len(line)
        call = re.match(r"^(\s*)(draw_\w+)\(", line)
        if call:
            line_kinds[call.start(2) : call.end(2)] = ["name"] * (call.end(2) - call.start(2))
            numbers = list(re.finditer(r"\d+", line))
            for j, m in enumerate(numbers):
                kind = "colour" if j == len(numbers) - 1 else "coordinate"
                line_kinds[m.start() : m.end()] = [kind] * (m.end() - m.start())
        kinds += line_kinds + ["other"]
    return kinds


def main(n: int, model_dirs: list[str]) -> None:
    rng = np.random.default_rng(4242)
    config = SamplerConfig(min_draws=4, max_draws=5, max_side=10, extents="visible", order="topological")
    tasks = [sample_task(rng, config) for _ in range(n)]
    for model_dir in model_dirs:
        tokenizer = AutoTokenizer.from_pretrained(model_dir)
        model = AutoModelForCausalLM.from_pretrained(model_dir).eval()
        encoding = grid_encoding(model_dir)
        totals = dict.fromkeys(("name", "coordinate", "colour", "other"), 0.0)
        for task in tasks:
            prompt = encode_task(list(zip(task.inputs, task.outputs, strict=True)), encoding)
            completion = encode_completion(task.program)
            batch = tokenizer(prompt + completion, return_offsets_mapping=True, return_tensors="pt")
            ids, offsets = batch.input_ids, batch.offset_mapping[0]
            with torch.no_grad():
                logits = model(ids).logits[0, :-1]
            nll = torch.nn.functional.cross_entropy(logits, ids[0, 1:], reduction="none")
            kinds = char_kinds(completion)
            for j in range(1, ids.shape[1]):
                start = int(offsets[j][0]) - len(prompt)
                if start >= 0:
                    totals[kinds[start] if start < len(kinds) else "other"] += float(nll[j - 1])
        per_task = {k: round(v / n, 3) for k, v in totals.items()}
        print(model_dir, "nats per task:", per_task, "total", round(sum(totals.values()) / n, 3))


if __name__ == "__main__":
    main(int(sys.argv[1]), sys.argv[2:])
