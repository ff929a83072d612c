"""The search: sample programs, run them, relabel what they drew, learn from it, repeat.

One epoch, as in the reference (hindsight experience replay for program synthesis)::

    sample -> execute -> score -> filter -> simplify -> relabel -> select -> fine-tune the adapter

The loop stops at the first program that reproduces every train output. Each stage is a plain
function (see :mod:`her_arc.relabel`); this module composes them, keeps the clock, and writes the
run directory so a stopped search resumes from its last finished epoch.
"""

from __future__ import annotations

import json
import os
import random
import time
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path

import numpy as np

from her_arc import relabel as her
from her_arc.painter import grid_encoding, resolve_model_dir
from her_arc.prompt import encode_completion, encode_task
from her_arc.tasks import Task, load_task
from her_arc.training import AdapterConfig

DEFAULT_GROUPS: tuple[tuple[int, float], ...] = ((8, 0.1), (128, 0.9))
"""Samples per epoch as (count, temperature): a few near-greedy to exploit, many hot to explore."""


@dataclass
class SearchConfig:
    """Settings of one search; the defaults are the reference's best toy setting, tuned for a CPU."""

    model: str | None = None
    """a Hugging Face causal LM directory; ``None`` uses the shipped painter"""
    max_epochs: int = 30
    """give up after this many epochs"""
    groups: tuple[tuple[int, float], ...] = DEFAULT_GROUPS
    """(samples, temperature) drawn each epoch, all in one sampler call"""
    top_p: float = 0.95
    max_new_tokens: int | None = None
    """completion budget; ``None`` sizes it from the target (about 24 tokens per shape plus slack)"""
    backend: str = "auto"
    """sampler backend: ``auto`` (vLLM when usable), ``vllm`` or ``transformers``"""
    order: str = "worst_to_best"
    """training order of each epoch's examples: ``worst_to_best`` (closest drawings last) or ``shuffle``"""
    only_novel: bool = True
    """train each distinct output once over the whole search (prevents collapse onto old drawings)"""
    future: bool = False
    """HER "future" goals: also train on program prefixes and the canvases they draw"""
    max_examples_per_epoch: int | None = None
    """cap on relabeled examples trained per epoch (the best ones are kept); ``None``: no cap"""
    adapter: AdapterConfig = field(default_factory=AdapterConfig)
    """LoRA shape and per-epoch fine-tuning settings"""
    timeout_s: float = 1.0
    """wall-clock limit per program per call"""
    seed: int = 0
    num_threads: int | None = None
    """torch CPU threads for training; ``None``: torch's default"""
    run_dir: str | None = None
    """where the run is written; ``None``: ``runs/<task>-<time>``"""
    resume: bool = False
    """continue the run in ``run_dir`` from its last finished epoch"""
    plots: bool = True
    """write the accuracy curve and the best drawing per epoch as PNG"""
    max_model_len: int = 4096
    """the sampler's context length (prompt plus completion)"""

    def __post_init__(self):
        if self.max_epochs < 1:
            raise ValueError(f"max_epochs must be at least 1, got {self.max_epochs}")
        self.groups = tuple((int(n), float(t)) for n, t in self.groups)
        if not self.groups or any(n < 1 or t < 0 for n, t in self.groups):
            raise ValueError(f"groups must be (count >= 1, temperature >= 0) pairs, got {self.groups}")
        if self.order not in ("worst_to_best", "shuffle"):
            raise ValueError(f"order must be 'worst_to_best' or 'shuffle', got {self.order!r}")
        if self.backend not in ("auto", "vllm", "transformers"):
            raise ValueError(f"backend must be 'auto', 'vllm' or 'transformers', got {self.backend!r}")
        if not 0 < self.top_p <= 1:
            raise ValueError(f"top_p must be in (0, 1], got {self.top_p}")
        if self.timeout_s <= 0:
            raise ValueError(f"timeout_s must be positive, got {self.timeout_s}")
        if isinstance(self.adapter, dict):
            self.adapter = AdapterConfig(**self.adapter)

    @property
    def samples_per_epoch(self) -> int:
        return sum(n for n, _ in self.groups)

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> SearchConfig:
        known = {f.name for f in fields(cls)}
        unknown = set(data) - known
        if unknown:
            raise ValueError(f"unknown search settings: {sorted(unknown)}")
        return cls(**data)


