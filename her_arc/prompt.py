"""Task and program text: how grids, tasks and programs are written for a language model.

Two grid encodings, both plain text any tokenizer can read, both with an exact inverse:

``dense`` (the general encoding; every cell one digit, rows labelled)::

    output 3x4
    0 5555
    1 5775
    2 5555

``runs`` (the painter's encoding; each row as runs ``start-end:colour`` of equal cells, so the
coordinates a program needs appear literally in the prompt and can be copied)::

    output 3x4
    0 0-3:5
    1 0:5 1-2:7 3:5
    2 0-3:5

A task prompt lists its pairs as ``input``/``output`` blocks, then any test inputs as ``test``
blocks, then the line ``program``; the completion is the program text ending in a newline.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Literal

import numpy as np

GridEncoding = Literal["dense", "runs"]
GRID_ENCODINGS: tuple[str, ...] = ("dense", "runs")
PROGRAM_HEADER = "program"

_HEADER = re.compile(r"^(input|output|test) (\d+)x(\d+)$")
_RUN = re.compile(r"^(\d+)(?:-(\d+))?:(\d)$")


class PromptFormatError(ValueError):
    """Text that is not a well-formed grid or task prompt."""


def _check_encoding(encoding: str) -> None:
    if encoding not in GRID_ENCODINGS:
        raise ValueError(f"unknown grid encoding {encoding!r}; choose one of {GRID_ENCODINGS}")


def _runs(row: np.ndarray) -> list[str]:
    out, start = [], 0
    for col in range(1, len(row) + 1):
        if col == len(row) or row[col] != row[start]:
            span = f"{start}" if col - 1 == start else f"{start}-{col - 1}"
            out.append(f"{span}:{row[start]}")
            start = col
    return out


def encode_grid(grid: np.ndarray, encoding: GridEncoding = "dense", label: str = "output") -> str:
    """A grid as text: a ``label HxW`` header, then one labelled line per row."""
    _check_encoding(encoding)
    grid = np.asarray(grid)
    lines = [f"{label} {grid.shape[0]}x{grid.shape[1]}"]
    for r, row in enumerate(grid):
        cells = "".join(str(v) for v in row) if encoding == "dense" else " ".join(_runs(row))
        lines.append(f"{r} {cells}")
    return "\n".join(lines)


def _decode_row(text: str, r: int, cols: int, encoding: str) -> list[int]:
    label, _, cells = text.partition(" ")
    if label != str(r):
        raise PromptFormatError(f"row {r}: expected the label {r}, got {text!r}")
    if encoding == "dense":
        if len(cells) != cols or not cells.isdigit():
            raise PromptFormatError(f"row {r}: expected {cols} digits, got {cells!r}")
        return [int(c) for c in cells]
    row: list[int] = []
    for run in cells.split(" "):
        m = _RUN.match(run)
        if not m or int(m[1]) != len(row) or int(m[2] or m[1]) < int(m[1]):
            raise PromptFormatError(f"row {r}: bad run {run!r} in {cells!r}")
        row += [int(m[3])] * (int(m[2] or m[1]) - int(m[1]) + 1)
    if len(row) != cols:
        raise PromptFormatError(f"row {r}: runs cover {len(row)} cells, expected {cols}")
    return row


def _decode_block(lines: list[str], start: int, encoding: str) -> tuple[str, np.ndarray, int]:
    m = _HEADER.match(lines[start])
    if not m:
        raise PromptFormatError(f"expected a grid header like 'input 3x4', got {lines[start]!r}")
    rows, cols = int(m[2]), int(m[3])
    if start + rows >= len(lines):
        raise PromptFormatError(f"{m[1]} grid {rows}x{cols} is cut short")
    body = [_decode_row(lines[start + 1 + r], r, cols, encoding) for r in range(rows)]
    return m[1], np.array(body, dtype=np.int8).reshape(rows, cols), start + 1 + rows


def decode_grid(text: str, encoding: GridEncoding = "dense") -> np.ndarray:
    """The inverse of :func:`encode_grid`."""
    _check_encoding(encoding)
    _, grid, _ = _decode_block(text.strip("\n").split("\n"), 0, encoding)
    return grid


def encode_task(
    pairs: Sequence[tuple[np.ndarray, np.ndarray]],
    encoding: GridEncoding = "dense",
    test_inputs: Sequence[np.ndarray] = (),
) -> str:
    """The prompt for a task: its (input, output) pairs, its test inputs, then the program header line."""
    _check_encoding(encoding)
    blocks = []
    for inp, out in pairs:
        blocks += [encode_grid(inp, encoding, "input"), encode_grid(out, encoding, "output")]
    blocks += [encode_grid(grid, encoding, "test") for grid in test_inputs]
    return "\n".join(blocks + [PROGRAM_HEADER]) + "\n"


def decode_task(text: str, encoding: GridEncoding = "dense"):
    """The inverse of :func:`encode_task`: ``(pairs, test_inputs)``."""
    _check_encoding(encoding)
    lines = text.rstrip("\n").split("\n")
    if not lines or lines[-1] != PROGRAM_HEADER:
        raise PromptFormatError(f"a task prompt ends with the line {PROGRAM_HEADER!r}")
    pairs, tests, pending, i = [], [], None, 0
    while i < len(lines) - 1:
        kind, grid, i = _decode_block(lines, i, encoding)
        if kind == "input" and pending is None and not tests:
            pending = grid
        elif kind == "output" and pending is not None:
            pairs.append((pending, grid))
            pending = None
        elif kind == "test" and pending is None:
            tests.append(grid)
        else:
            raise PromptFormatError(f"unexpected {kind!r} grid at line {i}")
    if pending is not None:
        raise PromptFormatError("an input grid has no output grid")
    return pairs, tests


def encode_completion(program: str) -> str:
    """The completion text a model is trained to write for ``program``."""
    return program.strip("\n") + "\n"
