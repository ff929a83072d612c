"""Test helpers shipped with the package: a scripted sampler for tests of code that drives a model.

:class:`ScriptedSampler` implements the :class:`~her_arc.lm.sampling.Sampler` protocol without a model: a function
of the prompt (or a fixed text) says what the "model" writes, and every call is recorded, so a test can drive the
whole search, ``evaluate`` or stepwise decoding in milliseconds and assert what they asked for. It is part of the
library on purpose (as Stable-Baselines3 ships ``BitFlippingEnv``): use it in your own tests too::

    from her_arc import SearchConfig, solve_task
    from her_arc.testing import ScriptedSampler

    painter = ScriptedSampler(lambda prompt: "def task(img):\\n    draw_horizontal_line(img, 0, 3)\\n    return img")
    result = solve_task(task, SearchConfig(max_epochs=1), sampler=painter)
    assert painter.calls[0].groups == ((8, 0.1), (32, 0.9))
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from her_arc.lm.prompt import PROGRAM_START
from her_arc.lm.sampling.types import Completion, GroupLike, SamplingConfig, as_groups

__all__ = ["SampleCall", "ScriptedSampler"]

Respond = Callable[[str], "str | Sequence[str]"] | str | Sequence[str]


@dataclass(frozen=True)
class SampleCall:
    """One :meth:`ScriptedSampler.sample` call as the caller made it."""

    prompts: list[str]
    groups: tuple[tuple[int, float], ...]
    """the groups asked for (the config's when the call gave none), as (count, temperature) pairs"""
    adapter_dir: str | None
    seed: int | None
    max_new_tokens: int | None
    """``None`` when the call left the config's budget"""
    stop: tuple[str, ...]

    @property
    def samples(self) -> int:
        """Completions asked for per prompt."""
        return sum(n for n, _ in self.groups)


@dataclass
class ScriptedSampler:
    """A :class:`~her_arc.lm.sampling.Sampler` that answers from a script instead of a model.

    ``respond`` is what the model writes: a function of the prompt returning one text or a list of texts, or a
    fixed text (or list of texts) for every prompt. A prompt's *i*-th completion (counting over its groups in
    order) is text ``i % len(texts)``. A text that starts with ``def task(img):`` (a whole program) is returned
    as the completion after it, the way a prompt ending in :data:`~her_arc.lm.prompt.PROGRAM_START` is continued;
    any other text is returned as it is. ``stop`` strings are recorded, not applied. Each completion counts
    ``n_tokens`` tokens and finishes with ``"stop"``.

    Every call is recorded in :attr:`calls`; :attr:`prompts` lists every prompt asked, in order, and
    :attr:`lora_configs` what :meth:`check_lora_config` was given. :meth:`close` may be called any number of times;
    :attr:`closed` counts the calls.
    """

    respond: Respond = "\n    return img"
    n_tokens: int = 10
    config: SamplingConfig = field(default_factory=lambda: SamplingConfig(seed=None))
    backend: str = "scripted"
    calls: list[SampleCall] = field(default_factory=list)
    lora_configs: list[Any] = field(default_factory=list)
    closed: int = 0

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
        asked = tuple((g.n, g.temperature) for g in as_groups(self.config.groups if groups is None else groups))
        prompts = list(prompts)
        self.calls.append(SampleCall(prompts, asked, None if adapter_dir is None else str(adapter_dir), seed,
                                     max_new_tokens, tuple(stop)))
        out = []
        for prompt in prompts:
            texts = self._texts(prompt)
            completions, i = [], 0
            for index, (n, temperature) in enumerate(asked):
                for _ in range(n):
                    completions.append(Completion(texts[i % len(texts)], self.n_tokens, index, temperature, "stop"))
                    i += 1
            out.append(completions)
        return out

    def _texts(self, prompt: str) -> list[str]:
        answer = self.respond(prompt) if callable(self.respond) else self.respond
        texts = [answer] if isinstance(answer, str) else list(answer)
        if not texts:
            raise ValueError(f"respond gave no text for the prompt {prompt[:60]!r}...")
        return [t.removeprefix(PROGRAM_START) for t in texts]

    @property
    def prompts(self) -> list[str]:
        """Every prompt asked, in the order of the calls."""
        return [p for call in self.calls for p in call.prompts]

    def check_lora_config(self, lora_config: Any) -> None:
        self.lora_configs.append(lora_config)

    def close(self) -> None:
        self.closed += 1
