"""Scale the grid up by 2."""


def task(img):
    return upscale(img, 2)
