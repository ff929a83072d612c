"""Whole-model weights as the per-epoch "adapter" of full fine-tuning: saved as a model directory, loaded in place.

With ``AdapterConfig.full`` each search epoch saves a complete Hugging Face model directory instead of a LoRA
adapter. :func:`is_full_model` tells the two apart (a LoRA adapter has ``adapter_config.json``), and
:func:`load_weights` copies such a directory's weights into an already loaded model of the same shape, so that a
sampler or a resumed trainer switches weights without loading a new model.
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["is_full_model", "load_weights"]


def is_full_model(directory: str | Path) -> bool:
    """Whether ``directory`` holds whole-model weights (``model.safetensors``) rather than a LoRA adapter."""
    path = Path(directory)
    return (path / "model.safetensors").is_file() and not (path / "adapter_config.json").is_file()


def load_weights(model, directory: str | Path) -> None:
    """Copy the weights of the model directory ``directory`` into ``model`` (same architecture and shapes).

    Raises ValueError naming the first missing or unexpected weight when the shapes or names differ (a directory
    written for another model); tied output embeddings, which safetensors stores once, are re-tied."""
    import torch
    from safetensors.torch import load_file

    state = load_file(str(Path(directory, "model.safetensors")))
    own = model.state_dict()
    tied = {"lm_head.weight"} if getattr(model.config, "tie_word_embeddings", False) else set()
    missing = sorted(set(own) - set(state) - tied)
    unexpected = sorted(set(state) - set(own))
    wrong = sorted(k for k in set(state) & set(own) if state[k].shape != own[k].shape)
    if missing or unexpected or wrong:
        what = (f"missing {missing[0]}" if missing else f"unexpected {unexpected[0]}" if unexpected
                else f"{wrong[0]} is {tuple(state[wrong[0]].shape)}, the model's {tuple(own[wrong[0]].shape)}")
        raise ValueError(f"{directory} holds weights for another model ({what}): fine-tuned weights must come from "
                         "the search's own model")
    with torch.no_grad():
        for name, tensor in state.items():
            own[name].copy_(tensor)
