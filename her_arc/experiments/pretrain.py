"""Pretraining the painter: a Llama-architecture causal LM that writes DSL programs for drawn grids.

The data is an endless, seeded stream of random drawing tasks (:func:`dsl.sample_task`) and, in the share a
curriculum stage's ``arc`` gives, generated ARC-like tasks that read their inputs (:mod:`her_arc.generate`: mutated
hand-written solutions and grammar programs run on sampled inputs), read
through a curriculum (few draws on small grids first), tokenized here and handed to TRL's
``SFTTrainer`` with the loss on the program only. Sample ``i`` of the stream depends only on
``(seed, i)``, so a resumed run continues the exact stream without replaying it, and every process
under ``accelerate launch`` sees the same stream (the trainer shards each global batch).
"""

from __future__ import annotations

import itertools
import json
import os
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np

from dsl.sampler import SamplerConfig, sample_task
from her_arc.lm.prompt import GRID_ENCODINGS, GridEncoding, encode_completion, encode_task
from her_arc.lm.tokenizer import add_program_words
from her_arc.lm.training import bf16_supported, tokenize_example
from her_arc.painter import write_metadata

MODEL_SIZES: dict[str, dict] = {
    "tiny": dict(hidden_size=64, intermediate_size=128, num_hidden_layers=2, num_attention_heads=2),
    "small": dict(hidden_size=192, intermediate_size=512, num_hidden_layers=6, num_attention_heads=6),
    "medium": dict(hidden_size=256, intermediate_size=768, num_hidden_layers=8, num_attention_heads=8),
    "base": dict(hidden_size=512, intermediate_size=1536, num_hidden_layers=8, num_attention_heads=8),
}
"""Llama shapes created from scratch: ``tiny`` for tests, ``small`` for a CPU (2.7M parameters), ``medium`` the
largest that ships (6.9M, 28 MB), ``base`` for a GPU (26M)."""


@dataclass(frozen=True)
class CurriculumStage:
    """Tasks drawn from ``sampler`` until ``until`` (a fraction of the whole run) has been trained; a share
    ``arc`` of them (0-1) are generated ARC-like tasks instead (:func:`her_arc.generate.generate_tasks`)."""

    until: float
    sampler: SamplerConfig = field(default_factory=SamplerConfig)
    arc: float = 0.0

    def __post_init__(self):
        if not 0.0 <= self.arc <= 1.0:
            raise ValueError(f"a stage's arc share must be in [0, 1], got {self.arc}")


DEFAULT_CURRICULUM: tuple[CurriculumStage, ...] = (
    CurriculumStage(0.25, SamplerConfig(min_draws=1, max_draws=2, min_side=3, max_side=12)),
    CurriculumStage(0.55, SamplerConfig(min_draws=1, max_draws=3, min_side=3, max_side=20)),
    CurriculumStage(1.00, SamplerConfig(min_draws=1, max_draws=5, min_side=3, max_side=20, max_inputs=2)),
)
"""One or two draws on small grids first, then up to 5 draws on grids up to 20x20 (the 100-squares size),
with one or two inputs per task at the end (the shipped painter's schedule)."""


