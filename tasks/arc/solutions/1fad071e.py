"""Count the blue (1) 2x2 squares and write that many blue cells into a 1x5 row."""


def task(img):
    n = sum(1 for o in find_objects(img) if o.color == 1 and o.size == 4)
    return np.array([[1] * n + [0] * (5 - n)])
