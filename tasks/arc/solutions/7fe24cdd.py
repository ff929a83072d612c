"""Make a 2x2 pinwheel: the input top-left, then turned a quarter clockwise each step going clockwise around."""


def task(img):
    top = hconcat(img, rotate(img, -1))
    bottom = hconcat(rotate(img, 1), rotate(img, 2))
    return vconcat(top, bottom)
