"""Surround every red (2) cell with a ring of blue (1) on the background."""


def task(img):
    ring = halo(img, img == 2, diagonal=True) & (img == 0)
    return paint_cells(img, ring, 1)
