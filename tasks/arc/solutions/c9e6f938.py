"""Append the grid's mirror image to its right."""


def task(img):
    return hconcat(img, flip_lr(img))
