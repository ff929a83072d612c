"""In each three-row bar, punch holes into every other cell of the middle row (starting from the second cell)."""


def task(img):
    out = copy(img)
    for o in find_objects(img):
        out[o.top + 1, o.left + 1:o.right + 1:2] = 0
    return out
