"""Asking the model: the task's prompts in each view, their token budgets, and one sampler call per prompt kind;
and the grammar's programs that are run beside the model's."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from her_arc.lm.prompt import encode_task, with_program_start
from her_arc.programs.views import View
from her_arc.tasks import Task

REFINE_TASK_SHAPES = 16
"""Shapes the task's prompt is given room for while refinement draws the rest."""


def token_budget(shapes: int, tokens_per_shape: int = 24, slack: int = 96) -> int:
    """A completion budget that fits one draw call per shape (about 24 tokens each) plus slack."""
    return slack + tokens_per_shape * max(shapes, 1)


def target_shapes(task: Task) -> int:
    """Single-colour pieces the task's outputs add to its inputs, per train pair."""
    from scipy import ndimage

    shapes = 0
    for inp, out in task.train:
        changed = (inp != out) if inp.shape == out.shape else np.ones(out.shape, bool)
        for color in np.unique(out[changed]):
            shapes += ndimage.label(changed & (out == color))[1]
    return shapes // max(len(task.train), 1)


def target_token_budget(task: Task, max_shapes: int | None = None) -> int:
    """Room to draw each single-colour shape of the task's target (at most ``max_shapes`` of them)."""
    shapes = target_shapes(task)
    return token_budget(shapes if max_shapes is None else min(shapes, max_shapes))


def refine_token_budget(max_new_tokens: int, max_shapes: int) -> int:
    """Room for twice the shapes a refinement window holds: a continuation rambling past that is not drawing them,
    and the longest row of a batch sets its sampling time."""
    return min(max_new_tokens, token_budget(2 * max_shapes)) if max_shapes else max_new_tokens


def task_prompts(task: Task, views: Sequence[View], encoding: str) -> list[str]:
    """The task's prompt in each view, ending where the program starts."""
    return [with_program_start(encode_task(v.apply_pairs(task.train), encoding)) for v in views]


def sample_task(sampler, prompts: Sequence[str], views: Sequence[View], groups, *, seed: int,
                adapter_dir: str | None) -> list[tuple]:
    """The task's samples, ``groups`` split evenly over the views: (completion, view) pairs."""
    per_view = [(n // len(views), t) for n, t in groups]
    by_view = sampler.sample(list(prompts), per_view, adapter_dir=adapter_dir, seed=seed)
    return [(c, v) for v, group in zip(views, by_view, strict=True) for c in group]


def sample_refinements(sampler, prompts: Sequence[str], n: int, temperature: float, *, seed: int,
                       adapter_dir: str | None, max_new_tokens: int) -> list[list]:
    """``n`` continuations per refinement prompt."""
    if not prompts:
        return []
    return sampler.sample(list(prompts), [(n, temperature)], adapter_dir=adapter_dir, seed=seed,
                          max_new_tokens=max_new_tokens)


def epoch_seeds(seed: int, epoch: int) -> dict[str, int]:
    """The sampler seeds of one epoch, one per kind of prompt, never shared between epochs or kinds."""
    base = seed * 100_003 + epoch
    return {"task": base, "refine": base + 50_000, "stepwise": base + 70_000, "grammar": base + 90_000}


def grammar_programs(inputs: Sequence[np.ndarray], n: int, *, seed: int) -> list[str]:
    """``n`` programs drawn from the DSL's grammar (:func:`dsl.grammar.random_program`), their constants taken from
    ``inputs``: the no-model proposals the search runs beside the model's."""
    from dsl.grammar import random_program

    rng = np.random.default_rng(seed)
    return [random_program(rng, list(inputs)) for _ in range(n)]


def check_prompts_fit(sampler, prompts: Sequence[str], budget: int, task_name: str) -> None:
    """Refuse a task whose prompt leaves less than ``budget`` completion tokens in the sampler's context."""
    from her_arc.lm.sampling import PromptTooLongError

    tokenizer, context = getattr(sampler, "tokenizer", None), getattr(sampler, "context", None)
    if tokenizer is None or context is None:
        return
    longest = max(len(tokenizer(p)["input_ids"]) for p in prompts)
    if longest + budget > context:
        raise PromptTooLongError(
            f"task {task_name!r}: its prompt is {longest} tokens and the model's context {context}, which leaves "
            f"no room for a {budget}-token program; this model cannot read the task (use a model with a longer "
            f"context: --model, --max-model-len)")
