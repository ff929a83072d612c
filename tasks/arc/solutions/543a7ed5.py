"""Outline every magenta (6) shape with green (3), diagonals included, and fill its holes with yellow (4)."""


def task(img):
    out = fill_enclosed(img, 4, bg=8)
    return paint_cells(out, halo(img, img == 6, diagonal=True) & (img == 8) & (out == 8), 3)
