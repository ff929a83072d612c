"""Append the grid's left-right mirror image to its right."""


def task(img):
    return hconcat(img, flip_lr(img))
