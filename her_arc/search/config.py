"""Settings of one search, grouped as the algorithm is: sampling, refinement, learning, the run.

Every field's docstring is its ``--help`` text: ``her-arc search`` generates its flags from these classes
(:mod:`her_arc.cli.flags`); a field's ``metadata={"flag": ...}`` names its flag where the default name
(``--<field>``, in a group ``--<prefix><field>``) would read worse. The measurements behind the defaults are in
docs/experiments.md.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields, is_dataclass

from her_arc.errors import ConfigError
from her_arc.errors import check as _check
from her_arc.lm.sampling.types import BACKENDS
from her_arc.lm.sampling.types import DEFAULT_GROUPS as SAMPLING_GROUPS
from her_arc.lm.training import AdapterConfig
from her_arc.search.relabel import Relabel

DEFAULT_GROUPS: tuple[tuple[int, float], ...] = tuple((g.n, g.temperature) for g in SAMPLING_GROUPS)
"""Samples of the task's prompt per epoch as (count, temperature): the sampler's defaults (one definition)."""


@dataclass
class SampleConfig:
    """What the model is asked each epoch, besides refinement."""

    groups: tuple[tuple[int, float], ...] = DEFAULT_GROUPS
    """samples of the task's prompt per epoch as COUNT@TEMPERATURE pairs, all in one sampler call"""
    top_p: float = 0.95
    """nucleus-sampling threshold of every sample, in (0, 1]"""
    max_new_tokens: int | None = None
    """completion budget of the task's prompt in tokens; default: 24 per target shape plus 96 (at most 16 shapes'
    worth while refinement is on)"""
    views: int = 1
    """dihedral views (1-8) the task's samples are split over; programs are mapped back to the task's frame"""
    stepwise: int = 8
    """programs per epoch written a draw at a time, the canvas shown again after every line (0: off)"""
    stepwise_temperature: float = 0.5
    """sampling temperature of the programs written a draw at a time"""
    compose: int = 64
    """programs per epoch made by running one sampled program's draws after another's (0: off)"""
    grammar: int = 2048
    """programs per epoch drawn from the DSL's grammar for the task's inputs, no model (tasks whose inputs hold
    something to read; 0: off): run, ranked and relabeled beside the model's, so the adapter learns from them"""
    backend: str = field(default="auto", metadata={"choices": BACKENDS})
    """sampler backend: vllm, transformers, auto (vLLM on a CUDA GPU, transformers on a CPU), or server (a shared
    vLLM server at server_url)"""
    server_url: str | None = field(default=None, metadata={"metavar": "URL"})
    """the server backend's vLLM OpenAI-compatible server, e.g. http://127.0.0.1:8000 (default: none)"""
    max_model_len: int = 4096
    """the sampler's context length in tokens (prompt plus completion)"""
    gpu_memory_utilization: float = 0.85
    """CUDA vLLM: the share of the GPU's memory one engine may take, in (0, 1] (lower it when engines share a GPU)"""

    def __post_init__(self):
        from her_arc.programs.views import views

        self.groups = tuple((int(n), float(t)) for n, t in self.groups)
        _check(bool(self.groups) and all(n >= 1 and t >= 0 for n, t in self.groups), "groups",
               f"must be (count >= 1, temperature >= 0) pairs, got {self.groups}")
        _check(0 < self.top_p <= 1, "top_p", f"must be in (0, 1], got {self.top_p}")
        _check(self.max_new_tokens is None or self.max_new_tokens >= 1, "max_new_tokens",
               f"must be at least 1, got {self.max_new_tokens}")
        try:
            views(self.views)
        except ValueError as exc:
            raise ConfigError("views", f"must be 1-8, got {self.views}") from exc
        _check(all(n % self.views == 0 for n, _ in self.groups), "groups",
               f"counts must divide by views ({self.views}), got {self.groups}")
        _check(self.stepwise >= 0 and self.stepwise % self.views == 0, "stepwise",
               f"must be 0 (off) or a number of programs that views ({self.views}) divides, got {self.stepwise}")
        _check(self.stepwise_temperature >= 0, "stepwise_temperature", f"must be >= 0, got {self.stepwise_temperature}")
        _check(self.compose >= 0, "compose", f"must be 0 (off) or a number of programs, got {self.compose}")
        _check(self.grammar >= 0, "grammar", f"must be 0 (off) or a number of programs, got {self.grammar}")
        _check(self.backend in BACKENDS, "backend", f"must be one of {', '.join(BACKENDS)}, got {self.backend!r}")
        _check(self.backend != "server" or bool(self.server_url), "server_url",
               "is needed with backend server: the address of a running vLLM server")
        _check(0 < self.gpu_memory_utilization <= 1, "gpu_memory_utilization",
               f"must be in (0, 1], got {self.gpu_memory_utilization}")
        _check(self.max_model_len >= 2, "max_model_len", f"must be at least 2, got {self.max_model_len}")

    @property
    def samples(self) -> int:
        """Samples of the task's own prompt per epoch."""
        return sum(n for n, _ in self.groups)


