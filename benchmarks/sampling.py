"""Sampling throughput: vLLM vs transformers on the same prompts, model and adapters, in one run.

The workload is one search epoch: one task prompt, the search's groups (8 samples at temperature 0.1 plus 128 at
0.9 = 136 programs), ``--max-new-tokens`` per program, and a LoRA adapter that is NEW every round (as each epoch
trains a new one), so adapter loading is part of the measured time. Each backend runs one untimed warm-up call
(base model), then ``--rounds`` timed calls per task, each with the next adapter. vLLM is measured in each adapter
mode (``lora``: per-request ``LoRARequest``; ``merge``: adapter merged into the weights, reloaded in place), one
engine at a time; the transformers sampler runs interleaved with each, so both see the same machine load.

Model: the shipped painter (``her_arc/painter/model``) when it exists, else a randomly initialised model of the
painter's size (hidden 256, 4 layers, 4 heads of 64, vocab of the project tokenizer; it rarely emits EOS, so
nearly every program runs to ``--max-new-tokens``).

Reported: start-up (separately), generated tokens/s and programs/s (medians), CPU-seconds of the process tree,
and the ratio vLLM / transformers. Writes ``benchmarks/results/sampling.md`` and ``sampling.json``.

    .venv/bin/python benchmarks/sampling.py                 # full run (~10-15 minutes on the shared 2-core VM)
    .venv/bin/python benchmarks/sampling.py --rounds 1 --tasks squares-9 --max-new-tokens 32   # smoke run
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from her_arc.lm.sampling import (  # noqa: E402
    PAINTER_DIR,
    SamplingConfig,
    TransformersSampler,
    VLLMSampler,
    vllm_available,
)

RESULTS = ROOT / "benchmarks" / "results"


def load_prompt(task: str) -> str:
    import numpy as np

    from her_arc.lm.prompt import encode_task

    data = json.loads((ROOT / "tasks" / f"{task}.json").read_text())
    pairs = [(np.array(p["input"]), np.array(p["output"])) for p in data["train"]]
    return encode_task(pairs, encoding="runs")


def painter_sized_model(workdir: Path, n_adapters: int, rank: int) -> tuple[Path, list[Path], str]:
    """The shipped painter if present, else a random painter-sized model; plus ``n_adapters`` random LoRAs."""
    import torch
    from peft import LoraConfig, get_peft_model
    from transformers import AutoModelForCausalLM, LlamaConfig, LlamaForCausalLM

    if (PAINTER_DIR / "config.json").is_file():
        model_dir, kind = PAINTER_DIR, "shipped painter"
    else:
        from her_arc.lm.tokenizer import build_tokenizer

        tokenizer = build_tokenizer()
        torch.manual_seed(0)
        config = LlamaConfig(
            vocab_size=len(tokenizer), hidden_size=256, intermediate_size=640, num_hidden_layers=4,
            num_attention_heads=4, num_key_value_heads=4, max_position_embeddings=2048,
            bos_token_id=tokenizer.bos_token_id, eos_token_id=tokenizer.eos_token_id,
            pad_token_id=tokenizer.pad_token_id, tie_word_embeddings=False,
        )
        model_dir, kind = workdir / "model", "random painter-sized model (hidden 256, 4 layers, 4x64 heads)"
        LlamaForCausalLM(config).save_pretrained(model_dir)
        tokenizer.save_pretrained(model_dir)
    adapters = []
    for i in range(n_adapters):
        torch.manual_seed(100 + i)
        base = AutoModelForCausalLM.from_pretrained(model_dir)
        lora = LoraConfig(r=rank, lora_alpha=rank, init_lora_weights=False, task_type="CAUSAL_LM",
                          target_modules=["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj",
                                          "down_proj"])
        peft_model = get_peft_model(base, lora)
        with torch.no_grad():  # keep the random adapter a perturbation, not noise that swamps the model
            for name, p in peft_model.named_parameters():
                if "lora_B" in name:
                    p.mul_(0.1)
        path = workdir / f"adapter{i}"
        peft_model.save_pretrained(path)
        adapters.append(path)
    n_params = sum(p.numel() for p in AutoModelForCausalLM.from_pretrained(model_dir).parameters())
    return Path(model_dir), adapters, f"{kind}, {n_params / 1e6:.2f}M parameters"


def cpu_seconds() -> float:
    """CPU time of this process and all its children (vLLM's engine core and workers), user + system."""
    import psutil

    total = 0.0
    procs = [psutil.Process()]
    procs += procs[0].children(recursive=True)
    for proc in procs:
        try:
            times = proc.cpu_times()
        except psutil.Error:
            continue
        total += times.user + times.system
    return total


def timed(sampler, prompts, groups, adapter) -> dict:
    load_before, cpu, t = os.getloadavg()[0], cpu_seconds(), time.perf_counter()
    out = sampler.sample(prompts, groups, adapter)
    seconds, cpu = time.perf_counter() - t, cpu_seconds() - cpu
    completions = [c for per_prompt in out for c in per_prompt]
    tokens = sum(c.n_tokens for c in completions)
    return {
        "seconds": seconds,
        "cpu_seconds": cpu,
        "programs": len(completions),
        "tokens": tokens,
        "tokens_per_s": tokens / seconds,
        "programs_per_s": len(completions) / seconds,
        "tokens_per_cpu_s": tokens / cpu if cpu > 0 else float("nan"),
        "eos_fraction": sum(c.finish_reason == "stop" for c in completions) / len(completions),
        "load_before": load_before,
    }


def summarize(rounds: list[dict]) -> dict:
    keys = ("seconds", "cpu_seconds", "tokens_per_s", "programs_per_s", "tokens_per_cpu_s", "eos_fraction",
            "load_before")
    return {k: statistics.median(r[k] for r in rounds) for k in keys}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tasks", default="squares-20,squares-100",
                        help="comma-separated task files under tasks/ whose prompts are sampled")
    parser.add_argument("--max-new-tokens", type=int, default=192)
    parser.add_argument("--rounds", type=int, default=3, help="timed calls per backend and task, a new adapter each")
    parser.add_argument("--rank", type=int, default=16)
    parser.add_argument("--hf-threads", default="1",
                        help="torch thread counts to measure transformers at, e.g. 1,2 (2 threads was 5-8x slower "
                             "than 1 on the shared 2-core VM)")
    parser.add_argument("--vllm-modes", default="lora,merge",
                        help="vLLM adapter modes to measure, one engine each in turn; empty = skip vLLM")
    parser.add_argument("--out", default=str(RESULTS / "sampling"), help="output path without extension")
    args = parser.parse_args()

    import torch
    import transformers

    groups = [(8, 0.1), (128, 0.9)]
    tasks = [t for t in args.tasks.split(",") if t]
    workdir = Path(tempfile.mkdtemp(prefix="bench_sampling_"))
    model_dir, adapters, model_desc = painter_sized_model(workdir, args.rounds * len(tasks), args.rank)
    base = SamplingConfig(model=model_dir, max_new_tokens=args.max_new_tokens, seed=0, groups=groups,
                          max_model_len=2048 if model_dir != PAINTER_DIR else None)
    tokenizer = transformers.AutoTokenizer.from_pretrained(model_dir)
    prompts = {t: load_prompt(t) for t in tasks}
    report: dict = {
        "workload": {
            "tasks": {t: len(tokenizer(p)["input_ids"]) for t, p in prompts.items()},
            "groups": groups, "samples_per_call": sum(n for n, _ in groups),
            "max_new_tokens": args.max_new_tokens, "top_p": base.top_p, "rounds": args.rounds,
            "lora_rank": args.rank, "model": model_desc,
        },
        "machine": {
            "cpus": os.cpu_count(), "platform": platform.platform(), "python": platform.python_version(),
            "torch": torch.__version__, "transformers": transformers.__version__,
            "cuda": torch.cuda.is_available(), "load_at_start": os.getloadavg()[0],
        },
        "startup_s": {},
        "results": {},
    }

    hf = {}
    for threads in [int(t) for t in args.hf_threads.split(",") if t]:
        name = f"transformers, {threads} thread{'s' if threads > 1 else ''}"
        t = time.perf_counter()
        hf[name] = TransformersSampler(base.replace(backend="transformers", cpu_threads=threads))
        report["startup_s"][name] = {"total": time.perf_counter() - t}
        hf[name].sample([prompts[tasks[0]]], groups, None)  # warm-up, base model
    modes = [m for m in args.vllm_modes.split(",") if m] if vllm_available() else []
    if modes:
        import vllm

        report["machine"]["vllm"] = vllm.__version__
    results: dict[str, dict[str, list]] = {task: {name: [] for name in hf} for task in tasks}
    for mode in modes or [None]:
        samplers = dict(hf)
        if mode is not None:  # one engine per process: each mode gets its own, in turn
            name = f"vllm, adapter mode {mode}"
            t = time.perf_counter()
            engine = VLLMSampler(base.replace(backend="vllm", vllm_adapter_mode=mode,
                                              max_lora_rank=max(16, args.rank)))
            report["startup_s"][name] = {"total": time.perf_counter() - t, "engine": engine.startup_s}
            report["machine"]["vllm_platform"] = engine.platform
            engine.sample([prompts[tasks[0]]], groups, None)  # warm-up, base model
            samplers = {name: engine, **hf}
        print("start-up:", json.dumps(report["startup_s"]), flush=True)
        # Rounds interleave the backends (in rotating order) so that they share the machine's load drift; every
        # backend meets each adapter for the first time in its round, as the search does each epoch.
        names = list(samplers)
        for k, task in enumerate(tasks):
            for r in range(args.rounds):
                adapter = adapters[k * args.rounds + r]
                for name in names[r % len(names):] + names[: r % len(names)]:
                    row = timed(samplers[name], [prompts[task]], groups, adapter)
                    results[task].setdefault(name, []).append(row)
                    print(task, r, name, json.dumps({k2: round(v, 3) for k2, v in row.items()}), flush=True)
        if mode is not None:
            engine.close()
    for sampler in hf.values():
        sampler.close()
    report["results"] = {task: {name: {"median": summarize(rs), "rounds": rs} for name, rs in per.items()}
                         for task, per in results.items()}

    report["ratios"] = {}
    for task, per_backend in report["results"].items():
        hf_rows = {n: v for n, v in per_backend.items() if n.startswith("transformers")}
        if not hf_rows:
            continue
        best = max(hf_rows, key=lambda n: hf_rows[n]["median"]["tokens_per_s"])
        for name, row in per_backend.items():
            if name.startswith("vllm"):
                v, h = row["median"], hf_rows[best]["median"]
                report["ratios"].setdefault(task, {})[name] = {
                    "against": best,
                    "tokens_per_s": v["tokens_per_s"] / h["tokens_per_s"],
                    "programs_per_s": v["programs_per_s"] / h["programs_per_s"],
                    "tokens_per_cpu_s": v["tokens_per_cpu_s"] / h["tokens_per_cpu_s"],
                }
    report["machine"]["load_at_end"] = os.getloadavg()[0]
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.with_suffix(".json").write_text(json.dumps(report, indent=2) + "\n")
    out.with_suffix(".md").write_text(markdown(report))
    print(markdown(report))