@dataclass
class SearchResult:
    """What a search found and what it cost."""

    solved: bool
    program: str | None
    """the simplified program reproducing every train output (``None`` when unsolved)"""
    best_program: str | None
    """the closest program found (the solution when solved)"""
    best_accuracy: float
    accuracy_per_epoch: list[float]
    """best task accuracy of each epoch"""
    epochs: int
    samples: int
    tokens_generated: int
    tokens_trained: int
    sampling_s: float
    execution_s: float
    training_s: float
    wall_time_s: float
    run_dir: str
    test_outputs: list[list[list[int]]] | None = None
    """the solution applied to the task's test inputs, if it has any"""

    def to_dict(self) -> dict:
        return asdict(self)


def target_token_budget(task: Task, tokens_per_shape: int = 24, slack: int = 96) -> int:
    """A completion budget that fits one draw call per single-colour shape of the target (plus slack)."""
    from scipy import ndimage

    shapes = 0
    for inp, out in task.train:
        changed = (inp != out) if inp.shape == out.shape else np.ones(out.shape, bool)
        for color in np.unique(out[changed]):
            shapes += ndimage.label(changed & (out == color))[1]
    return slack + tokens_per_shape * max(shapes // max(len(task.train), 1), 1)


class _RunDir:
    """The files of one run, each written atomically."""

    def __init__(self, path: Path):
        self.path = path
        path.mkdir(parents=True, exist_ok=True)

    def write(self, name: str, text: str) -> None:
        tmp = self.path / f".{name}.tmp"
        tmp.write_text(text)
        os.replace(tmp, self.path / name)

    def append_epoch(self, record: dict) -> None:
        lines = self.epochs()
        lines.append(record)
        self.write("epochs.jsonl", "".join(json.dumps(r) + "\n" for r in lines))

    def epochs(self) -> list[dict]:
        path = self.path / "epochs.jsonl"
        if not path.is_file():
            return []
        return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def _default_run_dir(task: Task) -> Path:
    return Path("runs", f"{task.name or 'task'}-{time.strftime('%Y%m%d-%H%M%S')}")


def solve_task(task, config: SearchConfig | None = None, *, sampler=None, progress=None) -> SearchResult:
    """Search for a program that draws every train output of ``task``.

    ``task`` is a path to an ARC JSON file, a bundled task name (``"squares-25"``) or an in-memory
    task (dict or :class:`~her_arc.tasks.Task`). ``sampler`` lets a caller share one sampler across
    searches (it must have been built for the same model); ``progress`` is called with each
    epoch's record.
    """
    config = config or SearchConfig()
    task = load_task(task)
    model_dir = resolve_model_dir(config.model)
    run = _RunDir(Path(config.run_dir) if config.run_dir else _default_run_dir(task))
    previous = _check_resume(run, config)
    return _Search(task, config, model_dir, run, previous, sampler, progress).run()


def _check_resume(run: _RunDir, config: SearchConfig) -> list[dict]:
    epochs = run.epochs()
    if epochs and not config.resume:
        raise FileExistsError(
            f"{run.path} already holds a run; pass resume=True (--resume) to continue it or choose another run_dir"
        )
    if config.resume and epochs:
        saved = json.loads((run.path / "config.json").read_text())
        for key in ("model", "groups", "order", "only_novel", "future", "seed"):
            mine = json.loads(json.dumps(config.to_dict()[key]))
            if saved.get(key) != mine:
                raise ValueError(f"cannot resume {run.path}: {key} was {saved.get(key)!r}, now {mine!r}")
    return epochs


class _Search:
    def __init__(self, task: Task, config: SearchConfig, model_dir: Path, run: _RunDir, previous, sampler, progress):
        self.task, self.config, self.model_dir, self.run_dir = task, config, model_dir, run
        self.previous, self.progress = previous, progress
        self.inputs = [inp for inp, _ in task.train]
        self.targets = [out for _, out in task.train]
        self.encoding = grid_encoding(model_dir)
        self.prompt = encode_task(task.train, self.encoding)
        self.max_new_tokens = config.max_new_tokens or target_token_budget(task)
        self.rng = random.Random(config.seed)
        self.sampler = sampler
        self.own_sampler = sampler is None

    def run(self) -> SearchResult:
        from her_arc.programs import extract_program
        from her_arc.sandbox import ExecutorPool
        from her_arc.training import AdapterTrainer

        config = self.config
        if config.num_threads:
            import torch

            torch.set_num_threads(config.num_threads)
        start = time.perf_counter()
        run = self.run_dir
        run.write("config.json", json.dumps(config.to_dict(), indent=2))
        run.write("task.json", json.dumps(self.task.to_dict()))
        trainer = AdapterTrainer(self.model_dir, config.adapter)
        adapter_dir = run.path / "adapter"
        self.trainer_lora_config = trainer.model.peft_config["default"]
        state = self._restore(trainer, adapter_dir)
        clock = state["clock"]
        if self.sampler is None:
            self.sampler = self._make_sampler()
        best = state["best"]
        solution = None
        try:
            with ExecutorPool(timeout_s=config.timeout_s) as pool:
                for epoch in range(state["epoch"], config.max_epochs + 1):
                    t0 = time.perf_counter()
                    completions = self._sample(adapter_dir if trainer.epochs_trained else None, epoch)
                    t1 = time.perf_counter()
                    programs = [extract_program(c.text) for c in completions]
                    candidates, counts = self._execute(pool, programs)
                    clock["tokens_generated"] += sum(c.n_tokens for c in completions)
                    her.score(candidates, self.targets)
                    epoch_best = max(candidates, key=lambda c: c.accuracy, default=None)
                    correct = [c for c in candidates if c.accuracy == 1.0 and self._exact(c)]
                    if correct:
                        solution = self._simplify(pool, [min(correct, key=lambda c: len(c.program))])[0]
                    t2 = time.perf_counter()
                    clock["sampling_s"] += t1 - t0
                    clock["execution_s"] += t2 - t1
                    examples, stage_counts = ([], {}) if solution else self._examples(pool, candidates, state)
                    counts.update(stage_counts)
                    t3 = time.perf_counter()
                    clock["execution_s"] += t3 - t2
                    train = None
                    if examples and epoch < config.max_epochs:
                        train = trainer.train([(self._prompt_for(e), encode_completion(e.program)) for e in examples])
                        trainer.save(adapter_dir)
                        state["trained"].update(e.fingerprint for e in examples)
                        clock["tokens_trained"] += train.tokens
                    clock["training_s"] += time.perf_counter() - t3
                    clock["samples"] += len(completions)
                    if epoch_best and (best is None or epoch_best.accuracy > best["accuracy"]):
                        best = {"accuracy": epoch_best.accuracy, "program": epoch_best.program}
                    record = self._record(epoch, completions, candidates, epoch_best, counts, train, clock, start)
                    run.append_epoch(record)
                    run.write("state.json", json.dumps({"trained": sorted(state["trained"]), "best": best,
                                                        "clock": clock, "epochs_trained": trainer.epochs_trained}))
                    self._draw(epoch, epoch_best)
                    if self.progress:
                        self.progress(record)
                    if solution:
                        break
        finally:
            if self.own_sampler and self.sampler is not None:
                self.sampler.close()
        return self._finish(solution, best, clock, start)

    # -- stages -------------------------------------------------------------------------------

    def _make_sampler(self):
        from her_arc.sampling import SamplingConfig, make_sampler

        sampler = make_sampler(
            SamplingConfig(
                model=str(self.model_dir),
                backend=self.config.backend,
                groups=self.config.groups,
                top_p=self.config.top_p,
                max_new_tokens=self.max_new_tokens,
                seed=self.config.seed,
                max_model_len=self.config.max_model_len,
                max_lora_rank=max(self.config.adapter.lora_r, 8),
            )
        )
        sampler.check_lora_config(self.trainer_lora_config)
        return sampler

    def _sample(self, adapter_dir, epoch: int):
        [completions] = self.sampler.sample(
            [self.prompt], self.config.groups, adapter_dir=str(adapter_dir) if adapter_dir else None,
            seed=self.config.seed * 100_003 + epoch,
        )
        return completions

    def _execute(self, pool, programs):
        runnable = [p for p in programs if p is not None]
        results = pool.execute(runnable, self.inputs) if runnable else []
        counts = {"sampled": len(programs), "unparsable": len(programs) - len(runnable)}
        candidates = []
        for program, result in zip(runnable, results, strict=True):
            counts[result.status] = counts.get(result.status, 0) + 1
            if result.status == "ok":
                candidates.append(her.Candidate(program, list(result.outputs)))
        return candidates, counts

    def _exact(self, candidate) -> bool:
        return all(o.shape == t.shape and np.array_equal(o, t) for o, t in zip(candidate.outputs, self.targets))

    def _simplify(self, pool, candidates):
        from her_arc.programs import simplify_many

        simplified = simplify_many([c.program for c in candidates], self.inputs, pool, outputs=[c.outputs for c in candidates])
        return [her.Candidate(p, c.outputs, c.accuracy, c.fingerprint) for p, c in zip(simplified, candidates)]

    def _examples(self, pool, candidates, state):
        from her_arc.programs import nondeterministic

        counts = {"valid": len(candidates)}
        kept = her.drop_unchanged(candidates, self.inputs)
        counts["changed"] = len(kept)
        kept = her.keep_shortest_per_output(kept)
        counts["unique"] = len(kept)
        flaky = nondeterministic([c.program for c in kept], self.inputs, pool)
        kept = [c for c, bad in zip(kept, flaky) if not bad]
        counts["deterministic"] = len(kept)
        kept = self._simplify(pool, kept)
        examples = her.relabel(kept, self.inputs)
        if self.config.future:
            examples += self._future_examples(pool, kept)
        if self.config.only_novel:
            examples = her.keep_novel(examples, state["trained"])
        counts["novel"] = len(examples)
        examples = her.order_examples(examples, self.config.order, self.rng)
        if self.config.max_examples_per_epoch is not None:
            examples = sorted(examples, key=lambda e: e.accuracy)[-self.config.max_examples_per_epoch:] \
                if self.config.order == "worst_to_best" else examples[: self.config.max_examples_per_epoch]
        counts["trained"] = len(examples)
        return examples, counts

    def _future_examples(self, pool, kept):
        prefixes = [p for c in kept for p in her.future_prefixes(c.program)]
        if not prefixes:
            return []
        results = pool.execute(prefixes, self.inputs)
        extra = [her.Candidate(p, list(r.outputs)) for p, r in zip(prefixes, results) if r.status == "ok"]
        extra = her.keep_shortest_per_output(her.drop_unchanged(her.score(extra, self.targets), self.inputs))
        return her.relabel(extra, self.inputs)

    def _prompt_for(self, example: her.Example) -> str:
        return encode_task(list(zip(example.inputs, example.outputs)), self.encoding)

    # -- bookkeeping --------------------------------------------------------------------------

    def _restore(self, trainer, adapter_dir: Path) -> dict:
        clock = dict(samples=0, tokens_generated=0, tokens_trained=0, sampling_s=0.0, execution_s=0.0,
                     training_s=0.0, wall_time_s=0.0)
        state = {"epoch": 1, "trained": set(), "best": None, "clock": clock}
        if not self.previous:
            return state
        saved = json.loads((self.run_dir.path / "state.json").read_text())
        state.update(epoch=self.previous[-1]["epoch"] + 1, trained=set(saved["trained"]), best=saved["best"],
                     clock=saved["clock"])
        if saved["epochs_trained"] and adapter_dir.is_dir():
            trainer.load(adapter_dir)
            trainer.epochs_trained = saved["epochs_trained"]
        return state

    def _record(self, epoch, completions, candidates, epoch_best, counts, train, clock, start) -> dict:
        accuracies = [c.accuracy for c in candidates]
        clock["wall_time_s"] = self.previous[-1]["wall_time_s"] + (time.perf_counter() - start) \
            if self.previous else time.perf_counter() - start
        return {
            "epoch": epoch,
            "best_accuracy": epoch_best.accuracy if epoch_best else 0.0,
            "mean_accuracy": float(np.mean(accuracies)) if accuracies else 0.0,
            "best_program": epoch_best.program if epoch_best else None,
            "best_outputs": [o.tolist() for o in epoch_best.outputs] if epoch_best else None,
            "solved": any(c.accuracy == 1.0 and self._exact(c) for c in candidates),
            "counts": counts,
            "train_loss": train.loss if train else None,
            "tokens_trained_epoch": train.tokens if train else 0,
            **clock,
        }

    def _draw(self, epoch, epoch_best) -> None:
        if not self.config.plots:
            return
        from her_arc.plots import plot_run

        plot_run(self.run_dir.path, self.targets[0])

    def _finish(self, solution, best, clock, start) -> SearchResult:
        epochs = self.run_dir.epochs()
        test_outputs = None
        if solution is not None:
            self.run_dir.write("solution.py", solution.program + "\n")
            if self.task.test:
                from her_arc.sandbox import execute

                [result] = execute([solution.program], list(self.task.test))
                if result.status == "ok":
                    test_outputs = [o.tolist() for o in result.outputs]
        result = SearchResult(
            solved=solution is not None,
            program=solution.program if solution else None,
            best_program=solution.program if solution else (best or {}).get("program"),
            best_accuracy=1.0 if solution else (best or {}).get("accuracy", 0.0),
            accuracy_per_epoch=[e["best_accuracy"] for e in epochs],
            epochs=len(epochs),
            samples=clock["samples"],
            tokens_generated=clock["tokens_generated"],
            tokens_trained=clock["tokens_trained"],
            sampling_s=clock["sampling_s"],
            execution_s=clock["execution_s"],
            training_s=clock["training_s"],
            wall_time_s=clock["wall_time_s"],
            run_dir=str(self.run_dir.path),
            test_outputs=test_outputs,
        )
        self.run_dir.write("result.json", json.dumps(result.to_dict(), indent=2))
        return result
