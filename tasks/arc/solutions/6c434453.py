"""Replace every blue 3x3 ring with a red (2) plus sign of the same size."""


def task(img):
    out = copy(img)
    for o in find_objects(img):
        if o.color == 1 and o.height == 3 and o.width == 3 and o.size == 8 and not o.mask[1, 1]:
            out = paint_cells(out, o, 0)
            draw_line(out, (o.top, o.left + 1), (o.bottom, o.left + 1), 2)
            draw_line(out, (o.top + 1, o.left), (o.top + 1, o.right), 2)
    return out
