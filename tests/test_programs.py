"""Program tools: extraction, canonical form, simplify (with hypothesis properties), dedup, determinism."""

from __future__ import annotations

import time

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from her_arc.programs import (
    canonicalize,
    deduplicate,
    extract_program,
    nondeterministic,
    output_fingerprint,
    simplify,
    simplify_many,
)
from her_arc.sandbox import ExecutionResult, ExecutorPool

pytestmark = pytest.mark.timeout(120)

INPUTS = [np.zeros((5, 5), np.int8), np.full((4, 6), 3, np.int8)]


@pytest.fixture(scope="module")
def pool():
    with ExecutorPool(2, timeout_s=1.0) as p:
        yield p


class CountingExecutor:
    def __init__(self, inner):
        self.inner, self.calls, self.programs = inner, 0, 0

    def execute(self, programs, inputs, **kw):
        self.calls += 1
        self.programs += len(programs)
        return self.inner.execute(programs, inputs, **kw)


def outputs_of(pool, program):
    res = pool.execute([program], INPUTS)[0]
    return res.outputs if res.ok else None


def body(*lines):
    return "def task(img):\n" + "".join(f"    {line}\n" for line in lines) + "    return img"


# --- extract / canonicalize -----------------------------------------------------------------------------

CANON = "def task(img):\n    draw_pixel(img, (0, 0), 1)\n    return img"


@pytest.mark.parametrize(
    "completion",
    [
        CANON,
        "```python\ndef task(img):\n    draw_pixel(img, (0,0), 1)  # a comment\n    return img\n```",
        "Sure! Here it is:\n```py\n" + CANON + "\n```\nIt draws.",
        "```\ndef task(img):\n    draw_pixel(img, (0, 0), 1)\n    return img\n```",
        "```python\ndef task(img):\n    draw_pixel(img, (0, 0), 1)\n    return img",  # unclosed fence
        "```text\nnotes\n```\n```python\ndef task(img):\n    draw_pixel(img, (0, 0), 1)\n    return img\n```",
        "def task(img):\n    draw_pixel(img, (0, 0), 1)\n    return img\nThis program draws one pixel.",
        "def task(img):\n    draw_pixel(img, (0, 0), 1)\n    return img\nDone\nprint(task(1))",
        CANON + "\n\nif __name__ == '__main__':\n    task(1)",
        "def task(img):\n    draw_pixel(img, (0, 0), 1)\n    return img\n    draw_line(img, (1,",  # truncated
        "    draw_pixel(img, (0, 0), 1)\n    return img\n",  # only the body of `def task(img):`
        "draw_pixel(img, (0, 0), 1)\nreturn img",
        "The answer:\ndef task(img):\n\tdraw_pixel(img, (0, 0), 1)\n\treturn img",
    ],
)
def test_extract_program(completion):
    assert extract_program(completion) == CANON


def test_extract_keeps_imports_and_helpers():
    completion = (
        "```python\nimport numpy as np\n\ndef helper(img):\n    return img\n\n"
        "def task(img):\n    return helper(img)\n```"
    )
    text = extract_program(completion)
    assert text.startswith("import numpy as np\n\ndef helper(img):")
    assert "def task(img):\n    return helper(img)" in text


@pytest.mark.parametrize(
    "completion", ["", "   ", "no code here at all", "```python\nx = (\n```", None, "def solve(x):\n    pass"]
)
def test_extract_nothing(completion):
    assert extract_program(completion) is None


def test_canonicalize():
    assert canonicalize("def task(img):\n  return   img # c") == "def task(img):\n    return img"
    with pytest.raises(SyntaxError):
        canonicalize("def task(")


# --- simplify -------------------------------------------------------------------------------------------


def test_duplicate_relevant_lines_keep_one(pool):
    # The reference tested each line alone and deleted both copies of a relevant duplicated line.
    program = body("draw_pixel(img, (1, 1), 7)", "draw_pixel(img, (1, 1), 7)")
    simplified = simplify(program, INPUTS, pool)
    assert simplified == body("draw_pixel(img, (1, 1), 7)")
    assert outputs_of(pool, simplified)[0][1, 1] == 7


