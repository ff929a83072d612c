"""The totals of a ``her-arc solve`` run and the files written from its rows: summary, submission, report."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path

from her_arc.files import write_text_atomic
from her_arc.solve.results import FINAL
from her_arc.solve.tasks import TaskRef


def summarize(rows: Sequence[dict], *, seconds: float, done_here: int, workers: int) -> dict:
    """Counts by status, the ARC score over the tasks whose test outputs are known, and the pace of this run."""
    finished = [r for r in rows if r["status"] in FINAL]
    scored = [r for r in finished if r.get("score") is not None]
    by_status = {s: sum(r["status"] == s for r in rows)
                 for s in ("solved", "unsolved", "refused", "error", "timeout", "running", "pending")}
    return {
        "tasks": len(rows),
        "finished": len(finished),
        "solved_train": by_status["solved"],
        "scored": len(scored),
        "score": sum(r["score"] for r in scored) / len(scored) if scored else None,
        "test_right": sum(r["score"] == 1.0 for r in scored),
        "statuses": {s: n for s, n in by_status.items() if n},
        "samples": sum(r.get("samples") or 0 for r in finished),
        "task_seconds": round(sum(r.get("seconds") or 0.0 for r in finished), 1),
        "wall_seconds": round(seconds, 1),
        "tasks_per_hour": round(3600 * done_here / seconds, 2) if done_here and seconds > 0 else None,
        "workers": workers,
    }


def summary_markdown(summary: dict) -> str:
    score = "n/a (no known test outputs)" if summary["score"] is None else (
        f"{100 * summary['score']:.1f} % over {summary['scored']} tasks ({summary['test_right']} fully right)")
    statuses = ", ".join(f"{s} {n}" for s, n in summary["statuses"].items())
    pace = "" if summary["tasks_per_hour"] is None else (
        f"| tasks/hour (this run, {summary['workers']} workers) | {summary['tasks_per_hour']} |\n")
    return ("# her-arc solve\n\n| | |\n|---|---|\n"
            f"| tasks | {summary['tasks']} ({statuses}) |\n"
            f"| every train pair right | {summary['solved_train']} of {summary['finished']} finished |\n"
            f"| ARC score (2 attempts) | {score} |\n"
            f"| samples | {summary['samples']} |\n"
            f"| search seconds (sum over tasks) | {summary['task_seconds']} |\n" + pace)


def submission(rows: Sequence[dict], tasks: Mapping, refs: Sequence[TaskRef]) -> dict[str, list]:
    """The ARC Prize entries of every task with test inputs: its attempts, or placeholders while it has none."""
    by_name = {r["name"]: r for r in rows}
    out: dict[str, list] = {}
    for ref in refs:
        n_tests = len(tasks[ref.name].test)
        if not n_tests:
            continue
        row = by_name.get(ref.name, {})
        attempts = row.get("attempts") if row.get("status") in FINAL else None
        key = ref.arc_id if ref.arc_id not in out else ref.name  # the same id in two splits: keep both
        out[key] = attempts or [[] for _ in range(n_tests)]
    return out


def write_outputs(out: str | Path, rows: Sequence[dict], tasks: Mapping, refs: Sequence[TaskRef],
                  summary: dict) -> None:
    """``summary.json``, ``summary.md``, ``submission.json`` and ``index.html``, each replaced atomically."""
    from her_arc.arc.metric import write_submission
    from her_arc.solve.report import write_report

    out = Path(out)
    write_text_atomic(out / "summary.json", json.dumps(summary, indent=1))
    write_text_atomic(out / "summary.md", summary_markdown(summary))
    entries = submission(rows, tasks, refs)
    if entries:
        write_submission(out / "submission.json", entries)
    write_report(out, rows, tasks)


__all__ = ["submission", "summarize", "summary_markdown", "write_outputs"]
