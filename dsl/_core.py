"""Shared constants and argument checks for every DSL module (private: not a primitive)."""

from __future__ import annotations

import numbers

import numpy as np

MAX_SIDE = 30
N_COLORS = 10
GRID_DTYPE = np.int8


def _color(color) -> int:
    if isinstance(color, bool) or not isinstance(color, numbers.Integral):
        raise TypeError(f"colour must be an integer 0-9, got {color!r}")
    if not 0 <= color < N_COLORS:
        raise ValueError(f"colour must be in 0-9, got {color}")
    return int(color)


def _coord(value, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{what} must be an integer, got {value!r}")
    return int(value)


def _point(point, what: str = "point") -> tuple[int, int]:
    try:
        row, col = point
    except (TypeError, ValueError):
        raise TypeError(f"{what} must be a (row, col) pair, got {point!r}") from None
    return _coord(row, f"{what} row"), _coord(col, f"{what} col")


def _grid(img) -> np.ndarray:
    if not isinstance(img, np.ndarray) or img.ndim != 2:
        raise TypeError(f"img must be a 2-D numpy array, got {type(img).__name__}")
    return img


# --- helpers of the pure primitives -------------------------------------------------------------


def _as_grid(img, what: str = "img") -> np.ndarray:
    """A read-only view of ``img`` as a non-empty 2-D integer array (nested lists are accepted)."""
    if not isinstance(img, np.ndarray):
        if not isinstance(img, (list, tuple)):
            raise TypeError(f"{what} must be a 2-D grid (numpy array), got {type(img).__name__}")
        try:
            img = np.asarray(img)
        except ValueError:
            raise TypeError(f"{what} must be a rectangular 2-D grid") from None
    if img.ndim != 2:
        raise TypeError(f"{what} must be a 2-D grid, got {img.ndim} dimension(s)")
    if img.dtype.kind not in "iub":
        raise TypeError(f"{what} must hold integers, got dtype {img.dtype}")
    if img.size == 0:
        raise ValueError(f"{what} must not be empty, got shape {img.shape}")
    return img


def _new(arr) -> np.ndarray:
    """A fresh int8 grid (always a copy)."""
    return np.array(arr, dtype=GRID_DTYPE, copy=True)


def _check_side(rows: int, cols: int, what: str) -> None:
    if not (1 <= rows <= MAX_SIDE and 1 <= cols <= MAX_SIDE):
        raise ValueError(f"{what}: result sides must be 1-{MAX_SIDE}, got {rows}x{cols}")


def _value_counts(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``np.unique(values, return_counts=True)`` (sorted values present, their counts), fast for colours 0-9."""
    flat = values.ravel()
    if flat.size and flat.dtype.kind in "iub":
        lo, hi = int(flat.min()), int(flat.max())
        if 0 <= lo and hi < 64:  # the common case: a bincount instead of a sort
            counts = np.bincount(flat.astype(np.intp, copy=False), minlength=hi + 1)
            present = np.flatnonzero(counts)
            return present.astype(flat.dtype), counts[present]
    return np.unique(flat, return_counts=True)


def _bg(img: np.ndarray, bg) -> int:
    """``bg`` checked as a colour, or the most common colour of ``img`` when ``bg`` is None."""
    if bg is None:
        values, counts = _value_counts(img)
        return int(values[np.argmax(counts)])  # values ascending: ties go to the lowest colour
    return _color(bg)


def _flag(value, what: str) -> bool:
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{what} must be True or False, got {value!r}")
    return bool(value)


def _direction(direction, what: str = "direction") -> tuple[int, int]:
    dr, dc = _point(direction, what)
    if dr not in (-1, 0, 1) or dc not in (-1, 0, 1) or (dr, dc) == (0, 0):
        raise ValueError(f"{what} must be (dr, dc) with each in -1, 0, 1 and not (0, 0), got {direction!r}")
    return dr, dc


def _structure(diagonal) -> np.ndarray:
    """The scipy.ndimage connectivity: 4 neighbours, or 8 when ``diagonal``."""
    return np.ones((3, 3), bool) if _flag(diagonal, "diagonal") else np.array([[0, 1, 0], [1, 1, 1], [0, 1, 0]], bool)


def _in(img: np.ndarray, row: int, col: int) -> bool:
    return 0 <= row < img.shape[0] and 0 <= col < img.shape[1]
