"""The red (2) bars shoot up until they hit the blue (1) shape."""


def task(img):
    return gravity(img, (-1, 0))
