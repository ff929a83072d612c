"""Recolour grey objects of exactly six cells red (2) and all other grey objects blue (1)."""


def task(img):
    out = copy(img)
    for o in find_objects(img, bg=0):
        out = paint_cells(out, o, 2 if o.size == 6 else 1)
    return out
