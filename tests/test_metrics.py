"""Metrics, checked against values computed by hand."""

from __future__ import annotations

import math
from itertools import combinations

import numpy as np
import pytest

from her_arc.metrics import (
    EpochSummary,
    any_of_k,
    correct_grids,
    exact_match,
    pass_at_k,
    pixel_accuracy,
    shape_penalty,
    summarize_epoch,
    task_accuracy,
    task_exact_match,
)

A = np.array([[1, 2], [3, 4]])


def test_pixel_accuracy_same_shape():
    assert pixel_accuracy(A, A) == 1.0
    assert pixel_accuracy([[1, 2], [3, 0]], A) == 0.75
    assert pixel_accuracy([[0, 0], [0, 0]], A) == 0.0
    assert pixel_accuracy([[5, 5, 5]], [[5, 0, 5]]) == pytest.approx(2 / 3)


def test_pixel_accuracy_different_shape_is_the_documented_penalty():
    # 2x3 vs 2x2: mean(|0|, |1|) / 30 = 0.5 / 30
    assert pixel_accuracy(np.zeros((2, 3)), A) == pytest.approx(-1 / 60)
    # 4x6 vs 5x5: the reference formula -|mean(-1, +1)|/30 would give 0; ours gives -1/30
    assert pixel_accuracy(np.zeros((4, 6)), np.zeros((5, 5))) == pytest.approx(-1 / 30)
    # 30x30 vs 1x1: the largest penalty
    assert pixel_accuracy(np.zeros((30, 30)), np.zeros((1, 1))) == pytest.approx(-29 / 30)
    assert shape_penalty((3, 3), (3, 3)) == 0.0


def test_any_wrong_shape_sorts_below_every_same_shape_answer():
    target = np.ones((3, 3))
    all_wrong_same_shape = pixel_accuracy(np.zeros((3, 3)), target)
    for shape in [(3, 4), (2, 3), (1, 1), (30, 30), (4, 2)]:
        assert pixel_accuracy(np.ones(shape), target) < all_wrong_same_shape == 0.0
    # and a closer shape sorts above a farther one
    assert pixel_accuracy(np.ones((3, 4)), target) > pixel_accuracy(np.ones((3, 9)), target)


def test_exact_match():
    assert exact_match(A, A.copy())
    assert exact_match(A.tolist(), A)
    assert not exact_match([[1, 2], [3, 0]], A)
    assert not exact_match(np.zeros((1, 4)), np.zeros((2, 2)))  # same cells, different shape


def test_task_accuracy_is_the_mean_over_pairs():
    targets = [A, np.array([[1, 1, 1, 1]])]
    preds = [A, np.array([[1, 0, 0, 0]])]
    assert task_accuracy(preds, targets) == pytest.approx((1.0 + 0.25) / 2)
    assert task_exact_match(targets, targets)
    assert not task_exact_match(preds, targets)
    assert correct_grids(preds, targets) == 0.5


def test_task_accuracy_with_a_wrong_shape_is_negative():
    targets = [A, A]
    preds = [A, np.zeros((2, 3))]  # one perfect pair, one with a wrong shape
    # mean(min(1, 0), -1/60) = -1/120
    assert task_accuracy(preds, targets) == pytest.approx(-1 / 120)
    assert task_accuracy(preds, targets) < task_accuracy([np.zeros((2, 2))] * 2, targets) == 0.0


def test_task_metrics_need_matching_lengths():
    with pytest.raises(ValueError, match="2 predicted grids for 1 targets"):
        task_accuracy([A, A], [A])
    with pytest.raises(ValueError):
        correct_grids([], [])


def brute_force_pass_at_k(n: int, c: int, k: int) -> float:
    """Share of k-subsets of n samples (the first c correct) that contain a correct one."""
    subsets = list(combinations(range(n), k))
    return sum(any(i < c for i in s) for s in subsets) / len(subsets)


