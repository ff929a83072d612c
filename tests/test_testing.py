"""The scripted sampler shipped for tests (her_arc.testing)."""

import pytest

from her_arc.lm.sampling import Sampler
from her_arc.testing import ScriptedSampler


def test_it_is_a_sampler():
    assert isinstance(ScriptedSampler(), Sampler) and ScriptedSampler().backend == "scripted"


def test_each_prompt_gets_its_texts_in_turn_over_its_groups():
    sampler = ScriptedSampler(lambda prompt: [f"{prompt}-a", f"{prompt}-b"], n_tokens=3)
    [first, second] = sampler.sample(["p", "q"], [(2, 0.1), (1, 0.9)])
    assert [c.text for c in first] == ["p-a", "p-b", "p-a"] and [c.text for c in second] == ["q-a", "q-b", "q-a"]
    assert [(c.group, c.temperature, c.n_tokens, c.finish_reason) for c in first] == [
        (0, 0.1, 3, "stop"), (0, 0.1, 3, "stop"), (1, 0.9, 3, "stop")]


def test_a_whole_program_is_returned_as_the_completion_of_its_first_line():
    [[completion]] = ScriptedSampler("def task(img):\n    return img").sample(["p"], [(1, 0.5)])
    assert completion.text == "\n    return img"
    [[kept]] = ScriptedSampler("draw_pixel(img, (0, 0), 1)\n").sample(["p"], [(1, 0.5)])
    assert kept.text == "draw_pixel(img, (0, 0), 1)\n"


def test_every_call_is_recorded_as_asked():
    sampler = ScriptedSampler()
    sampler.sample(["a"], adapter_dir=None)  # no groups: the config's
    sampler.sample(["b", "c"], [(2, 0.0)], "runs/x/adapter-1", seed=7, max_new_tokens=32, stop=["\n"])
    first, second = sampler.calls
    assert first.groups == tuple((g.n, g.temperature) for g in sampler.config.groups) and first.samples == 40
    assert (first.adapter_dir, first.seed, first.max_new_tokens, first.stop) == (None, None, None, ())
    assert (second.prompts, second.groups, second.adapter_dir) == (["b", "c"], ((2, 0.0),), "runs/x/adapter-1")
    assert (second.seed, second.max_new_tokens, second.stop) == (7, 32, ("\n",))
    assert sampler.prompts == ["a", "b", "c"]
    sampler.check_lora_config({"r": 8})
    sampler.close()
    sampler.close()
    assert sampler.lora_configs == [{"r": 8}] and sampler.closed == 2


def test_a_script_with_nothing_to_say_is_an_error():
    with pytest.raises(ValueError, match="no text"):
        ScriptedSampler(lambda prompt: []).sample(["p"], [(1, 0.5)])
