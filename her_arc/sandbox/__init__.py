"""Sandboxed, parallel execution of model-written drawing programs.

>>> from her_arc.sandbox import execute, ExecutorPool, ExecutionResult
>>> results = execute(["def task(img):\\n    draw_pixel(img, (0, 0), 3)\\n    return img"], [grid])
>>> results[0].status, results[0].outputs          # "ok", [int8 grid]
>>> with ExecutorPool(timeout_s=0.25) as pool:    # long-lived, for the search loop
...     results = pool.execute(programs, task_inputs)

A program is source text defining ``def task(img)``; the DSL primitives and ``np`` are in its
namespace; what else it may use is listed in ``her_arc.sandbox._checks``. Statuses: ``ok``,
``rejected``, ``timeout``, ``memory``, ``error``, ``invalid_output``, ``crash``.

Layers, cheapest first (see ``../shared/reference/sandbox.md`` §6 for the measurements behind them):

* L0 (parent): source length cap; identical programs in one call run once.
* L1 (worker): AST allow-list (``_checks``), checked in the workers so it runs in parallel.
* L2 (worker): fresh globals per program with restricted builtins, curated read-only module
  stand-ins (no submodules, no file I/O, no global-state setters), ``print`` a no-op.
* L3 (worker, once): rlimits (address space ``memory_mb``, CPU, file size 0, core 0, 64 files),
  recursion limit 1000, own session, ``PR_SET_PDEATHSIG``, ``PR_SET_NO_NEW_PRIVS``.
* L3' (worker, once): landlock (read-only filesystem below the interpreter and the imported packages;
  no TCP; no signals out) and a seccomp deny-list (no sockets, exec, fork, kill, ptrace, mounts,
  filesystem writes, ...). Off-switch: ``ExecutorPool(hardening=False)`` or the environment variable
  ``HER_ARC_SANDBOX_HARDENING=0``. ``ExecutorPool.hardening`` reports what is active.
* L4 (worker, per program and input grid): a CPU-time timer of ``timeout_s`` per input grid raising a
  ``BaseException`` the program cannot catch
  (bare ``except``, ``except BaseException`` and ``finally`` are rejected by L1); ``RLIMIT_CPU`` as a
  backstop.
* L5 (parent): persistent workers forked by a clean zygote process (numpy + DSL only, never the
  parent's torch); a deadline per program (wall clock, checked against the worker's CPU use; ``timeout_s`` times
  its input grids) that
  kills and replaces a worker stuck in a C call; a crashed
  worker is replaced and the rest of its batch re-run; replies are strict binary records, never
  pickles; no orphans (PDEATHSIG, the zygote exits when the parent's socket closes) and no zombies.
"""

from ._pool import DEFAULT_MEMORY_MB, DEFAULT_TIMEOUT_S, ExecutionResult, ExecutorPool, execute
from ._protocol import STATUSES

__all__ = ["DEFAULT_MEMORY_MB", "DEFAULT_TIMEOUT_S", "STATUSES", "ExecutionResult", "ExecutorPool", "execute"]
