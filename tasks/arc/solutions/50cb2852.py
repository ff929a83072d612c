"""Fill the inside of every solid rectangle with azure (8), keeping a one-cell frame."""


def task(img):
    out = copy(img)
    for o in find_objects(img):
        out[o.top + 1:o.bottom, o.left + 1:o.right] = 8
    return out
