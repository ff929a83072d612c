"""Recolour the lower half (rounded down) of every red (2) bar azure (8)."""


def task(img):
    out = copy(img)
    for o in find_objects(img, bg=0):
        out[o.bottom - o.height // 2 + 1:o.bottom + 1, o.left] = 8
    return out
