"""Square-count scaling benchmark: the search on squares-N for N in 9..100, beside the reference's figures.

A thin script over :mod:`her_arc.experiments.benchmark` (also ``her-arc bench squares``)::

    python benchmarks/squares.py --n 9 16 --seeds 0 --max-epochs 5 --threads 1    # a few minutes
    python benchmarks/squares.py --seeds 0 1 2 --variants all                    # the full benchmark (hours)
    python benchmarks/squares.py --from-json benchmarks/results/squares.json     # re-render table and plots

Writes ``benchmarks/results/squares.md``, ``squares.json``, ``squares_scaling.png`` and
``squares_curves.png`` (``--out-dir`` to change), after every finished run.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from her_arc.cli.bench import main  # noqa: E402
from her_arc.experiments.benchmark import run_benchmark  # noqa: E402

__all__ = ["main", "run_benchmark"]

if __name__ == "__main__":  # the vLLM sampler starts worker processes with spawn
    raise SystemExit(main(prog="python benchmarks/squares.py"))
