import shutil

from her_arc.lm.training import AdapterTrainer
from her_arc.painter import resolve_model_dir


def test_a_training_round_learns_without_writing_into_the_model_directory(tmp_path):
    """The base model may be a read-only install (the shipped painter in site-packages): training must not touch it."""
    model_dir = tmp_path / "painter"
    shutil.copytree(resolve_model_dir(None), model_dir)
    before = sorted(p.relative_to(model_dir) for p in model_dir.rglob("*"))
    trainer = AdapterTrainer(model_dir, seed=5)
    assert trainer.seed == 5 and trainer.model.peft_config["default"].lora_alpha == 2 * trainer.config.lora_r
    prompt = "input 3x3\n0-2 0-2:0\nchanges 3x3\n1 0-2:4\nprogram\n"
    completion = "def task(img):\n    draw_horizontal_line(img, 1, 4)\n    return img\n"
    first = trainer.train([(prompt, completion)] * 8)
    second = trainer.train([(prompt, completion)] * 8)
    assert first.examples == 8 and second.loss < first.loss
    assert sorted(p.relative_to(model_dir) for p in model_dir.rglob("*")) == before


PROMPT = "input 3x3\n0-2 0-2:0\nchanges 3x3\n1 0-2:4\nprogram\n"
COMPLETION = "def task(img):\n    draw_horizontal_line(img, 1, 4)\n    return img\n"


def test_full_fine_tuning_trains_every_weight_and_saves_a_model_directory_that_resumes(tmp_path):
    import numpy as np
    from safetensors.numpy import load_file

    from her_arc.lm.training import AdapterConfig
    from her_arc.lm.weights import is_full_model, load_weights

    base = resolve_model_dir(None)
    trainer = AdapterTrainer(base, AdapterConfig(full=True, learning_rate=1e-4), seed=0)
    first = trainer.train([(PROMPT, COMPLETION)] * 8)
    second = trainer.train([(PROMPT, COMPLETION)] * 8)
    assert second.loss < first.loss
    saved = trainer.save(tmp_path / "adapter-2")
    assert is_full_model(saved) and not is_full_model(base.parent) and (saved / "tokenizer.json").is_file()
    assert (saved / "her_arc.json").read_text() == (base / "her_arc.json").read_text()  # same grid encoding
    tuned, shipped = load_file(str(saved / "model.safetensors")), load_file(str(base / "model.safetensors"))
    changed = [k for k in shipped if not np.array_equal(tuned[k], shipped[k])]
    assert len(changed) == len(shipped)  # every weight moved, not an adapter's
    resumed = AdapterTrainer(base, AdapterConfig(full=True), seed=0)
    resumed.load(saved)
    assert all(np.array_equal(v.numpy(), tuned[k]) for k, v in resumed.model.state_dict().items() if k in tuned)

    from transformers import AutoModelForCausalLM

    other = AutoModelForCausalLM.from_config(type(resumed.model.config)(
        vocab_size=384, hidden_size=64, intermediate_size=128, num_hidden_layers=2, num_attention_heads=2))
    import pytest

    with pytest.raises(ValueError, match="weights for another model"):
        load_weights(other, saved)


def test_the_transformers_sampler_samples_fine_tuned_weights_and_goes_back_to_its_own(tmp_path):
    import pytest

    from her_arc.lm.sampling import SamplingConfig, make_sampler
    from her_arc.lm.sampling.types import UnsupportedAdapterError
    from her_arc.lm.training import AdapterConfig

    base = resolve_model_dir(None)
    trainer = AdapterTrainer(base, AdapterConfig(full=True, learning_rate=3e-3, train_epochs=3), seed=0)
    odd = "def task(img):\n    draw_pixel(img, (2, 2), 9)\n    return img\n"  # not what the prompt asks for
    trainer.train([(PROMPT, odd)] * 16)
    tuned = trainer.save(tmp_path / "adapter-1")
    sampler = make_sampler(SamplingConfig(model=str(base), backend="transformers", seed=0, max_new_tokens=40))
    try:
        before = sampler.sample([PROMPT], [(1, 0.0)])[0][0].text
        after = sampler.sample([PROMPT], [(1, 0.0)], adapter_dir=str(tuned))[0][0].text
        again = sampler.sample([PROMPT], [(1, 0.0)])[0][0].text
        assert "draw_pixel(img, (2, 2), 9)" in after and "draw_pixel(img, (2, 2), 9)" not in before
        assert again == before  # the model's own weights are back
    finally:
        sampler.close()
    from her_arc.lm.sampling.base import _BaseSampler

    class Other(_BaseSampler):  # any backend but transformers refuses whole-model weights with the way out
        backend = "vllm"
        _serves = "vllm"

    with pytest.raises(UnsupportedAdapterError, match="backend='transformers'"):
        Other._check_adapter(Other.__new__(Other), tuned)
