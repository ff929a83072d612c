import itertools
import json
import shutil
from pathlib import Path

import numpy as np
import pytest
from safetensors.numpy import load_file

from dsl.sampler import SamplerConfig
from her_arc.experiments.pretrain import (
    DEFAULT_CURRICULUM,
    CurriculumStage,
    PretrainConfig,
    stage_for,
    task_stream,
    tokenize_example,
)

ROOT = Path(__file__).resolve().parents[1]


def test_stream_is_a_pure_function_of_seed_and_index():
    later = task_stream(DEFAULT_CURRICULUM, 100, 7, start=40)
    a = [next(later)[1].program for _ in range(5)]
    tail = task_stream(DEFAULT_CURRICULUM, 100, 7)
    skipped = [t.program for i, t in (next(tail) for _ in range(45)) if i >= 40]
    assert a == skipped


def test_curriculum_moves_from_easy_to_full_distribution():
    assert stage_for(DEFAULT_CURRICULUM, 0.0).max_draws == 2
    assert stage_for(DEFAULT_CURRICULUM, 0.99).max_side >= 20
    with pytest.raises(ValueError, match="curriculum"):
        PretrainConfig(curriculum=(CurriculumStage(0.5, SamplerConfig()),))


def test_labels_cover_the_completion_only():
    from her_arc.lm.tokenizer import build_tokenizer

    tok = build_tokenizer(n_tasks=200)
    ex = tokenize_example(
        tok, "input 1x1\n0 0\noutput 1x1\n0 1\nprogram\n", "def task(img):\n    return img\n"
    )
    n_prompt = len(tok("input 1x1\n0 0\noutput 1x1\n0 1\nprogram\n")["input_ids"])
    assert ex["labels"][:n_prompt] == [-100] * n_prompt
    assert ex["labels"][n_prompt:] == ex["input_ids"][n_prompt:]
    assert ex["input_ids"][-1] == tok.eos_token_id


def test_bad_settings_are_rejected_before_training(tmp_path):
    with pytest.raises(ValueError, match="model_size"):
        PretrainConfig(model_size="huge")
    with pytest.raises(FileNotFoundError, match="not a Hugging Face model directory"):
        PretrainConfig(init_from=str(tmp_path))


@pytest.mark.slow
@pytest.mark.parametrize("workers", [0, 2])
def test_a_short_real_run_saves_a_model_and_resumes_to_the_same_weights(tmp_path, workers):
    from her_arc.experiments.pretrain import pretrain
    from her_arc.painter import grid_encoding

    def config(out):
        return PretrainConfig(
            output_dir=str(out),
            model_size="tiny",
            max_steps=20,
            batch_size=4,
            save_steps=5,
            logging_steps=5,
            warmup_steps=2,
            num_threads=1,
            dataloader_num_workers=workers,
        )

    final = pretrain(config(tmp_path / "full"))
    assert (final / "model.safetensors").is_file() and (final / "tokenizer.json").is_file()
    assert grid_encoding(final) == "blocks"  # the default encoding is recorded with the model
    assert grid_encoding(tmp_path / "full" / "checkpoint-15") == "blocks"  # and with each checkpoint
    log = [json.loads(line) for line in (tmp_path / "full" / "train_log.jsonl").read_text().splitlines()]
    losses = [r["loss"] for r in log if "loss" in r]
    assert losses[-1] < losses[0]

    # Stop after step 15 (an odd number of batches: the workers' turn is mid-round), then resume:
    # same stream, same weights.
    shutil.copytree(
        tmp_path / "full", tmp_path / "cut", ignore=shutil.ignore_patterns("final", "checkpoint-20")
    )
    resumed = pretrain(config(tmp_path / "cut"))
    a, b = load_file(final / "model.safetensors"), load_file(resumed / "model.safetensors")
    for name in a:
        np.testing.assert_allclose(a[name], b[name], rtol=1e-4, atol=1e-5, err_msg=name)


