"""A stream of generated ARC-like training tasks: a program (mutated solution, chain, random), inputs, its outputs.

Each round draws one source solution, 3-6 inputs (about half perturbed copies of the source task's train inputs,
the rest from :mod:`her_arc.generate.inputs` in a style matching them), and ``candidates`` programs made from the
source (:mod:`her_arc.generate.mutate`); it runs them all in one sandbox call and yields those that pass the
filters (:data:`FILTERS`). Round ``i`` depends only on ``(seed, i)`` and the output sets kept before it, so a seed
gives the same stream. Solutions of held-out tasks (:func:`heldout_ids`, by default) are never a source, a chain
partner, nor a source of inputs.

>>> for task in itertools.islice(generate_tasks(0), 3):
...     task.program, task.inputs, task.outputs, task.source, task.kind
"""

from __future__ import annotations

import hashlib
import itertools
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from her_arc.generate import inputs as _inputs
from her_arc.generate.mutate import MUTATIONS, _grammar_program, load_solutions, make_program

__all__ = ["DEFAULT_KIND_WEIGHTS", "FILTERS", "HELDOUT_FILE", "GenerateConfig", "GeneratedTask", "generate_tasks",
           "heldout_ids", "task_filter", "to_datasets"]

HELDOUT_FILE = Path(__file__).with_name("heldout_train_ids.txt")
FILTERS = ("no_program", "failed", "identity", "constant", "single_color", "too_big", "dead_step", "duplicate",
           "round_full")
"""why a candidate is dropped, in the order checked: no new program could be made (no site to mutate, or a
repeat within the round), it did not run on every input, every output equals its input, every output is the same
grid, an output is one colour while its input is not, an output is over 30x30, a chain's outputs equal those of
one of its two programs alone (a step that does nothing), its output set was already kept, the round already
kept ``max_per_round`` tasks"""
DEFAULT_KIND_WEIGHTS: tuple[tuple[str, float], ...] = (
    ("original", 0.08), ("colors", 0.17), ("constants", 0.12), ("swap", 0.17), ("chain", 0.16), ("objects", 0.14),
    ("random", 0.16),
)


def heldout_ids() -> frozenset[str]:
    """The ARC-AGI-1 training task ids held out of generation (``heldout_train_ids.txt``)."""
    lines = HELDOUT_FILE.read_text().splitlines()
    return frozenset(s.strip() for s in lines if s.strip() and not s.startswith("#"))


@dataclass
class GenerateConfig:
    """How tasks are generated."""

    min_inputs: int = 3
    """fewest inputs per task"""
    max_inputs: int = 6
    """most inputs per task"""
    like_fraction: float = 0.5
    """expected share of a task's inputs that are perturbed copies of the source task's train inputs"""
    candidates: int = 8
    """programs made and run per round (one sandbox call, on the round's inputs)"""
    kind_weights: tuple[tuple[str, float], ...] = DEFAULT_KIND_WEIGHTS
    """(mutation kind, weight): how candidates are made (kinds of :data:`her_arc.generate.mutate.MUTATIONS`)"""
    stack_p: float = 0.3
    """chance of a second in-place mutation on a colors/constants/swap candidate"""
    max_per_round: int = 4
    """most tasks kept from one round (they share inputs)"""
    timeout_s: float = 0.5
    """sandbox CPU seconds per program per input grid"""
    workers: int = 1
    """sandbox worker processes when the generator makes its own pool"""

    def __post_init__(self):
        if not 1 <= self.min_inputs <= self.max_inputs:
            raise ValueError(f"need 1 <= min_inputs <= max_inputs, got {self.min_inputs}, {self.max_inputs}")
        if not 0 <= self.like_fraction <= 1:
            raise ValueError(f"like_fraction must be in [0, 1], got {self.like_fraction}")
        unknown = [k for k, _ in self.kind_weights if k not in MUTATIONS]
        if unknown or not any(w > 0 for _, w in self.kind_weights):
            raise ValueError(f"kind_weights need kinds of {MUTATIONS} and a positive weight, got {self.kind_weights}")
        if self.candidates < 1 or self.max_per_round < 1:
            raise ValueError("candidates and max_per_round must be at least 1")


@dataclass
class GeneratedTask:
    """One generated task: ``program`` maps each of ``inputs`` to the output at the same place."""

    program: str
    """the program text (``def task(img): ...``)"""
    inputs: list[np.ndarray]
    """input grids (int8)"""
    outputs: list[np.ndarray]
    """the program's output on each input (int8)"""
    source: str | None
    """id of the solution it was made from (None: a grammar program)"""
    kind: str
    """how it was made: one of :data:`her_arc.generate.mutate.MUTATIONS`"""
    detail: str = ""
    """more on how (stacked mutations, chain order ...)"""
    inputs_from: str = ""
    """id of the training task whose train inputs were perturbed into some of ``inputs``"""
    round: int = 0
    """the round of the stream that made it"""

    @property
    def pairs(self) -> list[tuple[np.ndarray, np.ndarray]]:
        return list(zip(self.inputs, self.outputs, strict=True))


