"""The sandbox's ``timeout_s`` is CPU time per input grid (the worker re-arms its timer for each ``task(grid)``).

Under the old meaning (one timer over all of a program's grids) every test here fails: a slow but correct program
whose grids together take more than ``timeout_s`` timed out, the timeout message named no input, the parent killed
a worker legitimately working through many grids as stuck, and the worker's RLIMIT_CPU covered ``timeout_s`` per
program, not per grid. CPU work is calibrated in this process and measured in CPU time, so a loaded machine only
stretches the wall time.
"""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import pytest

from her_arc.sandbox import ExecutorPool, _pool
from her_arc.sandbox._pool import _Call, _cpu_seconds, _Worker

pytestmark = pytest.mark.timeout(180)

DRAW = "def task(img):\n    draw_pixel(img, (0, 0), 7)\n    return img"
SLOW = "def task(img):\n    n = 0\n    for i in range({n}):\n        n += 1\n    return img"
"""A pure-Python counting loop: interruptible by the timer, and the same bytecode here and in the worker."""


def _grids(n: int) -> list[np.ndarray]:
    """n small grids, grid i (from 1) filled with i % 10, so a program can tell them apart."""
    return [np.full((3, 3), (i + 1) % 10, np.int8) for i in range(n)]


@pytest.fixture(scope="module")
def loops_per_cpu_s() -> float:
    """Iterations of SLOW's loop per CPU second in this process (the fastest of 3 runs)."""
    n = 1_000_000
    env: dict = {}
    exec(SLOW.format(n=n), env)  # noqa: S102 - our own test program
    best = float("inf")
    for _ in range(3):
        start = time.thread_time()
        env["task"](None)
        best = min(best, time.thread_time() - start)
    return n / max(best, 1e-3)


def slow_program(loops_per_cpu_s: float, cpu_s: float) -> str:
    return SLOW.format(n=int(loops_per_cpu_s * cpu_s))


@pytest.fixture(scope="module")
def pool():
    with ExecutorPool(1, timeout_s=0.5) as p:
        yield p


def _healthy(pool) -> None:
    res = pool.execute([DRAW], _grids(2))[0]
    assert res.status == "ok", res
    assert res.outputs[0][0, 0] == 7


def test_slow_program_gets_timeout_s_on_every_grid(pool, loops_per_cpu_s):
    # 0.5 x timeout_s of CPU on each of 3 grids: 1.5 x timeout_s in all, which the old per-program limit killed.
    timeout_s = 0.5
    program = slow_program(loops_per_cpu_s, 0.5 * timeout_s)
    before = pool.respawns
    res = pool.execute([program], _grids(3), timeout_s=timeout_s)[0]
    assert res.status == "ok", res
    assert [g[0, 0] for g in res.outputs] == [1, 2, 3]
    assert pool.respawns == before
    # the same work in one grid's slice does time out: the limit is still there, per grid
    one_grid = slow_program(loops_per_cpu_s, 3 * timeout_s)
    res = pool.execute([one_grid], _grids(3), timeout_s=timeout_s)[0]
    assert res.status == "timeout" and "on input 1 of 3" in res.error, res


def test_worker_busy_on_many_grids_is_not_killed_as_stuck(pool, loops_per_cpu_s):
    # 26 grids x 0.1 s = 2.6 s of CPU without a reply (timeout 0.2 s per grid): past two of the parent's checks
    # (every 1.2 s), with far more than timeout_s + 0.25 s of CPU between them, which the old rule called stuck.
    timeout_s, n = 0.2, 26
    program = slow_program(loops_per_cpu_s, 0.5 * timeout_s)
    before = pool.respawns
    res = pool.execute([program], _grids(n), timeout_s=timeout_s)[0]
    assert res.status == "ok", res
    assert len(res.outputs) == n
    assert pool.respawns == before


def test_loop_on_first_grid_costs_timeout_s_once_and_names_the_input(pool):
    timeout_s = 0.25
    program = "def task(img):\n    while True:\n        pass"
    pid = pool.worker_pids[0]
    cpu_before = _cpu_seconds(pid)
    start = time.monotonic()
    res = pool.execute([program], _grids(5), timeout_s=timeout_s)[0]
    elapsed = time.monotonic() - start
    cpu_used = _cpu_seconds(pid) - cpu_before
    assert res.status == "timeout", res
    assert res.error == "timeout after 0.25 s of CPU time on input 1 of 5"
    assert pool.worker_pids == [pid]  # the timer stopped it: no respawn
    assert 0.8 * timeout_s <= cpu_used < timeout_s + 0.5, cpu_used  # once, not 5 x; /proc counts in 10 ms ticks
    assert elapsed < 30  # wall time: generous, for a loaded machine
    _healthy(pool)


