"""Rotate the grid a quarter turn counter-clockwise."""


def task(img):
    return rotate(img, 1)
