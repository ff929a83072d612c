"""The search: sample programs, run them, relabel what they produced, learn from it, repeat.

One epoch (docs/algorithm.md walks through it)::

    sample (model, grammar) -> execute -> refine -> stepwise -> compose -> fit -> elite -> merge -> solution?
    -> relabel -> train -> record

Each stage is a plain function in its own module of :mod:`her_arc.search`; this module composes them, keeps the
clock, and writes the run directory so that a stopped search resumes from its last finished epoch.
"""

from __future__ import annotations

import json
import random
import time
from contextlib import contextmanager
from dataclasses import asdict, dataclass, replace
from pathlib import Path

import numpy as np

from her_arc.lm.prompt import encode_completion, encode_task
from her_arc.metrics import task_accuracy
from her_arc.painter import grid_encoding, resolve_model_dir
from her_arc.programs.views import views as dihedral_views
from her_arc.search import execute, leaders, merge, refine, relabel, sample, stepwise
from her_arc.search.config import SearchConfig
from her_arc.search.rundir import RunDir, check_resume, default_run_dir
from her_arc.search.types import Candidate, EpochCounts, Example, RunState, Step
from her_arc.tasks import Task, load_task


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
    """programs the model wrote"""
    tokens_generated: int
    tokens_trained: int
    sampling_s: float
    execution_s: float
    training_s: float
    wall_time_s: float
    run_dir: str
    grammar_programs: int = 0
    """programs drawn from the DSL's grammar (``sample.grammar``), beside the model's"""
    test_outputs: list[list[list[int]]] | None = None
    """the solution applied to the task's test inputs, if it has any"""
    attempts: list[list[list[list[int]]]] | None = None
    """per test input, up to 2 ranked answers (ARC Prize's attempts): the outputs of the best programs found, by
    train pairs right, then shortness; ``None`` for a task without test inputs"""
    pairs_right: int = 0
    """train pairs the best program reproduces exactly"""
    n_pairs: int = 0
    """train pairs of the task"""
    baselines: dict[str, float] | None = None
    """pixel accuracy of trivial answers beside ``best_accuracy``: ``background`` (all-0 grids of the targets'
    shapes) and ``identity`` (the inputs unchanged)"""
    model_skipped: str | None = None
    """why the model was never asked (its prompt does not fit its context) and the grammar searched alone; ``None``
    when the model sampled"""

    def to_dict(self) -> dict:
        return asdict(self)


def solve_task(task, config: SearchConfig | None = None, *, sampler=None, progress=None) -> SearchResult:
    """Search for a program that reproduces every train output of ``task``.

    ``task`` is a path to an ARC JSON file, a bundled task name (``"squares-25"``) or an in-memory task (dict or
    :class:`~her_arc.tasks.Task`). The run is written to ``config.run.run_dir`` (default:
    ``runs/<task>__seed<seed>__<time>`` under the working directory). ``sampler`` lets a caller share one sampler
    across searches (built for the same model); ``progress`` is called with each epoch's record.
    """
    from her_arc.arc.metric import hide_test_outputs

    config = config or SearchConfig()
    task = hide_test_outputs(load_task(task))  # the search never sees a test output
    model_dir = resolve_model_dir(config.model)
    path = Path(config.run.run_dir) if config.run.run_dir else default_run_dir(task.name, config.seed)
    config = replace(config, run=replace(config.run, run_dir=str(path)))
    run = RunDir(path)
    resumed = check_resume(run, config)
    return Search(task, config, model_dir, run, resumed, sampler, progress).run()


@contextmanager
def _timer(clock, key: str):
    start = time.perf_counter()
    try:
        yield
    finally:
        setattr(clock, key, getattr(clock, key) + time.perf_counter() - start)


