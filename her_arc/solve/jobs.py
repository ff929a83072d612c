"""A unit of work for the runners (local processes or Ray) and the rows of a task that never answered."""

from __future__ import annotations

from typing import NamedTuple

from her_arc.search.config import SearchConfig
from her_arc.solve.tasks import TaskRef


class Job(NamedTuple):
    """One task's search to run (or resume): the task and its settings."""

    ref: TaskRef
    config: SearchConfig


def _base(job: Job) -> dict:
    return {"name": job.ref.name, "source": job.ref.source, "arc_id": job.ref.arc_id, "score": None,
            "attempts": None, "run_dir": job.config.run.run_dir}


def died_row(job: Job, exitcode: int | None, tries: int) -> dict:
    how = f"was killed by signal {-exitcode}" if exitcode is not None and exitcode < 0 else f"exited ({exitcode})"
    return _base(job) | {"status": "error", "error": f"the task's process {how} before it answered, {tries} "
                                                     "time(s); a rerun resumes its search from its run directory"}


def timeout_row(job: Job, limit_s: float) -> dict:
    return _base(job) | {"status": "timeout", "error": f"killed after {limit_s:g} s (--task-timeout-s); "
                                                       "a rerun resumes its search from its run directory",
                         "seconds": limit_s}


__all__ = ["Job", "died_row", "timeout_row"]
