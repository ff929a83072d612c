"""Colour the grey lines by length: longest blue (1), middle yellow (4), shortest red (2)."""


def task(img):
    objs = sorted(find_objects(img), key=lambda o: -o.size)
    out = copy(img)
    for obj, color in zip(objs, [1, 4, 2]):
        out = paint_object(out, obj, color)
    return out
