"""The search: sample programs, run them, relabel what they drew, learn from it, repeat.

One epoch, as in the reference (hindsight experience replay for program synthesis)::

    sample -> execute -> score -> filter -> simplify -> relabel -> select -> fine-tune the adapter

The samples come from the task's own prompt and from refinement prompts (:mod:`her_arc.refine`): the best
canvases so far as inputs, a few missing shapes of the target as the goal, each continuation appended to the
program that drew its canvas; the patches that helped are then merged onto the best canvas. The loop stops at
the first program that reproduces every train output. Each stage is a plain function (see
:mod:`her_arc.relabel`); this module composes them, keeps the clock, and writes
the run directory so a stopped search resumes from its last finished epoch.
"""

from __future__ import annotations

import json
import random
import shutil
import time
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path

import numpy as np

from her_arc import relabel as her
from her_arc.files import write_text_atomic
from her_arc.painter import grid_encoding, resolve_model_dir
from her_arc.prompt import PROGRAM_START, encode_completion, encode_task, with_program_start
from her_arc.tasks import Task, load_task
from her_arc.training import AdapterConfig
from her_arc.views import completion_program, map_program, views

DEFAULT_GROUPS: tuple[tuple[int, float], ...] = ((8, 0.1), (32, 0.9))
"""Samples of the task's prompt per epoch as (count, temperature): a few near-greedy to exploit, more hot to
explore. The reference draws 8 + 128; here 96 of the same 136 per epoch go to refinement prompts (``refine`` x
``refine_goals`` windows x ``refine_samples``): on squares-25 (seed 0) that reached 0.97 in 4 epochs and 472
samples, against 0.99 in 4 epochs and 960 samples with 8 + 128 on the task and 128 on refinement."""


