"""The painter's loss on the target program of 5-draw tasks, by line: each draw's name and its arguments.

Held-out tasks of exactly 5 draws on sides 3-10 with visible extents and the topological order (the targets of
runs 7-8), teacher-forced: how sure the painter is of each line given the right lines before it.
Usage: ``python posloss.py N_TASKS MODEL_DIR``.
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


def char_slots(program: str) -> list[tuple[int, int]]:
    """Per character of ``program``: (its draw's index or 5 for other lines, 1 if in the draw's name else 0)."""
    slots, draw = [], -1
    for line in program.split("\n"):
        call = re.match(r"^(\s*)(draw_\w+)\(", line)
        draw += bool(call)
        in_name = [bool(call) and call.start(2) <= i < call.end(2) for i in range(len(line) + 1)]
        slots += [(draw if call else 5, int(flag)) for flag in in_name]
    return slots


def main(n: int, model_dir: str) -> None:
    rng = np.random.default_rng(4242)
    config = SamplerConfig(min_draws=5, max_draws=5, max_side=10, extents="visible", order="topological")
    tasks = [t for t in (sample_task(rng, config) for _ in range(n)) if t.n_draws == 5]
    tokenizer = AutoTokenizer.from_pretrained(model_dir)
    model = AutoModelForCausalLM.from_pretrained(model_dir).eval()
    encoding = grid_encoding(model_dir)
    totals = np.zeros((6, 2))  # rows: draws 1-5 and the rest; columns: arguments, name
    for task in tasks:
        prompt = encode_task(list(zip(task.inputs, task.outputs, strict=True)), encoding)
        completion = encode_completion(task.program)
        slots = char_slots(completion)
        batch = tokenizer(prompt + completion, return_offsets_mapping=True, return_tensors="pt")
        ids, offsets = batch.input_ids, batch.offset_mapping[0]
        with torch.no_grad():
            logits = model(ids).logits[0, :-1]
        nll = torch.nn.functional.cross_entropy(logits, ids[0, 1:], reduction="none")
        for j in range(1, ids.shape[1]):
            start = int(offsets[j][0]) - len(prompt)
            if 0 <= start < len(slots):
                totals[slots[start]] += float(nll[j - 1])
    print(f"{len(tasks)} tasks of 5 draws; nats per task by line (name, arguments, total):")
    for k, (args, name) in enumerate(totals / len(tasks)):
        print(f"  {'draw ' + str(k + 1) if k < 5 else 'rest'}: {name:.3f} {args:.3f} {name + args:.3f}")


if __name__ == "__main__":
    main(int(sys.argv[1]), sys.argv[2])
