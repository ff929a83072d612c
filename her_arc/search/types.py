"""The records the search's stages pass to each other: candidates, steps, examples, the elite, counts, run state."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields

import numpy as np

from her_arc.programs import output_fingerprint


@dataclass
class Candidate:
    """A program that ran on every task input, with what it produced and how close that is to the target."""

    program: str
    outputs: list[np.ndarray]
    accuracy: float = 0.0
    """mean pixel accuracy against the target outputs (for ordering and reporting only)"""
    fingerprint: str = field(default="", compare=False)

    def __post_init__(self):
        if not self.fingerprint:
            self.fingerprint = output_fingerprint(self.outputs)


@dataclass(frozen=True)
class Step:
    """One refinement step: the grids a continuation was written for, the continuation, and the candidate the whole
    program (the base's program, then the continuation) became."""

    before: list[np.ndarray]
    continuation: str
    candidate: Candidate


@dataclass(frozen=True)
class Example:
    """A relabeled training example: grids, the outputs a program produced on them, and that program."""

    inputs: tuple[np.ndarray, ...]
    outputs: tuple[np.ndarray, ...]
    program: str
    accuracy: float
    fingerprint: str


@dataclass
class EliteEntry:
    """One of the best drawings so far, which refinement extends."""

    program: str
    accuracy: float
    fingerprint: str
    outputs: list[np.ndarray]
    canvas_score: float
    """cells right minus cells painted wrong (:func:`~her_arc.metrics.task_canvas_score`)"""

    def to_dict(self) -> dict:
        return {**asdict(self), "outputs": [np.asarray(o).tolist() for o in self.outputs]}

    @classmethod
    def from_dict(cls, data: dict) -> EliteEntry:
        return cls(**{**data, "outputs": [np.array(o, dtype=np.int8) for o in data["outputs"]]})


@dataclass(frozen=True)
class Leader:
    """One of the best programs so far, ranked by train pairs reproduced exactly, then accuracy, then shortness."""

    program: str
    pairs_right: int
    accuracy: float
    fingerprint: str


@dataclass
class EpochCounts:
    """What each stage of one epoch made, as the epoch record's ``counts`` (a stage that did not run stays None)."""

    sampled: int = 0
    """completions of the task's prompt"""
    unparsable: int = 0
    """completions with no program in them"""
    unmappable: int | None = None
    """programs that could not be mapped back from their view (only with several views)"""
    statuses: dict[str, int] = field(default_factory=dict)
    """sandbox statuses of the task's programs (``ok``, ``error``, ``timeout``, ...)"""
    refine_sampled: int | None = None
    refined: int | None = None
    """refinement continuations whose whole program ran"""
    stepwise: int | None = None
    stepwise_exact: int | None = None
    stepwise_lines: int | None = None
    composed: int | None = None
    grammar: int | None = None
    """programs drawn from the DSL's grammar (sample.grammar, on tasks that read their input)"""
    grammar_ran: int | None = None
    """grammar programs that ran ``ok``"""
    fitted: int | None = None
    """programs with a fitted colour mapping appended (refine.fit_colors)"""
    merge_patches: int | None = None
    """patches pasted onto the best canvas"""
    merged: int | None = None
    changed: int | None = None
    """candidates whose outputs differ from the inputs (relabeling starts from these)"""
    unique: int | None = None
    deterministic: int | None = None
    novel: int | None = None
    trained: int | None = None

    def to_dict(self) -> dict:
        out: dict = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if f.name == "statuses":
                out.update(value)
            elif value is not None:
                out[f.name] = value
        return out


@dataclass
class Clock:
    """Totals of the whole run, resumed runs included."""

    samples: int = 0
    grammar_programs: int = 0
    """programs drawn from the grammar (no model), beside the model's ``samples``"""
    tokens_generated: int = 0
    tokens_trained: int = 0
    sampling_s: float = 0.0
    execution_s: float = 0.0
    training_s: float = 0.0
    wall_time_s: float = 0.0


@dataclass
class RunState:
    """Everything a resumed search needs (``state.json``)."""

    epoch: int = 0
    """the last finished epoch"""
    trained: set[str] = field(default_factory=set)
    """fingerprints of every output trained on"""
    best_accuracy: float = float("-inf")
    best_program: str | None = None
    clock: Clock = field(default_factory=Clock)
    adapter: str | None = None
    """the adapter directory (in the run directory) the next epoch samples with"""
    epochs_trained: int = 0
    elite: list[EliteEntry] = field(default_factory=list)
    leaders: list[Leader] = field(default_factory=list)
    """the best distinct programs by train pairs right (their test outputs become the attempts)"""
    solution: str | None = None
    """the solution, once found (a resumed solved run stops at once)"""

    def to_dict(self) -> dict:
        return {"epoch": self.epoch, "trained": sorted(self.trained), "best_accuracy": self.best_accuracy,
                "best_program": self.best_program, "clock": asdict(self.clock), "adapter": self.adapter,
                "epochs_trained": self.epochs_trained, "elite": [e.to_dict() for e in self.elite],
                "leaders": [asdict(e) for e in self.leaders], "solution": self.solution}

    @classmethod
    def from_dict(cls, data: dict) -> RunState:
        return cls(epoch=data["epoch"], trained=set(data["trained"]), best_accuracy=data["best_accuracy"],
                   best_program=data["best_program"], clock=Clock(**data["clock"]), adapter=data["adapter"],
                   epochs_trained=data["epochs_trained"], elite=[EliteEntry.from_dict(e) for e in data["elite"]],
                   leaders=[Leader(**e) for e in data["leaders"]], solution=data.get("solution"))
