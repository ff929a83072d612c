"""Merging: the patches of one epoch's separate refinements pasted together onto the best canvas.

Each refinement draws a few shapes right on its own canvas. :func:`greedy_merge` pastes every patch that raised the
canvas it was drawn on onto the best canvas so far, largest gain first, keeping those that raise its score; the
program made of their draws then draws them all.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from her_arc.metrics import task_canvas_score
from her_arc.programs.edit import append_draws, is_straight_line
from her_arc.search.execute import run_ok
from her_arc.search.relabel import score
from her_arc.search.types import Candidate, EliteEntry, Step


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


def merge(pool, start: EliteEntry, steps: Sequence[Step], inputs: Sequence[np.ndarray],
          targets: Sequence[np.ndarray]) -> tuple[list[Candidate], int]:
    """``start``'s canvas with every patch of ``steps`` pasted on it that raises its score, drawn by one program;
    returns that program as a candidate (if it ran) and the number of patches accepted."""
    patches = [patch_of(s.continuation, s.before, s.candidate.outputs, inputs, targets)
               for s in steps if is_straight_line(s.continuation)]
    accepted = greedy_merge(start.outputs, [p for p in patches if p is not None], inputs, targets)
    program = start.program
    for patch in accepted:
        program = append_draws(program, patch.continuation)
    merged = run_ok(pool, [program], inputs) if accepted and program else []
    return score(merged, targets), len(accepted)
