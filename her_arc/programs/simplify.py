"""Program tools: from raw model completions to clean, verified, de-duplicated programs.

* :func:`extract_program` pulls the program out of a completion (code fences, prose before or after,
  a completion that is only the body of ``def task(img):``) and returns its canonical text.
* :func:`canonicalize` is ``ast.unparse(ast.parse(text))``: comments and formatting differences go.
* :func:`simplify` / :func:`simplify_many` drop statements that change no output. Removals are
  cumulative (each one is tested on the program with every earlier removal applied), so the result
  reproduces the original outputs; it is checked once more by running it at the end. Loops, ``if``
  and nested bodies are handled: a whole compound statement is tried first, then the statements in
  its bodies; a body that would become empty gets ``pass``. The result is never longer (in
  characters of canonical text) than the canonical original. Many programs are simplified together:
  each round is one ``execute`` call over all of them.
* :func:`deduplicate` keeps one program per distinct output fingerprint: the shortest, measured in
  **characters of canonical text** (ties: the earliest).
* :func:`nondeterministic` runs programs twice (the second time in reverse order, so on other
  workers after other programs) and flags any whose status or outputs differ.

``executor`` arguments take anything with the ``execute(programs, inputs, **kw)`` method of
:class:`her_arc.sandbox.ExecutorPool`; ``None`` uses :func:`her_arc.sandbox.execute`.
"""

from __future__ import annotations

import ast
import hashlib
import re
import struct
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

__all__ = [
    "canonicalize",
    "deduplicate",
    "extract_program",
    "nondeterministic",
    "output_fingerprint",
    "program_from_completion",
    "simplify",
    "simplify_many",
]

_FENCE = re.compile(r"```[ \t]*([A-Za-z0-9_+.-]*)[^\n]*\n(.*?)(?:```|\Z)", re.DOTALL)
_TOP_LEVEL_START = re.compile(r"^(def |import |from |[A-Za-z_][A-Za-z0-9_]* *=)", re.MULTILINE)
_KEEP_TOP_LEVEL = (ast.FunctionDef, ast.Import, ast.ImportFrom, ast.Assign)
_MAX_CUTS = 20
SIMPLIFY_TIMEOUT_S = 0.25
"""CPU seconds per candidate in simplify: removing a statement can turn a loop infinite (``i += 1``
in a ``while``), and each such candidate costs this much; drawing programs need milliseconds."""


def canonicalize(program: str) -> str:
    """The canonical text of a program (``ast.unparse``); raises SyntaxError if it does not parse."""
    return ast.unparse(ast.parse(program))


def _has_task(tree: ast.Module) -> bool:
    return any(isinstance(node, ast.FunctionDef) and node.name == "task" for node in tree.body)


def _parse_prefix(code: str) -> ast.Module | None:
    """Parse ``code``, cutting it at the first line that does not parse (trailing prose, a truncated
    last statement) as often as needed."""
    lines = code.splitlines()
    for _ in range(_MAX_CUTS):
        if not lines:
            return None
        try:
            return ast.parse("\n".join(lines))
        except SyntaxError as exc:
            cut = (exc.lineno or len(lines)) - 1
            cut = min(cut, len(lines) - 1)  # always make progress
            lines = lines[:cut]
        except (ValueError, RecursionError, MemoryError):
            return None
    return None


def _clean(tree: ast.Module) -> str | None:
    # Only definitions, imports and constants at top level: prose that happens to parse ("Done"),
    # test calls (`print(task(x))`) and `if __name__ == ...` blocks go.
    body = [node for node in tree.body if isinstance(node, _KEEP_TOP_LEVEL)]
    body += [node for node in tree.body if isinstance(node, ast.AnnAssign) and node.value is not None]
    body.sort(key=lambda node: (node.lineno, node.col_offset))
    module = ast.Module(body=body, type_ignores=[])
    if not _has_task(module):
        return None
    try:
        return ast.unparse(module)
    except (ValueError, RecursionError):
        return None


def extract_program(completion: str) -> str | None:
    """The canonical program in a raw model completion, or None if there is none.

    Handles code fences (the block that defines ``task`` wins; an unclosed last fence is fine), prose
    before and after the code, a truncated last statement (dropped), and a completion that is only
    the body of ``def task(img):`` (the header is added back).
    """
    if not isinstance(completion, str) or not completion.strip():
        return None
    blocks = [m.group(2) for m in _FENCE.finditer(completion)]
    if blocks:
        candidates = [b for b in blocks if "def task" in b] or blocks
    else:
        candidates = [completion]
    for code in candidates:
        code = code.expandtabs(4)
        if "def task" in code:
            start = _TOP_LEVEL_START.search(code)
            if start is not None and start.start() <= code.index("def task"):
                code = code[start.start() :]
            else:
                code = code[code.index("def task") :]
        elif re.search(r"^(def|class) ", code, re.MULTILINE):
            continue  # other top-level definitions, no task: not a body of `def task(img):`
        else:
            body = textwrap.dedent(code.strip("\n"))
            code = "def task(img):\n" + textwrap.indent(body, "    ")
        tree = _parse_prefix(code)
        if tree is not None:
            text = _clean(tree)
            if text is not None:
                return text
    return None


