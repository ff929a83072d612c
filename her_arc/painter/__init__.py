"""The shipped default model ("painter") and the metadata file any model directory may carry.

A model directory used by her-arc may hold ``her_arc.json`` naming the grid encoding its prompts
use (``{"grid_encoding": "runs"}``); a directory without it (any Hugging Face causal LM) gets the
general ``dense`` encoding.
"""

from __future__ import annotations

import json
from pathlib import Path

DEFAULT_PAINTER_DIR = Path(__file__).parent / "model"
"""Where the shipped painter lives inside the installed package."""
METADATA_FILE = "her_arc.json"


def default_model_dir() -> Path:
    """The shipped painter's directory; a clear error if this installation lacks it."""
    if not (DEFAULT_PAINTER_DIR / "config.json").is_file():
        raise FileNotFoundError(
            f"the shipped painter is missing from {DEFAULT_PAINTER_DIR}; reinstall her-arc, "
            "or pass a model directory explicitly (--model DIR / SearchConfig(model=...))"
        )
    return DEFAULT_PAINTER_DIR


def resolve_model_dir(model: str | Path | None) -> Path:
    """``model`` checked to be a Hugging Face model directory, or the shipped painter when ``None``."""
    if model is None:
        return default_model_dir()
    path = Path(model)
    if not path.is_dir():
        raise FileNotFoundError(f"model directory {str(path)!r} does not exist")
    if not (path / "config.json").is_file():
        raise FileNotFoundError(f"{str(path)!r} has no config.json: it is not a Hugging Face model directory")
    return path


def grid_encoding(model_dir: str | Path) -> str:
    """The grid encoding a model was trained with (``dense`` unless its ``her_arc.json`` says otherwise)."""
    meta = Path(model_dir, METADATA_FILE)
    if not meta.is_file():
        return "dense"
    return json.loads(meta.read_text()).get("grid_encoding", "dense")


def write_metadata(model_dir: str | Path, **fields) -> None:
    """Record her-arc metadata (e.g. ``grid_encoding``) in a model directory."""
    Path(model_dir, METADATA_FILE).write_text(json.dumps(fields, indent=2) + "\n")
