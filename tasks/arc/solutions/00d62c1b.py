"""Fill every background region enclosed by green (3) with yellow (4)."""


def task(img):
    return fill_enclosed(img, 4)