class Search:
    """One search on one task: the loop over epochs and the state it carries between them."""

    def __init__(self, task: Task, config: SearchConfig, model_dir: Path, run: RunDir, resumed: bool, sampler,
                 progress):
        self.task, self.config, self.model_dir, self.run_dir = task, config, model_dir, run
        self.resumed, self.progress = resumed, progress
        self.inputs = [inp for inp, _ in task.train]
        self.targets = [out for _, out in task.train]
        self.encoding = grid_encoding(model_dir)
        self.views = dihedral_views(config.sample.views,
                                    [inp.shape for inp in self.inputs] + [out.shape for out in self.targets])
        self.prompts = sample.task_prompts(task, self.views, self.encoding)
        self.shapes = sample.target_shapes(task)
        self.max_new_tokens = config.sample.max_new_tokens or sample.target_token_budget(
            task, max_shapes=sample.REFINE_TASK_SHAPES if config.refine.canvases else None)
        self.rng = random.Random(config.seed)
        self.sampler, self.own_sampler = sampler, sampler is None
        self.trainer = None
        self.relabel = relabel.resolve(config.learn.relabel, self.inputs)
        self.reads_input = relabel.reads_input(self.inputs)
        self.model_skipped: str | None = None  # set by run(): why the model is not asked on this task
        self.baselines = {"background": task_accuracy([np.zeros_like(t) for t in self.targets], self.targets),
                          "identity": task_accuracy(self.inputs, self.targets)}

    def run(self) -> SearchResult:
        from her_arc.sandbox import ExecutorPool

        if self.config.run.num_threads:
            import torch

            torch.set_num_threads(self.config.run.num_threads)
        self.start = time.perf_counter()
        self.run_dir.write_config(self.config)
        self.run_dir.write("task.json", json.dumps(self.task.to_dict()))
        if self.config.learn.enabled:
            from her_arc.lm.training import AdapterTrainer

            self.trainer = AdapterTrainer(self.model_dir, self.config.learn.adapter, seed=self.config.seed)
        self.state = self._restore()
        self.elapsed_before = self.state.clock.wall_time_s
        if self.sampler is None:
            self.sampler = self._make_sampler()
        self.model_skipped = self._check_model_reads()
        solution = Candidate(self.state.solution, []) if self.state.solution else None
        try:
            with ExecutorPool(timeout_s=self.config.run.timeout_s) as pool:
                for epoch in range(self.state.epoch + 1, self.config.max_epochs + 1 if solution is None else 0):
                    if self._out_of_time():
                        break
                    solution = self.epoch(epoch, pool)
                    if solution:
                        break
        finally:
            if self.own_sampler and self.sampler is not None:
                self.sampler.close()
        return self._finish(solution)

    def epoch(self, epoch: int, pool) -> Candidate | None:
        """One epoch of the search; returns the solution if some program reproduced every target."""
        cfg, clock, counts = self.config, self.state.clock, EpochCounts()
        inputs, targets, adapter = self.inputs, self.targets, self._adapter()
        seeds = sample.epoch_seeds(cfg.seed, epoch)
        with _timer(clock, "sampling_s"):
            completions, bases, continuations, chains = (
                self._ask_model(seeds, adapter) if self.model_skipped is None else ([], [], [], []))
            drawn = (sample.grammar_programs(inputs, cfg.sample.grammar, seed=seeds["grammar"])
                     if self.reads_input else [])
        with _timer(clock, "execution_s"):
            sampled, statuses = execute.execute_completions(pool, completions, inputs)
            grammar = relabel.score(execute.run_ok(pool, drawn, inputs), targets) if drawn else []
            refined = refine.run_refinements(pool, bases, continuations, inputs, targets) if bases else []
            written, lines = stepwise.run_chains(pool, chains, inputs, targets) if chains else ([], [])
            sampled, steps = sampled + written, refined + lines
            candidates = relabel.score(sampled, targets) + [s.candidate for s in steps] + grammar
            composed = (execute.compose(pool, candidates, cfg.sample.compose, self.rng, inputs, targets)
                        if cfg.sample.compose else [])
            candidates += composed
            fitted = execute.fit_colors(pool, candidates, inputs, targets) if cfg.refine.fit_colors else []
            candidates += fitted
            self._update_elite(pool, candidates)
            merged, patches = [], None
            if cfg.refine.merge:
                start = self.state.elite[0] if self.state.elite else refine.blank_canvas(inputs, targets)
                as_steps = [Step(inputs, c.program, c) for c in sampled] + steps
                merged, patches = merge.merge(pool, start, as_steps, inputs, targets)
                candidates += merged
                self._update_elite(pool, merged)
            solution = execute.solution(pool, candidates, inputs, targets)
            learn = cfg.learn.enabled and solution is None and epoch < cfg.max_epochs and self.model_skipped is None
            export = cfg.learn.export_examples and solution is None
            examples = self._examples(pool, candidates, steps, counts) if learn or export else []
        train = self._train(epoch, examples) if learn and examples else None
        if export:
            self._export(epoch, examples)

        counts.sampled, counts.unparsable = len(completions), statuses.pop("unparsable")
        unmappable = statuses.pop("unmappable")
        counts.unmappable = unmappable if len(self.views) > 1 else None  # a single view maps nothing
        counts.statuses = statuses
        if bases:
            counts.refine_sampled, counts.refined = sum(len(g) for g in continuations), len(refined)
        if chains:
            counts.stepwise, counts.stepwise_lines = len(chains), len(lines)
            counts.stepwise_exact = sum(chain.stop == "exact" for chain, _ in chains)
        if cfg.sample.compose:
            counts.composed = len(composed)
        if drawn:
            counts.grammar, counts.grammar_ran = len(drawn), len(grammar)
        if cfg.refine.fit_colors:
            counts.fitted = len(fitted)
        if cfg.refine.merge:
            counts.merge_patches, counts.merged = patches, len(merged)
        clock.samples += len(completions) + sum(len(c) for c in continuations) + len(chains)
        clock.grammar_programs += len(drawn)
        clock.tokens_generated += (sum(chain.n_tokens for chain, _ in chains) + sum(c.n_tokens for c, _ in completions)
                                   + sum(c.n_tokens for group in continuations for c in group))
        epoch_best = solution or max(candidates, key=lambda c: c.accuracy, default=None)
        if epoch_best and epoch_best.accuracy > self.state.best_accuracy:
            self.state.best_accuracy, self.state.best_program = epoch_best.accuracy, epoch_best.program
        self.state.leaders = leaders.update(self.state.leaders, ([solution] if solution else []) + candidates,
                                            targets)
        self.state.solution = solution.program if solution else None
        self._checkpoint(epoch, self._record(epoch, candidates, epoch_best, counts, train, solution))
        return solution

    def _ask_model(self, seeds: dict[str, int], adapter: str | None) -> tuple[list, list, list, list]:
        """The epoch's samples of the model: the task's prompt, refinements of the elite, stepwise programs."""
        cfg = self.config
        completions = sample.sample_task(self.sampler, self.prompts, self.views, cfg.sample.groups,
                                         seed=seeds["task"], adapter_dir=adapter)
        bases, prompts = refine.refinement_prompts(
            self.state.elite[: cfg.refine.canvases], self.targets, self.views, cfg.refine.canvases * cfg.refine.goals,
            cfg.refine.max_shapes, self.encoding, self.rng)
        continuations = sample.sample_refinements(
            self.sampler, prompts, cfg.refine.samples, cfg.refine.temperature, seed=seeds["refine"],
            adapter_dir=adapter, max_new_tokens=sample.refine_token_budget(self.max_new_tokens, cfg.refine.max_shapes))
        chains = stepwise.sample_programs(
            self.sampler, self.task.train, self.views, cfg.sample.stepwise, 2 * self.shapes + 4,
            cfg.sample.stepwise_temperature, self.encoding, seed=seeds["stepwise"], adapter_dir=adapter,
        ) if cfg.sample.stepwise else []
        return completions, bases, continuations, chains

    def _check_model_reads(self) -> str | None:
        """Why the model is not asked on this task (``None``: it is). A prompt longer than the model's context
        refuses the task, unless grammar programs can search it alone (a task that reads its input, grammar on)."""
        from her_arc.lm.sampling import PromptTooLongError

        try:
            sample.check_prompts_fit(self.sampler, self.prompts, self.max_new_tokens, self.task.name)
        except PromptTooLongError as exc:
            if not (self.reads_input and self.config.sample.grammar):
                raise
            return f"{exc}; searching with grammar programs alone"
        return None

    # -- stages that read or write the run state ---------------------------------------------------------

    def _update_elite(self, pool, candidates) -> None:
        if self.config.refine.canvases:
            self.state.elite = refine.update_elite(pool, self.state.elite, candidates, self.config.refine.canvases,
                                                   self.inputs, self.targets)

    def _examples(self, pool, candidates, steps, counts: EpochCounts) -> list[Example]:
        """filter -> relabel -> select -> simplify, counting what survives each stage."""
        from her_arc.programs import nondeterministic

        learn = self.config.learn
        kept = relabel.drop_unchanged(candidates, self.inputs)
        counts.changed = len(kept)
        kept = relabel.keep_shortest_per_output(kept)
        counts.unique = len(kept)
        flaky = nondeterministic([c.program for c in kept], self.inputs, pool)
        kept = [c for c, bad in zip(kept, flaky, strict=True) if not bad]
        counts.deterministic = len(kept)
        drawings = self.relabel is relabel.Relabel.DRAWINGS
        examples = relabel.relabel(kept, self.inputs) if drawings else relabel.relabel_steps(steps)
        if learn.only_novel:
            examples = relabel.keep_novel(examples, self.state.trained)
        counts.novel = len(examples)
        examples = relabel.keep_most_accurate(relabel.worst_to_best(examples), learn.max_examples)
        counts.trained = len(examples)
        # Simplifying keeps outputs and accuracy, so only the chosen few are simplified (not thousands of candidates).
        return execute.simplify(pool, examples, self.inputs) if drawings else examples

    def _train(self, epoch: int, examples: list[Example]):
        with _timer(self.state.clock, "training_s"):
            train = self.trainer.train(self._texts(examples))
            adapter = self.trainer.save(self.run_dir.path / f"adapter-{epoch}")
        self.state.trained.update(e.fingerprint for e in examples)
        self.state.adapter = adapter.name
        self.state.clock.tokens_trained += train.tokens
        return train

    def _texts(self, examples: list[Example]) -> list[tuple[str, str]]:
        """Relabeled examples as the (prompt, completion) texts the adapter trains on."""
        return [(encode_task(list(zip(e.inputs, e.outputs, strict=False)), self.encoding),
                 encode_completion(e.program)) for e in examples]

    def _export(self, epoch: int, examples: list[Example]) -> None:
        """Write the epoch's relabeled examples as (prompt, completion) texts for a caller that trains on them."""
        self.run_dir.write(f"examples-{epoch}.json", json.dumps(self._texts(examples)))
        self.state.trained.update(e.fingerprint for e in examples)

    # -- bookkeeping --------------------------------------------------------------------------------------

    def _out_of_time(self) -> bool:
        budget = self.config.time_budget_s
        return budget is not None and self.elapsed_before + time.perf_counter() - self.start >= budget

    def _make_sampler(self):
        from her_arc.lm.sampling import SamplingConfig, make_sampler

        s = self.config.sample
        sampler = make_sampler(SamplingConfig(
            model=str(self.model_dir), backend=s.backend, server_url=s.server_url, groups=s.groups, top_p=s.top_p,
            max_new_tokens=self.max_new_tokens, seed=self.config.seed, max_model_len=s.max_model_len,
            gpu_memory_utilization=s.gpu_memory_utilization,
            max_lora_rank=max(self.config.learn.adapter.lora_r, 8)))
        if self.trainer is not None and self.config.learn.adapter.full:
            if sampler.backend != "transformers":
                sampler.close()
                raise ValueError(f"full fine-tuning (learn.adapter.full, --full) needs the transformers backend; "
                                 f"this search samples with {sampler.backend}: pass --backend transformers")
        elif self.trainer is not None:
            sampler.check_lora_config(self.trainer.model.peft_config["default"])
        return sampler

    def _adapter(self) -> str | None:
        if self.config.learn.adapter_dir:
            return self.config.learn.adapter_dir
        return str(self.run_dir.path / self.state.adapter) if self.state.adapter else None

    def _restore(self) -> RunState:
        if not self.resumed:
            return RunState(elite=[refine.blank_canvas(self.inputs, self.targets)] if self.config.refine.canvases
                            else [])
        state = self.run_dir.load_state()
        if state.adapter and self.trainer is not None:
            self.trainer.load(self.run_dir.path / state.adapter)
            self.trainer.epochs_trained = state.epochs_trained
        return state

    def _checkpoint(self, epoch: int, record: dict) -> None:
        """Persist one finished epoch: state first (it names the adapter), then the epoch log, then plots."""
        self.state.clock.wall_time_s = self.elapsed_before + time.perf_counter() - self.start
        record.update(asdict(self.state.clock))
        self.state.epoch = epoch
        self.state.epochs_trained = self.trainer.epochs_trained if self.trainer else 0
        self.run_dir.save_state(self.state)
        self.run_dir.append_epoch(record, upto=epoch)
        if self.config.run.plots:
            from her_arc.plots import plot_run

            plot_run(self.run_dir.path, self.inputs, self.targets)
        if self.progress:
            self.progress(record)

    def _record(self, epoch, candidates, epoch_best, counts: EpochCounts, train, solution) -> dict:
        accuracies = [c.accuracy for c in candidates]
        return {
            "epoch": epoch,
            "best_accuracy": epoch_best.accuracy if epoch_best else 0.0,
            "mean_accuracy": float(np.mean(accuracies)) if accuracies else 0.0,
            "best_program": epoch_best.program if epoch_best else None,
            "best_outputs": [o.tolist() for o in epoch_best.outputs] if epoch_best else None,
            "solved": solution is not None,
            "pairs_right": self.state.leaders[0].pairs_right if self.state.leaders else 0,
            "n_pairs": len(self.targets),
            "reads_input": self.reads_input,
            "model_skipped": self.model_skipped is not None,
            "counts": counts.to_dict(),
            "train_loss": train.loss if train else None,
            "tokens_trained_epoch": train.tokens if train else 0,
        }

    def _finish(self, solution) -> SearchResult:
        epochs = self.run_dir.epochs()
        clock, state = self.state.clock, self.state
        test_outputs = attempts = None
        if solution is not None:
            self.run_dir.write("solution.py", solution.program + "\n")
        if self.task.test:
            from her_arc.sandbox import execute as run_programs

            ranked = ([leaders.Leader(solution.program, len(self.targets), 1.0, "")] if solution else []) + [
                e for e in state.leaders if not solution or e.program != solution.program]
            results = run_programs([e.program for e in ranked], list(self.task.test))
            if solution is not None and results[0].status == "ok":
                test_outputs = [o.tolist() for o in results[0].outputs]
            attempts = leaders.attempts(ranked, results, len(self.task.test))
        result = SearchResult(
            solved=solution is not None,
            program=solution.program if solution else None,
            best_program=solution.program if solution else state.best_program,
            best_accuracy=1.0 if solution else max(state.best_accuracy, 0.0),
            accuracy_per_epoch=[e["best_accuracy"] for e in epochs],
            epochs=len(epochs),
            samples=clock.samples,
            grammar_programs=clock.grammar_programs,
            tokens_generated=clock.tokens_generated,
            tokens_trained=clock.tokens_trained,
            sampling_s=clock.sampling_s,
            execution_s=clock.execution_s,
            training_s=clock.training_s,
            wall_time_s=clock.wall_time_s,
            run_dir=str(self.run_dir.path),
            test_outputs=test_outputs,
            attempts=attempts,
            pairs_right=len(self.targets) if solution else (state.leaders[0].pairs_right if state.leaders else 0),
            n_pairs=len(self.targets),
            baselines=self.baselines,
            model_skipped=self.model_skipped,
        )
        self.run_dir.write("result.json", json.dumps(result.to_dict(), indent=2))
        return result
