"""The grid-reading DSL (dsl.grids, dsl.objects, dsl.fills): exact results on small hand-made grids,
purity (no primitive but the old draw_* modifies its arguments), and short programs in the real sandbox."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

import dsl
from dsl import (
    DRAW_PRIMITIVES,
    PRIMITIVES,
    Obj,
    background,
    bbox,
    blit,
    cells_of_color,
    colors,
    copy,
    count_color,
    crop,
    crop_to_content,
    dilate,
    downscale,
    fill_enclosed,
    find_objects,
    flip_lr,
    flip_ud,
    flood_fill,
    gravity,
    halo,
    hconcat,
    is_symmetric,
    neighbors,
    outline,
    paint_cells,
    paint_object,
    ray,
    recolor,
    replace,
    rotate,
    separators,
    slide,
    split_grid,
    symmetrize,
    tile,
    touches_border,
    transpose,
    upscale,
    vconcat,
)


def grid(*rows: str) -> np.ndarray:
    return np.array([[int(c) for c in row] for row in rows], dtype=np.int8)


def text(img) -> list[str]:
    return ["".join(str(int(v)) for v in row) for row in np.asarray(img)]


def mtext(mask) -> list[str]:
    return ["".join("#" if v else "." for v in row) for row in mask]


G = grid(
    "0100",
    "0003",
    "2203",
    "0000",
)

# --- registry ---------------------------------------------------------------------------------------


def test_registry_counts_and_draw_primitives_unchanged():
    assert DRAW_PRIMITIVES == (
        "draw_pixel",
        "draw_line",
        "draw_rectangle",
        "draw_horizontal_line",
        "draw_vertical_line",
    )
    assert set(DRAW_PRIMITIVES) == {n for n in PRIMITIVES if n.startswith("draw_")}
    assert 35 <= len(PRIMITIVES) <= 45
    for name, fn in PRIMITIVES.items():
        assert getattr(dsl, name) is fn
        assert fn.__doc__ and len(fn.__doc__.strip().splitlines()) <= 4, name
        assert name == name.lower() and not name.startswith("_")
        assert name in dsl.__doc__, name


# --- reading ----------------------------------------------------------------------------------------


def test_copy_is_a_new_int8_grid():
    src = np.array([[1, 2], [3, 4]], dtype=np.int64)
    out = copy(src)
    assert out.dtype == np.int8 and text(out) == ["12", "34"]
    out[0, 0] = 9
    assert src[0, 0] == 1
    assert text(copy([[5, 6]])) == ["56"]


def test_background_and_ties():
    assert background(G) == 0
    assert background(grid("12", "21")) == 1
    assert background(grid("3")) == 3


def test_colors_order():
    assert colors(G) == [0, 2, 3, 1]
    assert colors(grid("5511", "2222")) == [2, 1, 5]


def test_count_color_and_cells_of_color():
    assert count_color(G, 3) == 2
    assert count_color(G, 9) == 0
    assert cells_of_color(G, 3) == [(1, 3), (2, 3)]
    assert cells_of_color(G, 2) == [(2, 0), (2, 1)]
    assert cells_of_color(G, 7) == []


def test_neighbors():
    assert neighbors(G, (0, 0)) == [(0, 1), (1, 0)]
    assert neighbors(G, (1, 1)) == [(0, 1), (1, 0), (1, 2), (2, 1)]
    assert neighbors(G, (0, 0), diagonal=True) == [(0, 1), (1, 0), (1, 1)]
    assert len(neighbors(G, (1, 1), diagonal=True)) == 8
    assert neighbors(G, (-1, 0)) == [(0, 0)]


def test_bbox_and_crop_to_content():
    assert bbox(G) == (0, 0, 2, 3)
    assert bbox(grid("000", "010", "000")) == (1, 1, 1, 1)
    assert bbox(grid("00", "00")) is None
    assert bbox(grid("11", "10"), bg=1) == (1, 1, 1, 1)
    assert text(crop_to_content(grid("0000", "0120", "0030"))) == ["12", "03"]
    assert text(crop_to_content(grid("00", "00"))) == ["00", "00"]


# --- colours ----------------------------------------------------------------------------------------


def test_recolor_swaps_and_replace():
    assert text(recolor(G, {2: 3, 3: 2})) == ["0100", "0002", "3302", "0000"]
    assert text(replace(G, 0, 5)) == ["5155", "5553", "2253", "5555"]
    with pytest.raises(ValueError):
        recolor(G, {1: 10})
    with pytest.raises(TypeError):
        recolor(G, [(1, 2)])


# --- transforms -------------------------------------------------------------------------------------


def test_crop_inclusive_clipped():
    assert text(crop(G, (1, 2), (2, 3))) == ["03", "03"]
    assert text(crop(G, (2, 3), (1, 2))) == ["03", "03"]
    assert text(crop(G, (-5, -5), (0, 1))) == ["01"]
    with pytest.raises(ValueError):
        crop(G, (10, 10), (12, 12))


def test_flips_rotate_transpose():
    g = grid("12", "34", "56")
    assert text(flip_lr(g)) == ["21", "43", "65"]
    assert text(flip_ud(g)) == ["56", "34", "12"]
    assert text(rotate(g)) == ["246", "135"]  # counter-clockwise
    assert text(rotate(g, -1)) == ["531", "642"]
    assert text(rotate(g, 2)) == ["65", "43", "21"]
    assert text(rotate(g, 4)) == text(g)
    assert text(transpose(g)) == ["135", "246"]


def test_tile_upscale_downscale():
    g = grid("12")
    assert text(tile(g, 2, 2)) == ["1212", "1212"]
    assert text(upscale(grid("12", "30"), 2)) == ["1122", "1122", "3300", "3300"]
    assert text(upscale(g, (1, 3))) == ["111222"]
    assert text(downscale(grid("1122", "1122", "3300", "3300"), 2)) == ["12", "30"]
    assert text(downscale(grid("1120", "1100"), 2)) == ["10"]  # majority; ties lowest
    with pytest.raises(ValueError):
        downscale(grid("123"), 2)
    with pytest.raises(ValueError):
        tile(g, 1, 16)
    with pytest.raises(ValueError):
        upscale(g, 0)


# --- composition ------------------------------------------------------------------------------------


def test_concat():
    assert text(hconcat(grid("1", "2"), grid("34", "56"))) == ["134", "256"]
    assert text(vconcat(grid("12"), grid("34"))) == ["12", "34"]
    with pytest.raises(ValueError):
        hconcat(grid("1"), grid("1", "2"))
    with pytest.raises(ValueError):
        vconcat(grid("1"), grid("12"))


S = grid(
    "10502",
    "00500",
    "55555",
    "03500",
    "00504",
)


def test_separators_and_split_grid():
    assert separators(S) == ([2], [2])
    parts = split_grid(S)
    assert [text(p) for p in parts] == [["10", "00"], ["02", "00"], ["03", "00"], ["00", "04"]]
    # background full lines count only when no other colour has one; explicit colour works
    assert separators(grid("1001", "1001"), color=1) == ([], [0, 3])
    assert separators(grid("1221", "0000", "1001")) == ([1], [])  # no full line of 1 or 2: the background's
    assert separators(grid("22", "22")) == ([], [])
    assert separators(grid("1001", "0000", "1001"), color=0) == ([1], [1, 2])
    assert [text(p) for p in split_grid(grid("105", "205", "305"))] == [["10", "20", "30"]]
    assert [text(p) for p in split_grid(grid("10", "55", "20", "55", "30"))] == [["10"], ["20"], ["30"]]
    assert [text(p) for p in split_grid(grid("12", "34"))] == [["12", "34"]]


def test_blit():
    base = grid("000", "000", "000")
    assert text(blit(base, grid("12", "34"), (1, 1))) == ["000", "012", "034"]
    assert text(blit(base, grid("12", "34"), (2, 2))) == ["000", "000", "001"]
    assert text(blit(base, grid("12", "34"), (-1, -1))) == ["400", "000", "000"]
    assert text(blit(grid("555", "555"), grid("10", "01"), (0, 0), transparent=0)) == ["155", "515"]
    assert text(blit(base, grid("1"), (5, 5))) == ["000"] * 3


# --- symmetry ---------------------------------------------------------------------------------------


def test_is_symmetric():
    assert is_symmetric(grid("121", "343"), "lr")
    assert not is_symmetric(grid("121", "343"), "ud")
    assert is_symmetric(grid("12", "21"), "diag")
    assert not is_symmetric(grid("12", "21", "00"), "diag")
    assert is_symmetric(grid("12", "21"), ["diag", "rot180"])
    assert is_symmetric(grid("123", "000", "321"), "rot180")
    with pytest.raises(ValueError):
        is_symmetric(G, "sideways")


def test_symmetrize():
    assert text(symmetrize(grid("1230", "5678"), "lr", hole=0)) == ["1231", "5678"]
    assert text(symmetrize(grid("120", "300", "000"), ["lr", "ud"], hole=0)) == ["121", "303", "121"]
    assert text(symmetrize(grid("9999", "9112", "9999"), "lr")) == ["9999", "2112", "9999"]
    with pytest.raises(ValueError):
        symmetrize(grid("12"), "diag")


# --- objects ----------------------------------------------------------------------------------------

OBJS = grid(
    "1100",
    "1002",
    "0022",
    "3000",
)


def test_find_objects_fields():
    objs = find_objects(OBJS)
    assert [(o.color, o.size, o.top, o.left) for o in objs] == [(1, 3, 0, 0), (2, 3, 1, 2), (3, 1, 3, 0)]
    one = objs[0]
    assert one.cells == ((0, 0), (0, 1), (1, 0))
    assert (one.bottom, one.right, one.height, one.width) == (1, 1, 2, 2)
    assert text(one.sprite) == ["11", "10"]
    assert mtext(one.mask) == ["##", "#."]
    assert one.colors == (1,) and one.bg == 0
    assert text(objs[1].sprite) == ["02", "22"]


def test_find_objects_options():
    g = grid("1002", "0100", "0000", "0045")
    assert [o.size for o in find_objects(g)] == [1, 1, 1, 1, 1]
    assert [o.size for o in find_objects(g, diagonal=True)] == [2, 1, 1, 1]
    multi = find_objects(g, multicolor=True)
    assert [o.size for o in multi] == [1, 1, 1, 2]
    assert multi[3].colors == (4, 5) and multi[3].color == 4
    assert text(multi[3].sprite) == ["45"]
    # explicit bg: the 0 cells become an object
    assert [o.color for o in find_objects(grid("11", "10"), bg=1)] == [0]
    assert find_objects(grid("00", "00")) == []


def test_obj_is_immutable_and_hashable():
    obj = find_objects(OBJS)[0]
    with pytest.raises(dataclasses.FrozenInstanceError):
        obj.color = 5
    obj.sprite[0, 0] = 7  # a fresh copy each time
    assert obj.sprite[0, 0] == 1
    assert obj == find_objects(OBJS)[0] and len({obj, find_objects(OBJS)[0]}) == 1
    assert isinstance(obj, Obj)


def test_touches_border():
    objs = find_objects(grid("1000", "0020", "0000"))
    assert touches_border(grid("1000", "0020", "0000"), objs[0])
    assert not touches_border(grid("1000", "0020", "0000"), objs[1])
    assert touches_border(objs[0], grid("1000", "0020", "0000"))  # either order
    assert touches_border(G, [(3, 3)]) and not touches_border(G, [(1, 1)])


def test_paint_object_and_paint_cells():
    objs = find_objects(OBJS)
    blank = np.zeros((4, 4), np.int8)
    assert text(paint_object(blank, objs[0])) == ["1100", "1000", "0000", "0000"]
    assert text(paint_object(blank, objs[0], 7, offset=(3, 3))) == ["0000", "0000", "0000", "0007"]
    assert text(paint_object(OBJS, objs[2], 0)) == ["1100", "1002", "0022", "0000"]
    assert text(paint_cells(blank, [(0, 0), (3, 3), (9, 9)], 4)) == ["4000", "0000", "0000", "0004"]
    assert text(paint_cells(blank, OBJS == 2, 5)) == ["0000", "0005", "0055", "0000"]
    assert text(paint_cells(blank, objs[2], 6)) == ["0000", "0000", "0000", "6000"]
    with pytest.raises(TypeError):
        paint_object(blank, [(0, 0)])
    with pytest.raises(ValueError):
        paint_cells(blank, np.zeros((2, 2), bool), 1)


def test_slide():
    g = grid(
        "0110",
        "0000",
        "0000",
        "0030",
    )
    obj = find_objects(g)[0]
    assert text(slide(g, obj, (1, 0))) == ["0000", "0000", "0110", "0030"]
    assert text(slide(g, obj, (0, -1))) == ["1100", "0000", "0000", "0030"]
    assert text(slide(g, obj, (-1, 0))) == text(g)
    assert text(slide(g, find_objects(g)[1], (-1, 0))) == ["0110", "0030", "0000", "0000"]
    assert text(slide(g, obj, (1, 1))) == ["0000", "0011", "0000", "0030"]
    with pytest.raises(ValueError):
        slide(g, obj, (2, 0))


def test_dilate_halo_outline():
    g = grid("00000", "00000", "00100", "00000", "00000")
    assert mtext(dilate(g, g == 1)) == [".....", "..#..", ".###.", "..#..", "....."]
    assert mtext(halo(g, g == 1, diagonal=True)) == [".....", ".###.", ".#.#.", ".###.", "....."]
    square = np.zeros((5, 5), bool)
    square[1:4, 1:4] = True
    assert mtext(outline(g, square)) == [".....", ".###.", ".#.#.", ".###.", "....."]
    assert mtext(outline(grid("111", "111"), np.ones((2, 3), bool))) == ["###", "###"]
    # concave corner: the cell (1, 1) is an 8-outline cell but not a 4-outline cell
    ell = np.array([[1, 1, 1], [1, 1, 1], [1, 1, 0]], bool)
    big = np.zeros((5, 5), bool)
    big[1:4, 1:4] = ell
    assert not outline(np.zeros((5, 5), np.int8), big)[2, 2]
    assert outline(np.zeros((5, 5), np.int8), big, diagonal=True)[2, 2]
    assert mtext(dilate(g, [(0, 0)])) == ["##...", "#....", ".....", ".....", "....."]


# --- fills and rays ---------------------------------------------------------------------------------


def test_flood_fill():
    g = grid("0010", "0010", "1110", "0000")
    assert text(flood_fill(g, (0, 0), 5)) == ["5510", "5510", "1110", "0000"]
    assert text(flood_fill(g, (0, 2), 4)) == ["0040", "0040", "4440", "0000"]
    assert text(flood_fill(grid("10", "01"), (0, 0), 3, diagonal=True)) == ["30", "03"]
    assert text(flood_fill(g, (9, 9), 5)) == text(g)


def test_fill_enclosed():
    g = grid(
        "11100",
        "10100",
        "11100",
        "00000",
    )
    assert text(fill_enclosed(g, 4)) == ["11100", "14100", "11100", "00000"]
    leaky = grid("0110", "1001", "1001", "0110")  # closed through diagonal corners
    assert text(fill_enclosed(leaky, 2, bg=0)) == ["0110", "1221", "1221", "0110"]
    open_ = grid("1111", "1001", "1000")
    assert text(fill_enclosed(open_, 2)) == text(open_)
    assert text(fill_enclosed(grid("010", "101", "010"), 2, diagonal=True)) == ["010", "101", "010"]


def test_ray():
    g = grid("00000", "00000", "00003")
    assert text(ray(g, (0, 0), (1, 1), 7)) == ["00000", "07000", "00703"]
    assert text(ray(g, (2, 0), (0, 1), 7)) == ["00000", "00000", "07777"]
    assert text(ray(g, (2, 0), (0, 1), 7, stop_at_nonbg=True)) == ["00000", "00000", "07773"]
    assert text(ray(g, (1, 4), (0, -1), 2)) == ["00000", "22220", "00003"]
    assert text(ray(g, (-1, 2), (1, 0), 5)) == ["00500", "00500", "00503"]  # start outside the grid
    assert text(ray(g, (10**9, 2), (-1, 0), 5)) == ["00500", "00500", "00503"]
    assert text(ray(g, (0, 9), (1, 0), 5)) == text(g)
    with pytest.raises(ValueError):
        ray(g, (0, 0), (0, 0), 1)


def test_gravity():
    g = grid("120", "000", "301")
    assert text(gravity(g)) == ["000", "100", "321"]
    assert text(gravity(g, (-1, 0))) == ["121", "300", "000"]
    assert text(gravity(g, (0, 1))) == ["012", "000", "031"]
    assert text(gravity(g, (0, -1))) == ["120", "000", "310"]
    assert text(gravity(grid("11", "21"), (1, 0), bg=1)) == ["11", "21"]
    with pytest.raises(ValueError):
        gravity(g, (1, 1))


# --- argument checks --------------------------------------------------------------------------------


def test_bad_arguments_raise_clear_errors():
    with pytest.raises(TypeError, match="colour"):
        count_color(G, "red")
    with pytest.raises(ValueError, match="0-9"):
        replace(G, 0, 12)
    with pytest.raises(TypeError, match="2-D"):
        background(np.zeros(3, np.int8))
    with pytest.raises(TypeError, match="integers"):
        copy(np.zeros((2, 2)))
    with pytest.raises(TypeError, match="grid"):
        flip_lr("not a grid")
    with pytest.raises(TypeError, match="point"):
        flood_fill(G, 3, 1)
    with pytest.raises(TypeError, match="diagonal"):
        find_objects(G, diagonal="yes")


# --- purity ------------------------------------------------------------------------------------------

OBJ0 = find_objects(OBJS)[0]
PURE_CALLS = {
    "copy": lambda g: copy(g),
    "background": lambda g: background(g),
    "colors": lambda g: colors(g),
    "count_color": lambda g: count_color(g, 1),
    "cells_of_color": lambda g: cells_of_color(g, 1),
    "neighbors": lambda g: neighbors(g, (1, 1), True),
    "bbox": lambda g: bbox(g),
    "recolor": lambda g: recolor(g, {1: 2}),
    "replace": lambda g: replace(g, 1, 2),
    "crop": lambda g: crop(g, (0, 0), (1, 1)),
    "crop_to_content": lambda g: crop_to_content(g),
    "flip_lr": lambda g: flip_lr(g),
    "flip_ud": lambda g: flip_ud(g),
    "rotate": lambda g: rotate(g),
    "transpose": lambda g: transpose(g),
    "tile": lambda g: tile(g, 2, 2),
    "upscale": lambda g: upscale(g, 2),
    "downscale": lambda g: downscale(g, 2),
    "hconcat": lambda g: hconcat(g, g),
    "vconcat": lambda g: vconcat(g, g),
    "separators": lambda g: separators(g),
    "split_grid": lambda g: split_grid(g),
    "blit": lambda g: blit(g, g, (1, 1), transparent=0),
    "is_symmetric": lambda g: is_symmetric(g, ["lr", "diag"]),
    "symmetrize": lambda g: symmetrize(g, ["lr", "ud"]),
    "find_objects": lambda g: find_objects(g, True, True),
    "touches_border": lambda g: touches_border(g, OBJ0),
    "paint_object": lambda g: paint_object(g, OBJ0, 5, (1, 1)),
    "paint_cells": lambda g: paint_cells(g, g == 1, 5),
    "slide": lambda g: slide(g, OBJ0, (1, 0)),
    "dilate": lambda g: dilate(g, g == 1),
    "halo": lambda g: halo(g, OBJ0),
    "outline": lambda g: outline(g, g == 2),
    "flood_fill": lambda g: flood_fill(g, (0, 0), 5),
    "fill_enclosed": lambda g: fill_enclosed(g, 5),
    "ray": lambda g: ray(g, (0, 0), (1, 1), 5, True),
    "gravity": lambda g: gravity(g, (0, 1)),
}


def test_every_new_primitive_is_covered_by_the_purity_test():
    old = {"create_img", *DRAW_PRIMITIVES}
    assert set(PURE_CALLS) == set(PRIMITIVES) - old


@pytest.mark.parametrize("name", sorted(PURE_CALLS))
def test_no_new_primitive_mutates_its_arguments(name):
    g = OBJS.copy()
    before_obj = (OBJ0.sprite.copy(), OBJ0.mask.copy(), OBJ0.cells)
    result = PURE_CALLS[name](g)
    assert np.array_equal(g, OBJS)
    assert np.array_equal(before_obj[0], OBJ0.sprite) and np.array_equal(before_obj[1], OBJ0.mask)
    assert before_obj[2] == OBJ0.cells
    grids = result if isinstance(result, list) else [result]
    for out in grids:
        if isinstance(out, np.ndarray) and out.ndim == 2 and out.dtype != bool:
            assert out.dtype == np.int8
            assert not np.shares_memory(out, g)
            out[...] = 9  # writing to a result never reaches the input
    assert np.array_equal(g, OBJS)


def test_mapping_argument_not_mutated():
    mapping = {1: 2}
    recolor(OBJS, mapping)
    assert mapping == {1: 2}


# --- programs in the real sandbox ---------------------------------------------------------------------

PROGRAMS = {
    "recolour singletons": (
        "def task(img):\n"
        "    out = copy(img)\n"
        "    for obj in find_objects(img):\n"
        "        if obj.size == 1:\n"
        "            out = paint_object(out, obj, 2)\n"
        "    return out\n",
        grid("1001", "0001", "1000"),
        grid("2001", "0001", "2000"),
    ),
    "crop the largest object": (
        "def task(img):\n"
        "    big = max(find_objects(img, diagonal=True), key=lambda o: o.size)\n"
        "    return big.sprite\n",
        grid("3000", "0044", "0040", "0400"),
        grid("044", "040", "400"),
    ),
    "fill enclosed areas": (
        "def task(img):\n    return fill_enclosed(img, 4, bg=0)\n",
        grid("2220", "2020", "2220"),  # 2 is the most common colour here: bg=0 is needed
        grid("2220", "2420", "2220"),
    ),
    "imports, rays and halos": (
        "from dsl import *\n"
        "import numpy as np\n"
        "def task(img):\n"
        "    out = img\n"
        "    for r, c in cells_of_color(img, 5):\n"
        "        out = ray(out, (r, c), (0, 1), 5, stop_at_nonbg=True)\n"
        "    ring = halo(out, out == 3, diagonal=True)\n"
        "    out = paint_cells(out, ring & (out == 0), 1)\n"
        "    return np.array(out)\n",
        grid("5000", "0000", "0003"),
        grid("5555", "0011", "0013"),
    ),
    "split and overlay": (
        "def task(img):\n    a, b = split_grid(img)\n    return np.where((a != 0) & (b != 0), 2, 0)\n",
        grid("10501", "11510", "01501"),
        grid("00", "20", "02"),
    ),
}


def test_programs_run_in_the_sandbox():
    from her_arc.sandbox import ExecutorPool

    with ExecutorPool(1, timeout_s=2.0) as pool:
        for name, (program, inp, expected) in PROGRAMS.items():
            (result,) = pool.execute([program], [inp])
            assert result.status == "ok", (name, result)
            assert text(result.outputs[0]) == text(expected), name


def test_a_program_cannot_mutate_an_obj_in_the_sandbox():
    from her_arc.sandbox import execute

    program = "def task(img):\n    o = find_objects(img)[0]\n    o.color = 3\n    return img\n"
    assert execute([program], [grid("10")], timeout_s=2.0)[0].status == "rejected"
    program = "def task(img):\n    o = find_objects(img)[0]\n    return o._sprite\n"
    assert execute([program], [grid("10")], timeout_s=2.0)[0].status == "rejected"
