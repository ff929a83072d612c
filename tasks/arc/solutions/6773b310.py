"""Shrink each 3x3 cell of the azure lattice to one cell: blue (1) where it holds two magenta cells, else black."""


def task(img):
    cells = split_grid(img, 8)
    n = int(round(len(cells) ** 0.5))
    return np.array([1 if count_color(c, 6) == 2 else 0 for c in cells]).reshape(n, n)
