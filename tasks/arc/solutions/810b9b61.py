"""Recolour to green (3) every blue shape that closes around a hole."""


def task(img):
    out = copy(img)
    for o in find_objects(img):
        if o.color == 1 and count_color(fill_enclosed(o.mask.astype(int), 2, bg=0), 2):
            out = paint_object(out, o, 3)
    return out