@dataclass
class PretrainConfig:
    """Everything ``her-arc pretrain`` needs; the defaults train the shipped CPU painter."""

    output_dir: str = "runs/pretrain"
    """where checkpoints, the final model and train_log.jsonl go; a rerun resumes from here"""
    model_size: str = field(default="small", metadata={"choices": tuple(sorted(MODEL_SIZES))})
    """the shape of a model created from scratch"""
    init_from: str | None = None
    """an existing Hugging Face causal LM directory to continue from instead (any tokenizer)"""
    grow_layers: int | None = None
    """deepen the init_from model to this many layers (a multiple of its own), starting from exactly its outputs"""
    program_words: bool = False
    """give every DSL primitive, object field and common Python/numpy name of ARC programs a token of its own, its
    embedding the mean of the pieces it was spelled in (her_arc.lm.tokenizer.add_program_words)"""
    encoding: GridEncoding = field(default="blocks", metadata={"choices": GRID_ENCODINGS})
    """grid encoding of the prompts (blocks for the painter, dense for general models)"""
    curriculum: tuple[CurriculumStage, ...] = field(default=DEFAULT_CURRICULUM, metadata={"cli": False})
    """the task distribution over the course of the run (the CLI reads it from a JSON file: --curriculum)"""
    max_steps: int = 9_000
    """optimizer steps; with batch_size this fixes the number of training samples"""
    batch_size: int = 16
    """samples per device per step"""
    gradient_accumulation_steps: int = field(default=1, metadata={"flag": "--grad-accum"})
    """steps whose gradients are summed before each optimizer step"""
    learning_rate: float = field(default=1e-3, metadata={"flag": "--lr"})
    """peak learning rate (from scratch; about 1e-4 when continuing a pretrained model)"""
    warmup_steps: int = 100
    """optimizer steps of linear warm-up"""
    lr_scheduler_type: str = "cosine"
    """a transformers learning-rate schedule name"""
    weight_decay: float = 0.01
    """AdamW weight decay"""
    max_length: int = 2048
    """longer samples are skipped, not truncated (a cut program teaches nothing)"""
    use_lora: bool = field(default=False, metadata={"flag": "--lora"})
    """train a LoRA adapter (merged into the saved model) instead of all weights"""
    lora_r: int = 32
    """LoRA rank with --lora"""
    bf16: bool | None = None
    """bfloat16 autocast (default: where the hardware has native bf16)"""
    save_steps: int = 250
    """steps between checkpoints"""
    save_total_limit: int = 3
    """checkpoints kept"""
    logging_steps: int = 25
    """steps between train_log.jsonl lines"""
    seed: int = 0
    """seed of the task stream and the initial weights"""
    dataloader_num_workers: int = field(default=0, metadata={"flag": "--workers"})
    """processes generating tasks beside the trainer (on a GPU, most of the CPU cores); a resumed run needs the
    same number"""
    num_threads: int | None = field(default=None, metadata={"flag": "--threads"})
    """torch CPU threads (default: torch's); 1 keeps a shared machine responsive"""
    report_to: str = field(default="none", metadata={"cli": False})
    """transformers' report_to"""
    extra: dict = field(default_factory=dict, metadata={"cli": False})
    """free-form notes stored with the run (e.g. what an experiment tests)"""

    def __post_init__(self):
        if self.init_from is None and self.model_size not in MODEL_SIZES:
            raise ValueError(f"model_size must be one of {sorted(MODEL_SIZES)}, got {self.model_size!r}")
        if self.init_from is not None and not Path(self.init_from, "config.json").is_file():
            raise FileNotFoundError(f"init_from={self.init_from!r} is not a Hugging Face model directory")
        if self.grow_layers is not None:
            if self.init_from is None or self.grow_layers < 1:
                raise ValueError(f"grow_layers needs init_from and a positive layer count, got {self.grow_layers}")
            # checked here, before any training starts, so the CLI reports it as bad input
            n = json.loads(Path(self.init_from, "config.json").read_text()).get("num_hidden_layers")
            if n and self.grow_layers % n:
                raise ValueError(f"grow_layers must be a multiple of the model's {n} layers, got {self.grow_layers}")
        if self.max_steps < 1 or self.batch_size < 1:
            raise ValueError("max_steps and batch_size must be positive")
        if self.dataloader_num_workers < 0:
            raise ValueError(f"dataloader_num_workers must be 0 or more, got {self.dataloader_num_workers}")
        ends = [stage.until for stage in self.curriculum]
        if not ends or ends != sorted(ends) or ends[-1] < 1.0:
            raise ValueError(f"curriculum stages must end in increasing order, the last at 1.0, got {ends}")


