"""The process side of the sandbox: the zygote (a clean interpreter with numpy and the DSL loaded,
started by the parent with ``subprocess``) and the workers it forks.

The zygote never imports ``her_arc/__init__`` or anything the parent has loaded (torch, vLLM): the
parent starts it from a fresh ``python -s -c`` and registers bare stand-ins for the ``her_arc`` and
``her_arc.sandbox`` packages so that only this module, ``_checks``, ``_hardening`` and
``_protocol`` are imported. Each fork costs about 2 ms; workers inherit the warm interpreter.

Per program (L1, L2, L4): static check, compile, ``exec`` in a fresh globals dict with restricted
builtins, ``task(grid.copy())`` for each input, output validation; all of it under a CPU-time
``ITIMER_PROF`` timer whose handler raises ``_Timeout`` (a ``BaseException``, and the static check
forbids bare ``except``, ``except BaseException`` and ``finally``, so a program cannot swallow it).

``timeout_s`` is CPU time per input grid: the timer is re-armed with ``timeout_s`` before each
``task(grid)`` call (which covers that grid's output validation too). The static check, compile and
``exec`` of the module body come before the first grid and count toward its slice, so one program
costs at most ``timeout_s * n_grids`` of CPU, and a program that loops on its first grid (or in its
module body) costs ``timeout_s`` once. The timeout message names the input (numbered from 1) or the
module body. The timer re-fires every ``timeout_s`` until it is disarmed. Backstops: ``RLIMIT_CPU``
per batch (``timeout_s * n_grids`` per program, plus slack) and the parent's deadline.
"""

from __future__ import annotations

import gc
import json
import os
import pickle
import signal
import socket
import struct
import sys
import time
import types

import numpy as np

from dsl.primitives import PRIMITIVES

from . import _hardening
from ._checks import Namespace, Rejected, check_source
from ._protocol import (
    DIGITS,
    ERROR,
    HELLO_SEQ,
    HELLO_STATUS,
    INVALID_OUTPUT,
    LEN,
    MAX_HELLO_BYTES,
    MAX_SIDE,
    MEMORY,
    REJECTED,
    TIMEOUT,
    encode_message,
    encode_ok,
)

RECURSION_LIMIT = 1000
FLUSH_S = 0.002
CODE_CACHE_SIZE = 2048
"""Checked and compiled programs kept per worker (code objects are immutable): repeated programs, as in
simplify's last check or the determinism re-run, skip the parse, check and compile."""
_CODE_CACHE: dict[str, types.CodeType] = {}
"""Replies are sent together, at the end of a batch or every FLUSH_S seconds (fewer wake-ups)."""


class _Timeout(BaseException):
    """Raised by the timer; unreachable by name from a program."""


class InvalidOutput(Exception):
    pass


class _Timer:
    armed = False
    where = ""
    """what the running program is doing, for the timeout message: "in the module body" or "on input i of n"."""


def _timeout_message(timeout_s: float) -> str:
    return f"timeout after {timeout_s:g} s of CPU time {_Timer.where}".rstrip()


def _on_timer(signum, frame):
    if _Timer.armed:
        raise _Timeout()


# --- output validation ---------------------------------------------------------------------------

_CELL_TYPES = (int, float, np.integer, np.floating, np.bool_)


def validate_output(out) -> tuple[int, int, bytes]:
    """A program's return value as (h, w, uint8 cells), or raise InvalidOutput.

    Sizes are checked before anything is converted, so a huge list is never turned into an array.
    """
    if isinstance(out, np.ndarray):
        arr = out
    elif isinstance(out, (list, tuple)):
        if not 1 <= len(out) <= MAX_SIDE:
            raise InvalidOutput(f"a grid needs 1-{MAX_SIDE} rows, got {len(out)}")
        width = None
        for row in out:
            if isinstance(row, np.ndarray):
                if row.ndim != 1:
                    raise InvalidOutput("a row must be 1-D")
                n = row.shape[0]
            elif isinstance(row, (list, tuple)):
                n = len(row)
                if n <= MAX_SIDE and not all(isinstance(cell, _CELL_TYPES) for cell in row):
                    raise InvalidOutput("cells must be numbers")
            else:
                raise InvalidOutput(f"a row must be a list, got {type(row).__name__}")
            if not 1 <= n <= MAX_SIDE:
                raise InvalidOutput(f"a row needs 1-{MAX_SIDE} cells, got {n}")
            if width is not None and n != width:
                raise InvalidOutput("ragged rows")
            width = n
        arr = np.array(out)
    else:
        raise InvalidOutput(f"expected a 2-D grid, got {type(out).__name__}")
    if arr.ndim != 2:
        raise InvalidOutput(f"expected a 2-D grid, got {arr.ndim}-D")
    h, w = arr.shape
    if not (1 <= h <= MAX_SIDE and 1 <= w <= MAX_SIDE):
        raise InvalidOutput(f"grid sides must be 1-{MAX_SIDE}, got {h}x{w}")
    kind = arr.dtype.kind
    if kind == "f":
        if not np.isfinite(arr).all() or not (arr == np.floor(arr)).all():
            raise InvalidOutput("float cells must be whole numbers")
    elif kind == "O":
        if not all(isinstance(cell, (int, np.integer)) for cell in arr.flat):
            raise InvalidOutput("cells must be integers")
    elif kind not in "iub":
        raise InvalidOutput(f"cells must be integers, got dtype {arr.dtype}")
    if arr.dtype.itemsize == 1 and kind in "iub":  # the common case: int8 grids; no wrap-around possible
        cells = arr.astype(np.uint8).tobytes()
        if cells.translate(None, DIGITS):
            raise InvalidOutput("cells must be 0-9")
        return h, w, cells
    if arr.min() < 0 or arr.max() > 9:
        raise InvalidOutput("cells must be 0-9")
    return h, w, np.ascontiguousarray(arr, dtype=np.uint8).tobytes()


