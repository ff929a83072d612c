"""Erase every cell that has no same-coloured neighbour (diagonals included)."""


def task(img):
    out = copy(img)
    for o in find_objects(img, diagonal=True):
        if o.size == 1:
            out = paint_cells(out, o, 0)
    return out
