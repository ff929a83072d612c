"""Blank out both diagonals of the square grid."""


def task(img):
    n = img.shape[0]
    out = copy(img)
    draw_line(out, (0, 0), (n - 1, n - 1), 0)
    return draw_line(out, (0, n - 1), (n - 1, 0), 0)
