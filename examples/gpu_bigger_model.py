"""Run the search with a bigger Hugging Face causal LM on a GPU (vLLM sampling, LoRA fine-tuning on CUDA).

    pip install 'her-arc[cuda]'                      # CUDA vLLM instead of the CPU build
    python examples/gpu_bigger_model.py /models/my-painter-0.5b squares-25
    python examples/gpu_bigger_model.py /models/my-painter-0.5b chick --lr 1e-5 --max-epochs 40

MODEL is any local HF causal-LM directory (config.json, weights, tokenizer). Prompts use the general
``dense`` grid encoding (one digit per cell, rows labelled) unless the directory carries ``her_arc.json``
naming another (``her_arc.painter.write_metadata(MODEL, grid_encoding="runs")``): give it the encoding
the model was fine-tuned on. A model that was never taught the DSL will rarely write a runnable program;
the search learns from whatever it draws, but a painter pretrained with ``her-arc pretrain`` starts far
closer. The LoRA learning rate defaults to the reference's 1e-5 for a 0.5B model (the shipped painter's
1e-3 is tuned for a model 100x smaller).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from her_arc import LearnConfig, SampleConfig, SearchConfig, solve_task
from her_arc.cli.search import parse_groups
from her_arc.lm.training import AdapterConfig


def context_of(model_dir: str, cap: int = 8192) -> int:
    """The model's context length (``max_position_embeddings``), capped: dense prompts are long."""
    config = json.loads(Path(model_dir, "config.json").read_text())
    return min(config.get("max_position_embeddings", 4096), cap)


def make_config(args: argparse.Namespace) -> SearchConfig:
    return SearchConfig(
        model=args.model,
        max_epochs=args.max_epochs,
        seed=args.seed,
        sample=SampleConfig(backend=args.backend, groups=args.groups,
                            max_model_len=args.max_model_len or context_of(args.model)),
        learn=LearnConfig(adapter=AdapterConfig(learning_rate=args.lr, lora_r=args.lora_r)),
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("model", help="a local Hugging Face causal LM directory")
    parser.add_argument("task", nargs="?", default="squares-25", help="a bundled task name or a task .json file")
    parser.add_argument("--backend", default="vllm", choices=("vllm", "transformers", "auto"))
    parser.add_argument("--groups", type=parse_groups, default=((8, 0.1), (128, 0.9)), help="e.g. 8@0.1,128@0.9")
    parser.add_argument("--max-epochs", type=int, default=30)
    parser.add_argument("--lr", type=float, default=1e-5, help="LoRA learning rate")
    parser.add_argument("--lora-r", type=int, default=16, help="LoRA rank")
    parser.add_argument("--max-model-len", type=int, help="context length (default: the model's, <= 8192)")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    import torch

    from her_arc.painter import grid_encoding

    print(f"device: {torch.cuda.get_device_name(0) if torch.cuda.is_available() else 'CPU (no GPU found: slow)'}; "
          f"grid encoding: {grid_encoding(args.model)}")
    result = solve_task(args.task, make_config(args),
                        progress=lambda e: print(f"epoch {e['epoch']}: best {e['best_accuracy']:.3f}, "
                                                 f"{e['samples']} samples, {e['wall_time_s']:.0f} s"))
    print(f"solved: {result.solved} in {result.epochs} epochs, {result.wall_time_s:.0f} s; run in {result.run_dir}")
    print(result.program or result.best_program or "(no runnable program yet)")
    return 0 if result.solved else 1


if __name__ == "__main__":  # needed: vLLM starts its workers with spawn
    raise SystemExit(main())