def test_overpainted_and_background_draws_removed(pool):
    program = body(
        "draw_pixel(img, (0, 0), 5)",  # overpainted below
        "draw_rectangle(img, (0, 0), (1, 1), 2)",
        "x = 3",  # no effect
        "draw_pixel(img, (9, 9), 4)",  # outside both grids
        "img[3, 1] = img[3, 1]",  # no-op
    )
    assert simplify(program, INPUTS, pool) == body("draw_rectangle(img, (0, 0), (1, 1), 2)")


def test_loops_and_nested_blocks(pool):
    program = (
        "def task(img):\n"
        "    for i in range(3):\n"
        "        draw_pixel(img, (i, i), 4)\n"
        "        draw_pixel(img, (3, 0), 0)\n"  # no effect on input 1, but input 2 is all 3s: kept
        "        y = i * 2\n"
        "    for j in range(2):\n"  # a whole useless loop
        "        z = j\n"
        "    while False:\n"
        "        draw_pixel(img, (0, 0), 9)\n"
        "    if img[0, 0] == 4:\n"
        "        w = 1\n"
        "    return img"
    )
    expected = (
        "def task(img):\n"
        "    for i in range(3):\n"
        "        draw_pixel(img, (i, i), 4)\n"
        "        draw_pixel(img, (3, 0), 0)\n"
        "    return img"
    )
    assert simplify(program, INPUTS, pool) == expected


def test_empty_body_gets_pass(pool):
    program = (
        "def task(img):\n"
        "    if img[0, 0] == 0:\n"
        "        x = 1\n"
        "    else:\n"
        "        draw_pixel(img, (0, 0), 6)\n"
        "    return img"
    )
    simplified = simplify(program, INPUTS, pool)
    assert "pass" in simplified and "x = 1" not in simplified
    assert len(simplified) < len(canonicalize(program))
    assert all(
        np.array_equal(a, b)
        for a, b in zip(outputs_of(pool, simplified), outputs_of(pool, program), strict=True)
    )


def test_helpers_imports_and_docstrings(pool):
    program = (
        "import math\n"
        "def unused(a):\n"
        "    return a\n"
        "def paint(img):\n"
        "    draw_pixel(img, (2, 2), 8)\n"
        "def task(img):\n"
        "    '''Paint.'''\n"
        "    paint(img)\n"
        "    return img"
    )
    assert simplify(program, INPUTS, pool) == (
        "def paint(img):\n    draw_pixel(img, (2, 2), 8)\n\ndef task(img):\n    paint(img)\n    return img"
    )


def test_failing_program_comes_back_canonical(pool):
    program = "def task(img):\n    x = 1\n    return 1/0"
    assert simplify(program, INPUTS, pool) == canonicalize(program)
    assert simplify("def task(img:\n", INPUTS, pool) == "def task(img:\n"


def test_simplify_many_batches_rounds(pool):
    counter = CountingExecutor(pool)
    rng = np.random.default_rng(0)
    programs = []
    for _ in range(30):
        lines = [
            f"draw_pixel(img, ({rng.integers(5)}, {rng.integers(5)}), {rng.integers(10)})" for _ in range(6)
        ]
        programs.append(body(*lines))
    out = simplify_many(programs, INPUTS, counter)
    # one call for the originals, <= 6 candidates per pass and 2 passes, one final check
    assert counter.calls <= 1 + 6 * 2 + 1
    for original, simplified in zip(programs, out, strict=True):
        assert len(simplified) <= len(canonicalize(original))
        assert all(
            np.array_equal(a, b)
            for a, b in zip(outputs_of(pool, simplified), outputs_of(pool, original), strict=True)
        )


