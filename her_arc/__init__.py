"""her-arc: program synthesis for ARC-style grids by search with hindsight relabeling.

A language model writes short Python programs in a grid DSL (package ``dsl``); a sandbox runs them;
whatever each program actually produced becomes a new, correct training example for a LoRA adapter
(hindsight experience replay), and the adapted model samples the next round, until some program
reproduces every train output.

>>> from her_arc import solve_task
>>> result = solve_task("squares-12")        # a bundled task name, a file path, a dict or a Task

Importing ``her_arc`` is cheap: the names below are loaded on first use, so task I/O and metrics
never pull in torch.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.2.0"

_LAZY = {
    "solve_task": "her_arc.search",
    "SearchConfig": "her_arc.search",
    "SearchResult": "her_arc.search",
    "SampleConfig": "her_arc.search.config",
    "RefineConfig": "her_arc.search.config",
    "LearnConfig": "her_arc.search.config",
    "RunConfig": "her_arc.search.config",
    "Relabel": "her_arc.search.relabel",
    "AdapterConfig": "her_arc.lm.training",
    "load_task": "her_arc.tasks",
    "Task": "her_arc.tasks",
}
"""Public name -> module that defines it, imported when the name is first used."""

__all__ = ["__version__", *_LAZY]

if TYPE_CHECKING:  # pragma: no cover - for type checkers and IDEs only
    from her_arc.lm.training import AdapterConfig  # noqa: F401
    from her_arc.search import SearchConfig, SearchResult, solve_task  # noqa: F401
    from her_arc.search.config import LearnConfig, RefineConfig, RunConfig, SampleConfig  # noqa: F401
    from her_arc.search.relabel import Relabel  # noqa: F401
    from her_arc.tasks import Task, load_task  # noqa: F401


def __getattr__(name: str) -> Any:
    module_name = _LAZY.get(name)
    if module_name is None:
        raise AttributeError(f"module 'her_arc' has no attribute {name!r}")
    value = getattr(importlib.import_module(module_name), name)
    globals()[name] = value  # later lookups skip __getattr__
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))