@pytest.mark.slow
def test_program_words_continue_the_painter_with_them_and_resume_to_the_same_weights(tmp_path):
    from transformers import AutoTokenizer

    from her_arc.experiments.pretrain import pretrain
    from her_arc.painter import resolve_model_dir

    def config(out):
        return PretrainConfig(output_dir=str(out), init_from=str(resolve_model_dir(None)), program_words=True,
                              max_steps=4, batch_size=2, save_steps=2, logging_steps=2, warmup_steps=1, num_threads=1,
                              learning_rate=1e-4)

    final = pretrain(config(tmp_path / "full"))
    tok = AutoTokenizer.from_pretrained(final)
    assert len(tok) > 384 and "find_objects" in [tok.decode([i]) for i in tok("find_objects(img)")["input_ids"]]
    assert json.loads((final / "config.json").read_text())["vocab_size"] == len(tok)
    shutil.copytree(tmp_path / "full", tmp_path / "cut", ignore=shutil.ignore_patterns("final", "checkpoint-4"))
    resumed = pretrain(config(tmp_path / "cut"))  # the words again, the same ids: the checkpoint's rows fit
    a, b = load_file(final / "model.safetensors"), load_file(resumed / "model.safetensors")
    for name in a:
        np.testing.assert_allclose(a[name], b[name], rtol=1e-4, atol=1e-5, err_msg=name)


def test_a_resumed_example_stream_continues_exactly_where_it_stopped():
    from her_arc.experiments.pretrain import example_stream
    from her_arc.lm.tokenizer import build_tokenizer

    tok = build_tokenizer(n_tasks=200)
    full = example_stream(tok, "diff", DEFAULT_CURRICULUM, 1000, seed=3, bucket=16, batch_size=4)
    expected = [next(full)["input_ids"] for _ in range(40)][21:]
    resumed = example_stream(tok, "diff", DEFAULT_CURRICULUM, 1000, seed=3, start=21, bucket=16, batch_size=4)
    assert [next(resumed)["input_ids"] for _ in range(19)] == expected


def test_worker_shards_resume_where_the_loader_stopped_taking_their_batches_in_turn():
    from her_arc.experiments.pretrain import example_stream, worker_shards
    from her_arc.lm.tokenizer import build_tokenizer

    tok = build_tokenizer(n_tasks=200)
    kw = dict(tokenizer=tok, encoding="blocks", curriculum=DEFAULT_CURRICULUM, total=1000, seed=3, bucket=8,
              batch_size=4)

    def loader(shards, starts, n_batches):  # what a DataLoader yields: a batch from each worker in turn
        streams = [example_stream(shard=w, num_shards=3, start=s, **kw) for w, s in zip(shards, starts, strict=True)]
        return [[next(streams[b % 3])["input_ids"] for _ in range(4)] for b in range(n_batches)]

    uninterrupted = loader(*worker_shards(0, 3, 4), 11)
    assert loader(*worker_shards(7, 3, 4), 4) == uninterrupted[7:]
    shards = [[e["input_ids"] for e in itertools.islice(example_stream(shard=w, num_shards=3, **kw), 8)]
              for w in range(3)]
    single = [e["input_ids"] for e in itertools.islice(example_stream(**kw), 24)]
    assert shards[0] == single[:8] and shards[1] == single[8:16]  # worker w reads blocks w, w + 3, ...
    with pytest.raises(ValueError, match="dataloader_num_workers"):
        PretrainConfig(dataloader_num_workers=-1)


def test_resuming_with_another_number_of_workers_is_refused_before_training(tmp_path):
    from her_arc.experiments.pretrain import _jsonable, pretrain

    (tmp_path / "checkpoint-5").mkdir()
    (tmp_path / "checkpoint-5" / "trainer_state.json").write_text(json.dumps({"global_step": 5}))
    config = PretrainConfig(output_dir=str(tmp_path), model_size="tiny", dataloader_num_workers=2)
    (tmp_path / "pretrain_config.json").write_text(json.dumps(_jsonable(config)))
    with pytest.raises(ValueError, match="resume with --workers 2"):
        pretrain(PretrainConfig(output_dir=str(tmp_path), model_size="tiny", dataloader_num_workers=0))


