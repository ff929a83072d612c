"""her_arc.generate: inputs, mutated programs and the filtered task stream, with the real sandbox and solutions."""

from __future__ import annotations

import itertools
from collections import Counter
from pathlib import Path

import numpy as np
import pytest

from her_arc.generate import KINDS, MUTATIONS, GenerateConfig, generate_tasks, heldout_ids, load_solutions
from her_arc.generate.inputs import sample_inputs
from her_arc.generate.mutate import canonical, chain, color_sites, make_program, mutate, per_object, solution_tree
from her_arc.generate.tasks import _key, _records, task_filter
from her_arc.sandbox import ExecutorPool
from her_arc.sandbox._checks import check_source

SOLUTIONS = Path(__file__).resolve().parents[1] / "tasks" / "arc" / "solutions"


@pytest.fixture(scope="module")
def pool():
    with ExecutorPool(n_workers=2, timeout_s=0.5) as p:
        yield p


@pytest.fixture(scope="module")
def stream_tasks(pool):
    stats = Counter()
    tasks = list(itertools.islice(generate_tasks(1, pool=pool, stats=stats), 40))
    return tasks, stats


def _grid_ok(g):
    return g.dtype == np.int8 and g.ndim == 2 and 1 <= min(g.shape) and max(g.shape) <= 30 and 0 <= g.min() \
        and g.max() <= 9


@pytest.mark.parametrize("kind", KINDS)
def test_inputs_of_every_kind_are_distinct_valid_grids_in_one_style(kind):
    rng = np.random.default_rng(3)
    for _ in range(20):
        k = int(rng.integers(3, 7))
        grids = sample_inputs(rng, k, kind=kind)
        assert len(grids) == k and all(_grid_ok(g) and min(g.shape) >= 3 for g in grids)
        assert len({_key([g]) for g in grids}) == k
        palette = set().union(*(np.unique(g).tolist() for g in grids))
        assert len(palette) <= 6  # one style: background, up to 4 colours, a separator or hole colour


def test_inputs_like_real_grids_keep_their_sizes_and_are_deterministic():
    like = [np.arange(48, dtype=np.int8).reshape(6, 8) % 3, np.zeros((5, 9), dtype=np.int8)]
    a = sample_inputs(np.random.default_rng(0), 5, like=like)
    b = sample_inputs(np.random.default_rng(0), 5, like=like)
    assert len(a) == 5 and all(np.array_equal(x, y) for x, y in zip(a, b, strict=True))
    for g in a:
        assert _grid_ok(g) and max(g.shape) <= 9 and min(g.shape) >= 3


def test_every_program_made_from_the_solutions_passes_the_static_check():
    rng = np.random.default_rng(0)
    sols = load_solutions()
    pool = list(sols.values())
    inputs = sample_inputs(rng, 3, kind="objects")
    made = Counter()
    for sid in list(sols)[::7]:
        for kind in MUTATIONS:
            text = make_program(rng, kind, sols[sid], inputs, pool).text
            if text is not None:
                check_source(text)
                assert text.startswith("def task(img):") and '"""' not in text
                made[kind] += 1
    assert all(made[k] > 0 for k in MUTATIONS), made


def test_mutations_change_what_they_say():
    src = (SOLUTIONS / "05f2a901.py").read_text()  # find the red (2) and azure (8) objects, slide one
    assert sorted(s.value for s in color_sites(solution_tree(src))) == [2, 8]
    recoloured = mutate(np.random.default_rng(0), src, "colors", (3, 5))
    assert recoloured is not None and recoloured != canonical(src)
    assert sorted(s.value for s in color_sites(solution_tree(recoloured))) != [2, 8]
    flipped = "def task(img):\n    return flip_lr(img)\n"
    assert mutate(np.random.default_rng(0), flipped, "swap") in (
        "def task(img):\n    return flip_ud(img)\n", "def task(img):\n    return transpose(img)\n")
    both = chain(flipped, "import math\n\ndef task(img):\n    return rotate(img, math.floor(2.5))\n")
    assert "def step1(img)" in both and "return step2(step1(img))" in both and both.startswith("def task(img):")
    check_source(both)
    check_source(per_object(np.random.default_rng(0), flipped))


def test_chained_and_per_object_programs_compute_what_they_say(pool):
    flip = "def task(img):\n    return flip_lr(img)\n"
    up = "def task(img):\n    return upscale(img, 2)\n"
    g = np.array([[1, 2, 0], [0, 0, 0], [0, 0, 3]], dtype=np.int8)
    [r] = pool.execute([chain(flip, up)], [g])
    assert r.ok and np.array_equal(r.outputs[0], np.kron(g[:, ::-1], np.ones((2, 2), dtype=np.int8)))
    [r] = pool.execute([per_object(np.random.default_rng(5), flip)], [g])
    assert r.ok and r.outputs[0].shape == g.shape