def markdown(report: dict) -> str:
    w, m = report["workload"], report["machine"]
    tasks = ", ".join(f"`{t}` ({n} prompt tokens)" for t, n in w["tasks"].items())
    lines = [
        "# Sampling throughput: vLLM vs transformers",
        "",
        f"Generated by `benchmarks/sampling.py` on {time.strftime('%Y-%m-%d %H:%M')}.",
        "",
        f"- Model: {w['model']}.",
        f"- Workload = one search epoch: one task prompt, groups {w['groups']} = {w['samples_per_call']} programs "
        f"per call, max_new_tokens {w['max_new_tokens']}, top_p {w['top_p']}, a new LoRA adapter (rank "
        f"{w['lora_rank']}) every call. Tasks: {tasks}. {w['rounds']} timed calls per backend and task after "
        "one warm-up call, interleaved across backends; medians.",
        f"- Machine: {m['cpus']} CPUs, {m['platform']}, Python {m['python']}, torch {m['torch']}, "
        f"transformers {m['transformers']}" + (f", vLLM {m['vllm']} ({m.get('vllm_platform')})" if "vllm" in m
                                                else "") + (", CUDA" if m["cuda"] else ", no GPU")
        + f"; load average {m['load_at_start']:.1f} at start, {m['load_at_end']:.1f} at end.",
        "",
        "Start-up (paid once per search): "
        + "; ".join(f"{n} {s['total']:.1f} s" + (f" (engine {s['engine']:.1f} s; the rest is the tokenizer and, "
                                                  "for the first engine, importing vLLM)" if "engine" in s else "")
                    for n, s in report["startup_s"].items()) + ".",
        "",
        "| task | backend | s / epoch | generated tokens/s | programs/s | CPU s / epoch | tokens / CPU s "
        "| EOS fraction | load avg |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for task, per_backend in report["results"].items():
        for name, r in per_backend.items():
            x = r["median"]
            lines.append(
                f"| {task} | {name} | {x['seconds']:.2f} | {x['tokens_per_s']:,.0f} | {x['programs_per_s']:.1f} | "
                f"{x['cpu_seconds']:.1f} | {x['tokens_per_cpu_s']:,.0f} | {x['eos_fraction']:.2f} | "
                f"{x['load_before']:.1f} |"
            )
    if report["ratios"]:
        lines += ["", "vLLM / the faster transformers setting (goal: >= 2x):", ""]
        for task, per in report["ratios"].items():
            for name, ratio in per.items():
                lines.append(
                    f"- `{task}`, {name}: **{ratio['tokens_per_s']:.2f}x tokens/s, {ratio['programs_per_s']:.2f}x "
                    f"programs/s** (against {ratio['against']}); {ratio['tokens_per_cpu_s']:.2f}x tokens per "
                    "CPU-second."
                )
    lines += [
        "",
        "Wall-clock rates are what a search sees; the machine is shared (other jobs ran beside this benchmark: "
        "see the load average), so CPU-seconds (this process and its children: vLLM's engine core and worker) "
        "are given too. vLLM's worker binds one core; its engine-core process also spins while it has work.",
        "",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
