"""Hindsight relabeling: every program that ran becomes a correct example of the task it solves.

A sampled program rarely draws the target, but it always solves *some* task: the one whose outputs
are exactly what it drew. Training on those examples teaches the model how drawings map to code,
and the drawings of the next epoch move towards the target. The functions here are the plain,
testable stages between execution and training; none of them ever sees the target except to score.
"""

from __future__ import annotations

import ast
import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np

from her_arc.metrics import task_accuracy
from her_arc.programs import output_fingerprint


@dataclass
class Candidate:
    """A program that ran on every task input, with what it drew and how close that is to the target."""

    program: str
    outputs: list[np.ndarray]
    accuracy: float = 0.0
    """mean pixel accuracy against the target outputs (for ordering and reporting only)"""
    fingerprint: str = field(default="", compare=False)

    def __post_init__(self):
        if not self.fingerprint:
            self.fingerprint = output_fingerprint(self.outputs)


@dataclass(frozen=True)
class Example:
    """A relabeled training example: the task's inputs, the outputs a program drew, and that program."""

    inputs: tuple[np.ndarray, ...]
    outputs: tuple[np.ndarray, ...]
    program: str
    accuracy: float
    fingerprint: str


def score(candidates: Iterable[Candidate], targets: Sequence[np.ndarray]) -> list[Candidate]:
    """Set each candidate's accuracy against the target outputs."""
    candidates = list(candidates)
    for c in candidates:
        c.accuracy = task_accuracy(c.outputs, targets)
    return candidates


def drop_unchanged(candidates: Iterable[Candidate], inputs: Sequence[np.ndarray]) -> list[Candidate]:
    """Programs that return every input unchanged teach nothing about drawing."""
    return [
        c
        for c in candidates
        if not all(
            o.shape == i.shape and np.array_equal(o, i) for o, i in zip(c.outputs, inputs, strict=True)
        )
    ]


def keep_shortest_per_output(candidates: Iterable[Candidate]) -> list[Candidate]:
    """One candidate per distinct output: the one with the shortest program text (ties: the first seen)."""
    best: dict[str, Candidate] = {}
    for c in candidates:
        if c.fingerprint not in best or len(c.program) < len(best[c.fingerprint].program):
            best[c.fingerprint] = c
    return list(best.values())


def relabel(candidates: Iterable[Candidate], inputs: Sequence[np.ndarray]) -> list[Example]:
    """Each candidate becomes the example (inputs -> what it drew, its program)."""
    return [
        Example(tuple(inputs), tuple(c.outputs), c.program, c.accuracy, c.fingerprint) for c in candidates
    ]


def _straight_line(program: str):
    """``(function, draw statements, return)`` of a program made only of calls then ``return``; else ``None``."""
    try:
        fn = ast.parse(program).body[0]
    except (SyntaxError, IndexError):
        return None
    if not isinstance(fn, ast.FunctionDef):
        return None
    *draws, ret = fn.body
    if not isinstance(ret, ast.Return) or not all(
        isinstance(s, ast.Expr) and isinstance(s.value, ast.Call) for s in draws
    ):
        return None
    return fn, draws, ret


def _with_body(fn: ast.FunctionDef, body: list) -> str:
    new = ast.FunctionDef(name=fn.name, args=fn.args, body=body, decorator_list=[], returns=None, type_params=[])
    return ast.unparse(ast.fix_missing_locations(ast.Module(body=[new], type_ignores=[])))


def future_prefixes(program: str) -> list[str]:
    """HER's "future" goals for a straight-line program: every proper prefix of its draw statements.

    ``def task(img): a; b; c; return img`` gives the programs with ``a`` and with ``a; b``; each
    prefix's intermediate canvas is a drawing the model should also know how to make. Programs
    with control flow or other statements give no prefixes.
    """
    parts = _straight_line(program)
    if parts is None:
        return []
    fn, draws, ret = parts
    return [_with_body(fn, draws[:k] + [ret]) for k in range(1, len(draws))]


