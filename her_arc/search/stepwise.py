"""Execution-guided decoding: the painter writes a program one draw at a time, asked again on the canvas drawn so far.

Written in one go, a program of five overlapping shapes must keep count of what its earlier lines drew and what is
still missing, and the painter loses most of its misses there. Asked again after every line, with the canvas its
lines drew as each pair's input grid, it only ever answers the prompt it does best: the next shape of what is
still missing on a partly drawn canvas (the search's refinement prompt). A chain of lines stops when its canvases
are the targets, when the painter writes ``return img`` (or anything but a draw call), when its lines come back to
canvases they drew before, or after ``max_draws`` lines. Each line costs a prompt of its own, but asks for one
line only, and a step's prompts are sampled together (docs/experiments.md has the measurements).

In the search (:func:`sample_programs`, :func:`run_chains`) each finished program is a candidate and each of its lines
a refinement step to relabel. This stage draws only: on tasks whose programs must read their input, it is off.

Lines are read as data (:mod:`her_arc.programs.edit`) and only checked primitives are run on the canvases, so no text is
executed here; the finished programs are ordinary straight-line programs, run in the sandbox like any other.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from dsl.sampler import run_draws
from her_arc.lm.prompt import PROGRAM_START, encode_task, with_program_start
from her_arc.lm.sampling import Completion
from her_arc.programs.edit import NotADrawCall, parse_draw
from her_arc.programs.views import View, map_program
from her_arc.search.execute import run_ok
from her_arc.search.relabel import score
from her_arc.search.types import Candidate, Step

__all__ = ["Chain", "StepwiseConfig", "StepwiseTask", "run_chains", "sample_programs", "sample_stepwise"]

STOPS = ("exact", "return", "invalid", "repeat", "max_draws")
"""Why a chain stopped: it drew the targets, the painter ended the program, wrote something that is not a draw
call, drew canvases it had drawn before (its last lines undid themselves: on a target it cannot read, the painter
repaints the whole grid in turn with two colours), or used up ``max_draws``."""


@dataclass(frozen=True)
class StepwiseConfig:
    """How programs are written a line at a time."""

    max_draws: int = 10
    """the most draw lines in one program: a chain that has not drawn the targets by then stops there"""
    line_tokens: int = 32
    """token budget of one line, which ends at its newline: the longest draw line with two-digit coordinates is 27
    tokens of the painter's tokenizer"""

    def __post_init__(self):
        if self.max_draws < 1:
            raise ValueError(f"max_draws must be at least 1, got {self.max_draws}")
        if self.line_tokens < 8:
            raise ValueError(f"line_tokens must be at least 8 (a draw line needs about 20-28), got {self.line_tokens}")


@dataclass(frozen=True)
class StepwiseTask:
    """What a chain is written for: the (input, target) pairs, and test inputs the program will also run on."""

    pairs: Sequence[tuple[np.ndarray, np.ndarray]]
    test_inputs: Sequence[np.ndarray] = ()


@dataclass
class Chain:
    """One program being written: its draw lines, what they drew on each pair's and test input's grid, and why
    it stopped (``""`` while running; else one of :data:`STOPS`)."""

    canvases: list[np.ndarray]
    tests: list[np.ndarray]
    lines: list[str] = field(default_factory=list)
    stop: str = ""
    last_text: str = ""
    """the last completion the painter wrote (for an ``invalid`` stop: what it wrote instead of a draw)"""
    n_tokens: int = 0
    """tokens generated over all of the chain's steps"""
    temperature: float = 0.0
    seen: set = field(default_factory=set, repr=False)
    """the canvases drawn so far (as bytes), to notice a chain going round in circles"""

    def __post_init__(self):
        self.seen.add(_key(self))

    @property
    def program(self) -> str:
        """The lines as a complete program."""
        return "\n".join([PROGRAM_START, *(f"    {line}" for line in self.lines), "    return img"])

    def as_completion(self) -> Completion:
        """The program as the completion of a prompt ending in :data:`PROGRAM_START`, as a sampler returns it."""
        return Completion(self.program.removeprefix(PROGRAM_START), self.n_tokens, 0, self.temperature, "stop")


def _first_line(text: str) -> str:
    return next((line.strip() for line in text.split("\n") if line.strip()), "")