# -- running -----------------------------------------------------------------------------------------


def program_from_completion(text: str) -> str | None:
    """The program a model wrote after a :func:`~her_arc.lm.prompt.with_program_start` prompt (the prompt ends with
    the program's first line, so the completion is the rest), or None if there is none."""
    from her_arc.lm.prompt import PROGRAM_START

    return extract_program(PROGRAM_START + text)


def _runner(executor):
    if executor is None:
        from her_arc.sandbox import execute

        return execute
    return executor.execute


def _run(executor, programs: list[str], inputs, timeout_s):
    if not programs:
        return []
    kwargs = {} if timeout_s is None else {"timeout_s": timeout_s}
    return _runner(executor)(programs, inputs, **kwargs)


def _same_outputs(result, target: list[np.ndarray]) -> bool:
    if result is None or result.status != "ok" or len(result.outputs) != len(target):
        return False
    return all(
        a.shape == b.shape and np.array_equal(a, b) for a, b in zip(result.outputs, target, strict=True)
    )


# -- simplify ----------------------------------------------------------------------------------------

_BODY_FIELDS = ("body", "orelse", "handlers", "finalbody")
_REQUIRED_BODIES = {"body"}  # orelse/finalbody may be empty; a body may not


@dataclass(eq=False)
class _Candidate:
    owner: ast.AST
    field_name: str
    node: ast.stmt
    ancestors: tuple[int, ...]


@dataclass(eq=False)
class _Job:
    tree: ast.Module
    text: str
    original: str
    target: list
    queue: list = field(default_factory=list)
    removed: set = field(default_factory=set)
    removed_nodes: list = field(default_factory=list)  # keeps ids in `removed` from being reused
    changed: bool = False
    passes: int = 1
    max_passes: int = 2
    trial: tuple | None = None


def _candidates(tree: ast.Module) -> list[_Candidate]:
    """Every removable statement, in pre-order (a compound statement before its contents)."""
    out: list[_Candidate] = []

    def visit(owner: ast.AST, ancestors: tuple[int, ...]) -> None:
        for name in _BODY_FIELDS:
            stmts = getattr(owner, name, None)
            if not isinstance(stmts, list):
                continue
            for node in stmts:
                if isinstance(node, ast.ExceptHandler):
                    visit(node, ancestors + (id(node),))
                    continue
                if not isinstance(node, ast.stmt):
                    continue
                is_task = owner is tree and isinstance(node, ast.FunctionDef) and node.name == "task"
                # `pass` changes nothing; a lone `break` goes with its enclosing `if` (removing it alone
                # from `while True:` would only buy a timeout)
                if not is_task and not isinstance(node, (ast.Pass, ast.Break)):
                    out.append(_Candidate(owner, name, node, ancestors))
                visit(node, ancestors + (id(node),))

    visit(tree, ())
    # The closing `return` of task is needed by every program that has outputs; do not spend a run on it.
    for node in tree.body:
        if (
            isinstance(node, ast.FunctionDef)
            and node.name == "task"
            and isinstance(node.body[-1], ast.Return)
        ):
            out = [c for c in out if c.node is not node.body[-1]]
    return out


def _without(job: _Job, cand: _Candidate) -> str | None:
    """The text of the current program without ``cand`` (tree left unchanged), or None if gone."""
    stmts = getattr(cand.owner, cand.field_name)
    if id(cand.node) in job.removed or any(a in job.removed for a in cand.ancestors):
        return None
    try:
        pos = next(i for i, node in enumerate(stmts) if node is cand.node)
    except StopIteration:
        return None
    replacement = [ast.Pass()] if len(stmts) == 1 and cand.field_name in _REQUIRED_BODIES else []
    stmts[pos : pos + 1] = replacement
    try:
        text = ast.unparse(job.tree)
    finally:
        stmts[pos : pos + len(replacement)] = [cand.node]
    return text


def _next_trial(job: _Job) -> str | None:
    while True:
        if not job.queue:
            if not job.changed or job.passes >= job.max_passes:
                return None
            job.passes += 1
            job.changed = False
            job.queue = _candidates(job.tree)
            continue
        cand = job.queue.pop(0)
        text = _without(job, cand)
        if text is None:
            continue
        if len(text) >= len(job.text):  # `pass` would make it longer: the parent removal is the way
            continue
        job.trial = (cand, text)
        return text


def _accept(job: _Job) -> None:
    cand, text = job.trial
    stmts = getattr(cand.owner, cand.field_name)
    pos = next(i for i, node in enumerate(stmts) if node is cand.node)
    stmts[pos : pos + 1] = [ast.Pass()] if len(stmts) == 1 and cand.field_name in _REQUIRED_BODIES else []
    job.removed.add(id(cand.node))
    job.removed_nodes.append(cand.node)
    job.text = text
    job.changed = True