def compositions(candidates: Sequence[Candidate], n: int, rng: random.Random, pool: int = 12) -> list[str]:
    """Up to ``n`` programs that run one candidate's draws and then another's.

    A pretrained painter writes about as many draws as it saw in pretraining; a composition of
    two of its programs is a longer program whose output the executor will tell, so relabeling it
    teaches longer programs, and two partial drawings of the target may compose into the target.
    Pairs come from the ``pool`` most accurate straight-line candidates with distinct outputs.
    """
    ranked, seen = [], set()
    for c in sorted(candidates, key=lambda c: c.accuracy, reverse=True):
        parts = _straight_line(c.program)
        if parts is not None and parts[1] and c.fingerprint not in seen:
            seen.add(c.fingerprint)
            ranked.append(parts)
        if len(ranked) == pool:
            break
    pairs = [(a, b) for a in range(len(ranked)) for b in range(len(ranked)) if a != b]
    chosen = rng.sample(pairs, min(n, len(pairs)))
    return [_with_body(ranked[a][0], ranked[a][1] + ranked[b][1] + [ranked[a][2]]) for a, b in chosen]


def is_straight_line(program: str) -> bool:
    """Whether ``program`` is only draw calls then ``return`` (what composition and refinement can extend)."""
    parts = _straight_line(program)
    return parts is not None and bool(parts[1])


def append_draws(base: str, continuation: str) -> str | None:
    """``base``'s draws, then ``continuation``'s: one program drawing what ``continuation`` draws on ``base``'s
    drawing; ``None`` unless both are straight-line programs."""
    first, second = _straight_line(base), _straight_line(continuation)
    if first is None or second is None:
        return None
    fn, draws, ret = first
    return _with_body(fn, draws + second[1] + [ret])


def relabel_continuations(steps: Iterable[tuple[Sequence[np.ndarray], str, Candidate]]) -> list[Example]:
    """Each refinement step (the canvases it started from, the continuation written for them, the candidate it
    made) becomes the example (canvases -> what the continuation drew on them, the continuation): the prompt the
    painter answers during refinement, relabeled with its actual result. Steps that changed nothing are dropped;
    of steps with the same start and result, the shortest continuation is kept."""
    best: dict[str, Example] = {}
    for before, continuation, candidate in steps:
        before = tuple(np.asarray(b) for b in before)
        after = tuple(candidate.outputs)
        if all(b.shape == a.shape and np.array_equal(b, a) for b, a in zip(before, after, strict=True)):
            continue
        key = "step:" + output_fingerprint(list(before) + list(after))
        if key not in best or len(continuation) < len(best[key].program):
            best[key] = Example(before, after, continuation, candidate.accuracy, key)
    return list(best.values())


def keep_novel(examples: Iterable[Example], trained: set[str]) -> list[Example]:
    """Examples whose outputs were never trained on before (re-training them collapses diversity)."""
    return [e for e in examples if e.fingerprint not in trained]


def order_examples(examples: list[Example], order: str, rng: random.Random) -> list[Example]:
    """``worst_to_best``: ascending accuracy, so the closest drawings are trained last; ``shuffle``: random."""
    if order == "worst_to_best":
        return sorted(examples, key=lambda e: e.accuracy)
    if order == "shuffle":
        examples = list(examples)
        rng.shuffle(examples)
        return examples
    raise ValueError(f"order must be 'worst_to_best' or 'shuffle', got {order!r}")


def keep_most_accurate(examples: list[Example], cap: int | None) -> list[Example]:
    """At most ``cap`` examples: the most accurate ones, in their given order (``None``: all)."""
    if cap is None or len(examples) <= cap:
        return examples
    ranked = sorted(range(len(examples)), key=lambda i: examples[i].accuracy, reverse=True)
    keep = set(ranked[:cap])
    return [e for i, e in enumerate(examples) if i in keep]
