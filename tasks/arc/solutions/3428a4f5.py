"""Overlay the two halves separated by the yellow line: cells filled in exactly one half become green (3)."""


def task(img):
    a, b = split_grid(img, 4)
    return np.where((a != 0) != (b != 0), 3, 0)