def _key(grids: Iterable[np.ndarray]) -> bytes:
    h = hashlib.blake2b(digest_size=16)
    for g in grids:
        h.update(np.asarray(g.shape, dtype=np.int16).tobytes())
        h.update(np.ascontiguousarray(g, dtype=np.int8).tobytes())
    return h.digest()


def _same(a: list[np.ndarray], b: list[np.ndarray]) -> bool:
    return all(x.shape == y.shape and np.array_equal(x, y) for x, y in zip(a, b, strict=True))


def task_filter(inputs: list[np.ndarray], outputs: list[np.ndarray] | None) -> str | None:
    """The first filter of :data:`FILTERS` (from ``failed`` to ``too_big``) the outputs fail, or None."""
    if outputs is None or len(outputs) != len(inputs):
        return "failed"
    if all(i.shape == o.shape and np.array_equal(i, o) for i, o in zip(inputs, outputs, strict=True)):
        return "identity"
    first = outputs[0]
    if all(o.shape == first.shape and np.array_equal(o, first) for o in outputs[1:]):
        return "constant"
    for i, o in zip(inputs, outputs, strict=True):
        if o.size and np.all(o == o.flat[0]) and not np.all(i == i.flat[0]):
            return "single_color"
    if any(o.ndim != 2 or o.shape[0] > 30 or o.shape[1] > 30 or 0 in o.shape for o in outputs):
        return "too_big"
    return None


def _round_inputs(rng: np.random.Generator, config: GenerateConfig, real: list[np.ndarray]) -> list[np.ndarray]:
    k = int(rng.integers(config.min_inputs, config.max_inputs + 1))
    n_like = int(rng.binomial(k, config.like_fraction))
    grids = _inputs.perturb_like(rng, real, n_like) if n_like else []
    if k - n_like:
        style = _inputs.style_of(real, rng, kind=_kind_of(real, rng))
        grids += _inputs.sample_inputs(rng, k - n_like, style=style)
    out, seen = [], set()
    for i in rng.permutation(len(grids)):
        key = _key([grids[i]])
        if key not in seen:
            seen.add(key)
            out.append(grids[i])
    while len(out) < config.min_inputs:
        out.append(_inputs.random_input(rng, _inputs.style_of(real, rng)))
    return out


def _kind_of(grids: list[np.ndarray], rng: np.random.Generator) -> str | None:
    """An input kind that fits real grids: cells when they have separator lines, else objects or random."""
    from dsl.grids import separators

    g = grids[0]
    rows, cols = separators(g)
    if rows or cols:
        return "cells"
    if np.array_equal(g, g[:, ::-1]) or np.array_equal(g, g[::-1]):
        return "symmetric"
    return "objects" if rng.random() < 0.6 else None


