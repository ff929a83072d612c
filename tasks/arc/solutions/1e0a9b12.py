"""Let every coloured cell fall to the bottom."""


def task(img):
    return gravity(img, (1, 0))