# --- running one program -------------------------------------------------------------------------


def _describe(exc: BaseException) -> str:
    try:
        text = str(exc)
    except Exception:  # noqa: BLE001 - e.g. an int too long to print
        text = "<unprintable>"
    return f"{type(exc).__name__}: {text[:280]}" if text else type(exc).__name__


def run_program(
    namespace: Namespace,
    seq: int,
    source: str,
    grids: list[np.ndarray],
    timeout_s: float,
    static_check: bool = True,
) -> bytes:
    """Run one program on every grid; return its encoded reply record.

    ``timeout_s`` is CPU time per input grid: the timer is re-armed before each ``task(grid)`` call; the
    static check, compile and module body count toward the first grid's slice.
    """
    n_grids = len(grids)
    try:
        _Timer.where = "in the module body"
        _Timer.armed = True
        signal.setitimer(signal.ITIMER_PROF, timeout_s, timeout_s)
        try:
            code = _CODE_CACHE.get(source) if static_check else None
            if code is None:
                try:
                    tree = check_source(source) if static_check else source
                    code = compile(tree, "<program>", "exec")
                except Rejected as exc:
                    return encode_message(seq, REJECTED, str(exc))
                except (SyntaxError, ValueError, RecursionError, MemoryError, OverflowError) as exc:
                    return encode_message(seq, REJECTED, _describe(exc))
                if static_check:
                    if len(_CODE_CACHE) >= CODE_CACHE_SIZE:
                        del _CODE_CACHE[next(iter(_CODE_CACHE))]
                    _CODE_CACHE[source] = code
            env = namespace.fresh_globals()
            exec(code, env)
            task = env.get("task")
            if not isinstance(task, types.FunctionType):
                return encode_message(seq, REJECTED, "'task' is not a function")
            grids_out = []
            for i, grid in enumerate(grids):
                if i:  # the first grid's slice also covers the check, compile and module body above
                    signal.setitimer(signal.ITIMER_PROF, timeout_s, timeout_s)
                _Timer.where = f"on input {i + 1} of {n_grids}"
                grids_out.append(validate_output(task(grid.copy())))
            return encode_ok(seq, grids_out)
        except InvalidOutput as exc:
            return encode_message(seq, INVALID_OUTPUT, str(exc))
        except MemoryError as exc:
            return encode_message(seq, MEMORY, _describe(exc))
        except Exception as exc:  # noqa: BLE001 - any error of the program
            return encode_message(seq, ERROR, _describe(exc))
        finally:
            _Timer.armed = False
            signal.setitimer(signal.ITIMER_PROF, 0, 0)
    except _Timeout:
        _Timer.armed = False
        return encode_message(seq, TIMEOUT, _timeout_message(timeout_s))


# --- worker --------------------------------------------------------------------------------------


def _recv_exact(sock: socket.socket, n: int) -> bytes | None:
    chunks, got = [], 0
    while got < n:
        chunk = sock.recv(min(n - got, 1 << 20))
        if not chunk:
            return None
        chunks.append(chunk)
        got += len(chunk)
    return b"".join(chunks)


