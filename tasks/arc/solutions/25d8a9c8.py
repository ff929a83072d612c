"""Rows of a single colour become grey (5); all other rows become black."""


def task(img):
    return np.array([[5 if len(set(row.tolist())) == 1 else 0] * len(row) for row in img])
