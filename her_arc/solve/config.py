"""Settings of ``her-arc solve``: which tasks, the budget of each search, how learning is shared, where they run."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from enum import StrEnum
from pathlib import Path

from her_arc.errors import check as _check
from her_arc.search.config import SearchConfig


class LearnMode(StrEnum):
    """How the searches learn from their relabeled programs."""

    PER_TASK = "per-task"
    """each search trains its own adapter on its own examples (the search's default)"""
    SHARED = "shared"
    """every round, the examples of all unsolved tasks train one adapter that every task samples with next round"""
    OFF = "off"
    """no learning: the same model every epoch (the sampling-only ablation)"""


ENGINES = ("per-task", "shared")
"""``SolveConfig.engine`` besides a server's URL."""


@dataclass
class SolveConfig:
    """What ``her-arc solve`` runs and how."""

    out: str | None = field(default=None, metadata={"metavar": "DIR"})
    """the output directory: one result per task in tasks/, submission.json, summary.md, index.html, the runs"""
    workers: int = 1
    """searches run at once, each in its own process (or Ray task)"""
    learn: LearnMode = field(default=LearnMode.PER_TASK, metadata={"choices": tuple(m.value for m in LearnMode)})
    """per-task (one adapter per task), shared (one adapter trained on every task's examples each round) or off"""
    max_epochs: int = 4
    """epochs per task (in shared mode: rounds)"""
    time_budget_s: float | None = None
    """no new epoch of a task starts once its search has run this many seconds"""
    task_timeout_s: float | None = None
    """wall-clock limit of one task's process; past it the task is killed and recorded as a timeout"""
    seed: int = 0
    """the seed of every search"""
    model: str | None = None
    """a Hugging Face causal LM directory (default: the shipped painter)"""
    threads: int = 1
    """torch CPU threads per search"""
    limit: int | None = None
    """solve this many of the tasks, a random sample fixed by the sample seed (default: all)"""
    sample_seed: int = 0
    """seed of the random sample of limit tasks"""
    shared_examples: int = 512
    """relabeled examples the shared adapter trains on per round at most, an equal share from each task"""
    retries: int = 1
    """runs again of a task whose process died (killed, out of memory) before it wrote its result"""
    ray: str | None = field(default=None, metadata={"metavar": "ADDRESS"})
    """run each task as a Ray task on the cluster at this address (local: start a cluster on this machine)"""
    cpus_per_task: float = field(default=1.0, metadata={"metavar": "CPUS"})
    """CPUs a Ray task declares"""
    gpus_per_task: float = field(default=0.0, metadata={"metavar": "GPUS"})
    """GPUs a Ray task declares"""
    engine: str = field(default="per-task", metadata={"metavar": "ENGINE"})
    """per-task (each search samples with its own model), shared (one vLLM server for the run, every task's adapter
    loaded into it) or the URL of a running vLLM server to share"""
    search: SearchConfig = field(default_factory=SearchConfig, metadata={"cli": False})
    """the settings of every search besides those above (Python API)"""

    def __post_init__(self):
        self.learn = LearnMode(self.learn)
        _check(self.workers >= 1, "workers", f"must be at least 1, got {self.workers}")
        _check(self.max_epochs >= 1, "max_epochs", f"must be at least 1, got {self.max_epochs}")
        _check(self.time_budget_s is None or self.time_budget_s > 0, "time_budget_s",
               f"must be positive seconds, got {self.time_budget_s}")
        _check(self.task_timeout_s is None or self.task_timeout_s > 0, "task_timeout_s",
               f"must be positive seconds, got {self.task_timeout_s}")
        _check(self.threads >= 1, "threads", f"must be at least 1, got {self.threads}")
        _check(self.limit is None or self.limit >= 1, "limit", f"must be at least 1, got {self.limit}")
        _check(self.shared_examples >= 1, "shared_examples", f"must be at least 1, got {self.shared_examples}")
        _check(self.retries >= 0, "retries", f"must be 0 or more, got {self.retries}")
        _check(self.cpus_per_task > 0, "cpus_per_task", f"must be positive, got {self.cpus_per_task}")
        _check(self.engine in ENGINES or self.engine.startswith(("http://", "https://")), "engine",
               f"must be per-task, shared or the http:// address of a vLLM server, got {self.engine!r}")
        _check(self.engine == "per-task" or self.search.sample.backend in ("auto", "server"), "engine",
               f"a shared engine samples for every search; the search's backend {self.search.sample.backend!r} "
               "would not use it")
        _check(self.gpus_per_task >= 0, "gpus_per_task", f"must be 0 or more, got {self.gpus_per_task}")

    def to_dict(self) -> dict:
        """JSON-ready settings (the search's nested)."""
        from dataclasses import asdict

        data = asdict(self)
        data["learn"] = self.learn.value
        data["search"] = self.search.to_dict()
        return data

    def search_config(self, name: str, *, epochs: int | None = None, adapter_dir: str | None = None,
                      server_url: str | None = None) -> SearchConfig:
        """The settings of task ``name``'s search (its run directory under ``out/runs``); ``epochs`` and
        ``adapter_dir`` are one shared-learning round's, ``server_url`` the shared engine's."""
        shared = self.learn is LearnMode.SHARED
        learn = replace(self.search.learn, enabled=self.learn is LearnMode.PER_TASK, export_examples=shared,
                        adapter_dir=adapter_dir if shared else None)
        run = replace(self.search.run, run_dir=str(Path(self.out, "runs", name)), resume=True, plots=False,
                      num_threads=self.threads)
        sample = self.search.sample
        if server_url:
            sample = replace(sample, backend="server", server_url=server_url)
        return replace(self.search, model=self.model or self.search.model, sample=sample,
                       max_epochs=epochs or self.max_epochs, time_budget_s=self.time_budget_s, seed=self.seed,
                       learn=learn, run=run)


__all__ = ["ENGINES", "LearnMode", "SolveConfig"]
