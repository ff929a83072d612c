"""The run directory: config, task, per-epoch log, state and adapter of one search, each file written atomically.

``config.json`` is stamped with the her-arc version that wrote it. A stopped search resumes from its last finished
epoch when every behaviour setting matches (:data:`~her_arc.search.config.RESUMABLE_CHANGES` lists what may
change); a run written by an older her-arc, whose settings were one flat list, is refused with a message.
"""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path

from her_arc.files import write_text_atomic
from her_arc.search.config import RESUMABLE_CHANGES, SearchConfig, flatten
from her_arc.search.types import RunState

CONFIG_FORMAT = 2
"""The layout of config.json: 2 = nested settings (her-arc 0.2); runs without it were written by her-arc 0.1."""


class RunDir:
    """The files of one run."""

    def __init__(self, path: Path):
        self.path = path
        """the run's folder, created by the first file written"""

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

    def has_run(self) -> bool:
        return (self.path / "state.json").is_file()

    def write_config(self, config: SearchConfig) -> None:
        from her_arc import __version__

        self.write("config.json", json.dumps({"her_arc_version": __version__, "config_format": CONFIG_FORMAT,
                                              **config.to_dict()}, indent=2))

    def save_state(self, state: RunState) -> None:
        """Persist a finished epoch's state, then delete every adapter but the one it names."""
        self.write("state.json", json.dumps(state.to_dict()))
        for old in self.path.glob("adapter-*"):
            if old.name != state.adapter:
                shutil.rmtree(old, ignore_errors=True)

    def load_state(self) -> RunState:
        return RunState.from_dict(json.loads((self.path / "state.json").read_text()))


def default_run_dir(task_name: str, seed: int) -> Path:
    """``runs/<task>__seed<seed>__<time>`` (a task name with ``/``, such as an ARC id, keeps it as a folder)."""
    return Path("runs", f"{task_name or 'task'}__seed{seed}__{time.strftime('%Y%m%d-%H%M%S')}")


def check_resume(run: RunDir, config: SearchConfig) -> bool:
    """Whether to continue a run found in ``run``; refuses to overwrite one or to resume with other settings."""
    if not run.has_run():
        return False
    if not config.run.resume:
        raise FileExistsError(f"{run.path} already holds a run; pass --resume (resume=True) to continue it, "
                              f"or another --run-dir")
    saved = json.loads((run.path / "config.json").read_text())
    if saved.get("config_format") != CONFIG_FORMAT:
        raise ValueError(f"cannot resume {run.path}: it was written by her-arc {saved.get('her_arc_version', '0.1')}"
                         f", whose settings this version does not read; start a new run (another --run-dir)")
    mine, theirs = flatten(config.to_dict()), flatten({k: v for k, v in saved.items()
                                                       if k not in ("her_arc_version", "config_format")})
    defaults = flatten(type(config)().to_dict())  # a setting newer than the run: it ran with the default
    for key in sorted(set(mine) | set(theirs)):
        if key not in RESUMABLE_CHANGES and mine.get(key) != theirs.get(key, defaults.get(key)):
            raise ValueError(f"cannot resume {run.path}: {key} was {theirs.get(key)!r}, now {mine.get(key)!r} "
                             f"(only {', '.join(RESUMABLE_CHANGES)} may change)")
    return True
