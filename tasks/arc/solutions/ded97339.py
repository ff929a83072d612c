"""Join every two azure (8) cells that share a row or a column with an azure line."""


import itertools


def task(img):
    out = copy(img)
    pts = cells_of_color(img, 8)
    for a, b in itertools.combinations(pts, 2):
        if a[0] == b[0] or a[1] == b[1]:
            draw_line(out, a, b, 8)
    return out