def _step(chain: Chain, completion, targets: Sequence[np.ndarray], config: StepwiseConfig) -> None:
    """Apply one completion's first line to ``chain`` and decide whether it stops."""
    chain.n_tokens += completion.n_tokens
    chain.last_text = completion.text
    line = _first_line(completion.text)
    if line == "return img":
        chain.stop = "return"
        return
    try:
        draw = parse_draw(line)
    except NotADrawCall:
        chain.stop = "invalid"
        return
    chain.lines.append(line)
    chain.canvases = [run_draws([draw], grid) for grid in chain.canvases]
    chain.tests = [run_draws([draw], grid) for grid in chain.tests]
    key = _key(chain)
    if all(np.array_equal(c, t) for c, t in zip(chain.canvases, targets, strict=True)):
        chain.stop = "exact"
    elif key in chain.seen:
        chain.stop = "repeat"
    elif len(chain.lines) >= config.max_draws:
        chain.stop = "max_draws"
    chain.seen.add(key)


def _key(chain: Chain) -> bytes:
    return b"|".join(c.tobytes() for c in chain.canvases + chain.tests)


LINE_START = "\n    "
"""What a step's prompt ends with after :data:`PROGRAM_START`: the indent of the next line, so that the painter's
completion is that line alone, ended by a newline (the token ids are those of a training completion's start)."""


def _prompt(chain: Chain, targets: Sequence[np.ndarray], encoding: str) -> str:
    pairs = list(zip(chain.canvases, targets, strict=True))
    return with_program_start(encode_task(pairs, encoding, chain.tests)) + LINE_START


def sample_stepwise(
    sampler,
    tasks: Sequence[StepwiseTask],
    n: int,
    temperature: float,
    encoding: str,
    config: StepwiseConfig | None = None,
    *,
    seed: int | None = None,
    adapter_dir: str | None = None,
) -> list[list[Chain]]:
    """``n`` programs per task, each written a line at a time on its own canvas; per task, its chains.

    Every step is one sampler call over the chains still running (the first asks each task's prompt for ``n``
    completions, later ones each chain's own prompt for one), so a step costs what sampling its prompts costs.
    """
    config = config or StepwiseConfig()
    if n < 1:
        raise ValueError(f"need at least one chain per task, got n={n}")
    targets = [[np.asarray(out) for _, out in task.pairs] for task in tasks]
    chains = [
        [Chain([np.asarray(inp) for inp, _ in task.pairs], [np.asarray(g) for g in task.test_inputs],
               temperature=temperature) for _ in range(n)]
        for task in tasks
    ]
    for step in range(config.max_draws):
        # The first step asks each task's one prompt for all its chains; later steps each running chain its own.
        asked = list(enumerate(chains)) if step == 0 else [
            (t, [chain]) for t, own in enumerate(chains) for chain in own if not chain.stop]
        if not asked:
            break
        step_seed = None if seed is None else seed + step
        outs = sampler.sample([_prompt(group[0], targets[t], encoding) for t, group in asked],
                              [(len(asked[0][1]), temperature)], adapter_dir, seed=step_seed,
                              max_new_tokens=config.line_tokens, stop=["\n"])
        for (t, group), completions in zip(asked, outs, strict=True):
            for chain, completion in zip(group, completions, strict=True):
                _step(chain, completion, targets[t], config)
    return chains


def sample_programs(sampler, pairs, views: Sequence[View], n: int, max_draws: int, temperature: float,
                    encoding: str, *, seed: int, adapter_dir: str | None) -> list[tuple[Chain, View]]:
    """``n`` programs written a draw at a time on the task's ``pairs``, spread evenly over the ``views``: (chain,
    view) pairs."""
    chains = sample_stepwise(sampler, [StepwiseTask(v.apply_pairs(pairs)) for v in views], n // len(views),
                             temperature, encoding, StepwiseConfig(max_draws=max_draws), seed=seed,
                             adapter_dir=adapter_dir)
    return [(chain, view) for view, own in zip(views, chains, strict=True) for chain in own]


def run_chains(pool, chains: Sequence[tuple[Chain, View]], inputs: Sequence[np.ndarray],
               targets: Sequence[np.ndarray]) -> tuple[list[Candidate], list[Step]]:
    """Each stepwise program in the task's frame as a candidate, and each of its lines as a refinement step (the
    canvases it started from, the line as a continuation, the program up to that line as the candidate)."""
    shape = inputs[0].shape
    written = score(run_ok(pool, [map_program(chain.program, view, shape) for chain, view in chains], inputs),
                    targets)
    steps = []
    for candidate in written:  # replayed in the task's frame: a chain's own canvases are in its view's
        lines = candidate.program.split("\n")[1:-1]
        canvases = list(inputs)
        for k, line in enumerate(lines):
            after = [run_draws([parse_draw(line)], c) for c in canvases]
            prefix = "\n".join([PROGRAM_START, *lines[: k + 1], "    return img"])
            steps.append(Step(canvases, f"{PROGRAM_START}\n{line}\n    return img", Candidate(prefix, after)))
            canvases = after
    score([s.candidate for s in steps], targets)
    return written, steps
