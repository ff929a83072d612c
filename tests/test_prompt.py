import numpy as np
import pytest

from dsl.sampler import SamplerConfig, sample_task
from her_arc.lm.prompt import (
    GRID_ENCODINGS,
    PromptFormatError,
    decode_grid,
    decode_task,
    encode_completion,
    encode_grid,
    encode_task,
)


@pytest.mark.parametrize("encoding", GRID_ENCODINGS)
def test_grid_round_trip_on_random_grids(encoding):
    rng = np.random.default_rng(0)
    for _ in range(200):
        grid = rng.integers(0, 10, size=tuple(rng.integers(1, 31, size=2))).astype(np.int8)
        assert np.array_equal(decode_grid(encode_grid(grid, encoding), encoding), grid)


def test_dense_encoding_shows_shape_and_row_labels_with_one_digit_per_cell():
    grid = np.array([[5, 5, 5, 5], [5, 7, 7, 5]])
    assert encode_grid(grid, "dense", "input") == "input 2x4\n0 5555\n1 5775"


def test_runs_encoding_writes_coordinates_a_program_can_copy():
    grid = np.array([[5, 5, 5, 5], [5, 7, 7, 5]])
    assert encode_grid(grid, "runs") == "output 2x4\n0 0-3:5\n1 0:5 1-2:7 3:5"


@pytest.mark.parametrize("encoding", GRID_ENCODINGS)
def test_task_round_trip_with_several_pairs_and_test_inputs(encoding):
    rng = np.random.default_rng(1)
    task = sample_task(rng, SamplerConfig(min_inputs=3, max_inputs=3))
    pairs = list(zip(task.inputs, task.outputs, strict=False))
    text = encode_task(pairs, encoding, test_inputs=task.inputs[:1])
    assert text.endswith("program\n")
    decoded_pairs, tests = decode_task(text, encoding)
    assert len(decoded_pairs) == 3 and len(tests) == 1
    for (a, b), (c, d) in zip(pairs, decoded_pairs, strict=False):
        assert np.array_equal(a, c) and np.array_equal(b, d)


@pytest.mark.parametrize(
    "text",
    [
        "output 2x2\n0 12\n",  # cut short
        "output 2x2\n0 12\n1 123",  # row too long
        "output 2x2\n0 12\n2 12",  # wrong row label
        "grid 2x2\n0 12\n1 12",  # bad header
    ],
)
def test_malformed_grid_text_is_a_clear_error(text):
    with pytest.raises(PromptFormatError):
        decode_grid(text, "dense")


def test_runs_must_cover_the_row_in_order():
    with pytest.raises(PromptFormatError, match="bad run"):
        decode_grid("output 1x4\n0 0-1:5 3:5", "runs")
    with pytest.raises(PromptFormatError, match="cover"):
        decode_grid("output 1x4\n0 0-1:5 2:5", "runs")


def test_unknown_encoding_is_rejected():
    with pytest.raises(ValueError, match="unknown grid encoding"):
        encode_grid(np.zeros((2, 2)), "pixels")


def test_completion_ends_with_exactly_one_newline():
    assert encode_completion("def task(img):\n    return img\n\n") == "def task(img):\n    return img\n"


def test_diff_encoding_lists_only_the_changed_cells():
    inp = np.full((3, 4), 5)
    out = inp.copy()
    out[1, 1:3] = 7
    text = encode_task([(inp, out)], "diff")
    assert text.endswith("changes 3x4\n1 1-2:7\nprogram\n")


def test_diff_encoding_round_trips_noise_multi_pair_and_shape_changes():
    rng = np.random.default_rng(2)
    for _ in range(100):
        task = sample_task(rng, SamplerConfig(max_inputs=3, noise_probability=0.5, max_side=15))
        pairs = list(zip(task.inputs, task.outputs, strict=False))
        pairs.append((task.inputs[0], task.inputs[0][:-1] if task.inputs[0].shape[0] > 1 else task.inputs[0]))
        decoded, _ = decode_task(encode_task(pairs, "diff"), "diff")
        for (a, b), (c, d) in zip(pairs, decoded, strict=False):
            assert np.array_equal(a, c) and np.array_equal(b, d)


