"""Model directories and LoRA adapters: context length, adapter checks against a base model, merging."""

from __future__ import annotations

import dataclasses
import json
import logging
import os
import shutil
from pathlib import Path
from typing import Any

from her_arc.lm.sampling.types import (
    _PLAIN_LORA_INITS,
    PAINTER_DIR,
    VLLM_LORA_RANKS,
    AdapterError,
    AdapterMismatchError,
    ModelNotFoundError,
    SamplingConfig,
    UnsupportedAdapterError,
)

logger = logging.getLogger(__name__)


def _model_dir(model: str | os.PathLike) -> Path:
    path = Path(model).expanduser()
    if not path.is_dir():
        hint = " (the shipped painter has not been trained/committed yet)" if path == PAINTER_DIR else ""
        raise ModelNotFoundError(f"model directory {str(path)!r} does not exist{hint}")
    if not (path / "config.json").is_file():
        raise ModelNotFoundError(f"{str(path)!r} has no config.json: save the model with save_pretrained")
    if not any((path / f).is_file() for f in ("tokenizer.json", "tokenizer_config.json")):
        raise ModelNotFoundError(
            f"{str(path)!r} has no tokenizer: save it next to the model (tokenizer.save_pretrained(model_dir))"
        )
    return path.resolve()


def _read_json(path: Path) -> dict:
    with open(path) as f:
        return json.load(f)


def _text_config(config: dict) -> dict:
    return config.get("text_config", config)


def context_length(config: SamplingConfig) -> int:
    """The context the sampler uses: ``max_model_len`` or the model's ``max_position_embeddings`` (<= 4096)."""
    model_config = _text_config(_read_json(_model_dir(config.model) / "config.json"))
    max_positions = model_config.get("max_position_embeddings")
    if config.max_model_len is None:
        return min(max_positions or 4096, 4096)
    if max_positions is not None and config.max_model_len > max_positions:
        raise ValueError(
            f"max_model_len={config.max_model_len} exceeds the model's max_position_embeddings={max_positions}"
        )
    return config.max_model_len


# --------------------------------------------------------------------------------------------------- adapters


def _as_dict(lora_config: Any) -> dict:
    if isinstance(lora_config, dict):
        return dict(lora_config)
    if hasattr(lora_config, "to_dict"):
        return lora_config.to_dict()
    if dataclasses.is_dataclass(lora_config):
        return dataclasses.asdict(lora_config)
    raise TypeError(f"expected a peft.LoraConfig or a dict, got {type(lora_config).__name__}")


def lora_config_problems(lora_config: Any, backend: str, max_lora_rank: int | None = None) -> list[str]:
    """Why adapters trained with ``lora_config`` (a ``peft.LoraConfig`` or adapter_config.json dict) could not
    be served by ``backend``; an empty list when they can. Mirrors vLLM 0.32's own checks so that they surface
    at configuration time."""
    cfg = _as_dict(lora_config)
    peft_type = str(cfg.get("peft_type", "LORA")).upper().removeprefix("PEFTTYPE.")
    if peft_type != "LORA":
        return [f"only LoRA adapters are supported, this is peft_type={peft_type}"]
    if backend != "vllm":
        return []
    problems = []
    if cfg.get("use_dora"):
        problems.append("vLLM cannot serve DoRA adapters (use_dora=True); train plain LoRA or use the "
                        "transformers backend")
    if cfg.get("lora_bias"):
        problems.append("vLLM cannot serve LoRA bias (lora_bias=True)")
    if cfg.get("bias", "none") != "none":
        problems.append(f"vLLM cannot serve adapters that train biases (bias={cfg['bias']!r}); use bias='none'")
    modules_to_save = [m for m in (cfg.get("modules_to_save") or []) if m not in ("classifier", "score")]
    if modules_to_save:
        problems.append(f"vLLM cannot serve fully trained modules (modules_to_save={modules_to_save})")
    init = cfg.get("init_lora_weights", True)
    if isinstance(init, str) and init.lower() not in _PLAIN_LORA_INITS:
        problems.append(f"vLLM cannot serve init_lora_weights={init!r} (it modifies the base weights)")
    for key, what in (
        ("layer_replication", "layer_replication"),
        ("alora_invocation_tokens", "activated LoRA (aLoRA)"),
        ("use_bdlora", "block-diagonal LoRA"),
        ("use_qalora", "QALoRA"),
        ("trainable_token_indices", "trainable token indices"),
    ):
        if cfg.get(key):
            problems.append(f"vLLM cannot serve {what} ({key}={cfg[key]!r})")
    if max_lora_rank is not None:
        ranks = [cfg.get("r", 8), *(cfg.get("rank_pattern") or {}).values()]
        if max(ranks) > max_lora_rank:
            problems.append(
                f"LoRA rank {max(ranks)} exceeds the engine's max_lora_rank={max_lora_rank}; "
                f"raise SamplingConfig.max_lora_rank (one of {VLLM_LORA_RANKS})"
            )
    return problems