def test_kept_tasks_pass_every_filter_and_the_program_reproduces_them(stream_tasks, pool):
    tasks, stats = stream_tasks
    assert len(tasks) == 40 and stats["kept"] == 40
    keys = set()
    for t in tasks:
        assert 3 <= len(t.inputs) <= 6 and len(t.outputs) == len(t.inputs)
        assert all(_grid_ok(g) for g in t.inputs + t.outputs)
        assert task_filter(t.inputs, t.outputs) is None
        assert not all(i.shape == o.shape and np.array_equal(i, o) for i, o in t.pairs)
        assert len({_key([o]) for o in t.outputs}) > 1
        for i, o in t.pairs:
            assert len(np.unique(o)) > 1 or len(np.unique(i)) == 1
        assert t.kind in MUTATIONS
        keys.add(_key(t.outputs))
        check_source(t.program)
    assert len(keys) == len(tasks)  # no output set twice
    for t in tasks[::4]:
        [r] = pool.execute([t.program], t.inputs)
        assert r.ok and all(np.array_equal(a, b) for a, b in zip(r.outputs, t.outputs, strict=True))
    assert len({t.kind for t in tasks}) >= 4


def test_filters_reject_what_they_name():
    a, b = np.eye(3, dtype=np.int8), np.eye(3, dtype=np.int8)[::-1].copy()
    assert task_filter([a, b], None) == "failed"
    assert task_filter([a, b], [a, b]) == "identity"
    assert task_filter([a, b], [a, a]) == "constant"
    assert task_filter([a, b], [np.zeros((3, 3), np.int8), b.T]) == "single_color"
    assert task_filter([np.zeros((2, 2), np.int8), b], [np.ones((2, 2), np.int8), b.T * 2]) is None
    assert task_filter([a, b], [b, a]) is None


def test_stream_is_deterministic_by_seed(pool, stream_tasks):
    again = list(itertools.islice(generate_tasks(1, pool=pool), 8))
    first = stream_tasks[0][:8]
    for x, y in zip(first, again, strict=True):
        assert x.program == y.program and x.source == y.source and x.kind == y.kind
        assert all(np.array_equal(p, q) for p, q in zip(x.inputs + x.outputs, y.inputs + y.outputs, strict=True))
    other = list(itertools.islice(generate_tasks(2, pool=pool), 3))
    assert [t.program for t in other] != [t.program for t in first[:3]]


def test_heldout_ids_are_fixed_and_never_a_source(stream_tasks, pool):
    held = heldout_ids()
    ids = sorted(load_solutions())
    assert len(held) == 50 and held <= set(ids)  # drawn once from the 349 solutions of the day: fixed, not redrawn
    assert {"00d62c1b", "137eaa0f", "dbc1a6ce"} <= held
    for t in stream_tasks[0]:
        assert t.source not in held and t.inputs_from not in held
    keep = set(ids[:3])
    stats = Counter()
    only = list(itertools.islice(generate_tasks(0, pool=pool, exclude_ids=set(ids) - keep, stats=stats), 12))
    assert {t.inputs_from for t in only} <= keep and {t.source for t in only} <= keep | {None}


def test_taking_five_tasks_runs_only_a_few_rounds(pool):
    stats = Counter()
    stream = generate_tasks(4, pool=pool, stats=stats)
    tasks = list(itertools.islice(stream, 5))
    stream.close()
    assert len(tasks) == 5 and stats["kept"] == 5
    assert stats["rounds"] <= 20 and stats["candidates"] <= 20 * GenerateConfig().candidates


def test_records_are_prompt_and_completion_of_the_program(pool):
    from her_arc.lm.prompt import PROGRAM_START

    [rec] = list(_records(0, "dense", 1, None, None))
    assert rec["prompt"].endswith("program\n" + PROGRAM_START)
    assert rec["completion"].startswith("\n    ") and rec["completion"].endswith("\n")


def test_config_rejects_nonsense():
    with pytest.raises(ValueError):
        GenerateConfig(min_inputs=4, max_inputs=3)
    with pytest.raises(ValueError):
        GenerateConfig(kind_weights=(("nope", 1.0),))


def test_kept_chains_differ_from_each_of_their_steps_alone(pool):
    import ast

    stats = Counter()
    tasks = list(itertools.islice(generate_tasks(5, sources=("chain",), pool=pool, stats=stats), 6))
    assert {t.kind for t in tasks} == {"chain"}
    for t in tasks:
        task = ast.parse(t.program).body[0]
        steps = []
        for fn in (s for s in task.body if isinstance(s, ast.FunctionDef)):
            fn.name = "task"
            steps.append(ast.unparse(ast.Module(body=[*[s for s in task.body if isinstance(s, ast.Import)], fn],
                                                type_ignores=[])))
        assert len(steps) == 2
        for r in pool.execute(steps, t.inputs):
            assert not (r.ok and all(np.array_equal(a, b) and a.shape == b.shape
                                     for a, b in zip(r.outputs, t.outputs, strict=True)))