def test_loop_on_a_later_grid_names_that_input(pool, loops_per_cpu_s):
    timeout_s = 0.25
    program = (
        f"def task(img):\n    if img[0, 0] == 3:\n        while True:\n            pass\n"
        f"    n = 0\n    for i in range({int(loops_per_cpu_s * 0.5 * timeout_s)}):\n        n += 1\n    return img"
    )
    pid = pool.worker_pids[0]
    cpu_before = _cpu_seconds(pid)
    res = pool.execute([program], _grids(5), timeout_s=timeout_s)[0]
    cpu_used = _cpu_seconds(pid) - cpu_before
    assert res.status == "timeout", res
    assert res.error.endswith("on input 3 of 5"), res
    # grids 1 and 2 each ran their slow part, grid 3 its whole slice: more than one timeout_s in all
    assert cpu_used >= 1.2 * timeout_s, cpu_used
    assert pool.worker_pids == [pid]
    _healthy(pool)


def test_loop_in_the_module_body_is_named(pool):
    program = "while True:\n    pass\ndef task(img):\n    return img"
    res = pool.execute([program], _grids(4), timeout_s=0.2)[0]
    assert res.status == "timeout", res
    assert res.error == "timeout after 0.2 s of CPU time in the module body"
    _healthy(pool)


def test_stuck_c_call_on_a_later_grid_is_still_killed(pool):
    # One C call that never checks for signals, on grid 3 of 5: no timer stops it; the parent kills the worker once
    # it has burned more than timeout_s per grid (1 s here) without a reply.
    program = (
        "import itertools\ndef task(img):\n    if img[0, 0] == 3:\n"
        "        return sum(itertools.repeat(1, 10**13))\n    return img"
    )
    before = pool.respawns
    start = time.monotonic()
    results = pool.execute([program, DRAW], _grids(5), timeout_s=0.2)
    elapsed = time.monotonic() - start
    assert [r.status for r in results] == ["timeout", "ok"], results
    # the parent's stuck check or the worker's RLIMIT_CPU, whichever fires first on a loaded machine
    assert results[0].error.startswith(("killed after", "worker killed by the CPU-time limit")), results[0]
    assert pool.respawns == before + 1
    assert elapsed < 40  # about 3.6 s on idle cores; the hard cap (10 x 1 s + 10 s of wall time) is 20 s
    _healthy(pool)


def test_cpu_budget_of_a_batch_covers_timeout_s_per_grid(pool):
    # RLIMIT_CPU (the backstop) must allow timeout_s on every grid of every program in the batch.
    timeout_s, n = 2.0, 50
    res = pool.execute(["def task(img):\n    return img"], _grids(n), timeout_s=timeout_s)[0]
    assert res.status == "ok", res
    pid = pool.worker_pids[0]
    line = next(x for x in Path(f"/proc/{pid}/limits").read_text().splitlines() if x.startswith("Max cpu time"))
    soft = float(line.split()[3])
    assert soft - _cpu_seconds(pid) >= timeout_s * n, line


# --- the parent's stuck rule, with the worker's CPU time made up --------------------------------------------------


class _Parent:
    """Stands in for the pool in ExecutorPool._check_stuck: records what it would kill."""

    def __init__(self):
        self.failed: list[str] = []

    def _fail(self, worker, call, reason):
        self.failed.append(reason)


def _call(timeout_s: float, n_grids: int) -> _Call:
    return _Call(programs=[DRAW], grids=_grids(n_grids), results=[None], queue=None, key=1, timeout_s=timeout_s,
                 memory_mb=1024, max_record=0, remaining=1)  # fmt: skip


def test_stuck_rule_allows_timeout_s_per_grid(monkeypatch):
    cpu = {"now": 10.0}
    monkeypatch.setattr(_pool, "_cpu_seconds", lambda pid: cpu["now"])
    call = _call(0.5, 5)  # may use 2.5 s of CPU
    assert call.program_cpu_s == 2.5
    parent, worker = _Parent(), _Worker(pid=1, sock=None, pidfd=None, hello={}, head_started=0.0)
    check = _pool.ExecutorPool._check_stuck
    check(parent, worker, call, 1.5)  # first check: marks the CPU
    assert parent.failed == [] and worker.cpu_mark == 10.0 and worker.deadline == pytest.approx(3.0)
    cpu["now"] = 12.6  # 2.6 s since the mark: within 5 x 0.5 s + 0.25 s (the old rule killed at 0.75 s)
    check(parent, worker, call, 3.0)
    assert parent.failed == []
    cpu["now"] = 12.8  # 2.8 s: no timer stopped it
    check(parent, worker, call, 4.5)
    assert parent.failed == ["deadline"]


def test_hard_cap_scales_with_the_grids(monkeypatch):
    monkeypatch.setattr(_pool, "_cpu_seconds", lambda pid: 10.0)  # starved: burns nothing
    call = _call(0.5, 5)  # hard cap 10 x 2.5 s + 10 s = 35 s of wall time
    parent, worker = _Parent(), _Worker(pid=1, sock=None, pidfd=None, hello={}, head_started=0.0)
    check = _pool.ExecutorPool._check_stuck
    check(parent, worker, call, 20.0)  # past the old cap (10 x 0.5 s + 10 s = 15 s)
    assert parent.failed == []
    check(parent, worker, call, 36.0)
    assert parent.failed == ["deadline"]
