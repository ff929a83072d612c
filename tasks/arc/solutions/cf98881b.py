"""Stack the three panels between the red lines: the first panel on top, then the second, then the third."""


def task(img):
    a, b, c = split_grid(img, 2)
    return np.where(a != 0, a, np.where(b != 0, b, c))
