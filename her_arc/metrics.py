"""Scores for predicted grids and the per-epoch summaries a search logs (numpy only).

Pixel accuracy
    Same shape: the share of cells equal to the target, in [0, 1].
    Different shape: a negative penalty, ``-mean(|pred.shape - target.shape|) / 30``, in
    [-29/30, -1/60]. It sorts below every same-shape answer (even one with no cell right) and
    above it sorts the predictions whose shape is closer. (The reference system used
    ``-|mean(shape difference)| / 30``, which gives 0 for a 4x6 guess at a 5x5 target, tying it with
    a same-shape answer; taking absolute values first avoids that.)

Task accuracy
    The mean pixel accuracy over a task's pairs when every predicted shape is right. If any shape is
    wrong, the mean over pairs of ``min(pixel_accuracy, 0)``: still negative, so a prediction with a
    wrong shape anywhere sorts below every prediction with all shapes right.

pass@k
    :func:`pass_at_k` is the unbiased estimator of the chance that at least one of k samples drawn
    from n (c of them correct) is correct, ``1 - C(n-c, k) / C(n, k)`` (Chen et al. 2021);
    :func:`any_of_k` is the plain "one of the first k samples is right".
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass

import numpy as np

MAX_SIDE = 30

__all__ = [
    "EpochSummary",
    "any_of_k",
    "canvas_score",
    "correct_grids",
    "exact_match",
    "pass_at_k",
    "pixel_accuracy",
    "shape_penalty",
    "summarize_epoch",
    "task_accuracy",
    "task_canvas_score",
    "task_exact_match",
]


def shape_penalty(pred_shape: Sequence[int], target_shape: Sequence[int]) -> float:
    """``-mean(|pred_shape - target_shape|) / 30``: 0 for equal shapes, negative otherwise."""
    diff = np.abs(np.subtract(tuple(pred_shape), tuple(target_shape)))
    return -float(diff.mean()) / MAX_SIDE


def pixel_accuracy(pred, target) -> float:
    """Share of cells of ``pred`` equal to ``target``; a negative shape penalty if the shapes differ."""
    pred, target = np.asarray(pred), np.asarray(target)
    if pred.shape != target.shape:
        return shape_penalty(pred.shape, target.shape)
    if target.size == 0:
        return 1.0
    return float(np.mean(pred == target))


def exact_match(pred, target) -> bool:
    """True when ``pred`` has ``target``'s shape and every cell is equal."""
    pred, target = np.asarray(pred), np.asarray(target)
    return pred.shape == target.shape and bool(np.array_equal(pred, target))


def _check_lengths(preds: Sequence, targets: Sequence) -> None:
    if len(preds) != len(targets):
        raise ValueError(f"got {len(preds)} predicted grids for {len(targets)} targets")
    if not targets:
        raise ValueError("need at least one target grid")


def task_accuracy(preds: Sequence, targets: Sequence) -> float:
    """Mean pixel accuracy over pairs; negative if any predicted shape is wrong (see module docs)."""
    _check_lengths(preds, targets)
    scores = [pixel_accuracy(p, t) for p, t in zip(preds, targets, strict=True)]
    if any(s < 0 for s in scores):
        return float(np.mean([min(s, 0.0) for s in scores]))
    return float(np.mean(scores))


def canvas_score(pred, inp, target) -> float:
    """How good ``pred`` is to keep drawing on toward ``target``: the share of cells right minus the share painted
    wrong (changed from ``inp`` yet not the target's colour), which must be painted over again. Unlike pixel
    accuracy it prefers a few shapes drawn right on a clean canvas to large shapes that happen to cover cells of
    their colour. A negative shape penalty if the shapes differ."""
    pred, inp, target = np.asarray(pred), np.asarray(inp), np.asarray(target)
    if pred.shape != target.shape:
        return shape_penalty(pred.shape, target.shape)
    if target.size == 0:
        return 1.0
    wrong = pred != target
    painted_wrong = wrong & (pred != inp) if inp.shape == pred.shape else wrong
    return float(np.mean(~wrong) - np.mean(painted_wrong))


def task_canvas_score(preds: Sequence, inputs: Sequence, targets: Sequence) -> float:
    """Mean :func:`canvas_score` over pairs."""
    _check_lengths(preds, targets)
    _check_lengths(inputs, targets)
    return float(np.mean([canvas_score(p, i, t) for p, i, t in zip(preds, inputs, targets, strict=True)]))