def test_outputs_argument_saves_the_first_run(pool):
    program = body("x = 1", "draw_pixel(img, (0, 0), 1)")
    with_outputs, without = CountingExecutor(pool), CountingExecutor(pool)
    target = outputs_of(pool, program)
    assert simplify(program, INPUTS, with_outputs, outputs=target) == body("draw_pixel(img, (0, 0), 1)")
    assert simplify(program, INPUTS, without) == body("draw_pixel(img, (0, 0), 1)")
    # pass 1: `x = 1` (removed), the draw (kept); pass 2: the draw again; the final check
    assert with_outputs.calls == 4 and without.calls == 5


class LyingExecutor:
    """Claims every candidate reproduces the outputs; only the final check is real."""

    def __init__(self, inner, target, honest_after):
        self.inner, self.target, self.calls, self.honest_after = inner, target, 0, honest_after

    def execute(self, programs, inputs, **kw):
        self.calls += 1
        if self.calls <= self.honest_after:
            return [ExecutionResult("ok", [g.copy() for g in self.target]) for _ in programs]
        return self.inner.execute(programs, inputs, **kw)


def test_final_check_falls_back_to_the_original(pool):
    program = body("draw_pixel(img, (0, 0), 1)", "draw_pixel(img, (1, 1), 2)")
    target = outputs_of(pool, program)
    liar = LyingExecutor(pool, target, honest_after=10**6)
    assert simplify(program, INPUTS, liar, outputs=target) == body()  # everything "removable"
    liar = LyingExecutor(pool, target, honest_after=2)  # rounds lie, the final check is real
    assert simplify(program, INPUTS, liar, outputs=target) == canonicalize(program)


# --- hypothesis: simplify reproduces outputs and is never longer -------------------------------------

COORD = st.integers(-1, 6)
COLOR = st.integers(0, 9)


@st.composite
def simple_statement(draw, loop_var=None):
    r, c = draw(COORD), draw(COORD)
    if loop_var is not None and draw(st.booleans()):
        r = loop_var
    kind = draw(st.integers(0, 7))
    color = draw(COLOR)
    if kind == 0:
        return f"draw_pixel(img, ({r}, {c}), {color})"
    if kind == 1:
        return f"draw_line(img, ({r}, {c}), ({draw(COORD)}, {draw(COORD)}), {color})"
    if kind == 2:
        return f"draw_rectangle(img, ({r}, {c}), ({draw(COORD)}, {draw(COORD)}), {color})"
    if kind == 3:
        return f"draw_horizontal_line(img, {r}, {color})"
    if kind == 4:
        return f"draw_vertical_line(img, {c}, {color})"
    if kind == 5:
        return f"x = {color}"
    if kind == 6:  # reads the grid: order and dependencies matter
        return (
            f"img[{draw(st.integers(0, 3))}, {draw(st.integers(0, 3))}] = img[{draw(st.integers(0, 3))}, 0]"
        )
    return "pass"


@st.composite
def statement(draw, depth=0):
    kind = draw(st.integers(0, 5)) if depth < 2 else 0
    if kind <= 2:
        return [draw(simple_statement())]
    if kind == 3:
        var = f"i{depth}"
        inner = draw(st.lists(simple_statement(loop_var=var), min_size=1, max_size=3))
        nested = draw(st.lists(statement(depth + 1), max_size=1))
        lines = inner + [line for block in nested for line in block]
        return [f"for {var} in range({draw(st.integers(0, 3))}):"] + ["    " + line for line in lines]
    then = [line for block in draw(st.lists(statement(depth + 1), min_size=1, max_size=2)) for line in block]
    out = [f"if img[{draw(st.integers(0, 3))}, 0] == {draw(COLOR)}:"] + ["    " + line for line in then]
    if kind == 5:
        other = [
            line for block in draw(st.lists(statement(depth + 1), min_size=1, max_size=2)) for line in block
        ]
        out += ["else:"] + ["    " + line for line in other]
    return out