def simplify_many(
    programs: Sequence[str],
    inputs: Sequence,
    executor=None,
    *,
    outputs: Sequence | None = None,
    timeout_s: float | None = SIMPLIFY_TIMEOUT_S,
    max_passes: int = 2,
) -> list[str]:
    """Simplify many programs that share the same inputs; returns canonical texts, in order.

    ``outputs`` (one list of grids per program, e.g. from an earlier ``execute``) saves a run; a
    program that does not run ``ok`` (or does not parse) comes back unchanged (canonical when it
    parses). Each removal round is one ``execute`` call over all programs still being simplified.
    ``max_passes`` bounds how many times the statements are swept (a second sweep finds statements
    that became removable only after others went). ``timeout_s`` applies to every run here (None: the
    executor's default); a program slower than that is returned unchanged.
    """
    programs = list(programs)
    texts: list[str] = []
    for program in programs:
        try:
            texts.append(canonicalize(program))
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            texts.append(program)
    if outputs is None:
        results = _run(executor, texts, inputs, timeout_s)
        targets = [r.outputs if r.status == "ok" else None for r in results]
    else:
        targets = [None if o is None else [np.asarray(g) for g in o] for o in outputs]
        if len(targets) != len(programs):
            raise ValueError("need one outputs entry per program")
    jobs: list[_Job | None] = []
    for text, target in zip(texts, targets, strict=True):
        try:
            tree = ast.parse(text)
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            tree = None
        if target is None or tree is None:
            jobs.append(None)
            continue
        job = _Job(
            tree=tree, text=text, original=text, target=list(target), max_passes=max(1, int(max_passes))
        )
        job.queue = _candidates(tree)
        jobs.append(job)

    active = [job for job in jobs if job is not None]
    while active:
        trials = [job for job in active if _next_trial(job) is not None]
        if not trials:
            break
        results = _run(executor, [job.trial[1] for job in trials], inputs, timeout_s)
        for job, result in zip(trials, results, strict=True):
            if _same_outputs(result, job.target):
                _accept(job)
            job.trial = None
        active = trials

    # Check the simplified programs once more by running them; fall back to the original if not.
    changed = [(i, job) for i, job in enumerate(jobs) if job is not None and job.text != job.original]
    final = _run(executor, [job.text for _i, job in changed], inputs, timeout_s)
    out = list(texts)
    for (i, job), result in zip(changed, final, strict=True):
        out[i] = job.text if _same_outputs(result, job.target) else job.original
    return out


def simplify(
    program: str,
    inputs: Sequence,
    executor=None,
    *,
    outputs: Sequence | None = None,
    timeout_s: float | None = SIMPLIFY_TIMEOUT_S,
    max_passes: int = 2,
) -> str:
    """Simplify one program (see :func:`simplify_many`, which is much faster for many programs)."""
    return simplify_many(
        [program], inputs, executor, outputs=None if outputs is None else [outputs], timeout_s=timeout_s,
        max_passes=max_passes,
    )[0]  # fmt: skip


# -- dedup and determinism ---------------------------------------------------------------------------


def output_fingerprint(outputs: Sequence) -> str:
    """A hash of a program's output grids (shapes and cells, in order)."""
    digest = hashlib.sha256()
    digest.update(struct.pack("<I", len(outputs)))
    for grid in outputs:
        arr = np.ascontiguousarray(grid, dtype=np.int8)
        digest.update(struct.pack("<HH", *arr.shape))
        digest.update(arr.tobytes())
    return digest.hexdigest()


def _length(program: str) -> int:
    try:
        return len(canonicalize(program))
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return len(program)


def deduplicate(programs: Sequence[str], results: Sequence) -> list[int]:
    """Indices of the programs to keep: one per distinct output, the shortest (characters of
    canonical text; ties go to the earliest). Programs whose result is not ``ok`` are dropped."""
    if len(programs) != len(results):
        raise ValueError("need one result per program")
    best: dict[str, tuple[int, int]] = {}
    for i, (program, result) in enumerate(zip(programs, results, strict=True)):
        if result is None or result.status != "ok":
            continue
        fingerprint = output_fingerprint(result.outputs)
        key = (_length(program), i)
        if fingerprint not in best or key < best[fingerprint]:
            best[fingerprint] = key
    return sorted(i for _length_, i in best.values())


def _same_result(a, b) -> bool:
    if a.status != b.status:
        return False
    return a.status != "ok" or _same_outputs(b, a.outputs)


def nondeterministic(
    programs: Sequence[str], inputs: Sequence, executor=None, *, timeout_s: float | None = None
) -> list[bool]:
    """Flag (True) each program whose status or outputs differ between two runs; the second run goes
    in reverse order, so each program lands on another worker, after other programs."""
    programs = list(programs)
    first = _run(executor, programs, inputs, timeout_s)
    second = _run(executor, programs[::-1], inputs, timeout_s)[::-1]
    return [not _same_result(a, b) for a, b in zip(first, second, strict=True)]