@dataclass
class SearchConfig:
    """Settings of one search; the defaults are the reference's best toy setting, tuned for a CPU."""

    model: str | None = None
    """a Hugging Face causal LM directory; ``None`` uses the shipped painter"""
    max_epochs: int = 30
    """give up after this many epochs"""
    groups: tuple[tuple[int, float], ...] = DEFAULT_GROUPS
    """(samples, temperature) drawn each epoch, all in one sampler call"""
    views: int = 1
    """dihedral views each prompt is asked in (1-8; see :mod:`her_arc.views`): the task's samples are split evenly
    over the first ``views`` turned or mirrored copies of the task (every group's count must divide by it) and
    refinement prompts take the views in turn; programs are mapped back to the task's frame. It raises painter
    v0.8's pass@8 on held-out tasks (0.79 from one view, 0.87 from 4, 0.84 from 8) but not the search's: with 8
    views squares-25 / 36 / 49 (seed 0) took 3 / 5 / 8 epochs against 3 / 5 / 6, the adapter learning in the
    task's own frame"""
    top_p: float = 0.95
    max_new_tokens: int | None = None
    """completion budget of the task's prompt; ``None`` sizes it from the target (24 tokens per shape plus 96), at
    most :data:`REFINE_TASK_SHAPES` shapes' worth while refinement is on: the painter does not end longer programs by
    itself, and large drawings come from refinement and merging. On squares-100 the 40 task samples of epoch 1 ran
    to a 2,496-token budget (100k tokens, 423 of the epoch's 432 s) and none parsed"""
    backend: str = "auto"
    """sampler backend: ``vllm``, ``transformers``, or ``auto``: vLLM on a CUDA GPU, transformers on a CPU. On
    2 CPU cores vLLM (merged adapters) sampled 1.4-1.8x faster but takes ~30 s to start, so it pays off only for
    searches of many epochs: pass ``vllm`` for those (benchmarks/results/sampling.md)"""
    order: str = "worst_to_best"
    """training order of each epoch's examples: ``worst_to_best`` (closest drawings last) or ``shuffle``"""
    only_novel: bool = True
    """train each distinct output once over the whole search (prevents collapse onto old drawings)"""
    future: bool = False
    """HER "future" goals: also train on program prefixes and the canvases they draw (with ``train_on``
    ``drawings`` or ``both``)"""
    compose: int = 64
    """programs per epoch made by running one sampled program's draws after another's (0: off); they are
    checked against the target and relabeled like sampled ones, teaching programs longer than pretraining's.
    On squares-12 (seed 0) the best accuracy within 7 epochs was 0.67 with 64, 0.50 without"""
    refine: int = 4
    """canvases refined per epoch (0: off): the best drawings found so far (by
    :func:`~her_arc.metrics.canvas_score`: cells right minus cells painted wrong; the blank input counts as one)
    become the inputs of new prompts, and what the painter writes for one is appended to the program that drew
    its canvas. With painter v0.3 it took squares-12 to solved in 4-5 epochs for seeds 0-2 (README)"""
    refine_goals: int = 6
    """prompts per refined canvas, each showing the target inside a different random window"""
    refine_max_shapes: int = 4
    """the target shapes a refinement window may hold (0: show the whole target): a painter pretrained on a few
    shapes reads a handful where it misreads dozens"""
    refine_samples: int = 4
    """samples per refinement prompt, at the temperature of the last of ``groups`` (``stepwise_temperature`` when
    ``refine_stepwise``)"""
    stepwise: int = 8
    """programs per epoch written a draw at a time on the task's prompt (0: off; :mod:`her_arc.stepwise`): after
    every line the painter is asked again with the canvas its lines drew as the input, so each line answers what is
    still missing; a program gets at most twice the target's shapes plus 4 lines. Each program is a candidate, each
    line a refinement step to train on. Must divide by ``views``"""
    stepwise_temperature: float = 0.5
    """sampling temperature of the lines written a draw at a time (``stepwise`` and ``refine_stepwise``)"""
    refine_stepwise: bool = False
    """write each refinement continuation a draw at a time too (``refine_samples`` chains per window, at most twice
    the window's shapes plus 4 lines), each line asked on the canvas drawn so far. Off by default: every line's
    prompt holds the whole canvas, which on large targets costs more time than the epochs it saves (squares-100,
    seed 0: see the README)"""
    merge: bool = True
    """each epoch, paste onto the best canvas so far every patch that raised the canvas it was drawn on (the
    change a refinement or a sampled program painted), largest gain first, keeping those that raise the score,
    and run the program made of their draws: separate refinements that each drew a few shapes right add up"""
    train_on: str = "steps"
    """what each epoch fine-tunes on: ``drawings`` (the reference's: the task's inputs -> what each program drew,
    the program), ``steps`` (each refinement step relabeled: the canvases it started from -> what its
    continuation drew on them, the continuation; the prompts the painter answers while refining) or ``both``.
    On squares-25 (seed 0, 64 examples per epoch) ``steps`` reached 0.92 in 3 epochs / 224 s; ``drawings`` (all
    examples) 0.58 in 2 / 257 s: its long programs made training and sampling 2-3x slower per epoch"""
    learn: bool = True
    """relabel and fine-tune each epoch; ``False`` is the sampling-only ablation (same model every epoch)"""
    max_examples_per_epoch: int | None = 64
    """cap on relabeled examples trained per epoch (the most accurate are kept); ``None``: no cap"""
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
        if self.train_on not in ("drawings", "steps", "both"):
            raise ValueError(f"train_on must be 'drawings', 'steps' or 'both', got {self.train_on!r}")
        if self.future and self.train_on == "steps":
            raise ValueError("future adds prefixes of whole drawings to the training data; it needs "
                             "train_on='drawings' or 'both', not 'steps'")
        if self.order not in ("worst_to_best", "shuffle"):
            raise ValueError(f"order must be 'worst_to_best' or 'shuffle', got {self.order!r}")
        if self.backend not in ("auto", "vllm", "transformers"):
            raise ValueError(f"backend must be 'auto', 'vllm' or 'transformers', got {self.backend!r}")
        views(self.views)
        if any(n % self.views for n, _ in self.groups):
            raise ValueError(f"views {self.views} must divide every group's sample count, got groups {self.groups}")
        if self.stepwise < 0 or self.stepwise % self.views or self.stepwise_temperature < 0:
            raise ValueError(f"stepwise must be 0 (off) or a number of programs that views {self.views} divides, with "
                             f"a temperature >= 0; got {self.stepwise} at {self.stepwise_temperature}")
        if not 0 < self.top_p <= 1:
            raise ValueError(f"top_p must be in (0, 1], got {self.top_p}")
        if self.compose < 0:
            raise ValueError(f"compose must be 0 (off) or a number of programs, got {self.compose}")
        if self.refine < 0 or self.refine_goals < 1 or self.refine_samples < 1 or self.refine_max_shapes < 0:
            raise ValueError(
                f"need refine >= 0 (0: off), refine_goals >= 1, refine_samples >= 1 and refine_max_shapes >= 0, "
                f"got {self.refine}, {self.refine_goals}, {self.refine_samples}, {self.refine_max_shapes}"
            )
        if self.max_examples_per_epoch is not None and self.max_examples_per_epoch < 1:
            raise ValueError(f"max_examples_per_epoch must be a positive cap or None, got "
                             f"{self.max_examples_per_epoch}")
        if self.timeout_s <= 0:
            raise ValueError(f"timeout_s must be positive, got {self.timeout_s}")
        if isinstance(self.adapter, dict):
            self.adapter = AdapterConfig(**self.adapter)

    @property
    def samples_per_epoch(self) -> int:
        """Samples of the task's own prompt per epoch."""
        return sum(n for n, _ in self.groups)

    @property
    def refine_samples_per_epoch(self) -> int:
        """Refinement samples per epoch: ``refine_goals`` windows per canvas, spread over the canvases known
        while there are fewer than ``refine``."""
        return self.refine * self.refine_goals * self.refine_samples

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


