"""The transformers backend: ``generate`` on the base model with the adapter merged, prompts prefilled once."""

from __future__ import annotations

import contextlib
import gc
import logging
import time
from collections.abc import Sequence
from pathlib import Path

from her_arc.lm.sampling.base import _BaseSampler, _derive_seed
from her_arc.lm.sampling.types import (
    Completion,
    SamplerStartError,
    SamplingConfig,
    UnsupportedAdapterError,
    as_groups,
)
from her_arc.lm.weights import is_full_model

logger = logging.getLogger(__name__)


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
        self._base_weights = None
        """the model's own weights while fine-tuned whole-model weights are loaded in their place"""
        self._weights_key: tuple | None = None

    def _activate(self, adapter_dir):
        """Make ``adapter_dir`` (or none) the active adapter; returns the module to generate with (None: the
        model itself, with a fine-tuned model directory's weights loaded into it when ``adapter_dir`` is one)."""
        if adapter_dir is not None and is_full_model(adapter_dir):
            self._load_full(Path(adapter_dir))
            return None
        if self._base_weights is not None:  # back to the model's own weights
            import torch

            with torch.no_grad():
                for name, tensor in self.model.state_dict().items():
                    tensor.copy_(self._base_weights[name])
            self._base_weights = self._weights_key = None
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

    def _load_full(self, path: Path) -> None:
        """Fine-tuned whole-model weights (full fine-tuning) in place of the model's own, which are kept."""
        from her_arc.lm.weights import load_weights

        if self._peft is not None:
            raise UnsupportedAdapterError("this sampler has served LoRA adapters: use one sampler per kind of "
                                          "fine-tuning (LoRA adapters or whole-model weights)")
        key = (str(path.resolve()), (path / "model.safetensors").stat().st_mtime_ns)
        if key == self._weights_key:
            return
        if self._base_weights is None:
            self._base_weights = {k: v.detach().clone() for k, v in self.model.state_dict().items()}
        load_weights(self.model, path)
        self._weights_key = key

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


