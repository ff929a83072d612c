"""Recolour magenta (6) to red (2)."""


def task(img):
    return replace(img, 6, 2)