def _module_shapes(model_dir: Path) -> dict[str, tuple[str, tuple[int, int]]]:
    """``{module name: (kind, (in, out))}`` for the Linear / Embedding modules of the model, built on the meta
    device (no weights are read)."""
    import torch
    from transformers import AutoConfig, AutoModelForCausalLM

    config = AutoConfig.from_pretrained(model_dir)
    with torch.device("meta"):
        model = AutoModelForCausalLM.from_config(config)
    shapes = {}
    for name, module in model.named_modules():
        if isinstance(module, torch.nn.Linear):
            shapes[name] = ("linear", (module.in_features, module.out_features))
        elif isinstance(module, torch.nn.Embedding):
            shapes[name] = ("embedding", (module.num_embeddings, module.embedding_dim))
    return shapes


_ARCH_KEYS = ("model_type", "vocab_size", "hidden_size", "num_hidden_layers", "intermediate_size",
              "num_attention_heads", "num_key_value_heads")


def _adapter_weights(adapter_dir: Path) -> Path:
    for name in ("adapter_model.safetensors", "adapter_model.bin"):
        if (adapter_dir / name).is_file():
            return adapter_dir / name
    raise AdapterError(f"adapter directory {str(adapter_dir)!r} has no adapter_model.safetensors")


def _tensor_shapes(weights: Path) -> dict[str, tuple[int, ...]]:
    if weights.suffix == ".safetensors":
        from safetensors import safe_open

        with safe_open(str(weights), "pt") as f:
            return {k: tuple(f.get_slice(k).get_shape()) for k in f.keys()}  # noqa: SIM118
    import torch

    return {k: tuple(v.shape) for k, v in torch.load(weights, map_location="meta").items()}


_LORA_SUFFIXES = ((".lora_A.weight", "A"), (".lora_B.weight", "B"),
                  (".lora_embedding_A", "eA"), (".lora_embedding_B", "eB"))


def _lora_part(name: str) -> tuple[str, str] | None:
    """``(module name, "A" | "B" | "eA" | "eB")`` for a PEFT LoRA tensor name, else None."""
    for suffix, kind in _LORA_SUFFIXES:
        if name.endswith(suffix):
            return name[: -len(suffix)], kind
    return None


