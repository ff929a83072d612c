"""Task suites and task I/O: bundled files match their definitions; malformed data gets one clear error."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from her_arc.tasks import (
    Pair,
    Task,
    TaskFormatError,
    bundled_task_names,
    dumps_task,
    load_challenges,
    load_task,
    save_task,
    task_from_dict,
    validate_grid,
)

REPO = Path(__file__).resolve().parent.parent
TASKS_DIR = REPO / "tasks"

EXPECTED_NAMES = {
    "line-5",
    "vertical-lines-9",
    "squares-9",
    "overlapping-squares",
    "squares-12",
    "squares-20",
    *(f"squares-{n * n}" for n in range(4, 11)),
    "chick",
}


def load_generator():
    spec = importlib.util.spec_from_file_location("tasks_generate", TASKS_DIR / "generate.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def rows(grid: np.ndarray) -> list[str]:
    return ["".join(str(int(v)) for v in row) for row in grid]


def output(name: str) -> list[str]:
    return rows(load_task(name).train[0].output)


# --- bundled task files -----------------------------------------------------------------------------


def test_bundled_names():
    assert set(bundled_task_names()) == EXPECTED_NAMES
    assert {p.stem for p in TASKS_DIR.glob("*.json")} == EXPECTED_NAMES
    names = bundled_task_names()
    assert names.index("squares-9") < names.index("squares-12") < names.index("squares-100")


def test_files_match_the_generator_byte_for_byte():
    expected = load_generator().expected_files()
    assert set(expected) == {f"{n}.json" for n in EXPECTED_NAMES}
    for filename, text in expected.items():
        assert (TASKS_DIR / filename).read_text(encoding="utf-8") == text, (
            f"{filename} is stale: run tasks/generate.py"
        )


def test_generator_check_mode_detects_a_stale_file(tmp_path, capsys):
    generate = load_generator()
    assert generate.main(["--out", str(tmp_path)]) == 0
    assert generate.main(["--out", str(tmp_path), "--check"]) == 0
    (tmp_path / "chick.json").write_text("{}")
    assert generate.main(["--out", str(tmp_path), "--check"]) == 1
    assert "chick.json" in capsys.readouterr().out


@pytest.mark.parametrize("name", sorted(EXPECTED_NAMES))
def test_every_bundled_task_is_one_black_input_pair(name):
    task = load_task(name)
    assert task.name == name
    assert len(task.train) == 1 and task.test == [] and task.test_outputs is None
    grid_in, grid_out = task.train[0]
    assert grid_in.shape == grid_out.shape
    assert not grid_in.any()
    assert grid_in.dtype == grid_out.dtype == np.int8


def test_vertical_lines_9():
    assert output("vertical-lines-9") == ["123456789"] * 9


def test_squares_9_reading_order():
    assert output("squares-9") == ["111222333"] * 3 + ["444555666"] * 3 + ["777888999"] * 3


def test_overlapping_squares():
    assert output("overlapping-squares") == [
        "1111111111",
        "1222222221",
        "1233333321",
        "1234444321",
        "1234554321",
        "1234554321",
        "1234444321",
        "1233333321",
        "1222222221",
        "1111111111",
    ]


def test_squares_12_matches_the_reference():
    assert output("squares-12") == ["11447711", "11447711", "22558822", "22558822", "33669933", "33669933"]


def test_squares_20_is_10_rows_by_8_columns():
    got = output("squares-20")
    assert len(got) == 10 and len(got[0]) == 8
    assert [row[::2] for row in got[::2]] == ["1627", "2738", "3849", "4951", "5162"]


def test_squares_100_first_row_matches_the_reference_and_uses_colours_1_to_7():
    grid = load_task("squares-100").train[0].output
    assert rows(grid)[0] == "11447733662255114477"
    assert set(np.unique(grid)) == set(range(1, 8))
    assert set(np.unique(load_task("squares-81").train[0].output)) == set(range(1, 8))
    assert set(np.unique(load_task("squares-64").train[0].output)) == set(range(1, 10))


@pytest.mark.parametrize("n", range(4, 11))
def test_square_tasks_are_tilings_of_2x2_blocks(n):
    grid = load_task(f"squares-{n * n}").train[0].output
    assert grid.shape == (2 * n, 2 * n)
    blocks = grid.reshape(n, 2, n, 2).transpose(0, 2, 1, 3).reshape(n, n, 4)
    assert (blocks == blocks[:, :, :1]).all(), "each 2x2 block is one colour"
    column_major = blocks[:, :, 0].T.reshape(-1)  # colours in drawing order
    cycle = 7 if n >= 9 else 9
    assert list(column_major) == [i % cycle + 1 for i in range(n * n)]


def test_chick():
    assert output("chick")[3] == "8424474248"
    assert set(np.unique(load_task("chick").train[0].output)) == {0, 2, 4, 7, 8}


# --- loading ----------------------------------------------------------------------------------------


def test_load_by_name_path_dict_and_task(tmp_path):
    by_name = load_task("squares-25")
    by_file_name = load_task("squares-25.json")
    by_path = load_task(TASKS_DIR / "squares-25.json")
    by_str_path = load_task(str(TASKS_DIR / "squares-25.json"))
    by_dict = load_task(json.loads((TASKS_DIR / "squares-25.json").read_text()), name="mine")
    by_task = load_task(by_name)
    assert by_task is by_name
    assert by_dict.name == "mine" and by_path.name == "squares-25" and by_file_name.name == "squares-25"
    for other in (by_file_name, by_path, by_str_path, by_dict):
        assert np.array_equal(other.train[0].output, by_name.train[0].output)


def test_a_file_in_the_working_directory_wins_over_a_bundled_name(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "chick").write_text(json.dumps({"train": [{"input": [[1]], "output": [[2]]}]}))
    assert load_task("chick").train[0].output.tolist() == [[2]]


def test_task_from_arrays_is_validated_and_converted():
    task = load_task(Task(train=[(np.zeros((2, 2), dtype=np.int64), np.ones((2, 2), dtype=np.int32))]))
    assert isinstance(task.train[0], Pair)
    assert task.train[0].output.dtype == np.int8
    assert [g.shape for g in task.inputs] == [(2, 2)] and [g.shape for g in task.outputs] == [(2, 2)]


def test_test_entries_with_and_without_outputs():
    data = {
        "train": [{"input": [[1, 2]], "output": [[2, 1]]}],
        "test": [{"input": [[3, 4]]}, {"input": [[5, 6], [7, 8]]}],
    }
    task = task_from_dict(data)
    assert [g.tolist() for g in task.test] == [[[3, 4]], [[5, 6], [7, 8]]]
    assert task.test_outputs is None
    data["test"] = [{"input": [[3]], "output": [[4]]}]
    assert task_from_dict(data).test_outputs[0].tolist() == [[4]]


def test_save_round_trip_is_byte_identical_to_the_bundled_layout(tmp_path):
    path = save_task(load_task("chick"), tmp_path / "sub" / "chick.json")
    assert path.read_text() == (TASKS_DIR / "chick.json").read_text()
    task = Task(
        train=[Pair(np.array([[1, 2]]), np.array([[3], [4]]))],
        test=[np.array([[5]])],
        test_outputs=[np.array([[6]])],
        name="x",
    )
    save_task(task, tmp_path / "x.json")
    back = load_task(tmp_path / "x.json")
    assert back.train[0].output.tolist() == [[3], [4]] and back.test_outputs[0].tolist() == [[6]]
    assert json.loads(dumps_task(task)) == task.to_dict()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["sub", "x.json"], "no temporary files left behind"


def test_save_refuses_invalid_tasks_and_keeps_the_old_file(tmp_path):
    path = tmp_path / "t.json"
    save_task({"train": [{"input": [[1]], "output": [[1]]}]}, path)
    before = path.read_text()
    with pytest.raises(TaskFormatError):
        save_task(Task(train=[Pair(np.array([[1]]), np.array([[12]]))]), path)
    assert path.read_text() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["t.json"]


def test_load_challenges_with_solutions(tmp_path):
    challenges = {
        "aaa": {"train": [{"input": [[1]], "output": [[2]]}], "test": [{"input": [[3]]}]},
        "bbb": {
            "train": [{"input": [[0, 0]], "output": [[1, 1]]}],
            "test": [{"input": [[4]]}, {"input": [[5]]}],
        },
    }
    solutions = {"aaa": [[[4]]], "bbb": [[[6]], [[7]]]}
    (tmp_path / "c.json").write_text(json.dumps(challenges))
    (tmp_path / "s.json").write_text(json.dumps(solutions))
    tasks = load_challenges(tmp_path / "c.json")
    assert list(tasks) == ["aaa", "bbb"] and tasks["bbb"].name == "bbb"
    assert tasks["aaa"].test_outputs is None
    solved = load_challenges(tmp_path / "c.json", tmp_path / "s.json")
    assert [g.tolist() for g in solved["bbb"].test_outputs] == [[[6]], [[7]]]

    (tmp_path / "s.json").write_text(json.dumps({"aaa": [[[4]]], "bbb": [[[6]]]}))
    with pytest.raises(TaskFormatError, match=r"s\.json.*'bbb'.*2 test output"):
        load_challenges(tmp_path / "c.json", tmp_path / "s.json")
    challenges["bbb"]["train"][0]["output"] = [[1, 10]]
    (tmp_path / "c.json").write_text(json.dumps(challenges))
    with pytest.raises(TaskFormatError, match=r"c\.json: task 'bbb': train\[0\]\.output: value 10"):
        load_challenges(tmp_path / "c.json")


# --- malformed data ---------------------------------------------------------------------------------

GOOD = [[0, 1], [2, 3]]


def pairs(*outputs):
    return {"train": [{"input": GOOD, "output": out} for out in outputs], "test": []}


MALFORMED = [
    # (file text, where the error is, words the message must contain)
    ('{"train": [', "", ["not valid JSON", "line 1"]),
    ("", "", ["not valid JSON"]),
    ("[1, 2]", "top level", ["expected a JSON object"]),
    (json.dumps({"test": []}), "top level", ["missing key 'train'"]),
    (json.dumps({"train": []}), "train", ["no train pairs"]),
    (json.dumps({"train": {"input": GOOD}}), "train", ["expected a list"]),
    (json.dumps({"train": [{"input": GOOD}]}), "train[0]", ["missing key 'output'"]),
    (json.dumps({"train": [{"output": GOOD}]}), "train[0]", ["missing key 'input'"]),
    (json.dumps({"train": [[GOOD, GOOD]]}), "train[0]", ["expected an object"]),
    (json.dumps(pairs(GOOD, [[1, 2], [3]])), "train[1].output", ["ragged rows", "row 1"]),
    (json.dumps(pairs(GOOD, [[1, 11]])), "train[1].output", ["value 11", "row 0, col 1", "0-9"]),
    (json.dumps(pairs([[-1]])), "train[0].output", ["value -1", "0-9"]),
    (json.dumps(pairs([])), "train[0].output", ["empty grid"]),
    (json.dumps(pairs([[]])), "train[0].output", ["empty grid"]),
    (json.dumps(pairs([[0] * 31] * 31)), "train[0].output", ["31", "more than 30"]),
    (json.dumps(pairs([[0] * 31])), "train[0].output", ["31 columns"]),
    (json.dumps(pairs([[1.5]])), "train[0].output", ["float 1.5", "not an integer"]),
    (json.dumps(pairs([[1.0]])), "train[0].output", ["float 1.0", "not an integer"]),
    (json.dumps(pairs([["3"]])), "train[0].output", ["str '3'", "not an integer"]),
    (json.dumps(pairs([[True]])), "train[0].output", ["bool True", "not an integer"]),
    (json.dumps(pairs([[None]])), "train[0].output", ["not an integer"]),
    (json.dumps(pairs([1, 2])), "train[0].output", ["row 0 is int 1, not a list"]),
    (json.dumps(pairs("0123")), "train[0].output", ["expected a grid"]),
    (
        json.dumps({"train": [{"input": GOOD, "output": GOOD}], "test": [{"output": GOOD}]}),
        "test[0]",
        ["missing key 'input'"],
    ),
    (
        json.dumps({"train": [{"input": GOOD, "output": GOOD}], "test": [{"input": [[12]]}]}),
        "test[0].input",
        ["value 12"],
    ),
]


@pytest.mark.parametrize("text,where,words", MALFORMED, ids=[f"{i}" for i in range(len(MALFORMED))])
def test_malformed_file_gives_one_clear_error(tmp_path, text, where, words):
    path = tmp_path / "bad-task.json"
    path.write_text(text)
    with pytest.raises(TaskFormatError) as info:
        load_task(path)
    message = str(info.value)
    assert message.startswith(f"{path}: "), message
    if where:
        assert f": {where}: " in message, message
    for word in words:
        assert word in message, message
    assert message.endswith("."), "the message ends with what to do"
    assert "Traceback" not in message and "numpy" not in message
    shown_chain = info.value.__cause__ or (
        None if info.value.__suppress_context__ else info.value.__context__
    )
    assert shown_chain is None, "no chained traceback from json or numpy"


def test_malformed_dicts_name_the_pair_too():
    with pytest.raises(TaskFormatError, match=r"^<task dict>: train\[1\]\.output: value 11"):
        load_task(pairs(GOOD, [[11]]))
    with pytest.raises(TaskFormatError, match=r"^task 'mine': train\[0\]\.input"):
        load_task({"train": [{"input": [[1], [2, 3]], "output": GOOD}]}, name="mine")


@pytest.mark.parametrize(
    "array,words",
    [
        (np.zeros((2, 2, 2), dtype=np.int8), "3 dimension"),
        (np.zeros((2, 2), dtype=float), "dtype float64"),
        (np.zeros((0, 3), dtype=np.int8), "empty grid"),
        (np.zeros((31, 2), dtype=np.int8), "31x2"),
        (np.full((2, 2), 10), "value 10"),
    ],
)
def test_bad_arrays_in_a_task(array, words):
    with pytest.raises(TaskFormatError, match=rf"^task 'x': train\[0\]\.output: .*{words}"):
        Task(train=[Pair(np.zeros((2, 2), dtype=np.int8), array)], name="x").validate()


def test_validate_grid_returns_an_int8_copy():
    source = np.array([[1, 2]], dtype=np.int64)
    out = validate_grid(source)
    assert out.dtype == np.int8 and out is not source
    assert validate_grid([[3]]).tolist() == [[3]]


@pytest.mark.parametrize("name", ["squares-1000", "no-such-task"])
def test_unknown_name_lists_the_bundled_tasks(name):
    with pytest.raises(
        TaskFormatError, match=f"^{name}: no such file or bundled task. Bundled tasks: .*squares-25"
    ):
        load_task(name)


def test_missing_path_and_directory(tmp_path):
    with pytest.raises(TaskFormatError, match="no such file"):
        load_task(tmp_path / "missing.json")
    with pytest.raises(TaskFormatError, match="not a file"):
        load_task(tmp_path)
    with pytest.raises(TaskFormatError, match="cannot load a task from int"):
        load_task(42)


def test_not_utf8(tmp_path):
    path = tmp_path / "latin.json"
    path.write_bytes(b"\xff\xfe{}")
    with pytest.raises(TaskFormatError, match="cannot read"):
        load_task(path)


# --- import weight ----------------------------------------------------------------------------------


def test_dsl_and_task_io_import_no_torch():
    code = (
        "import sys, dsl, her_arc, her_arc.tasks, her_arc.metrics\n"
        "her_arc.load_task('squares-9')\n"
        "heavy = sorted(m for m in ('torch', 'transformers', 'vllm', 'peft', 'trl') if m in sys.modules)\n"
        "print(heavy)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_import_dsl_alone_does_not_import_her_arc():
    code = "import sys, dsl; print('her_arc' in sys.modules, 'torch' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=60
    )
    assert result.stdout.strip() == "False False", result.stderr
