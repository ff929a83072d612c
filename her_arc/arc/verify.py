"""Check a program against a task: run it in the sandbox on every train pair and every test pair with an output.

A program is the sandbox's format: source text defining ``def task(img)`` that returns the output grid (numpy
and the DSL in its namespace). Each pair runs on its own, so a crash or a timeout on one pair leaves the others
checked, and ``timeout_s`` is CPU seconds per pair.

For a CLI (``her-arc verify PROGRAM TASK``): :func:`verify_file` raises :class:`ProgramFileError` or
:class:`her_arc.tasks.TaskFormatError` (both ``ValueError``) for bad input: exit 2; otherwise print
:meth:`VerifyReport.format_report` and exit :attr:`VerifyReport.exit_code` (0 when every pair is right, else 1).

>>> report = verify_file("rot180.py", "arc1-train/3c9b0459")
>>> report.all_right
True
"""

from __future__ import annotations

import ast
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from her_arc.tasks import Task, TaskFormatError, load_task

__all__ = [
    "DEFAULT_VERIFY_TIMEOUT_S",
    "PairCheck",
    "ProgramFileError",
    "VerifyReport",
    "check_program_source",
    "read_program",
    "verify_file",
    "verify_program",
]

DEFAULT_VERIFY_TIMEOUT_S = 2.0
"""CPU seconds per pair: hand-written ARC programs (loops over objects) are slower than drawing programs."""

RIGHT, WRONG, ERROR = "right", "wrong", "error"


class ProgramFileError(ValueError):
    """A program file that is missing, unreadable, not Python, or defines no ``task`` function."""


class Executor(Protocol):
    """What runs programs: an :class:`her_arc.sandbox.ExecutorPool` (or anything with its ``execute``)."""

    def execute(self, programs: list[str], inputs: list, *, timeout_s: float | None = None) -> list: ...


@dataclass(frozen=True)
class PairCheck:
    """The outcome of one pair."""

    split: str
    """``"train"`` or ``"test"``"""
    index: int
    """the pair's position in its split"""
    status: str
    """``"right"`` (exact match), ``"wrong"`` (a grid, not the output) or ``"error"`` (no grid came back)"""
    expected_shape: tuple[int, int]
    """(rows, cols) of the true output"""
    got_shape: tuple[int, int] | None = None
    """(rows, cols) of the program's output, None on error"""
    accuracy: float | None = None
    """share of cells equal when the shapes match (1.0 when right), else None"""
    error: str | None = None
    """on error: what went wrong and the message, e.g. ``"timeout: ..."``, ``"exception: ZeroDivisionError: ..."``"""

    @property
    def label(self) -> str:
        """``"train[0]"``, ``"test[1]"``..."""
        return f"{self.split}[{self.index}]"

    def describe(self) -> str:
        """One line: the pair and what happened."""
        if self.status == RIGHT:
            return f"{self.label}: right"
        if self.status == ERROR:
            return f"{self.label}: error: {self.error}"
        if self.accuracy is not None:
            rows, cols = self.expected_shape
            cells = rows * cols
            return (
                f"{self.label}: wrong: {round(self.accuracy * cells)} of {cells} cells right "
                f"({100 * self.accuracy:.1f} % pixel accuracy)"
            )
        return f"{self.label}: wrong: shape {_shape_text(self.got_shape)}, expected {_shape_text(self.expected_shape)}"


def _shape_text(shape: tuple[int, int] | None) -> str:
    return "?" if shape is None else f"{shape[0]}x{shape[1]}"


@dataclass
class VerifyReport:
    """A program checked on a task's pairs."""

    task_name: str
    """the task's name, e.g. ``"arc1-train/3c9b0459"``"""
    pairs: list[PairCheck]
    """one check per train pair, then per test pair with a known output"""
    unchecked_tests: int = 0
    """test inputs skipped because the task holds no outputs for them"""
    program: str = field(default="", repr=False)
    """the program's source text"""

    @property
    def all_right(self) -> bool:
        """Every checked pair right (and at least one pair checked)."""
        return bool(self.pairs) and all(p.status == RIGHT for p in self.pairs)

    @property
    def exit_code(self) -> int:
        """0 when every pair is right, 1 otherwise (2, for bad input, comes from :func:`verify_file` raising)."""
        return 0 if self.all_right else 1

    def n_right(self, split: str | None = None) -> int:
        """How many pairs are right, of ``split`` (``"train"``/``"test"``) or of all."""
        return sum(p.status == RIGHT for p in self.pairs if split is None or p.split == split)

    def n_pairs(self, split: str | None = None) -> int:
        """How many pairs were checked, of ``split`` or of all."""
        return sum(1 for p in self.pairs if split is None or p.split == split)

    def summary(self) -> str:
        """One line: the task, right pairs per split, and the verdict."""
        parts = [f"{s} {self.n_right(s)}/{self.n_pairs(s)}" for s in ("train", "test") if self.n_pairs(s)]
        if self.unchecked_tests:
            parts.append(f"{self.unchecked_tests} test input(s) without outputs, not checked")
        verdict = "ALL RIGHT" if self.all_right else "NOT ALL RIGHT"
        return f"{self.task_name}: {self.n_right()} of {self.n_pairs()} pairs right ({', '.join(parts)}): {verdict}"

    def format_report(self) -> str:
        """One line per pair, then the summary line; ends with a newline."""
        return "\n".join([*(p.describe() for p in self.pairs), self.summary()]) + "\n"


