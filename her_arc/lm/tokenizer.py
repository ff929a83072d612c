"""The painter's tokenizer: byte-level BPE trained on DSL programs and task prompts.

Digits are always single tokens (grid cells and coordinates read the same everywhere), common DSL
and Python words become single tokens through BPE merges, and the byte-level alphabet means no
text can ever be unknown: anything outside the training corpus is spelled out in bytes.
"""

from __future__ import annotations

import numpy as np
from tokenizers import Regex, Tokenizer, decoders, models, pre_tokenizers, processors, trainers
from transformers import PreTrainedTokenizerFast

from dsl.sampler import SamplerConfig, sample_task
from her_arc.lm.prompt import encode_completion, encode_task

BOS, EOS, PAD = "<s>", "</s>", "<pad>"

# Python a drawing program may plausibly use beyond the straight-line draws the sampler writes.
_PYTHON_SNIPPETS = [
    "for i in range(10):\n    for j in range(0, 10, 2):\n        if i < j and j > i or not i == j:\n",
    "x = min(max(i + 1, j - 1), 9) * 2 // 3 % 4\ncolor = colors[k]\nk += 1\n",
    "while True:\n    break\n    continue\nelse:\n    pass\nelif x != y:\n    return img\n",
    "rows, cols = img.shape\nh = img.shape[0]\nw = img.shape[1]\nfor r, c in zip(a, b):\n",
    "def helper(img, n):\n    return [n for n in range(len(img)) if n >= 0 and n <= 9]\n",
    "np.zeros((3, 3), dtype=int)\nnp.array([[1, 2], [3, 4]])\nTrue False None abs sum enumerate\n",
    "img[0, 1] = 5\nimg[1:3, 2:4] = 7\nimg[:, -1] = img[-1, :]\n",
]


_CORPUS_ENCODINGS = ("dense", "runs", "diff", "blocks")
"""The encodings the shipped tokenizer was built from; later ones (``boxes``) add no new kinds of text."""


def training_corpus(n_tasks: int = 4000, seed: int = 0):
    """Texts the tokenizer learns its merges from: sampled prompts, programs and Python snippets."""
    rng = np.random.default_rng(seed)
    config = SamplerConfig(max_draws=6, max_side=30, max_inputs=2, noise_probability=0.2)
    for i in range(n_tasks):
        task = sample_task(rng, config)
        pairs = list(zip(task.inputs, task.outputs, strict=True))
        yield encode_task(pairs, _CORPUS_ENCODINGS[i % len(_CORPUS_ENCODINGS)]) + encode_completion(task.program)
    yield from _PYTHON_SNIPPETS * 50


def build_tokenizer(vocab_size: int = 384, n_tasks: int = 4000, seed: int = 0) -> PreTrainedTokenizerFast:
    """Train the painter's tokenizer; deterministic for a given seed."""
    tokenizer = Tokenizer(models.BPE())
    tokenizer.pre_tokenizer = pre_tokenizers.Sequence(
        [
            pre_tokenizers.Split(Regex(r"\d|[A-Za-z_]+|\n| +|[^\sA-Za-z_\d]+"), behavior="isolated"),
            pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=False),
        ]
    )
    tokenizer.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=vocab_size,
        special_tokens=[PAD, BOS, EOS],
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
        show_progress=False,
    )
    tokenizer.train_from_iterator(training_corpus(n_tasks, seed), trainer=trainer)
    # Every encoded text starts with <s>, whichever library tokenizes it (TRL, transformers, vLLM).
    tokenizer.post_processor = processors.TemplateProcessing(
        single=f"{BOS} $A", special_tokens=[(BOS, tokenizer.token_to_id(BOS))]
    )
    return PreTrainedTokenizerFast(
        tokenizer_object=tokenizer, bos_token=BOS, eos_token=EOS, pad_token=PAD, padding_side="left"
    )
