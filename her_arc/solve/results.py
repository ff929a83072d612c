"""The output directory of ``her-arc solve``: one result file per task, written once, atomically.

    DIR/tasks/<name>.json     one row per finished task (its status, score, attempts, programs, cost)
    DIR/runs/<name>/          each task's search (resumable: a killed run continues from its last epoch)
    DIR/submission.json       the ARC Prize submission of every finished task
    DIR/summary.json, .md     the totals; DIR/index.html the report
    DIR/log.jsonl             one line per task started and finished (status, process, seconds)
    DIR/solve.json            the settings the directory was started with (a rerun must keep those that shape results)

A rerun skips every finished task (solved, unsolved, refused); one recorded as an error or a timeout runs again.
"""

from __future__ import annotations

import fcntl
import json
import os
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from her_arc.files import write_text_atomic
from her_arc.solve.tasks import TaskRef

FINAL = ("solved", "unsolved", "refused")
"""Statuses a rerun keeps (refused: the model cannot read the task); the others (error, timeout) run again."""


class ResultStore:
    """Reads and writes ``DIR/tasks/<name>.json``."""

    def __init__(self, out: str | os.PathLike):
        self.out = Path(out)
        self.tasks_dir = self.out / "tasks"

    def path(self, name: str) -> Path:
        return self.tasks_dir / f"{name}.json"

    def read(self, name: str) -> dict | None:
        path = self.path(name)
        return json.loads(path.read_text()) if path.is_file() else None

    def write(self, row: dict) -> None:
        write_text_atomic(self.path(row["name"]), json.dumps(row))

    def log(self, event: str, name: str, **fields) -> None:
        """Append one event (``start``, ``finish``) to ``DIR/log.jsonl``: what ran when, and where."""
        self.out.mkdir(parents=True, exist_ok=True)
        with open(self.out / "log.jsonl", "a") as f:
            f.write(json.dumps({"time": round(time.time(), 3), "event": event, "name": name} | fields) + "\n")

    def finished(self, refs: Sequence[TaskRef]) -> dict[str, dict]:
        """The rows a rerun keeps, by name."""
        rows = {ref.name: self.read(ref.name) for ref in refs}
        return {name: row for name, row in rows.items() if row and row["status"] in FINAL}

    def rows(self, refs: Sequence[TaskRef], running: Sequence[str] = ()) -> list[dict]:
        """One row per task in order: its result, or a ``running`` / ``pending`` placeholder."""
        out = []
        for ref in refs:
            row = self.read(ref.name)
            if row is None or (ref.name in running and row["status"] not in FINAL):
                row = {"name": ref.name, "source": ref.source, "status": "running" if ref.name in running
                       else "pending"}
            out.append(row)
        return out


RESUMABLE = ("out", "workers", "max_epochs", "time_budget_s", "task_timeout_s", "threads", "retries", "ray",
             "cpus_per_task", "gpus_per_task")
"""Settings a rerun on the same directory may change; the others shape the results and must stay."""


def check_same_run(out: str | os.PathLike, config) -> None:
    """Record ``config`` in ``DIR/solve.json``, or check it against the one recorded there: a rerun that would mix
    results of different settings (another learning mode, seed, model, search) is refused before anything runs."""
    from her_arc.search.config import flatten

    path = Path(out) / "solve.json"
    mine = {k: v for k, v in flatten(config.to_dict()).items() if k not in RESUMABLE}
    if mine.get("engine", "per-task") != "per-task":
        mine["engine"] = "server"  # one started for the run or one running already: the same sampler
    if path.is_file():
        theirs = json.loads(path.read_text())
        changed = sorted(k for k in set(mine) | set(theirs) if mine.get(k) != theirs.get(k))
        if changed:
            k = changed[0]
            raise ValueError(f"{out} holds a run started with {k} = {theirs.get(k)!r}, now {mine.get(k)!r}: rerun "
                             f"with its settings to resume it, or use another --out (only {', '.join(RESUMABLE)} "
                             "may change)")
    else:
        write_text_atomic(path, json.dumps(mine, indent=1))


@contextmanager
def exclusive(out: str | os.PathLike) -> Iterator[None]:
    """Hold ``DIR`` for this run: a second ``her-arc solve`` on the same directory is refused, not interleaved."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    with open(out / ".solve.lock", "a+") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            lock.seek(0)
            pid = lock.read().strip() or "?"
            raise FileExistsError(f"another her-arc solve (pid {pid}) is writing {out}: wait for it, or stop it "
                                  "and run again to resume") from None
        lock.truncate(0)
        lock.write(str(os.getpid()))
        lock.flush()
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


__all__ = ["FINAL", "RESUMABLE", "ResultStore", "check_same_run", "exclusive"]
