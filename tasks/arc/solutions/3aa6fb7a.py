"""Complete each three-cell corner to its 2x2 square by painting the missing cell blue (1)."""


def task(img):
    out = copy(img)
    for o in find_objects(img):
        box = out[o.top:o.bottom + 1, o.left:o.right + 1]
        box[box == 0] = 1
    return out
