"""One task's search, as a worker process or a Ray task runs it: the search, then its result row."""

from __future__ import annotations

import os
import resource
import time
import traceback

from her_arc.lm.sampling.types import PromptTooLongError
from her_arc.search.config import SearchConfig
from her_arc.solve.tasks import TaskRef


def solve_one(ref: TaskRef, config: SearchConfig) -> dict:
    """Run (or resume) the search on ``ref`` and return its row; a crash of the search becomes an ``error`` row."""
    from her_arc.arc.metric import score_task
    from her_arc.search import solve_task
    from her_arc.tasks import load_task

    row = {"name": ref.name, "source": ref.source, "arc_id": ref.arc_id, "pid": os.getpid()}
    start = time.perf_counter()
    try:
        task = load_task(ref.source)
        result = solve_task(task, config)
        row.update(status="solved" if result.solved else "unsolved", solved_train=result.solved,
                   pairs_right=result.pairs_right, n_pairs=result.n_pairs, attempts=result.attempts,
                   program=result.program, best_program=result.best_program, best_accuracy=result.best_accuracy,
                   baselines=result.baselines, epochs=result.epochs, samples=result.samples,
                   search_s=round(result.wall_time_s, 1), run_dir=result.run_dir,
                   model_skipped=result.model_skipped)
        known = task.test_outputs is not None and len(task.test_outputs) > 0
        row["score"] = score_task(result.attempts, task.test_outputs) if known and result.attempts else (
            0.0 if known else None)
    except PromptTooLongError as exc:  # the model cannot read this task: no rerun will change that
        known = task.test_outputs is not None and len(task.test_outputs) > 0  # it was loaded: the search raised
        row.update(status="refused", error=str(exc), score=0.0 if known else None, attempts=None)
    except Exception as exc:  # noqa: BLE001 - the task's failure is its row; the others go on
        row.update(status="error", error=f"{type(exc).__name__}: {exc}",
                   traceback=traceback.format_exc(limit=8), score=None, attempts=None)
    row["seconds"] = round(time.perf_counter() - start, 1)
    row["max_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)  # Linux: KiB
    return row


__all__ = ["solve_one"]
