"""``solve_tasks``: every task of a split (or a list) searched, in parallel, resumably, into one directory.

    from her_arc.solve import SolveConfig, solve_tasks

    result = solve_tasks(["arc1-eval"], SolveConfig(out="out/eval", workers=2, limit=20))
    print(result.summary["score"])

Per-task and no learning run each task's whole search as one job. Shared learning runs rounds: every unsolved task
runs one more epoch with the shared adapter, then their relabeled examples train it for the next round.
"""

from __future__ import annotations

import json
import random
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from her_arc.errors import ConfigError
from her_arc.files import write_text_atomic
from her_arc.solve.config import LearnMode, SolveConfig
from her_arc.solve.jobs import Job
from her_arc.solve.results import FINAL, ResultStore, check_same_run, exclusive
from her_arc.solve.summary import summarize, write_outputs
from her_arc.solve.tasks import TaskRef, load_all, resolve_tasks


@dataclass
class SolveResult:
    """What a ``solve_tasks`` run left in its directory."""

    rows: list[dict]
    """one per task, in order (``pending`` for a task that has not run)"""
    summary: dict
    out: str


def solve_tasks(tasks: Sequence[str], config: SolveConfig, *, ids: Sequence[str] | None = None,
                progress: bool = True) -> SolveResult:
    """Solve every task ``tasks`` names (see :func:`~her_arc.solve.tasks.resolve_tasks`) into ``config.out``.

    Finished tasks of an earlier run in the same directory are skipped and their searches resumed. Raises
    :class:`~her_arc.tasks.TaskFormatError` for a bad task, ``FileExistsError`` while another run holds the
    directory and ``ValueError`` when the directory holds a run of other settings.
    """
    if not config.out:
        raise ConfigError("out", "is required: the directory the results go to (--out DIR)")
    refs = resolve_tasks(tasks, ids=ids, limit=config.limit, sample_seed=config.sample_seed)
    loaded = load_all(refs)
    with exclusive(config.out):
        check_same_run(config.out, config)
        run = _Run(refs, loaded, config, progress)
        try:
            with shared_engine(config, needed=bool(run.todo())) as run.server_url:
                if config.learn is LearnMode.SHARED:
                    run.shared_rounds()
                else:
                    run.jobs([Job(ref, run.search_config(ref.name)) for ref in run.todo()], run.finish)
        finally:
            run.close()
        return SolveResult(run.store.rows(refs), run.summary(), config.out)


@contextmanager
def shared_engine(config: SolveConfig, needed: bool = True) -> Iterator[str | None]:
    """The server every search samples from: none (``engine="per-task"``), the given URL, or (``"shared"``) a
    vLLM server started for this run (its log in ``DIR/engine.log``) and stopped after it."""
    if config.engine == "per-task" or not needed:
        yield None
        return
    if config.engine != "shared":
        yield config.engine
        return
    from her_arc.lm.serving import start_engine
    from her_arc.painter import resolve_model_dir

    remote = config.ray not in (None, "local")  # workers on other machines reach the server over the network
    engine = start_engine(resolve_model_dir(config.model or config.search.model),
                          max_loras=config.workers, max_lora_rank=max(config.search.learn.adapter.lora_r, 8),
                          max_model_len=config.search.sample.max_model_len, seed=config.seed,
                          gpu_memory_utilization=config.search.sample.gpu_memory_utilization,
                          log_path=Path(config.out, "engine.log"), host="0.0.0.0" if remote else "127.0.0.1")
    try:
        yield engine.url
    finally:
        engine.close()


