"""How the painter's best sample misses: the wrong cells of each missed task's best program, by kind.

``missed``: the target changes the cell, the program leaves it as the input has it; ``spurious``: the program
changes a cell the target leaves; ``colour``: both change it, to different colours (one shape reaching into
another's cells, or two overlapping shapes in the wrong order). A miss whose draws, run in some other order,
draw the target exactly is counted as ``reorderable``: its shapes were right, their order was not.
Usage: ``python misses.py PER_TASK.jsonl...`` (files written by ``her-arc evaluate --per-task``).
"""

import itertools
import json
import sys

import numpy as np

from her_arc.sandbox import ExecutorPool


def _reorderable(pool: ExecutorPool, program: str, inputs: list[np.ndarray], targets: list) -> bool:
    """True when some other order of ``program``'s draw lines draws ``targets`` exactly."""
    lines = program.split("\n")
    body = [line for line in lines[1:] if line.strip().startswith("draw_")]
    if len(body) != len(lines) - 2 or len(body) > 7:  # not a straight-line program of draws, or too many orders
        return False
    orders = [lines[:1] + list(p) + lines[-1:] for p in itertools.permutations(body)][1:]
    results = pool.execute(["\n".join(o) for o in orders], inputs)
    return any(r.status == "ok" and all(np.array_equal(o, t) for o, t in zip(r.outputs, targets, strict=True))
               for r in results)


def main(paths: list[str]) -> None:
    with ExecutorPool(timeout_s=1.0) as pool:
        for path in paths:
            missed = [r for r in map(json.loads, open(path)) if not r["solved"]]
            cells = dict.fromkeys(("missed", "spurious", "colour"), 0)
            only = dict.fromkeys(("missed", "spurious", "colour", "several kinds"), 0)
            wrong, reorderable = [], 0
            for task in missed:
                best = max(task["samples"], key=lambda s: s["accuracy"])
                inputs = [np.array(g) for g in task["inputs"]]
                (result,) = pool.execute([best["program"]], inputs)
                kinds = dict.fromkeys(cells, 0)
                for inp, out, tgt in zip(inputs, result.outputs, task["outputs"], strict=True):
                    out, tgt = np.asarray(out), np.asarray(tgt)
                    diff = out != tgt
                    kinds["missed"] += int((diff & (out == inp)).sum())
                    kinds["spurious"] += int((diff & (tgt == inp)).sum())
                    kinds["colour"] += int((diff & (out != inp) & (tgt != inp)).sum())
                for k, v in kinds.items():
                    cells[k] += v
                present = [k for k, v in kinds.items() if v]
                only[present[0] if len(present) == 1 else "several kinds"] += 1
                wrong.append(sum(kinds.values()))
                reorderable += _reorderable(pool, best["program"], inputs, task["outputs"])
            print(f"{path}: {len(missed)} missed tasks; wrong cells {cells}; tasks with only {only}; "
                  f"within 2 cells {sum(w <= 2 for w in wrong)}; reorderable {reorderable}")


if __name__ == "__main__":
    main(sys.argv[1:])
