"""Tasks as Ray tasks, on a cluster (``--ray ADDRESS``) or a local one started here (``--ray local``).

Each task declares its resources (``cpus_per_task``, ``gpus_per_task``) and Ray places it; a task whose worker
died is run again by Ray itself (``max_retries``), and its search resumes from its run directory, which every node
must see (a shared file system for a real cluster). Rows come back to this process, which writes each one once.
Ray is an optional dependency: ``pip install 'her-arc[ray]'``.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable, Sequence

from her_arc.solve.jobs import Job, died_row, timeout_row

RAY_MISSING = "--ray needs Ray, which is not installed: pip install 'her-arc[ray]' (or run without --ray)"


def run_ray(jobs: Sequence[Job], on_row: Callable[[dict], None], *, address: str, workers: int = 1,
            retries: int = 1, cpus_per_task: float = 1.0, gpus_per_task: float = 0.0,
            task_timeout_s: float | None = None, on_start: Callable[[Job], None] | None = None) -> None:
    """Run every job as a Ray task, at most ``workers`` at once; ``on_row`` gets each row in this process."""
    try:
        import ray
    except ImportError:
        raise RuntimeError(RAY_MISSING) from None
    local = address == "local"
    started_here = not ray.is_initialized()
    if started_here:
        ray.init(address=None if local else address, num_cpus=max(1, round(workers * cpus_per_task)) if local
                 else None, num_gpus=None if not local else 0 if not gpus_per_task else None,
                 include_dashboard=False, log_to_driver=False, configure_logging=False)
    remote = ray.remote(_solve).options(num_cpus=cpus_per_task, num_gpus=gpus_per_task, max_retries=retries,
                                        retry_exceptions=False, name="her-arc-solve")
    queue, inflight = deque(jobs), {}
    try:
        while queue or inflight:
            while queue and len(inflight) < workers:
                job = queue.popleft()
                inflight[remote.remote(job.ref, job.config)] = (job, time.monotonic())
                if on_start:
                    on_start(job)
            done, _ = ray.wait(list(inflight), num_returns=1, timeout=1.0)
            for obj in done:
                job, _ = inflight.pop(obj)
                try:
                    row = ray.get(obj)
                except ray.exceptions.RayError as exc:  # its worker died more than `retries` times, or Ray failed
                    row = died_row(job, None, retries + 1) | {"error": f"{type(exc).__name__}: {str(exc)[:500]}"}
                on_row(row)
            if task_timeout_s is not None:
                for obj, (job, start) in list(inflight.items()):
                    if time.monotonic() - start > task_timeout_s:
                        ray.cancel(obj, force=True)
                        del inflight[obj]
                        on_row(timeout_row(job, task_timeout_s))
    finally:
        for obj in inflight:
            ray.cancel(obj, force=True)
        if started_here:
            ray.shutdown()


def _solve(ref, config) -> dict:
    import os

    os.environ.setdefault("OMP_NUM_THREADS", str(config.run.num_threads or 1))
    from her_arc.solve.worker import solve_one

    return solve_one(ref, config)


__all__ = ["RAY_MISSING", "run_ray"]
