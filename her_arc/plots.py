"""Pictures of a search: the best-accuracy curve and the target beside each epoch's best drawing."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from her_arc.files import save_figure_atomic

ARC_COLORS = (
    "#000000",
    "#0074D9",
    "#FF4136",
    "#2ECC40",
    "#FFDC00",
    "#AAAAAA",
    "#F012BE",
    "#FF851B",
    "#7FDBFF",
    "#870C25",
)
"""The standard ARC palette, colour 0 to 9."""


def _pyplot():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def draw_grid(ax, grid, title: str | None = None) -> None:
    """Show one grid with the ARC palette and a thin cell lattice."""
    from matplotlib.colors import ListedColormap

    grid = np.asarray(grid)
    ax.imshow(grid, cmap=ListedColormap(ARC_COLORS), vmin=0, vmax=9, interpolation="nearest")
    ax.set_xticks(np.arange(-0.5, grid.shape[1]), minor=True)
    ax.set_yticks(np.arange(-0.5, grid.shape[0]), minor=True)
    ax.grid(which="minor", color="#555555", linewidth=0.3)
    ax.tick_params(which="both", length=0, labelbottom=False, labelleft=False)
    if title:
        ax.set_title(title, fontsize=8)


def _save(fig, path: Path) -> None:
    save_figure_atomic(fig, path)


def plot_run(run_dir: str | Path, inputs, targets) -> None:
    """Write ``accuracy.png`` and ``drawings.png`` for the run in ``run_dir`` (from its epochs.jsonl).

    ``drawings.png`` has a row per train pair: its input (when the inputs hold something to read), its target,
    and the best program's output in each of the last epochs."""
    plt = _pyplot()
    run_dir = Path(run_dir)
    epochs = [
        json.loads(line) for line in (run_dir / "epochs.jsonl").read_text().splitlines() if line.strip()
    ]
    if not epochs:
        return
    fig, ax = plt.subplots(figsize=(5, 3))
    ax.plot([e["epoch"] for e in epochs], [e["best_accuracy"] for e in epochs], marker="o", label="best")
    ax.plot([e["epoch"] for e in epochs], [e["mean_accuracy"] for e in epochs], marker=".", label="mean")
    ax.set(xlabel="epoch", ylabel="pixel accuracy", ylim=(0, 1.02), title="accuracy per epoch")
    ax.xaxis.get_major_locator().set_params(integer=True)
    ax.legend()
    _save(fig, run_dir / "accuracy.png")
    plt.close(fig)

    shown = [e for e in epochs if e.get("best_outputs")][-8:]
    show_inputs = any(np.unique(np.asarray(i)).size > 1 for i in inputs)
    lead = 2 if show_inputs else 1
    rows, cols = len(targets), lead + len(shown)
    fig, axes = plt.subplots(rows, cols, figsize=(1.6 * cols, 1.9 * rows), squeeze=False)
    for r, (grid_in, target) in enumerate(zip(inputs, targets, strict=True)):
        if show_inputs:
            draw_grid(axes[r][0], grid_in, f"pair {r}: input")
        draw_grid(axes[r][lead - 1], target, "target" if rows == 1 else f"pair {r}: target")
        for ax, e in zip(axes[r][lead:], shown, strict=True):
            right = np.array_equal(np.asarray(e["best_outputs"][r]), np.asarray(target))
            draw_grid(ax, e["best_outputs"][r],
                      f"epoch {e['epoch']}: {e['best_accuracy']:.2f}" if r == 0 else ("right" if right else ""))
    _save(fig, run_dir / "drawings.png")
    plt.close(fig)