def test_data_loader_workers_read_disjoint_parts_of_the_stream_in_turn():
    from torch.utils.data import DataLoader

    from her_arc.experiments.pretrain import example_stream, training_dataset
    from her_arc.lm.tokenizer import build_tokenizer

    tok = build_tokenizer(n_tasks=200)
    config = PretrainConfig(model_size="tiny", max_steps=100, batch_size=4, dataloader_num_workers=2)
    loader = DataLoader(training_dataset(config, tok), batch_size=4, num_workers=2,
                        collate_fn=lambda batch: [e["input_ids"] for e in batch])
    batches = list(itertools.islice(loader, 70))
    examples = [ids for batch in batches for ids in batch]
    assert len({tuple(ids) for ids in examples}) == len(examples)  # no task is trained on twice
    stream = example_stream(tok, "blocks", DEFAULT_CURRICULUM, 400, 0, batch_size=4)
    single = [e["input_ids"] for e in itertools.islice(stream, 256)]
    assert batches[0] == single[:4] and batches[1] == single[128:132]  # worker 0: blocks 0, 2, ...; worker 1: 1, 3, ...


def test_a_stage_mixes_in_generated_arc_tasks_that_read_their_inputs_and_resume_exactly():
    from her_arc.experiments.pretrain import example_stream, is_arc
    from her_arc.lm.tokenizer import build_tokenizer

    tok = build_tokenizer(n_tasks=200)
    mix = (CurriculumStage(1.0, SamplerConfig(max_draws=2, max_side=8), arc=0.5),)
    arc = [i for i in range(64) if is_arc(mix, 1000, 5, i)]
    assert 16 <= len(arc) <= 48 and not any(is_arc(DEFAULT_CURRICULUM, 1000, 5, i) for i in range(64))
    kw = dict(tokenizer=tok, encoding="blocks", curriculum=mix, total=1000, seed=5, bucket=16, batch_size=4,
              max_length=4096)
    full = [e["input_ids"] for e in itertools.islice(example_stream(**kw), 40)]
    assert [e["input_ids"] for e in itertools.islice(example_stream(start=21, **kw), 19)] == full[21:]
    texts = [tok.decode(ids) for ids in full]
    reading = [t for t in texts if "img[" in t or "find_objects" in t or "copy(img)" in t or "crop(" in t]
    drawing = [t for t in texts if "draw_" in t.split("program")[-1] and "copy(img)" not in t]
    assert reading and drawing  # both kinds of task in one stream


