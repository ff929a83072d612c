"""Hindsight relabeling: every program that ran becomes a correct example of the task it solves.

A sampled program rarely produces the target, but it always solves *some* task: the one whose outputs are exactly
what it produced. Training on those examples teaches the model how grids map to code, and the programs of the next
epoch move towards the target (hindsight experience replay, Andrychowicz et al. 2017, https://arxiv.org/abs/1707.01495;
for programs: the reference's HER and CodeIt's relabeling). The functions here are the plain, testable stages between
execution and training; none of them lets the target into an example: targets only score.

.. note:: The default strategy, :attr:`Relabel.STEPS`, departs from the reference: it relabels each refinement
   *step* (the grids a continuation was written for -> what it drew on them), which is the prompt the painter
   answers while refining, instead of whole drawings (the task's inputs -> what a program drew).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from enum import StrEnum

import numpy as np

from her_arc.metrics import task_accuracy
from her_arc.programs import output_fingerprint
from her_arc.search.types import Candidate, Example, Step


class Relabel(StrEnum):
    """What each epoch's relabeled examples are made of."""

    # each refinement step: the grids it started from -> what its continuation drew on them, the continuation
    STEPS = "steps"
    # each distinct program that ran (the reference's and CodeIt's): the task's inputs -> what it produced, the program
    DRAWINGS = "drawings"
    # STEPS on a drawing task (every train input one colour), DRAWINGS on a task whose programs read their input
    AUTO = "auto"


def reads_input(inputs: Sequence[np.ndarray]) -> bool:
    """Whether a task's inputs hold anything to read: some train input has more than one colour."""
    return any(np.unique(np.asarray(i)).size > 1 for i in inputs)


def resolve(strategy: Relabel, inputs: Sequence[np.ndarray]) -> Relabel:
    """The strategy ``AUTO`` stands for on a task with these inputs; other strategies are returned as they are."""
    if strategy is not Relabel.AUTO:
        return strategy
    return Relabel.DRAWINGS if reads_input(inputs) else Relabel.STEPS


def score(candidates: Iterable[Candidate], targets: Sequence[np.ndarray]) -> list[Candidate]:
    """Set each candidate's accuracy against the target outputs."""
    candidates = list(candidates)
    for c in candidates:
        c.accuracy = task_accuracy(c.outputs, targets)
    return candidates


def drop_unchanged(candidates: Iterable[Candidate], inputs: Sequence[np.ndarray]) -> list[Candidate]:
    """Programs that return every input unchanged teach nothing."""
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
    """Each candidate becomes the example (inputs -> what it produced, its program)."""
    return [
        Example(tuple(inputs), tuple(c.outputs), c.program, c.accuracy, c.fingerprint) for c in candidates
    ]


def relabel_steps(steps: Iterable[Step]) -> list[Example]:
    """Each refinement step becomes the example (its grids -> what its continuation drew on them, the
    continuation). Steps that changed nothing are dropped; of steps with the same start and result, the shortest
    continuation is kept."""
    best: dict[str, Example] = {}
    for step in steps:
        before = tuple(np.asarray(b) for b in step.before)
        after = tuple(step.candidate.outputs)
        if all(b.shape == a.shape and np.array_equal(b, a) for b, a in zip(before, after, strict=True)):
            continue
        key = "step:" + output_fingerprint(list(before) + list(after))
        if key not in best or len(step.continuation) < len(best[key].program):
            best[key] = Example(before, after, step.continuation, step.candidate.accuracy, key)
    return list(best.values())


def keep_novel(examples: Iterable[Example], trained: set[str]) -> list[Example]:
    """Examples whose outputs were never trained on before (re-training them collapses diversity)."""
    return [e for e in examples if e.fingerprint not in trained]


def worst_to_best(examples: Iterable[Example]) -> list[Example]:
    """Ascending accuracy, so the closest drawings are trained last."""
    return sorted(examples, key=lambda e: e.accuracy)


def keep_most_accurate(examples: list[Example], cap: int) -> list[Example]:
    """At most ``cap`` examples: the most accurate ones, in their given order (0: all)."""
    if not cap or len(examples) <= cap:
        return examples
    ranked = sorted(range(len(examples)), key=lambda i: examples[i].accuracy, reverse=True)
    keep = set(ranked[:cap])
    return [e for i, e in enumerate(examples) if i in keep]


def pairs_right(candidate: Candidate, targets: Sequence[np.ndarray]) -> int:
    """How many train pairs the candidate reproduces exactly."""
    return sum(o.shape == t.shape and np.array_equal(o, t) for o, t in zip(candidate.outputs, targets, strict=True))
