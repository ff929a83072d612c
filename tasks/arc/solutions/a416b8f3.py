"""Place two copies of the grid side by side."""


def task(img):
    return hconcat(img, img)
