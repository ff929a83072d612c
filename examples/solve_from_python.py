"""Solve a bundled task from Python, print the result, and plot the target beside the best drawing.

    python examples/solve_from_python.py                          # vertical-lines-9, the shipped painter on CPU
    python examples/solve_from_python.py squares-12 --max-epochs 10 --out squares-12.png

On 2 CPU cores vertical-lines-9 takes 1-2 epochs (under a minute), squares-12 2-3. The run directory (config, per-epoch
log, adapter, solution, accuracy.png and drawings.png) is printed at the end.
"""

from __future__ import annotations

import argparse

from her_arc import SampleConfig, SearchConfig, load_task, solve_task
from her_arc.cli.search import parse_groups
from her_arc.plots import draw_grid
from her_arc.sandbox import execute


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("task", nargs="?", default="vertical-lines-9", help="a bundled task name or a task .json file")
    parser.add_argument("--max-epochs", type=int, default=10)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--groups", type=parse_groups,
                        help="samples of the task's prompt per epoch, e.g. 8@0.1,32@0.9 (the default)")
    parser.add_argument("--backend", default="auto", choices=("auto", "vllm", "transformers"))
    parser.add_argument("--out", default="solve_from_python.png", help="where the picture goes")
    args = parser.parse_args()

    task = load_task(args.task)
    sample = SampleConfig(backend=args.backend, **({"groups": args.groups} if args.groups else {}))
    config = SearchConfig(max_epochs=args.max_epochs, seed=args.seed, sample=sample)  # the rest: defaults
    result = solve_task(task, config, progress=lambda e: print(f"epoch {e['epoch']}: best {e['best_accuracy']:.3f}"))

    print(f"solved: {result.solved} in {result.epochs} epochs, {result.samples} samples, {result.wall_time_s:.0f} s "
          f"(sampling {result.sampling_s:.0f} s, execution {result.execution_s:.0f} s, "
          f"training {result.training_s:.0f} s)")
    print(result.program or f"closest program (accuracy {result.best_accuracy:.3f}):\n{result.best_program}")
    print(f"run directory: {result.run_dir}")

    # Draw the target beside what the best program draws (run in the sandbox, like every program in the search).
    inputs = [inp for inp, _ in task.train]
    [drawn] = execute([result.best_program], inputs) if result.best_program else [None]
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 2, figsize=(5, 2.6))
    draw_grid(axes[0], task.train[0].output, "target")
    if drawn is not None and drawn.status == "ok":
        draw_grid(axes[1], drawn.outputs[0], f"best program ({result.best_accuracy:.0%})")
    else:
        axes[1].set_axis_off()
    fig.savefig(args.out, dpi=120, bbox_inches="tight")
    print(f"wrote {args.out}")
    return 0 if result.solved else 1


if __name__ == "__main__":  # needed: the vLLM sampler starts its workers with spawn
    raise SystemExit(main())
