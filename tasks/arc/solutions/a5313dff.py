"""Fill the black cells enclosed by red walls with blue (1)."""


def task(img):
    return fill_enclosed(img, 1, bg=0)
