"""Along each diagonal line, every second cell (from its top) becomes yellow (4)."""


def task(img):
    out = copy(img)
    for o in find_objects(img, diagonal=True):
        for r, c in sorted(o.cells)[1::2]:
            out[r, c] = 4
    return out
