"""Outline every pair of adjacent red (2) cells with a green (3) ring; single red cells stay as they are."""


def task(img):
    out = copy(img)
    for o in find_objects(img):
        if o.size == 2:
            out = paint_cells(out, halo(img, o, diagonal=True), 3)
    return out
