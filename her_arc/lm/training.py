"""Fine-tuning the LoRA adapter on relabeled examples, once per search epoch (TRL + PEFT).

The base model is loaded once per search; each epoch trains the same adapter further on that epoch's
examples and saves it where the sampler can hot-load it. With ``AdapterConfig.full`` every weight is
trained instead, and each epoch saves a whole model directory (the transformers sampler loads its weights).
"""

from __future__ import annotations

import shutil
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from her_arc.errors import check


def tokenize_example(tokenizer, prompt: str, completion: str) -> dict[str, list[int]]:
    """``input_ids`` = <s> prompt completion </s>; ``labels`` mask the prompt with -100."""
    prompt_ids = tokenizer(prompt)["input_ids"]
    completion_ids = tokenizer(completion, add_special_tokens=False)["input_ids"] + [tokenizer.eos_token_id]
    return {"input_ids": prompt_ids + completion_ids, "labels": [-100] * len(prompt_ids) + completion_ids}


def bf16_supported() -> bool:
    """Whether bfloat16 autocast is fast here: a CUDA GPU that has it, or a CPU with native bf16 units.

    On CPUs without AMX/AVX512-BF16, bf16 autocast is emulated and several times slower than fp32.
    """
    import torch

    if torch.cuda.is_available():
        return torch.cuda.is_bf16_supported()
    try:
        flags = Path("/proc/cpuinfo").read_text().split()
    except OSError:
        return False
    return "amx_bf16" in flags or "avx512_bf16" in flags


@dataclass
class AdapterConfig:
    """How the per-task LoRA adapter is shaped and trained each epoch."""

    full: bool = False
    """fine-tune every weight instead of a LoRA adapter (cheap for the small painter; each epoch saves a whole model
    directory; transformers backend only: vLLM serves LoRA adapters)"""
    lora_r: int = 16
    """adapter rank"""
    lora_alpha: int | None = None
    """LoRA scaling numerator (default: twice lora_r)"""
    lora_dropout: float = 0.0
    """dropout on the adapter's input, in [0, 1)"""
    target_modules: str | tuple[str, ...] = field(default="all-linear", metadata={"cli": False})
    """which linear layers get an adapter (vLLM serves all of Llama's)"""
    learning_rate: float | None = None
    """peak learning rate of each epoch's fine-tuning (default: 1e-3 for LoRA, 1e-4 with full)"""
    batch_size: int = 4
    """examples per optimizer step"""
    train_epochs: int = 1
    """passes over each search epoch's examples"""
    warmup_ratio: float = 0.1
    """share of each epoch's optimizer steps spent warming up, in [0, 1)"""
    lr_scheduler_type: str = "constant_with_warmup"
    """a transformers learning-rate schedule name"""
    max_length: int = 4096
    """examples longer than this (in tokens) are skipped and counted"""
    bf16: bool | None = None
    """bfloat16 autocast (default: on where the hardware supports it)"""

    def __post_init__(self):
        check(self.lora_r >= 1, "lora_r", f"must be at least 1, got {self.lora_r}")
        if self.lora_alpha is None:
            self.lora_alpha = 2 * self.lora_r
        check(0 <= self.lora_dropout < 1, "lora_dropout", f"must be in [0, 1), got {self.lora_dropout}")
        check(0 <= self.warmup_ratio < 1, "warmup_ratio", f"must be in [0, 1), got {self.warmup_ratio}")
        if self.learning_rate is None:
            self.learning_rate = 1e-4 if self.full else 1e-3
        check(self.learning_rate > 0, "learning_rate", f"must be positive, got {self.learning_rate}")
        for name in ("batch_size", "train_epochs", "max_length"):
            check(getattr(self, name) >= 1, name, f"must be at least 1, got {getattr(self, name)}")


@dataclass
class TrainStats:
    examples: int
    skipped_too_long: int
    tokens: int
    loss: float | None
    seconds: float


