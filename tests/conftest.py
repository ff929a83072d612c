"""Shared fixtures: a scripted sampler factory and a run directory for searches."""

from __future__ import annotations

import pytest

from her_arc.testing import ScriptedSampler


@pytest.fixture
def scripted():
    """``scripted(respond, **kwargs)`` -> a :class:`~her_arc.testing.ScriptedSampler` (see it for ``respond``)."""

    def make(respond="\n    return img", **kwargs) -> ScriptedSampler:
        return ScriptedSampler(respond, **kwargs)

    return make


@pytest.fixture
def tmp_run_dir(tmp_path) -> str:
    """A run directory for one search, not created yet (the search creates it)."""
    return str(tmp_path / "run")
