import numpy as np
import pytest

from dsl.primitives import DRAW_PRIMITIVES
from dsl.sampler import SamplerConfig, sample_task
from her_arc.programs.views import VIEWS, UnmappableProgram, map_program, views
from her_arc.sandbox import execute


def test_the_eight_views_are_distinct_and_each_inverts_exactly():
    grid = np.arange(6).reshape(2, 3)
    shown = [v.apply(grid) for v in VIEWS]
    assert len({(g.shape, g.tobytes()) for g in shown}) == 8
    for view, g in zip(VIEWS, shown, strict=True):
        assert np.array_equal(view.invert(g), grid)
    assert np.array_equal(VIEWS[1].apply(grid), grid.T) and np.array_equal(VIEWS[2].apply(grid), np.rot90(grid))


def test_a_program_written_for_a_view_draws_the_original_task_once_mapped():
    # Every task the sampler makes (all primitives, clipping at the edges, drawn canvases, 1x1 to 12x12 grids),
    # taken as a view of some original: its program, mapped back, must draw the original exactly.
    config = SamplerConfig(min_draws=1, max_draws=8, min_side=1, max_side=12, drawn_input_probability=0.3)
    programs, inputs, outputs = [], [], []
    for i in range(60):
        task = sample_task(np.random.default_rng([5, i]), config)
        for view in VIEWS:
            originals = [view.invert(g) for g in task.inputs]
            programs.append(map_program(task.program, view, originals[0].shape))
            inputs.append(originals)
            outputs.append([view.invert(g) for g in task.outputs])
    for program, ins, outs in zip(programs, inputs, outputs, strict=True):
        [result] = execute([program], ins)
        assert result.status == "ok" and all(np.array_equal(a, b) for a, b in zip(result.outputs, outs, strict=True))


def test_mapped_programs_keep_the_samplers_conventions():
    program = "\n    ".join(
        ["def task(img):", "draw_rectangle(img, (0, 1), (2, 3), 4)", "draw_horizontal_line(img, 0, 5)", "return img"]
    )
    mapped = map_program(program, VIEWS[4], (5, 6)).splitlines()  # rot180
    assert mapped[1:3] == ["    draw_rectangle(img, (2, 2), (4, 4), 4)", "    draw_horizontal_line(img, 4, 5)"]
    assert "draw_vertical_line(img, 0, 5)" in map_program(program, VIEWS[1], (5, 6))
    assert map_program("anything at all", VIEWS[0], (3, 3)) == "anything at all"


@pytest.mark.parametrize(
    ("body", "why"),
    [
        ("for i in range(3):\n        draw_pixel(img, (i, i), 1)", "not a draw call"),
        ("x = 2\n    draw_pixel(img, (x, 0), 1)", "not a draw call"),
        ("draw_pixel(img, point=(0, 0), color=1)", "not a draw call"),
        ("draw_pixel(img, (0, 0, 0), 1)", "draw_pixel takes img, then point, int"),
        ("draw_rectangle(img, 3, (1, 2), 4)", "draw_rectangle takes img, then point, point, int"),
        ("draw_horizontal_line(9, 1, 7)", "not a draw call"),
        ("draw_line(img, (0, 0), (1, True), 2)", "draw_line takes"),
        ("draw_pixel(img, (0, 0), x)", "not literals"),
        ("draw_circle(img, (0, 0), 1)", "draw_circle is not a drawing primitive"),
    ],
)
def test_programs_that_are_not_straight_line_draws_are_refused_with_the_reason(body, why):
    with pytest.raises(UnmappableProgram, match=why):
        map_program(f"def task(img):\n    {body}\n    return img", VIEWS[1], (4, 4))


def test_a_program_cut_off_before_return_img_stays_without_one():
    # Unmapped it returns None and fails as an invalid output; mapped, it must fail the same way.
    mapped = map_program("def task(img):\n    draw_pixel(img, (0, 1), 1)", VIEWS[1], (4, 4))
    assert mapped == "def task(img):\n    draw_pixel(img, (1, 0), 1)"


@pytest.mark.parametrize("n", [0, 9, True, 2.0])
def test_views_out_of_range_name_the_allowed_values(n):
    with pytest.raises(ValueError, match="1-8"):
        views(n)


def test_any_draw_call_maps_or_is_refused_never_crashes():
    # What a painter writes can be anything; a search must never die mapping it. Every primitive with 0-4
    # arguments of every kind (points, integers, triples, booleans, names, strings, None) maps or is refused.
    rng = np.random.default_rng(0)
    kinds = ["(1, 2)", "3", "(1, 2, 3)", "True", "x", "'a'", "None", "((1, 2), 3)", "-1", "(1, (2,))"]
    names = [*DRAW_PRIMITIVES, "draw_circle"]
    for _ in range(3000):
        args = ", ".join(["img"] + [str(rng.choice(kinds)) for _ in range(int(rng.integers(5)))])
        program = f"def task(img):\n    {rng.choice(names)}({args})\n    return img"
        try:
            assert map_program(program, VIEWS[int(rng.integers(1, 8))], (10, 10)).startswith("def task(img):")
        except UnmappableProgram:
            pass
