"""Search settings (her_arc.search.config): validation naming the field, nested to_dict/from_dict, flatten."""

import json

import pytest

from her_arc.errors import ConfigError
from her_arc.lm.training import AdapterConfig
from her_arc.search import SearchConfig
from her_arc.search.config import RESUMABLE_CHANGES, LearnConfig, RefineConfig, RunConfig, SampleConfig, flatten
from her_arc.search.relabel import Relabel

RELABELS = ", ".join(r.value for r in Relabel)


@pytest.mark.parametrize(
    "make, parameter, problem",
    [
        (lambda: SearchConfig(max_epochs=0), "max_epochs", "must be at least 1, got 0"),
        (lambda: SampleConfig(groups=((0, 0.5),)), "groups", "must be (count >= 1, temperature >= 0) pairs"),
        (lambda: SampleConfig(groups=()), "groups", "pairs"),
        (lambda: SampleConfig(groups=((2, -0.1),)), "groups", "temperature >= 0"),
        (lambda: SampleConfig(top_p=0), "top_p", "must be in (0, 1], got 0"),
        (lambda: SampleConfig(max_new_tokens=0), "max_new_tokens", "at least 1"),
        (lambda: SampleConfig(views=9), "views", "must be 1-8, got 9"),
        (lambda: SampleConfig(views=3), "groups", "must divide by views (3)"),
        (lambda: SampleConfig(stepwise=-1), "stepwise", "must be 0 (off)"),
        (lambda: SampleConfig(compose=-1), "compose", "must be 0 (off)"),
        (lambda: SampleConfig(backend="tf"), "backend", "must be one of auto, vllm, transformers, server, got 'tf'"),
        (lambda: SampleConfig(max_model_len=1), "max_model_len", "at least 2"),
        (lambda: RefineConfig(canvases=-1), "canvases", "0 (off)"),
        (lambda: RefineConfig(goals=0), "goals", "at least 1"),
        (lambda: RefineConfig(max_shapes=-1), "max_shapes", "0 (whole target)"),
        (lambda: RefineConfig(samples=0), "samples", "at least 1"),
        (lambda: RefineConfig(temperature=-1), "temperature", ">= 0"),
        (lambda: LearnConfig(relabel="programs"), "relabel", f"must be one of {RELABELS}, got 'programs'"),
        (lambda: LearnConfig(relabel="both"), "relabel", f"must be one of {RELABELS}, got 'both'"),
        (lambda: LearnConfig(max_examples=-1), "max_examples", "0 (no cap)"),
        (lambda: RunConfig(timeout_s=0), "timeout_s", "positive"),
        (lambda: RunConfig(num_threads=0), "num_threads", "at least 1"),
        (lambda: AdapterConfig(lora_r=0), "lora_r", "at least 1"),
        (lambda: AdapterConfig(lora_dropout=1.0), "lora_dropout", "[0, 1)"),
        (lambda: AdapterConfig(warmup_ratio=-0.1), "warmup_ratio", "[0, 1)"),
        (lambda: AdapterConfig(learning_rate=0), "learning_rate", "positive"),
        (lambda: AdapterConfig(batch_size=0), "batch_size", "at least 1"),
    ],
)
def test_an_impossible_setting_raises_naming_its_field_and_the_problem(make, parameter, problem):
    with pytest.raises(ConfigError) as error:
        make()
    assert error.value.parameter == parameter and problem in error.value.problem
    assert str(error.value) == f"{parameter} {error.value.problem}"
    assert isinstance(error.value, ValueError)  # callers that catch ValueError keep working


def test_removed_options_are_gone():
    for removed in ("future", "order", "train_on", "refine_stepwise", "max_examples_per_epoch"):
        with pytest.raises(TypeError):
            SearchConfig(**{removed: 1})
    for removed in ("restart_each_epoch", "seed"):
        with pytest.raises(TypeError):
            AdapterConfig(**{removed: 1})


def test_the_defaults():
    config = SearchConfig()
    assert config.sample.groups == ((8, 0.1), (32, 0.9)) and config.sample.samples == 40
    assert config.refine.temperature == 0.9 and config.refine.samples_per_epoch == 4 * 6 * 4
    assert isinstance(config.learn.relabel, Relabel) and config.learn.max_examples == 64
    assert AdapterConfig().lora_alpha == 32 and AdapterConfig(lora_r=4).lora_alpha == 8
    assert AdapterConfig(lora_r=4, lora_alpha=5).lora_alpha == 5


def test_settings_are_normalized():
    sample = SampleConfig(groups=[[2, 1], (4, "0.5")])
    assert sample.groups == ((2, 1.0), (4, 0.5))
    assert LearnConfig(relabel="drawings").relabel is Relabel.DRAWINGS
    nested = SearchConfig(sample={"compose": 0}, learn={"adapter": {"lora_r": 4}})
    assert nested.sample == SampleConfig(compose=0) and nested.learn.adapter == AdapterConfig(lora_r=4)


def test_to_dict_and_from_dict_round_trip_every_nested_setting_through_json():
    config = SearchConfig(
        model="some/model", max_epochs=5, seed=3,
        sample=SampleConfig(groups=((2, 0.1), (6, 0.9)), views=2, stepwise=2, compose=0, backend="transformers"),
        refine=RefineConfig(canvases=2, goals=3, max_shapes=0, samples=1, temperature=0.7, merge=False),
        learn=LearnConfig(enabled=False, relabel=Relabel.DRAWINGS, only_novel=False, max_examples=0,
                          adapter=AdapterConfig(lora_r=8, learning_rate=3e-4, bf16=False)),
        run=RunConfig(run_dir="runs/x", resume=True, plots=False, timeout_s=2.5, num_threads=1),
    )
    data = json.loads(json.dumps(config.to_dict()))
    assert data["learn"]["relabel"] == "drawings" and data["sample"]["groups"] == [[2, 0.1], [6, 0.9]]
    back = SearchConfig.from_dict(data)
    assert back == config
    assert SearchConfig.from_dict(SearchConfig().to_dict()) == SearchConfig()


@pytest.mark.parametrize(
    "data, named",
    [
        ({"refine_stepwise": True}, "refine_stepwise"),
        ({"refine": {"canvases": 2, "stepwise": True}}, "refine.stepwise"),
        ({"learn": {"adapter": {"restart_each_epoch": True}}}, "learn.adapter.restart_each_epoch"),
        ({"run": {"dir": "x"}}, "run.dir"),
    ],
)
def test_from_dict_refuses_unknown_settings_at_any_depth_naming_them(data, named):
    with pytest.raises(ValueError, match="unknown search settings") as error:
        SearchConfig.from_dict(data)
    assert repr(named) in str(error.value)


def test_flatten_names_each_setting_by_its_path():
    flat = flatten(SearchConfig().to_dict())
    assert flat["refine.max_shapes"] == 4 and flat["learn.adapter.lora_r"] == 16 and flat["max_epochs"] == 30
    assert not any(isinstance(v, dict) for v in flat.values())
    assert set(RESUMABLE_CHANGES) <= set(flat)  # every setting a resumed run may change exists
