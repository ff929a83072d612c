"""Arrange the grid and its three rotations clockwise into a 2x2 pinwheel."""


def task(img):
    top = hconcat(img, rotate(img, -1))
    bottom = hconcat(rotate(img, 1), rotate(img, 2))
    return vconcat(top, bottom)