def token_budget(shapes: int, tokens_per_shape: int = 24, slack: int = 96) -> int:
    """A completion budget that fits one draw call per shape (about 24 tokens each) plus slack."""
    return slack + tokens_per_shape * max(shapes, 1)


REFINE_TASK_SHAPES = 16
"""Shapes the task's prompt is given room for while refinement draws the rest (``SearchConfig.max_new_tokens``)."""


def target_token_budget(task: Task, max_shapes: int | None = None) -> int:
    """The completion budget of a task: room to draw each single-colour shape of its target (at most
    ``max_shapes`` of them)."""
    shapes = target_shapes(task)
    return token_budget(shapes if max_shapes is None else min(shapes, max_shapes))


def target_shapes(task: Task) -> int:
    """Single-colour pieces the task's outputs add to its inputs, per train pair."""
    from scipy import ndimage

    shapes = 0
    for inp, out in task.train:
        changed = (inp != out) if inp.shape == out.shape else np.ones(out.shape, bool)
        for color in np.unique(out[changed]):
            shapes += ndimage.label(changed & (out == color))[1]
    return shapes // max(len(task.train), 1)


@contextmanager
def _timer(clock: dict, key: str):
    start = time.perf_counter()
    try:
        yield
    finally:
        clock[key] += time.perf_counter() - start


class _RunDir:
    """The files of one run, each written atomically."""

    def __init__(self, path: Path):
        self.path = path
        path.mkdir(parents=True, exist_ok=True)

    def write(self, name: str, text: str) -> None:
        write_text_atomic(self.path / name, text)

    def append_epoch(self, record: dict, upto: int) -> None:
        """Add ``record``, dropping any record of a later epoch left by a run killed mid-write."""
        lines = [r for r in self.epochs() if r["epoch"] < upto]
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


def _check_resume(run: _RunDir, config: SearchConfig) -> bool:
    """Whether to continue a run found in ``run``; refuses to overwrite one or to resume with other settings."""
    found = (run.path / "state.json").is_file()
    if found and not config.resume:
        raise FileExistsError(
            f"{run.path} already holds a run; pass resume=True (--resume) to continue it, or another run_dir"
        )
    if found:
        saved = json.loads((run.path / "config.json").read_text())
        for key in ("model", "groups", "order", "only_novel", "future", "compose", "merge", "train_on", "learn",
                    "seed", "views"):
            mine = json.loads(json.dumps(config.to_dict()[key]))
            if key in saved and saved[key] != mine:  # a key missing from an older run had its default
                raise ValueError(f"cannot resume {run.path}: {key} was {saved.get(key)!r}, now {mine!r}")
    return found


