"""Crop the grid to the shape."""


def task(img):
    return crop_to_content(img)