def load_curriculum(path: str | os.PathLike) -> tuple[CurriculumStage, ...]:
    """A curriculum from JSON: a list of ``{"until": 1.0, "sampler": {SamplerConfig fields}, "arc": 0.5}`` (``arc``,
    the share of generated ARC-like tasks, is optional and 0 by default), or a run's
    ``pretrain_config.json`` (its ``curriculum`` key), so a run's schedule can be repeated or continued."""
    try:
        data = json.loads(Path(path).read_text())
    except (OSError, json.JSONDecodeError) as exc:
        raise ValueError(f"cannot read the curriculum file {path}: {exc}") from exc
    if isinstance(data, dict):
        data = data.get("curriculum")
    if not isinstance(data, list) or not data:
        raise ValueError(f"{path}: expected a list of {{'until': ..., 'sampler': {{...}}}} stages")
    stages = []
    for i, stage in enumerate(data):
        if (not isinstance(stage, dict) or not {"until", "sampler"} <= set(stage) <= {"until", "sampler", "arc"}
                or not isinstance(stage["sampler"], dict)):
            raise ValueError(f"{path}: stage {i} must be an object with 'until', 'sampler' and optionally 'arc', "
                             f"got {stage!r}")
        sampler = dict(stage["sampler"])
        if "primitives" in sampler:
            sampler["primitives"] = tuple(sampler["primitives"])
        try:
            stages.append(CurriculumStage(float(stage["until"]), SamplerConfig(**sampler),
                                          float(stage.get("arc", 0.0))))
        except TypeError as exc:
            raise ValueError(f"{path}: stage {i}: {exc} (see dsl.sampler.SamplerConfig for the fields)") from exc
        except ValueError as exc:
            raise ValueError(f"{path}: stage {i}: {exc}") from exc
    return tuple(stages)


def stage_at(curriculum: tuple[CurriculumStage, ...], progress: float) -> CurriculumStage:
    """The curriculum stage that covers ``progress`` (0..1 of the run)."""
    return next((s for s in curriculum if progress < s.until), curriculum[-1])


def stage_for(curriculum: tuple[CurriculumStage, ...], progress: float) -> SamplerConfig:
    """The sampler of the curriculum stage that covers ``progress`` (0..1 of the run)."""
    return stage_at(curriculum, progress).sampler


BUCKET = 128
"""Tasks the example stream generates, sorts by length and batches at once (a block)."""

MAX_REDRAWS = 20
"""Tasks drawn in place of one longer than ``max_length`` before the stream gives up (every block keeps exactly
``BUCKET`` examples, so a resumed stream starts where an uninterrupted one was)."""


def task_stream(
    curriculum: tuple[CurriculumStage, ...], total: int, seed: int, start: int = 0
) -> Iterator[tuple[int, object]]:
    """Sampled drawing tasks ``start, start+1, ...``; task ``i`` depends only on ``(seed, i)``."""
    i = start
    while True:
        rng = np.random.default_rng([seed, i])
        yield i, sample_task(rng, stage_for(curriculum, i / total))
        i += 1


def is_arc(curriculum: tuple[CurriculumStage, ...], total: int, seed: int, i: int) -> bool:
    """Whether task ``i`` of the stream is a generated ARC-like task (a draw of its own, from ``(seed, i)``)."""
    share = stage_at(curriculum, i / total).arc
    return share > 0 and np.random.default_rng([seed, i, 1]).random() < share


class _ArcTasks:
    """The generated ARC-like tasks of the stream: block ``b``'s come, in order, from a generator seeded by
    ``(seed, b)`` alone, so a block reads the same tasks whenever it is read (one sandbox pool for all blocks)."""

    def __init__(self, seed: int):
        self.seed, self.pool, self.stream, self.block = seed, None, None, None

    def next(self, block: int):
        from her_arc.generate import GenerateConfig, generate_tasks
        from her_arc.sandbox import ExecutorPool

        if self.block != block:
            self.close_stream()
            if self.pool is None:
                self.pool = ExecutorPool(n_workers=1, timeout_s=GenerateConfig().timeout_s)
            block_seed = int(np.random.default_rng([self.seed, block, 2]).integers(2**31))
            self.stream, self.block = generate_tasks(block_seed, pool=self.pool), block
        return next(self.stream)

    def close_stream(self) -> None:
        if self.stream is not None:
            self.stream.close()
            self.stream = self.block = None

    def close(self) -> None:
        self.close_stream()
        if self.pool is not None:
            self.pool.close()
            self.pool = None