def task_exact_match(preds: Sequence, targets: Sequence) -> bool:
    """True when every predicted grid matches its target exactly."""
    _check_lengths(preds, targets)
    return all(exact_match(p, t) for p, t in zip(preds, targets, strict=True))


def correct_grids(preds: Sequence, targets: Sequence) -> float:
    """Share of grids predicted exactly right (the reference found this separates solved tasks best)."""
    _check_lengths(preds, targets)
    return sum(exact_match(p, t) for p, t in zip(preds, targets, strict=True)) / len(targets)


def pass_at_k(n: int, c: int, k: int) -> float:
    """Unbiased pass@k from ``n`` samples of which ``c`` are correct: ``1 - C(n-c, k) / C(n, k)``."""
    if not 0 <= c <= n:
        raise ValueError(f"need 0 <= c <= n, got c={c}, n={n}")
    if not 1 <= k <= n:
        raise ValueError(f"need 1 <= k <= n, got k={k}, n={n}")
    if n - c < k:
        return 1.0
    # prod_{i=n-c+1}^{n} (1 - k/i) == C(n-c, k) / C(n, k), numerically stable for large n
    return 1.0 - float(np.prod(1.0 - k / np.arange(n - c + 1, n + 1)))


def any_of_k(correct: Sequence[bool], k: int | None = None) -> float:
    """1.0 if any of the first ``k`` samples (all when ``k`` is None) is correct, else 0.0."""
    window = list(correct) if k is None else list(correct)[:k]
    return float(any(window))


@dataclass(frozen=True)
class EpochSummary:
    """What one epoch of a search produced, as logged per epoch.

    Accuracies are task accuracies (see :func:`task_accuracy`) of the programs that ran; failed
    programs count in ``n_samples`` only. With no program that ran, the accuracy fields are NaN.
    """

    epoch: int
    """the epoch number"""
    n_samples: int
    """programs sampled"""
    n_valid: int
    """programs that ran and returned grids"""
    n_unique: int
    """distinct outputs among the valid programs"""
    n_correct: int
    """programs that reproduced every train output"""
    max_accuracy: float
    """best task accuracy (NaN when nothing ran)"""
    mean_accuracy: float
    """mean task accuracy over valid programs (NaN when nothing ran)"""
    min_accuracy: float
    """worst task accuracy (NaN when nothing ran)"""

    @property
    def solved(self) -> bool:
        """True when some program reproduced every train output."""
        return self.n_correct > 0

    @property
    def valid_ratio(self) -> float:
        return self.n_valid / self.n_samples if self.n_samples else 0.0

    @property
    def unique_ratio(self) -> float:
        return self.n_unique / self.n_valid if self.n_valid else 0.0

    def as_dict(self) -> dict:
        """The fields plus ``solved``, ``valid_ratio`` and ``unique_ratio``, for loggers and JSON lines."""
        return {
            **asdict(self),
            "solved": self.solved,
            "valid_ratio": self.valid_ratio,
            "unique_ratio": self.unique_ratio,
        }

    def __str__(self) -> str:
        return (
            f"epoch {self.epoch}: {self.n_samples} samples, {self.n_valid} ran, {self.n_unique} unique, "
            f"best {self.max_accuracy:.3f}, mean {self.mean_accuracy:.3f}, correct {self.n_correct}"
        )


def summarize_epoch(
    epoch: int,
    accuracies: Sequence[float | None],
    n_unique: int | None = None,
    n_correct: int | None = None,
) -> EpochSummary:
    """Summarize one epoch from each sample's task accuracy (``None`` for a program that failed).

    ``n_unique`` is the number of distinct outputs (defaults to the number of valid samples);
    ``n_correct`` defaults to the number of accuracies equal to 1.0.
    """
    valid = np.array([a for a in accuracies if a is not None and not math.isnan(a)], dtype=float)
    n_valid = int(valid.size)
    if n_unique is not None and not 0 <= n_unique <= n_valid:
        raise ValueError(f"n_unique must be in 0..{n_valid} (the valid samples), got {n_unique}")
    nan = float("nan")
    return EpochSummary(
        epoch=epoch,
        n_samples=len(accuracies),
        n_valid=n_valid,
        n_unique=n_valid if n_unique is None else n_unique,
        n_correct=int(np.sum(valid == 1.0)) if n_correct is None else n_correct,
        max_accuracy=float(valid.max()) if n_valid else nan,
        mean_accuracy=float(valid.mean()) if n_valid else nan,
        min_accuracy=float(valid.min()) if n_valid else nan,
    )