@dataclass
class RefineConfig:
    """Refinement: the best canvases so far as inputs, a few missing shapes of the target as the goal."""

    canvases: int = field(default=4, metadata={"flag": "--refine"})
    """best canvases refined per epoch (0: off)"""
    goals: int = 6
    """prompts per refined canvas, each showing the target inside another random window"""
    max_shapes: int = 4
    """target shapes a refinement window may hold (0: show the whole target)"""
    samples: int = 4
    """samples per refinement prompt"""
    temperature: float = 0.9
    """sampling temperature of the refinement samples"""
    merge: bool = field(default=True, metadata={"flag": "--merge"})
    """each epoch, paste every patch that helped onto the best canvas so far and run the program of their draws"""
    fit_colors: bool = field(default=False, metadata={"flag": "--fit-colors"})
    """a program whose outputs equal the train targets up to one colour mapping gets that mapping appended
    (``recolor``): the train pairs fix the colours instead of the sampler"""

    def __post_init__(self):
        _check(self.canvases >= 0, "canvases", f"must be 0 (off) or more, got {self.canvases}")
        _check(self.goals >= 1, "goals", f"must be at least 1, got {self.goals}")
        _check(self.max_shapes >= 0, "max_shapes", f"must be 0 (whole target) or more, got {self.max_shapes}")
        _check(self.samples >= 1, "samples", f"must be at least 1, got {self.samples}")
        _check(self.temperature >= 0, "temperature", f"must be >= 0, got {self.temperature}")

    @property
    def samples_per_epoch(self) -> int:
        """Refinement samples per epoch (once any canvas is known)."""
        return self.canvases * self.goals * self.samples


@dataclass
class LearnConfig:
    """Hindsight relabeling and the LoRA fine-tuning of each epoch."""

    enabled: bool = field(default=True, metadata={"flag": "--learn"})
    """relabel and fine-tune each epoch (off: the sampling-only ablation, the same model every epoch)"""
    relabel: Relabel = field(default=Relabel.AUTO, metadata={"choices": tuple(r.value for r in Relabel)})
    """what is relabeled: steps (each refinement step: its canvases -> what it drew), drawings (the task's inputs ->
    what each program produced; the reference's and CodeIt's) or auto (steps on drawing tasks, drawings on tasks
    whose inputs hold something to read)"""
    only_novel: bool = True
    """train each distinct output once over the whole search"""
    max_examples: int = 64
    """relabeled examples trained per epoch at most, the most accurate kept (0: no cap)"""
    adapter: AdapterConfig = field(default_factory=AdapterConfig, metadata={"prefix": ""})
    """LoRA shape and per-epoch fine-tuning"""
    adapter_dir: str | None = field(default=None, metadata={"cli": False})
    """sample every epoch with this LoRA adapter, trained elsewhere (``her-arc solve --learn shared``); needs
    enabled off"""
    export_examples: bool = field(default=False, metadata={"cli": False})
    """write each unsolved epoch's relabeled examples to ``examples-<epoch>.json`` in the run directory for a caller
    to train on (``her-arc solve --learn shared``); needs enabled off"""

    def __post_init__(self):
        try:
            self.relabel = Relabel(self.relabel)
        except ValueError:
            raise ConfigError("relabel", f"must be one of {', '.join(r.value for r in Relabel)}, "
                                         f"got {self.relabel!r}") from None
        _check(self.max_examples >= 0, "max_examples", f"must be 0 (no cap) or more, got {self.max_examples}")
        _check(not (self.enabled and (self.adapter_dir or self.export_examples)), "adapter_dir",
               "a fixed or exported adapter is for searches that do not train their own: turn enabled off")
        if isinstance(self.adapter, dict):
            self.adapter = AdapterConfig(**self.adapter)