def example_stream(
    tokenizer,
    encoding: GridEncoding,
    curriculum: tuple[CurriculumStage, ...],
    total: int,
    seed: int,
    start: int = 0,
    max_length: int = 2048,
    bucket: int = BUCKET,
    batch_size: int = 16,
    shard: int = 0,
    num_shards: int = 1,
) -> Iterator[dict[str, list[int]]]:
    """Tokenized training examples, bucketed by length within blocks of ``bucket`` to cut padding.

    Blocks sit at fixed multiples of ``bucket`` in the task stream and each holds exactly ``bucket`` examples (a
    task longer than ``max_length`` gets a replacement of its kind), so the examples yielded from
    ``start`` are exactly those an uninterrupted stream yields after its first ``start`` examples.
    With ``num_shards`` > 1 only blocks ``shard, shard + num_shards, ...`` are read (one data
    loader worker's share of the stream) and ``start`` counts this shard's examples.
    """
    first_block = start // bucket
    skip = start - first_block * bucket
    arc = _ArcTasks(seed)
    try:
        for block_index in itertools.count(shard + first_block * num_shards, num_shards):
            block = []
            for i, task in itertools.islice(task_stream(curriculum, total, seed, block_index * bucket), bucket):
                from_arc = is_arc(curriculum, total, seed, i)
                for redraw in range(MAX_REDRAWS + 1):
                    if from_arc:  # a redraw of a task too long: the block's next one, or one from (seed, i, redraw)
                        task = arc.next(block_index)
                    elif redraw:
                        redrawn = np.random.default_rng([seed, i, 3, redraw])
                        task = sample_task(redrawn, stage_for(curriculum, i / total))
                    pairs = list(zip(task.inputs, task.outputs, strict=True))
                    example = tokenize_example(tokenizer, encode_task(pairs, encoding),
                                               encode_completion(task.program))
                    if len(example["input_ids"]) <= max_length:
                        break
                else:
                    raise ValueError(f"max_length={max_length} is too short for this curriculum: task {i} and "
                                     f"{MAX_REDRAWS} redraws of it were all longer; raise --max-length")
                block.append(example)
            arc.close_stream()
            block.sort(key=lambda e: len(e["input_ids"]))
            batches = [block[k : k + batch_size] for k in range(0, len(block), batch_size)]
            order = np.random.default_rng([seed, block_index]).permutation(len(batches))
            for example in (e for b in order for e in batches[b]):
                if skip:
                    skip -= 1
                    continue
                yield example
    finally:
        arc.close()


def _sharded_examples(
    shards: list[int], starts: list[int], num_shards: int, **kwargs
) -> Iterator[dict[str, list[int]]]:
    """The generator ``datasets`` splits over data loader workers: each worker gets one ``(shard, start)``."""
    for shard, start in zip(shards, starts, strict=True):
        yield from example_stream(shard=shard, num_shards=num_shards, start=start, **kwargs)


def worker_shards(batches_done: int, num_shards: int, batch_size: int) -> tuple[list[int], list[int]]:
    """The shard each data loader worker reads and how many of its examples were already trained on.

    The loader takes one batch from each worker in turn, starting again at worker 0 when a run
    resumes, so the shards are rotated to let the shard whose batch came next go first.
    """
    shards = [(batches_done + w) % num_shards for w in range(num_shards)]
    return shards, [len(range(shard, batches_done, num_shards)) * batch_size for shard in shards]


def training_dataset(config: PretrainConfig, tokenizer, steps_done: int = 0):
    """The run's example stream as a ``datasets.IterableDataset``, one shard per data loader worker,
    positioned after ``steps_done`` optimizer steps."""
    from datasets import IterableDataset

    world = int(os.environ.get("WORLD_SIZE", "1"))
    batches_per_step = config.gradient_accumulation_steps * world
    num_shards = max(1, config.dataloader_num_workers)
    shards, starts = worker_shards(steps_done * batches_per_step, num_shards, config.batch_size)
    return IterableDataset.from_generator(
        _sharded_examples,
        gen_kwargs=dict(
            shards=shards,
            starts=starts,
            num_shards=num_shards,
            tokenizer=tokenizer,
            encoding=config.encoding,
            curriculum=config.curriculum,
            total=config.max_steps * batches_per_step * config.batch_size,
            seed=config.seed,
            max_length=config.max_length,
            batch_size=config.batch_size,
        ),
    )


