"""Recolour azure (8) every blue shape that encloses a hole."""


def task(img):
    out = copy(img)
    for o in find_objects(img):
        alone = paint_object(create_img(img.shape), o)
        if (fill_enclosed(alone, 5, bg=0) == 5).any():
            out = paint_object(out, o, 8)
    return out