@st.composite
def program(draw):
    blocks = draw(st.lists(statement(), min_size=1, max_size=6))
    if draw(st.booleans()):  # a duplicated block: the case the reference got wrong
        blocks.append(blocks[draw(st.integers(0, len(blocks) - 1))])
    return body(*[line for block in blocks for line in block])


def _assert_simplified(pool, original, simplified):
    assert len(simplified) <= len(canonicalize(original))
    before, after = pool.execute([original, simplified], INPUTS)
    if before.ok:
        assert after.ok, (simplified, after)
        assert all(np.array_equal(a, b) for a, b in zip(before.outputs, after.outputs, strict=True))
    else:
        assert simplified == canonicalize(original)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)
@given(program())
def test_property_simplify_reproduces_outputs_and_is_never_longer(pool, text):
    _assert_simplified(pool, text, simplify(text, INPUTS, pool))


@settings(
    max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)
@given(st.lists(program(), min_size=2, max_size=8))
def test_property_simplify_many(pool, texts):
    for original, simplified in zip(texts, simplify_many(texts, INPUTS, pool), strict=True):
        _assert_simplified(pool, original, simplified)


# --- dedup / determinism ------------------------------------------------------------------------------


def test_output_fingerprint():
    a = [np.zeros((2, 3), np.int8)]
    assert output_fingerprint(a) == output_fingerprint([np.zeros((2, 3), np.int64)])
    assert output_fingerprint(a) != output_fingerprint([np.zeros((3, 2), np.int8)])
    assert output_fingerprint(a) != output_fingerprint(a + a)


def test_deduplicate_keeps_shortest_per_output(pool):
    programs = [
        body("draw_pixel(img, (0, 0), 1)", "x = 12345"),
        body("draw_pixel(img, (0, 0), 1)"),  # same output, shorter
        body("draw_pixel(img, (0, 0), 2)"),
        "def task(img):\n    # a long comment does not count: canonical text does\n"
        "    draw_pixel(img, (0, 0), 2)\n    return img",
        body("1 / 0"),  # not ok: dropped
        body("draw_pixel(img, (0, 0), 1)"),  # exact duplicate of 1: the earlier one wins
    ]
    results = pool.execute(programs, INPUTS)
    assert deduplicate(programs, results) == [1, 2]
    with pytest.raises(ValueError):
        deduplicate(programs, results[:-1])


class FlakyExecutor:
    def __init__(self, inner):
        self.inner, self.calls = inner, 0

    def execute(self, programs, inputs, **kw):
        self.calls += 1
        results = self.inner.execute(programs, inputs, **kw)
        if self.calls == 2:  # the second run: the program named "flaky" draws something else
            results = [
                ExecutionResult("ok", [np.full_like(g, 9) for g in r.outputs]) if "flaky" in p else r
                for p, r in zip(programs, results, strict=True)
            ]
        return results


def test_nondeterministic(pool):
    programs = [
        body("draw_pixel(img, (0, 0), 1)"),
        body("s = sorted({'b', 'a'})", "draw_pixel(img, (0, 0), len(list({'x', 'y', 'z'})))"),
        body("flaky = 1", "draw_pixel(img, (1, 1), 1)"),
        body("1 / 0"),
    ]
    assert nondeterministic(programs, INPUTS, pool) == [False, False, False, False]
    assert nondeterministic(programs, INPUTS, FlakyExecutor(pool)) == [False, False, True, False]


def test_while_loop_candidates_that_loop_forever_are_cheap(pool):
    program = (
        "def task(img):\n"
        "    i = 0\n"
        "    while True:\n"
        "        draw_pixel(img, (i, 0), 1)\n"
        "        i += 1\n"
        "        if i > 2:\n"
        "            break\n"
        "    x = 5\n"
        "    return img"
    )
    start = time.monotonic()
    simplified = simplify(program, INPUTS, pool)
    assert "x = 5" not in simplified and "break" in simplified
    assert time.monotonic() - start < 10  # a few candidates time out, at 0.25 s each
