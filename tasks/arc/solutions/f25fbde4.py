"""Crop the yellow shape and scale it up by two."""


def task(img):
    return upscale(crop_to_content(img), 2)
