"""Recolour orange (7) to grey (5)."""


def task(img):
    return replace(img, 7, 5)
