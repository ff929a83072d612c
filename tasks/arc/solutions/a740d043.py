"""Crop the shape off the blue background and turn the background black."""


def task(img):
    return replace(crop_to_content(img, bg=1), 1, 0)
