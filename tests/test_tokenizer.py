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


@pytest.fixture(scope="module")
def painter_with_words():
    from transformers import AutoModelForCausalLM, AutoTokenizer

    from her_arc.lm.tokenizer import add_program_words
    from her_arc.painter import resolve_model_dir

    tok = AutoTokenizer.from_pretrained(resolve_model_dir(None))
    model = AutoModelForCausalLM.from_pretrained(resolve_model_dir(None))
    before = model.get_input_embeddings().weight.detach().clone()
    old = AutoTokenizer.from_pretrained(resolve_model_dir(None))
    return tok, model, before, old, add_program_words(tok, model)


def test_program_words_shorten_the_arc_solutions_and_decode_back_exactly(painter_with_words):
    from pathlib import Path

    tok, _, _, old, added = painter_with_words
    assert "find_objects" in added and "paint_object" in added and "copy" in added
    assert "draw_rectangle" not in added  # already one token
    saved = total = 0
    for path in sorted(Path("tasks/arc/solutions").glob("*.py")):
        text = path.read_text()
        ids = tok(text, add_special_tokens=False)["input_ids"]
        assert tok.decode(ids) == text, path.name
        n_old = len(old(text, add_special_tokens=False)["input_ids"])
        saved, total = saved + n_old - len(ids), total + n_old
    assert saved / total > 0.08  # 9.7 % (comments and docstrings included; about 18 % of the generated programs)


def test_program_words_match_whole_words_only_and_leave_other_text_as_it_was(painter_with_words):
    tok, _, _, old, _ = painter_with_words
    for text in ["x = mycopy(img)", "copy_grid(a)", "stop = top2", "draw_rectangle(img, (0, 0), (1, 1), 2)\n"]:
        assert tok(text)["input_ids"] == old(text)["input_ids"], text
    pieces = [tok.decode([i]) for i in tok("for o in find_objects(img):", add_special_tokens=False)["input_ids"]]
    assert "find_objects" in pieces


def test_a_new_words_embedding_starts_as_the_mean_of_its_old_pieces(painter_with_words, tmp_path):
    from transformers import AutoModelForCausalLM, AutoTokenizer

    tok, model, before, old, added = painter_with_words
    table = model.get_input_embeddings().weight
    assert table.shape[0] == len(tok) == len(old) + len(added)
    assert (table[: len(old)] == before).all()  # the old rows are untouched
    pieces = old("find_objects", add_special_tokens=False)["input_ids"]
    row = tok.convert_tokens_to_ids("find_objects")
    np.testing.assert_allclose(table[row].detach().numpy(), before[pieces].mean(0).numpy(), rtol=1e-6)
    assert model.get_output_embeddings().weight.data_ptr() == table.data_ptr()  # still tied
    model.save_pretrained(tmp_path)
    tok.save_pretrained(tmp_path)
    again = AutoTokenizer.from_pretrained(tmp_path)
    assert again("x = copy(img)")["input_ids"] == tok("x = copy(img)")["input_ids"]
    assert AutoModelForCausalLM.from_pretrained(tmp_path).config.vocab_size == len(tok)