def build_model(config: PretrainConfig, tokenizer):
    """A fresh Llama of ``config.model_size`` for ``tokenizer``, or the model at ``config.init_from``."""
    from transformers import AutoModelForCausalLM, LlamaConfig, LlamaForCausalLM

    if config.init_from:
        model = AutoModelForCausalLM.from_pretrained(config.init_from)
        return grow_depth(model, config.grow_layers) if config.grow_layers else model
    shape = MODEL_SIZES[config.model_size]
    model_config = LlamaConfig(
        vocab_size=len(tokenizer),
        max_position_embeddings=4096,
        num_key_value_heads=shape["num_attention_heads"],
        rope_theta=10_000.0,
        tie_word_embeddings=True,
        bos_token_id=tokenizer.bos_token_id,
        eos_token_id=tokenizer.eos_token_id,
        pad_token_id=tokenizer.pad_token_id,
        **shape,
    )
    return LlamaForCausalLM(model_config)


def grow_depth(model, n_layers: int):
    """``model`` (a Llama-style causal LM) deepened to ``n_layers``, computing exactly what it computed.

    Layer i becomes layers i*k ... i*k+k-1: itself, then k-1 copies whose attention ``o_proj`` and MLP ``down_proj``
    are zero, so each copy adds nothing to the residual stream until training moves those weights (their other
    weights start as the original's, a better start than random for what the copy learns).
    """
    import copy

    import torch

    layers = getattr(getattr(model, "model", None), "layers", None)
    if layers is None or not all(hasattr(x, "self_attn") and hasattr(x, "mlp") for x in layers):
        raise ValueError(f"cannot grow {type(model).__name__}: it has no Llama-style model.layers")
    n = len(layers)
    if n_layers < n or n_layers % n:
        raise ValueError(f"grow_layers must be a multiple of the model's {n} layers, got {n_layers}")
    config = copy.deepcopy(model.config)
    config.num_hidden_layers = n_layers
    if getattr(config, "layer_types", None):
        config.layer_types = [t for t in config.layer_types for _ in range(n_layers // n)]
    grown = type(model)(config).to(model.dtype)
    state = {}
    for name, value in model.state_dict().items():
        prefix, sep, rest = name.partition(".layers.")
        if not sep:
            state[name] = value
            continue
        index, tail = rest.split(".", 1)
        for j in range(n_layers // n):
            silent = j > 0 and tail.split(".")[-2] in ("o_proj", "down_proj")
            state[f"{prefix}.layers.{int(index) * (n_layers // n) + j}.{tail}"] = (
                torch.zeros_like(value) if silent else value.clone()
            )
    grown.load_state_dict(state)
    grown.tie_weights()
    return grown


def load_or_build_tokenizer(config: PretrainConfig):
    from transformers import AutoTokenizer

    from her_arc.lm.tokenizer import build_tokenizer

    if config.init_from:
        return AutoTokenizer.from_pretrained(config.init_from)
    saved = Path(config.output_dir, "tokenizer")
    if saved.is_dir():
        return AutoTokenizer.from_pretrained(saved)
    tokenizer = build_tokenizer()
    tokenizer.save_pretrained(saved)
    return tokenizer


class ResumeMismatch(ValueError):
    """The output directory holds a run that this configuration cannot continue exactly."""


def _check_same_workers(config: PretrainConfig) -> None:
    """A resumed stream continues exactly only when split over as many workers as before."""
    saved = Path(config.output_dir, "pretrain_config.json")
    if not saved.is_file():
        return
    before = json.loads(saved.read_text()).get("dataloader_num_workers", 0)
    if before != config.dataloader_num_workers:
        raise ResumeMismatch(
            f"{config.output_dir} was trained with {before} data loader workers, this run asks for "
            f"{config.dataloader_num_workers}: resume with --workers {before}, or start a new --output-dir"
        )


def _last_checkpoint(output_dir: str) -> str | None:
    from transformers.trainer_utils import get_last_checkpoint

    return get_last_checkpoint(output_dir) if Path(output_dir).is_dir() else None





def pretrain(config: PretrainConfig) -> Path:
    """Train (or resume) and save the final model with its tokenizer to ``output_dir/final``."""
    import torch
    from transformers import TrainerCallback
    from trl import SFTConfig, SFTTrainer

    if config.num_threads:
        torch.set_num_threads(config.num_threads)
    os.makedirs(config.output_dir, exist_ok=True)
    tokenizer = load_or_build_tokenizer(config)
    resume = _last_checkpoint(config.output_dir)
    steps_done = json.loads(Path(resume, "trainer_state.json").read_text())["global_step"] if resume else 0
    if resume:
        _check_same_workers(config)
    model = build_model(config, tokenizer)
    if config.program_words:  # before the stream is tokenized; the same words on a resume, so the same ids
        add_program_words(tokenizer, model)
    dataset = training_dataset(config, tokenizer, steps_done)
    peft_config = None
    if config.use_lora:
        from peft import LoraConfig

        peft_config = LoraConfig(r=config.lora_r, lora_alpha=2 * config.lora_r, target_modules="all-linear")
    bf16 = bf16_supported() if config.bf16 is None else config.bf16
    args = SFTConfig(
        output_dir=config.output_dir,
        max_steps=config.max_steps,
        per_device_train_batch_size=config.batch_size,
        gradient_accumulation_steps=config.gradient_accumulation_steps,
        learning_rate=config.learning_rate,
        warmup_steps=config.warmup_steps,
        lr_scheduler_type=config.lr_scheduler_type,
        weight_decay=config.weight_decay,
        adam_beta2=0.95,
        max_grad_norm=1.0,
        bf16=bf16,
        use_cpu=not torch.cuda.is_available(),
        save_steps=config.save_steps,
        save_total_limit=config.save_total_limit,
        logging_steps=config.logging_steps,
        seed=config.seed,
        report_to=config.report_to,
        ignore_data_skip=True,  # the stream restarts at the right sample by itself
        dataset_kwargs={"skip_prepare_dataset": True},
        max_length=config.max_length,
        dataloader_num_workers=config.dataloader_num_workers,
        disable_tqdm=True,
        gradient_checkpointing=False,  # TRL turns it on by default; at these sizes it only costs time
    )
    log_path = Path(config.output_dir, "train_log.jsonl")

    class JsonLog(TrainerCallback):
        def on_log(self, args, state, control, logs=None, **kwargs):
            if state.is_world_process_zero and logs:
                with log_path.open("a") as f:
                    f.write(json.dumps({"step": state.global_step, "time": round(time.time(), 1), **logs}) + "\n")

        def on_save(self, args, state, control, **kwargs):
            # A checkpoint is a usable model directory: `her-arc evaluate --model` must read it with the right encoding.
            if state.is_world_process_zero:
                write_metadata(Path(args.output_dir, f"checkpoint-{state.global_step}"), grid_encoding=config.encoding)

    trainer = SFTTrainer(
        model=model,
        args=args,
        train_dataset=dataset,
        processing_class=tokenizer,
        peft_config=peft_config,
        callbacks=[JsonLog()],
    )
    Path(config.output_dir, "pretrain_config.json").write_text(json.dumps(_jsonable(config), indent=2))
    trainer.train(resume_from_checkpoint=resume)
    final = Path(config.output_dir, "final")
    model = trainer.model.merge_and_unload() if config.use_lora else trainer.model
    tmp = final.with_name("final.tmp")
    model.save_pretrained(tmp, safe_serialization=True)
    tokenizer.save_pretrained(tmp)
    write_metadata(tmp, grid_encoding=config.encoding)
    if final.exists():
        import shutil

        shutil.rmtree(final)
    tmp.rename(final)
    return final


def _jsonable(config: PretrainConfig) -> dict:
    data = asdict(config)
    data["curriculum"] = [{"until": s.until, "sampler": asdict(s.sampler), "arc": s.arc} for s in config.curriculum]
    return data


def samples_for(config: PretrainConfig) -> int:
    return config.max_steps * config.batch_size * config.gradient_accumulation_steps


__all__ = ["PretrainConfig", "CurriculumStage", "DEFAULT_CURRICULUM", "MODEL_SIZES", "load_curriculum", "pretrain"]
