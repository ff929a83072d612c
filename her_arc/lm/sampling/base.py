"""What both backends share: tokenizer, prompt checks, per-call seeds, adapter checks."""

from __future__ import annotations

import hashlib
import logging
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from her_arc.lm.sampling.adapters import (
    _adapter_key,
    _model_dir,
    _module_shapes,
    check_adapter,
    context_length,
    lora_config_problems,
)
from her_arc.lm.sampling.types import ModelNotFoundError, PromptTooLongError, SamplingConfig, UnsupportedAdapterError
from her_arc.lm.weights import is_full_model

logger = logging.getLogger(__name__)

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
        if is_full_model(path):
            raise UnsupportedAdapterError(
                f"{str(path)!r} holds whole-model weights (full fine-tuning, learn.adapter.full): the {self.backend} "
                "backend serves LoRA adapters only; sample with backend='transformers'")
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