class _Search:
    def __init__(self, task: Task, config: SearchConfig, model_dir: Path, run: _RunDir, previous, sampler, progress):
        self.task, self.config, self.model_dir, self.run_dir = task, config, model_dir, run
        self.previous, self.progress = previous, progress
        self.inputs = [inp for inp, _ in task.train]
        self.targets = [out for _, out in task.train]
        self.encoding = grid_encoding(model_dir)
        self.task_views = views(config.views, [inp.shape for inp in self.inputs] + [out.shape for out in self.targets])
        self.prompts = [
            with_program_start(encode_task(v.apply_pairs(task.train), self.encoding)) for v in self.task_views
        ]
        self.shapes = target_shapes(task)
        self.max_new_tokens = config.max_new_tokens or target_token_budget(
            task, max_shapes=REFINE_TASK_SHAPES if config.refine else None)
        self.rng = random.Random(config.seed)
        self.elapsed_before = 0.0
        self.sampler = sampler
        self.own_sampler = sampler is None

    def run(self) -> SearchResult:
        from her_arc.sandbox import ExecutorPool
        from her_arc.training import AdapterTrainer

        if self.config.num_threads:
            import torch

            torch.set_num_threads(self.config.num_threads)
        self.start = time.perf_counter()
        self.run_dir.write("config.json", json.dumps(self.config.to_dict(), indent=2))
        self.run_dir.write("task.json", json.dumps(self.task.to_dict()))
        self.trainer = AdapterTrainer(self.model_dir, self.config.adapter)
        self.state = self._restore()
        if self.sampler is None:
            self.sampler = self._make_sampler()
        solution = None
        try:
            with ExecutorPool(timeout_s=self.config.timeout_s) as pool:
                for epoch in range(self.state["epoch"], self.config.max_epochs + 1):
                    solution = self._epoch(epoch, pool)
                    if solution:
                        break
        finally:
            if self.own_sampler and self.sampler is not None:
                self.sampler.close()
        return self._finish(solution)

    def _epoch(self, epoch: int, pool) -> her.Candidate | None:
        """One epoch of the search; returns the solution if some program drew every target."""
        clock, config = self.state["clock"], self.config
        with _timer(clock, "sampling_s"):
            completions = self._sample(epoch)
            bases, continuations = self._sample_refinements(epoch)
            chains = self._sample_stepwise(epoch) if config.stepwise else []
        with _timer(clock, "execution_s"):
            sampled, counts = self._execute(pool, completions)
            steps = self._refine(pool, bases, continuations, counts) if bases else []
            if chains:
                written, lines = self._run_chains(pool, chains, counts)
                sampled, steps = sampled + written, steps + lines
            candidates = her.score(sampled, self.targets) + [c for _, _, c in steps]
            if config.compose:
                candidates += self._compose(pool, candidates, counts)
            self._update_elite(pool, candidates)
            if config.merge:
                merged = self._merge(pool, [(self.inputs, c.program, c) for c in sampled] + steps, counts)
                candidates += merged
                self._update_elite(pool, merged)
            solution = self._solution(pool, candidates)
            learn = config.learn and solution is None and epoch < config.max_epochs
            examples = self._examples(pool, candidates, steps, counts) if learn else []
        train = None
        if examples:
            with _timer(clock, "training_s"):
                train = self.trainer.train([(self._prompt_for(e), encode_completion(e.program)) for e in examples])
                adapter = self.trainer.save(self.run_dir.path / f"adapter-{epoch}")
            self.state["trained"].update(e.fingerprint for e in examples)
            self.state["adapter"] = adapter.name
            clock["tokens_trained"] += train.tokens
        clock["samples"] += len(completions) + sum(len(c) for c in continuations) + len(chains)
        clock["tokens_generated"] += sum(chain.n_tokens for chain, _ in chains)
        clock["tokens_generated"] += sum(c.n_tokens for c, _ in completions)
        clock["tokens_generated"] += sum(c.n_tokens for group in continuations for c in group)
        epoch_best = max(candidates, key=lambda c: c.accuracy, default=None)
        if epoch_best and epoch_best.accuracy > self.state["best"]["accuracy"]:
            self.state["best"] = {"accuracy": epoch_best.accuracy, "program": epoch_best.program}
        self._checkpoint(epoch, self._record(epoch, candidates, epoch_best, counts, train, solution))
        return solution

    # -- stages -------------------------------------------------------------------------------

    def _make_sampler(self):
        from her_arc.sampling import SamplingConfig, make_sampler

        sampler = make_sampler(
            SamplingConfig(
                model=str(self.model_dir),
                backend=self._backend(),
                groups=self.config.groups,
                top_p=self.config.top_p,
                max_new_tokens=self.max_new_tokens,
                seed=self.config.seed,
                max_model_len=self.config.max_model_len,
                max_lora_rank=max(self.config.adapter.lora_r, 8),
            )
        )
        sampler.check_lora_config(self.trainer.model.peft_config["default"])
        return sampler

    def _backend(self) -> str:
        if self.config.backend != "auto":
            return self.config.backend
        import torch

        return "vllm" if torch.cuda.is_available() else "transformers"

    def _adapter_dir(self) -> str | None:
        adapter = self.state.get("adapter")
        return str(self.run_dir.path / adapter) if adapter else None

    def _sample(self, epoch: int):
        """The task's samples, each with the view it was asked in."""
        groups = [(n // len(self.task_views), t) for n, t in self.config.groups]
        by_view = self.sampler.sample(
            self.prompts, groups, adapter_dir=self._adapter_dir(), seed=self.config.seed * 100_003 + epoch
        )
        return [(c, v) for v, group in zip(self.task_views, by_view, strict=True) for c in group]

    def _sample_refinements(self, epoch: int):
        """Prompts from the elite's drawings toward subgoals; returns each prompt's base entry and completions."""
        from her_arc.refine import subgoal

        bases, asked = [], []
        elite = self.state["elite"][: self.config.refine]
        for k in range(self.config.refine * self.config.refine_goals if elite else 0):
            base = elite[k % len(elite)]  # fewer canvases than ``refine`` (the first epochs): more windows each
            view = self.task_views[k % len(self.task_views)]
            canvases = [np.array(o) for o in base["outputs"]]
            goals = subgoal(canvases, self.targets, self.rng, self.config.refine_max_shapes)
            bases.append((base, view))
            asked.append(view.apply_pairs(zip(canvases, goals, strict=True)))
        if not asked:
            return [], []
        seed = self.config.seed * 100_003 + epoch + 50_000
        if self.config.refine_stepwise:
            shapes = self.config.refine_max_shapes or self.shapes
            chains = self._stepwise(asked, self.config.refine_samples, 2 * shapes + 4, seed)
            return bases, [[chain.as_completion() for chain in own] for own in chains]
        completions = self.sampler.sample(
            [with_program_start(encode_task(pairs, self.encoding)) for pairs in asked],
            [(self.config.refine_samples, self.config.groups[-1][1])],
            adapter_dir=self._adapter_dir(),
            seed=seed,
            max_new_tokens=self._refine_token_budget(),
        )
        return bases, completions

    def _sample_stepwise(self, epoch: int):
        """Programs written a draw at a time on the task's prompt, spread over the views: (chain, view) pairs."""
        chains = self._stepwise([v.apply_pairs(self.task.train) for v in self.task_views],
                                self.config.stepwise // len(self.task_views), 2 * self.shapes + 4,
                                self.config.seed * 100_003 + epoch + 70_000)
        return [(chain, view) for view, own in zip(self.task_views, chains, strict=True) for chain in own]

    def _stepwise(self, asked, n: int, max_draws: int, seed: int):
        """``n`` chains per list of (canvas, goal) pairs, written a draw at a time with the current adapter."""
        from her_arc.stepwise import StepwiseConfig, StepwiseTask, sample_stepwise

        return sample_stepwise(self.sampler, [StepwiseTask(pairs) for pairs in asked], n,
                               self.config.stepwise_temperature, self.encoding, StepwiseConfig(max_draws=max_draws),
                               seed=seed, adapter_dir=self._adapter_dir())

    def _run_chains(self, pool, chains, counts) -> tuple[list[her.Candidate], list[tuple]]:
        """Each stepwise program in the task's frame as a candidate, and each of its lines as a refinement step
        (the canvases it started from, the line as a continuation, the candidate drawn so far)."""
        from dsl.sampler import run_draws
        from her_arc.draws import parse_draw

        shape = self.inputs[0].shape
        programs = [map_program(chain.program, view, shape) for chain, view in chains]
        written = her.score(self._run_ok(pool, programs), self.targets)
        steps = []
        for candidate in written:
            lines = candidate.program.split("\n")[1:-1]
            canvases = list(self.inputs)
            for k, line in enumerate(lines):
                after = [run_draws([parse_draw(line)], c) for c in canvases]
                prefix = "\n".join([PROGRAM_START, *lines[: k + 1], "    return img"])
                steps.append((canvases, f"{PROGRAM_START}\n{line}\n    return img", her.Candidate(prefix, after)))
                canvases = after
        her.score([c for _, _, c in steps], self.targets)
        counts["stepwise"] = len(chains)
        counts["stepwise_exact"] = sum(chain.stop == "exact" for chain, _ in chains)
        counts["stepwise_lines"] = len(steps)
        return written, steps

    def _refine_token_budget(self) -> int:
        """Room for twice the shapes a refinement window holds: a continuation rambling past that is not
        drawing them, and the longest row of a batch sets its sampling time."""
        if not self.config.refine_max_shapes:
            return self.max_new_tokens
        return min(self.max_new_tokens, token_budget(2 * self.config.refine_max_shapes))

    def _refine(self, pool, bases, continuations, counts) -> list[tuple]:
        """Run each continuation after its base's program; returns the refinement steps that ran, each as
        (the canvases it started from, the continuation, the refined candidate)."""
        programs, sources = [], {}  # a program is its base's program + a continuation: it names its source
        counts["refine_sampled"] = sum(len(group) for group in continuations)
        for (base, view), group in zip(bases, continuations, strict=True):
            canvases = [np.array(o) for o in base["outputs"]]
            for c in group:
                continuation, _ = completion_program(c.text, view, self.inputs[0].shape)
                program = her.append_draws(base["program"], continuation) if continuation else None
                if program is not None:
                    programs.append(program)
                    sources[program] = (canvases, continuation)
        steps = [(*sources[c.program], c) for c in self._run_ok(pool, programs)]
        counts["refined"] = len(steps)
        her.score([c for _, _, c in steps], self.targets)
        return steps

    def _merge(self, pool, steps, counts) -> list[her.Candidate]:
        """The best canvas so far with every patch of this epoch's ``steps`` (canvases, continuation, candidate)
        pasted on it that raises its score, drawn by one program."""
        from her_arc.refine import greedy_merge, patch_of

        patches = [patch_of(continuation, before, c.outputs, self.inputs, self.targets)
                   for before, continuation, c in steps if her.is_straight_line(continuation)]
        start = self.state["elite"][0] if self.state["elite"] else self._blank_canvas()
        accepted = greedy_merge([np.array(o) for o in start["outputs"]], [p for p in patches if p is not None],
                                self.inputs, self.targets)
        counts["merge_patches"] = len(accepted)
        program = start["program"]
        for patch in accepted:
            program = her.append_draws(program, patch.continuation)
        merged = self._run_ok(pool, [program]) if accepted and program else []
        counts["merged"] = len(merged)
        return her.score(merged, self.targets)

    def _run_ok(self, pool, programs: list[str]) -> list[her.Candidate]:
        """The programs that run ``ok`` on the task's inputs, with what they drew."""
        results = pool.execute(programs, self.inputs) if programs else []
        return [her.Candidate(p, list(r.outputs)) for p, r in zip(programs, results, strict=True) if r.status == "ok"]

    def _blank_canvas(self) -> dict:
        """The task's inputs as an elite entry: refinement from them draws the first shapes."""
        from her_arc.metrics import task_accuracy, task_canvas_score
        from her_arc.programs import output_fingerprint

        return {"program": "def task(img):\n    return img", "accuracy": task_accuracy(self.inputs, self.targets),
                "fingerprint": output_fingerprint(self.inputs), "outputs": [i.tolist() for i in self.inputs],
                "canvas_score": task_canvas_score(self.inputs, self.inputs, self.targets)}

    def _update_elite(self, pool, candidates) -> None:
        """Keep the ``refine`` straight-line drawings found so far (distinct, not the input) with the best canvas
        score, each drawn by its simplified program so that refinements extend the shortest version."""
        from her_arc.metrics import task_canvas_score

        if not self.config.refine:
            return
        elite = {e["fingerprint"]: e for e in self.state["elite"]}
        kept_before = set(elite)
        for c in her.drop_unchanged(candidates, self.inputs):
            if c.fingerprint not in elite and her.is_straight_line(c.program):
                elite[c.fingerprint] = {"program": c.program, "accuracy": c.accuracy, "fingerprint": c.fingerprint,
                                        "outputs": [o.tolist() for o in c.outputs],
                                        "canvas_score": task_canvas_score(c.outputs, self.inputs, self.targets)}
        ranked = sorted(elite.values(), key=lambda e: (-e["canvas_score"], -e["accuracy"], len(e["program"])))
        ranked = ranked[: self.config.refine]
        fresh = [e for e in ranked if e["fingerprint"] not in kept_before]
        if fresh:
            shorter = self._simplify(pool, [her.Candidate(e["program"], [np.array(o) for o in e["outputs"]])
                                            for e in fresh])
            for e, c in zip(fresh, shorter, strict=True):
                if her.is_straight_line(c.program):
                    e["program"] = c.program
        self.state["elite"] = ranked

    def _execute(self, pool, completions):
        programs = [completion_program(c.text, view, self.inputs[0].shape) for c, view in completions]
        runnable = [p for p, _ in programs if p is not None]
        results = pool.execute(runnable, self.inputs) if runnable else []
        counts = {"sampled": len(programs), "unparsable": sum(why == "unparsable" for _, why in programs)}
        if len(self.task_views) > 1:
            counts["unmappable"] = sum(why == "unmappable" for _, why in programs)
        candidates = []
        for program, result in zip(runnable, results, strict=True):
            counts[result.status] = counts.get(result.status, 0) + 1
            if result.status == "ok":
                candidates.append(her.Candidate(program, list(result.outputs)))
        return candidates, counts

    def _compose(self, pool, candidates, counts) -> list[her.Candidate]:
        programs = her.compositions(her.drop_unchanged(candidates, self.inputs), self.config.compose, self.rng)
        composed = self._run_ok(pool, programs)
        counts["composed"] = len(composed)
        return her.score(composed, self.targets)

    def _exact(self, candidate) -> bool:
        return all(
            o.shape == t.shape and np.array_equal(o, t) for o, t in zip(candidate.outputs, self.targets, strict=False)
        )

    def _solution(self, pool, candidates) -> her.Candidate | None:
        correct = [c for c in candidates if c.accuracy == 1.0 and self._exact(c)]
        if not correct:
            return None
        return self._simplify(pool, [min(correct, key=lambda c: len(c.program))])[0]

    def _simplify(self, pool, candidates):
        from her_arc.programs import simplify_many

        simplified = simplify_many(
            [c.program for c in candidates], self.inputs, pool, outputs=[c.outputs for c in candidates]
        )
        return [
            her.Candidate(p, c.outputs, c.accuracy, c.fingerprint) for p, c in zip(simplified, candidates, strict=False)
        ]

    def _examples(self, pool, candidates, steps, counts) -> list[her.Example]:
        """filter -> simplify -> relabel -> select, counting what survives each stage."""
        from her_arc.programs import nondeterministic

        kept = her.drop_unchanged(candidates, self.inputs)
        counts["changed"] = len(kept)
        kept = her.keep_shortest_per_output(kept)
        counts["unique"] = len(kept)
        flaky = nondeterministic([c.program for c in kept], self.inputs, pool)
        kept = [c for c, bad in zip(kept, flaky, strict=True) if not bad]
        counts["deterministic"] = len(kept)
        examples = []
        if self.config.train_on in ("drawings", "both"):
            examples += her.relabel(self._simplify(pool, kept), self.inputs)
            if self.config.future:
                examples += self._future_examples(pool, kept)
        if self.config.train_on in ("steps", "both"):
            examples += her.relabel_continuations(steps)
        if self.config.only_novel:
            examples = her.keep_novel(examples, self.state["trained"])
        counts["novel"] = len(examples)
        examples = her.order_examples(examples, self.config.order, self.rng)
        examples = her.keep_most_accurate(examples, self.config.max_examples_per_epoch)
        counts["trained"] = len(examples)
        return examples

    def _future_examples(self, pool, kept):
        prefixes = [p for c in kept for p in her.future_prefixes(c.program)]
        extra = self._run_ok(pool, prefixes)
        extra = her.keep_shortest_per_output(her.drop_unchanged(her.score(extra, self.targets), self.inputs))
        return her.relabel(extra, self.inputs)

    def _prompt_for(self, example: her.Example) -> str:
        return encode_task(list(zip(example.inputs, example.outputs, strict=False)), self.encoding)

    # -- bookkeeping --------------------------------------------------------------------------

    def _restore(self) -> dict:
        clock = dict(
            samples=0,
            tokens_generated=0,
            tokens_trained=0,
            sampling_s=0.0,
            execution_s=0.0,
            training_s=0.0,
            wall_time_s=0.0,
        )
        state = {
            "epoch": 1,
            "trained": set(),
            "best": {"accuracy": float("-inf"), "program": None},
            "clock": clock,
            "adapter": None,
            "epochs_trained": 0,
            "elite": [self._blank_canvas()] if self.config.refine else [],
        }
        if not self.previous:
            return state
        saved = json.loads((self.run_dir.path / "state.json").read_text())
        state.update(saved, trained=set(saved["trained"]), epoch=saved["epoch"] + 1)
        self.elapsed_before = saved["clock"]["wall_time_s"]
        if state["adapter"]:
            self.trainer.load(self.run_dir.path / state["adapter"])
            self.trainer.epochs_trained = state["epochs_trained"]
        return state

    def _checkpoint(self, epoch: int, record: dict) -> None:
        """Persist one finished epoch: state first (it names the adapter), then the epoch log, then plots."""
        self.state["clock"]["wall_time_s"] = self.elapsed_before + time.perf_counter() - self.start
        record.update(self.state["clock"])
        state = {
            **self.state,
            "epoch": epoch,
            "trained": sorted(self.state["trained"]),
            "epochs_trained": self.trainer.epochs_trained,
        }
        self.run_dir.write("state.json", json.dumps(state))
        self.run_dir.append_epoch(record, upto=epoch)
        for old in self.run_dir.path.glob("adapter-*"):
            if old.name != self.state["adapter"]:
                shutil.rmtree(old, ignore_errors=True)
        if self.config.plots:
            from her_arc.plots import plot_run

            plot_run(self.run_dir.path, self.targets[0])
        if self.progress:
            self.progress(record)

    def _record(self, epoch, candidates, epoch_best, counts, train, solution) -> dict:
        accuracies = [c.accuracy for c in candidates]
        return {
            "epoch": epoch,
            "best_accuracy": epoch_best.accuracy if epoch_best else 0.0,
            "mean_accuracy": float(np.mean(accuracies)) if accuracies else 0.0,
            "best_program": epoch_best.program if epoch_best else None,
            "best_outputs": [o.tolist() for o in epoch_best.outputs] if epoch_best else None,
            "solved": solution is not None,
            "counts": counts,
            "train_loss": train.loss if train else None,
            "tokens_trained_epoch": train.tokens if train else 0,
        }

    def _finish(self, solution) -> SearchResult:
        epochs = self.run_dir.epochs()
        clock, best = self.state["clock"], self.state["best"]
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
            best_program=solution.program if solution else best["program"],
            best_accuracy=1.0 if solution else max(best["accuracy"], 0.0),
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
