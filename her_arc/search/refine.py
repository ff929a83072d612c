"""Refinement goals: what the painter is asked to draw next on a canvas.

A painter pretrained on drawings of a few shapes misreads a target of dozens (it answers a 5x5 tiling of
squares with large rectangles). So a refinement prompt shows the target only inside a random window of the
canvas that holds a few wrongly drawn shapes; everywhere else the goal is the canvas itself, and the prompt's
changes list just those shapes. The search appends what the painter writes to the program that drew the
canvas, so the subgoals add up to the target, a few shapes at a time (and :mod:`her_arc.search.merge` pastes the
patches of one epoch's separate refinements together onto the best canvas, so they add up within an epoch).

The canvases refined are the *elite*: the best straight-line drawings so far by canvas score, each drawn by its
simplified program.
"""

from __future__ import annotations

import random
from collections.abc import Sequence

import numpy as np

from her_arc.lm.prompt import encode_task, with_program_start
from her_arc.metrics import task_accuracy, task_canvas_score
from her_arc.programs import output_fingerprint
from her_arc.programs.edit import append_draws, is_straight_line
from her_arc.programs.views import View, completion_program
from her_arc.search.execute import run_ok, simplify
from her_arc.search.relabel import drop_unchanged, score
from her_arc.search.types import Candidate, EliteEntry, Step


def count_shapes(mask: np.ndarray, colors: np.ndarray) -> int:
    """Connected single-colour pieces of ``colors`` within ``mask`` (4-connectivity)."""
    from scipy import ndimage

    return sum(int(ndimage.label(mask & (colors == c))[1]) for c in np.unique(colors[mask]))


def subgoal(
    canvases: Sequence[np.ndarray],
    targets: Sequence[np.ndarray],
    rng: random.Random,
    max_shapes: int = 4,
    tries: int = 64,
) -> list[np.ndarray]:
    """The goal grids of one refinement prompt: each canvas with the target pasted inside one random window.

    The window (the same rows and columns on every pair, clipped to each grid) is drawn until the target
    shapes still wrong inside it number 1..``max_shapes`` on the first pair; if no such window is found in
    ``tries`` draws, or ``max_shapes`` is 0, the goals are the whole targets.
    """
    canvases = [np.asarray(c) for c in canvases]
    targets = [np.asarray(t) for t in targets]
    if len(canvases) != len(targets) or not targets:
        raise ValueError(f"need one canvas per target, got {len(canvases)} canvases for {len(targets)} targets")
    canvas, target = canvases[0], targets[0]
    if max_shapes == 0 or canvas.shape != target.shape or not (canvas != target).any():
        return [t.copy() for t in targets]
    rows, cols = target.shape
    wrong = canvas != target
    for _ in range(tries):
        h, w = rng.randint(1, rows), rng.randint(1, cols)
        r0, c0 = rng.randint(0, rows - h), rng.randint(0, cols - w)
        window = np.zeros_like(wrong)
        window[r0 : r0 + h, c0 : c0 + w] = True
        if 1 <= count_shapes(wrong & window, target) <= max_shapes:
            return [_paste(c, t, (r0, c0, h, w)) for c, t in zip(canvases, targets, strict=True)]
    return [t.copy() for t in targets]


def _paste(canvas: np.ndarray, target: np.ndarray, box: tuple[int, int, int, int]) -> np.ndarray:
    if canvas.shape != target.shape:
        return target.copy()
    r0, c0, h, w = box
    goal = canvas.copy()
    goal[r0 : r0 + h, c0 : c0 + w] = target[r0 : r0 + h, c0 : c0 + w]
    return goal


def blank_canvas(inputs: Sequence[np.ndarray], targets: Sequence[np.ndarray]) -> EliteEntry:
    """The task's inputs as an elite entry: refinement from them draws the first shapes."""
    return EliteEntry("def task(img):\n    return img", task_accuracy(inputs, targets), output_fingerprint(inputs),
                      [np.asarray(i) for i in inputs], task_canvas_score(inputs, inputs, targets))


def refinement_prompts(elite: Sequence[EliteEntry], targets: Sequence[np.ndarray], views: Sequence[View],
                       n_prompts: int, max_shapes: int, encoding: str, rng: random.Random
                       ) -> tuple[list[tuple[EliteEntry, View]], list[str]]:
    """``n_prompts`` prompts from the elite's canvases toward subgoals, the canvases and the views taken in turn
    (fewer canvases than asked for, as in the first epochs: more windows each); returns each prompt's
    (base entry, view) and the prompts."""
    bases, prompts = [], []
    for k in range(n_prompts if elite else 0):
        base, view = elite[k % len(elite)], views[k % len(views)]
        goals = subgoal(base.outputs, targets, rng, max_shapes)
        bases.append((base, view))
        prompts.append(with_program_start(encode_task(view.apply_pairs(zip(base.outputs, goals, strict=True)),
                                                      encoding)))
    return bases, prompts


def run_refinements(pool, bases: Sequence[tuple[EliteEntry, View]], continuations: Sequence[Sequence],
                    inputs: Sequence[np.ndarray], targets: Sequence[np.ndarray]) -> list[Step]:
    """Run each continuation after its base's program; the steps whose whole program ran, scored."""
    programs, sources = [], {}  # a program is its base's program + a continuation: it names its source
    for (base, view), group in zip(bases, continuations, strict=True):
        for c in group:
            continuation, _ = completion_program(c.text, view, inputs[0].shape)
            program = append_draws(base.program, continuation) if continuation else None
            if program is not None:
                programs.append(program)
                sources[program] = (base.outputs, continuation)
    steps = [Step(*sources[c.program], c) for c in run_ok(pool, programs, inputs)]
    score([s.candidate for s in steps], targets)
    return steps


def update_elite(pool, elite: list[EliteEntry], candidates: Sequence[Candidate], size: int,
                 inputs: Sequence[np.ndarray], targets: Sequence[np.ndarray]) -> list[EliteEntry]:
    """The ``size`` straight-line drawings of ``elite`` and ``candidates`` (distinct, not the input) with the best
    canvas score, each newcomer drawn by its simplified program so that refinements extend the shortest version."""
    by_print = {e.fingerprint: e for e in elite}
    kept_before = set(by_print)
    for c in drop_unchanged(candidates, inputs):
        if c.fingerprint not in by_print and is_straight_line(c.program):
            by_print[c.fingerprint] = EliteEntry(c.program, c.accuracy, c.fingerprint, list(c.outputs),
                                                 task_canvas_score(c.outputs, inputs, targets))
    ranked = sorted(by_print.values(), key=lambda e: (-e.canvas_score, -e.accuracy, len(e.program)))[:size]
    fresh = [e for e in ranked if e.fingerprint not in kept_before]
    if fresh:
        shorter = simplify(pool, [Candidate(e.program, e.outputs) for e in fresh], inputs)
        for e, c in zip(fresh, shorter, strict=True):
            if is_straight_line(c.program):
                e.program = c.program
    return ranked