def test_tasks_over_max_length_are_replaced_so_a_resumed_stream_still_starts_where_it_stopped():
    """Blocks keep exactly ``bucket`` examples when some tasks are too long, so resuming by count stays exact."""
    from her_arc.experiments.pretrain import example_stream
    from her_arc.lm.tokenizer import build_tokenizer

    tok = build_tokenizer(n_tasks=200)
    mix = (CurriculumStage(1.0, SamplerConfig(max_draws=2, max_side=8), arc=0.5),)
    kw = dict(tokenizer=tok, encoding="blocks", curriculum=mix, total=1000, seed=5, bucket=16, batch_size=4,
              max_length=4096)
    lengths = sorted(len(e["input_ids"]) for e in itertools.islice(example_stream(**kw), 32))
    kw["max_length"] = lengths[len(lengths) * 7 // 8]  # the longest eighth of the tasks are too long
    full = [e["input_ids"] for e in itertools.islice(example_stream(**kw), 40)]
    assert all(len(ids) <= kw["max_length"] for ids in full)
    assert [e["input_ids"] for e in itertools.islice(example_stream(start=21, **kw), 19)] == full[21:]
    assert [e["input_ids"] for e in itertools.islice(example_stream(start=35, **kw), 5)] == full[35:]
    with pytest.raises(ValueError, match="max_length=20 is too short"):
        next(example_stream(**{**kw, "max_length": 20}))


def test_curriculum_files_load_and_bad_ones_say_what_is_wrong(tmp_path):
    from her_arc.experiments.pretrain import load_curriculum

    shipped = load_curriculum(ROOT / "examples" / "curricula" / "drawn_inputs.json")
    assert shipped[-1].until == 1.0 and shipped[0].sampler.drawn_input_probability > 0
    run_config = tmp_path / "pretrain_config.json"  # a run's own record of its schedule loads too
    run_config.write_text(json.dumps({"curriculum": [{"until": 1.0, "sampler": {"max_draws": 3,
                                                                              "primitives": ["draw_pixel"]}}]}))
    [stage] = load_curriculum(run_config)
    assert stage.sampler.max_draws == 3 and stage.sampler.primitives == ("draw_pixel",)
    for text, message in [
        ("[", "cannot read"),
        ("[]", "expected a list"),
        ('[{"until": 1.0}]', "'until', 'sampler' and optionally 'arc'"),
        ('[{"until": 1.0, "sampler": {}, "arc": 1.5}]', "arc share"),
        ('[{"until": 1.0, "sampler": {"max_drawz": 3}}]', "max_drawz"),
        ('[{"until": 1.0, "sampler": {"max_draws": 0}}]', "stage 0"),
    ]:
        bad = tmp_path / "bad.json"
        bad.write_text(text)
        with pytest.raises(ValueError, match=message):
            load_curriculum(bad)


def _tiny_model_dir(tmp_path):
    from her_arc.experiments.pretrain import build_model
    from her_arc.lm.tokenizer import build_tokenizer

    tok = build_tokenizer(n_tasks=200)
    model = build_model(PretrainConfig(model_size="tiny"), tok)
    model.save_pretrained(tmp_path / "tiny")
    tok.save_pretrained(tmp_path / "tiny")
    return tmp_path / "tiny", model


def test_a_grown_model_computes_what_the_original_did_and_its_new_layers_learn(tmp_path):
    import torch

    from her_arc.experiments.pretrain import build_model

    src, original = _tiny_model_dir(tmp_path)
    grown = build_model(PretrainConfig(init_from=str(src), grow_layers=6), None)
    assert grown.config.num_hidden_layers == 6 and len(grown.model.layers) == 6
    ids = torch.randint(0, original.config.vocab_size, (2, 30))
    with torch.no_grad():
        torch.testing.assert_close(grown(ids).logits, original(ids).logits)

    # The copies start silent but are not frozen: one step moves their output projections off zero.
    loss = grown(ids, labels=ids).loss
    loss.backward()
    torch.optim.SGD(grown.parameters(), lr=0.1).step()
    assert grown.model.layers[1].mlp.down_proj.weight.abs().sum() > 0


def test_growing_is_refused_clearly_when_it_cannot_keep_the_model(tmp_path):
    from her_arc.experiments.pretrain import build_model

    src, _ = _tiny_model_dir(tmp_path)
    with pytest.raises(ValueError, match="multiple of the model's 2 layers"):
        build_model(PretrainConfig(init_from=str(src), grow_layers=5), None)
    with pytest.raises(ValueError, match="grow_layers needs init_from"):
        PretrainConfig(grow_layers=4)


def test_pretrain_grows_its_starting_model_and_saves_the_deeper_one(tmp_path):
    from transformers import AutoConfig

    from her_arc.cli import main

    src, _ = _tiny_model_dir(tmp_path)
    out = tmp_path / "run"
    assert main(["pretrain", "--init-from", str(src), "--grow-layers", "4", "--max-steps", "3", "--batch-size", "2",
                 "--threads", "1", "--output-dir", str(out)]) == 0
    assert AutoConfig.from_pretrained(out / "final").num_hidden_layers == 4
