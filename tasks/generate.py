"""Regenerate every bundled task file from its definition, drawn with the DSL.

Run ``python tasks/generate.py`` (or ``python tasks/generate.py --check`` to verify the committed
files instead of writing them). The definitions follow the reference system's hand-made
out-of-distribution tasks exactly (``reference/arc25_reference.md`` section 2.5). Each task has a
single train pair whose input is all black (0) and no test input.

| file | grid (rows x cols) | output |
|---|---|---|
| line-5 | 5x5 | row 2 painted colour 3 (a warm-up task, not from the reference: one draw) |
| vertical-lines-9 | 9x9 | column ``x`` painted colour ``x + 1`` |
| squares-9 | 9x9 | 3x3 grid of filled 3x3 squares, colours 1..9 in reading order (row by row) |
| overlapping-squares | 10x10 | rectangles ``(k, k)-(9-k, 9-k)``, colour ``k + 1``, k = 0..4, in turn |
| squares-12 | 6x8 | 2x2 squares, 3 rows x 4 columns |
| squares-20 | 10x8 | 2x2 squares, 5 rows x 4 columns |
| squares-{n*n}, n = 4..10 | 2n x 2n | 2x2 squares tiling the grid |
| chick | 10x10 | a literal picture in colours {0, 2, 4, 7, 8} |

The 2x2-square tasks are coloured column by column from the top-left corner with a cycling colour:
``color = (color + 1) % max_colors``, skipping 0, where ``max_colors`` is 8 for n in {9, 10} (colours
1..7) and 10 otherwise (colours 1..9). squares-12 then reads 11447711 / 11447711 / 22558822 / ...

squares-9's colour order is not stated in the reference's table; the notebook that defined it
(``003``) looped ``for x in range(0, 9, 3): for y in range(0, 9, 3)`` and drew at ``(x, y)`` with
``(row, col)`` points, which numbers the squares in reading order, so that is what is built here.

This script imports only the DSL and the standard library, so it runs from a bare checkout.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

import numpy as np

try:
    from dsl.primitives import create_img, draw_horizontal_line, draw_rectangle, draw_vertical_line
except ModuleNotFoundError:  # run as a script from a checkout: make the repository root importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from dsl.primitives import create_img, draw_horizontal_line, draw_rectangle, draw_vertical_line

TASKS_DIR = Path(__file__).resolve().parent

CHICK = (
    "8888448888",
    "8844444488",
    "8440440448",
    "8424474248",
    "8444774448",
    "8844444488",
    "4444444444",
    "4444444444",
    "8444444448",
    "8847447488",
)


def line_5() -> np.ndarray:
    return draw_horizontal_line(create_img((5, 5), 0), 2, 3)


def vertical_lines_9() -> np.ndarray:
    img = create_img((9, 9), 0)
    for x in range(9):
        draw_vertical_line(img, x, x + 1)
    return img


def squares_9() -> np.ndarray:
    img = create_img((9, 9), 0)
    color = 0
    for row in range(0, 9, 3):
        for col in range(0, 9, 3):
            color += 1
            draw_rectangle(img, (row, col), (row + 2, col + 2), color)
    return img


def overlapping_squares() -> np.ndarray:
    img = create_img((10, 10), 0)
    for k in range(5):
        draw_rectangle(img, (k, k), (9 - k, 9 - k), k + 1)
    return img


def squares(rows: int, cols: int, max_colors: int = 10) -> np.ndarray:
    """2x2 squares tiling a ``rows x cols`` grid, coloured column-major with a cycle that skips 0."""
    img = create_img((rows, cols), 0)
    color = 0
    for x in range(0, cols, 2):
        for y in range(0, rows, 2):
            color = (color + 1) % max_colors
            if color == 0:
                color = 1
            draw_rectangle(img, (y, x), (y + 1, x + 1), color)
    return img


def chick() -> np.ndarray:
    return np.array([[int(c) for c in row] for row in CHICK], dtype=np.int8)


def _square_task(n: int) -> Callable[[], np.ndarray]:
    return lambda: squares(2 * n, 2 * n, max_colors=8 if n in (9, 10) else 10)


OUTPUTS: dict[str, Callable[[], np.ndarray]] = {
    "line-5": line_5,
    "vertical-lines-9": vertical_lines_9,
    "squares-9": squares_9,
    "overlapping-squares": overlapping_squares,
    "squares-12": lambda: squares(6, 8),
    "squares-20": lambda: squares(10, 8),
    **{f"squares-{n * n}": _square_task(n) for n in range(4, 11)},
    "chick": chick,
}
"""Every bundled task by name: a function that draws its single train output."""


def build(name: str) -> dict:
    """The ARC-format task ``name``: one train pair (an all-black input and the drawn output), no test."""
    output = OUTPUTS[name]()
    inputs = np.zeros_like(output)
    return {"train": [{"input": inputs.tolist(), "output": output.tolist()}], "test": []}


def _grid_text(grid: list[list[int]], indent: str) -> str:
    rows = [indent + "  [" + ", ".join(str(v) for v in row) + "]" for row in grid]
    return "[\n" + ",\n".join(rows) + "\n" + indent + "]"


def render(task: dict) -> str:
    """ARC JSON text with one grid row per line (valid JSON; byte-stable so files can be compared)."""

    def entry(pair: dict) -> str:
        fields = [
            f'      "{key}": {_grid_text(pair[key], "      ")}' for key in ("input", "output") if key in pair
        ]
        return "    {\n" + ",\n".join(fields) + "\n    }"

    parts = []
    for split in ("train", "test"):
        items = task.get(split, [])
        body = "[\n" + ",\n".join(entry(p) for p in items) + "\n  ]" if items else "[]"
        parts.append(f'  "{split}": {body}')
    return "{\n" + ",\n".join(parts) + "\n}\n"


def write_atomic(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` so that readers see either the old file or the new one, never half."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def expected_files() -> dict[str, str]:
    """File name -> exact file text, for every bundled task."""
    texts = {f"{name}.json": render(build(name)) for name in OUTPUTS}
    for text in texts.values():
        json.loads(text)  # the renderer must always produce valid JSON
    return texts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--out", type=Path, default=TASKS_DIR, help="directory to write to (default: %(default)s)"
    )
    parser.add_argument(
        "--check", action="store_true", help="only compare the files on disk; exit 1 on a mismatch"
    )
    args = parser.parse_args(argv)
    stale = []
    for filename, text in expected_files().items():
        path = args.out / filename
        current = path.read_text(encoding="utf-8") if path.exists() else None
        if current == text:
            continue
        stale.append(filename)
        if not args.check:
            write_atomic(path, text)
    if args.check:
        print(f"{len(stale)} stale: {', '.join(stale)}" if stale else "all task files are up to date")
        return 1 if stale else 0
    print(f"wrote {len(stale)} file(s) to {args.out}" + (f": {', '.join(stale)}" if stale else ""))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