@dataclass
class RunConfig:
    """Where the run is written and how it is run."""

    run_dir: str | None = None
    """where the run is written (default: runs/<task>__seed<seed>__<time>)"""
    resume: bool = False
    """continue the run in run_dir from its last finished epoch"""
    plots: bool = True
    """write the accuracy curve and the drawings per epoch as PNG"""
    timeout_s: float = 1.0
    """sandbox CPU seconds per program per input grid (the timer is re-armed for each of the task's inputs)"""
    num_threads: int | None = field(default=None, metadata={"flag": "--threads"})
    """torch CPU threads (default: torch's)"""

    def __post_init__(self):
        _check(self.timeout_s > 0, "timeout_s", f"must be positive, got {self.timeout_s}")
        _check(self.num_threads is None or self.num_threads >= 1, "num_threads",
               f"must be at least 1, got {self.num_threads}")


@dataclass
class SearchConfig:
    """Settings of one search; the defaults are the reference's best toy setting, tuned for a 2-core CPU."""

    model: str | None = None
    """a Hugging Face causal LM directory (default: the shipped painter)"""
    max_epochs: int = 30
    """give up after this many epochs"""
    time_budget_s: float | None = None
    """no new epoch starts once the search has run this many seconds (wall time; default: no limit)"""
    seed: int = 0
    """seeds sampling, refinement windows, compositions and training"""
    sample: SampleConfig = field(default_factory=SampleConfig, metadata={"prefix": ""})
    refine: RefineConfig = field(default_factory=RefineConfig, metadata={"prefix": "refine-"})
    learn: LearnConfig = field(default_factory=LearnConfig, metadata={"prefix": ""})
    run: RunConfig = field(default_factory=RunConfig, metadata={"prefix": ""})

    def __post_init__(self):
        _check(self.max_epochs >= 1, "max_epochs", f"must be at least 1, got {self.max_epochs}")
        _check(self.time_budget_s is None or self.time_budget_s > 0, "time_budget_s",
               f"must be positive seconds, got {self.time_budget_s}")
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, dict):
                setattr(self, f.name, _GROUPS[f.name](**value))

    def to_dict(self) -> dict:
        return _plain(asdict(self))

    @classmethod
    def from_dict(cls, data: dict) -> SearchConfig:
        """The config ``to_dict`` wrote; unknown keys raise, naming them."""
        _unknown(cls, data, "")
        return cls(**data)


_GROUPS = {"sample": SampleConfig, "refine": RefineConfig, "learn": LearnConfig, "run": RunConfig}

RESUMABLE_CHANGES = ("max_epochs", "time_budget_s", "learn.adapter_dir", "run.run_dir", "run.resume", "run.plots",
                     "run.num_threads", "sample.server_url")
"""Settings a resumed run may change; every other one must be what the run was started with."""


def _plain(value):
    """JSON-ready: enums as their values, tuples as lists."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, Relabel):
        return value.value
    return value


def _unknown(cls, data: dict, where: str) -> None:
    known = {f.name: f for f in fields(cls)}
    unknown = sorted(set(data) - set(known))
    if unknown:
        raise ValueError(f"unknown search settings: {[where + k for k in unknown]}")
    for name, value in data.items():
        sub = _GROUPS.get(name) if cls is SearchConfig else None
        sub = sub or (AdapterConfig if cls is LearnConfig and name == "adapter" else None)
        if sub and isinstance(value, dict) and is_dataclass(sub):
            _unknown(sub, value, f"{where}{name}.")


def flatten(data: dict, prefix: str = "") -> dict:
    """``{"run": {"plots": True}}`` -> ``{"run.plots": True}``."""
    out = {}
    for key, value in data.items():
        if isinstance(value, dict):
            out.update(flatten(value, f"{prefix}{key}."))
        else:
            out[f"{prefix}{key}"] = value
    return out