class _Run:
    """The state of one invocation: the store, what runs now, the progress bar, the report."""

    def __init__(self, refs: list[TaskRef], tasks: dict, config: SolveConfig, progress: bool):
        from tqdm import tqdm

        self.refs, self.tasks, self.config = refs, tasks, config
        self.store = ResultStore(config.out)
        self.running: set[str] = set()
        self.failed: set[str] = set()
        self.start, self.done_here = time.monotonic(), 0
        self.server_url: str | None = None
        finished = self.store.finished(refs)
        self.bar = tqdm(total=len(refs), initial=len(finished), unit="task", desc="solve", disable=not progress,
                        dynamic_ncols=True)
        self._refresh()

    def search_config(self, name: str, **round_settings):
        return self.config.search_config(name, server_url=self.server_url, **round_settings)

    def todo(self) -> list[TaskRef]:
        """Tasks without a final row, less those that failed in this invocation (a rerun tries them again)."""
        finished = self.store.finished(self.refs)
        return [ref for ref in self.refs if ref.name not in finished and ref.name not in self.failed]

    def jobs(self, jobs: list[Job], on_row) -> None:
        if not jobs:
            return
        kw = dict(workers=self.config.workers, retries=self.config.retries, on_start=self.started)
        if self.config.ray:
            from her_arc.solve.ray_runner import run_ray

            run_ray(jobs, on_row, address=self.config.ray, cpus_per_task=self.config.cpus_per_task,
                    gpus_per_task=self.config.gpus_per_task, task_timeout_s=self.config.task_timeout_s, **kw)
        else:
            from her_arc.solve.local import run_local

            run_local(jobs, on_row, task_timeout_s=self.config.task_timeout_s, **kw)

    def started(self, job: Job) -> None:
        self.running.add(job.ref.name)
        self.store.log("start", job.ref.name, epochs=job.config.max_epochs)
        self._refresh()

    def finish(self, row: dict) -> None:
        """A task's final row: written once, counted, shown."""
        self.store.write(row)
        self.store.log("finish", row["name"], status=row["status"], pid=row.get("pid"), seconds=row.get("seconds"))
        self.running.discard(row["name"])
        self.done_here += 1
        if row["status"] in FINAL:
            self.bar.update(1)
        else:
            self.failed.add(row["name"])
        self._refresh()

    def shared_rounds(self) -> None:
        """Rounds of one epoch per unsolved task, each followed by training the shared adapter on all examples."""
        from her_arc.lm.training import AdapterTrainer
        from her_arc.painter import resolve_model_dir

        cfg = self.config
        shared = Path(cfg.out, "shared")
        state_path = shared / "state.json"
        state = json.loads(state_path.read_text()) if state_path.is_file() else {"round": 0, "adapter": None}
        trainer = None
        for r in range(state["round"] + 1, cfg.max_epochs + 1):
            todo = self.todo()
            if not todo:
                break
            adapter = str(shared / state["adapter"]) if state["adapter"] else None
            unsolved: list[str] = []

            def on_row(row: dict, r=r, unsolved=unsolved) -> None:
                more = row["status"] == "unsolved" and r < cfg.max_epochs and (row.get("epochs") or 0) >= r
                if more:  # another round follows: not final yet
                    unsolved.append(row["name"])
                    self.store.log("round", row["name"], round=r, pairs_right=row.get("pairs_right"))
                    self.running.discard(row["name"])
                    self._refresh()
                else:
                    self.finish(row)

            self.jobs([Job(ref, self.search_config(ref.name, epochs=r, adapter_dir=adapter)) for ref in todo], on_row)
            examples = self._round_examples(unsolved, r)
            if unsolved and examples:
                if trainer is None:
                    import torch

                    torch.set_num_threads(cfg.threads * cfg.workers)  # the searches wait while it trains
                    trainer = AdapterTrainer(resolve_model_dir(cfg.model or cfg.search.model),
                                             cfg.search.learn.adapter, seed=cfg.seed)
                    if state["adapter"]:
                        trainer.load(shared / state["adapter"])
                        trainer.epochs_trained = state.get("epochs_trained", 0)
                trainer.train(examples)
                trainer.save(shared / f"adapter-{r}")
                state = {"round": r, "adapter": f"adapter-{r}", "epochs_trained": trainer.epochs_trained,
                         "examples": len(examples), "tasks": len(unsolved)}
            else:
                state = dict(state, round=r)
            write_text_atomic(state_path, json.dumps(state))

    def _round_examples(self, names: list[str], r: int) -> list[tuple[str, str]]:
        """Each task's relabeled examples of round ``r``, an equal share of ``shared_examples`` each, shuffled."""
        per_task = []
        for name in names:
            path = Path(self.config.out, "runs", name, f"examples-{r}.json")
            per_task.append([tuple(p) for p in json.loads(path.read_text())] if path.is_file() else [])
        share = self.config.shared_examples // max(len(per_task), 1) or 1
        examples = [e for mine in per_task for e in mine[-share:]]  # the most accurate come last
        random.Random(self.config.seed + r).shuffle(examples)
        return examples[: self.config.shared_examples]

    def summary(self, rows: list[dict] | None = None) -> dict:
        rows = self.store.rows(self.refs) if rows is None else rows
        return summarize(rows, seconds=time.monotonic() - self.start, done_here=self.done_here,
                         workers=self.config.workers)

    def _refresh(self) -> None:
        rows = self.store.rows(self.refs, sorted(self.running))
        summary = self.summary(rows)
        self.bar.set_postfix_str(f"solved {summary['solved_train']}/{summary['finished']}, "
                                 f"running {len(self.running)}")
        write_outputs(self.config.out, rows, self.tasks, self.refs, summary)

    def close(self) -> None:
        self.running.clear()
        self._refresh()
        self.bar.close()


__all__ = ["SolveResult", "solve_tasks"]
