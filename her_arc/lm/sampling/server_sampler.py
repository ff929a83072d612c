"""The server backend: completions from a vLLM OpenAI-compatible server that many searches share.

One engine holds the base model; each search loads its own LoRA adapter into it under a name of its own
(``POST /v1/load_lora_adapter``) and asks for completions of that name (``POST /v1/completions``), so N searches
need one model in memory instead of N. The requests carry token ids both ways (``prompt`` as ids,
``return_token_ids``), and the seeds are derived as :class:`~her_arc.lm.sampling.VLLMSampler` derives them, so
the server gives what an in-process engine serving the same adapter per request gives.
"""

from __future__ import annotations

import itertools
import json
import logging
import os
import urllib.error
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from her_arc.lm.sampling.base import _BaseSampler
from her_arc.lm.sampling.types import AdapterError, Completion, SamplerStartError, SamplingConfig, as_groups
from her_arc.lm.sampling.vllm_sampler import _strip_eos, request_plan

logger = logging.getLogger(__name__)

#: Seconds one HTTP request may take (a completion request of a few hundred samples on a loaded CPU engine).
REQUEST_TIMEOUT_S = 1800.0


class ServerError(RuntimeError):
    """The server answered a request with an error."""


class ServerSampler(_BaseSampler):
    """Samples from the vLLM server at ``config.server_url``, with this sampler's adapter as a named LoRA.

    The constructor checks that the server is up and serves the same model (its ``/v1/models`` entry). Each new
    adapter directory (or rewritten adapter files) is loaded under a fresh name and the sampler's previous one is
    unloaded, so a server holds one adapter per live search.
    """

    backend = "server"

    def __init__(self, config: SamplingConfig):
        super().__init__(config)
        self._serves, self._max_rank = "vllm", config.max_lora_rank
        self.url = (config.server_url or "").rstrip("/")
        if not self.url.startswith(("http://", "https://")):
            raise SamplerStartError(f"server_url must be an http:// or https:// address, got {config.server_url!r}")
        self.served = self._check_server()
        self._prefix = f"her-arc-{os.getpid()}-{uuid.uuid4().hex[:8]}"
        self._names = itertools.count(1)
        self._adapter: tuple[tuple, str] | None = None  # (adapter key, its name on the server)

    # -- HTTP
    def _request(self, path: str, payload: dict | None = None, timeout: float = REQUEST_TIMEOUT_S):
        data = None if payload is None else json.dumps(payload).encode()
        req = urllib.request.Request(self.url + path, data=data, method="GET" if data is None else "POST",
                                     headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(req, timeout=timeout) as resp:
                body = resp.read().decode()
        except urllib.error.HTTPError as exc:
            detail = exc.read().decode(errors="replace")
            try:
                detail = json.loads(detail).get("error", {}).get("message", detail)
            except (ValueError, AttributeError):
                pass
            raise ServerError(f"{self.url}{path} answered {exc.code}: {detail}") from exc
        except (urllib.error.URLError, OSError) as exc:
            raise SamplerStartError(f"no vLLM server answers at {self.url} ({exc}); start one "
                                    "(her_arc.lm.serving.start_engine, or her-arc solve --engine shared)") from exc
        try:
            return json.loads(body)
        except ValueError:
            return body

    def _check_server(self) -> str:
        models = self._request("/v1/models", timeout=30)
        entries = models.get("data", []) if isinstance(models, dict) else []
        bases = [m for m in entries if not m.get("parent")]
        if not bases:
            raise SamplerStartError(f"the server at {self.url} lists no base model in /v1/models: {models!r}")
        base = bases[0]
        root = Path(base.get("root") or base["id"]).expanduser()
        if not _same_model(root, self.model_dir):
            raise SamplerStartError(f"the server at {self.url} serves {str(root)!r}, not this sampler's model "
                                    f"{str(self.model_dir)!r}; start it with --model {self.model_dir}")
        if base.get("max_model_len"):
            self.context = min(self.context, int(base["max_model_len"]))
        return base["id"]

    # -- adapters
    def _model_name(self, adapter_dir) -> str:
        if adapter_dir is None:
            return self.served
        if not self.config.enable_lora:
            raise AdapterError("this sampler was configured with enable_lora=False; it cannot take an adapter")
        path, key = self._check_adapter(adapter_dir)
        if self._adapter is not None and self._adapter[0] == key:
            return self._adapter[1]
        name = f"{self._prefix}-{next(self._names)}"
        try:
            self._request("/v1/load_lora_adapter", {"lora_name": name, "lora_path": str(path)})
        except ServerError as exc:
            hint = ""
            if "runtime" in str(exc).lower() or "404" in str(exc):
                hint = " (start the server with VLLM_ALLOW_RUNTIME_LORA_UPDATING=True and --enable-lora)"
            raise AdapterError(f"the server did not load the adapter {str(path)!r}: {exc}{hint}") from exc
        self._unload()
        self._adapter = (key, name)
        return name

    def _unload(self) -> None:
        if self._adapter is None:
            return
        name, self._adapter = self._adapter[1], None
        try:
            self._request("/v1/unload_lora_adapter", {"lora_name": name}, timeout=60)
        except (ServerError, SamplerStartError) as exc:  # a server gone or restarted has nothing to unload
            logger.warning("could not unload adapter %s: %s", name, exc)

    # -- sampling
    def sample(self, prompts, groups=None, adapter_dir=None, *, seed=None, max_new_tokens=None, stop=()):
        if self._closed:
            raise RuntimeError("this sampler is closed")
        groups = as_groups(groups) if groups is not None else self.config.groups
        self._check_limit(max_new_tokens)
        ids = self._encode(prompts)
        model = self._model_name(adapter_dir)
        call_seed = self._call_seed(seed)
        eos = self.tokenizer.eos_token_id
        requests, owners = [], []
        for i, j, tokens, n, g, request_seed in request_plan(ids, groups, call_seed):
            requests.append({
                "model": model, "prompt": tokens, "n": n, "temperature": g.temperature,
                "top_p": self.config.top_p if g.temperature > 0 else 1.0,
                "max_tokens": self._max_tokens(len(tokens), max_new_tokens), "seed": request_seed,
                "stop_token_ids": [eos], "stop": list(stop) or None, "include_stop_str_in_output": True,
                "return_token_ids": True, "skip_special_tokens": True,
            })
            owners.append((i, j))
        # every request at once: the engine batches them as it batches one generate call's
        with ThreadPoolExecutor(max_workers=min(64, len(requests))) as pool:
            answers = list(pool.map(lambda r: self._request("/v1/completions", r), requests))
        result: list[list[Completion]] = [[] for _ in prompts]
        sequences = [(i, j, choice) for (i, j), answer in zip(owners, answers, strict=True)
                     for choice in sorted(answer["choices"], key=lambda c: c["index"])]
        # decoded with the HF tokenizer, as the other backends do
        bodies = [_strip_eos(list(c["token_ids"]), eos) for _, _, c in sequences]
        texts = self.tokenizer.batch_decode(bodies, skip_special_tokens=True)
        for (i, j, choice), text in zip(sequences, texts, strict=True):
            result[i].append(Completion(
                text=text,
                n_tokens=len(choice["token_ids"]),
                group=j,
                temperature=groups[j].temperature,
                finish_reason="stop" if choice.get("finish_reason") == "stop" else "length",
            ))
        return result

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        self._unload()


def _same_model(a: Path, b: Path) -> bool:
    """Whether two model directories hold the same model (the same path, or the same config and weights' sizes)."""
    if not a.exists():  # a server on another machine: its path means nothing here
        logger.warning("the server's model %s is not on this machine; assuming it is %s", a, b)
        return True
    try:
        if a.resolve() == b.resolve():
            return True
        same_config = json.loads((a / "config.json").read_text()) == json.loads((b / "config.json").read_text())
        sizes = [sorted((p.name, p.stat().st_size) for p in d.glob("*.safetensors")) for d in (a, b)]
        return same_config and sizes[0] == sizes[1]
    except OSError:
        return False


__all__ = ["ServerError", "ServerSampler"]
