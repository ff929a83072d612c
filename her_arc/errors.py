"""The error every config dataclass raises for a setting out of its range."""

from __future__ import annotations


class ConfigError(ValueError):
    """A setting out of its range: ``parameter`` names the field, ``problem`` says what is wrong with the value.

    The CLI replaces the field by its flag (``--max-epochs must be at least 1, got 0``)."""

    def __init__(self, parameter: str, problem: str):
        super().__init__(f"{parameter} {problem}")
        self.parameter, self.problem = parameter, problem


def check(ok: bool, parameter: str, problem: str) -> None:
    """Raise :class:`ConfigError` unless ``ok``."""
    if not ok:
        raise ConfigError(parameter, problem)
