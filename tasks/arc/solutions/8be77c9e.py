"""Append the grid's upside-down mirror image below it."""


def task(img):
    return vconcat(img, flip_ud(img))