def check_adapter(
    adapter_dir: str | os.PathLike,
    model_dir: str | os.PathLike,
    *,
    backend: str,
    max_lora_rank: int | None = None,
    module_shapes: dict | None = None,
) -> dict:
    """Validate a saved adapter for ``model_dir`` and ``backend``; returns its adapter_config dict.

    Raises :class:`AdapterError` (missing/invalid dir), :class:`UnsupportedAdapterError` (a feature the backend
    cannot serve) or :class:`AdapterMismatchError` (trained on another base model).
    """
    adapter_dir, model_dir = Path(adapter_dir).expanduser(), _model_dir(model_dir)
    config_path = adapter_dir / "adapter_config.json"
    if not adapter_dir.is_dir():
        raise AdapterError(f"adapter directory {str(adapter_dir)!r} does not exist")
    if not config_path.is_file():
        raise AdapterError(f"{str(adapter_dir)!r} has no adapter_config.json: save the adapter with PEFT")
    cfg = _read_json(config_path)
    problems = lora_config_problems(cfg, backend, max_lora_rank)
    if problems:
        raise UnsupportedAdapterError(f"adapter {str(adapter_dir)!r}: " + "; ".join(problems))

    mismatches = []
    base = _text_config(_read_json(model_dir / "config.json"))
    recorded = cfg.get("base_model_name_or_path")
    if recorded and (Path(recorded) / "config.json").is_file() and Path(recorded).resolve() != model_dir:
        other = _text_config(_read_json(Path(recorded) / "config.json"))
        diff = [f"{k}: {other.get(k)} vs {base.get(k)}" for k in _ARCH_KEYS if other.get(k) != base.get(k)]
        if diff:
            mismatches.append(f"it was trained on {recorded!r}, a different architecture ({', '.join(diff)})")
    tok_path = adapter_dir / "tokenizer.json"
    if tok_path.is_file():
        vocab = len(_read_json(tok_path).get("model", {}).get("vocab", {})) + len(
            _read_json(tok_path).get("added_tokens", [])
        )
        model_tok = model_dir / "tokenizer.json"
        if model_tok.is_file():
            model_vocab = len(_read_json(model_tok).get("model", {}).get("vocab", {})) + len(
                _read_json(model_tok).get("added_tokens", [])
            )
            if vocab != model_vocab:
                mismatches.append(f"its tokenizer has {vocab} tokens, the model's {model_vocab}")

    shapes = module_shapes if module_shapes is not None else _module_shapes(model_dir)
    seen_lora = False
    for key, shape in _tensor_shapes(_adapter_weights(adapter_dir)).items():
        name = key.removeprefix("base_model.model.")
        found = _lora_part(name)
        if found is None:
            continue  # magnitude vectors, saved modules: covered by the config checks above
        module, kind = found
        seen_lora = True
        if module not in shapes:
            mismatches.append(f"it adapts {module!r}, which this model does not have")
            continue
        _, (n_in, n_out) = shapes[module]
        expected = {"A": (None, n_in), "B": (n_out, None), "eA": (None, n_in), "eB": (n_out, None)}[kind]
        if len(shape) != 2 or any(e is not None and e != s for e, s in zip(expected, shape, strict=True)):
            mismatches.append(f"{module!r}: adapter matrix {kind} has shape {shape}, the module is "
                              f"{n_in} -> {n_out}")
        if len(mismatches) >= 5:
            break
    if not seen_lora and not mismatches:
        raise AdapterError(f"adapter {str(adapter_dir)!r} holds no LoRA weights")
    if mismatches:
        raise AdapterMismatchError(
            f"adapter {str(adapter_dir)!r} does not match the base model {str(model_dir)!r}: "
            + "; ".join(mismatches[:5])
        )
    return cfg


def merge_adapter(model_dir: str | os.PathLike, adapter_dir: str | os.PathLike, out_dir: str | os.PathLike) -> Path:
    """Save base model + LoRA adapter merged (PEFT ``merge_and_unload``, float32) as a checkpoint in ``out_dir``."""
    import torch
    from peft import PeftModel
    from transformers import AutoModelForCausalLM

    base = AutoModelForCausalLM.from_pretrained(model_dir, dtype=torch.float32)
    merged = PeftModel.from_pretrained(base, str(adapter_dir)).merge_and_unload()
    merged.save_pretrained(out_dir)
    return Path(out_dir)


