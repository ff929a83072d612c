"""Recolour every green (3) object of two or more cells to azure (8)."""


def task(img):
    out = copy(img)
    for o in find_objects(img, bg=0):
        if o.color == 3 and o.size >= 2:
            out = paint_object(out, o, 8)
    return out
