"""Recolour every isolated single red cell blue (1)."""


def task(img):
    out = copy(img)
    for o in find_objects(img, bg=0):
        if o.size == 1:
            out = paint_object(out, o, 1)
    return out
