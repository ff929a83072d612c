"""Output a single row with one cell per coloured cell, in that colour."""


def task(img):
    return [[int(img.max())] * int(np.count_nonzero(img))]
