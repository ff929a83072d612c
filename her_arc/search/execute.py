"""Running programs in the sandbox: sampled completions, composed programs, and the solution check."""

from __future__ import annotations

import random
from collections.abc import Sequence

import numpy as np

from her_arc.programs.edit import compositions
from her_arc.programs.fit import append_recolor, color_mapping
from her_arc.programs.views import completion_program
from her_arc.search.relabel import drop_unchanged, score
from her_arc.search.types import Candidate


def run_ok(pool, programs: Sequence[str], inputs: Sequence[np.ndarray]) -> list[Candidate]:
    """The programs that run ``ok`` on ``inputs``, with what they produced."""
    results = pool.execute(list(programs), list(inputs)) if programs else []
    return [Candidate(p, list(r.outputs)) for p, r in zip(programs, results, strict=True) if r.status == "ok"]


def execute_completions(pool, completions: Sequence[tuple], inputs: Sequence[np.ndarray]
                        ) -> tuple[list[Candidate], dict[str, int]]:
    """Each (completion, view) as a program in the task's frame, run on ``inputs``; returns the programs that ran
    and how many completions were ``unparsable``, ``unmappable`` and ended in each sandbox status."""
    programs = [completion_program(c.text, view, inputs[0].shape) for c, view in completions]
    runnable = [p for p, _ in programs if p is not None]
    results = pool.execute(runnable, list(inputs)) if runnable else []
    counts = {"unparsable": sum(why == "unparsable" for _, why in programs),
              "unmappable": sum(why == "unmappable" for _, why in programs)}
    candidates = []
    for program, result in zip(runnable, results, strict=True):
        counts[result.status] = counts.get(result.status, 0) + 1
        if result.status == "ok":
            candidates.append(Candidate(program, list(result.outputs)))
    return candidates, counts


def compose(pool, candidates: Sequence[Candidate], n: int, rng: random.Random, inputs: Sequence[np.ndarray],
            targets: Sequence[np.ndarray]) -> list[Candidate]:
    """Up to ``n`` programs running one candidate's calls and then another's (the most accurate first), scored."""
    ranked = sorted(drop_unchanged(candidates, inputs), key=lambda c: c.accuracy, reverse=True)
    programs = compositions([(c.program, c.fingerprint) for c in ranked], n, rng)
    return score(run_ok(pool, programs, inputs), targets)


def fit_colors(pool, candidates: Sequence[Candidate], inputs: Sequence[np.ndarray], targets: Sequence[np.ndarray]
               ) -> list[Candidate]:
    """The candidates whose outputs equal the targets up to one colour mapping, with that mapping appended
    (:func:`her_arc.programs.fit.append_recolor`), run and scored: one program per distinct output, the shortest."""
    shortest: dict[str, Candidate] = {}
    for c in candidates:
        if c.fingerprint not in shortest or len(c.program) < len(shortest[c.fingerprint].program):
            shortest[c.fingerprint] = c
    programs = []
    for c in shortest.values():
        mapping = color_mapping(c.outputs, targets)
        if mapping is not None:
            programs.append(append_recolor(c.program, mapping))
    return score(run_ok(pool, programs, inputs), targets)


def simplify(pool, items: Sequence, inputs: Sequence[np.ndarray]) -> list:
    """The candidates (or relabeled examples) with their programs simplified: statements that change no output are
    dropped, so outputs, accuracy and fingerprint stay as they were."""
    from dataclasses import replace

    from her_arc.programs import simplify_many

    simplified = simplify_many([c.program for c in items], list(inputs), pool, outputs=[c.outputs for c in items])
    return [replace(c, program=p) for p, c in zip(simplified, items, strict=True)]


def is_exact(candidate: Candidate, targets: Sequence[np.ndarray]) -> bool:
    """Whether the candidate reproduces every target exactly."""
    return all(o.shape == t.shape and np.array_equal(o, t) for o, t in zip(candidate.outputs, targets, strict=False))


def solution(pool, candidates: Sequence[Candidate], inputs: Sequence[np.ndarray], targets: Sequence[np.ndarray]
             ) -> Candidate | None:
    """The shortest candidate that reproduces every target, simplified; ``None`` if there is none."""
    correct = [c for c in candidates if c.accuracy == 1.0 and is_exact(c, targets)]
    if not correct:
        return None
    return simplify(pool, [min(correct, key=lambda c: len(c.program))], inputs)[0]


