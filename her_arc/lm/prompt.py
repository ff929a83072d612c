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

``diff`` (a task encoding built on ``runs``): each input in runs, then only what the program must
change: the rows with changed cells, each listing runs of changed cells with their new colour.
Unchanged rows are left out, so drawing a shape reads as copying its corners::

    input 3x4
    0 0-3:5
    1 0-3:5
    2 0-3:5
    changes 3x4
    1 1-2:7

(an output whose shape differs from its input is written in full, as ``runs``).

``blocks`` (the painter's encoding since v0.2): ``diff``, with consecutive rows whose runs are
identical merged into one line labelled ``first-last``. A filled rectangle then reads as one line
holding both of its corners, and a blank 20x20 input takes one line instead of twenty::

    input 3x4
    0-2 0-3:5
    changes 3x4
    1-2 1-2:7

``boxes`` (``blocks`` with a summary): after each ``changes`` block, a ``boxes`` block with one line per colour
among the changed cells, in colour order: the rows and columns that colour's changed cells span, written like a
rectangle's ``blocks`` line. A shape whose colour no other draw uses reads as its own extent, however much of it
later shapes cover; the block is redundant, so decoding checks it and ignores it::

    changes 3x4
    1-2 1-2:7
    boxes
    1-2 1-2:7

A task prompt lists its pairs as ``input``/``output`` (or ``changes``) blocks, then any test inputs
as ``test`` blocks, then the line ``program``; the completion is the program text ending in a newline.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Literal

import numpy as np

GridEncoding = Literal["dense", "runs", "diff", "blocks", "boxes"]
GRID_ENCODINGS: tuple[str, ...] = ("dense", "runs", "diff", "blocks", "boxes")
_DIFF_ENCODINGS = ("diff", "blocks", "boxes")
_MERGED_ENCODINGS = ("blocks", "boxes")
PROGRAM_HEADER = "program"
BOXES_HEADER = "boxes"
PROGRAM_START = "def task(img):"
"""The first line of every program, without its newline."""

_HEADER = re.compile(r"^(input|output|test|changes) (\d+)x(\d+)$")
_RUN = re.compile(r"^(\d+)(?:-(\d+))?:(\d)$")
_ROWS = re.compile(r"^(\d+)(?:-(\d+))?$")


class PromptFormatError(ValueError):
    """Text that is not a well-formed grid or task prompt."""


def _check_encoding(encoding: str) -> None:
    if encoding not in GRID_ENCODINGS:
        raise ValueError(f"unknown grid encoding {encoding!r}; choose one of {GRID_ENCODINGS}")


def _span(first: int, last: int) -> str:
    """``first-last``, or ``first`` alone when they are equal: how rows, columns and runs are written."""
    return f"{first}" if first == last else f"{first}-{last}"


def _runs(row: np.ndarray) -> list[str]:
    out, start = [], 0
    for col in range(1, len(row) + 1):
        if col == len(row) or row[col] != row[start]:
            out.append(f"{_span(start, col - 1)}:{row[start]}")
            start = col
    return out


def encode_grid(grid: np.ndarray, encoding: GridEncoding = "dense", label: str = "output") -> str:
    """A grid as text: a ``label HxW`` header, then one labelled line per row."""
    _check_encoding(encoding)
    grid = np.asarray(grid)
    header = f"{label} {grid.shape[0]}x{grid.shape[1]}"
    rows = ["".join(str(v) for v in row) if encoding == "dense" else " ".join(_runs(row)) for row in grid]
    return "\n".join([header] + _label_rows(list(enumerate(rows)), merge=encoding in _MERGED_ENCODINGS))


def _label_rows(rows: list[tuple[int, str]], merge: bool) -> list[str]:
    """``row text`` lines; with ``merge``, neighbouring rows with equal text share one ``first-last`` line."""
    lines, i = [], 0
    while i < len(rows):
        j = i
        while merge and j + 1 < len(rows) and rows[j + 1] == (rows[j][0] + 1, rows[i][1]):
            j += 1
        lines.append(f"{_span(rows[i][0], rows[j][0])} {rows[i][1]}")
        i = j + 1
    return lines


def _row_span(label: str, first: int, limit: int, line: str) -> tuple[int, int]:
    """The rows ``first..last`` a ``blocks`` line label covers; ``first`` is the earliest row allowed."""
    m = _ROWS.match(label)
    if not m or int(m[1]) < first or int(m[2] or m[1]) < int(m[1]) or int(m[2] or m[1]) >= limit:
        raise PromptFormatError(f"bad row label {label!r} in {line!r}")
    return int(m[1]), int(m[2] or m[1])


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


def encode_changes(inp: np.ndarray, out: np.ndarray, merge: bool = False) -> str:
    """The ``changes`` block: rows where ``out`` differs from ``inp``, as runs of changed cells.

    With ``merge`` (the ``blocks`` encoding), neighbouring rows with the same changes share a line.
    """
    rows = []
    changed = np.asarray(inp) != np.asarray(out)
    for r in np.flatnonzero(changed.any(axis=1)):
        runs, c = [], 0
        while c < out.shape[1]:
            if not changed[r, c]:
                c += 1
                continue
            end = c
            while end + 1 < out.shape[1] and changed[r, end + 1] and out[r, end + 1] == out[r, c]:
                end += 1
            runs.append(f"{_span(c, end)}:{out[r, c]}")
            c = end + 1
        rows.append((int(r), " ".join(runs)))
    return "\n".join([f"changes {out.shape[0]}x{out.shape[1]}"] + _label_rows(rows, merge))


def encode_boxes(inp: np.ndarray, out: np.ndarray) -> str:
    """The ``boxes`` block: for each colour among the cells ``out`` changes, the rows and columns they span."""
    out = np.asarray(out)
    changed = np.asarray(inp) != out
    lines = [BOXES_HEADER]
    for colour in np.unique(out[changed]):
        rows, cols = np.nonzero(changed & (out == colour))
        lines.append(f"{_span(rows.min(), rows.max())} {_span(cols.min(), cols.max())}:{colour}")
    return "\n".join(lines)


def _decode_changes(lines: list[str], start: int, base: np.ndarray) -> tuple[np.ndarray, int]:
    m = _HEADER.match(lines[start])
    if (int(m[2]), int(m[3])) != base.shape:
        raise PromptFormatError(f"changes {m[2]}x{m[3]} do not fit the {base.shape[0]}x{base.shape[1]} input")
    grid, i, last = base.copy(), start + 1, -1
    while i < len(lines) and not _HEADER.match(lines[i]) and lines[i] not in (PROGRAM_HEADER, BOXES_HEADER):
        label, _, cells = lines[i].partition(" ")
        if not cells:
            raise PromptFormatError(f"bad changed row {lines[i]!r}")
        first, end = _row_span(label, last + 1, base.shape[0], lines[i])
        last = end
        for run in cells.split(" "):
            m = _RUN.match(run)
            if not m or int(m[2] or m[1]) >= base.shape[1] or int(m[2] or m[1]) < int(m[1]):
                raise PromptFormatError(f"row {label}: bad run {run!r}")
            grid[first : end + 1, int(m[1]) : int(m[2] or m[1]) + 1] = int(m[3])
        i += 1
    return grid, i


def _decode_block(lines: list[str], start: int, encoding: str) -> tuple[str, np.ndarray, int]:
    m = _HEADER.match(lines[start])
    if not m or m[1] == "changes":
        raise PromptFormatError(f"expected a grid header like 'input 3x4', got {lines[start]!r}")
    rows, cols = int(m[2]), int(m[3])
    if encoding in _MERGED_ENCODINGS:
        body, i = [], start + 1
        while len(body) < rows:
            if i >= len(lines):
                raise PromptFormatError(f"{m[1]} grid {rows}x{cols} is cut short")
            label, _, cells = lines[i].partition(" ")
            first, end = _row_span(label, len(body), rows, lines[i])
            if first != len(body):
                raise PromptFormatError(f"{m[1]} grid: expected row {len(body)} next, got {lines[i]!r}")
            body += [_decode_row(f"{first} {cells}", first, cols, "runs")] * (end - first + 1)
            i += 1
        return m[1], np.array(body, dtype=np.int8).reshape(rows, cols), i
    if encoding == "diff":
        encoding = "runs"
    if start + rows >= len(lines):
        raise PromptFormatError(f"{m[1]} grid {rows}x{cols} is cut short")
    body = [_decode_row(lines[start + 1 + r], r, cols, encoding) for r in range(rows)]
    return m[1], np.array(body, dtype=np.int8).reshape(rows, cols), start + 1 + rows


def _check_boxes(lines: list[str], start: int, inp: np.ndarray, out: np.ndarray) -> int:
    """Checks the ``boxes`` block at ``start`` against the pair it summarises; returns the index after it."""
    expected = encode_boxes(inp, out).split("\n")
    given = lines[start : start + len(expected)]
    if given != expected:
        raise PromptFormatError(f"the boxes block {given!r} does not match its pair; expected {expected!r}")
    return start + len(expected)


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
        blocks.append(encode_grid(inp, encoding, "input"))
        if encoding in _DIFF_ENCODINGS and np.shape(inp) == np.shape(out):
            blocks.append(encode_changes(inp, out, merge=encoding in _MERGED_ENCODINGS))
            if encoding == "boxes":
                blocks.append(encode_boxes(inp, out))
        else:
            blocks.append(encode_grid(out, encoding, "output"))
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
        if encoding in _DIFF_ENCODINGS and pending is not None and lines[i].startswith("changes "):
            grid, i = _decode_changes(lines, i, pending)
            if encoding == "boxes":
                i = _check_boxes(lines, i, pending, grid)
            pairs.append((pending, grid))
            pending = None
            continue
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


def with_program_start(prompt: str) -> str:
    """A task prompt followed by :data:`PROGRAM_START`, for sampling: the model writes only the body.

    A small model's first token can stray on a prompt unlike its training data (it copied a draw call
    there instead of ``def``); fixing the start removes that failure. The token ids are those of the
    prompt followed by the start of a training completion, so nothing else changes for the model.
    """
    return prompt + PROGRAM_START