def test_pass_at_k_hand_values():
    assert pass_at_k(10, 0, 1) == 0.0
    assert pass_at_k(10, 10, 1) == 1.0
    assert pass_at_k(10, 3, 1) == pytest.approx(0.3)
    # 1 - C(2,2)/C(4,2) = 1 - 1/6
    assert pass_at_k(4, 2, 2) == pytest.approx(5 / 6)
    # n - c < k: every k-subset holds a correct sample
    assert pass_at_k(5, 3, 3) == 1.0


@pytest.mark.parametrize("n", [1, 3, 6])
def test_pass_at_k_matches_brute_force(n):
    for c in range(n + 1):
        for k in range(1, n + 1):
            assert pass_at_k(n, c, k) == pytest.approx(brute_force_pass_at_k(n, c, k)), (n, c, k)


def test_pass_at_k_large_n_is_stable():
    assert pass_at_k(10_000, 1, 1) == pytest.approx(1e-4)
    assert 0.0 < pass_at_k(100_000, 1, 10) < 1.0


@pytest.mark.parametrize("n,c,k", [(3, 4, 1), (3, -1, 1), (3, 1, 0), (3, 1, 4)])
def test_pass_at_k_rejects_impossible_arguments(n, c, k):
    with pytest.raises(ValueError):
        pass_at_k(n, c, k)


def test_any_of_k():
    assert any_of_k([False, False, True]) == 1.0
    assert any_of_k([False, False, True], k=2) == 0.0
    assert any_of_k([False, True], k=2) == 1.0
    assert any_of_k([]) == 0.0


def test_summarize_epoch_hand_values():
    summary = summarize_epoch(3, [0.5, None, 1.0, 0.25, None, -0.1], n_unique=3)
    assert summary == EpochSummary(
        epoch=3,
        n_samples=6,
        n_valid=4,
        n_unique=3,
        n_correct=1,
        max_accuracy=1.0,
        mean_accuracy=pytest.approx((0.5 + 1.0 + 0.25 - 0.1) / 4),
        min_accuracy=-0.1,
    )
    assert summary.solved
    assert summary.valid_ratio == pytest.approx(4 / 6)
    assert summary.unique_ratio == 0.75
    d = summary.as_dict()
    assert d["epoch"] == 3 and d["solved"] is True and d["n_unique"] == 3
    assert str(summary).startswith("epoch 3: 6 samples, 4 ran, 3 unique, best 1.000")


def test_summarize_epoch_when_nothing_ran():
    summary = summarize_epoch(0, [None, None])
    assert summary.n_valid == 0 and summary.n_unique == 0 and not summary.solved
    assert math.isnan(summary.max_accuracy) and math.isnan(summary.mean_accuracy)
    assert summary.valid_ratio == 0.0 and summary.unique_ratio == 0.0
    assert summarize_epoch(0, []).n_samples == 0


def test_summarize_epoch_checks_counts():
    with pytest.raises(ValueError, match="n_unique"):
        summarize_epoch(1, [0.5, 0.7], n_unique=3)
    assert summarize_epoch(1, [0.5, 0.7]).n_unique == 2
    assert not summarize_epoch(1, [0.5, 0.999]).solved


def test_canvas_score_prefers_a_few_right_shapes_to_large_lucky_ones():
    from her_arc.metrics import canvas_score, task_canvas_score

    blank = np.zeros((2, 4), dtype=int)
    target = np.array([[1, 1, 2, 2], [1, 1, 2, 2]])
    one_square = np.array([[1, 1, 0, 0], [1, 1, 0, 0]])  # half right, nothing painted wrong
    all_ones = np.ones((2, 4), dtype=int)  # as accurate, but half of it must be painted over
    assert pixel_accuracy(one_square, target) == pixel_accuracy(all_ones, target) == 0.5
    assert canvas_score(one_square, blank, target) == 0.5 and canvas_score(all_ones, blank, target) == 0.0
    assert canvas_score(target, blank, target) == 1.0 and canvas_score(blank, blank, target) == 0.0
    assert canvas_score(np.zeros((3, 4)), blank, target) < 0
    assert task_canvas_score([one_square, all_ones], [blank, blank], [target, target]) == 0.25