#: adapter_config keys that make an adapter more than plain LoRA matrices (merged by PEFT instead)
_NOT_PLAIN_LORA = ("use_dora", "lora_bias", "modules_to_save", "trainable_token_indices", "layer_replication",
                   "target_parameters", "use_qalora", "use_bdlora", "alora_invocation_tokens")


def _pattern_value(pattern: dict, module: str):
    """PEFT's rank_pattern / alpha_pattern lookup: the first key that matches the end of the module name."""
    import re

    for key, value in (pattern or {}).items():
        if re.match(rf"(.*\.)?({key})$", module):
            return value
    return None


def fast_merge(model_dir: str | os.PathLike, adapter_dir: str | os.PathLike, out_dir: str | os.PathLike,
               base_cache: dict | None = None) -> bool:
    """Write base + plain-LoRA delta (``W + scale * B @ A``) as ``out_dir/model.safetensors`` without building
    a model: ~0.1 s for the painter instead of ~1.4 s through PEFT. Returns False (writing nothing) for adapters
    that are more than LoRA matrices on weights present in the checkpoint; use :func:`merge_adapter` for those.
    ``base_cache`` (a dict the caller keeps) holds the base tensors between calls."""
    import math

    from safetensors.torch import load_file, save_file

    model_dir, adapter_dir, out_dir = Path(model_dir), Path(adapter_dir), Path(out_dir)
    cfg = _read_json(adapter_dir / "adapter_config.json")
    weights = adapter_dir / "adapter_model.safetensors"
    if (any(cfg.get(k) for k in _NOT_PLAIN_LORA) or cfg.get("bias", "none") != "none" or not weights.is_file()
            or str(cfg.get("peft_type", "LORA")).upper().removeprefix("PEFTTYPE.") != "LORA"):
        return False
    base_cache = {} if base_cache is None else base_cache
    if "tensors" not in base_cache:
        files = sorted(model_dir.glob("*.safetensors"))
        if not files:
            return False
        tensors = {}
        for f in files:
            tensors.update(load_file(f))
        base_cache["tensors"] = tensors
    base = base_cache["tensors"]
    parts: dict[str, dict] = {}
    for key, tensor in load_file(weights).items():
        found = _lora_part(key.removeprefix("base_model.model."))
        if found is None:
            return False
        parts.setdefault(found[0], {})[found[1]] = tensor
    merged = dict(base)
    for module, p in parts.items():
        target = f"{module}.weight"
        if target not in base:
            return False
        rank = _pattern_value(cfg.get("rank_pattern"), module) or cfg["r"]
        alpha = _pattern_value(cfg.get("alpha_pattern"), module) or cfg.get("lora_alpha", 8)
        scale = alpha / math.sqrt(rank) if cfg.get("use_rslora") else alpha / rank
        if "A" in p and "B" in p:
            delta = p["B"].float() @ p["A"].float()
            if cfg.get("fan_in_fan_out"):
                delta = delta.T
        elif "eA" in p and "eB" in p:
            delta = (p["eB"].float() @ p["eA"].float()).T
        else:
            return False
        w = base[target]
        if delta.shape != w.shape:
            return False
        merged[target] = (w.float() + scale * delta).to(w.dtype)
    out_dir.mkdir(parents=True, exist_ok=True)
    save_file(merged, str(out_dir / "model.safetensors"), metadata={"format": "pt"})
    shutil.copy(model_dir / "config.json", out_dir / "config.json")
    return True


def _adapter_key(adapter_dir: Path) -> tuple:
    """Identity of an adapter's contents: a rewritten directory counts as a new adapter."""
    stats = [(p.name, p.stat().st_mtime_ns, p.stat().st_size)
             for p in sorted(adapter_dir.iterdir()) if p.name.startswith("adapter_")]
    return (str(adapter_dir.resolve()), tuple(stats))


# --------------------------------------------------------------------------------------------------- shared