def check_program_source(source: Any, origin: str = "program") -> str:
    """Return ``source`` after checking it is Python text with a top-level ``def task(img)``.

    Raises :class:`ProgramFileError` naming ``origin`` (a file path, say) and the fix.
    """
    if not isinstance(source, str):
        raise ProgramFileError(f"{origin}: a program is source text (str), got {type(source).__name__}")
    if not source.strip():
        raise ProgramFileError(f"{origin}: empty program. Write `def task(img): ... return grid`")
    try:
        tree = ast.parse(source)
    except SyntaxError as exc:
        raise ProgramFileError(
            f"{origin}: not valid Python (line {exc.lineno}: {exc.msg}). "
            "Fix the syntax (check it with `python -m py_compile FILE`)"
        ) from None
    if not any(isinstance(node, ast.FunctionDef) and node.name == "task" for node in tree.body):
        raise ProgramFileError(
            f"{origin}: no top-level `def task(img)`. The program must define task(img) and return the output grid"
        )
    return source


def _shape(grid: np.ndarray) -> tuple[int, int]:
    return int(grid.shape[0]), int(grid.shape[1])


def _check(split: str, index: int, result: Any, expected: np.ndarray) -> PairCheck:
    expected = np.asarray(expected)
    if not result.ok:
        message = (result.error or "").strip().splitlines()
        kind = "exception" if result.status == "error" else result.status  # "error: error: ..." reads badly
        text = f"{kind}: {message[-1]}" if message else kind
        return PairCheck(split, index, ERROR, _shape(expected), error=text)
    got = np.asarray(result.outputs[0])
    if got.shape != expected.shape:
        return PairCheck(split, index, WRONG, _shape(expected), got_shape=_shape(got))
    accuracy = float(np.mean(got == expected))
    status = RIGHT if accuracy == 1.0 else WRONG
    return PairCheck(split, index, status, _shape(expected), got_shape=_shape(got), accuracy=accuracy)


def verify_program(
    source: str,
    task: Task,
    executor: Executor | None = None,
    timeout_s: float = DEFAULT_VERIFY_TIMEOUT_S,
) -> VerifyReport:
    """Run ``source`` through the sandbox on each train pair and each test pair with an output; report each.

    ``executor`` is an :class:`her_arc.sandbox.ExecutorPool` to reuse; None uses the sandbox's shared pool
    (``her_arc.sandbox.execute``). Raises :class:`ProgramFileError` for a source that is not a ``task`` program.
    """
    from her_arc.sandbox import execute  # lazy: the sandbox starts worker processes on first use

    source = check_program_source(source)
    if not isinstance(task, Task):
        raise TaskFormatError(f"verify_program needs a Task, got {type(task).__name__}. Load one with load_task")
    if isinstance(timeout_s, bool) or not isinstance(timeout_s, int | float) or not timeout_s > 0:
        raise ValueError(f"timeout_s must be a positive number of seconds, got {timeout_s!r}")
    task = task.validate()
    jobs = [("train", i, a, b) for i, (a, b) in enumerate(task.train)]
    if task.test_outputs is not None:  # validate() checked one output per test input
        jobs += [("test", i, a, b) for i, (a, b) in enumerate(zip(task.test, task.test_outputs, strict=True))]

    def run(grid: np.ndarray) -> Any:
        if executor is None:
            return execute([source], [grid], timeout_s=timeout_s)[0]
        return executor.execute([source], [grid], timeout_s=timeout_s)[0]

    checks = [_check(split, i, run(grid), expected) for split, i, grid, expected in jobs]
    unchecked = 0 if task.test_outputs is not None else len(task.test)
    return VerifyReport(task_name=task.name, pairs=checks, unchecked_tests=unchecked, program=source)


def read_program(path: str | os.PathLike) -> str:
    """The text of a program file, checked by :func:`check_program_source`; raises :class:`ProgramFileError`."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ProgramFileError(f"{path}: no such file. Pass the path of a program (a .py file with def task)") from None
    except IsADirectoryError:
        raise ProgramFileError(f"{path}: is a directory. Pass the path of a program file") from None
    except UnicodeDecodeError:
        raise ProgramFileError(f"{path}: not UTF-8 text. A program is a Python source file") from None
    except OSError as exc:
        raise ProgramFileError(f"{path}: cannot read the file ({exc.strerror or exc})") from None
    return check_program_source(text, str(path))


def verify_file(
    program_path: str | os.PathLike,
    task_ref: str | os.PathLike | Task,
    executor: Executor | None = None,
    timeout_s: float = DEFAULT_VERIFY_TIMEOUT_S,
) -> VerifyReport:
    """:func:`verify_program` on a program file and a task reference (path, bundled name, ``"arc1-train/<id>"``).

    Bad input raises before anything runs: :class:`ProgramFileError` for the program, :class:`TaskFormatError`
    for the task (both ``ValueError``; a CLI exits 2 on them).
    """
    source = read_program(program_path)
    task = load_task(task_ref)
    return verify_program(source, task, executor=executor, timeout_s=timeout_s)
