"""Tasks in parallel local processes: one fresh process per task, at most ``workers`` at once.

A process per task (not a pool) keeps a crash, a leak or a kill to that task: its death is recorded (or the task
retried), and the next task starts in a clean interpreter. Each child dies with this process (``PR_SET_PDEATHSIG``),
so a killed run leaves no search behind to finish a task a second time; the rerun resumes it from its run directory.
The stdlib's ``multiprocessing`` (spawn) is enough: the child's target is a module function, nothing to pickle but
dataclasses.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal
import time
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from multiprocessing.connection import wait
from pathlib import Path

from her_arc.solve.jobs import Job, died_row, timeout_row


@dataclass
class _Running:
    job: Job
    proc: multiprocessing.process.BaseProcess
    conn: object
    start: float = field(default_factory=time.monotonic)


def run_local(jobs: Sequence[Job], on_row: Callable[[dict], None], *, workers: int = 1, retries: int = 1,
              task_timeout_s: float | None = None, on_start: Callable[[Job], None] | None = None) -> None:
    """Run every job, ``workers`` at a time; ``on_row`` gets each task's row as it ends (in the calling process)."""
    ctx = multiprocessing.get_context("spawn")
    queue, running, tries = deque(jobs), [], {}
    try:
        while queue or running:
            while queue and len(running) < workers:
                job = queue.popleft()
                receive, send = ctx.Pipe(duplex=False)
                proc = ctx.Process(target=_child, args=(job, send), name=f"her-arc-solve:{job.ref.name}")
                proc.start()
                send.close()  # the child holds the only writer: its exit is this end's EOF
                running.append(_Running(job, proc, receive))
                if on_start:
                    on_start(job)
            ready = wait([r.conn for r in running], timeout=1.0)
            for r in list(running):
                late = task_timeout_s is not None and time.monotonic() - r.start > task_timeout_s
                if r.conn not in ready and not late:
                    continue
                row = _receive(r.conn) if r.conn in ready else None
                if row is None and late:
                    r.proc.kill()
                    row = timeout_row(r.job, task_timeout_s)
                r.proc.join(30)
                running.remove(r)
                r.conn.close()
                name = r.job.ref.name
                if row is None:  # it died before it could answer
                    tries[name] = tries.get(name, 0) + 1
                    if tries[name] <= retries:
                        queue.appendleft(r.job)
                        continue
                    row = died_row(r.job, r.proc.exitcode, tries[name])
                row["tries"] = tries.get(name, 0) + 1
                on_row(row)
    finally:
        for r in running:
            r.proc.kill()
            r.proc.join(10)


def _receive(conn) -> dict | None:
    try:
        return conn.recv()
    except (EOFError, OSError):
        return None


def _child(job: Job, conn) -> None:
    _die_with_parent()
    _log_to(Path(job.config.run.run_dir).with_suffix(".log"))
    os.environ.setdefault("OMP_NUM_THREADS", str(job.config.run.num_threads or 1))
    from her_arc.solve.worker import solve_one

    conn.send(solve_one(job.ref, job.config))
    conn.close()


def _log_to(path: Path) -> None:
    """Send this process's output (the search's, the libraries' progress bars) to the task's log file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    os.dup2(fd, 1)
    os.dup2(fd, 2)
    os.close(fd)


def _die_with_parent() -> None:
    """SIGKILL this process when its parent dies (Linux), and stop if the parent is already gone."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        return
    if os.getppid() == 1:
        os._exit(1)


__all__ = ["run_local"]
