import numpy as np
import pytest

from dsl.sampler import SamplerConfig, sample_task
from her_arc.lm.prompt import encode_completion, encode_task


@pytest.fixture(scope="module")
def tokenizer():
    from her_arc.lm.tokenizer import build_tokenizer

    return build_tokenizer(n_tasks=600)


def test_prompts_and_programs_round_trip_exactly(tokenizer):
    rng = np.random.default_rng(3)
    for i in range(50):
        task = sample_task(rng, SamplerConfig(max_side=20, noise_probability=0.3))
        text = encode_task(list(zip(task.inputs, task.outputs, strict=False)), ("runs", "dense")[i % 2])
        text += encode_completion(task.program)
        ids = tokenizer(text)["input_ids"]
        assert ids[0] == tokenizer.bos_token_id
        assert tokenizer.decode(ids, skip_special_tokens=True) == text


def test_every_digit_is_its_own_token(tokenizer):
    ids = tokenizer("0 0123456789\n", add_special_tokens=False)["input_ids"]
    pieces = [tokenizer.decode([i]) for i in ids]
    assert pieces[2:12] == list("0123456789")


def test_dsl_names_are_single_tokens(tokenizer):
    for name in ("draw_rectangle", "draw_line", "draw_pixel", "draw_vertical_line", "draw_horizontal_line"):
        assert len(tokenizer(name, add_special_tokens=False)["input_ids"]) == 1, name


def test_unseen_text_never_vanishes(tokenizer):
    text = "import os  # héllo ∑ ünïcode {}"
    assert tokenizer.decode(tokenizer(text)["input_ids"], skip_special_tokens=True) == text


def test_build_is_deterministic():
    from her_arc.lm.tokenizer import build_tokenizer

    a, b = build_tokenizer(n_tasks=200), build_tokenizer(n_tasks=200)
    assert a.get_vocab() == b.get_vocab()


def test_a_sampling_prompt_tokenizes_as_the_training_prompt_plus_the_program_start():
    from transformers import AutoTokenizer

    from her_arc.lm.prompt import with_program_start
    from her_arc.painter import default_model_dir

    shipped = AutoTokenizer.from_pretrained(default_model_dir())
    for seed in range(20):
        task = sample_task(np.random.default_rng(seed), SamplerConfig(max_side=20))
        prompt = encode_task(list(zip(task.inputs, task.outputs, strict=True)), "blocks")
        training = shipped(prompt)["input_ids"] + shipped(encode_completion(task.program), add_special_tokens=False)[
            "input_ids"
        ]
        sampling = shipped(with_program_start(prompt))["input_ids"]
        assert training[: len(sampling)] == sampling
        assert shipped.decode(training[len(sampling) :]).startswith("\n    draw_")
