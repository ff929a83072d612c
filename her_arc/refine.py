"""Refinement goals: what the painter is asked to draw next on a canvas.

A painter pretrained on drawings of a few shapes misreads a target of dozens (it answers a 5x5 tiling of
squares with large rectangles). So a refinement prompt shows the target only inside a random window of the
canvas that holds a few wrongly drawn shapes; everywhere else the goal is the canvas itself, and the prompt's
changes list just those shapes. The search appends what the painter writes to the program that drew the
canvas, so the subgoals add up to the target, a few shapes at a time; and :func:`greedy_merge` pastes the
patches of one epoch's separate refinements together onto the best canvas, so they add up within an epoch.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np


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


@dataclass(frozen=True)
class Patch:
    """What a continuation painted on its canvas: per pair, the cells it changed and the colours it left there."""

    continuation: str
    changed: tuple[np.ndarray, ...]
    colors: tuple[np.ndarray, ...]
    gain: float
    """how much the continuation raised the canvas score of the canvas it was written for"""


def patch_of(continuation: str, before: Sequence[np.ndarray], after: Sequence[np.ndarray],
             inputs: Sequence[np.ndarray], targets: Sequence[np.ndarray]) -> Patch | None:
    """The patch ``continuation`` painted turning ``before`` into ``after``; ``None`` unless it raised the
    canvas score without changing a grid's shape."""
    from her_arc.metrics import task_canvas_score

    before, after = [np.asarray(b) for b in before], [np.asarray(a) for a in after]
    if any(b.shape != a.shape for b, a in zip(before, after, strict=True)):
        return None
    gain = task_canvas_score(after, inputs, targets) - task_canvas_score(before, inputs, targets)
    if gain <= 0:
        return None
    changed = tuple(b != a for b, a in zip(before, after, strict=True))
    return Patch(continuation, changed, tuple(a.copy() for a in after), gain)


def greedy_merge(canvases: Sequence[np.ndarray], patches: Sequence[Patch], inputs: Sequence[np.ndarray],
                 targets: Sequence[np.ndarray]) -> list[Patch]:
    """The patches that, pasted one after another on ``canvases`` (largest gain first), each raise its canvas
    score: separate refinements that each drew a few shapes right add up to a drawing with all of them."""
    from her_arc.metrics import task_canvas_score

    canvas = [np.asarray(c).copy() for c in canvases]
    score = task_canvas_score(canvas, inputs, targets)
    accepted = []
    for patch in sorted(patches, key=lambda p: p.gain, reverse=True):
        if any(m.shape != c.shape for m, c in zip(patch.changed, canvas, strict=True)):
            continue
        trial = [np.where(m, col, c) for m, col, c in zip(patch.changed, patch.colors, canvas, strict=True)]
        trial_score = task_canvas_score(trial, inputs, targets)
        if trial_score > score:
            canvas, score = trial, trial_score
            accepted.append(patch)
    return accepted
