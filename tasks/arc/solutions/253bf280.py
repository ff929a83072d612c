"""Join every two azure (8) pixels in the same row or column with a green (3) line."""

import itertools


def task(img):
    out = copy(img)
    for a, b in itertools.combinations(cells_of_color(img, 8), 2):
        if a[0] == b[0] or a[1] == b[1]:
            draw_line(out, a, b, 3)
    return np.where(img == 8, 8, out)
