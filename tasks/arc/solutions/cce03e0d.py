"""Make a 3x3 arrangement of copies of the grid, placed where the grid is red (2)."""


def task(img):
    return np.kron((img == 2).astype(int), img)