def worker_main(fd: int, config: dict, zygote_pid: int) -> None:
    sock = socket.socket(fileno=fd)
    sock.setblocking(True)
    devnull = os.open(os.devnull, os.O_RDWR)
    for target in (0, 1, 2):
        os.dup2(devnull, target)
    os.close(devnull)
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGPROF, _on_timer)
    memory_mb = int(config["memory_mb"])
    report = _hardening.harden_worker(
        zygote_pid=zygote_pid,
        memory_mb=memory_mb,
        hardening=bool(config["hardening"]),
        drop_privileges=bool(config["drop_privileges"]),
        read_paths=_hardening.default_read_paths(config["read_paths"]),
    )
    sys.setrecursionlimit(RECURSION_LIMIT)
    report["recursion_limit"] = str(RECURSION_LIMIT)
    report["pid"] = str(os.getpid())
    sock.sendall(encode_message(HELLO_SEQ, HELLO_STATUS, json.dumps(report), MAX_HELLO_BYTES))

    namespace: Namespace = config["_namespace"]
    static_check = not config.get("unsafe_skip_static_check", False)  # tests of the OS layers only
    grids: list[np.ndarray] = []
    call_key = None
    while True:
        header = _recv_exact(sock, LEN.size)
        if header is None:
            return
        payload = _recv_exact(sock, LEN.unpack(header)[0])
        if payload is None:
            return
        key, inputs, timeout_s, new_memory_mb, batch = pickle.loads(payload)  # parent -> worker only
        if inputs is not None or key != call_key:
            grids = [np.array(g, dtype=np.int8) for g in (inputs or [])]
            call_key = key
        if new_memory_mb != memory_mb:
            memory_mb = new_memory_mb
            _hardening.set_memory_limit(memory_mb)
        # a backstop only: each program may use timeout_s per grid (the timer stops it there); the parent's
        # deadline catches a stuck C call long before this
        _hardening.set_cpu_budget(timeout_s * (len(batch) * max(1, len(grids)) + 1) + 2.0)
        pending: list[bytes] = []
        last_flush = time.monotonic()
        for seq, source in batch:
            try:
                reply = run_program(namespace, seq, source, grids, timeout_s, static_check)
            except _Timeout:  # a late tick landed between our own bytecodes
                _Timer.armed = False
                reply = encode_message(seq, TIMEOUT, _timeout_message(timeout_s))
            except BaseException as exc:  # noqa: BLE001 - never let the loop die on a program
                _Timer.armed = False
                reply = encode_message(seq, ERROR, f"internal: {_describe(exc)}")
            pending.append(reply)
            now = time.monotonic()
            if now - last_flush >= FLUSH_S:
                sock.sendall(b"".join(pending))
                pending.clear()
                last_flush = now
        if pending:
            sock.sendall(b"".join(pending))


# --- zygote --------------------------------------------------------------------------------------


def _warm_numpy() -> None:
    """Call the ndarray methods that import numpy's Python helpers on first use (``a.sum()`` imports
    ``numpy._core._methods``, printing imports ``arrayprint``): run from a program's frame, that import would go
    through the program's restricted ``__import__`` and fail; once done here, numpy keeps the functions cached."""
    a, b = np.arange(6, dtype=np.int8).reshape(2, 3), np.ones((2, 3), dtype=bool)
    for x in (a, b, a.astype(np.int64), a.astype(np.float64)):
        for method in ("sum", "prod", "any", "all", "mean", "std", "var", "max", "min", "argmax", "argmin",
                       "cumsum", "round", "nonzero", "ptp" if hasattr(x, "ptp") else "max"):
            getattr(x, method)()
        x.clip(0, 1)
        repr(x), str(x), f"{x}", x.tolist()
        x.sum(axis=0), x.max(axis=1), x.any(axis=0), x.mean(axis=0)
    repr(np.int8(3)), str(np.float64(1.5)), repr(np.bool_(True))


def zygote_main(ctrl_fd: int) -> None:
    """Serve spawn requests on the control socket until it closes or says quit."""
    ctrl = socket.socket(fileno=ctrl_fd)
    ctrl.setblocking(True)
    children: set[int] = set()

    def reap(*_):
        while True:
            try:
                pid, _status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                return
            if pid == 0:
                return
            children.discard(pid)

    signal.signal(signal.SIGCHLD, reap)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    namespace = Namespace(PRIMITIVES)
    _warm_numpy()
    gc.collect()
    gc.freeze()  # keep the shared heap out of later collections: fewer copy-on-write pages
    zygote_pid = os.getpid()
    ctrl.sendall(b"R")
    try:
        while True:
            try:
                msg, fds, _flags, _addr = socket.recv_fds(ctrl, 65536, 2)
            except OSError:
                break
            if not msg or msg[:1] == b"Q":
                for fd in fds:
                    os.close(fd)
                break
            if msg[:1] != b"S" or len(fds) != 1:
                for fd in fds:
                    os.close(fd)
                ctrl.sendall(struct.pack("<i", -1))
                continue
            config = json.loads(msg[1:])
            config["_namespace"] = namespace
            pid = os.fork()
            if pid == 0:
                code = 0
                try:
                    ctrl.close()
                    worker_main(fds[0], config, zygote_pid)
                except BaseException:  # noqa: BLE001
                    code = 1
                finally:
                    os._exit(code)
            os.close(fds[0])
            children.add(pid)
            ctrl.sendall(struct.pack("<i", pid))
    finally:
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        for pid in list(children):
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        for pid in list(children):
            try:
                os.waitpid(pid, 0)
            except ChildProcessError:
                pass
        reap()