def test_changes_outside_the_grid_are_rejected():
    text = "input 2x2\n0 0-1:0\n1 0-1:0\nchanges 2x2\n1 1-2:3\nprogram\n"
    with pytest.raises(PromptFormatError, match="bad run"):
        decode_task(text, "diff")


def test_blocks_encoding_writes_a_rectangle_as_one_line_with_both_corners():
    inp = np.full((5, 6), 0)
    out = inp.copy()
    out[1:4, 2:5] = 7
    assert encode_task([(inp, out)], "blocks") == "input 5x6\n0-4 0-5:0\nchanges 5x6\n1-3 2-4:7\nprogram\n"


def test_blocks_encoding_merges_only_neighbouring_equal_rows():
    grid = np.array([[1, 1], [1, 1], [2, 2], [1, 1]])
    assert encode_grid(grid, "blocks", "input") == "input 4x2\n0-1 0-1:1\n2 0-1:2\n3 0-1:1"


@pytest.mark.parametrize("encoding", ["blocks", "boxes"])
def test_blocks_encoding_round_trips_noise_multi_pair_and_shape_changes(encoding):
    rng = np.random.default_rng(3)
    for _ in range(100):
        task = sample_task(rng, SamplerConfig(max_inputs=3, noise_probability=0.3, max_side=20))
        pairs = list(zip(task.inputs, task.outputs, strict=True))
        pairs.append((task.inputs[0], task.inputs[0][:, :-1] if task.inputs[0].shape[1] > 1 else task.inputs[0]))
        decoded, _ = decode_task(encode_task(pairs, encoding), encoding)
        for (a, b), (c, d) in zip(pairs, decoded, strict=True):
            assert np.array_equal(a, c) and np.array_equal(b, d)


@pytest.mark.parametrize(
    "text",
    [
        "input 2x2\n0-2 0-1:0\nchanges 2x2\n0 0:1\nprogram\n",  # rows past the grid
        "input 2x2\n0 0-1:0\n0 0-1:0\nchanges 2x2\n0 0:1\nprogram\n",  # row repeated
        "input 2x2\n1-0 0-1:0\nchanges 2x2\n0 0:1\nprogram\n",  # backwards range
        "input 2x2\n0-1 0-1:0\nchanges 2x2\n1 0:1\n0-1 1:1\nprogram\n",  # changed rows out of order
        "input 2x2\n0-1 0-1:0\nchanges 2x2\n0-3 0:1\nprogram\n",  # changed rows past the grid
    ],
)
def test_malformed_blocks_are_a_clear_error(text):
    with pytest.raises(PromptFormatError):
        decode_task(text, "blocks")


def test_boxes_encoding_gives_each_colour_its_full_extent_under_later_shapes():
    inp = np.zeros((6, 6), dtype=np.int8)
    out = inp.copy()
    out[0:5, 0:4] = 7  # a rectangle ...
    out[1:3, 1:6] = 3  # ... mostly covered by a later one
    out[4, 5] = 7  # and a pixel of the same colour
    text = encode_task([(inp, out)], "boxes")
    assert text.endswith("boxes\n1-2 1-5:3\n0-4 0-5:7\nprogram\n")
    assert text.startswith(encode_task([(inp, out)], "blocks").removesuffix("program\n"))


def test_boxes_count_changed_cells_only():
    inp = np.full((3, 3), 2, dtype=np.int8)
    out = inp.copy()
    out[:, 1] = 2  # painted with the background colour: no change, no box
    out[2, 2] = 5
    assert encode_task([(inp, out)], "boxes").endswith("changes 3x3\n2 2:5\nboxes\n2 2:5\nprogram\n")


@pytest.mark.parametrize(
    "boxes",
    ["boxes\n1 1:4\n", "boxes\n", "boxes\n1 1:7\n0 0:1\n", ""],  # wrong, missing, extra, absent
)
def test_a_boxes_block_that_does_not_match_its_pair_is_a_clear_error(boxes):
    text = f"input 2x2\n0-1 0-1:0\nchanges 2x2\n1 1:7\n{boxes}program\n"
    with pytest.raises(PromptFormatError):
        decode_task(text, "boxes")
