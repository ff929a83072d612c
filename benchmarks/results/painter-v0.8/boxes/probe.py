"""Does a painter trained on the ``boxes`` encoding read the boxes block?

Greedy programs for the same tasks with the true boxes and with every box moved one row down; a model that
ignores the block writes the same program both times. Usage: ``python probe.py MODEL_DIR N_TASKS``.
"""

import re
import sys

import numpy as np
import torch
from transformers import AutoModelForCausalLM, AutoTokenizer

from dsl.sampler import SamplerConfig, sample_task
from her_arc.prompt import BOXES_HEADER, encode_task, with_program_start

torch.set_num_threads(1)


def shifted(prompt: str) -> str:
    """The prompt with each box's rows moved down by one."""
    lines, in_boxes = [], False
    for line in prompt.split("\n"):
        if in_boxes and re.match(r"^\d", line):
            rows, rest = line.split(" ", 1)
            line = "-".join(str(int(r) + 1) for r in rows.split("-")) + " " + rest
        else:
            in_boxes = line == BOXES_HEADER
        lines.append(line)
    return "\n".join(lines)


def main(model_dir: str, n: int) -> None:
    tokenizer = AutoTokenizer.from_pretrained(model_dir)
    model = AutoModelForCausalLM.from_pretrained(model_dir).eval()

    def greedy(prompt: str) -> str:
        ids = tokenizer(prompt, return_tensors="pt").input_ids
        with torch.no_grad():
            out = model.generate(ids, max_new_tokens=200, do_sample=False, use_cache=True, pad_token_id=0)
        return tokenizer.decode(out[0, ids.shape[1] :], skip_special_tokens=True)

    rng = np.random.default_rng(77)
    changed = 0
    for _ in range(n):
        task = sample_task(rng, SamplerConfig(min_draws=3, max_draws=5, max_side=8))
        prompt = with_program_start(encode_task(list(zip(task.inputs, task.outputs, strict=True)), "boxes"))
        changed += greedy(prompt) != greedy(shifted(prompt))
    print(f"{changed} of {n} programs change when the boxes move")


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
