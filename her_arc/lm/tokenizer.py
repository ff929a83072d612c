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


OBJECT_FIELDS = ("color", "colors", "size", "cells", "top", "left", "bottom", "right", "bg", "height", "width",
                 "sprite", "mask")
"""The fields and properties of :class:`dsl.Obj` that programs read."""

PYTHON_WORDS = ("lambda", "where", "nonzero", "else", "elif", "key", "all", "any", "sorted", "append", "int", "not",
                "enumerate", "array_equal", "len", "continue", "break", "zip", "array", "axis", "sum", "None", "list",
                "tuple", "set", "dict", "items", "astype", "while", "abs", "next", "zeros", "ones", "full", "unique",
                "argmax", "reverse", "objs", "obj", "rows", "cols", "row", "col")
"""Python and numpy names of the hand-written ARC solutions' code (comments and docstrings aside), most of them
used 8 or more times there, that the painter's tokenizer spells in pieces."""


def program_words() -> tuple[str, ...]:
    """Whole identifiers of input-reading programs: every DSL primitive, the object fields, :data:`PYTHON_WORDS`."""
    import dsl

    return tuple(dict.fromkeys([*dsl.PRIMITIVES, *OBJECT_FIELDS, *PYTHON_WORDS]))


def add_program_words(tokenizer, model, words: tuple[str, ...] | None = None) -> list[str]:
    """Give each of ``words`` (default: :func:`program_words`) that ``tokenizer`` spells in several pieces a token of
    its own, matched as a whole word only (``copy`` in ``copy(img)``, not in ``mycopy``), and ``model`` an embedding
    row for it: the mean of its pieces' rows, so the model starts from what it read before. Text without these words
    tokenizes exactly as before. Returns the words added, in order (the same words give the same ids)."""
    import torch
    from tokenizers import AddedToken

    words = program_words() if words is None else words
    pieces = {w: tokenizer(w, add_special_tokens=False)["input_ids"] for w in words}
    vocab = tokenizer.get_vocab()
    new = [w for w in words if len(pieces[w]) > 1 and w not in vocab]
    if not new:
        return []
    tokenizer.add_tokens([AddedToken(w, single_word=True, normalized=False) for w in new])
    model.resize_token_embeddings(len(tokenizer), mean_resizing=False)
    tables = [model.get_input_embeddings().weight]
    output = model.get_output_embeddings()
    if output is not None and output.weight.data_ptr() != tables[0].data_ptr():
        tables.append(output.weight)
    with torch.no_grad():
        for w in new:
            row = tokenizer.convert_tokens_to_ids(w)
            for table in tables:
                table[row] = table[pieces[w]].mean(dim=0)
    return new