def generate_tasks(
    seed: int,
    sources: Iterable[str] | None = None,
    config: GenerateConfig | None = None,
    exclude_ids: Iterable[str] | None = None,
    pool=None,
    stats: Counter | None = None,
    start_round: int = 0,
    only_ids: Iterable[str] | None = None,
) -> Iterator[GeneratedTask]:
    """An endless stream of generated tasks (stop it with ``itertools.islice`` or by closing it).

    ``sources``: the mutation kinds to use (default: every kind with a weight in ``config.kind_weights``; "random"
    only when ``dsl.grammar`` is present). ``exclude_ids``: solution ids whose tasks are held out (default:
    :func:`heldout_ids`; pass ``()`` to hold out none). ``pool``: an :class:`her_arc.sandbox.ExecutorPool` to run
    in (default: its own with ``config.workers`` workers, closed when the stream is). ``stats``: a Counter that
    gets ``rounds``, ``candidates``, ``kept``, ``kind:<kind>`` (candidates made), ``kept:<kind>``,
    ``probes`` (chain steps run alone), ``status:<sandbox status>`` and one count per filter of :data:`FILTERS`.
    ``start_round``: the first round (to resume: the same rounds, but the duplicate filter starts empty).
    ``only_ids``: draw from these solutions alone (e.g. the held-out ones, with ``exclude_ids=()``, for tasks whose
    programs no pretraining stream holds).
    """
    config = config or GenerateConfig()
    exclude = heldout_ids() if exclude_ids is None else frozenset(exclude_ids)
    stats = Counter() if stats is None else stats
    weights = dict(config.kind_weights)
    kinds = [k for k in (sources if sources is not None else weights) if weights.get(k, 0) > 0]
    if _grammar_program is None:
        kinds = [k for k in kinds if k != "random"]
    unknown = [k for k in kinds if k not in MUTATIONS]
    if unknown or not kinds:
        raise ValueError(f"sources must be kinds of {MUTATIONS} with a weight, got {sources}")
    p = np.array([weights[k] for k in kinds], dtype=float)
    p /= p.sum()

    from her_arc.arc.data import load_split

    only = None if only_ids is None else frozenset(only_ids)
    solutions = {i: s for i, s in load_solutions().items() if i not in exclude and (only is None or i in only)}
    if not solutions:
        raise ValueError("every solution is excluded" if only is None else
                         f"none of the {len(only)} only_ids has a solution that is not excluded")
    train = load_split("arc1-train")
    ids = sorted(solutions)
    real = {i: [pair.input for pair in train[i].train] for i in ids}
    pool_sources = [solutions[i] for i in ids]

    own_pool = pool is None
    if own_pool:
        from her_arc.sandbox import ExecutorPool

        pool = ExecutorPool(n_workers=config.workers, timeout_s=config.timeout_s)
    seen: set[bytes] = set()
    try:
        for r in itertools.count(start_round):
            rng = np.random.default_rng([seed, r])
            sid = ids[int(rng.integers(len(ids)))]
            grids = _round_inputs(rng, config, real[sid])
            made: list[tuple[str, str, str, tuple[str, ...]]] = []
            texts: set[str] = set()
            for kind in rng.choice(len(kinds), size=config.candidates, p=p):
                kind = kinds[int(kind)]
                stats[f"kind:{kind}"] += 1
                text, detail, parts = make_program(rng, kind, solutions[sid], grids, pool_sources, config.stack_p)
                stats["candidates"] += 1
                if text is None or text in texts:
                    stats["no_program"] += 1
                    continue
                texts.add(text)
                made.append((text, kind, detail, parts))
            stats["rounds"] += 1
            if not made:
                continue
            batch = [m[0] for m in made]
            batch += sorted({part for m in made for part in m[3]} - set(batch))  # chain steps alone: probes
            stats["probes"] += len(batch) - len(made)
            results = pool.execute(batch, grids, timeout_s=config.timeout_s)
            by_text = dict(zip(batch, results, strict=True))
            kept = 0
            for (text, kind, detail, parts), result in zip(made, results[: len(made)], strict=True):
                stats[f"status:{result.status}"] += 1
                why = task_filter(grids, result.outputs if result.ok else None)
                if why is None and any(by_text[part].ok and _same(by_text[part].outputs, result.outputs)
                                       for part in parts):
                    why = "dead_step"
                if why is None:
                    key = _key(result.outputs)
                    if key in seen:
                        why = "duplicate"
                    elif kept >= config.max_per_round:
                        why = "round_full"
                    else:
                        seen.add(key)
                if why is not None:
                    stats[why] += 1
                    continue
                kept += 1
                stats["kept"] += 1
                stats[f"kept:{kind}"] += 1
                yield GeneratedTask(text, [g.copy() for g in grids], list(result.outputs),
                                    None if kind == "random" else sid, kind, detail, sid, r)
            if len(seen) > 2_000_000:
                seen.clear()
    finally:
        if own_pool:
            pool.close()


def _records(seed: int, encoding: str, limit: int | None, config: GenerateConfig | None, exclude_ids):
    from her_arc.lm.prompt import PROGRAM_START, encode_completion, encode_task, with_program_start

    stream = generate_tasks(seed, config=config, exclude_ids=exclude_ids)
    try:
        for task in itertools.islice(stream, limit):
            completion = encode_completion(task.program)
            if completion.startswith(PROGRAM_START):  # the prompt ends with it
                completion = completion[len(PROGRAM_START):]
            yield {"prompt": with_program_start(encode_task(task.pairs, encoding)), "completion": completion,
                   "source": task.source or "", "kind": task.kind}
    finally:
        stream.close()


def to_datasets(seed: int, encoding: str = "dense", limit: int | None = None, config: GenerateConfig | None = None,
                exclude_ids: Iterable[str] | None = None):
    """The stream as a ``datasets.IterableDataset`` of ``prompt`` / ``completion`` (plus ``source``, ``kind``)
    records; the prompt is the task's pairs and the program start, as a search prompts the model."""
    from datasets import IterableDataset

    exclude = None if exclude_ids is None else tuple(sorted(exclude_ids))
    return IterableDataset.from_generator(
        _records, gen_kwargs=dict(seed=seed, encoding=encoding, limit=limit, config=config, exclude_ids=exclude))

