"""Of the three shapes, the two identical ones become blue (1) and the odd one out red (2)."""


def task(img):
    objs = find_objects(img, diagonal=True)
    keys = [o.mask.tobytes() + bytes(o.mask.shape) for o in objs]
    out = copy(img)
    for o, k in zip(objs, keys):
        out = paint_object(out, o, 1 if keys.count(k) > 1 else 2)
    return out
