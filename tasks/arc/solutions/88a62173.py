"""Of the four 2x2 quadrants, output the one that differs from the other three."""


def task(img):
    qs = split_grid(img, 0)
    return [q for q in qs if sum(np.array_equal(q, p) for p in qs) == 1][0]
