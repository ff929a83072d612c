"""Rotate the grid by 180 degrees."""


def task(img):
    return rotate(img, 2)
