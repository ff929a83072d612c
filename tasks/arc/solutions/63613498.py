"""Recolour to grey (5) the object elsewhere that has the same shape as the object in the top-left grey corner box."""


def task(img):
    objs = [o for o in find_objects(img) if o.color != 5]
    key = [o for o in objs if o.bottom < 3 and o.right < 3][0]
    out = copy(img)
    for o in objs:
        if o is not key and o.mask.shape == key.mask.shape and np.array_equal(o.mask, key.mask):
            out = paint_object(out, o, 5)
    return out