class AdapterTrainer:
    """Holds the base model with its LoRA adapter for a whole search."""

    def __init__(self, model_dir: str | Path, config: AdapterConfig | None = None, tokenizer=None, seed: int = 0):
        import torch
        from peft import get_peft_model
        from transformers import AutoModelForCausalLM, AutoTokenizer

        self.config = config or AdapterConfig()
        self.seed = seed
        """training epoch k is seeded with seed + k"""
        self.model_dir = str(model_dir)
        self.tokenizer = tokenizer or AutoTokenizer.from_pretrained(self.model_dir)
        if self.tokenizer.pad_token is None:
            self.tokenizer.pad_token = self.tokenizer.eos_token
        dtype = (
            torch.bfloat16 if torch.cuda.is_available() and torch.cuda.is_bf16_supported() else torch.float32
        )
        self.base = AutoModelForCausalLM.from_pretrained(self.model_dir, dtype=dtype)
        if torch.cuda.is_available():
            self.base = self.base.to("cuda")
        self.epochs_trained = 0
        if self.config.full:  # the model itself is trained; nothing random to seed
            self.model = self.base
            return
        # LoRA's A matrices start random: seeded here, or every process (torch seeds itself from the OS) would
        # start the adapter elsewhere and the same search would not repeat
        with torch.random.fork_rng(devices=[]):
            torch.manual_seed(seed)
            self.model = get_peft_model(self.base, self._lora_config())

    def _lora_config(self):
        from peft import LoraConfig

        target = self.config.target_modules
        return LoraConfig(
            r=self.config.lora_r,
            lora_alpha=self.config.lora_alpha,
            lora_dropout=self.config.lora_dropout,
            target_modules=target if isinstance(target, str) else list(target),
            task_type="CAUSAL_LM",
        )

    def train(self, examples: list[tuple[str, str]]) -> TrainStats:
        """One round of SFT on ``(prompt, completion)`` pairs, in the given order, loss on completions."""
        start = time.perf_counter()
        rows = [tokenize_example(self.tokenizer, p, c) for p, c in examples]
        kept = [r for r in rows if len(r["input_ids"]) <= self.config.max_length]
        stats = TrainStats(
            len(kept), len(rows) - len(kept), sum(len(r["input_ids"]) for r in kept), None, 0.0
        )
        if kept:
            # The trainer wants a directory of its own; never the model's, which may be a read-only install.
            with tempfile.TemporaryDirectory(prefix="her-arc-sft-") as scratch:
                stats.loss = self._fit(kept, scratch)
        self.epochs_trained += 1
        stats.seconds = time.perf_counter() - start
        return stats

    def _fit(self, rows: list[dict], scratch: str) -> float:
        """SFT on tokenized ``rows`` in their order; returns the mean training loss."""
        import torch
        from datasets import Dataset
        from transformers import PrinterCallback
        from trl import SFTConfig, SFTTrainer

        bf16 = bf16_supported() if self.config.bf16 is None else self.config.bf16
        args = SFTConfig(
            output_dir=scratch,
            num_train_epochs=self.config.train_epochs,
            per_device_train_batch_size=self.config.batch_size,
            learning_rate=self.config.learning_rate,
            lr_scheduler_type=self.config.lr_scheduler_type,
            warmup_steps=self.config.warmup_ratio,  # below 1: a share of the steps
            max_grad_norm=1.0,
            bf16=bf16,
            use_cpu=not torch.cuda.is_available(),
            save_strategy="no",
            logging_strategy="no",
            report_to="none",
            seed=self.seed + self.epochs_trained,
            dataset_kwargs={"skip_prepare_dataset": True},
            gradient_checkpointing=False,
            disable_tqdm=True,
        )
        # The examples arrive ordered (worst to best, or shuffled on purpose): keep that order.
        trainer = SFTTrainer(
            model=self.model,
            args=args,
            train_dataset=Dataset.from_list(rows),
            processing_class=self.tokenizer,
        )
        trainer._get_train_sampler = lambda *a, **k: torch.utils.data.SequentialSampler(
            trainer.train_dataset
        )
        trainer.remove_callback(PrinterCallback)  # the search reports its own progress
        result = trainer.train()
        return float(result.training_loss)

    def save(self, directory: str | Path) -> Path:
        """Write the adapter (PEFT format), or with ``full`` the whole model directory (weights, config,
        tokenizer), atomically; returns ``directory``."""
        directory = Path(directory)
        tmp = directory.with_name(directory.name + ".tmp")
        if tmp.exists():
            shutil.rmtree(tmp)
        self.model.save_pretrained(tmp)
        if self.config.full:
            self.tokenizer.save_pretrained(tmp)
            for extra in ("her_arc.json", "generation_config.json"):  # the grid encoding the prompts use
                if Path(self.model_dir, extra).is_file():
                    shutil.copy(Path(self.model_dir, extra), tmp / extra)
        if directory.exists():
            shutil.rmtree(directory)
        tmp.rename(directory)
        return directory

    def load(self, directory: str | Path) -> None:
        """Continue from a saved adapter, or model with ``full`` (used by ``--resume``)."""
        from peft import set_peft_model_state_dict
        from safetensors.torch import load_file

        if self.config.full:
            from her_arc.lm.weights import load_weights

            load_weights(self.model, directory)
            return
        set_peft_model_state_dict(self.model, load_file(str(Path(directory, "adapter_model.safetensors"))))
